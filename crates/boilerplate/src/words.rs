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
