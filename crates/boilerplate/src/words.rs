//! Words as the scorer and the classifier see them, and the stable hash that names them.
//!
//! A word is a maximal run of alphanumeric characters or `_` (Python's `\w+`), the tokenization
//! the public article-extraction benchmarks use. Words are compared lowercased; rather than
//! allocate a lowercased copy, [`word_hash`] hashes the lowercased characters directly.
//!
//! The hash is our own FNV-1a so that feature indices in the shipped model never depend on a
//! library's hasher, which may change between versions or platforms.

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

/// True for characters that belong to words (`\w`).
pub fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// The words of `text`, in order, as slices of it.
pub fn words(text: &str) -> Words<'_> {
    Words { text, position: 0 }
}

/// Iterator over the words of a text; see [`words`].
///
/// Most web text is ASCII, so bytes below 128 are classified by a table lookup and only other
/// bytes pay for UTF-8 decoding: this loop is where the plain-text mode spends its time.
#[derive(Debug, Clone)]
pub struct Words<'a> {
    text: &'a str,
    position: usize,
}

impl<'a> Words<'a> {
    /// Whether the char at byte `i` is a word char, and its length in bytes.
    fn classify(&self, i: usize) -> (bool, usize) {
        let byte = self.text.as_bytes()[i];
        if byte < 0x80 {
            return (byte.is_ascii_alphanumeric() || byte == b'_', 1);
        }
        match self.text[i..].chars().next() {
            Some(c) => (is_word_char(c), c.len_utf8()),
            None => (false, 1),
        }
    }
}

impl<'a> Iterator for Words<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        let end = self.text.len();
        while self.position < end {
            let (is_word, len) = self.classify(self.position);
            if is_word {
                break;
            }
            self.position += len;
        }
        if self.position >= end {
            return None;
        }
        let start = self.position;
        while self.position < end {
            let (is_word, len) = self.classify(self.position);
            if !is_word {
                break;
            }
            self.position += len;
        }
        Some(&self.text[start..self.position])
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
    let lower: String = word.chars().flat_map(char::to_lowercase).collect();
    hash_folded(lower.as_bytes())
}

fn hash_folded(bytes: &[u8]) -> u64 {
    const FOLD: u64 = 0x2020_2020_2020_2020;
    const MIX: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut state = FNV_OFFSET ^ bytes.len() as u64;
    for chunk in bytes.chunks(8) {
        let mut buf = [0u8; 8];
        buf[..chunk.len()].copy_from_slice(chunk);
        let value = u64::from_le_bytes(buf) | FOLD;
        state = (state ^ value).wrapping_mul(MIX).rotate_left(29);
    }
    state ^ (state >> 32)
}

/// Mixes two hashes into one (order matters), for n-grams and namespaced features.
pub fn combine(a: u64, b: u64) -> u64 {
    (a ^ b.rotate_left(23))
        .wrapping_mul(FNV_PRIME)
        .rotate_left(17)
        ^ b
}

/// True for frequent English function words: prose is dense in them, menus and labels are not.
pub fn is_stop_word(lowercase: &str) -> bool {
    matches!(
        lowercase,
        "a" | "about"
            | "after"
            | "all"
            | "also"
            | "an"
            | "and"
            | "any"
            | "are"
            | "as"
            | "at"
            | "be"
            | "because"
            | "been"
            | "but"
            | "by"
            | "can"
            | "could"
            | "did"
            | "do"
            | "does"
            | "for"
            | "from"
            | "had"
            | "has"
            | "have"
            | "he"
            | "her"
            | "his"
            | "how"
            | "i"
            | "if"
            | "in"
            | "into"
            | "is"
            | "it"
            | "its"
            | "just"
            | "more"
            | "most"
            | "my"
            | "no"
            | "not"
            | "of"
            | "on"
            | "one"
            | "only"
            | "or"
            | "other"
            | "our"
            | "out"
            | "over"
            | "she"
            | "so"
            | "some"
            | "such"
            | "than"
            | "that"
            | "the"
            | "their"
            | "them"
            | "then"
            | "there"
            | "these"
            | "they"
            | "this"
            | "those"
            | "to"
            | "up"
            | "us"
            | "was"
            | "we"
            | "were"
            | "what"
            | "when"
            | "where"
            | "which"
            | "while"
            | "who"
            | "will"
            | "with"
            | "would"
            | "you"
            | "your"
    )
}

/// [`is_stop_word`] for a word in any case; allocation-free for ASCII words of up to 16 bytes,
/// which all stop words are.
pub fn is_stop_word_any_case(word: &str) -> bool {
    let bytes = word.as_bytes();
    if bytes.len() > 16 || !word.is_ascii() {
        return false;
    }
    let mut lower = [0u8; 16];
    for (slot, byte) in lower.iter_mut().zip(bytes) {
        *slot = byte.to_ascii_lowercase();
    }
    std::str::from_utf8(&lower[..bytes.len()]).is_ok_and(is_stop_word)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_split_on_punctuation_and_keep_unicode_letters() {
        let found: Vec<&str> = words("Köln's café—2025, e.g. snake_case!").collect();
        assert_eq!(found, ["Köln", "s", "café", "2025", "e", "g", "snake_case"]);
    }

    #[test]
    fn word_hash_ignores_case() {
        assert_eq!(word_hash("Cookies"), word_hash("cookies"));
        assert_eq!(word_hash("ÉTÉ"), word_hash("été"));
        assert_ne!(word_hash("cookie"), word_hash("cookies"));
    }

    #[test]
    fn stop_words_in_any_case() {
        assert!(is_stop_word_any_case("The"));
        assert!(!is_stop_word_any_case("Baghdad"));
        assert!(!is_stop_word_any_case("Ünter"));
    }
}
