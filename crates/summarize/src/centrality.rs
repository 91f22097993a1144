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
        let mut cosine = vec![0f32; size * size];
        let mut overlap = vec![0f32; size * size];
        for i in 0..size {
            for j in i + 1..size {
                let c = dot(&vectors[i], &vectors[j]);
                cosine[i * size + j] = c;
                cosine[j * size + i] = c;
                let o = textrank_similarity(&sentences[i], &sentences[j]);
                overlap[i * size + j] = o;
                overlap[j * size + i] = o;
            }
        }
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

/// Dot product of two vectors sorted by term.
fn dot(a: &[(u32, f32)], b: &[(u32, f32)]) -> f32 {
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

/// TextRank's edge weight: graph words shared (each as often as both sentences hold it) over
/// the sum of log10 graph lengths. Counting repeats rather than distinct words matches the
/// BBC references slightly better (82.1% of sentences chosen right against 81.9%).
fn textrank_similarity(a: &SentenceTerms, b: &SentenceTerms) -> f32 {
    let shared = shared_occurrences(&a.graph_words, &b.graph_words);
    if shared == 0 {
        return 0.0;
    }
    let denominator = (a.graph_length as f32).log10() + (b.graph_length as f32).log10();
    if denominator <= 0.0 {
        0.0
    } else {
        shared as f32 / denominator
    }
}

/// Sum over shared ids of the smaller count, in one merge of two lists sorted by id.
fn shared_occurrences(a: &[(u32, u32)], b: &[(u32, u32)]) -> u32 {
    let (mut i, mut j, mut shared) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].0.cmp(&b[j].0) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                shared += a[i].1.min(b[j].1);
                i += 1;
                j += 1;
            }
        }
    }
    shared
}

/// Weighted PageRank over a symmetric `size × size` weight matrix.
fn pagerank(weights: &[f32], size: usize) -> Vec<f32> {
    let out_weight: Vec<f32> = (0..size)
        .map(|i| weights[i * size..(i + 1) * size].iter().sum())
        .collect();
    // Row `i` holds what each `j` passes to `i` per unit of score, `w[j][i] / out[j]`, so an
    // iteration is one dot product per sentence instead of a division per edge.
    let mut transition = vec![0f32; size * size];
    for (i, row) in transition.chunks_exact_mut(size.max(1)).enumerate() {
        for (j, slot) in row.iter_mut().enumerate() {
            if out_weight[j] > 0.0 {
                *slot = weights[j * size + i] / out_weight[j];
            }
        }
    }
    let mut scores = vec![1.0f32; size];
    let mut next = vec![0f32; size];
    for _ in 0..MAX_ITERATIONS {
        for (slot, row) in next.iter_mut().zip(transition.chunks_exact(size.max(1))) {
            let incoming: f32 = row.iter().zip(&scores).map(|(t, s)| t * s).sum();
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
}
