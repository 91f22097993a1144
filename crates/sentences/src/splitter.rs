//! [`SentenceSplitter`]: one pass over the text that stops only at candidate terminators and
//! line breaks, a rule decision at each, then spans trimmed of whitespace.

use regex::Regex;
use textpipe_core::Span;

use crate::layout::NewlinePolicy;
use crate::lexicon::{AbbreviationKind, Lexicon, LexiconError};
use crate::rules::{self, Decision};
use crate::scan::{self, EMOTICON, NEWLINE, TERMINATOR, WIDE_TAIL};

/// Everything a [`SentenceSplitter`] can be told, as plain data.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SplitterOptions {
    /// The language whose built-in lexicon to start from (a primary subtag such as `de`; one
    /// of [`LANGUAGES`](crate::LANGUAGES)); English when `None`.
    pub language: Option<String>,
    /// What a single line break means.
    pub newlines: NewlinePolicy,
    /// Extra abbreviations that may end a sentence, like "Inc." ("Approx.", "Dept.").
    pub abbreviations: Vec<String>,
    /// Texts of extra lexicon files, in the format of the built-in `data/english.txt`.
    pub lexicons: Vec<String>,
    /// Regular expressions no sentence boundary may fall inside (e.g. `"Fig\. \d+\. [A-Z]"`).
    pub never_split: Vec<String>,
    /// Regular expressions after which a sentence always ends; with a capture group, the
    /// boundary falls at the start of the first group instead (`"\s(Q:)"` starts a sentence at
    /// each "Q:").
    pub always_split: Vec<String>,
}

/// Why a splitter could not be built from its options.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SplitterError {
    /// An extra lexicon is malformed.
    #[error("lexicon {index}: {error}")]
    Lexicon {
        /// Position of the lexicon in [`SplitterOptions::lexicons`].
        index: usize,
        /// What is wrong.
        error: LexiconError,
    },
    /// The language has no built-in lexicon.
    #[error("no sentence rules for language `{lang}`; built in: {}", crate::LANGUAGES.join(", "))]
    UnknownLanguage {
        /// The language as given.
        lang: String,
    },
    /// A boundary pattern is not a valid regular expression.
    #[error("pattern `{pattern}`: {message}")]
    Pattern {
        /// The pattern as written.
        pattern: String,
        /// The regex compiler's message.
        message: String,
    },
}

/// Splits text into sentences; cheap to share between threads.
///
/// ```
/// use textpipe_sentences::SentenceSplitter;
/// let splitter = SentenceSplitter::new();
/// let text = "Mr. J. R. R. Tolkien wrote it in 1937. It sold well.";
/// let sentences: Vec<&str> = splitter.sentences(text).collect();
/// assert_eq!(sentences, ["Mr. J. R. R. Tolkien wrote it in 1937.", "It sold well."]);
/// ```
#[derive(Debug, Clone)]
pub struct SentenceSplitter {
    lexicon: Lexicon,
    /// The scan's byte classes, picked by the language's script (see
    /// [`scan::ARABIC_SCRIPT_CLASS`]): a choice of speed only, never of boundaries.
    class: &'static [u8; 256],
    newlines: NewlinePolicy,
    never_split: Vec<Regex>,
    always_split: Vec<Regex>,
}

impl Default for SentenceSplitter {
    fn default() -> Self {
        SentenceSplitter::new()
    }
}

impl SentenceSplitter {
    /// An English splitter with the `auto` newline policy.
    pub fn new() -> Self {
        SentenceSplitter {
            lexicon: Lexicon::english(),
            class: &scan::CLASS,
            newlines: NewlinePolicy::Auto,
            never_split: Vec::new(),
            always_split: Vec::new(),
        }
    }

    /// A splitter with the built-in lexicon of `lang` (a primary subtag: `de`, `zh`) and the
    /// `auto` newline policy, or `None` for a language without one.
    ///
    /// ```
    /// use textpipe_sentences::SentenceSplitter;
    /// let german = SentenceSplitter::for_language("de").unwrap();
    /// let text = "Die Wahl ist am 3. Oktober, z. B. in Berlin. Dann folgt mehr.";
    /// assert_eq!(german.split(text).len(), 2);
    /// assert!(SentenceSplitter::for_language("fi").is_none());
    /// ```
    pub fn for_language(lang: &str) -> Option<Self> {
        let splitter = SentenceSplitter::with_lexicon(Lexicon::builtin(lang)?, NewlinePolicy::Auto);
        Some(SentenceSplitter {
            class: scan::class_table(lang),
            ..splitter
        })
    }

    /// A splitter for `options.language` (English by default) extended and configured by
    /// `options`.
    pub fn with_options(options: &SplitterOptions) -> Result<Self, SplitterError> {
        let lang = options.language.as_deref().unwrap_or("en");
        let mut lexicon = Lexicon::builtin(lang).ok_or_else(|| SplitterError::UnknownLanguage {
            lang: lang.to_string(),
        })?;
        for (index, source) in options.lexicons.iter().enumerate() {
            lexicon
                .add_source(source)
                .map_err(|error| SplitterError::Lexicon { index, error })?;
        }
        for abbreviation in &options.abbreviations {
            lexicon.add_abbreviation(abbreviation, AbbreviationKind::General);
        }
        Ok(SentenceSplitter {
            lexicon,
            class: scan::class_table(lang),
            newlines: options.newlines,
            never_split: compile(&options.never_split)?,
            always_split: compile(&options.always_split)?,
        })
    }

    /// A splitter using `lexicon` instead of the built-in English one.
    pub fn with_lexicon(lexicon: Lexicon, newlines: NewlinePolicy) -> Self {
        SentenceSplitter {
            lexicon,
            class: &scan::CLASS,
            newlines,
            never_split: Vec::new(),
            always_split: Vec::new(),
        }
    }

    /// The newline policy in use.
    pub fn newlines(&self) -> NewlinePolicy {
        self.newlines
    }

    /// The byte spans of the sentences of `text`: sorted, disjoint, on char boundaries, with
    /// no whitespace at either end; every non-whitespace character lies in one of them.
    pub fn split(&self, text: &str) -> Vec<Span> {
        let (mut cuts, dot_labels) = self.cuts(text);
        inline_list_cuts(text.as_bytes(), dot_labels, &mut cuts);
        if self.lexicon.has_headline_openers() {
            self.headline_cuts(text, &mut cuts);
        }
        if !self.never_split.is_empty() || !self.always_split.is_empty() {
            self.apply_patterns(text, &mut cuts);
        }
        spans_between(text, &cuts)
    }

    /// The sentences of `text` as string slices.
    pub fn sentences<'t>(&self, text: &'t str) -> impl Iterator<Item = &'t str> + 't {
        self.split(text)
            .into_iter()
            .map(move |span| &text[span.start..span.end])
    }

    /// Positions where one sentence ends and the next may begin, in order, and the list
    /// labels ending in a period met on the way ("b." in "a. red b. blue"), for
    /// [`inline_list_cuts`] to read without a second pass over the periods.
    fn cuts(&self, text: &str) -> (Vec<usize>, Vec<Label>) {
        let bytes = text.as_bytes();
        let split_lines =
            memchr::memchr2(b'\n', b'\r', bytes).is_some() && self.newlines.splits_lines(text);
        let mut cuts = Vec::new();
        let mut labels = Vec::new();
        let mut pos = 0;
        while let Some(at) = scan::next_candidate(self.class, bytes, pos) {
            pos = match self.class[bytes[at] as usize] {
                NEWLINE => self.at_line_break(text, at, split_lines, &mut cuts),
                TERMINATOR => {
                    if bytes[at] == b'.' {
                        labels.extend(label_at(bytes, at));
                    }
                    self.at_terminator(text, at, &mut cuts)
                }
                EMOTICON => self.at_emoticon(text, at, &mut cuts),
                WIDE_TAIL => match scan::arabic_terminator_before(bytes, at) {
                    Some(lead) => self.at_terminator(text, lead, &mut cuts),
                    None => at + 1,
                },
                _ => self.at_wide_char(text, at, split_lines, &mut cuts),
            };
        }
        (cuts, labels)
    }

    fn at_terminator(&self, text: &str, at: usize, cuts: &mut Vec<usize>) -> usize {
        let bytes = text.as_bytes();
        let mut run = scan::read_run(bytes, at);
        run.end = self.skip_emoticons(bytes, run.end);
        match rules::decide(&self.lexicon, text, at, &run) {
            Decision::End => cuts.push(run.end),
            Decision::ListItem(start) if cuts.last().map_or(0, |&cut| cut + 1) <= start => {
                // A label right after a sentence end starts the next sentence even when that
                // end was not a boundary of its own ("U.S.A. 4. Alan Greenspan").
                let before = scan::before_spaces(bytes, start);
                if matches!(before.last(), Some(b'.' | b'?' | b'!')) {
                    cuts.push(start);
                }
            }
            Decision::ListItem(_) | Decision::Continue => {}
        }
        run.end
    }

    /// Emoticons after a sentence end belong to that sentence ("Great! :) See you").
    fn skip_emoticons(&self, bytes: &[u8], mut end: usize) -> usize {
        while bytes.get(end) == Some(&b' ') {
            match self.lexicon.emoticon_at(bytes, end + 1) {
                Some(len) => end += 1 + len,
                None => break,
            }
        }
        end
    }

    /// A standalone emoticon before a capitalized word ends a sentence ("lol :) I think"); so
    /// does a colon before a capitalized quotation or word in languages whose rules say so.
    fn at_emoticon(&self, text: &str, at: usize, cuts: &mut Vec<usize>) -> usize {
        let bytes = text.as_bytes();
        if bytes[at] == b':' && self.colon_ends(text, at) {
            cuts.push(at + 1);
            return at + 1;
        }
        let standalone = at == 0 || bytes[at - 1].is_ascii_whitespace();
        let Some(len) = self.lexicon.emoticon_at(bytes, at).filter(|_| standalone) else {
            return at + 1;
        };
        let end = self.skip_emoticons(bytes, at + len);
        let (next, _) = scan::skip_whitespace(text, end);
        if text[next..].chars().next().is_some_and(char::is_uppercase) {
            cuts.push(end);
        }
        end
    }

    /// True when the colon at `at` ends a sentence under the language's `colon-quotes` or
    /// `colon-capitals` rule: a space, then (an opening quote and) a capital letter.
    fn colon_ends(&self, text: &str, at: usize) -> bool {
        let rules = self.lexicon.rules();
        if !(rules.colon_quotes || rules.colon_capitals) || at == 0 {
            return false;
        }
        let bytes = text.as_bytes();
        if bytes[at - 1].is_ascii_whitespace() || bytes.get(at + 1) != Some(&b' ') {
            return false;
        }
        let mut next = at + 2;
        let quoted = match scan::opener_at(bytes, next) {
            Some(len) if !matches!(bytes[next], b'(' | b'[' | b'{' | b'*' | b'_') => {
                next += len;
                true
            }
            _ => false,
        };
        let capital = text
            .get(next..)
            .and_then(|rest| rest.chars().next())
            .is_some_and(char::is_uppercase);
        capital && (rules.colon_capitals || (quoted && rules.colon_quotes))
    }

    /// A line break: blank lines always cut; a single break cuts in line mode, or in joined
    /// prose when a list item starts after it.
    fn at_line_break(
        &self,
        text: &str,
        at: usize,
        split_lines: bool,
        cuts: &mut Vec<usize>,
    ) -> usize {
        let (next, breaks) = scan::skip_whitespace(text, at);
        let list_item = next < text.len() && scan::list_marker_at(text.as_bytes(), next);
        if breaks >= 2 || (breaks == 1 && (split_lines || list_item)) {
            cuts.push(at);
        }
        next.max(at + 1)
    }

    /// A multi-byte character whose lead byte may start a terminator or a separator.
    fn at_wide_char(
        &self,
        text: &str,
        at: usize,
        split_lines: bool,
        cuts: &mut Vec<usize>,
    ) -> usize {
        let bytes = text.as_bytes();
        if scan::terminator_at(bytes, at).is_some() {
            return self.at_terminator(text, at, cuts);
        }
        // The lead bytes in the WIDE class start two-byte (Arabic) or three-byte characters;
        // in Arabic, Chinese and Japanese text nearly every character is one, so the length
        // comes from the lead byte instead of decoding.
        match bytes[at..] {
            [0xE2, 0x80, 0xA8 | 0xA9, ..] => {
                self.at_line_break(text, at, split_lines, cuts).max(at + 3)
            }
            [0xD8 | 0xDB, ..] => at + 2,
            _ => at + 3,
        }
    }

    /// Boundaries with no punctuation at all: a headline run into its article, where an
    /// article or pronoun that the language writes in lower case mid-sentence comes
    /// capitalized right after a lower-case word ("... causa morte O tombamento ...").
    fn headline_cuts(&self, text: &str, cuts: &mut Vec<usize>) {
        let bytes = text.as_bytes();
        let mut found = Vec::new();
        for at in memchr::memchr_iter(b' ', bytes) {
            // Most spaces are followed by a lower-case letter: one byte rejects them.
            let next = bytes.get(at + 1).copied().unwrap_or(b' ');
            if !(next.is_ascii_uppercase() || next >= 0xC3) {
                continue;
            }
            let previous = text[..at].chars().next_back();
            if !previous.is_some_and(char::is_lowercase) {
                continue;
            }
            let (start, word) = scan::word_after(bytes, at + 1);
            let capitalized = text[start..].chars().next().is_some_and(char::is_uppercase);
            if start == at + 1
                && capitalized
                && bytes.get(start + word.len()) == Some(&b' ')
                && self.lexicon.is_headline_opener(word)
            {
                found.push(at);
            }
        }
        merge_cuts(cuts, found);
    }

    fn apply_patterns(&self, text: &str, cuts: &mut Vec<usize>) {
        for pattern in &self.always_split {
            for captures in pattern.captures_iter(text) {
                let whole = captures.get(0).expect("group 0 always matches");
                cuts.push(captures.get(1).map_or(whole.end(), |group| group.start()));
            }
        }
        cuts.sort_unstable();
        cuts.dedup();
        if self.never_split.is_empty() {
            return;
        }
        // One sweep over the sorted cuts per pattern, so many matches cost no more than one.
        let mut forbidden: Vec<(usize, usize)> = self
            .never_split
            .iter()
            .flat_map(|pattern| {
                pattern
                    .find_iter(text)
                    .map(|found| (found.start(), found.end()))
            })
            .collect();
        forbidden.sort_unstable();
        let mut ranges = forbidden.into_iter().peekable();
        let mut reach = 0;
        cuts.retain(|&cut| {
            while let Some(&(start, end)) = ranges.peek() {
                if start >= cut {
                    break;
                }
                reach = reach.max(end);
                ranges.next();
            }
            cut >= reach
        });
    }
}

/// An enumeration label inside a line: "2)", "(b)", "c.".
#[derive(Debug, Clone, Copy)]
struct Label {
    /// Where the label starts.
    start: usize,
    /// One past the label.
    end: usize,
    /// Its value: the number, or the letter's place in the alphabet.
    value: u32,
    /// Digits, lower-case or upper-case letters, with `)` or `.`: items of one list share it.
    style: (u8, u8),
    /// True once a cut was made before it.
    cut: bool,
}

/// Reads the label ending with the `)` or `.` at `at`: one or two digits or one letter,
/// standing alone between spaces ("... 2) Call Bob", "... b. blue").
fn label_at(bytes: &[u8], at: usize) -> Option<Label> {
    if bytes.get(at + 1) != Some(&b' ') {
        return None;
    }
    let digits = bytes[at.saturating_sub(2)..at]
        .iter()
        .rev()
        .take_while(|b| b.is_ascii_digit())
        .count();
    let (start, value, kind) = if digits > 0 {
        let value = bytes[at - digits..at]
            .iter()
            .fold(0, |value, digit| value * 10 + u32::from(digit - b'0'));
        (at - digits, value, b'0')
    } else {
        let letter = *bytes.get(at.checked_sub(1)?)?;
        if !letter.is_ascii_alphabetic() {
            return None;
        }
        let kind = if letter.is_ascii_lowercase() {
            b'a'
        } else {
            b'A'
        };
        let value = u32::from(letter.to_ascii_lowercase() - b'a') + 1;
        (at - 1, value, kind)
    };
    // "(1)" is as often a footnote mark as an item: only bare labels count.
    if start == 0 || bytes[start - 1] != b' ' {
        return None;
    }
    Some(Label {
        start,
        end: at + 1,
        value,
        style: (kind, bytes[at]),
        cut: false,
    })
}

/// Items of a list written on one line ("Steps: 1) open the box 2) take it out"; "a. red
/// b. blue"): a label that follows the previous label of its list in sequence starts a new
/// sentence, and so does the list's first item once its second is seen. Labels out of
/// sequence, or with almost nothing between them ("A. B. Smith"), are left alone.
///
/// `dot_labels` are the labels ending in a period, in order; those ending in `)` are found
/// here (the character is rare, so memchr finds them at memory speed).
fn inline_list_cuts(bytes: &[u8], dot_labels: Vec<Label>, cuts: &mut Vec<usize>) {
    const LONGEST_ITEM: usize = 2000;
    let paren_labels = memchr::memchr_iter(b')', bytes).filter_map(|at| label_at(bytes, at));
    let labels = merge_labels(dot_labels.into_iter().peekable(), paren_labels.peekable());
    let mut found = Vec::new();
    let mut last: Option<Label> = None;
    for mut label in labels {
        if let Some(previous) = last {
            let follows = previous.style == label.style
                && label.value == previous.value + 1
                && label.start >= previous.end + 4
                && label.start - previous.end <= LONGEST_ITEM;
            if follows {
                if previous.value == 1 && !previous.cut {
                    found.push(previous.start);
                }
                found.push(label.start);
                label.cut = true;
            }
        }
        last = Some(label);
    }
    merge_cuts(cuts, found);
}

/// The labels of two position-ordered sequences, in position order.
fn merge_labels(
    mut dots: std::iter::Peekable<impl Iterator<Item = Label>>,
    mut parens: std::iter::Peekable<impl Iterator<Item = Label>>,
) -> impl Iterator<Item = Label> {
    std::iter::from_fn(move || match (dots.peek(), parens.peek()) {
        (Some(dot), Some(paren)) if dot.start <= paren.start => dots.next(),
        (_, Some(_)) => parens.next(),
        (Some(_), None) => dots.next(),
        (None, None) => None,
    })
}

/// Merges sorted `found` into sorted `cuts` in one pass (no re-sort of the whole list: a
/// document has one cut per sentence, the extra rules add a few).
fn merge_cuts(cuts: &mut Vec<usize>, found: Vec<usize>) {
    if found.is_empty() {
        return;
    }
    let mut merged = Vec::with_capacity(cuts.len() + found.len());
    let (mut old, mut new) = (cuts.iter().peekable(), found.into_iter().peekable());
    loop {
        let next = match (old.peek(), new.peek()) {
            (Some(&&a), Some(&b)) if a <= b => old.next().copied(),
            (Some(_), Some(_)) | (None, Some(_)) => new.next(),
            (Some(_), None) => old.next().copied(),
            (None, None) => break,
        };
        if let Some(cut) = next {
            if merged.last() != Some(&cut) {
                merged.push(cut);
            }
        }
    }
    *cuts = merged;
}

fn compile(patterns: &[String]) -> Result<Vec<Regex>, SplitterError> {
    patterns
        .iter()
        .map(|pattern| {
            Regex::new(pattern).map_err(|error| SplitterError::Pattern {
                pattern: pattern.clone(),
                message: error.to_string(),
            })
        })
        .collect()
}

/// The whitespace-trimmed, non-empty pieces of `text` between consecutive cuts.
fn spans_between(text: &str, cuts: &[usize]) -> Vec<Span> {
    let mut spans = Vec::with_capacity(cuts.len() + 1);
    let mut start = 0;
    for &cut in cuts.iter().chain(std::iter::once(&text.len())) {
        if cut < start {
            continue;
        }
        let piece = &text[start..cut];
        let trimmed = piece.trim_start();
        let first = start + (piece.len() - trimmed.len());
        let trimmed = trimmed.trim_end();
        if !trimmed.is_empty() {
            spans.push(Span::new(first, first + trimmed.len()));
        }
        start = cut;
    }
    spans
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn check_invariants(text: &str, spans: &[Span]) -> Result<(), TestCaseError> {
        let mut covered_to = 0;
        for span in spans {
            prop_assert!(span.check(text).is_ok(), "{span} in {text:?}");
            prop_assert!(
                span.start >= covered_to,
                "unsorted or overlapping: {spans:?}"
            );
            let sentence = &text[span.start..span.end];
            prop_assert!(!sentence.is_empty());
            prop_assert_eq!(sentence.trim(), sentence);
            prop_assert!(text[covered_to..span.start].trim().is_empty());
            covered_to = span.end;
        }
        prop_assert!(text[covered_to..].trim().is_empty());
        Ok(())
    }

    /// Text made of the pieces that drive the rules, so generated cases reach them often.
    fn sentence_like() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            Just("Mr."),
            Just("U.S."),
            Just("No. 5"),
            Just("end."),
            Just("The"),
            Just("word"),
            Just("?!"),
            Just("..."),
            Just("…"),
            Just("\""),
            Just(")"),
            Just("(["),
            Just("[12]"),
            Just("1."),
            Just("- "),
            Just(" "),
            Just("\n"),
            Just("\r\n"),
            Just("\u{2029}"),
            Just("。"),
            Just("é"),
            Just("3.5"),
            Just("\u{61f}"),
            Just("\u{60c} "),
            Just("\u{645}."),
            Just(" \u{bb}"),
            Just("\u{ab}"),
            Just("\u{201e}"),
            Just("\u{201c}"),
            Just(" ''"),
            Just(",,"),
            Just("\u{bf}"),
            Just("\u{130}st."),
            Just("3. "),
            Just(": "),
            Just("1) "),
            Just("a. "),
            Just("\u{300c}"),
            Just("\u{300d}\u{3068}"),
            Just("St. "),
            Just("O "),
            Just(" - "),
        ];
        prop::collection::vec(piece, 0..40).prop_map(|pieces| pieces.concat())
    }

    /// Arabic-script text with its punctuation, beside the letters whose encodings share a
    /// byte with `؟` (D8 9F) or `۔` (DB 94): ß (C3 9F), ğ (C4 9F), П (D0 9F), Д (D0 94), ڟ (DA
    /// 9F), the combining hamza (D9 94), — (E2 80 94) and a Han character ending in 9F.
    fn arabic_like() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            Just("قال"),
            Just("الرئيس"),
            Just("د."),
            Just("م."),
            Just("\u{61f}"),
            Just("\u{6d4}"),
            Just("\u{60c} "),
            Just("\u{61b}"),
            Just("."),
            Just("!"),
            Just(" "),
            Just("\n"),
            Just("\u{ab}"),
            Just("\u{bb}"),
            Just("ß"),
            Just("ğ"),
            Just("П"),
            Just("Д"),
            Just("\u{69f}"),
            Just("\u{654}"),
            Just("\u{2014}"),
            Just("\u{4e1f}"),
            Just("The"),
            Just("3.5"),
            Just("。"),
        ];
        prop::collection::vec(piece, 0..40).prop_map(|pieces| pieces.concat())
    }

    proptest! {
        #[test]
        fn spans_keep_the_invariants_on_any_text(text in "\\PC{0,200}") {
            check_invariants(&text, &SentenceSplitter::new().split(&text))?;
            let arabic = SentenceSplitter::for_language("ar").expect("built in");
            check_invariants(&text, &arabic.split(&text))?;
        }

        #[test]
        fn spans_keep_the_invariants_on_sentence_like_text(text in sentence_like()) {
            for newlines in [NewlinePolicy::Auto, NewlinePolicy::Split, NewlinePolicy::Join] {
                let splitter = SentenceSplitter::with_lexicon(Lexicon::english(), newlines);
                check_invariants(&text, &splitter.split(&text))?;
            }
        }

        #[test]
        fn every_language_keeps_the_invariants(text in sentence_like()) {
            for lang in crate::LANGUAGES {
                let splitter = SentenceSplitter::for_language(lang).expect("built in");
                check_invariants(&text, &splitter.split(&text))?;
            }
        }

        /// The Arabic scan table is a choice of speed: with either table, every language
        /// finds the same boundaries in any text, Arabic or not.
        #[test]
        fn scan_tables_agree(text in arabic_like(), lang in prop::sample::select(&crate::LANGUAGES[..])) {
            let splitter = SentenceSplitter::for_language(lang).expect("built in");
            let with = |class| SentenceSplitter { class, ..splitter.clone() }.split(&text);
            prop_assert_eq!(with(&scan::CLASS), with(&scan::ARABIC_SCRIPT_CLASS));
        }

        #[test]
        fn patterns_keep_the_invariants(text in sentence_like()) {
            let splitter = SentenceSplitter::with_options(&SplitterOptions {
                never_split: vec![r"\. [A-Z]".into()],
                always_split: vec![r"\s(The)".into(), "word".into(), "".into()],
                ..SplitterOptions::default()
            })
            .unwrap();
            check_invariants(&text, &splitter.split(&text))?;
        }
    }

    #[test]
    fn arabic_bench_text_splits_alike_with_either_scan_table() {
        let text = include_str!("../benches/fixtures/ar.txt");
        let arabic = SentenceSplitter::for_language("ar").expect("built in");
        let spans = arabic.split(text);
        let with_lead_bytes = SentenceSplitter {
            class: &scan::CLASS,
            ..arabic.clone()
        };
        assert_eq!(spans, with_lead_bytes.split(text));
        assert!(spans.len() > 5, "{}", spans.len());
    }

    #[test]
    fn bad_patterns_are_reported() {
        let error = SentenceSplitter::with_options(&SplitterOptions {
            never_split: vec!["(".into()],
            ..SplitterOptions::default()
        })
        .unwrap_err();
        assert!(matches!(error, SplitterError::Pattern { pattern, .. } if pattern == "("));
    }

    #[test]
    fn extra_abbreviations_are_used() {
        let text = "Send it to the Purchasing Dpt. The team reads it.";
        let plain = SentenceSplitter::new().split(text);
        assert_eq!(plain.len(), 2);
        let extended = SentenceSplitter::with_options(&SplitterOptions {
            abbreviations: vec!["Dpt.".into()],
            never_split: vec![r"Dpt\. The team".into()],
            ..SplitterOptions::default()
        })
        .unwrap();
        assert_eq!(extended.split(text).len(), 1);
    }
}
