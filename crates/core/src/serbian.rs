//! The two Serbian alphabets, which map letter for letter: Gaj's Latin and Vuk's Cyrillic
//! (the Latin digraphs `lj`, `nj`, `dž` are one Cyrillic letter each). The language stage
//! writes Latin text in Cyrillic to check its Cyrillic rules; the entities stage reads
//! Cyrillic text in the Latin letters its Serbian model learned.

use std::borrow::Cow;

/// Each Serbian letter, lowercase: its Latin spelling and its Cyrillic letter.
const LETTERS: [(&str, char); 30] = [
    ("a", 'а'),
    ("b", 'б'),
    ("v", 'в'),
    ("g", 'г'),
    ("d", 'д'),
    ("đ", 'ђ'),
    ("e", 'е'),
    ("ž", 'ж'),
    ("z", 'з'),
    ("i", 'и'),
    ("j", 'ј'),
    ("k", 'к'),
    ("l", 'л'),
    ("lj", 'љ'),
    ("m", 'м'),
    ("n", 'н'),
    ("nj", 'њ'),
    ("o", 'о'),
    ("p", 'п'),
    ("r", 'р'),
    ("s", 'с'),
    ("t", 'т'),
    ("ć", 'ћ'),
    ("u", 'у'),
    ("f", 'ф'),
    ("h", 'х'),
    ("c", 'ц'),
    ("č", 'ч'),
    ("dž", 'џ'),
    ("š", 'ш'),
];

/// The Cyrillic letter spelt `latin` (lowercase, one letter or a digraph).
fn cyrillic_of(latin: &str) -> Option<char> {
    LETTERS
        .iter()
        .find(|(spelling, _)| *spelling == latin)
        .map(|&(_, cyrillic)| cyrillic)
}

/// The first lowercase Cyrillic letter of Serbian (`а`, U+0430); the last is `џ`, U+045F.
const FIRST_CYRILLIC: usize = 0x430;

/// The Latin spelling of each lowercase Cyrillic letter from [`FIRST_CYRILLIC`] on, empty for
/// letters Serbian does not write: the entities stage reads every character of a Cyrillic
/// Serbian document through it.
const LATIN_BY_CYRILLIC: [&str; 0x30] = {
    let mut table = [""; 0x30];
    let mut k = 0;
    while k < LETTERS.len() {
        table[LETTERS[k].1 as usize - FIRST_CYRILLIC] = LETTERS[k].0;
        k += 1;
    }
    table
};

/// The Latin spelling of the lowercase Cyrillic letter `cyrillic`.
fn latin_of(cyrillic: char) -> Option<&'static str> {
    let spelling = LATIN_BY_CYRILLIC.get((cyrillic as usize).wrapping_sub(FIRST_CYRILLIC))?;
    (!spelling.is_empty()).then_some(*spelling)
}

/// Serbian in Latin letters written in Cyrillic; anything else is kept.
pub fn to_cyrillic(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 2);
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let lower = c.to_lowercase().next().unwrap_or(c);
        // Only `lj`, `nj` and `dž` are spelt with two letters.
        let digraph = chars
            .get(i + 1)
            .and_then(|next| cyrillic_of(&format!("{lower}{}", next.to_ascii_lowercase())));
        let (cyrillic, width) = match digraph {
            Some(letter) => (Some(letter), 2),
            None => (cyrillic_of(lower.encode_utf8(&mut [0; 4])), 1),
        };
        match cyrillic {
            Some(letter) if c.is_uppercase() => out.extend(letter.to_uppercase()),
            Some(letter) => out.push(letter),
            None => out.extend(&chars[i..i + width]),
        }
        i += width;
    }
    out
}

/// `word` in Serbian Latin letters: Serbian Cyrillic letters transliterated, anything else
/// (Latin letters, digits, punctuation, other Cyrillic letters) kept. A capital's digraph is
/// capitalized as its neighbour is: `Љубљана` is `Ljubljana`, `ЉУБЉАНА` is `LJUBLJANA`.
pub fn to_latin(word: &str) -> Cow<'_, str> {
    let spelling = |c: char| latin_of(c.to_lowercase().next().unwrap_or(c));
    if !word.chars().any(|c| spelling(c).is_some()) {
        return Cow::Borrowed(word);
    }
    let mut out = String::with_capacity(word.len());
    let mut chars = word.chars().peekable();
    while let Some(c) = chars.next() {
        let Some(latin) = spelling(c) else {
            out.push(c);
            continue;
        };
        if !c.is_uppercase() {
            out.push_str(latin);
            continue;
        }
        // The second letter of a capital's digraph is a capital only in a word written in
        // capitals.
        let shout = chars.peek().is_some_and(|n| n.is_uppercase());
        for (k, letter) in latin.chars().enumerate() {
            if k == 0 || shout {
                out.extend(letter.to_uppercase());
            } else {
                out.push(letter);
            }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latin_maps_to_cyrillic_with_its_digraphs() {
        assert_eq!(to_cyrillic("Ljubav, Njegoš i džep."), "Љубав, Његош и џеп.");
        assert_eq!(to_cyrillic("LJUBAV x"), "ЉУБАВ x");
    }

    #[test]
    fn cyrillic_letters_become_latin_ones_and_the_rest_stays() {
        assert_eq!(to_latin("Београд"), "Beograd");
        assert_eq!(to_latin("Љубљана"), "Ljubljana");
        assert_eq!(to_latin("ЉУБЉАНА"), "LJUBLJANA");
        assert_eq!(to_latin("Џорџ"), "Džordž");
        assert_eq!(to_latin("Ђоковић"), "Đoković");
        assert_eq!(to_latin("NATO-ом"), "NATO-om");
        // Not Serbian letters, and not Cyrillic at all: unchanged and not copied.
        assert!(matches!(to_latin("Vučić"), Cow::Borrowed("Vučić")));
        assert!(matches!(to_latin("2024."), Cow::Borrowed(_)));
        assert_eq!(to_latin("ы"), "ы");
    }

    #[test]
    fn the_two_directions_are_inverse_on_serbian_words() {
        for word in [
            "Ljubljana",
            "Džordž",
            "Đoković",
            "Vučić",
            "njegoš",
            "ŠUMADIJA",
        ] {
            assert_eq!(to_latin(&to_cyrillic(word)), word);
        }
    }

    #[test]
    fn the_script_is_the_one_most_letters_are_in() {
        assert!(mostly_cyrillic("Председник Вучић, NATO и EU."));
        assert!(!mostly_cyrillic("Predsednik Vučić posetio je Beograd."));
        assert!(!mostly_cyrillic("2024"));
    }
}
