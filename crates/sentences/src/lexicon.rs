//! What the splitter knows about words: abbreviations by how they behave before the next word,
//! typical sentence openers, and names spelt with an exclamation mark.
//!
//! The knowledge lives in a plain-text lexicon (the built-in English one is
//! `data/english.txt`); users add their own files or entries from the pipeline file. Lookups
//! happen at every candidate period, so words are packed into `u64` keys (up to eight ASCII
//! bytes, lower-cased) held in sorted slices: a binary search over a few hundred integers, with
//! no allocation and no hashing. Longer or non-ASCII words fall back to a `HashMap`.

use std::collections::HashMap;

/// The built-in English lexicon.
pub const ENGLISH: &str = include_str!("../data/english.txt");

/// How an abbreviation behaves before the next word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AbbreviationKind {
    /// Stands before a name ("Dr. Watson"): never ends a sentence before a capitalized word.
    NamePrefix,
    /// Points forward ("e.g.", "vs."): never ends a sentence.
    Continuing,
    /// Stands before a number ("No. 5"); before a word it is an ordinary word.
    NumberPrefix,
    /// May end a sentence ("Inc.", "etc."): does so before a typical sentence opener.
    General,
    /// A unit ("in.", "lbs."): behaves like [`AbbreviationKind::General`] right after a
    /// number, and is an ordinary word elsewhere.
    Unit,
}

/// A lexicon section that does not exist.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: unknown lexicon section `[{section}]`; valid sections: name-prefix, continuing, number-prefix, general, units, sentence-openers, ordinal-markers, emoticons, speech-verbs, exclamation-names")]
pub struct LexiconError {
    /// 1-based line of the header.
    pub line: usize,
    /// The section name as written.
    pub section: String,
}

/// Words keyed by their lower-cased form; short ASCII words live in a sorted slice.
#[derive(Debug, Clone)]
struct WordTable<V: Copy> {
    packed: Vec<(u64, V)>,
    long: HashMap<String, V>,
}

impl<V: Copy> Default for WordTable<V> {
    fn default() -> Self {
        WordTable {
            packed: Vec::new(),
            long: HashMap::new(),
        }
    }
}

impl<V: Copy> WordTable<V> {
    fn insert(&mut self, word: &str, value: V) {
        match pack(word.as_bytes()) {
            Some(key) => match self.packed.binary_search_by_key(&key, |&(k, _)| k) {
                Ok(i) => self.packed[i].1 = value,
                Err(i) => self.packed.insert(i, (key, value)),
            },
            None => {
                self.long.insert(word.to_lowercase(), value);
            }
        }
    }

    fn get(&self, word: &[u8]) -> Option<V> {
        match pack(word) {
            Some(key) => self
                .packed
                .binary_search_by_key(&key, |&(k, _)| k)
                .ok()
                .map(|i| self.packed[i].1),
            None if self.long.is_empty() => None,
            None => {
                let word = std::str::from_utf8(word).ok()?;
                self.long.get(&word.to_lowercase()).copied()
            }
        }
    }

    fn len(&self) -> usize {
        self.packed.len() + self.long.len()
    }
}

/// Packs up to eight ASCII bytes, lower-cased, into one integer; `None` for longer or
/// non-ASCII words (and the empty word).
fn pack(word: &[u8]) -> Option<u64> {
    if word.is_empty() || word.len() > 8 || !word.is_ascii() {
        return None;
    }
    let mut bytes = [0u8; 8];
    for (slot, b) in bytes.iter_mut().zip(word) {
        *slot = b.to_ascii_lowercase();
    }
    Some(u64::from_be_bytes(bytes))
}

/// Everything the splitter looks words up in.
#[derive(Debug, Clone, Default)]
pub struct Lexicon {
    /// Abbreviations written in lower case: they match any case.
    any_case: WordTable<AbbreviationKind>,
    /// Abbreviations written capitalized: they match only capitalized tokens.
    capitalized: WordTable<AbbreviationKind>,
    openers: WordTable<()>,
    ordinal_markers: WordTable<()>,
    emoticons: WordTable<()>,
    speech_verbs: WordTable<()>,
    exclamation_names: WordTable<()>,
}

impl Lexicon {
    /// An empty lexicon.
    pub fn new() -> Self {
        Lexicon::default()
    }

    /// The built-in English lexicon.
    pub fn english() -> Self {
        let mut lexicon = Lexicon::new();
        lexicon
            .add_source(ENGLISH)
            .expect("the built-in lexicon is well-formed");
        lexicon
    }

    /// Adds every entry of a lexicon file's text (the format of `data/english.txt`).
    pub fn add_source(&mut self, source: &str) -> Result<(), LexiconError> {
        let mut section = Section::Abbreviations(AbbreviationKind::General);
        for (number, line) in source.lines().enumerate() {
            let line = line.split('#').next().unwrap_or_default().trim();
            if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
                section = Section::parse(name.trim()).ok_or_else(|| LexiconError {
                    line: number + 1,
                    section: name.trim().to_string(),
                })?;
                continue;
            }
            for entry in line.split_whitespace() {
                self.add(section, entry);
            }
        }
        Ok(())
    }

    /// Adds one abbreviation ("Approx.", "Ph.D."; the final period is optional).
    pub fn add_abbreviation(&mut self, abbreviation: &str, kind: AbbreviationKind) {
        self.add(Section::Abbreviations(kind), abbreviation);
    }

    fn add(&mut self, section: Section, entry: &str) {
        match section {
            Section::Abbreviations(kind) => {
                let word = entry.strip_suffix('.').unwrap_or(entry);
                if word.is_empty() {
                    return;
                }
                if starts_uppercase(word.as_bytes()) {
                    self.capitalized.insert(word, kind);
                } else {
                    self.any_case.insert(word, kind);
                }
            }
            Section::Openers => self.openers.insert(entry, ()),
            Section::OrdinalMarkers => self.ordinal_markers.insert(entry, ()),
            Section::Emoticons => self.emoticons.insert(entry, ()),
            Section::SpeechVerbs => self.speech_verbs.insert(entry, ()),
            Section::ExclamationNames => {
                self.exclamation_names
                    .insert(entry.trim_end_matches('!'), ());
            }
        }
    }

    /// How `word` (without its final period) behaves as an abbreviation, if it is one.
    pub fn abbreviation(&self, word: &[u8]) -> Option<AbbreviationKind> {
        if starts_uppercase(word) {
            if let Some(kind) = self.capitalized.get(word) {
                return Some(kind);
            }
        }
        self.any_case.get(word)
    }

    /// True when the capitalized `word` typically opens a sentence ("The", "However").
    pub fn is_opener(&self, word: &[u8]) -> bool {
        self.openers.get(word).is_some()
    }

    /// True when "<number>." after `word` is an ordinal ("the 1. Bundesliga").
    pub fn marks_ordinal(&self, word: &[u8]) -> bool {
        self.ordinal_markers.get(word).is_some()
    }

    /// True when `word` is a verb of speech ("said", "asked").
    pub fn is_speech_verb(&self, word: &[u8]) -> bool {
        self.speech_verbs.get(word).is_some()
    }

    /// Length of the emoticon token (":)", "^_^") starting at `pos`, when one stands there
    /// alone: followed by whitespace or the end of the text.
    pub fn emoticon_at(&self, bytes: &[u8], pos: usize) -> Option<usize> {
        let rest = bytes.get(pos..)?;
        let len = rest
            .iter()
            .position(u8::is_ascii_whitespace)
            .unwrap_or(rest.len());
        (len >= 2 && self.emoticons.get(&rest[..len]).is_some()).then_some(len)
    }

    /// True when `word` (without its `!`) is a name spelt with an exclamation mark.
    pub fn is_exclamation_name(&self, word: &[u8]) -> bool {
        self.exclamation_names.get(word).is_some()
    }

    /// The number of abbreviations known.
    pub fn abbreviation_count(&self) -> usize {
        self.any_case.len() + self.capitalized.len()
    }
}

#[derive(Debug, Clone, Copy)]
enum Section {
    Abbreviations(AbbreviationKind),
    Openers,
    OrdinalMarkers,
    Emoticons,
    SpeechVerbs,
    ExclamationNames,
}

impl Section {
    fn parse(name: &str) -> Option<Section> {
        Some(match name {
            "name-prefix" => Section::Abbreviations(AbbreviationKind::NamePrefix),
            "continuing" => Section::Abbreviations(AbbreviationKind::Continuing),
            "number-prefix" => Section::Abbreviations(AbbreviationKind::NumberPrefix),
            "general" => Section::Abbreviations(AbbreviationKind::General),
            "units" => Section::Abbreviations(AbbreviationKind::Unit),
            "sentence-openers" => Section::Openers,
            "ordinal-markers" => Section::OrdinalMarkers,
            "emoticons" => Section::Emoticons,
            "speech-verbs" => Section::SpeechVerbs,
            "exclamation-names" => Section::ExclamationNames,
            _ => return None,
        })
    }
}

fn starts_uppercase(word: &[u8]) -> bool {
    word.first().is_some_and(u8::is_ascii_uppercase)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_lexicon_knows_each_kind() {
        let lexicon = Lexicon::english();
        assert_eq!(
            lexicon.abbreviation(b"Dr"),
            Some(AbbreviationKind::NamePrefix)
        );
        assert_eq!(
            lexicon.abbreviation(b"e.g"),
            Some(AbbreviationKind::Continuing)
        );
        assert_eq!(
            lexicon.abbreviation(b"No"),
            Some(AbbreviationKind::NumberPrefix)
        );
        assert_eq!(
            lexicon.abbreviation(b"INC"),
            Some(AbbreviationKind::General)
        );
        assert_eq!(lexicon.abbreviation(b"house"), None);
        assert!(lexicon.abbreviation_count() > 150);
    }

    #[test]
    fn capitalized_entries_need_a_capital() {
        let lexicon = Lexicon::english();
        assert_eq!(
            lexicon.abbreviation(b"Sun"),
            Some(AbbreviationKind::General)
        );
        assert_eq!(lexicon.abbreviation(b"sun"), None);
        // "Ms." is a title; "ms." a manuscript.
        assert_eq!(
            lexicon.abbreviation(b"Ms"),
            Some(AbbreviationKind::NamePrefix)
        );
        assert_eq!(lexicon.abbreviation(b"ms"), Some(AbbreviationKind::General));
    }

    #[test]
    fn long_and_non_ascii_words_are_found() {
        let mut lexicon = Lexicon::new();
        lexicon.add_abbreviation("Intercontinental.", AbbreviationKind::General);
        lexicon.add_abbreviation("Straße.", AbbreviationKind::General);
        assert!(lexicon.abbreviation(b"Intercontinental").is_some());
        assert!(lexicon.abbreviation("Straße".as_bytes()).is_some());
    }

    #[test]
    fn openers_and_exclamation_names() {
        let lexicon = Lexicon::english();
        assert!(lexicon.is_opener(b"The"));
        assert!(!lexicon.is_opener(b"Cat"));
        assert!(lexicon.is_exclamation_name(b"Yahoo"));
        assert_eq!(lexicon.emoticon_at(b"ok :-) then", 3), Some(3));
        assert_eq!(lexicon.emoticon_at(b"ok :-)) then", 3), None);
    }

    #[test]
    fn unknown_sections_are_reported_with_their_line() {
        let error = Lexicon::new()
            .add_source("Inc.\n[titles]\nDr.")
            .unwrap_err();
        assert_eq!(error.line, 2);
        assert_eq!(error.section, "titles");
    }
}
