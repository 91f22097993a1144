//! The character n-grams both the trainer and the scorer see, so the two can never disagree.
//!
//! Text becomes words: maximal runs of letters, lowercased, each padded with `_` on both
//! sides (`_haus_`), so that n-grams at a word's edge, which carry most of a language's
//! endings and function words, differ from the same letters inside a word. Every n-gram of
//! one to [`MAX_ORDER`] characters of each padded word counts, except the bare `_`.
//! Digits, punctuation and symbols only separate words: they say nothing about the language.

/// The longest n-gram the model uses.
pub const MAX_ORDER: usize = 4;

/// The boundary mark written around words (not a letter, so it never occurs inside one).
pub const BOUNDARY: char = '_';

/// The longest word looked at; the rest of a longer run of letters is cut off, so a
/// pathological "word" (a base64 blob) costs no more than an ordinary one per letter.
pub const MAX_WORD_CHARS: usize = 40;

/// Calls `visit(chars, order)` for every n-gram of every word of `text`, word by word.
///
/// `visit` gets the n-gram's characters (`order` of them) and returns `false` to stop early.
/// Returns the number of words seen.
pub fn for_each_ngram(text: &str, mut visit: impl FnMut(&[char]) -> bool) -> usize {
    let mut word: Vec<char> = Vec::with_capacity(MAX_WORD_CHARS + 2);
    let mut words = 0;
    let mut chars = text.chars();
    loop {
        word.clear();
        word.push(BOUNDARY);
        if !read_word(&mut chars, &mut word) {
            return words;
        }
        word.push(BOUNDARY);
        words += 1;
        for start in 0..word.len() {
            for order in 1..=MAX_ORDER.min(word.len() - start) {
                let gram = &word[start..start + order];
                if order == 1 && gram[0] == BOUNDARY {
                    continue;
                }
                if !visit(gram) {
                    return words;
                }
            }
        }
    }
}

/// Calls `visit(word)` for every word of `text` (lowercased letters, unpadded, cut at
/// [`MAX_WORD_CHARS`]: the words [`for_each_ngram`] cuts into n-grams) until it returns
/// `false`. Returns the number of words visited.
pub fn for_each_word(text: &str, mut visit: impl FnMut(&[char]) -> bool) -> usize {
    let mut word: Vec<char> = Vec::with_capacity(MAX_WORD_CHARS + 1);
    let mut words = 0;
    let mut chars = text.chars();
    loop {
        word.clear();
        if !read_word(&mut chars, &mut word) {
            return words;
        }
        words += 1;
        if !visit(&word) {
            return words;
        }
    }
}

/// Appends the next word's letters, lowercased, to `word` (at most [`MAX_WORD_CHARS`] of
/// them, the rest of the run skipped); false when the text has no more words.
fn read_word(chars: &mut std::str::Chars<'_>, word: &mut Vec<char>) -> bool {
    let start = word.len();
    // `word` may begin with the boundary mark, which counts toward the length limit.
    let limit = MAX_WORD_CHARS + usize::from(start > 0);
    for c in chars.by_ref() {
        if c.is_alphabetic() {
            if word.len() < limit {
                push_lowercase(word, c);
            }
        } else if word.len() > start {
            break;
        }
    }
    word.len() > start
}

/// Lowercases one letter; a letter whose lowercase is several characters keeps its first.
fn push_lowercase(word: &mut Vec<char>, c: char) {
    if c.is_ascii() {
        word.push(c.to_ascii_lowercase());
    } else {
        word.push(c.to_lowercase().next().unwrap_or(c));
    }
}

/// The 64-bit key of an n-gram: FNV-1a over its characters, then a final mix so that the
/// low bits a hash table uses are as good as the high ones.
pub fn ngram_key(gram: &[char]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for &c in gram {
        hash ^= c as u64;
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    hash ^= hash >> 33;
    hash = hash.wrapping_mul(0xff51_afd7_ed55_8ccd);
    hash ^ (hash >> 33)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grams(text: &str) -> Vec<String> {
        let mut out = Vec::new();
        for_each_ngram(text, |g| {
            out.push(g.iter().collect());
            true
        });
        out
    }

    #[test]
    fn words_are_lowercased_padded_and_cut_into_grams() {
        let found = grams("Ab, 12 c");
        assert_eq!(
            found,
            ["_a", "_ab", "_ab_", "a", "ab", "ab_", "b", "b_", "_c", "_c_", "c", "c_"]
        );
    }

    #[test]
    fn text_without_letters_has_no_grams() {
        assert!(grams("12, 34 -- !?").is_empty());
        assert!(grams("").is_empty());
    }

    #[test]
    fn visiting_stops_when_asked() {
        let mut seen = 0;
        for_each_ngram("many words here", |_| {
            seen += 1;
            seen < 3
        });
        assert_eq!(seen, 3);
    }

    #[test]
    fn long_runs_of_letters_are_cut() {
        let long = "a".repeat(10_000);
        assert!(grams(&long).len() < 4 * (MAX_WORD_CHARS + 2));
    }
}
