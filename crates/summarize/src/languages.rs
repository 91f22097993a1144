//! What the summarizer knows about each language it summarizes: which words carry no topic,
//! how words are found, how inflections are folded together.
//!
//! Every lexical feature (LexRank, TextRank, the centroid, title overlap) compares sentences
//! by the content words they share, so it is only as good as three per-language choices:
//!
//! - **Stop words**, read from `stopwords/<lang>.txt` beside the crate's sources and parsed
//!   once per process. Without them, `der`, `die`, `und` in German or `的` in Chinese make
//!   every sentence look like every other, and the sentence with the most function words
//!   becomes the most "central".
//! - **Finding words** ([`Writing`]). Languages written with spaces split at anything that is
//!   not a letter, digit or combining mark (Arabic vowel marks stay inside their word).
//!   Chinese and Japanese are written without spaces; there the terms are character
//!   bigrams, the unit CJK search indexes use (Lucene's `CJKAnalyzer`), over runs of Han
//!   characters split first at single-character function words (`的`, `了`, `是`). Bigrams
//!   were chosen over a dictionary segmenter because they need no dictionary or model to
//!   ship, run in time linear in the text, and serve the one thing the statistics need: two
//!   sentences about `经济` share the term `经济` whatever a segmenter would make of its
//!   neighbours; most Chinese words are one or two characters long, so the bigrams that
//!   straddle a word boundary are rare pairs that seldom repeat across sentences and add
//!   little noise.
//!   Japanese mixes scripts, and the scripts mark word classes: runs of hiragana are
//!   particles, auxiliaries and verb endings (dropped), a run of katakana is one loanword or
//!   name (one term), and kanji runs are bigrammed as in Chinese.
//! - **Folding inflections** ([`Stemming`]): the Snowball stemmer where one exists (12 of the
//!   languages); for Polish and Czech, which have none in `rust-stemmers`, a light stemmer
//!   that strips the longest of a short list of case endings (`wyborach`, `wyborów`,
//!   `wybory` → `wybor`); none for Chinese and Japanese, which do not inflect that way.
//!
//! English keeps the choices tuned on the English dev sets (see [`crate::terms`]): its own
//! TextRank graph words (whitespace tokens filtered by NLTK's list). Other languages have no
//! summary dev data, so nothing there was tuned: TextRank compares the same stemmed content
//! terms as LexRank, which suits inflected languages better than surface tokens (German
//! nouns and adjectives change with case and number, Polish and Russian ones across six or
//! seven cases). Capitalized words inside a sentence stand in for names, as in English,
//! except in German, which capitalizes every noun.

use std::collections::HashSet;
use std::hash::BuildHasherDefault;
use std::sync::OnceLock;

use rust_stemmers::{Algorithm, Stemmer};

use crate::terms::FnvHasher;

/// The languages the summarizer has word statistics for (ISO 639-1 primary subtags).
pub const SUPPORTED_LANGUAGES: [&str; 16] = [
    "en", "de", "fr", "es", "it", "pt", "nl", "pl", "ru", "cs", "sv", "da", "tr", "ar", "zh", "ja",
];

/// Stop-word files, by language, embedded at build time so nothing is read from disk when a
/// pipeline runs.
const STOP_WORD_FILES: [(&str, &str); 16] = [
    ("en", include_str!("../stopwords/en.txt")),
    ("de", include_str!("../stopwords/de.txt")),
    ("fr", include_str!("../stopwords/fr.txt")),
    ("es", include_str!("../stopwords/es.txt")),
    ("it", include_str!("../stopwords/it.txt")),
    ("pt", include_str!("../stopwords/pt.txt")),
    ("nl", include_str!("../stopwords/nl.txt")),
    ("pl", include_str!("../stopwords/pl.txt")),
    ("ru", include_str!("../stopwords/ru.txt")),
    ("cs", include_str!("../stopwords/cs.txt")),
    ("sv", include_str!("../stopwords/sv.txt")),
    ("da", include_str!("../stopwords/da.txt")),
    ("tr", include_str!("../stopwords/tr.txt")),
    ("ar", include_str!("../stopwords/ar.txt")),
    ("zh", include_str!("../stopwords/zh.txt")),
    ("ja", include_str!("../stopwords/ja.txt")),
];

/// English's separate stop list for TextRank's graph words (NLTK's; see [`crate::terms`]).
const ENGLISH_GRAPH_STOP_WORDS: &str = include_str!("../stopwords/en.graph.txt");

/// Polish case endings of nouns and adjectives, for the light stemmer.
const POLISH_ENDINGS: &[&str] = &[
    "owie", "ach", "ami", "ego", "emu", "ich", "imi", "owi", "ych", "ymi", "iem", "ów", "om", "em",
    "ej", "ie", "im", "ym", "ą", "ę", "a", "e", "i", "o", "u", "y",
];

/// Czech case endings of nouns and adjectives, for the light stemmer.
const CZECH_ENDINGS: &[&str] = &[
    "ách", "ami", "ech", "ého", "ému", "ích", "ími", "ové", "ých", "ými", "ou", "em", "ím", "ům",
    "ým", "a", "e", "é", "ě", "i", "í", "o", "u", "ů", "y", "ý",
];

/// A light stemmer keeps at least this many characters of a word.
const LIGHT_STEM_MIN_CHARS: usize = 3;

/// How a language is written, which decides how words are found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Writing {
    /// Words separated by spaces and punctuation.
    Spaced,
    /// Chinese and Japanese: no spaces; terms are character bigrams of Han runs, whole
    /// katakana runs, and the words of any Latin or digit runs between them.
    Unspaced,
}

/// How a language folds inflected forms into one term.
#[derive(Debug, Clone, Copy)]
pub enum Stemming {
    /// A Snowball stemmer.
    Snowball(Algorithm),
    /// Strip the longest listed ending that leaves at least three characters.
    Endings(&'static [&'static str]),
    /// Words are terms as they are.
    None,
}

/// How text is lowercased before the stop list and the stemmer see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Casing {
    /// Unicode lowercasing, curly apostrophes made straight.
    Plain,
    /// Turkish and Azeri: `I` lowers to dotless `ı` and `İ` to `i`.
    Turkish,
    /// Arabic: short vowel marks and tatweel dropped, hamza forms of alef written as bare
    /// alef, so one word is one term however fully it was vocalized.
    Arabic,
}

/// A sorted list of stop words, borrowed from the embedded files, with a hash set for
/// lookups: every word of every sentence is looked up, and a binary search over a few hundred
/// words cost a string comparison and a mispredicted branch per step (about 8% of the
/// stage's instructions and 10% of its mispredicted branches on the bench articles).
#[derive(Debug, Clone, Default)]
pub struct StopList {
    words: Vec<&'static str>,
    set: HashSet<&'static str, BuildHasherDefault<FnvHasher>>,
}

impl StopList {
    /// Parses a stop-word file: words separated by whitespace, `#` to the end of a line is a
    /// comment.
    pub fn parse(file: &'static str) -> Self {
        let mut words: Vec<&'static str> = file
            .lines()
            .map(|line| line.split_once('#').map_or(line, |(words, _)| words))
            .flat_map(str::split_whitespace)
            .collect();
        words.sort_unstable();
        words.dedup();
        let set = words.iter().copied().collect();
        StopList { words, set }
    }

    /// Whether `word` (normalized as the language's [`Casing`] does) is on the list.
    pub fn contains(&self, word: &str) -> bool {
        self.set.contains(word)
    }

    /// The words, sorted.
    pub fn words(&self) -> &[&'static str] {
        &self.words
    }
}

/// Everything the term statistics need to know about one language.
pub struct LanguageProfile {
    /// The primary language subtag (`de`).
    pub code: &'static str,
    /// Function words left out of the content terms.
    pub stop_words: StopList,
    /// English only: TextRank compares whitespace tokens filtered by this list instead of
    /// the content terms.
    pub graph_stop_words: Option<StopList>,
    /// How words are found.
    pub writing: Writing,
    /// How inflections are folded.
    pub stemming: Stemming,
    /// How text is lowercased.
    pub casing: Casing,
    /// Whether a capitalized word inside a sentence is likely a name. Not in German, which
    /// capitalizes every noun; caseless scripts have no capitals to count anyway.
    pub capitals_mark_names: bool,
    stemmer: Option<Stemmer>,
}

impl std::fmt::Debug for LanguageProfile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LanguageProfile")
            .field("code", &self.code)
            .field("writing", &self.writing)
            .field("casing", &self.casing)
            .finish_non_exhaustive()
    }
}

impl LanguageProfile {
    /// The profile of a primary language subtag (`de`, `zh`), or `None` when the summarizer
    /// has no word statistics for it. Stop lists are parsed on the first call only.
    pub fn get(code: &str) -> Option<&'static LanguageProfile> {
        static PROFILES: OnceLock<Vec<LanguageProfile>> = OnceLock::new();
        PROFILES
            .get_or_init(|| {
                STOP_WORD_FILES
                    .iter()
                    .map(|&(code, file)| LanguageProfile::build(code, file))
                    .collect()
            })
            .iter()
            .find(|profile| profile.code == code)
    }

    /// The English profile, the one every document without a supported language falls back
    /// to when the stage is configured to.
    pub fn english() -> &'static LanguageProfile {
        LanguageProfile::get("en").expect("English is always supported")
    }

    fn build(code: &'static str, file: &'static str) -> Self {
        let stemming = match code {
            "en" => Stemming::Snowball(Algorithm::English),
            "de" => Stemming::Snowball(Algorithm::German),
            "fr" => Stemming::Snowball(Algorithm::French),
            "es" => Stemming::Snowball(Algorithm::Spanish),
            "it" => Stemming::Snowball(Algorithm::Italian),
            "pt" => Stemming::Snowball(Algorithm::Portuguese),
            "nl" => Stemming::Snowball(Algorithm::Dutch),
            "ru" => Stemming::Snowball(Algorithm::Russian),
            "sv" => Stemming::Snowball(Algorithm::Swedish),
            "da" => Stemming::Snowball(Algorithm::Danish),
            "tr" => Stemming::Snowball(Algorithm::Turkish),
            "ar" => Stemming::Snowball(Algorithm::Arabic),
            "pl" => Stemming::Endings(POLISH_ENDINGS),
            "cs" => Stemming::Endings(CZECH_ENDINGS),
            _ => Stemming::None,
        };
        let stemmer = match stemming {
            Stemming::Snowball(algorithm) => Some(Stemmer::create(algorithm)),
            _ => None,
        };
        LanguageProfile {
            code,
            stop_words: StopList::parse(file),
            graph_stop_words: (code == "en").then(|| StopList::parse(ENGLISH_GRAPH_STOP_WORDS)),
            writing: match code {
                "zh" | "ja" => Writing::Unspaced,
                _ => Writing::Spaced,
            },
            stemming,
            casing: match code {
                "tr" => Casing::Turkish,
                "ar" => Casing::Arabic,
                _ => Casing::Plain,
            },
            capitals_mark_names: code != "de",
            stemmer,
        }
    }

    /// The stem of a lowercased word.
    pub fn stem<'a>(&self, word: &'a str) -> std::borrow::Cow<'a, str> {
        match (&self.stemmer, self.stemming) {
            (Some(stemmer), _) => stemmer.stem(word),
            (None, Stemming::Endings(endings)) => strip_ending(word, endings).into(),
            _ => word.into(),
        }
    }

    /// Writes `word` normalized into `out`: lowercased by the language's [`Casing`], with
    /// curly apostrophes made straight (the English graph stop list spells `don't` with
    /// `'`). Reusing `out` saves an allocation per word.
    pub fn normalize_into(&self, word: &str, out: &mut String) {
        out.clear();
        match self.casing {
            Casing::Turkish => {
                for c in word.chars() {
                    match c {
                        'I' => out.push('ı'),
                        'İ' => out.push('i'),
                        '’' => out.push('\''),
                        c => out.extend(c.to_lowercase()),
                    }
                }
            }
            Casing::Arabic => {
                for c in word.chars() {
                    match c {
                        'أ' | 'إ' | 'آ' | 'ٱ' => out.push('ا'),
                        c if is_arabic_vowel_mark(c) || c == '\u{0640}' => {}
                        '’' => out.push('\''),
                        c => out.extend(c.to_lowercase()),
                    }
                }
            }
            Casing::Plain if word.is_ascii() => {
                out.push_str(word);
                out.make_ascii_lowercase();
            }
            Casing::Plain => {
                for c in word.chars() {
                    if c == '’' {
                        out.push('\'');
                    } else {
                        out.extend(c.to_lowercase());
                    }
                }
            }
        }
    }
}

/// `word` without the longest of `endings` that leaves at least [`LIGHT_STEM_MIN_CHARS`]
/// characters.
fn strip_ending(word: &str, endings: &[&str]) -> String {
    let chars = word.chars().count();
    endings
        .iter()
        .filter(|ending| word.ends_with(**ending))
        .filter(|ending| chars >= ending.chars().count() + LIGHT_STEM_MIN_CHARS)
        .max_by_key(|ending| ending.chars().count())
        .map_or(word, |ending| &word[..word.len() - ending.len()])
        .to_string()
}

/// Whether `c` is an Arabic short vowel, shadda, sukun or Quranic mark: part of the word it
/// sits on, not a separator.
pub fn is_arabic_vowel_mark(c: char) -> bool {
    matches!(c, '\u{0610}'..='\u{061A}' | '\u{064B}'..='\u{065F}' | '\u{0670}' | '\u{06D6}'..='\u{06ED}')
}

/// Whether `c` belongs inside a word: a letter, a digit, or a combining mark (Latin accents
/// written apart, Cyrillic and Arabic marks).
pub fn is_word_char(c: char) -> bool {
    // Spaces and ASCII punctuation, most of what is not alphanumeric, leave at the first test.
    c.is_alphanumeric()
        || (!c.is_ascii()
            && (matches!(c, '\u{0300}'..='\u{036F}' | '\u{0483}'..='\u{0489}')
                || is_arabic_vowel_mark(c)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_supported_language_has_a_profile_with_a_stop_list() {
        for code in SUPPORTED_LANGUAGES {
            let profile = LanguageProfile::get(code).unwrap();
            assert_eq!(profile.code, code);
            // Japanese needs few: its hiragana function words are dropped by script.
            let least = if code == "ja" { 25 } else { 60 };
            assert!(
                profile.stop_words.words().len() >= least,
                "{code}: {} stop words",
                profile.stop_words.words().len()
            );
        }
        assert!(LanguageProfile::get("fi").is_none());
        assert_eq!(STOP_WORD_FILES.map(|(code, _)| code), SUPPORTED_LANGUAGES);
    }

    #[test]
    fn stop_words_are_single_normalized_words() {
        // A stop word is looked up after the text is cut into words and normalized, so an
        // entry holding punctuation, a capital or an unnormalized letter could never match.
        for code in SUPPORTED_LANGUAGES {
            let profile = LanguageProfile::get(code).unwrap();
            let mut normalized = String::new();
            for &word in profile.stop_words.words() {
                profile.normalize_into(word, &mut normalized);
                assert_eq!(&normalized, word, "{code}: `{word}` is not normalized");
                assert!(
                    word.chars().all(is_word_char),
                    "{code}: `{word}` is not one word"
                );
            }
        }
    }

    #[test]
    fn cjk_stop_entries_are_not_split_by_their_own_characters() {
        for code in ["zh", "ja"] {
            let words = LanguageProfile::get(code).unwrap().stop_words.words();
            let singles: Vec<&str> = words
                .iter()
                .copied()
                .filter(|w| w.chars().count() == 1)
                .collect();
            for word in words.iter().filter(|w| w.chars().count() > 1) {
                assert!(
                    !singles.iter().any(|single| word.contains(single)),
                    "{code}: `{word}` holds a one-character entry and can never match"
                );
            }
        }
    }

    #[test]
    fn light_stemmers_fold_case_endings_but_keep_short_words() {
        let polish = LanguageProfile::get("pl").unwrap();
        for form in ["wybory", "wyborów", "wyborach", "wyborami"] {
            assert_eq!(polish.stem(form), "wybor", "{form}");
        }
        assert_eq!(polish.stem("prezydentowi"), polish.stem("prezydenta"));
        assert_eq!(polish.stem("oko"), "oko");
        let czech = LanguageProfile::get("cs").unwrap();
        assert_eq!(czech.stem("vlády"), czech.stem("vládě"));
        assert_eq!(czech.stem("vláda"), "vlád");
    }

    #[test]
    fn turkish_and_arabic_normalize_as_their_writers_expect() {
        let mut out = String::new();
        LanguageProfile::get("tr")
            .unwrap()
            .normalize_into("İSTANBUL Irmak", &mut out);
        assert_eq!(out, "istanbul ırmak");
        LanguageProfile::get("ar")
            .unwrap()
            .normalize_into("إِلَى", &mut out);
        assert_eq!(out, "الى");
        assert!(LanguageProfile::get("ar")
            .unwrap()
            .stop_words
            .contains("الى"));
    }
}
