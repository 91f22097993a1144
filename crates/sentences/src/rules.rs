//! The decision at one candidate: does the run of terminators at hand end a sentence?
//!
//! A decision looks at three things only: the run itself (one period, an ellipsis, `?`/`!`),
//! the shape of the word before it (a number, an initial, an abbreviation of some kind, an
//! ordinary word) and the start of the word after it (its case, whether it is a typical
//! sentence opener). Each rule below is one line of that table, and each exists for a family
//! of real cases named in its comment.

use crate::lexicon::{AbbreviationKind, Lexicon};
use crate::scan::{self, Run, RunKind};

/// The shape of the word before a period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum WordShape {
    /// Nothing before the period on its token (" . ").
    Empty,
    /// Nothing before the period on its token, and the previous token ended a sentence: a
    /// repeated mark ("? ? ?") or an ellipsis opening the next sentence.
    Repeated,
    /// Digits ("1937", "3,000"); `list_item` when it opens a line or follows the end of a
    /// sentence or a colon ("... this week: 1. Buy milk"), `ordinal` after an article or, in a
    /// language that writes ordinals with a period, when it is short ("am 3. Oktober").
    Number { list_item: bool, ordinal: bool },
    /// A known abbreviation.
    Abbreviation(AbbreviationKind),
    /// A single letter: an initial ("J."), a list label ("a.").
    Initial,
    /// Letters with inner periods and short parts: "U.S", "Ph.D", "a.m".
    Acronym,
    /// The word already closed a quote or bracket before the period: `terrorism".`, `(16ft).`
    Closed,
    /// Anything else.
    Ordinary,
}

/// How the text goes on after a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Case {
    Upper,
    Lower,
    Digit,
    Other,
}

/// The word after a run, once whitespace and opening quotes are skipped.
struct Following<'t> {
    case: Case,
    word: &'t [u8],
    /// The byte right after `word`.
    after_word: Option<u8>,
    /// The text, to read further words only when a rule needs them.
    bytes: &'t [u8],
    word_end: usize,
}

impl Following<'_> {
    /// A capitalized sentence opener ("The", "However") that is not itself an initial
    /// ("I. M. Pei").
    ///
    /// In scripts without case (Arabic) the word itself is all there is to go by.
    fn is_opener(&self, lexicon: &Lexicon) -> bool {
        matches!(self.case, Case::Upper | Case::Other)
            && self.after_word != Some(b'.')
            && lexicon.is_opener(self.word)
    }

    /// The word after the next one, when a single space separates them.
    fn second_word(&self) -> &[u8] {
        match self.after_word {
            Some(b' ') => scan::word_after(self.bytes, self.word_end + 1).1,
            _ => &[],
        }
    }

    /// True when the next word is an initial too, as in "J. R. R. Tolkien".
    fn is_initial(&self) -> bool {
        self.case == Case::Upper && self.word.len() == 1 && self.after_word == Some(b'.')
    }
}

/// What to do at a run of terminators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Decision {
    /// The sentence goes on.
    Continue,
    /// The sentence ends after the run.
    End,
    /// The run closes an enumeration label ("2." in "... done. 2. Call Bob"): the sentence
    /// goes on, and a new one starts at the label, which begins at the given offset.
    ListItem(usize),
}

impl From<bool> for Decision {
    fn from(ends: bool) -> Self {
        if ends {
            Decision::End
        } else {
            Decision::Continue
        }
    }
}

/// Decides whether the run at `at` ends a sentence.
pub(crate) fn decide(lexicon: &Lexicon, text: &str, at: usize, run: &Run) -> Decision {
    let bytes = text.as_bytes();
    if run.kind == RunKind::FullWidth {
        // 「行きます。」と言った: a quotation closed after its full stop and taken up by the
        // quotative particle と (or って) is part of the sentence that quotes it.
        let quoted = run.closed && text[run.end..].starts_with(['と', 'っ']);
        return (!quoted).into();
    }
    let shape = word_shape(lexicon, bytes, at);
    if shape == WordShape::Repeated {
        return Decision::Continue;
    }
    let (next_start, _) = scan::skip_whitespace(text, run.end);
    if next_start == bytes.len() {
        return Decision::End;
    }
    let following = read_following(text, next_start);
    if following.case == Case::Lower && lexicon.rules().lowercase_continues {
        return Decision::Continue;
    }
    if next_start == run.end {
        // "美味!組内外": in Chinese and Japanese a `?` or `!` needs no space after it.
        if run.kind == RunKind::Strong && starts_with_cjk(&text[next_start..]) {
            return Decision::End;
        }
        return ends_without_space(lexicon, bytes, at, &following).into();
    }
    match run.kind {
        RunKind::Strong => (!speech_tag_after_dash(text, run.end)
            && strong_ends(lexicon, bytes, at, run, &following))
        .into(),
        RunKind::Ellipsis => (following.case == Case::Upper).into(),
        _ => period_decision(lexicon, bytes, at, run, shape, &following),
    }
}

/// True when `rest` starts with a Han character, kana or a full-width form: text written
/// without spaces between sentences.
fn starts_with_cjk(rest: &str) -> bool {
    rest.chars().next().is_some_and(|c| {
        matches!(c, '\u{3040}'..='\u{30FF}' | '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{FF01}'..='\u{FF9F}' | '\u{3000}'..='\u{303F}')
    })
}

fn read_following(text: &str, from: usize) -> Following<'_> {
    let bytes = text.as_bytes();
    let (start, word) = scan::word_after(bytes, from);
    let case = match text[start..].chars().next() {
        Some(c) if c.is_uppercase() => Case::Upper,
        Some(c) if c.is_lowercase() => Case::Lower,
        Some(c) if c.is_ascii_digit() => Case::Digit,
        _ => Case::Other,
    };
    let word_end = start + word.len();
    Following {
        case,
        word,
        after_word: bytes.get(word_end).copied(),
        bytes,
        word_end,
    }
}

/// "end.The": with no space after the run, only an ordinary lower-case word followed by a
/// typical sentence opener is a boundary. Everything else glued to a period is one token:
/// decimals ("3.5"), domains and file names ("example.com", "notes.txt"), "cat.Cat".
fn ends_without_space(lexicon: &Lexicon, bytes: &[u8], at: usize, following: &Following) -> bool {
    let (_, word) = scan::word_before(bytes, at);
    let plain_word = word.len() >= 2
        && word.iter().all(u8::is_ascii_alphabetic)
        && word[word.len() - 1].is_ascii_lowercase();
    plain_word && following.is_opener(lexicon) && following.after_word != Some(b'@')
}

/// `?` and `!` end a sentence unless a quote closes around them and the sentence goes on
/// with a speech tag (`"Why?" she asked`, `“Sorry!” Anna said`), or they belong to a name
/// ("Yahoo! Mail").
fn strong_ends(
    lexicon: &Lexicon,
    bytes: &[u8],
    at: usize,
    run: &Run,
    following: &Following,
) -> bool {
    if run.closed
        && (following.case == Case::Lower || lexicon.is_speech_verb(following.second_word()))
    {
        return false;
    }
    let (_, word) = scan::word_before(bytes, at);
    if lexicon.is_exclamation_name(word) && run.terminators_end == at + 1 {
        return following.is_opener(lexicon);
    }
    true
}

/// True when a dash and a lower-case word follow a question or exclamation: the speech tag
/// of dialogue written with dashes ("- Kim jesteś? - spytała", "Why? – he asked").
fn speech_tag_after_dash(text: &str, end: usize) -> bool {
    text.get(end..)
        .and_then(|rest| rest.strip_prefix(' '))
        .and_then(|rest| rest.strip_prefix(['-', '\u{2013}', '\u{2014}']))
        .and_then(|rest| rest.strip_prefix(' '))
        .and_then(|rest| rest.chars().next())
        .is_some_and(char::is_lowercase)
}

fn period_decision(
    lexicon: &Lexicon,
    bytes: &[u8],
    at: usize,
    run: &Run,
    shape: WordShape,
    following: &Following,
) -> Decision {
    // A quote or bracket closed after the period (`."`, `.)`): the period ended what was
    // inside, and the sentence ends too unless it visibly goes on in lower case.
    if run.closed {
        return (following.case != Case::Lower).into();
    }
    if let WordShape::Number {
        list_item: true, ..
    } = shape
    {
        if following.case == Case::Upper {
            return Decision::ListItem(scan::word_before(bytes, at).0);
        }
    }
    let ends = match following.case {
        Case::Lower => shape_ends_before_lowercase(shape),
        Case::Digit => matches!(
            shape,
            WordShape::Ordinary
                | WordShape::Closed
                | WordShape::Empty
                | WordShape::Number {
                    list_item: false,
                    ordinal: false
                }
        ),
        Case::Upper | Case::Other => match shape {
            WordShape::Abbreviation(AbbreviationKind::NamePrefix)
            | WordShape::Abbreviation(AbbreviationKind::Continuing) => false,
            WordShape::Abbreviation(AbbreviationKind::General | AbbreviationKind::Unit)
            | WordShape::Acronym
            | WordShape::Initial => following.is_opener(lexicon) && !following.is_initial(),
            WordShape::Number { list_item, ordinal } => {
                !list_item && (!ordinal || following.is_opener(lexicon))
            }
            // A one-letter abbreviation before another is one abbreviation written with a
            // space ("Z. B.", "D. h." opening a German sentence), not a page or line number.
            WordShape::Abbreviation(AbbreviationKind::NumberPrefix) => !following.is_initial(),
            WordShape::Closed | WordShape::Ordinary | WordShape::Empty | WordShape::Repeated => {
                true
            }
        },
    };
    ends.into()
}

/// Before a lower-case word, a period after an ordinary word still ends a sentence: web text
/// often starts sentences in lower case ("... last week. i think ..."), while abbreviations,
/// initials and numbers are followed by lower case mid-sentence ("approx. five").
fn shape_ends_before_lowercase(shape: WordShape) -> bool {
    matches!(shape, WordShape::Ordinary | WordShape::Closed)
}

fn word_shape(lexicon: &Lexicon, bytes: &[u8], at: usize) -> WordShape {
    let (start, word) = scan::word_before(bytes, at);
    if scan::is_long_token(bytes, start, at) {
        return WordShape::Ordinary;
    }
    if word.is_empty() {
        let before = scan::before_spaces(bytes, start);
        return match before.last() {
            Some(b'.' | b'?' | b'!') => WordShape::Repeated,
            _ => WordShape::Empty,
        };
    }
    if scan::closer_at(bytes, at - 1).is_some() {
        return WordShape::Closed;
    }
    if word.iter().all(|&b| b.is_ascii_digit() || b == b',') && word[0].is_ascii_digit() {
        let short = word.len() <= 3;
        return WordShape::Number {
            list_item: short && scan::at_line_start(bytes, start)
                || word.len() <= 2 && follows_sentence_end(lexicon, bytes, start),
            ordinal: short
                && (lexicon.rules().ordinal_numbers
                    || follows_ordinal_marker(lexicon, bytes, start)),
        };
    }
    // Street types are short and capitalized: most words are refused before any lookup.
    let may_be_street = word.len() <= 5 && word[0].is_ascii_uppercase();
    if may_be_street && lexicon.is_street_suffix(word) && follows_capitalized_word(bytes, start) {
        return WordShape::Abbreviation(AbbreviationKind::General);
    }
    match lexicon.abbreviation(word) {
        Some(AbbreviationKind::Unit) if follows_number(bytes, start) => {
            return WordShape::Abbreviation(AbbreviationKind::General)
        }
        Some(AbbreviationKind::Unit) | None => {}
        Some(kind) => return WordShape::Abbreviation(kind),
    }
    if is_single_letter(word) {
        return WordShape::Initial;
    }
    if is_acronym(word) {
        return WordShape::Acronym;
    }
    WordShape::Ordinary
}

fn follows_number(bytes: &[u8], start: usize) -> bool {
    let before = scan::before_spaces(bytes, start);
    before.len() < start && before.last().is_some_and(u8::is_ascii_digit)
}

/// True when a capitalized word stands right before `start`, as a street name does before
/// its suffix ("Baker St.").
fn follows_capitalized_word(bytes: &[u8], start: usize) -> bool {
    let before = scan::before_spaces(bytes, start);
    if before.len() == start {
        return false;
    }
    let (_, word) = scan::word_before(before, before.len());
    word.first().is_some_and(u8::is_ascii_uppercase)
        && word.last().is_some_and(u8::is_ascii_alphabetic)
}

/// True when a terminator stands right before `start`, as before a list label ("done. 2.
/// Call Bob"); the period of an abbreviation that stands before numbers ("S. 12.", "No. 4.")
/// is not one: the number is what it points to.
fn follows_sentence_end(lexicon: &Lexicon, bytes: &[u8], start: usize) -> bool {
    let before = scan::before_spaces(bytes, start);
    match before.last() {
        Some(b'?' | b'!' | b':') => true,
        Some(b'.') => {
            let (_, word) = scan::word_before(before, before.len() - 1);
            lexicon.abbreviation(word) != Some(AbbreviationKind::NumberPrefix)
        }
        _ => false,
    }
}

fn follows_ordinal_marker(lexicon: &Lexicon, bytes: &[u8], start: usize) -> bool {
    let before = scan::before_spaces(bytes, start);
    if before.len() == start {
        return false;
    }
    let (_, word) = scan::word_before(before, before.len());
    lexicon.marks_ordinal(word)
}

fn is_single_letter(word: &[u8]) -> bool {
    // No character takes more than four bytes: longer words are refused without decoding.
    if word.len() > 4 {
        return false;
    }
    match std::str::from_utf8(word) {
        Ok(s) => {
            let mut chars = s.chars();
            chars.next().is_some_and(char::is_alphabetic) && chars.next().is_none()
        }
        Err(_) => false,
    }
}

/// "U.S", "Ph.D", "e.g", "a.m": letters in parts of one or two, joined by periods.
fn is_acronym(word: &[u8]) -> bool {
    word.contains(&b'.')
        && word
            .split(|&b| b == b'.')
            .all(|part| (1..=2).contains(&part.len()) && part.iter().all(u8::is_ascii_alphabetic))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shape_of(text: &str) -> WordShape {
        let at = text.rfind('.').unwrap();
        word_shape(&Lexicon::english(), text.as_bytes(), at)
    }

    #[test]
    fn word_shapes() {
        assert_eq!(shape_of("in 1937."), shape_of("in 1,937."));
        assert_eq!(
            shape_of("1."),
            WordShape::Number {
                list_item: true,
                ordinal: false
            }
        );
        assert_eq!(
            shape_of("in the 1."),
            WordShape::Number {
                list_item: false,
                ordinal: true
            }
        );
        assert_eq!(
            shape_of("Mr."),
            WordShape::Abbreviation(AbbreviationKind::NamePrefix)
        );
        assert_eq!(shape_of("J."), WordShape::Initial);
        assert_eq!(shape_of("the U.S."), WordShape::Acronym);
        assert_eq!(shape_of("(\"terrorism\"."), WordShape::Closed);
        assert_eq!(shape_of("see www.cnn.com."), WordShape::Ordinary);
        assert_eq!(shape_of(" ."), WordShape::Empty);
    }
}
