//! What a single line break means: the newline policy, and how `auto` reads a document's
//! layout.
//!
//! Blank lines always separate sentences. A single line break is ambiguous: in line-oriented
//! text (headings, list items, sign-offs, one paragraph per line) it ends a unit that often has
//! no final punctuation; in hard-wrapped prose it is just a space. Hard wrapping leaves a clear
//! trace: lines of bounded width (rarely over ~100 characters) that often break mid-sentence,
//! so the next line goes on in lower case. `auto` looks for that trace, once per document.

use serde::{Deserialize, Serialize};

/// What a single line break means.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum NewlinePolicy {
    /// Decide per document: join lines for hard-wrapped prose, split otherwise.
    #[default]
    Auto,
    /// Every line break ends a sentence (line-oriented text).
    Split,
    /// A single line break is a space (hard-wrapped prose); list items still start a sentence.
    Join,
}

/// Lines longer than this (in bytes) are not the product of hard wrapping.
const WRAP_WIDTH: usize = 100;

impl NewlinePolicy {
    /// True when single line breaks of `text` end sentences under this policy.
    pub fn splits_lines(self, text: &str) -> bool {
        match self {
            NewlinePolicy::Split => true,
            NewlinePolicy::Join => false,
            NewlinePolicy::Auto => !looks_hard_wrapped(text),
        }
    }
}

/// True when `text` reads as prose hard-wrapped at a fixed width: at least a third of its
/// single line breaks fall mid-sentence, and few of its lines are longer than a wrap width.
pub fn looks_hard_wrapped(text: &str) -> bool {
    let (mut joints, mut wraps, mut long_lines) = (0usize, 0usize, 0usize);
    let mut previous: Option<&[u8]> = None;
    // memchr finds the line breaks at memory speed; a byte-by-byte split cost a tenth of the
    // whole splitter's time on news text.
    let bytes = text.as_bytes();
    let mut line_start = 0;
    let line_ends = memchr::memchr_iter(b'\n', bytes).chain(std::iter::once(bytes.len()));
    for line_end in line_ends {
        let line = &bytes[line_start..line_end];
        line_start = line_end + 1;
        let line = line.trim_ascii();
        if line.is_empty() {
            previous = None;
            continue;
        }
        if let Some(before) = previous {
            joints += 1;
            long_lines += usize::from(before.len() > WRAP_WIDTH);
            wraps += usize::from(breaks_mid_sentence(before, line));
        }
        previous = Some(line);
    }
    joints > 0 && wraps * 3 >= joints && long_lines * 5 <= joints
}

/// A wrapped line holds several words; a list of lower-case items ("flour\nsugar\ntwo eggs")
/// has one or two per line, and its breaks end the items.
fn holds_several_words(line: &[u8]) -> bool {
    // Two spaces are enough to know; most lines are not scanned to their end.
    line.iter().filter(|&&b| b == b' ').nth(1).is_some()
}

/// The line break between `before` and `after` falls inside a sentence: a line of several
/// words ends without closing punctuation and the next one goes on in lower case.
fn breaks_mid_sentence(before: &[u8], after: &[u8]) -> bool {
    let open_end = before
        .last()
        .is_some_and(|&b| !matches!(b, b'.' | b'?' | b'!' | b':' | b'"' | b')' | b']'));
    open_end && after.first().is_some_and(u8::is_ascii_lowercase) && holds_several_words(before)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapped_prose_is_recognised() {
        let prose = "It was the best of times, it was the worst of times, it was the age\n\
                     of wisdom, it was the age of foolishness, it was the epoch of belief,\n\
                     it was the epoch of incredulity, it was the season of Light.";
        assert!(looks_hard_wrapped(prose));
        assert!(!NewlinePolicy::Auto.splits_lines(prose));
    }

    #[test]
    fn line_oriented_text_is_not_wrapped() {
        let lines = "Ingredients\nTwo cups of flour\nOne egg\n\nBest regards\nAnna";
        assert!(!looks_hard_wrapped(lines));
        let paragraphs = format!(
            "{}\n{}",
            "A long paragraph line. ".repeat(10),
            "Another one."
        );
        assert!(!looks_hard_wrapped(&paragraphs));
    }

    #[test]
    fn explicit_policies_ignore_the_text() {
        assert!(NewlinePolicy::Split.splits_lines("a\nb"));
        assert!(!NewlinePolicy::Join.splits_lines("a\nb"));
    }
}
