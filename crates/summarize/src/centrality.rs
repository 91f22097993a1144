//! How central each sentence is: two graph rankers and a centroid similarity.
//!
//! - **LexRank** (Erkan & Radev 2004): sentences are TF-IDF vectors (IDF over the sentences
//!   of the document, so no outside corpus is needed), edges are cosine similarities, and a
//!   weighted PageRank finds sentences similar to many others.
//! - **TextRank** (Mihalcea & Tarau 2004): an edge counts the words two sentences share
//!   (repeats included) over `log10 |a| + log10 |b|`, over the graph words of
//!   [`crate::terms`] (unstemmed whitespace tokens, NLTK's stop list). It favours long,
//!   term-rich sentences, which is what the BBC reference summaries reward.
//! - **Centroid**: cosine between a sentence and the whole document's TF-IDF vector, a cheap
//!   one-pass view of the same idea.
//!
//! The cosine matrix is kept: selection uses it to avoid picking near-duplicate sentences.
//! Graphs are quadratic in sentences, so only the first [`MAX_GRAPH_SENTENCES`] take part;
//! later sentences of a huge document get zero centrality instead of minutes of work.

use crate::terms::SentenceTerms;

/// Sentences beyond this index are left out of the graphs.
pub const MAX_GRAPH_SENTENCES: usize = 500;

const DAMPING: f32 = 0.85;
const MAX_ITERATIONS: usize = 60;
const TOLERANCE: f32 = 1e-5;

/// Centrality scores of every sentence of a document, each scaled so the best sentence has 1.
#[derive(Debug, Clone, Default)]
pub struct SentenceGraph {
    /// Number of sentences in the graph.
    pub size: usize,
    /// Cosine similarity of TF-IDF vectors, row-major `size × size`.
    pub cosine: Vec<f32>,
    /// LexRank score per sentence of the document.
    pub lexrank: Vec<f32>,
    /// TextRank score (shared graph words over log lengths) per sentence of the document.
    pub textrank: Vec<f32>,
    /// Cosine with the document centroid per sentence of the document.
    pub centroid: Vec<f32>,
}

impl SentenceGraph {
    /// Builds the graphs over `sentences`, whose terms are numbered below `term_count`.
    pub fn new(sentences: &[SentenceTerms], term_count: usize) -> Self {
        let all = sentences.len();
        let size = all.min(MAX_GRAPH_SENTENCES);
        let sentences = &sentences[..size];
        let vectors = tfidf_vectors(sentences, term_count);
        let mut centroid_vector = vec![0f32; term_count];
        for vector in &vectors {
            for &(term, weight) in vector {
                centroid_vector[term as usize] += weight;
            }
        }
        let centroid_norm = centroid_vector.iter().map(|w| w * w).sum::<f32>().sqrt();
        let mut centroid: Vec<f32> = vectors
            .iter()
            .map(|vector| {
                let dot: f32 = vector
                    .iter()
                    .map(|&(term, weight)| weight * centroid_vector[term as usize])
                    .sum();
                if centroid_norm > 0.0 {
                    dot / centroid_norm
                } else {
                    0.0
                }
            })
            .collect();
        let cosine = cosine_matrix(&vectors);
        let overlap = overlap_matrix(sentences);
        let mut lexrank = pagerank(&cosine, size);
        let mut textrank = pagerank(&overlap, size);
        for scores in [&mut lexrank, &mut textrank, &mut centroid] {
            scale_to_unit_max(scores);
            scores.resize(all, 0.0);
        }
        SentenceGraph {
            size,
            cosine,
            lexrank,
            textrank,
            centroid,
        }
    }

    /// Cosine similarity of sentences `a` and `b` (0 outside the graph).
    pub fn similarity(&self, a: usize, b: usize) -> f32 {
        if a < self.size && b < self.size {
            self.cosine[a * self.size + b]
        } else {
            0.0
        }
    }
}

/// Unit-length TF-IDF vectors, IDF = ln(1 + N / df) over the sentences.
fn tfidf_vectors(sentences: &[SentenceTerms], term_count: usize) -> Vec<Vec<(u32, f32)>> {
    let mut document_frequency = vec![0u32; term_count];
    for sentence in sentences {
        for &(term, _) in &sentence.counts {
            document_frequency[term as usize] += 1;
        }
    }
    let n = sentences.len().max(1) as f32;
    sentences
        .iter()
        .map(|sentence| {
            let mut vector: Vec<(u32, f32)> = sentence
                .counts
                .iter()
                .map(|&(term, count)| {
                    let idf = (1.0 + n / document_frequency[term as usize] as f32).ln();
                    (term, count as f32 * idf)
                })
                .collect();
            let norm = vector.iter().map(|(_, w)| w * w).sum::<f32>().sqrt();
            if norm > 0.0 {
                vector.iter_mut().for_each(|(_, w)| *w /= norm);
            }
            vector
        })
        .collect()
}

/// Sums `value(a, b)` over the terms (or words) that each pair of rows shares, into the upper
/// triangle of a `rows × rows` matrix; `rows` hold `(id, value)` sorted by id.
///
/// Pairs are met through the list of rows that hold each id, so only pairs with something in
/// common cost anything: most pairs of a long page share nothing. Each pair's values are added
/// in ascending id order from zero, the order of a merge of the two sorted rows, so every sum
/// is the same number a pairwise merge gives.
fn sum_over_shared<T: Copy, S: Copy + Default + std::ops::AddAssign>(
    rows: &[&[(u32, T)]],
    value: impl Fn(T, T) -> S,
) -> Vec<S> {
    let id_count = rows
        .iter()
        .flat_map(|row| row.iter())
        .map(|&(id, _)| id as usize + 1)
        .max()
        .unwrap_or(0);
    let mut holders: Vec<Vec<(u32, T)>> = vec![Vec::new(); id_count];
    for (row, entries) in rows.iter().enumerate() {
        for &(id, entry) in entries.iter() {
            holders[id as usize].push((row as u32, entry));
        }
    }
    let size = rows.len();
    let mut sums = vec![S::default(); size * size];
    for list in holders {
        for (k, &(i, a)) in list.iter().enumerate() {
            for &(j, b) in &list[k + 1..] {
                sums[i as usize * size + j as usize] += value(a, b);
            }
        }
    }
    sums
}

/// Cosine of every pair of unit TF-IDF vectors, row-major and symmetric.
fn cosine_matrix(vectors: &[Vec<(u32, f32)>]) -> Vec<f32> {
    let rows: Vec<&[(u32, f32)]> = vectors.iter().map(Vec::as_slice).collect();
    let mut cosine = sum_over_shared(&rows, |a, b| a * b);
    mirror_upper_triangle(&mut cosine, rows.len());
    cosine
}

/// TextRank's edge weight of every pair: graph words shared (each as often as both sentences
/// hold it) over the sum of log10 graph lengths. Counting repeats rather than distinct words
/// matches the BBC references slightly better (82.1% of sentences chosen right against
/// 81.9%).
fn overlap_matrix(sentences: &[SentenceTerms]) -> Vec<f32> {
    let rows: Vec<&[(u32, u32)]> = sentences.iter().map(|s| s.graph_words.as_slice()).collect();
    let shared = sum_over_shared(&rows, u32::min);
    let log_length: Vec<f32> = sentences
        .iter()
        .map(|s| (s.graph_length as f32).log10())
        .collect();
    let size = sentences.len();
    let mut overlap = vec![0f32; size * size];
    for i in 0..size {
        for j in i + 1..size {
            let common = shared[i * size + j];
            let denominator = log_length[i] + log_length[j];
            if common > 0 && denominator > 0.0 {
                overlap[i * size + j] = common as f32 / denominator;
            }
        }
    }
    mirror_upper_triangle(&mut overlap, size);
    overlap
}

/// Copies the upper triangle of a `size × size` matrix onto the lower one.
fn mirror_upper_triangle(matrix: &mut [f32], size: usize) {
    for i in 0..size {
        for j in i + 1..size {
            matrix[j * size + i] = matrix[i * size + j];
        }
    }
}

/// Weighted PageRank over a symmetric `size × size` weight matrix.
fn pagerank(weights: &[f32], size: usize) -> Vec<f32> {
    // Most pairs of a long page share nothing: each row keeps only its nonzero weights, in
    // column order. Leaving out terms that add exactly zero changes no sum.
    let edges: Vec<Vec<(usize, f32)>> = weights
        .chunks_exact(size.max(1))
        .map(|row| {
            row.iter()
                .enumerate()
                .filter(|&(_, &w)| w != 0.0)
                .map(|(j, &w)| (j, w))
                .collect()
        })
        .collect();
    let out_weight: Vec<f32> = edges
        .iter()
        .map(|row| row.iter().map(|&(_, w)| w).sum())
        .collect();
    // Row `i` holds what each `j` passes to `i` per unit of score, `w[j][i] / out[j]` (which
    // is `w[i][j] / out[j]`, the matrix being symmetric), so an iteration is one short dot
    // product per sentence instead of a division per edge.
    let rows: Vec<Vec<(usize, f32)>> = edges
        .iter()
        .map(|row| {
            row.iter()
                .filter(|&&(j, _)| out_weight[j] > 0.0)
                .map(|&(j, w)| (j, w / out_weight[j]))
                .filter(|&(_, t)| t != 0.0)
                .collect()
        })
        .collect();
    let mut scores = vec![1.0f32; size];
    let mut next = vec![0f32; size];
    for _ in 0..MAX_ITERATIONS {
        for (slot, row) in next.iter_mut().zip(&rows) {
            let incoming: f32 = row.iter().map(|&(j, t)| t * scores[j]).sum();
            *slot = (1.0 - DAMPING) + DAMPING * incoming;
        }
        let change = scores
            .iter()
            .zip(&next)
            .map(|(a, b)| (a - b).abs())
            .fold(0.0, f32::max);
        std::mem::swap(&mut scores, &mut next);
        if change < TOLERANCE {
            break;
        }
    }
    scores
}

fn scale_to_unit_max(scores: &mut [f32]) {
    let max = scores.iter().copied().fold(0.0, f32::max);
    if max > 0.0 && max.is_finite() {
        scores.iter_mut().for_each(|s| *s /= max);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::terms::{TermAnalyzer, TermTable};

    fn graph(texts: &[&str]) -> SentenceGraph {
        let analyzer = TermAnalyzer::new();
        let mut table = TermTable::default();
        let sentences: Vec<_> = texts
            .iter()
            .map(|t| analyzer.analyze(t, &mut table))
            .collect();
        SentenceGraph::new(&sentences, table.len())
    }

    #[test]
    fn the_sentence_sharing_most_terms_is_most_central() {
        let g = graph(&[
            "Floods hit the northern town.",
            "Rescue teams reached the flooded northern town by boat.",
            "Rescue boats arrived.",
            "A football match was cancelled.",
        ]);
        let best = |scores: &[f32]| {
            (0..scores.len())
                .max_by(|&a, &b| scores[a].total_cmp(&scores[b]))
                .unwrap()
        };
        assert_eq!(best(&g.lexrank), 1);
        assert_eq!(best(&g.textrank), 1);
        assert!(g.textrank[3] < g.textrank[1]);
        assert!(g.similarity(0, 1) > 0.0 && g.similarity(0, 3) == 0.0);
    }

    #[test]
    fn empty_and_single_sentence_documents_have_finite_scores() {
        assert!(graph(&[]).lexrank.is_empty());
        let one = graph(&["Only one sentence here."]);
        assert_eq!(one.lexrank, vec![1.0]);
        assert!(one.centroid[0].is_finite());
    }

    /// The pairwise definitions the matrices must equal bit for bit: a merge of each pair's
    /// sorted lists.
    fn cosine_of_pair(a: &[(u32, f32)], b: &[(u32, f32)]) -> f32 {
        let (mut i, mut j, mut sum) = (0, 0, 0.0);
        while i < a.len() && j < b.len() {
            match a[i].0.cmp(&b[j].0) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    sum += a[i].1 * b[j].1;
                    i += 1;
                    j += 1;
                }
            }
        }
        sum
    }

    fn overlap_of_pair(a: &SentenceTerms, b: &SentenceTerms) -> f32 {
        let mut shared = 0;
        for &(word, count) in &a.graph_words {
            if let Ok(k) = b.graph_words.binary_search_by_key(&word, |&(w, _)| w) {
                shared += count.min(b.graph_words[k].1);
            }
        }
        let denominator = (a.graph_length as f32).log10() + (b.graph_length as f32).log10();
        if shared == 0 || denominator <= 0.0 {
            0.0
        } else {
            shared as f32 / denominator
        }
    }

    /// The example article cut at periods and line ends, with its first `repeated` pieces
    /// again at the end (so that pairs share many terms), and the table numbering their terms.
    fn article_sentences(repeated: usize) -> (Vec<SentenceTerms>, TermTable) {
        let text = include_str!("../../../examples/news/article.txt");
        let analyzer = TermAnalyzer::new();
        let mut table = TermTable::default();
        let sentences = (text.split(['.', '\n']))
            .chain(text.split(['.', '\n']).take(repeated))
            .map(|t| analyzer.analyze(t, &mut table))
            .collect();
        (sentences, table)
    }

    #[test]
    fn matrices_equal_the_pairwise_definitions_bit_for_bit() {
        let (sentences, table) = article_sentences(15);
        assert!(sentences.len() > 30);
        let vectors = tfidf_vectors(&sentences, table.len());
        let cosine = cosine_matrix(&vectors);
        let overlap = overlap_matrix(&sentences);
        let size = sentences.len();
        let mut nonzero = 0;
        for i in 0..size {
            for j in 0..size {
                let (want_cosine, want_overlap) = if i == j {
                    (0.0, 0.0)
                } else {
                    let (a, b) = (i.min(j), i.max(j));
                    (
                        cosine_of_pair(&vectors[a], &vectors[b]),
                        overlap_of_pair(&sentences[a], &sentences[b]),
                    )
                };
                assert_eq!(
                    cosine[i * size + j].to_bits(),
                    want_cosine.to_bits(),
                    "{i} {j}"
                );
                assert_eq!(
                    overlap[i * size + j].to_bits(),
                    want_overlap.to_bits(),
                    "{i} {j}"
                );
                nonzero += usize::from(want_cosine != 0.0);
            }
        }
        assert!(nonzero > size, "too few pairs share terms to test anything");
    }

    /// PageRank as a dense matrix product: the definition the sparse rows must equal.
    fn dense_pagerank(weights: &[f32], size: usize) -> Vec<f32> {
        let out: Vec<f32> = (0..size)
            .map(|i| weights[i * size..(i + 1) * size].iter().sum())
            .collect();
        let mut scores = vec![1.0f32; size];
        for _ in 0..MAX_ITERATIONS {
            let next: Vec<f32> = (0..size)
                .map(|i| {
                    let incoming: f32 = (0..size)
                        .map(|j| {
                            let t = if out[j] > 0.0 {
                                weights[j * size + i] / out[j]
                            } else {
                                0.0
                            };
                            t * scores[j]
                        })
                        .sum();
                    (1.0 - DAMPING) + DAMPING * incoming
                })
                .collect();
            let change = scores
                .iter()
                .zip(&next)
                .map(|(a, b)| (a - b).abs())
                .fold(0.0, f32::max);
            scores = next;
            if change < TOLERANCE {
                break;
            }
        }
        scores
    }

    #[test]
    fn sparse_pagerank_equals_the_dense_product_bit_for_bit() {
        let (sentences, table) = article_sentences(0);
        let size = sentences.len();
        let vectors = tfidf_vectors(&sentences, table.len());
        for weights in [cosine_matrix(&vectors), overlap_matrix(&sentences)] {
            let sparse: Vec<u32> = pagerank(&weights, size)
                .iter()
                .map(|s| s.to_bits())
                .collect();
            let dense: Vec<u32> = dense_pagerank(&weights, size)
                .iter()
                .map(|s| s.to_bits())
                .collect();
            assert_eq!(sparse, dense);
        }
    }
}
