//! Byte-level reading of the text around a candidate boundary: where terminators are, how far
//! a run of them and its closing quotes reaches, and the words on either side.
//!
//! Everything here works on `&[u8]` and only ever stops on ASCII bytes or after whole
//! characters, so every position it returns is a char boundary of the original `&str`.

/// Byte classes of the scan: the splitter stops only on bytes whose class is not `OTHER`.
pub(crate) const OTHER: u8 = 0;
/// `.`, `?`, `!`.
pub(crate) const TERMINATOR: u8 = 1;
/// `\n`, `\r`.
pub(crate) const NEWLINE: u8 = 2;
/// `:`, `;`, `=`, `^`: the first byte of most emoticons.
pub(crate) const EMOTICON: u8 = 4;
/// Lead bytes of multi-byte characters that may terminate or separate (`…`, `。`, `！`, `؟`,
/// U+2028/U+2029): checked in full only when met.
pub(crate) const WIDE: u8 = 3;

/// `0x9F` and `0x94`, the continuation bytes of the Arabic question mark `؟` (D8 9F) and full
/// stop `۔` (DB 94), in [`ARABIC_SCRIPT_CLASS`]: checked against the byte before when met.
pub(crate) const WIDE_TAIL: u8 = 5;

/// The class of every byte value.
pub(crate) static CLASS: [u8; 256] = {
    let mut table = [OTHER; 256];
    table[b'.' as usize] = TERMINATOR;
    table[b'?' as usize] = TERMINATOR;
    table[b'!' as usize] = TERMINATOR;
    table[b'\n' as usize] = NEWLINE;
    table[b'\r' as usize] = NEWLINE;
    table[b':' as usize] = EMOTICON;
    table[b';' as usize] = EMOTICON;
    table[b'=' as usize] = EMOTICON;
    table[b'^' as usize] = EMOTICON;
    table[0xE2] = WIDE; // U+2000..U+2FFF: … ‼ ⁇ ⁈ ⁉, line and paragraph separators
    table[0xE3] = WIDE; // U+3000..U+3FFF: 。
    table[0xEF] = WIDE; // U+F000..U+FFFF: ！ ？ ｡
    table[0xD8] = WIDE; // U+0600..U+063F: the Arabic question mark ؟
    table[0xDB] = WIDE; // U+06C0..U+06FF: the Arabic full stop ۔
    table
};

/// [`CLASS`] for text in Arabic script. There nearly every letter is two bytes led by 0xD8 or
/// 0xD9, in no predictable order, so stopping on the lead 0xD8 halted the scan at about one
/// letter in two and mispredicted the branch about as often. This table stops on the rare
/// continuation bytes of `؟` and `۔` instead. It finds exactly the candidates [`CLASS`]
/// finds, in any text, but elsewhere those continuation bytes are common (ß, ş, ğ, П), so
/// only Arabic uses it.
pub(crate) static ARABIC_SCRIPT_CLASS: [u8; 256] = {
    let mut table = CLASS;
    table[0xD8] = OTHER;
    table[0xDB] = OTHER;
    table[0x9F] = WIDE_TAIL;
    table[0x94] = WIDE_TAIL;
    table
};

/// The byte-class table for text in `lang` (a primary subtag).
pub(crate) fn class_table(lang: &str) -> &'static [u8; 256] {
    match lang {
        "ar" => &ARABIC_SCRIPT_CLASS,
        _ => &CLASS,
    }
}

/// Where the Arabic-script terminator whose continuation byte is at `at` starts (see
/// [`ARABIC_SCRIPT_CLASS`]), or `None` when that byte belongs to another character.
#[inline]
pub(crate) fn arabic_terminator_before(bytes: &[u8], at: usize) -> Option<usize> {
    let lead = at.checked_sub(1)?;
    matches!(bytes[lead..], [0xD8, 0x9F, ..] | [0xDB, 0x94, ..]).then_some(lead)
}

/// Position of the next byte at or after `from` whose class in `class` is not [`OTHER`].
#[inline]
pub(crate) fn next_candidate(class: &[u8; 256], bytes: &[u8], from: usize) -> Option<usize> {
    bytes
        .get(from..)?
        .iter()
        .position(|&b| class[b as usize] != OTHER)
        .map(|offset| from + offset)
}

/// What a run of terminators says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RunKind {
    /// One period.
    Period,
    /// Two or more periods (also spaced, `. . .`) or `…`.
    Ellipsis,
    /// Contains `?` or `!`.
    Strong,
    /// A CJK full stop, question or exclamation mark: ends a sentence with no space after.
    FullWidth,
}

/// A run of terminators with its closing quotes and brackets.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Run {
    pub kind: RunKind,
    /// One past the last terminator of the first group (before any closer).
    pub terminators_end: usize,
    /// One past the run, closers and trailing citation marks included: where a sentence that
    /// ends here ends.
    pub end: usize,
    /// True when a closing quote or bracket follows the terminators.
    pub closed: bool,
}

/// The terminator character starting at `at`, with its length and kind.
pub(crate) fn terminator_at(bytes: &[u8], at: usize) -> Option<(usize, RunKind)> {
    match bytes.get(at..)? {
        [b'.', ..] => Some((1, RunKind::Period)),
        [b'?' | b'!', ..] => Some((1, RunKind::Strong)),
        [0xE2, 0x80, 0xA6, ..] => Some((3, RunKind::Ellipsis)), // …
        [0xE2, 0x80, 0xBC, ..] | [0xE2, 0x81, 0x87..=0x89, ..] => Some((3, RunKind::Strong)), // ‼ ⁇ ⁈ ⁉
        [0xE3, 0x80, 0x82, ..] | [0xEF, 0xBC, 0x81 | 0x9F, ..] | [0xEF, 0xBD, 0xA1, ..] => {
            Some((3, RunKind::FullWidth)) // 。 ！ ？ ｡
        }
        [0xD8, 0x9F, ..] => Some((2, RunKind::Strong)), // ؟
        [0xDB, 0x94, ..] => Some((2, RunKind::Period)), // ۔
        _ => None,
    }
}

/// Length of the closing quote or bracket at `at`, if there is one.
///
/// “ and ‘ count when a space or punctuation follows them: German closes „quotations“ with
/// them; before a word they open the next sentence's quotation (`。“創価学会”`).
pub(crate) fn closer_at(bytes: &[u8], at: usize) -> Option<usize> {
    match bytes.get(at..)? {
        [b'"' | b'\'' | b')' | b']' | b'}', ..] => Some(1),
        [0xE2, 0x80, 0x9C | 0x98, rest @ ..] => match rest.first() {
            None => Some(3),
            Some(&next) if next < 0x80 && !next.is_ascii_alphanumeric() => Some(3),
            Some(_) => None,
        },
        // ” ’ › » 」 』 ） 】
        [0xE2, 0x80, 0x9D | 0x99 | 0xBA, ..] => Some(3),
        [0xC2, 0xBB, ..] => Some(2),
        [0xE3, 0x80, 0x8D | 0x8F | 0x91, ..] | [0xEF, 0xBC, 0x89, ..] => Some(3),
        _ => None,
    }
}

/// Length of a quotation mark closing after a space, space included: a guillemet as French
/// sets them (`. »`, `! ›`, with a space or a no-break space inside the quotation marks), or
/// two apostrophes standing for a closing quote (`. ''`, as Dutch typewriter text writes it).
fn spaced_guillemet_at(bytes: &[u8], at: usize) -> Option<usize> {
    let space = match bytes.get(at..)? {
        [b' ', ..] => 1,
        [0xC2, 0xA0, ..] => 2,       // no-break space
        [0xE2, 0x80, 0xAF, ..] => 3, // narrow no-break space
        _ => return None,
    };
    match bytes.get(at + space..)? {
        [0xC2, 0xBB, ..] => Some(space + 2),       // »
        [0xE2, 0x80, 0xBA, ..] => Some(space + 3), // ›
        [b'\'', b'\'', after, ..] if after.is_ascii_whitespace() => Some(space + 2),
        [b'\'', b'\''] => Some(space + 2),
        _ => None,
    }
}

/// Length of the opening quote or bracket at `at`, if there is one.
pub(crate) fn opener_at(bytes: &[u8], at: usize) -> Option<usize> {
    match bytes.get(at..)? {
        [b',', b',', ..] => Some(2), // ,,Dutch typewriter quotes''
        [b'"' | b'\'' | b'(' | b'[' | b'{' | b'*' | b'_', ..] => Some(1),
        // “ ‘ „ ‚ ‹ « ¿ ¡ 「 『 （ 【
        [0xE2, 0x80, 0x9C | 0x98 | 0x9E | 0x9A | 0xB9, ..] => Some(3),
        [0xC2, 0xAB | 0xBF | 0xA1, ..] => Some(2),
        [0xE3, 0x80, 0x8C | 0x8E | 0x90, ..] | [0xEF, 0xBC, 0x88, ..] => Some(3),
        _ => None,
    }
}

/// Reads the run of terminators starting at `at` (a terminator), its closers, any further
/// terminators after them (`"Stop!".`) and citation marks (`. [12]`).
pub(crate) fn read_run(bytes: &[u8], at: usize) -> Run {
    let mut pos = at;
    let (mut dots, mut strong, mut ellipsis, mut full_width) = (0usize, false, false, false);
    let mut terminators_end = at;
    let mut closed = false;
    // True when the last closer is a quotation mark rather than a bracket.
    let mut quoted = false;
    // Only a run that stands alone (" . . .") reads spaced periods as one ellipsis; after a
    // word ("day. ...") the first period ends the word's sentence.
    let standalone = at == 0 || bytes[at - 1].is_ascii_whitespace();
    loop {
        let mut moved = false;
        while let Some((len, kind)) = terminator_at(bytes, pos) {
            match kind {
                RunKind::Period => dots += 1,
                RunKind::Strong => strong = true,
                RunKind::Ellipsis => ellipsis = true,
                RunKind::FullWidth => full_width = true,
            }
            pos += len;
            moved = true;
            // A spaced ellipsis, ". . .", reads as one run.
            // A spaced ellipsis (" . . .") or spaced marks ("? ? ?") read as one run.
            let spaced_next = match kind {
                RunKind::Period => standalone && bytes.get(pos..pos + 2) == Some(b" ."),
                RunKind::Strong => matches!(bytes.get(pos..pos + 2), Some(b" ?" | b" !")),
                _ => false,
            };
            if spaced_next {
                pos += 1;
            }
            if !closed {
                terminators_end = pos;
            }
        }
        while let Some(len) = closer_at(bytes, pos).or_else(|| spaced_guillemet_at(bytes, pos)) {
            quoted = !matches!(bytes[pos], b')' | b']' | b'}') && bytes[pos + len - 1] != 0x89;
            pos += len;
            closed = true;
            moved = true;
        }
        if !moved || terminator_at(bytes, pos).is_none() {
            break;
        }
    }
    let kind = if full_width {
        RunKind::FullWidth
    } else if strong {
        RunKind::Strong
    } else if ellipsis || dots > 1 {
        RunKind::Ellipsis
    } else {
        RunKind::Period
    };
    Run {
        kind,
        terminators_end,
        end: skip_citations(bytes, if quoted { skip_source(bytes, pos) } else { pos }),
        closed,
    }
}

/// Skips the source in parentheses that follows a closing quote (`"We will win." (AP) The
/// vote`, `… for all.” (Smith, 2001) Later`): it belongs to the quoted sentence. Only a short
/// note with no sentence of its own, followed by a space or the end of the text.
fn skip_source(bytes: &[u8], from: usize) -> usize {
    const LONGEST_SOURCE: usize = 40;
    if bytes.get(from..from + 2) != Some(b" (") {
        return from;
    }
    let note = bytes[from + 2..]
        .iter()
        .take(LONGEST_SOURCE + 1)
        .take_while(|&&b| b.is_ascii_alphanumeric() || b" ,.&'-:;/".contains(&b) || b >= 0x80)
        .count();
    let close = from + 2 + note;
    let after = bytes.get(close + 1);
    if note == 0
        || note > LONGEST_SOURCE
        || bytes.get(close) != Some(&b')')
        || bytes[close - 1] == b'.'
        || !after.is_none_or(u8::is_ascii_whitespace)
    {
        return from;
    }
    close + 1
}

/// Skips citation marks and editorial notes that belong to the sentence before them:
/// `. [12]`, `.[3][4]`, `. [citation needed]`.
fn skip_citations(bytes: &[u8], from: usize) -> usize {
    const LONGEST_NOTE: usize = 24;
    let mut end = from;
    loop {
        let mut pos = end;
        if bytes.get(pos) == Some(&b' ') {
            pos += 1;
        }
        if bytes.get(pos) != Some(&b'[') {
            return end;
        }
        let note = bytes[pos + 1..]
            .iter()
            .take(LONGEST_NOTE + 1)
            .take_while(|&&b| b.is_ascii_alphanumeric() || b == b' ')
            .count();
        let close = pos + 1 + note;
        if note == 0 || note > LONGEST_NOTE || bytes.get(close) != Some(&b']') {
            return end;
        }
        end = close + 1;
    }
}

/// Skips whitespace from `from`; returns the first non-whitespace position and the number of
/// line breaks passed (`\r\n` counts once, U+2029 counts as a blank line).
pub(crate) fn skip_whitespace(text: &str, from: usize) -> (usize, usize) {
    let bytes = text.as_bytes();
    let mut pos = from;
    let mut breaks = 0;
    while let Some(&b) = bytes.get(pos) {
        match b {
            b'\n' => breaks += 1,
            b'\r' if bytes.get(pos + 1) != Some(&b'\n') => breaks += 1,
            b' ' | b'\t' | b'\r' | 0x0B | 0x0C => {}
            b if b < 0x80 => break,
            _ => {
                let Some(c) = text[pos..].chars().next() else {
                    break;
                };
                match c {
                    '\u{2028}' => breaks += 1,
                    '\u{2029}' => breaks += 2,
                    c if c.is_whitespace() => {}
                    _ => break,
                }
                pos += c.len_utf8();
                continue;
            }
        }
        pos += 1;
    }
    (pos, breaks)
}

/// The longest token, in bytes, whose shape the rules read. A longer token (a URL, a page of
/// `U.S.U.S.` with no space, base64) is an ordinary word to every rule, so the splitter never
/// looks further back or forward than this from a candidate: that bound is what keeps the
/// whole pass linear in the text, however its tokens are built.
pub(crate) const LONGEST_TOKEN: usize = 64;

/// Start of the whitespace-delimited token that ends at `end`, looking back at most
/// [`LONGEST_TOKEN`] bytes: a longer token starts, as far as the rules care, at the first
/// char boundary inside that window (see [`is_long_token`]).
pub(crate) fn token_start(bytes: &[u8], end: usize) -> usize {
    let window = end.saturating_sub(LONGEST_TOKEN);
    match bytes[window..end].iter().rposition(u8::is_ascii_whitespace) {
        Some(i) => window + i + 1,
        None if window == 0 => 0,
        None => {
            let mut start = window;
            while start < end && (0x80..0xC0).contains(&bytes[start]) {
                start += 1;
            }
            start
        }
    }
}

/// True when the token ending at `end` and starting (as [`token_start`] sees it) at `start`
/// is longer than the rules read.
pub(crate) fn is_long_token(bytes: &[u8], start: usize, end: usize) -> bool {
    end - start >= LONGEST_TOKEN - 3 && start > 0 && !bytes[start - 1].is_ascii_whitespace()
}

/// The bytes before `end` with at most [`LONGEST_TOKEN`] trailing whitespace bytes removed:
/// what stands before a token, read in bounded time. After a longer run of whitespace the
/// result still ends in whitespace, which no rule reads as punctuation.
pub(crate) fn before_spaces(bytes: &[u8], end: usize) -> &[u8] {
    let floor = end.saturating_sub(LONGEST_TOKEN);
    let mut cut = end;
    while cut > floor && bytes[cut - 1].is_ascii_whitespace() {
        cut -= 1;
    }
    &bytes[..cut]
}

/// The token ending at `end` with its opening quotes and brackets removed.
pub(crate) fn word_before(bytes: &[u8], end: usize) -> (usize, &[u8]) {
    let mut start = token_start(bytes, end);
    while start < end {
        match opener_at(bytes, start) {
            Some(len) if start + len <= end => start += len,
            _ => break,
        }
    }
    (start, &bytes[start..end])
}

/// The word that starts at `from` once opening quotes and brackets are skipped: letters,
/// digits and inner apostrophes, as in "I'm"; at most [`LONGEST_TOKEN`] bytes of it, ending on
/// a char boundary.
pub(crate) fn word_after(bytes: &[u8], from: usize) -> (usize, &[u8]) {
    let mut start = from;
    while start < from + LONGEST_TOKEN {
        match opener_at(bytes, start) {
            Some(len) => start += len,
            None => break,
        }
    }
    let mut len = bytes[start..]
        .iter()
        .take(LONGEST_TOKEN)
        .take_while(|&&b| b.is_ascii_alphanumeric() || b == b'\'' || b >= 0x80)
        .count();
    while len > 0 && start + len < bytes.len() && (0x80..0xC0).contains(&bytes[start + len]) {
        len -= 1;
    }
    (start, &bytes[start..start + len])
}

/// True when only spaces or tabs stand between the previous line break (or the start of the
/// text) and `pos`.
pub(crate) fn at_line_start(bytes: &[u8], pos: usize) -> bool {
    let floor = pos.saturating_sub(LONGEST_TOKEN);
    match bytes[floor..pos]
        .iter()
        .rposition(|&b| !matches!(b, b' ' | b'\t'))
    {
        None => floor == 0,
        Some(i) => matches!(bytes[floor + i], b'\n' | b'\r'),
    }
}

/// True when a list item starts at `pos`: a bullet (`-`, `*`, `•`, `–`) or a short number or
/// letter followed by `.` or `)`, then a space.
pub(crate) fn list_marker_at(bytes: &[u8], pos: usize) -> bool {
    let rest = &bytes[pos..];
    let bullet = match rest {
        [b'-' | b'*' | b'+', ..] => 1,
        [0xE2, 0x80, 0xA2 | 0x93, ..] => 3, // • –
        _ => 0,
    };
    if bullet > 0 {
        return rest.get(bullet) == Some(&b' ');
    }
    let label = rest
        .iter()
        .take(4)
        .take_while(|b| b.is_ascii_alphanumeric())
        .count();
    let numbered = (1..=3).contains(&label) && rest[..label].iter().all(u8::is_ascii_digit);
    let lettered = label == 1;
    (numbered || lettered)
        && matches!(rest.get(label), Some(b'.' | b')'))
        && rest.get(label + 1) == Some(&b' ')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_take_closers_and_citations() {
        let text = b"it\".\" [12] Next";
        let run = read_run(text, 3);
        assert_eq!(run.kind, RunKind::Period);
        assert!(run.closed);
        assert_eq!(run.end, 10);
        assert_eq!(read_run(b"Rome. [citation needed] Then", 4).end, 23);
        assert_eq!(
            read_run(b"Rome. [see the long note here, please] Then", 4).end,
            5
        );
    }

    #[test]
    fn runs_tell_ellipses_from_periods() {
        assert_eq!(read_run(b"a... b", 1).kind, RunKind::Ellipsis);
        assert_eq!(read_run(b"a . . . b", 2).kind, RunKind::Ellipsis);
        assert_eq!(read_run(b"a. . . b", 1).kind, RunKind::Period);
        assert_eq!(read_run("a… b".as_bytes(), 1).kind, RunKind::Ellipsis);
        assert_eq!(read_run(b"a?! b", 1).kind, RunKind::Strong);
        assert_eq!(read_run(b"a. b", 1).kind, RunKind::Period);
    }

    #[test]
    fn whitespace_counts_line_breaks() {
        assert_eq!(skip_whitespace(" \r\n\r\n x", 0), (6, 2));
        assert_eq!(skip_whitespace("\u{a0}\u{2029}x", 0), (5, 2));
    }

    #[test]
    fn list_markers() {
        assert!(list_marker_at(b"1. Item", 0));
        assert!(list_marker_at(b"b) Item", 0));
        assert!(list_marker_at("• Item".as_bytes(), 0));
        assert!(!list_marker_at(b"1990. Then", 0));
        assert!(!list_marker_at(b"-5 degrees", 0));
    }
}
