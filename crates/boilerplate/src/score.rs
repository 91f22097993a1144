//! The extraction metric of the public article-extraction benchmarks: precision, recall and F1
//! over the multiset of overlapping word 4-grams ("shingles") of predicted versus gold text.
//!
//! Tokenization: lowercase, words are runs of `\w` characters (see [`crate::words`]), so
//! whitespace, punctuation and paragraph breaks never matter, only which words come in which
//! order. A text of fewer than four words has one shingle made of all its words. Two empty texts
//! agree perfectly (F1 = 1); an empty text against a non-empty one scores 0.
//!
//! Over a set of pages, [`Prf::mean`] averages precision and recall and takes the F1 of the
//! two means, which is how the benchmarks (and the peer numbers we compare with) aggregate;
//! [`Prf::mean_f1`] gives the plain mean of per-page F1 as well.

use std::collections::HashMap;

use crate::words::{combine, word_hash, words};

/// The shingle length the benchmarks use.
pub const SHINGLE_WORDS: usize = 4;

/// Precision, recall and F1 of one prediction.
#[derive(Debug, Clone, Copy, PartialEq, Default, serde::Serialize)]
pub struct Prf {
    /// Share of predicted shingles that are in the gold text.
    pub precision: f64,
    /// Share of gold shingles that were predicted.
    pub recall: f64,
    /// Harmonic mean of the two.
    pub f1: f64,
}

impl Prf {
    /// The benchmark's aggregate over pages: mean precision, mean recall, and the F1 of those
    /// two means (as the Scrapinghub article-extraction benchmark reports it; on WCXB's dev
    /// pages keeping everything scores 0.807 this way, the number peers are quoted against).
    /// Zeros when there are no scores.
    pub fn mean(scores: &[Prf]) -> Prf {
        if scores.is_empty() {
            return Prf::default();
        }
        let n = scores.len() as f64;
        let precision = scores.iter().map(|s| s.precision).sum::<f64>() / n;
        let recall = scores.iter().map(|s| s.recall).sum::<f64>() / n;
        Prf {
            precision,
            recall,
            f1: harmonic_mean(precision, recall),
        }
    }

    /// The plain mean of per-page F1 (a stricter aggregate, reported beside [`Prf::mean`]).
    pub fn mean_f1(scores: &[Prf]) -> f64 {
        if scores.is_empty() {
            return 0.0;
        }
        scores.iter().map(|s| s.f1).sum::<f64>() / scores.len() as f64
    }
}

/// The multiset of word shingles of `text`, as hash → count.
pub fn shingles(text: &str, n: usize) -> HashMap<u64, u32> {
    let hashes: Vec<u64> = words(text).map(word_hash).collect();
    let mut counts = HashMap::with_capacity(hashes.len());
    if hashes.is_empty() {
        return counts;
    }
    let width = n.clamp(1, hashes.len());
    for window in hashes.windows(width) {
        let key = window.iter().fold(0u64, |acc, &h| combine(acc, h));
        *counts.entry(key).or_insert(0) += 1;
    }
    counts
}

/// Scores `predicted` against `gold`.
///
/// ```
/// use textpipe_boilerplate::score::shingle_prf;
/// let gold = "The quick brown fox jumps over the lazy dog.";
/// assert_eq!(shingle_prf(gold, gold).f1, 1.0);
/// assert!(shingle_prf("Menu. The quick brown fox jumps over the lazy dog.", gold).precision < 1.0);
/// ```
pub fn shingle_prf(predicted: &str, gold: &str) -> Prf {
    let predicted = shingles(predicted, SHINGLE_WORDS);
    let gold = shingles(gold, SHINGLE_WORDS);
    let predicted_total: u32 = predicted.values().sum();
    let gold_total: u32 = gold.values().sum();
    if predicted_total == 0 && gold_total == 0 {
        return Prf {
            precision: 1.0,
            recall: 1.0,
            f1: 1.0,
        };
    }
    let common: u32 = predicted
        .iter()
        .map(|(key, &count)| count.min(gold.get(key).copied().unwrap_or(0)))
        .sum();
    let ratio = |part: u32, whole: u32| {
        if whole == 0 {
            0.0
        } else {
            f64::from(part) / f64::from(whole)
        }
    };
    let precision = ratio(common, predicted_total);
    let recall = ratio(common, gold_total);
    Prf {
        precision,
        recall,
        f1: harmonic_mean(precision, recall),
    }
}

fn harmonic_mean(precision: f64, recall: f64) -> f64 {
    if precision + recall == 0.0 {
        0.0
    } else {
        2.0 * precision * recall / (precision + recall)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_repeated_shingles_as_a_multiset() {
        let gold = "one two three four";
        let doubled = "one two three four. One, two; three four!";
        let prf = shingle_prf(doubled, gold);
        // 5 predicted shingles (two copies of the gold one), one matches once.
        assert!((prf.precision - 0.2).abs() < 1e-9, "{prf:?}");
        assert_eq!(prf.recall, 1.0);
    }

    #[test]
    fn empty_texts() {
        assert_eq!(shingle_prf("", "").f1, 1.0);
        assert_eq!(shingle_prf("", "some gold words here").f1, 0.0);
        assert_eq!(shingle_prf("some words", "").f1, 0.0);
    }

    #[test]
    fn short_texts_make_one_shingle() {
        assert_eq!(shingles("Hello world", 4).len(), 1);
        assert_eq!(shingle_prf("Hello, World", "hello world").f1, 1.0);
    }
}
