//! What unlabeled text tells the model about single words: how often a word is capitalized
//! in the middle of a sentence (names almost always are; "The" or "Tuesday's" cousins not
//! always), and which distributional cluster it falls in.
//!
//! The capitalization statistic is what lets the tagger read a sentence-initial or
//! all-caps-headline word: "Iraq" at the start of a sentence is still a name because it is
//! capitalized everywhere else, while "Protesters" is not.

use crate::features::{PrehashedMap, TokenFeatures};

/// Per-word lookups learned from unlabeled text, keyed by the lowercase form's hash.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct WordTables {
    /// [`CaseCounter::finish`] codes.
    pub(crate) case_stats: PrehashedMap<u8>,
    /// Word cluster paths (see [`crate::clusters`]).
    pub(crate) clusters: PrehashedMap<u32>,
}

impl WordTables {
    /// Fills [`TokenFeatures::case_stat`] and [`TokenFeatures::cluster`].
    pub fn annotate(&self, tokens: &mut [TokenFeatures]) {
        for token in tokens {
            token.case_stat = self.case_stats.get(&token.lower).copied().unwrap_or(0);
            token.cluster = self.clusters.get(&token.lower).copied().unwrap_or(0);
        }
    }

    /// Number of words with a capitalization statistic.
    pub fn case_stat_words(&self) -> usize {
        self.case_stats.len()
    }

    /// Number of words with a cluster.
    pub fn cluster_words(&self) -> usize {
        self.clusters.len()
    }
}

/// Counts, for every word seen inside a sentence (not first), how often it was capitalized.
#[derive(Debug, Default)]
pub struct CaseCounter {
    counts: PrehashedMap<(u32, u32)>,
}

impl CaseCounter {
    /// A counter with nothing counted.
    pub fn new() -> Self {
        CaseCounter::default()
    }

    /// Counts one sentence of tokens. Headline sentences (mostly capitals) say nothing about
    /// a word's case and are skipped.
    pub fn add_sentence<'a>(&mut self, tokens: impl IntoIterator<Item = &'a str>) {
        let mut features: Vec<TokenFeatures> = tokens.into_iter().map(TokenFeatures::of).collect();
        crate::features::mark_sentence(&mut features);
        for token in features.iter().skip(1) {
            use crate::features::flag;
            if token.flags & flag::CAPS_SENTENCE != 0 {
                return;
            }
            if token.flags & (flag::INIT_CAP | flag::LOWER) == 0 {
                continue;
            }
            let entry = self.counts.entry(token.lower).or_default();
            entry.0 += token.is_capitalized() as u32;
            entry.1 += 1;
        }
    }

    /// The statistics of words seen at least `min_count` times, as codes: a capitalization
    /// ratio bucket (0-4) times 3 plus a frequency bucket (0-2), plus one so 0 means unknown.
    pub fn finish(self, min_count: u32) -> PrehashedMap<u8> {
        self.counts
            .into_iter()
            .filter(|&(_, (_, total))| total >= min_count)
            .map(|(word, (capitalized, total))| {
                let ratio = capitalized as f64 / total as f64;
                let ratio_bucket = match ratio {
                    r if r < 0.05 => 0,
                    r if r < 0.3 => 1,
                    r if r < 0.7 => 2,
                    r if r < 0.95 => 3,
                    _ => 4,
                };
                let frequency_bucket = match total {
                    0..=9 => 0,
                    10..=99 => 1,
                    _ => 2,
                };
                (word, 1 + ratio_bucket * 3 + frequency_bucket)
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_common_words_get_different_codes() {
        let mut counter = CaseCounter::new();
        for _ in 0..3 {
            counter.add_sentence("Troops came to Baghdad on Friday".split(' '));
            counter.add_sentence("Protesters said the troops left".split(' '));
        }
        let stats = counter.finish(2);
        let code = |w: &str| stats.get(&TokenFeatures::of(w).lower).copied();
        assert_eq!(code("Baghdad"), Some(1 + 4 * 3));
        assert_eq!(code("troops"), Some(1));
        assert_eq!(code("the"), Some(1));
        assert_eq!(code("Protesters"), None, "only counted inside sentences");
    }
}
