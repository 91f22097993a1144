//! Choosing sentences under a budget, with maximal marginal relevance.
//!
//! Greedy: take the sentence with the best score minus `redundancy` times its highest
//! similarity to the sentences already taken, until the budget is spent. Scores are first
//! scaled to `[0, 1]` so the penalty means the same whatever the scorer. The result is in
//! document order.

use crate::centrality::SentenceGraph;
use crate::config::Budget;

/// Indices of the chosen sentences, ascending.
///
/// `scores` and `words` have one entry per sentence; `graph` gives similarities.
pub fn choose_sentences(
    scores: &[f32],
    words: &[usize],
    graph: &SentenceGraph,
    budget: Budget,
    redundancy: f32,
) -> Vec<usize> {
    let n = scores.len();
    let (max_sentences, word_limit) = match budget {
        Budget::Sentences(k) => (k.min(n), usize::MAX),
        Budget::Ratio(r) => (
            ((r * n as f64).ceil() as usize).clamp(1, n.max(1)).min(n),
            usize::MAX,
        ),
        Budget::Words(w) => (n, w),
    };
    let relevance = scaled_to_unit(scores);
    let mut chosen: Vec<usize> = Vec::with_capacity(max_sentences);
    let mut taken = vec![false; n];
    let mut words_used = 0usize;
    // Highest similarity of each sentence to any chosen one, updated as we go (O(n) a pick).
    let mut closest = vec![0f32; n];
    while chosen.len() < max_sentences {
        let mut best: Option<(usize, f32)> = None;
        for i in 0..n {
            if taken[i] || words_used.saturating_add(words[i]) > word_limit {
                continue;
            }
            let value = relevance[i] - redundancy * closest[i];
            // Strictly greater: ties go to the earlier sentence.
            if !matches!(best, Some((_, b)) if b >= value) {
                best = Some((i, value));
            }
        }
        let Some((pick, _)) = best else { break };
        taken[pick] = true;
        words_used += words[pick];
        chosen.push(pick);
        for (i, c) in closest.iter_mut().enumerate() {
            *c = c.max(graph.similarity(i, pick));
        }
    }
    chosen.sort_unstable();
    chosen
}

/// Min-max scaling; all-equal or non-finite scores become 0 (ties then go to position).
fn scaled_to_unit(scores: &[f32]) -> Vec<f32> {
    let finite = scores.iter().copied().filter(|s| s.is_finite());
    let min = finite.clone().fold(f32::INFINITY, f32::min);
    let max = finite.fold(f32::NEG_INFINITY, f32::max);
    let range = max - min;
    scores
        .iter()
        .map(|&s| {
            if s.is_finite() && range > 0.0 {
                (s - min) / range
            } else {
                0.0
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn budgets_keep_document_order_and_never_overflow() {
        let graph = SentenceGraph::default();
        let scores = [0.1, 0.9, 0.5, 0.8];
        let words = [5, 10, 3, 10];
        let pick = |b| choose_sentences(&scores, &words, &graph, b, 0.0);
        assert_eq!(pick(Budget::Sentences(2)), [1, 3]);
        assert_eq!(pick(Budget::Sentences(9)), [0, 1, 2, 3]);
        assert_eq!(pick(Budget::Ratio(0.5)), [1, 3]);
        assert_eq!(pick(Budget::Ratio(0.01)), [1]);
        // 10 + 3 + 5 = 18 words fit in 18; the second ten-word sentence does not.
        assert_eq!(pick(Budget::Words(18)), [0, 1, 2]);
        assert_eq!(pick(Budget::Words(2)), Vec::<usize>::new());
        assert!(choose_sentences(&[], &[], &graph, Budget::Ratio(0.3), 0.5).is_empty());
    }

    #[test]
    fn redundancy_skips_a_near_duplicate() {
        let graph = SentenceGraph {
            size: 3,
            cosine: vec![1.0, 0.95, 0.0, 0.95, 1.0, 0.0, 0.0, 0.0, 1.0],
            ..SentenceGraph::default()
        };
        let scores = [1.0, 0.9, 0.5];
        let words = [5, 5, 5];
        assert_eq!(
            choose_sentences(&scores, &words, &graph, Budget::Sentences(2), 0.0),
            [0, 1]
        );
        assert_eq!(
            choose_sentences(&scores, &words, &graph, Budget::Sentences(2), 1.0),
            [0, 2]
        );
    }
}
