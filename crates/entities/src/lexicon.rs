//! Name lists the model consults as features: which token sequences were names, and of what
//! label, in the training data.
//!
//! A match does not decide anything: it is one feature among many, so "Turkey" in a name list
//! does not make every "turkey" a country. Keys are hashes of the lowercase tokens, so a
//! lookup allocates nothing and headlines in capitals or lowercase web text match too.

use crate::features::{mix, PrehashedMap, TokenFeatures, MAX_LEXICON_TOKENS};
use crate::tags::Label;

/// Set on an entry whose key is also the start of a longer name.
const CONTINUES: u8 = 0x80;

/// Token sequences with the labels they had as names.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Lexicon {
    entries: PrehashedMap<u8>,
}

/// The key under which one word's [`TokenFeatures::name_part`] bits are stored; a
/// different seed than [`sequence_key`], so it never meets a name's key.
fn word_key(lower: u64) -> u64 {
    mix(0x3A_11_CE, lower)
}

/// The key of a sequence of lowercase token hashes.
fn sequence_key(lowers: impl IntoIterator<Item = u64>) -> u64 {
    lowers.into_iter().fold(0x1E_C5, mix)
}

impl Lexicon {
    /// An empty lexicon.
    pub fn new() -> Self {
        Lexicon::default()
    }

    /// Adds a name given as its tokens' lowercase hashes ([`TokenFeatures::lower`]).
    /// Names longer than [`MAX_LEXICON_TOKENS`] are skipped.
    pub fn insert(&mut self, lowers: &[u64], label: Label) {
        if lowers.is_empty() || lowers.len() > MAX_LEXICON_TOKENS {
            return;
        }
        for n in 1..lowers.len() {
            *self
                .entries
                .entry(sequence_key(lowers[..n].iter().copied()))
                .or_default() |= CONTINUES;
        }
        *self
            .entries
            .entry(sequence_key(lowers.iter().copied()))
            .or_default() |= 1 << label as u8;
        // Which words begin and end names of which label, so "Chuck" alone reads as a
        // first name even when "Chuck" never was a whole name.
        let (first, last) = (lowers[0], lowers[lowers.len() - 1]);
        *self.entries.entry(word_key(first)).or_default() |= 1 << label as u8;
        *self.entries.entry(word_key(last)).or_default() |= 0x10 << label as u8;
    }

    /// Number of stored keys (names and their prefixes).
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True when nothing is stored.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The raw entries, for serialization.
    pub(crate) fn entries(&self) -> impl Iterator<Item = (u64, u8)> + '_ {
        self.entries.iter().map(|(&k, &v)| (k, v))
    }

    /// Rebuilds a lexicon from serialized entries.
    pub(crate) fn from_entries(entries: impl IntoIterator<Item = (u64, u8)>) -> Self {
        Lexicon {
            entries: entries.into_iter().collect(),
        }
    }

    /// Sets [`TokenFeatures::lexicon`] for the tokens of one sentence: at each start, the
    /// longest listed name marks its first token with "begins label" bits and the rest with
    /// "continues label" bits.
    pub fn annotate(&self, sentence: &mut [TokenFeatures]) {
        for token in sentence.iter_mut() {
            token.lexicon = 0;
            token.name_part = self
                .entries
                .get(&word_key(token.lower))
                .copied()
                .unwrap_or(0);
        }
        if self.entries.is_empty() {
            return;
        }
        for start in 0..sentence.len() {
            let mut key = sequence_key([]);
            let mut longest: Option<(usize, u8)> = None;
            let window = &sentence[start..(start + MAX_LEXICON_TOKENS).min(sentence.len())];
            for (length, token) in window.iter().enumerate() {
                let end = start + length;
                key = mix(key, token.lower);
                let Some(&value) = self.entries.get(&key) else {
                    break;
                };
                if value & 0x0f != 0 {
                    longest = Some((end + 1, value & 0x0f));
                }
                if value & CONTINUES == 0 {
                    break;
                }
            }
            let Some((end, labels)) = longest else {
                continue;
            };
            for bit in 0..4u8 {
                if labels & (1 << bit) != 0 {
                    sentence[start].lexicon |= 1 << (2 * bit);
                    for token in &mut sentence[start + 1..end] {
                        token.lexicon |= 1 << (2 * bit + 1);
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sentence(words: &[&str]) -> Vec<TokenFeatures> {
        words.iter().map(|w| TokenFeatures::of(w)).collect()
    }

    #[test]
    fn marks_the_longest_name() {
        let mut lexicon = Lexicon::new();
        let lowers =
            |words: &[&str]| -> Vec<u64> { sentence(words).iter().map(|t| t.lower).collect() };
        lexicon.insert(&lowers(&["new", "york"]), Label::Loc);
        lexicon.insert(&lowers(&["new", "york", "times"]), Label::Org);
        let mut tokens = sentence(&["The", "NEW", "York", "Times", "said"]);
        lexicon.annotate(&mut tokens);
        let bits: Vec<u8> = tokens.iter().map(|t| t.lexicon).collect();
        let org = Label::Org as u8;
        assert_eq!(bits, [0, 1 << (2 * org), 2 << (2 * org), 2 << (2 * org), 0]);
    }
}
