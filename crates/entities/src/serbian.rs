//! Serbian in Cyrillic letters, read in the Latin letters the Serbian model learned.
//!
//! Serbian is written in two alphabets that map letter for letter (Vuk's Cyrillic and Gaj's
//! Latin: `љ` is `lj`, `ћ` is `ć`, `џ` is `dž`), and newsrooms use both. The Serbian training
//! data (UNER Serbian-SET) is in Latin letters, so Cyrillic text shares no letter with what
//! the model learned. Cyrillic to Latin is a function (the other way, `dž` may be `д` `ж`),
//! so the tagger reads each token of a Cyrillic Serbian document in Latin letters
//! ([`latin`]) while its spans stay on the document's own bytes.

use std::borrow::Cow;

/// `word` in Serbian Latin letters: Serbian Cyrillic letters transliterated, anything else
/// (Latin letters, digits, punctuation, other Cyrillic letters) kept. A two-letter Latin
/// digraph for a capital is capitalized as its neighbour is: `Љубљана` is `Ljubljana`,
/// `ЉУБЉАНА` is `LJUBLJANA`.
pub fn latin(word: &str) -> Cow<'_, str> {
    if !word.chars().any(|c| latin_letter(c).is_some()) {
        return Cow::Borrowed(word);
    }
    let mut out = String::with_capacity(word.len());
    let mut chars = word.chars().peekable();
    while let Some(c) = chars.next() {
        match latin_letter(c) {
            Some(letters) => {
                let mut letters = letters.chars();
                if let Some(first) = letters.next() {
                    out.push(first);
                }
                // The second letter of a capital's digraph is a capital only in a word
                // written in capitals.
                let shout = c.is_uppercase() && chars.peek().is_some_and(|n| n.is_uppercase());
                for rest in letters {
                    if shout {
                        out.extend(rest.to_uppercase());
                    } else {
                        out.extend(rest.to_lowercase());
                    }
                }
            }
            None => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Whether most of the first thousand letters of `text` are Cyrillic rather than Latin.
pub fn mostly_cyrillic(text: &str) -> bool {
    let (mut cyrillic, mut latin) = (0usize, 0usize);
    for c in text.chars().filter(|c| c.is_alphabetic()).take(1000) {
        if ('\u{0400}'..='\u{052F}').contains(&c) {
            cyrillic += 1;
        } else if c.is_ascii_alphabetic() || ('\u{00C0}'..='\u{024F}').contains(&c) {
            latin += 1;
        }
    }
    cyrillic > latin
}

/// The Latin letters of one Serbian Cyrillic letter (a capital's first letter capital).
fn latin_letter(c: char) -> Option<&'static str> {
    Some(match c {
        'а' => "a",
        'б' => "b",
        'в' => "v",
        'г' => "g",
        'д' => "d",
        'ђ' => "đ",
        'е' => "e",
        'ж' => "ž",
        'з' => "z",
        'и' => "i",
        'ј' => "j",
        'к' => "k",
        'л' => "l",
        'љ' => "lj",
        'м' => "m",
        'н' => "n",
        'њ' => "nj",
        'о' => "o",
        'п' => "p",
        'р' => "r",
        'с' => "s",
        'т' => "t",
        'ћ' => "ć",
        'у' => "u",
        'ф' => "f",
        'х' => "h",
        'ц' => "c",
        'ч' => "č",
        'џ' => "dž",
        'ш' => "š",
        'А' => "A",
        'Б' => "B",
        'В' => "V",
        'Г' => "G",
        'Д' => "D",
        'Ђ' => "Đ",
        'Е' => "E",
        'Ж' => "Ž",
        'З' => "Z",
        'И' => "I",
        'Ј' => "J",
        'К' => "K",
        'Л' => "L",
        'Љ' => "Lj",
        'М' => "M",
        'Н' => "N",
        'Њ' => "Nj",
        'О' => "O",
        'П' => "P",
        'Р' => "R",
        'С' => "S",
        'Т' => "T",
        'Ћ' => "Ć",
        'У' => "U",
        'Ф' => "F",
        'Х' => "H",
        'Ц' => "C",
        'Ч' => "Č",
        'Џ' => "Dž",
        'Ш' => "Š",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cyrillic_letters_become_latin_ones_and_the_rest_stays() {
        assert_eq!(latin("Београд"), "Beograd");
        assert_eq!(latin("Љубљана"), "Ljubljana");
        assert_eq!(latin("ЉУБЉАНА"), "LJUBLJANA");
        assert_eq!(latin("Џорџ"), "Džordž");
        assert_eq!(latin("Ђоковић"), "Đoković");
        assert_eq!(latin("NATO-ом"), "NATO-om");
        // Not Serbian letters, and not Cyrillic at all: unchanged and not copied.
        assert!(matches!(latin("Vučić"), Cow::Borrowed("Vučić")));
        assert!(matches!(latin("2024."), Cow::Borrowed(_)));
        assert_eq!(latin("ы"), "ы");
    }

    #[test]
    fn the_script_is_the_one_most_letters_are_in() {
        assert!(mostly_cyrillic("Председник Вучић, NATO и EU."));
        assert!(!mostly_cyrillic("Predsednik Vučić posetio je Beograd."));
        assert!(!mostly_cyrillic("2024"));
    }
}
