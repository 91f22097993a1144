//! What the splitter knows about words: abbreviations by how they behave before the next word,
//! typical sentence openers, and names spelt with an exclamation mark.
//!
//! The knowledge lives in plain-text lexicons, one per language (`data/<lang>.txt`, on top of
//! `data/common.txt` which every language shares); users add their own files or entries from
//! the pipeline file. Built-in lexicons are embedded in the binary and parsed when a splitter
//! is built, once per stage. Lookups
//! happen at every candidate period, so words are packed into `u64` keys (up to eight ASCII
//! bytes, lower-cased) held in sorted slices: a binary search over a few hundred integers, with
//! no allocation and no hashing. Longer or non-ASCII words fall back to a `HashMap`.

use std::collections::HashMap;

/// The built-in English lexicon.
pub const ENGLISH: &str = include_str!("../data/english.txt");

/// What every built-in language shares: emoticons, and the symbols of international text.
pub const COMMON: &str = include_str!("../data/common.txt");

/// The languages with a built-in lexicon (ISO 639-1 codes), in the order the docs list them.
pub const LANGUAGES: [&str; 16] = [
    "en", "de", "fr", "es", "it", "pt", "nl", "pl", "ru", "cs", "sv", "da", "tr", "ar", "zh", "ja",
];

/// The built-in lexicon text of `lang` (a primary language subtag), without [`COMMON`].
pub fn builtin_source(lang: &str) -> Option<&'static str> {
    Some(match lang {
        "en" => ENGLISH,
        "de" => include_str!("../data/de.txt"),
        "fr" => include_str!("../data/fr.txt"),
        "es" => include_str!("../data/es.txt"),
        "it" => include_str!("../data/it.txt"),
        "pt" => include_str!("../data/pt.txt"),
        "nl" => include_str!("../data/nl.txt"),
        "pl" => include_str!("../data/pl.txt"),
        "ru" => include_str!("../data/ru.txt"),
        "cs" => include_str!("../data/cs.txt"),
        "sv" => include_str!("../data/sv.txt"),
        "da" => include_str!("../data/da.txt"),
        "tr" => include_str!("../data/tr.txt"),
        "ar" => include_str!("../data/ar.txt"),
        "zh" => include_str!("../data/zh.txt"),
        "ja" => include_str!("../data/ja.txt"),
        _ => return None,
    })
}

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
#[error("line {line}: unknown lexicon {what} `{name}`; valid: {valid}")]
pub struct LexiconError {
    /// 1-based line of the header.
    pub line: usize,
    /// What is unknown: `section` or `rule`.
    pub what: &'static str,
    /// The section or rule name as written.
    pub name: String,
    /// The names that would have been valid.
    pub valid: &'static str,
}

const SECTIONS: &str = "name-prefix, continuing, number-prefix, general, units, \
    sentence-openers, headline-openers, street-suffixes, ordinal-markers, emoticons, \
    speech-verbs, exclamation-names, rules";

const RULES: &str = "ordinal-numbers, colon-quotes, colon-capitals, lowercase-continues";

/// Behaviours of a language that are rules rather than words, switched on in a lexicon's
/// `[rules]` section.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LanguageRules {
    /// `ordinal-numbers`: a short number with a period is an ordinal unless a sentence opener
    /// follows ("am 3. Oktober", "den 5. maj", "1. září"); languages that write ordinals so.
    pub ordinal_numbers: bool,
    /// `colon-quotes`: a colon before a quotation that opens with a capital ends a sentence
    /// (`explicou: «Sobral ...`), as the Portuguese and Italian treebanks read quoted speech.
    pub colon_quotes: bool,
    /// `colon-capitals`: a colon before any capitalized word ends a sentence.
    pub colon_capitals: bool,
    /// `lowercase-continues`: a terminator before a lower-case word never ends a sentence
    /// (an abbreviation the lexicon lacks, a quoted question before its speech verb: "Kim?
    /// diye sordu"). Edited text in most languages starts every sentence with a capital;
    /// English web text often does not, so English leaves this off.
    pub lowercase_continues: bool,
}

/// Words keyed by their lower-cased form. Short ASCII words are packed into `u64` keys in an
/// open-addressing table at most a quarter full, so a lookup is one multiply, a shift and
/// usually a single comparison; longer or non-ASCII words fall back to a `HashMap`.
#[derive(Debug, Clone)]
struct WordTable<V: Copy> {
    /// Power-of-two sized; key 0 marks an empty slot (no packed word is 0).
    slots: Vec<(u64, V)>,
    packed_len: usize,
    long: HashMap<String, V>,
    /// Bytes of the longest entry in `long`, so most long words are refused by their length.
    longest: usize,
}

impl<V: Copy> Default for WordTable<V> {
    fn default() -> Self {
        WordTable {
            slots: Vec::new(),
            packed_len: 0,
            long: HashMap::new(),
            longest: 0,
        }
    }
}

impl<V: Copy> WordTable<V> {
    fn insert(&mut self, word: &str, value: V) {
        // Entries are stored folded, so "İst." lands on the packed key of "ist" and matches
        // "Ist.", "IST." and "ist." alike.
        let folded = fold_case(word);
        let Some(key) = pack(folded.as_bytes()) else {
            self.longest = self.longest.max(folded.len());
            self.long.insert(folded, value);
            return;
        };
        if (self.packed_len + 1) * 4 > self.slots.len() {
            self.grow(value);
        }
        let slot = self.find_slot(key);
        if self.slots[slot].0 == 0 {
            self.packed_len += 1;
        }
        self.slots[slot] = (key, value);
    }

    fn grow(&mut self, filler: V) {
        let old = std::mem::take(&mut self.slots);
        let capacity = ((self.packed_len + 1) * 8).next_power_of_two().max(16);
        self.slots = vec![(0, filler); capacity];
        for (key, value) in old.into_iter().filter(|&(key, _)| key != 0) {
            let slot = self.find_slot(key);
            self.slots[slot] = (key, value);
        }
    }

    /// The slot holding `key`, or the empty slot where it would go.
    fn find_slot(&self, key: u64) -> usize {
        let mask = self.slots.len() - 1;
        let bits = self.slots.len().trailing_zeros();
        let mut slot = (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - bits)) as usize;
        while self.slots[slot].0 != 0 && self.slots[slot].0 != key {
            slot = (slot + 1) & mask;
        }
        slot
    }

    fn get(&self, word: &[u8]) -> Option<V> {
        if let Some(key) = pack(word) {
            return self.get_packed(key);
        }
        // An ASCII word longer than eight bytes folds to itself, so it can only be a long
        // entry; folding at most halves a non-ASCII word (İ and ı are two bytes, i one), which
        // may then pack. Either way most long words are refused by their length alone.
        let too_long = if word.is_ascii() {
            word.len() > self.longest
        } else {
            word.len() > 2 * self.longest.max(8)
        };
        if too_long {
            return None;
        }
        let word = std::str::from_utf8(word).ok()?;
        if folds_to_itself(word.as_bytes()) {
            // Neither packable (non-ASCII, or ASCII past eight bytes) nor changed by folding:
            // the word is its own key. Most words of Arabic text come here.
            return self.long.get(word).copied();
        }
        let mut buffer = [0u8; FOLDED_WORD_BYTES];
        let folded = fold_case_into(word, &mut buffer)?;
        match pack(folded.as_bytes()) {
            Some(key) => self.get_packed(key),
            None => self.long.get(folded).copied(),
        }
    }

    fn get_packed(&self, key: u64) -> Option<V> {
        if self.slots.is_empty() {
            return None;
        }
        let (found, value) = self.slots[self.find_slot(key)];
        (found == key).then_some(value)
    }

    fn len(&self) -> usize {
        self.packed_len + self.long.len()
    }
}

/// Lower case with the Turkish dotted and dotless i folded onto `i`, so "İst.", "ist." and
/// "Ist." are one entry whichever convention wrote them (plain lower-casing turns "İ" into
/// "i" plus a combining dot, and leaves "ı" apart from "i").
fn fold_case(word: &str) -> String {
    word.chars()
        .flat_map(char::to_lowercase)
        .filter(|&c| c != '\u{307}')
        .map(|c| if c == 'ı' { 'i' } else { c })
        .collect()
}

/// True when [`fold_case`] leaves `word` as it is, judged by its bytes alone: no ASCII capital,
/// and every other character from the caseless Hebrew and Arabic blocks (U+05C0..U+06FF, lead
/// bytes 0xD7..=0xDB). Decoding and folding each character costs more than the rest of a
/// decision in Arabic text, where every word looked up is like this.
fn folds_to_itself(word: &[u8]) -> bool {
    word.iter()
        .all(|&b| (b < 0xC0 && !b.is_ascii_uppercase()) || (0xD7..=0xDB).contains(&b))
}

/// Longest folded word looked up in the long-word map; a longer one is in no lexicon.
const FOLDED_WORD_BYTES: usize = 64;

/// [`fold_case`] into a buffer on the stack, since lookups happen at every candidate and most
/// words of Cyrillic, Arabic or Greek text take this path; `None` when it does not fit.
fn fold_case_into<'b>(word: &str, buffer: &'b mut [u8; FOLDED_WORD_BYTES]) -> Option<&'b str> {
    let mut len = 0;
    for c in word.chars().flat_map(lowercase) {
        let c = match c {
            '\u{307}' => continue,
            'ı' => 'i',
            c => c,
        };
        let encoded = c.len_utf8();
        if len + encoded > FOLDED_WORD_BYTES {
            return None;
        }
        c.encode_utf8(&mut buffer[len..]);
        len += encoded;
    }
    std::str::from_utf8(&buffer[..len]).ok()
}

/// The lower case of `c`, with the letters of Latin-1 and basic Cyrillic mapped directly:
/// lookups fold a word at every candidate, and the general Unicode tables cost more than the
/// rest of the decision in Russian or Czech text.
fn lowercase(c: char) -> impl Iterator<Item = char> {
    let direct = match c {
        // Lower case already, or scripts without case (Hebrew, Arabic, kana, Han).
        'a'..='z' | 'à'..='ÿ' | 'а'..='я' | '\u{590}'..='\u{8FF}' | '\u{3040}'..='\u{9FFF}' => {
            Some(c)
        }
        'A'..='Z' | 'À'..='Ö' | 'Ø'..='Þ' | 'А'..='Я' => char::from_u32(c as u32 + 0x20),
        // Latin Extended-A (Czech, Polish, Turkish...): pairs of capital and small letter.
        '\u{100}'..='\u{12F}' | '\u{132}'..='\u{137}' | '\u{14A}'..='\u{177}' => {
            char::from_u32(c as u32 | 1)
        }
        '\u{139}'..='\u{148}' | '\u{179}'..='\u{17E}' => char::from_u32(c as u32 + (c as u32 & 1)),
        _ => None,
    };
    let general = match direct {
        Some(_) => None,
        None => Some(c.to_lowercase()),
    };
    direct.into_iter().chain(general.into_iter().flatten())
}

/// Packs up to eight ASCII bytes, lower-cased, into one integer; `None` for longer or
/// non-ASCII words (and the empty word).
fn pack(word: &[u8]) -> Option<u64> {
    if word.is_empty() || word.len() > 8 || !word.is_ascii() || word[0] == 0 {
        return None;
    }
    let mut bytes = [0u8; 8];
    for (slot, b) in bytes.iter_mut().zip(word) {
        *slot = b.to_ascii_lowercase();
    }
    Some(u64::from_be_bytes(bytes))
}

/// Everything the splitter looks words up in.
#[derive(Debug, Clone)]
pub struct Lexicon {
    /// Abbreviations written in lower case: they match any case.
    any_case: WordTable<AbbreviationKind>,
    /// Abbreviations written capitalized: they match only capitalized tokens.
    capitalized: WordTable<AbbreviationKind>,
    openers: WordTable<()>,
    ordinal_markers: WordTable<()>,
    emoticons: WordTable<()>,
    /// Length in bytes of the longest emoticon, so looking for the end of one never scans
    /// further than that (a page without whitespace would otherwise be scanned to its end at
    /// every candidate position).
    longest_emoticon: usize,
    /// First bytes of the emoticons, so most positions are rejected without a lookup.
    emoticon_starts: [bool; 256],
    speech_verbs: WordTable<()>,
    exclamation_names: WordTable<()>,
    headline_openers: WordTable<()>,
    street_suffixes: WordTable<()>,
    rules: LanguageRules,
}

impl Default for Lexicon {
    fn default() -> Self {
        Lexicon {
            any_case: WordTable::default(),
            capitalized: WordTable::default(),
            openers: WordTable::default(),
            ordinal_markers: WordTable::default(),
            emoticons: WordTable::default(),
            longest_emoticon: 0,
            emoticon_starts: [false; 256],
            speech_verbs: WordTable::default(),
            exclamation_names: WordTable::default(),
            headline_openers: WordTable::default(),
            street_suffixes: WordTable::default(),
            rules: LanguageRules::default(),
        }
    }
}

impl Lexicon {
    /// An empty lexicon.
    pub fn new() -> Self {
        Lexicon::default()
    }

    /// The built-in English lexicon.
    pub fn english() -> Self {
        Lexicon::builtin("en").expect("English is built in")
    }

    /// The built-in lexicon of `lang` (a primary language subtag: `de`, `zh`), or `None` for a
    /// language without one (see [`LANGUAGES`]).
    pub fn builtin(lang: &str) -> Option<Self> {
        let source = builtin_source(lang)?;
        let mut lexicon = Lexicon::new();
        for text in [COMMON, source] {
            lexicon
                .add_source(text)
                .expect("the built-in lexicons are well-formed");
        }
        Some(lexicon)
    }

    /// The language's rules switched on by `[rules]` sections.
    pub fn rules(&self) -> LanguageRules {
        self.rules
    }

    /// Adds every entry of a lexicon file's text (the format of `data/english.txt`).
    pub fn add_source(&mut self, source: &str) -> Result<(), LexiconError> {
        let mut section = Section::Abbreviations(AbbreviationKind::General);
        for (number, line) in source.lines().enumerate() {
            let line = line.split('#').next().unwrap_or_default().trim();
            if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
                section = Section::parse(name.trim()).ok_or_else(|| LexiconError {
                    line: number + 1,
                    what: "section",
                    name: name.trim().to_string(),
                    valid: SECTIONS,
                })?;
                continue;
            }
            for entry in line.split_whitespace() {
                if let Section::Rules = section {
                    self.switch_on(entry).ok_or_else(|| LexiconError {
                        line: number + 1,
                        what: "rule",
                        name: entry.to_string(),
                        valid: RULES,
                    })?;
                } else {
                    self.add(section, entry);
                }
            }
        }
        Ok(())
    }

    /// Adds one abbreviation ("Approx.", "Ph.D."; the final period is optional).
    pub fn add_abbreviation(&mut self, abbreviation: &str, kind: AbbreviationKind) {
        self.add(Section::Abbreviations(kind), abbreviation);
    }

    fn switch_on(&mut self, rule: &str) -> Option<()> {
        match rule {
            "ordinal-numbers" => self.rules.ordinal_numbers = true,
            "colon-quotes" => self.rules.colon_quotes = true,
            "colon-capitals" => self.rules.colon_capitals = true,
            "lowercase-continues" => self.rules.lowercase_continues = true,
            _ => return None,
        }
        Some(())
    }

    fn add(&mut self, section: Section, entry: &str) {
        match section {
            Section::Rules => {}
            Section::HeadlineOpeners => self.headline_openers.insert(entry, ()),
            Section::StreetSuffixes => {
                self.street_suffixes
                    .insert(entry.strip_suffix('.').unwrap_or(entry), ());
            }
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
            Section::Emoticons => {
                self.emoticons.insert(entry, ());
                self.longest_emoticon = self.longest_emoticon.max(entry.len());
                for first in [
                    entry.as_bytes()[0],
                    entry.as_bytes()[0].to_ascii_lowercase(),
                ] {
                    self.emoticon_starts[first as usize] = true;
                }
            }
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

    /// True when the capitalized `word` typically opens a sentence ("The", "However"); an
    /// elided article or pronoun counts with what follows it ("L'homme", "J’ai" by "L'", "J'").
    pub fn is_opener(&self, word: &[u8]) -> bool {
        if self.openers.get(word).is_some() {
            return true;
        }
        let elided = match word.iter().position(|&b| b == b'\'' || b == 0xE2) {
            Some(at) if at > 0 && (word[at] == b'\'' || word[at..].starts_with("’".as_bytes())) => {
                at
            }
            _ => return false,
        };
        let mut prefix = word[..elided].to_vec();
        prefix.push(b'\'');
        self.openers.get(&prefix).is_some()
    }

    /// True when the capitalized `word`, right after a lower-case word with no punctuation
    /// between them, starts a new sentence: an article or pronoun that the language writes in
    /// lower case inside a sentence, so its capital means an unpunctuated headline ended
    /// ("... das transformações Já não é correto").
    pub fn is_headline_opener(&self, word: &[u8]) -> bool {
        self.headline_openers.get(word).is_some()
    }

    /// True when `word` (without its period) ends a street name ("Main St.", "Sunset Blvd."):
    /// after a capitalized word it is the end of an address, which may end a sentence, even
    /// when the same abbreviation before a name is a title ("St. Louis", "Dr. Watson").
    pub fn is_street_suffix(&self, word: &[u8]) -> bool {
        self.street_suffixes.get(word).is_some()
    }

    /// True when the lexicon lists any headline openers.
    pub fn has_headline_openers(&self) -> bool {
        self.headline_openers.len() > 0
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
        if !self.emoticon_starts[usize::from(*rest.first()?)] {
            return None;
        }
        // One byte past the longest emoticon is enough to tell that a token is longer.
        let window = &rest[..rest.len().min(self.longest_emoticon + 1)];
        let len = window
            .iter()
            .position(u8::is_ascii_whitespace)
            .unwrap_or(window.len());
        if len > self.longest_emoticon {
            return None;
        }
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
    HeadlineOpeners,
    StreetSuffixes,
    Rules,
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
            "headline-openers" => Section::HeadlineOpeners,
            "street-suffixes" => Section::StreetSuffixes,
            "rules" => Section::Rules,
            _ => return None,
        })
    }
}

fn starts_uppercase(word: &[u8]) -> bool {
    match word.first() {
        Some(b) if b.is_ascii() => b.is_ascii_uppercase(),
        Some(_) => std::str::from_utf8(&word[..word.len().min(4)])
            .or_else(|error| std::str::from_utf8(&word[..error.valid_up_to()]))
            .ok()
            .and_then(|s| s.chars().next())
            .is_some_and(char::is_uppercase),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_said_to_fold_to_themselves_do() {
        let caseless = ["قال", "د", "שלום", "abbreviation", "م.ع", "وقال123"];
        for word in caseless {
            assert!(folds_to_itself(word.as_bytes()), "{word}");
            assert_eq!(fold_case(word), word);
        }
        // Anything with a capital, a cased non-ASCII letter or the Turkish i takes the full fold.
        for word in ["Dr", "straße", "İst", "ıi", "Москва", "ΑΘΗΝΑ", "日本"] {
            assert!(!folds_to_itself(word.as_bytes()), "{word}");
        }
        let arabic = Lexicon::builtin("ar").expect("Arabic is built in");
        assert!(arabic.abbreviation("د".as_bytes()).is_some());
    }

    #[test]
    fn emoticons_are_found_alone_and_long_tokens_are_refused_early() {
        let lexicon = Lexicon::english();
        assert_eq!(lexicon.emoticon_at(b"lol :) I think", 4), Some(2));
        assert_eq!(lexicon.emoticon_at(b":)", 0), Some(2));
        assert_eq!(lexicon.emoticon_at(b":)x", 0), None);
        // A page with no whitespace at all: the answer comes from the first few bytes.
        let page = ":".repeat(1_000_000);
        assert_eq!(lexicon.emoticon_at(page.as_bytes(), 0), None);
    }

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
    fn tables_grow_and_keep_every_word() {
        let mut table = WordTable::default();
        let words: Vec<String> = (0..500).map(|i| format!("w{i}")).collect();
        for (i, word) in words.iter().enumerate() {
            table.insert(word, i);
        }
        table.insert("w7", 7000);
        assert_eq!(table.len(), 500);
        assert_eq!(table.get(b"W7"), Some(7000));
        assert!(words[..7]
            .iter()
            .enumerate()
            .all(|(i, w)| table.get(w.as_bytes()) == Some(i)));
        assert_eq!(table.get(b"w500"), None);
        assert_eq!(table.get(b"\0"), None);
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
    fn the_quick_lower_case_agrees_with_unicode() {
        for c in ('\0'..='\u{FFFF}').filter(|&c| c != 'İ') {
            assert!(
                lowercase(c).eq(c.to_lowercase()),
                "{c:?} U+{:04X}",
                c as u32
            );
        }
    }

    #[test]
    fn turkish_i_is_folded_whichever_way_it_is_written() {
        let lexicon = Lexicon::builtin("tr").unwrap();
        for written in ["İst", "Ist", "IST", "İST"] {
            assert_eq!(
                lexicon.abbreviation(written.as_bytes()),
                Some(AbbreviationKind::General),
                "{written}"
            );
        }
        assert!(lexicon.abbreviation("Doç".as_bytes()).is_some());
        assert!(lexicon.abbreviation("DOÇ".as_bytes()).is_some());
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
        assert_eq!(error.name, "titles");
        let error = Lexicon::new()
            .add_source("[rules]\nno-such-rule")
            .unwrap_err();
        assert_eq!((error.what, error.name.as_str()), ("rule", "no-such-rule"));
    }
}
