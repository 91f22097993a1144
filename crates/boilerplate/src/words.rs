//! Words as the scorer and the classifier see them, and the stable hash that names them.
//!
//! A word is a maximal run of alphanumeric characters or `_` (Python's `\w+`), the tokenization
//! the public article-extraction benchmarks use. Words are compared lowercased; rather than
//! allocate a lowercased copy, [`word_hash`] hashes the lowercased characters directly, and a
//! stop word is recognised by its hash ([`is_stop_word_hash`]), so a block's words are looked at
//! once.
//!
//! The hash is our own (FNV-style constants, eight bytes per step) so that feature indices in
//! the shipped model never depend on a library's hasher, which may change between versions or
//! platforms.

use std::sync::OnceLock;

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

/// True for characters that belong to words (`\w`).
///
/// Scripts that fill whole pages (CJK, Hangul) and the punctuation of every page (dashes,
/// curly quotes, bullets) are answered by a range test; the rest by the Unicode tables, whose
/// lookup costs as much as the rest of the word loop.
pub fn is_word_char(c: char) -> bool {
    match u32::from(c) {
        0x2000..=0x206f => false,
        0x4e00..=0x9fff | 0xac00..=0xd7a3 | 0x3041..=0x3096 | 0x30a1..=0x30fa => true,
        _ => c.is_alphanumeric() || c == '_',
    }
}

/// The words of `text`, in order, as slices of it.
pub fn words(text: &str) -> Words<'_> {
    Words {
        text,
        position: 0,
        punctuation: 0,
        sentence_marks: 0,
    }
}

/// Iterator over the words of a text; see [`words`].
///
/// Most web text is ASCII, so bytes below 128 are classified by a table lookup and only other
/// bytes pay for UTF-8 decoding: this loop is where the plain-text mode spends its time.
#[derive(Debug, Clone)]
pub struct Words<'a> {
    text: &'a str,
    position: usize,
    /// ASCII punctuation bytes [`Words::next_scanned`] has passed.
    punctuation: u32,
    /// Sentence marks [`Words::next_scanned`] has passed (see [`Words::punctuation_counts`]).
    sentence_marks: u32,
}

/// An ASCII byte that belongs to words (`[A-Za-z0-9_]`).
const WORD_BIT: u8 = 1;
/// ASCII punctuation (`_` is punctuation and a word byte both).
const PUNCT_BIT: u8 = 2;
/// `. , ! ? ;`: the ASCII marks prose is full of and menus lack.
const MARK_BIT: u8 = 4;
/// A byte of a non-ASCII character: the character must be decoded to be classified.
const WIDE_BIT: u8 = 8;
/// Anything but an ASCII digit.
const NOT_DIGIT_BIT: u8 = 16;

/// What a byte is, as the bits above, so the scan of [`Words::next_scanned`] learns all of it
/// from one lookup, non-ASCII bytes included (they only say "decode me").
const BYTE_CLASS: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut byte = 0;
    while byte < 256 {
        let b = byte as u8;
        if b >= 0x80 {
            table[byte] = WIDE_BIT | NOT_DIGIT_BIT;
            byte += 1;
            continue;
        }
        if b.is_ascii_alphanumeric() || b == b'_' {
            table[byte] |= WORD_BIT;
        }
        if b.is_ascii_punctuation() {
            table[byte] |= PUNCT_BIT;
        }
        if matches!(b, b'.' | b',' | b'!' | b'?' | b';') {
            table[byte] |= MARK_BIT;
        }
        if !b.is_ascii_digit() {
            table[byte] |= NOT_DIGIT_BIT;
        }
        byte += 1;
    }
    table
};

/// 1 when the character starting at byte `i` of `bytes` is a non-ASCII sentence mark: the
/// ideographic comma and full stop, the full-width exclamation mark, comma, semicolon and
/// question mark, and the Arabic comma, semicolon and question mark.
#[inline]
fn wide_sentence_mark(bytes: &[u8], i: usize) -> u32 {
    let next = |k: usize| bytes.get(i + k).copied().unwrap_or(0);
    u32::from(match bytes[i] {
        // 、 。
        0xe3 => next(1) == 0x80 && matches!(next(2), 0x81 | 0x82),
        // ！ ， ； ？
        0xef => next(1) == 0xbc && matches!(next(2), 0x81 | 0x8c | 0x9b | 0x9f),
        // ، ؛ ؟
        0xd8 => matches!(next(1), 0x8c | 0x9b | 0x9f),
        _ => false,
    })
}

impl<'a> Words<'a> {
    /// Whether the non-ASCII char at byte `i` is a word char, and its length in bytes: ASCII,
    /// most of the bytes of most pages, is a table lookup inlined into the scan; only other
    /// chars are decoded, out of line.
    #[inline(never)]
    fn classify_wide(&self, i: usize) -> (bool, usize) {
        match self.text[i..].chars().next() {
            Some(c) => (is_word_char(c), c.len_utf8()),
            None => (false, 1),
        }
    }
}

impl<'a> Iterator for Words<'a> {
    type Item = &'a str;

    /// The scan of [`Words::next_scanned`], keeping only the word.
    fn next(&mut self) -> Option<&'a str> {
        self.next_scanned().map(|word| word.text())
    }
}

/// One word of [`Words::next_scanned`], with what the scan learnt of its bytes on the way.
#[derive(Debug, Clone, Copy)]
pub struct ScannedWord<'a> {
    /// The word's bytes, a slice of the text.
    pub bytes: &'a [u8],
    /// The text the word was found in, and where the word starts in it.
    source: &'a str,
    start: usize,
    /// Every byte is ASCII.
    pub ascii: bool,
    /// Every byte is an ASCII digit.
    pub digits: bool,
}

impl<'a> ScannedWord<'a> {
    /// The word as a `str`. Made on request: slicing a `str` tests both ends for char
    /// boundaries, which the block statistics, reading ASCII words as bytes, need not pay.
    pub fn text(&self) -> &'a str {
        &self.source[self.start..self.start + self.bytes.len()]
    }
}

impl<'a> Words<'a> {
    /// The next word, with whether it is all ASCII and all digits: the block statistics need
    /// both for every word, and the scan that finds the word's end has just looked at every
    /// byte, so a second and third pass over it are saved. The same scan counts the
    /// punctuation it passes, inside words and between them ([`Words::punctuation_counts`]).
    #[inline]
    pub fn next_scanned(&mut self) -> Option<ScannedWord<'a>> {
        // The position and tallies live in locals (registers) while the loops run, not in
        // `self`.
        let bytes = self.text.as_bytes();
        let mut position = self.position;
        let (mut punctuation, mut marks) = (self.punctuation, self.sentence_marks);
        // Between words: punctuation, spaces, and non-ASCII characters that are not `\w`.
        loop {
            let Some(&byte) = bytes.get(position) else {
                self.position = position;
                (self.punctuation, self.sentence_marks) = (punctuation, marks);
                return None;
            };
            let class = BYTE_CLASS[usize::from(byte)];
            if class & WORD_BIT != 0 {
                break;
            }
            if class & WIDE_BIT != 0 {
                let (is_word, len) = self.classify_wide(position);
                if is_word {
                    break;
                }
                marks += wide_sentence_mark(bytes, position);
                position += len;
                continue;
            }
            punctuation += u32::from(class & PUNCT_BIT != 0);
            marks += u32::from(class & MARK_BIT != 0);
            position += 1;
        }
        let start = position;
        let mut ascii = true;
        // The classes of the word's ASCII bytes OR-ed together: whether it holds a `_` (the
        // one word byte that is punctuation) and whether all of it is digits are read from
        // them once the word is over, so each byte costs a lookup, a test and an OR.
        let mut seen = 0u8;
        loop {
            // Eight bytes per round while eight remain (one bounds test for eight), then one
            // at a time.
            'run: {
                while let Some(eight) = bytes.get(position..position + 8) {
                    for &byte in eight {
                        let class = BYTE_CLASS[usize::from(byte)];
                        if class & WORD_BIT == 0 {
                            break 'run;
                        }
                        seen |= class;
                        position += 1;
                    }
                }
                while let Some(&byte) = bytes.get(position) {
                    let class = BYTE_CLASS[usize::from(byte)];
                    if class & WORD_BIT == 0 {
                        break;
                    }
                    seen |= class;
                    position += 1;
                }
            }
            if bytes.get(position).is_none_or(|&byte| byte < 0x80) {
                break;
            }
            let (is_word, len) = self.classify_wide(position);
            if !is_word {
                break;
            }
            marks += wide_sentence_mark(bytes, position);
            ascii = false;
            position += len;
        }
        if seen & PUNCT_BIT != 0 {
            let underscores = bytes[start..position].iter().filter(|&&b| b == b'_');
            punctuation += underscores.count() as u32;
        }
        self.position = position;
        (self.punctuation, self.sentence_marks) = (punctuation, marks);
        Some(ScannedWord {
            bytes: &bytes[start..position],
            source: self.text,
            start,
            ascii,
            digits: ascii && seen & NOT_DIGIT_BIT == 0,
        })
    }

    /// The ASCII punctuation bytes and the sentence marks that [`Words::next_scanned`] has
    /// passed so far; once it has returned `None`, those of the whole text. Sentence marks
    /// are `. , ! ? ;` and the ideographic, full-width and Arabic comma, full stop,
    /// exclamation and question marks.
    pub fn punctuation_counts(&self) -> (u32, u32) {
        (self.punctuation, self.sentence_marks)
    }
}

/// The words of a text whose words are all ASCII, each given to `on_word` as its byte range
/// and whether it is all digits, and the text's ASCII punctuation bytes and sentence marks:
/// what [`Words::next_scanned`] and [`Words::punctuation_counts`] find in such a text, found
/// from bit masks of 32 bytes at a time (which bytes belong to words, are digits,
/// punctuation, sentence marks) rather than byte by byte. Its other characters may be
/// anything that is neither a word character nor a sentence mark (curly quotes, dashes,
/// no-break spaces: what most non-ASCII characters of English pages are).
///
/// `None` when the CPU lacks the vector instructions this needs (AVX2), having called
/// nothing, or when the text has another non-ASCII character, having perhaps given
/// `on_word` the words before it: the caller must then forget those and scan the text
/// with [`words`].
pub fn scan_ascii_words(
    text: &str,
    on_word: impl FnMut(std::ops::Range<usize>, bool),
) -> Option<(u32, u32)> {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx2")
        && std::arch::is_x86_feature_detected!("popcnt")
        && std::arch::is_x86_feature_detected!("bmi1")
    {
        // SAFETY: the CPU has the features `scan` is compiled for, checked just above.
        return unsafe { ascii_masks::scan(text, on_word) };
    }
    let _ = (text, on_word);
    None
}

/// True for a non-ASCII char that [`Words::next_scanned`] passes over like a space: neither a
/// word character nor a sentence mark. `at` is where it starts in `text`.
fn is_wide_blank(text: &str, at: usize) -> bool {
    match text[at..].chars().next() {
        Some(c) => !is_word_char(c) && wide_sentence_mark(text.as_bytes(), at) == 0,
        None => false,
    }
}

/// Bit masks of 32 bytes of text (bit `i` for byte `i`), made with AVX2. Non-ASCII bytes are
/// in none of the masks but their own.
#[cfg(target_arch = "x86_64")]
mod ascii_masks {
    use std::arch::x86_64::*;
    use std::ops::Range;

    /// Bytes looked at at once: one AVX2 register, one bit each in a `u32`.
    const WIDTH: usize = 32;

    /// What each of [`WIDTH`] bytes is, a bit per byte.
    struct Masks {
        /// `[A-Za-z0-9_]`.
        word: u32,
        /// Word bytes that are not ASCII digits.
        not_digit: u32,
        /// ASCII punctuation.
        punct: u32,
        /// `. , ! ? ;`.
        marks: u32,
        /// The first byte of a non-ASCII char.
        wide: u32,
    }

    /// Each byte of `v` in `lo..lo + n` (`lo + n` at most 0x80): `b + (0x80 - lo)`, as a
    /// signed byte, is below `n - 128` just then. No byte from 0x80 up is in any such range:
    /// it becomes a byte from `0x80 - lo` up that is not below `n - 128`.
    #[inline]
    #[target_feature(enable = "avx2")]
    fn in_range(v: __m256i, lo: u8, n: u8) -> __m256i {
        let shifted = _mm256_add_epi8(v, _mm256_set1_epi8(0x80u8.wrapping_sub(lo) as i8));
        _mm256_cmpgt_epi8(_mm256_set1_epi8(n.wrapping_sub(128) as i8), shifted)
    }

    #[inline]
    #[target_feature(enable = "avx2")]
    fn masks(chunk: &[u8; WIDTH]) -> Masks {
        // SAFETY: `chunk` holds 32 bytes.
        let v = unsafe { _mm256_loadu_si256(chunk.as_ptr().cast()) };
        let set = |byte: u8| _mm256_set1_epi8(byte as i8);
        let letter = in_range(_mm256_or_si256(v, set(0x20)), b'a', 26);
        let digit = in_range(v, b'0', 10);
        let alphanumeric = _mm256_or_si256(letter, digit);
        let word = _mm256_or_si256(alphanumeric, _mm256_cmpeq_epi8(v, set(b'_')));
        // ASCII punctuation is every graphic byte (0x21 to 0x7e) but letters and digits.
        let punct = _mm256_andnot_si256(alphanumeric, in_range(v, 0x21, 94));
        // `,` and `.` are the bytes that OR 2 makes `.`, `;` and `?` those that OR 4 makes `?`.
        let marks = _mm256_or_si256(
            _mm256_or_si256(
                _mm256_cmpeq_epi8(_mm256_or_si256(v, set(2)), set(b'.')),
                _mm256_cmpeq_epi8(_mm256_or_si256(v, set(4)), set(b'?')),
            ),
            _mm256_cmpeq_epi8(v, set(b'!')),
        );
        Masks {
            word: _mm256_movemask_epi8(word) as u32,
            not_digit: _mm256_movemask_epi8(_mm256_andnot_si256(digit, word)) as u32,
            punct: _mm256_movemask_epi8(punct) as u32,
            marks: _mm256_movemask_epi8(marks) as u32,
            // Bytes `11xx_xxxx` start a non-ASCII char.
            wide: _mm256_movemask_epi8(_mm256_cmpeq_epi8(_mm256_and_si256(v, set(0xc0)), set(0xc0)))
                as u32,
        }
    }

    /// Bits `from..to` (`from` below 32, `to` at most 32) of a `u32`.
    #[inline(always)]
    fn span(from: u32, to: u32) -> u32 {
        let upto = if to >= 32 { u32::MAX } else { (1u32 << to) - 1 };
        upto & !((1u32 << from) - 1)
    }

    /// See [`super::scan_ascii_words`].
    #[target_feature(enable = "avx2,popcnt,bmi1")]
    pub(super) fn scan(
        text: &str,
        mut on_word: impl FnMut(Range<usize>, bool),
    ) -> Option<(u32, u32)> {
        let bytes = text.as_bytes();
        let (mut punct, mut marks) = (0u32, 0u32);
        // A word the previous bytes ended inside: where it starts, and whether it is all
        // digits so far.
        let mut open: Option<(usize, bool)> = None;
        let mut base = 0;
        while base < bytes.len() {
            let m = match bytes[base..].first_chunk::<WIDTH>() {
                Some(chunk) => masks(chunk),
                None => {
                    // The last bytes, padded with zeros (no word, no punctuation).
                    let mut padded = [0u8; WIDTH];
                    padded[..bytes.len() - base].copy_from_slice(&bytes[base..]);
                    masks(&padded)
                }
            };
            // Every non-ASCII char must be a blank, which the masks already treat as one.
            let mut wide = m.wide;
            while wide != 0 {
                if !super::is_wide_blank(text, base + wide.trailing_zeros() as usize) {
                    return None;
                }
                wide &= wide - 1;
            }
            punct += m.punct.count_ones();
            marks += m.marks.count_ones();
            let mut words = m.word;
            if let Some((start, digits)) = open {
                let end = (!words).trailing_zeros();
                let digits = digits && m.not_digit & span(0, end) == 0;
                if end == WIDTH as u32 {
                    open = Some((start, digits));
                    base += WIDTH;
                    continue;
                }
                on_word(start..base + end as usize, digits);
                open = None;
                words &= !span(0, end);
            }
            while words != 0 {
                let from = words.trailing_zeros();
                // Adding the lowest set bit carries through the run of ones it starts, which
                // leaves the run cleared (all of `words` is zero if it reaches the top bit):
                // the run's mask and its end without building a span from two shifts.
                let rest = words & words.wrapping_add(words & words.wrapping_neg());
                let run = words ^ rest;
                let to = from + run.count_ones();
                let digits = m.not_digit & run == 0;
                if to == WIDTH as u32 {
                    open = Some((base + from as usize, digits));
                    break;
                }
                on_word(base + from as usize..base + to as usize, digits);
                words = rest;
            }
            base += WIDTH;
        }
        if let Some((start, digits)) = open {
            on_word(start..bytes.len(), digits);
        }
        Some((punct, marks))
    }
}

/// FNV-1a over `bytes`, continuing from `state`.
pub fn fnv_extend(mut state: u64, bytes: &[u8]) -> u64 {
    for &byte in bytes {
        state ^= u64::from(byte);
        state = state.wrapping_mul(FNV_PRIME);
    }
    state
}

/// FNV-1a of `bytes`.
pub fn fnv(bytes: &[u8]) -> u64 {
    fnv_extend(FNV_OFFSET, bytes)
}

/// The hash of `word` lowercased; allocation-free for ASCII words.
///
/// Words are hashed eight bytes at a time with every byte OR-ed with 0x20, which lowercases
/// ASCII letters and leaves digits alone; `_` and UTF-8 continuation bytes change too, but the
/// same way every time, so equal lowercased words still hash equal. Non-ASCII words are
/// lowercased first (Unicode rules) and then hashed the same way.
pub fn word_hash(word: &str) -> u64 {
    if word.is_ascii() {
        return hash_folded(word.as_bytes());
    }
    non_ascii_word_hash(word)
}

/// [`word_hash`] of a word known to be ASCII (see [`ScannedWord::ascii`]), given as bytes.
#[inline]
pub fn ascii_word_hash(word: &[u8]) -> u64 {
    debug_assert!(word.is_ascii());
    hash_folded(word)
}

/// [`word_hash`] of a word with non-ASCII characters, which are lowercased first.
#[inline(never)]
pub fn non_ascii_word_hash(word: &str) -> u64 {
    // Most non-ASCII words are short: lowercase them into a stack buffer.
    let mut buffer = [0u8; 64];
    let mut len = 0;
    for c in word.chars().flat_map(char::to_lowercase) {
        if len + c.len_utf8() > buffer.len() {
            let lower: String = word.chars().flat_map(char::to_lowercase).collect();
            return hash_folded(lower.as_bytes());
        }
        len += c.encode_utf8(&mut buffer[len..]).len();
    }
    hash_folded(&buffer[..len])
}

fn hash_folded(bytes: &[u8]) -> u64 {
    const FOLD: u64 = 0x2020_2020_2020_2020;
    const MIX: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut state = FNV_OFFSET ^ bytes.len() as u64;
    let mut chunks = bytes.chunks_exact(8);
    for chunk in &mut chunks {
        let mut buf = [0u8; 8];
        buf.copy_from_slice(chunk);
        let value = u64::from_le_bytes(buf) | FOLD;
        state = (state ^ value).wrapping_mul(MIX).rotate_left(29);
    }
    // The last chunk is padded with zero bytes (then folded like the rest).
    let rest = chunks.remainder();
    if !rest.is_empty() {
        let value = padded_le(rest) | FOLD;
        state = (state ^ value).wrapping_mul(MIX).rotate_left(29);
    }
    state ^ (state >> 32)
}

/// The 1 to 7 bytes of `rest` as a little-endian `u64`, zero-padded: two overlapping loads
/// instead of a copy into a buffer, which compiled to a `memcpy` call for every word.
#[inline(always)]
fn padded_le(rest: &[u8]) -> u64 {
    let len = rest.len();
    debug_assert!((1..8).contains(&len));
    if len >= 4 {
        let low = u64::from(u32::from_le_bytes([rest[0], rest[1], rest[2], rest[3]]));
        let high = u64::from(u32::from_le_bytes([
            rest[len - 4],
            rest[len - 3],
            rest[len - 2],
            rest[len - 1],
        ]));
        low | high << ((len - 4) * 8)
    } else if len >= 2 {
        let low = u64::from(u16::from_le_bytes([rest[0], rest[1]]));
        let high = u64::from(u16::from_le_bytes([rest[len - 2], rest[len - 1]]));
        low | high << ((len - 2) * 8)
    } else {
        u64::from(rest[0])
    }
}

/// Mixes two hashes into one (order matters), for n-grams and namespaced features.
pub fn combine(a: u64, b: u64) -> u64 {
    (a ^ b.rotate_left(23))
        .wrapping_mul(FNV_PRIME)
        .rotate_left(17)
        ^ b
}

/// True for frequent function words of one of the languages in [`FUNCTION_WORDS`]: prose is
/// dense in them, menus and labels are not, in every language that writes words apart.
pub fn is_stop_word(lowercase: &str) -> bool {
    FUNCTION_WORDS
        .iter()
        .any(|(_, list)| list.contains(&lowercase))
}

/// [`is_stop_word`] for a word in any case.
pub fn is_stop_word_any_case(word: &str) -> bool {
    let bytes = word.as_bytes();
    if bytes.len() > 16 {
        return false;
    }
    if word.is_ascii() {
        let mut lower = [0u8; 16];
        for (slot, byte) in lower.iter_mut().zip(bytes) {
            *slot = byte.to_ascii_lowercase();
        }
        return std::str::from_utf8(&lower[..bytes.len()]).is_ok_and(is_stop_word);
    }
    is_stop_word(&word.to_lowercase())
}

/// The stop words' [`word_hash`]es in an open-addressing table: one probe or two per word.
struct StopWordTable {
    slots: [u64; STOP_SLOTS],
}

const STOP_SLOTS: usize = 2048;

/// The most frequent function words (articles, pronouns, prepositions, conjunctions, auxiliary
/// verbs) of the languages most web pages are written in, by ISO 639-1 code.
///
/// They serve one feature, the share of a block's words that are function words, which tells
/// prose from menus, labels and link lists whatever the language; a page whose language has no
/// list here still gets every other feature. One table holds all lists, so the language of a
/// page need not be known, and a word shared by two languages ("in", "de") counts once.
/// English comes first and is the list the models were first trained with.
pub const FUNCTION_WORDS: &[(&str, &[&str])] = &[
    (
        "en",
        &[
            "a", "about", "after", "all", "also", "an", "and", "any", "are", "as", "at", "be",
            "because", "been", "but", "by", "can", "could", "did", "do", "does", "for", "from",
            "had", "has", "have", "he", "her", "his", "how", "i", "if", "in", "into", "is", "it",
            "its", "just", "more", "most", "my", "no", "not", "of", "on", "one", "only", "or",
            "other", "our", "out", "over", "she", "so", "some", "such", "than", "that", "the",
            "their", "them", "then", "there", "these", "they", "this", "those", "to", "up", "us",
            "was", "we", "were", "what", "when", "where", "which", "while", "who", "will", "with",
            "would", "you", "your",
        ],
    ),
    (
        "de",
        &[
            "der", "die", "das", "und", "in", "zu", "den", "von", "mit", "ist", "des", "sich",
            "dem", "nicht", "ein", "eine", "als", "auch", "es", "an", "auf", "für", "im", "dass",
            "er", "sie", "wie", "bei", "oder", "nach", "aus", "um", "noch", "wird", "werden",
            "hat", "haben", "sind", "war", "wir", "ich", "man", "nur", "aber", "so", "vor", "über",
            "einer", "einen", "zum", "zur", "wenn", "sein", "diese", "durch", "kann", "einem",
        ],
    ),
    (
        "fr",
        &[
            "le", "la", "les", "de", "des", "du", "un", "une", "et", "est", "en", "que", "qui",
            "dans", "pour", "pas", "sur", "au", "aux", "par", "plus", "ne", "se", "il", "elle",
            "ce", "cette", "avec", "sont", "ou", "mais", "nous", "vous", "ont", "été", "son", "sa",
            "ses", "leur", "comme", "qu", "d", "l", "s", "n", "c", "y",
        ],
    ),
    (
        "es",
        &[
            "el", "la", "los", "las", "de", "del", "y", "en", "que", "un", "una", "es", "por",
            "con", "para", "no", "se", "su", "sus", "al", "lo", "como", "más", "pero", "fue", "ha",
            "son", "este", "esta", "o", "le", "entre", "sobre", "también", "muy", "sin",
        ],
    ),
    (
        "it",
        &[
            "il", "lo", "la", "le", "gli", "i", "di", "del", "della", "dei", "che", "e", "è", "un",
            "una", "per", "con", "non", "si", "da", "in", "al", "alla", "sono", "come", "ma",
            "anche", "ha", "più", "questo", "nel", "nella",
        ],
    ),
    (
        "pt",
        &[
            "o", "a", "os", "as", "de", "do", "da", "dos", "das", "e", "em", "no", "na", "um",
            "uma", "que", "para", "com", "não", "se", "por", "é", "ao", "mais", "como", "mas",
            "foi", "são", "seu", "sua", "ou", "também", "pelo", "pela",
        ],
    ),
    (
        "nl",
        &[
            "de", "het", "een", "en", "van", "in", "is", "dat", "op", "te", "voor", "met", "niet",
            "zijn", "er", "aan", "ook", "als", "bij", "door", "om", "maar", "dan", "nog", "wordt",
            "werd", "hij", "ze", "we", "die", "dit", "naar",
        ],
    ),
    (
        "pl",
        &[
            "i", "w", "na", "z", "się", "do", "że", "nie", "jest", "to", "jak", "o", "co", "od",
            "po", "za", "przez", "ale", "tak", "dla", "jego", "jej", "są", "był", "była", "oraz",
            "tym", "ten", "ta", "czy", "już", "może",
        ],
    ),
    (
        "cs",
        &[
            "a", "v", "se", "na", "je", "že", "s", "z", "do", "to", "o", "k", "i", "jako", "pro",
            "by", "ale", "jsou", "jeho", "není", "už", "tak", "od", "po", "ve", "ze", "který",
            "která", "které", "bylo", "byl",
        ],
    ),
    (
        "sv",
        &[
            "och", "i", "att", "det", "som", "en", "på", "är", "av", "för", "med", "till", "den",
            "har", "de", "inte", "om", "ett", "han", "men", "var", "jag", "sig", "från", "vi",
            "så", "kan", "man", "när",
        ],
    ),
    (
        "da",
        &[
            "og", "i", "at", "det", "en", "den", "til", "er", "som", "på", "de", "med", "han",
            "af", "for", "ikke", "der", "var", "et", "har", "jeg", "sig", "fra", "men", "vi", "om",
            "kan", "når",
        ],
    ),
    (
        "tr",
        &[
            "ve", "bir", "bu", "da", "de", "için", "ile", "çok", "daha", "olarak", "gibi", "ama",
            "en", "ne", "kadar", "sonra", "olan", "var", "değil", "o", "şu", "her", "ki",
        ],
    ),
    (
        "ru",
        &[
            "и", "в", "не", "на", "что", "с", "он", "как", "по", "это", "а", "из", "у", "к", "за",
            "то", "но", "она", "так", "же", "от", "все", "был", "для", "о", "его", "мы", "вы",
            "они", "быть", "при",
        ],
    ),
];

impl StopWordTable {
    fn get() -> &'static StopWordTable {
        static TABLE: OnceLock<StopWordTable> = OnceLock::new();
        TABLE.get_or_init(|| {
            let mut slots = [0u64; STOP_SLOTS];
            for word in FUNCTION_WORDS.iter().flat_map(|(_, list)| list.iter()) {
                let hash = word_hash(word);
                let mut i = Self::slot(hash);
                while slots[i] != 0 && slots[i] != hash {
                    i = (i + 1) % STOP_SLOTS;
                }
                slots[i] = hash;
            }
            StopWordTable { slots }
        })
    }

    /// The top bits of the hash, as many as the table has slots for (eleven): with fewer,
    /// the words crowd into a part of the table and a word that is not in it probes a long
    /// run of slots before it meets an empty one.
    fn slot(hash: u64) -> usize {
        (hash >> (64 - STOP_SLOTS.trailing_zeros())) as usize
    }

    #[inline]
    fn contains(&self, hash: u64) -> bool {
        let mut i = Self::slot(hash);
        loop {
            match self.slots[i] {
                0 => return false,
                h if h == hash => return true,
                _ => i = (i + 1) % STOP_SLOTS,
            }
        }
    }
}

/// True when `hash` is the [`word_hash`] of a stop word ([`is_stop_word`]).
pub fn is_stop_word_hash(hash: u64) -> bool {
    StopWordTable::get().contains(hash)
}

/// The stop-word table for many lookups in a row ([`is_stop_word_hash`] finds it each time).
pub(crate) fn stop_words() -> impl Fn(u64) -> bool {
    let table = StopWordTable::get();
    move |hash| table.contains(hash)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_split_on_punctuation_and_keep_unicode_letters() {
        let found: Vec<&str> = words("Köln's café—2025, e.g. snake_case!").collect();
        assert_eq!(found, ["Köln", "s", "café", "2025", "e", "g", "snake_case"]);
    }

    /// The words of `text` found char by char, with whether each is all ASCII and all ASCII
    /// digits: what [`Words::next_scanned`] must return.
    fn scanned_char_by_char(text: &str) -> Vec<(&str, bool, bool)> {
        let mut found = Vec::new();
        let mut start = None;
        for (i, c) in text.char_indices().chain([(text.len(), ' ')]) {
            match (is_word_char(c) && i < text.len(), start) {
                (true, None) => start = Some(i),
                (false, Some(s)) => {
                    let word = &text[s..i];
                    let digits = word.bytes().all(|b| b.is_ascii_digit());
                    found.push((word, word.is_ascii(), digits));
                    start = None;
                }
                _ => {}
            }
        }
        found
    }

    fn scanned(text: &str) -> Vec<(&str, bool, bool)> {
        let mut scan = words(text);
        std::iter::from_fn(|| scan.next_scanned())
            .map(|w| (w.text(), w.ascii, w.digits))
            .collect()
    }

    #[test]
    fn the_word_scan_finds_what_a_char_by_char_split_finds() {
        let texts = [
            "",
            "Köln's café—2025, e.g. snake_case!",
            "__ _a_ 42 4_2 x9 9x ½ ٣٤ 東京で大雨、交通 Ünïcode wörds",
            "  lead and trail  ",
            "tab\tnew\nline",
            "ends_in_é",
            "é",
            "1234567890123",
        ];
        for text in texts {
            assert_eq!(scanned(text), scanned_char_by_char(text), "{text:?}");
        }
    }

    proptest::proptest! {
        #[test]
        fn the_word_scan_agrees_with_the_char_by_char_split(text in "[a-zA-Z0-9_ .,;!?é東、٣½\\-]{0,40}|\\PC{0,30}") {
            proptest::prop_assert_eq!(scanned(&text), scanned_char_by_char(&text));
        }
    }

    /// Words with whether each is all digits, and the punctuation counts.
    type ScannedText<'a> = (Vec<(&'a str, bool)>, (u32, u32));

    /// What [`scan_ascii_words`] finds in `text`; `None` where it declines.
    fn scanned_ascii(text: &str) -> Option<ScannedText<'_>> {
        let mut found = Vec::new();
        let counts = scan_ascii_words(text, |range, digits| found.push((&text[range], digits)))?;
        Some((found, counts))
    }

    /// What [`Words::next_scanned`] finds in `text`, in the form of [`scanned_ascii`].
    fn scanned_with_counts(text: &str) -> ScannedText<'_> {
        let mut scan = words(text);
        let found = std::iter::from_fn(|| scan.next_scanned())
            .map(|w| (w.text(), w.digits))
            .collect();
        (found, scan.punctuation_counts())
    }

    fn has_avx2() -> bool {
        #[cfg(target_arch = "x86_64")]
        return std::arch::is_x86_feature_detected!("avx2");
        #[cfg(not(target_arch = "x86_64"))]
        false
    }

    /// The mask scan finds what the byte scan finds, and declines only texts with a
    /// non-ASCII word character or sentence mark.
    fn ascii_scan_agrees(text: &str) {
        match scanned_ascii(text) {
            Some(found) => assert_eq!(found, scanned_with_counts(text), "{text:?}"),
            None => assert!(
                !has_avx2()
                    || text
                        .char_indices()
                        .any(|(at, c)| !c.is_ascii() && !is_wide_blank(text, at)),
                "{text:?}"
            ),
        }
    }

    #[test]
    fn the_ascii_scan_finds_what_the_byte_scan_finds() {
        let long_word = "x".repeat(64);
        let texts = [
            String::new(),
            "Yes, it rained. Did it? snake_case __init__ a_b; 42 4_2 x9 9x!".into(),
            "  lead and trail  ".into(),
            "tab\tnew\nline\u{7f}~`{|}@[\\]^".into(),
            "1234567890123".into(),
            "Köln's café".into(),
            long_word.clone(),
            format!("{long_word} {long_word}"),
            format!("{long_word}{long_word}1 2"),
            format!("{} 123", "a".repeat(63)),
            format!("{}..{}", "7".repeat(62), "8".repeat(70)),
            "word ".repeat(40),
            "ab,cd. ".repeat(30),
            format!(
                "{}\u{2019}s \u{201c}q\u{201d}\u{2014}x\u{a0}y\u{2026}",
                "w".repeat(30)
            ),
            format!("{}caf\u{e9}", "w ".repeat(20)),
            format!("{} \u{3002} x", "w".repeat(31)),
        ];
        for text in &texts {
            ascii_scan_agrees(text);
        }
        // Every split of a word and a run of punctuation around the 64-byte boundaries.
        for at in 50..140 {
            for tail in [
                "", " ", ".", "12", "_x", "ab!", "\u{2014}", "x\u{a0}y", "\u{e9}",
            ] {
                ascii_scan_agrees(&format!("{}{}{tail}", "q".repeat(at), "9".repeat(at % 7)));
                ascii_scan_agrees(&format!("{}{tail}", "5".repeat(at)));
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn the_ascii_scan_agrees_with_the_byte_scan(text in "[a-zA-Z0-9_ .,;:!?'\"()\\-]{0,300}|[\\x00-\\x7f]{0,200}|[a-z0-9 .,’“”—–…\u{a0}é、。东]{0,200}") {
            ascii_scan_agrees(&text);
        }
    }

    #[test]
    fn tails_load_as_zero_padded_little_endian() {
        let bytes = b"abcdefg";
        for len in 1..8 {
            let mut buf = [0u8; 8];
            buf[..len].copy_from_slice(&bytes[..len]);
            assert_eq!(padded_le(&bytes[..len]), u64::from_le_bytes(buf), "{len}");
        }
    }

    #[test]
    fn word_hash_ignores_case() {
        assert_eq!(word_hash("Cookies"), word_hash("cookies"));
        assert_eq!(word_hash("ÉTÉ"), word_hash("été"));
        assert_ne!(word_hash("cookie"), word_hash("cookies"));
    }

    #[test]
    fn fast_word_char_ranges_agree_with_unicode() {
        for c in (0..=0x10ffff).filter_map(char::from_u32) {
            assert_eq!(is_word_char(c), c.is_alphanumeric() || c == '_', "{c:?}");
        }
    }

    #[test]
    fn stop_word_hashes_match_the_list() {
        for word in FUNCTION_WORDS.iter().flat_map(|(_, list)| list.iter()) {
            assert_eq!(*word, word.to_lowercase(), "lists are lowercase");
            assert!(is_stop_word(word));
            assert!(is_stop_word_hash(word_hash(&word.to_uppercase())), "{word}");
            assert!(words(word).eq([*word]), "{word} is one word");
        }
        for word in [
            "Baghdad",
            "cookies",
            "the_",
            "them2",
            "théâtre",
            "",
            "Über",
            "Дом",
        ] {
            assert_eq!(
                is_stop_word_hash(word_hash(word)),
                is_stop_word_any_case(word)
            );
        }
    }

    #[test]
    fn stop_words_in_any_case() {
        assert!(is_stop_word_any_case("The"));
        assert!(!is_stop_word_any_case("Baghdad"));
        assert!(!is_stop_word_any_case("Ünter"));
        assert!(is_stop_word_any_case("Über") && is_stop_word_any_case("ЭТО"));
    }
}
