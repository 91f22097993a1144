//! Byte spans and converters to other offset systems.
//!
//! Every span in textpipe is a half-open range `start..end` of UTF-8 *byte* offsets into the
//! document's `text`, and both ends lie on char boundaries. Bytes are what Rust slices by and
//! what costs nothing to compute; users of other ecosystems (Python strings count code points,
//! JavaScript and Java count UTF-16 units) convert with [`OffsetConverter`].

use serde::{Deserialize, Serialize};

/// A half-open range of UTF-8 byte offsets into a document's text.
///
/// ```
/// use textpipe_core::Span;
/// let text = "Grüße aus Köln.";
/// let span = Span::new(12, 17);
/// assert_eq!(span.slice(text), Some("Köln"));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Span {
    /// First byte of the span.
    pub start: usize,
    /// One past the last byte of the span.
    pub end: usize,
}

impl Span {
    /// A span from `start` to `end` (exclusive).
    pub const fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }

    /// Length in bytes.
    pub const fn len(&self) -> usize {
        self.end.saturating_sub(self.start)
    }

    /// True when the span covers no bytes.
    pub const fn is_empty(&self) -> bool {
        self.end <= self.start
    }

    /// The text the span covers, or `None` when it is out of bounds or splits a character.
    pub fn slice<'t>(&self, text: &'t str) -> Option<&'t str> {
        if self.start > self.end {
            return None;
        }
        text.get(self.start..self.end)
    }

    /// Checks that the span is ordered, inside `text` and on char boundaries.
    pub fn check(&self, text: &str) -> Result<(), SpanError> {
        if self.start > self.end {
            return Err(SpanError::Reversed(*self));
        }
        if self.end > text.len() {
            return Err(SpanError::OutOfBounds {
                span: *self,
                len: text.len(),
            });
        }
        if !text.is_char_boundary(self.start) || !text.is_char_boundary(self.end) {
            return Err(SpanError::NotCharBoundary(*self));
        }
        Ok(())
    }

    /// True when the two spans share at least one byte.
    pub const fn overlaps(&self, other: &Span) -> bool {
        self.start < other.end && other.start < self.end
    }
}

impl std::fmt::Display for Span {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}..{}", self.start, self.end)
    }
}

/// Why a span is not valid for a text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SpanError {
    /// `start` is after `end`.
    #[error("span {0} ends before it starts")]
    Reversed(Span),
    /// The span reaches past the end of the text.
    #[error("span {span} is outside the text ({len} bytes)")]
    OutOfBounds {
        /// The offending span.
        span: Span,
        /// Length of the text in bytes.
        len: usize,
    },
    /// One end of the span falls inside a multi-byte character.
    #[error("span {0} does not lie on UTF-8 character boundaries")]
    NotCharBoundary(Span),
    /// An entity's `text` field differs from the text its span covers.
    #[error("span {0} does not cover the text the item claims")]
    TextMismatch(Span),
    /// Spans of a layer that must be sorted and disjoint are not.
    #[error("span {later} overlaps or comes before span {earlier}")]
    Unordered {
        /// The span that came first in the layer.
        earlier: Span,
        /// The span that should have started at or after `earlier.end`.
        later: Span,
    },
}

/// Converts byte offsets of one text to char (code point) and UTF-16 offsets.
///
/// Built once per text in O(n); each conversion is then a binary search over the positions of
/// multi-byte characters only, so ASCII-heavy text costs almost nothing.
///
/// ```
/// use textpipe_core::OffsetConverter;
/// let text = "a😀b";
/// let conv = OffsetConverter::new(text);
/// assert_eq!(conv.char_offset(5), Some(2)); // byte 5 is 'b'
/// assert_eq!(conv.utf16_offset(5), Some(3)); // the emoji is two UTF-16 units
/// ```
#[derive(Debug, Clone)]
pub struct OffsetConverter {
    len: usize,
    /// For every multi-byte char: (byte offset just after it, extra bytes so far, extra UTF-16
    /// units so far). "Extra" counts what the char adds beyond one unit per char.
    wide: Vec<(usize, usize, usize)>,
    /// Byte offsets that fall inside a multi-byte char, sorted.
    inner_bytes: Vec<usize>,
}

impl OffsetConverter {
    /// Indexes `text` for conversions.
    pub fn new(text: &str) -> Self {
        let mut wide = Vec::new();
        let mut inner = Vec::new();
        let (mut extra_bytes, mut extra_units) = (0usize, 0usize);
        for (i, c) in text.char_indices() {
            let n = c.len_utf8();
            if n > 1 {
                extra_bytes += n - 1;
                // One UTF-16 unit per char is counted by the char count; supplementary
                // characters take a second unit.
                extra_units += n - 1 - (c.len_utf16() - 1);
                wide.push((i + n, extra_bytes, extra_units));
                inner.extend(i + 1..i + n);
            }
        }
        OffsetConverter {
            len: text.len(),
            wide,
            inner_bytes: inner,
        }
    }

    fn lookup(&self, byte: usize) -> Option<(usize, usize)> {
        if byte > self.len || self.inner_bytes.binary_search(&byte).is_ok() {
            return None;
        }
        let idx = self.wide.partition_point(|&(after, _, _)| after <= byte);
        Some(match idx {
            0 => (0, 0),
            k => (self.wide[k - 1].1, self.wide[k - 1].2),
        })
    }

    /// The number of chars before byte offset `byte`; `None` if it is not a char boundary.
    pub fn char_offset(&self, byte: usize) -> Option<usize> {
        self.lookup(byte).map(|(extra, _)| byte - extra)
    }

    /// The number of UTF-16 code units before byte offset `byte`; `None` if it is not a char
    /// boundary.
    pub fn utf16_offset(&self, byte: usize) -> Option<usize> {
        self.lookup(byte).map(|(_, extra_units)| byte - extra_units)
    }

    /// A byte span as a char span.
    pub fn char_span(&self, span: Span) -> Option<(usize, usize)> {
        Some((self.char_offset(span.start)?, self.char_offset(span.end)?))
    }

    /// A byte span as a UTF-16 span.
    pub fn utf16_span(&self, span: Span) -> Option<(usize, usize)> {
        Some((self.utf16_offset(span.start)?, self.utf16_offset(span.end)?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn check_rejects_split_characters() {
        let text = "é";
        assert!(Span::new(0, 2).check(text).is_ok());
        assert_eq!(
            Span::new(0, 1).check(text),
            Err(SpanError::NotCharBoundary(Span::new(0, 1)))
        );
        assert!(matches!(
            Span::new(0, 3).check(text),
            Err(SpanError::OutOfBounds { .. })
        ));
        assert!(matches!(
            Span::new(2, 1).check(text),
            Err(SpanError::Reversed(_))
        ));
    }

    #[test]
    fn converter_rejects_inner_bytes() {
        let conv = OffsetConverter::new("aé");
        assert_eq!(conv.char_offset(2), None);
        assert_eq!(conv.char_offset(3), Some(2));
        assert_eq!(conv.char_offset(4), None);
    }

    proptest! {
        #[test]
        fn converters_agree_with_char_indices_and_utf16(text in "\\PC{0,64}") {
            let conv = OffsetConverter::new(&text);
            let mut units = 0;
            for (chars, (byte, c)) in text.char_indices().enumerate() {
                prop_assert_eq!(conv.char_offset(byte), Some(chars));
                prop_assert_eq!(conv.utf16_offset(byte), Some(units));
                for inner in byte + 1..byte + c.len_utf8() {
                    prop_assert_eq!(conv.char_offset(inner), None);
                }
                units += c.len_utf16();
            }
            prop_assert_eq!(conv.char_offset(text.len()), Some(text.chars().count()));
            prop_assert_eq!(conv.utf16_offset(text.len()), Some(text.encode_utf16().count()));
        }
    }
}
