//! Name lists the model consults as features: which token sequences were names, and of what
//! label, in the training data.
//!
//! A match does not decide anything: it is one feature among many, so "Turkey" in a name list
//! does not make every "turkey" a country. Keys are hashes of the lowercase tokens, so a
//! lookup allocates nothing and headlines in capitals or lowercase web text match too.

use crate::features::{mix, PrehashedMap, TokenFeatures, MAX_LEXICON_TOKENS};
use crate::tags::Label;

/// Set on an entry whose key is also the start of a longer name (or dictionary word).
const CONTINUES: u8 = 0x80;

/// Set on the key of a word of a script without spaces that the training data segmented as
/// one word ("北京市"); name keys use the low four bits, so a key can be both.
const WORD: u8 = 0x10;

/// The key present when the lexicon holds a word dictionary, so that models of spaced
/// scripts (which have none) give character tokens no segmentation features at all.
const HAS_WORDS: u64 = 0x57_0AD5_D1C7_0001;

/// The key present when the lexicon lists the stems of the words of its names.
const HAS_STEMS: u64 = 0x0057_E35D_1C7E_0001;

/// Token sequences with the labels they had as names.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Lexicon {
    entries: PrehashedMap<u8>,
    /// Whether `entries` holds [`HAS_WORDS`], looked up once rather than per sentence.
    has_words: bool,
    /// Whether `entries` holds [`HAS_STEMS`].
    has_stems: bool,
}

/// The key of a word or stem given as its lowercase hash ([`crate::features::hash_text`]);
/// a seed of its own, so it never meets a name's or a word's key.
fn stem_key(hash: u64) -> u64 {
    mix(0x57E3, hash)
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
        self.insert_sequence(lowers, 1 << label as u8);
        // Which words begin and end names of which label, so "Chuck" alone reads as a
        // first name even when "Chuck" never was a whole name.
        let (first, last) = (lowers[0], lowers[lowers.len() - 1]);
        *self.entries.entry(word_key(first)).or_default() |= 1 << label as u8;
        *self.entries.entry(word_key(last)).or_default() |= 0x10 << label as u8;
    }

    /// Lists a word of a name of label `label` under its lowercase form `lower` and its
    /// stems ([`crate::features::stem_hashes`]), so that other forms of the word find the
    /// label ([`Lexicon::stem_labels`]).
    pub fn insert_stems(&mut self, lower: u64, stems: [u64; 3], label: Label) {
        let stems = stems.into_iter().filter(|&hash| hash != 0);
        for hash in std::iter::once(lower).chain(stems) {
            *self.entries.entry(stem_key(hash)).or_default() |= 1 << label as u8;
        }
        self.entries.insert(HAS_STEMS, 1);
        self.has_stems = true;
    }

    /// The labels (bit `k` for label `k`) of the name words that share the word `lower` or
    /// one of its `stems` as a form or stem of theirs.
    pub fn stem_labels(&self, lower: u64, stems: [u64; 3]) -> u8 {
        let stems = stems.into_iter().filter(|&hash| hash != 0);
        std::iter::once(lower).chain(stems).fold(0, |labels, hash| {
            labels
                | self
                    .entries
                    .get(&stem_key(hash))
                    .map_or(0, |&bits| bits & 0x0f)
        })
    }

    /// True when the lexicon lists stems (see [`Lexicon::insert_stems`]).
    pub fn has_stems(&self) -> bool {
        self.has_stems
    }

    /// Adds a word of a script without spaces, given as its characters' lowercase hashes,
    /// to the word dictionary that [`Lexicon::annotate`] segments sentences with. Single
    /// characters and words longer than [`MAX_LEXICON_TOKENS`] are skipped.
    pub fn insert_word(&mut self, lowers: &[u64]) {
        if lowers.len() < 2 || lowers.len() > MAX_LEXICON_TOKENS {
            return;
        }
        self.insert_sequence(lowers, WORD);
        self.entries.insert(HAS_WORDS, 1);
        self.has_words = true;
    }

    /// Marks every proper prefix of `lowers` as continuing and the whole sequence with
    /// `bits`, so a left-to-right match knows when to keep reading and what it found.
    fn insert_sequence(&mut self, lowers: &[u64], bits: u8) {
        for n in 1..lowers.len() {
            *self
                .entries
                .entry(sequence_key(lowers[..n].iter().copied()))
                .or_default() |= CONTINUES;
        }
        *self
            .entries
            .entry(sequence_key(lowers.iter().copied()))
            .or_default() |= bits;
    }

    /// True when the lexicon holds a word dictionary (see [`Lexicon::insert_word`]).
    pub fn has_words(&self) -> bool {
        self.has_words
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
        let entries: PrehashedMap<u8> = entries.into_iter().collect();
        Lexicon {
            has_words: entries.contains_key(&HAS_WORDS),
            has_stems: entries.contains_key(&HAS_STEMS),
            entries,
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
        // A model with a word dictionary cuts runs of character tokens into words as well:
        // the walk from each token that finds the longest name also finds the longest
        // dictionary word, as both follow the same keys from the same start (a walk of its
        // own repeated every look-up for Chinese, whose every token starts both).
        let segmenting = self.has_words() && sentence.iter().any(|t| t.character);
        if segmenting {
            for token in sentence.iter_mut() {
                token.segment = 0;
                token.segment_word = 0;
                token.word_lengths = 0;
            }
        }
        for start in 0..sentence.len() {
            let mut key = sequence_key([]);
            let mut longest: Option<(usize, u8)> = None;
            // A dictionary word is a run of character tokens from a character token.
            let mut in_word = segmenting && sentence[start].character;
            let mut longest_word = 1;
            let end = (start + MAX_LEXICON_TOKENS).min(sentence.len());
            for (offset, token) in sentence[start..end].iter_mut().enumerate() {
                let position = start + offset;
                in_word &= token.character;
                key = mix(key, token.lower);
                let Some(&value) = self.entries.get(&key) else {
                    break;
                };
                if value & 0x0f != 0 {
                    longest = Some((position + 1, value & 0x0f));
                }
                let length = offset as u8 + 1;
                if in_word && value & WORD != 0 && length >= 2 {
                    longest_word = length;
                    let ending = &mut token.word_lengths;
                    *ending = (*ending & 0xf0) | (*ending & 0x0f).max(length);
                }
                if value & CONTINUES == 0 {
                    break;
                }
            }
            if segmenting && sentence[start].character {
                sentence[start].word_lengths |= longest_word << 4;
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
        if segmenting {
            Lexicon::cut_words(sentence);
        }
    }
}

impl Lexicon {
    /// Cuts the runs of character tokens of `sentence` into dictionary words by forward
    /// maximum matching (the longest dictionary word at each point, else one character) and
    /// records each character's place in its word and the word ([`TokenFeatures::segment`]),
    /// from the lengths of the longest dictionary words that start and end at each
    /// character, which [`Lexicon::annotate`] found.
    ///
    /// A character tagger sees "北", "京", "市" and must learn from context alone that they
    /// make one word; the training data's own segmentation knows it. Maximum matching is the
    /// crudest segmenter there is, but as features its mistakes are only evidence, and the
    /// lengths of the longest words at each point let the model weigh the alternatives.
    fn cut_words(sentence: &mut [TokenFeatures]) {
        let mut start = 0;
        while start < sentence.len() {
            if !sentence[start].character {
                start += 1;
                continue;
            }
            let length = (sentence[start].word_lengths >> 4).max(1) as usize;
            let word = sequence_key(sentence[start..start + length].iter().map(|t| t.lower));
            for (n, token) in sentence[start..start + length].iter_mut().enumerate() {
                let place = match (n, length) {
                    (_, 1) => 1,
                    (0, _) => 2,
                    (n, l) if n + 1 == l => 3,
                    _ => 4,
                };
                token.segment = place | (length as u8) << 3;
                token.segment_word = word;
            }
            start += length;
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

    #[test]
    fn other_forms_of_a_name_word_find_its_label_by_stem() {
        use crate::features::stem_hashes;
        let listed = |words: &[(&str, Label)]| {
            let mut lexicon = Lexicon::new();
            for &(word, label) in words {
                lexicon.insert_stems(TokenFeatures::of(word).lower, stem_hashes(word), label);
            }
            lexicon
        };
        let lexicon = listed(&[
            ("Holding", Label::Org),
            ("Audi", Label::Org),
            ("HDZ", Label::Org),
            ("Zagreb", Label::Loc),
        ]);
        assert!(lexicon.has_stems());
        let labels =
            |word: &str| lexicon.stem_labels(TokenFeatures::of(word).lower, stem_hashes(word));
        let (org, loc) = (1 << Label::Org as u8, 1 << Label::Loc as u8);
        // A case ending on the listed form, on an acronym after a hyphen, the form itself
        // in capitals, and a listed stem of the word ("Zagrebu" and "Zagreba" share "zagreb").
        assert_eq!(labels("Holdinga"), org);
        assert_eq!(labels("Audija"), org);
        assert_eq!(labels("HDZ-a"), org);
        assert_eq!(labels("ZAGREB"), loc);
        assert_eq!(labels("Zagrebu"), loc);
        // Words that share no stem of four chars or more with a listed word.
        assert_eq!(labels("Hold"), 0);
        assert_eq!(labels("Split"), 0);
        // A lexicon without stems finds none and says so, also after a round trip.
        assert!(!Lexicon::new().has_stems());
        assert!(Lexicon::from_entries(lexicon.entries()).has_stems());
    }

    #[test]
    fn character_runs_are_cut_into_dictionary_words() {
        let lowers =
            |words: &[&str]| -> Vec<u64> { sentence(words).iter().map(|t| t.lower).collect() };
        let mut tokens = sentence(&["在", "北", "京", "市", "工", "作", "2005"]);
        let mut lexicon = Lexicon::new();
        lexicon.insert(&lowers(&["北", "京"]), Label::Loc);
        lexicon.annotate(&mut tokens);
        assert!(
            tokens.iter().all(|t| t.segment == 0),
            "no dictionary, no segmentation"
        );
        for word in [&["北", "京"][..], &["北", "京", "市"], &["工", "作"]] {
            lexicon.insert_word(&lowers(word));
        }
        assert!(lexicon.has_words());
        lexicon.annotate(&mut tokens);
        let places: Vec<u8> = tokens.iter().map(|t| t.segment & 7).collect();
        assert_eq!(places, [1, 2, 4, 3, 2, 3, 0]);
        let lengths: Vec<u8> = tokens.iter().map(|t| t.segment >> 3).collect();
        assert_eq!(lengths, [1, 3, 3, 3, 2, 2, 0]);
        assert_eq!(tokens[1].segment_word, tokens[3].segment_word);
        assert_ne!(tokens[1].segment_word, tokens[4].segment_word);
        // 北 starts a word of three; 京 ends one of two, 市 one of three.
        assert_eq!(tokens[1].word_lengths >> 4, 3);
        assert_eq!(tokens[2].word_lengths & 0x0f, 2);
        assert_eq!(tokens[3].word_lengths & 0x0f, 3);
        // The name lexicon still marks the name inside the longer word.
        assert_ne!(tokens[1].lexicon, 0);
    }
}
