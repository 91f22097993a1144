//! ROUGE-1, ROUGE-2, ROUGE-L and ROUGE-Lsum F1, computed the way Google's `rouge-score`
//! package computes them, so our numbers can be compared with published ones.
//!
//! The details that move scores are copied on purpose: text is lowercased and every run of
//! characters outside `[a-z0-9]` becomes a token boundary (so `café` gives `caf`); tokens
//! longer than three characters go through NLTK's Porter stemmer (not Snowball); ROUGE-Lsum
//! splits both texts on newlines and takes, for every reference sentence, the union of its
//! longest common subsequences with the candidate sentences, each token counted at most as
//! often as it occurs on both sides. `tests/fixtures/rouge_pairs.json` pins values produced
//! by the Python package on self-written pairs.

use std::collections::HashMap;

use nltk_porter::{Mode, PorterStemmer};

/// Precision, recall and their harmonic mean for one ROUGE variant.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct RougeScore {
    /// Matched units over candidate units.
    pub precision: f64,
    /// Matched units over reference units.
    pub recall: f64,
    /// Harmonic mean of precision and recall (0 when both are 0).
    pub f1: f64,
}

impl RougeScore {
    fn from_counts(matched: usize, candidate: usize, reference: usize) -> Self {
        let precision = matched as f64 / candidate.max(1) as f64;
        let recall = matched as f64 / reference.max(1) as f64;
        let f1 = if precision + recall > 0.0 {
            2.0 * precision * recall / (precision + recall)
        } else {
            0.0
        };
        RougeScore {
            precision,
            recall,
            f1,
        }
    }
}

/// The four ROUGE variants of one candidate against one reference.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct RougeScores {
    /// Unigram overlap.
    pub rouge1: RougeScore,
    /// Bigram overlap.
    pub rouge2: RougeScore,
    /// Longest common subsequence of the whole texts.
    pub rouge_l: RougeScore,
    /// Summary-level LCS over newline-separated sentences.
    pub rouge_lsum: RougeScore,
}

/// Scores candidates against references; holds the stemmer so it is built once.
pub struct Rouge {
    stemmer: PorterStemmer,
}

impl Default for Rouge {
    fn default() -> Self {
        Rouge::new()
    }
}

impl std::fmt::Debug for Rouge {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Rouge")
    }
}

impl Rouge {
    /// A scorer with Porter stemming, like `RougeScorer(..., use_stemmer=True)`.
    pub fn new() -> Self {
        Rouge {
            stemmer: PorterStemmer::new(Mode::Nltk),
        }
    }

    /// `rouge-score`'s tokens of `text`: lowercase `[a-z0-9]+` runs, long ones stemmed.
    pub fn tokenize(&self, text: &str) -> Vec<String> {
        let lower = text.to_lowercase();
        lower
            .split(|c: char| !(c.is_ascii_lowercase() || c.is_ascii_digit()))
            .filter(|token| !token.is_empty())
            .map(|token| {
                if token.len() > 3 {
                    self.stemmer.stem(token)
                } else {
                    token.to_string()
                }
            })
            .collect()
    }

    /// All four variants of `candidate` against `reference`. For ROUGE-Lsum both texts
    /// should have one sentence per line.
    pub fn score(&self, reference: &str, candidate: &str) -> RougeScores {
        let reference_tokens = self.tokenize(reference);
        let candidate_tokens = self.tokenize(candidate);
        let lines = |text: &str| -> Vec<Vec<String>> {
            text.split('\n')
                .filter(|line| !line.is_empty())
                .map(|line| self.tokenize(line))
                .collect()
        };
        RougeScores {
            rouge1: rouge_n(&reference_tokens, &candidate_tokens, 1),
            rouge2: rouge_n(&reference_tokens, &candidate_tokens, 2),
            rouge_l: rouge_l(&reference_tokens, &candidate_tokens),
            rouge_lsum: rouge_lsum(&lines(reference), &lines(candidate)),
        }
    }
}

fn ngram_counts<T: AsRef<str>>(tokens: &[T], n: usize) -> HashMap<Vec<&str>, usize> {
    let mut counts = HashMap::new();
    for window in tokens.windows(n) {
        let gram: Vec<&str> = window.iter().map(AsRef::as_ref).collect();
        *counts.entry(gram).or_insert(0) += 1;
    }
    counts
}

/// ROUGE-N over already tokenized texts.
pub fn rouge_n<T: AsRef<str>>(reference: &[T], candidate: &[T], n: usize) -> RougeScore {
    let reference_grams = ngram_counts(reference, n);
    let candidate_grams = ngram_counts(candidate, n);
    let matched = candidate_grams
        .iter()
        .map(|(gram, &count)| count.min(reference_grams.get(gram).copied().unwrap_or(0)))
        .sum();
    RougeScore::from_counts(
        matched,
        candidate_grams.values().sum(),
        reference_grams.values().sum(),
    )
}

/// The dynamic-programming table of LCS lengths: `table[i][j]` is the LCS of `a[..i]` and
/// `b[..j]`.
fn lcs_table<T: PartialEq>(a: &[T], b: &[T]) -> Vec<Vec<u32>> {
    let mut table = vec![vec![0u32; b.len() + 1]; a.len() + 1];
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            table[i][j] = if a[i - 1] == b[j - 1] {
                table[i - 1][j - 1] + 1
            } else {
                table[i - 1][j].max(table[i][j - 1])
            };
        }
    }
    table
}

/// ROUGE-L over already tokenized texts.
pub fn rouge_l<T: PartialEq>(reference: &[T], candidate: &[T]) -> RougeScore {
    let lcs = lcs_table(reference, candidate)[reference.len()][candidate.len()] as usize;
    RougeScore::from_counts(lcs, candidate.len(), reference.len())
}

/// Indices into `reference` of one LCS with `candidate`, breaking ties the way
/// `rouge-score`'s backtracking does (which decides which tokens the union may count).
fn lcs_indices<T: PartialEq>(reference: &[T], candidate: &[T]) -> Vec<usize> {
    let table = lcs_table(reference, candidate);
    let (mut i, mut j) = (reference.len(), candidate.len());
    let mut indices = Vec::new();
    while i > 0 && j > 0 {
        if reference[i - 1] == candidate[j - 1] {
            indices.push(i - 1);
            i -= 1;
            j -= 1;
        } else if table[i][j - 1] > table[i - 1][j] {
            j -= 1;
        } else {
            i -= 1;
        }
    }
    indices.reverse();
    indices
}

/// ROUGE-Lsum over texts already split into tokenized sentences.
pub fn rouge_lsum<T: AsRef<str> + PartialEq>(
    reference: &[Vec<T>],
    candidate: &[Vec<T>],
) -> RougeScore {
    let reference_len: usize = reference.iter().map(Vec::len).sum();
    let candidate_len: usize = candidate.iter().map(Vec::len).sum();
    if reference_len == 0 || candidate_len == 0 {
        return RougeScore::default();
    }
    let mut reference_left: HashMap<&str, usize> = HashMap::new();
    let mut candidate_left: HashMap<&str, usize> = HashMap::new();
    for token in reference.iter().flatten() {
        *reference_left.entry(token.as_ref()).or_insert(0) += 1;
    }
    for token in candidate.iter().flatten() {
        *candidate_left.entry(token.as_ref()).or_insert(0) += 1;
    }
    let mut hits = 0;
    for sentence in reference {
        let mut union: Vec<usize> = candidate
            .iter()
            .flat_map(|other| lcs_indices(sentence, other))
            .collect();
        union.sort_unstable();
        union.dedup();
        for index in union {
            let token = sentence[index].as_ref();
            let in_candidate = candidate_left.get_mut(token);
            let in_reference = reference_left.get_mut(token);
            if let (Some(c), Some(r)) = (in_candidate, in_reference) {
                if *c > 0 && *r > 0 {
                    hits += 1;
                    *c -= 1;
                    *r -= 1;
                }
            }
        }
    }
    RougeScore::from_counts(hits, candidate_len, reference_len)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Deserialize)]
    struct Pair {
        reference: String,
        candidate: String,
        rouge1: f64,
        rouge2: f64,
        #[serde(rename = "rougeL")]
        rouge_l: f64,
        #[serde(rename = "rougeLsum")]
        rouge_lsum: f64,
    }

    #[test]
    fn matches_the_python_rouge_score_package() {
        let pairs: Vec<Pair> =
            serde_json::from_str(include_str!("../tests/fixtures/rouge_pairs.json")).unwrap();
        assert!(pairs.len() >= 10);
        let rouge = Rouge::new();
        for pair in &pairs {
            let got = rouge.score(&pair.reference, &pair.candidate);
            let close = |a: f64, b: f64| (a - b).abs() < 1e-9;
            assert!(
                close(got.rouge1.f1, pair.rouge1),
                "R1 of {:?}",
                pair.candidate
            );
            assert!(
                close(got.rouge2.f1, pair.rouge2),
                "R2 of {:?}",
                pair.candidate
            );
            assert!(
                close(got.rouge_l.f1, pair.rouge_l),
                "RL of {:?}",
                pair.candidate
            );
            assert!(
                close(got.rouge_lsum.f1, pair.rouge_lsum),
                "RLsum of {:?}",
                pair.candidate
            );
        }
    }

    #[test]
    fn tokenizes_like_rouge_score() {
        let rouge = Rouge::new();
        assert_eq!(
            rouge.tokenize("The café's runners ran, running!"),
            ["the", "caf", "s", "runner", "ran", "run"]
        );
    }

    #[test]
    fn identical_texts_score_one_and_disjoint_zero() {
        let rouge = Rouge::new();
        let same = rouge.score("a cat sat\non the mat", "a cat sat\non the mat");
        assert_eq!(same.rouge2.f1, 1.0);
        assert_eq!(same.rouge_lsum.f1, 1.0);
        let none = rouge.score("a cat sat", "dogs bark loudly");
        assert_eq!(none.rouge1.f1, 0.0);
        assert_eq!(rouge.score("", "").rouge_lsum.f1, 0.0);
    }
}
