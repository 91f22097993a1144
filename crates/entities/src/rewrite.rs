//! Training documents written a second way: as the text users have writes what a training
//! file writes otherwise.
//!
//! - **Portuguese contractions.** Universal Dependencies treebanks split a contracted word
//!   into its syntactic words: the Portuguese Bosque treebank (and so UniversalNER's
//!   Portuguese file) writes "do" as `de` `o`, "na" as `em` `a`, "pelo" as `por` `o`. A
//!   tagger trained on those files learns "Cidade de o México" and then meets "Cidade do
//!   México" in every Portuguese text: the Portuguese model trained on the split forms
//!   scored 78.79 F1 on its dev file as written and 75.72 with the contractions joined.
//! - **Simplified Chinese.** UniversalNER's Chinese file (GSD) is written in Traditional
//!   characters, the mainland's and Singapore's news in Simplified ones, and about a quarter
//!   of the characters of running text differ: the Chinese model trained on the file alone
//!   scored 57.52 on its dev file and 34.01 on the same file in Simplified characters.
//! - **German umlauts.** The CoNLL-2003 German training file writes umlauts as misread
//!   letters ("Mьnchen" for "München"), its dev file drops them ("Mnchen"), GermEval and
//!   users' text write them: [`Rewrite::GermanUmlauts`] writes the stand-ins back,
//!   [`Rewrite::AsciiLetters`] drops letters outside ASCII (German dev 68.18 -> 71.07 with
//!   both).
//!
//! A [`Rewrite`] lets the trainer learn from each document a second time, rewritten
//! ([`Rewrite::apply`]), so the model knows both forms: the training file's, which its test
//! file keeps, and the one users' text has.

use crate::conll::{TaggedDocument, TaggedSentence};

/// A way of writing a training document as users' text writes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rewrite {
    /// `pt-contractions`: Portuguese prepositions (`de`, `em`, `a`, `por`) joined with the
    /// article or pronoun after them, as running text writes them.
    PortugueseContractions,
    /// `zh-simplified`: Traditional Chinese characters written as Simplified ones.
    SimplifiedChinese,
    /// `de-umlauts`: the CoNLL-2003 German training file's stand-ins for umlauts and
    /// accents (a Latin-1 text misread, `д` for `ä`, `я` for `ß`) written back as German
    /// writes them.
    GermanUmlauts,
    /// `ascii-letters`: every letter outside ASCII dropped, as the CoNLL-2003 German dev
    /// file has them ("Mnchen" for "München") and as text that lost its encoding has them.
    AsciiLetters,
}

/// The CoNLL-2003 German training file's stand-ins and the letters they stand for, read off
/// its words ("daя" is "daß", "Mьnchen" "München", "÷sterreich" "Österreich", "Cafй" "Café").
const GERMAN_STAND_INS: [(char, char); 15] = [
    ('д', 'ä'),
    ('ц', 'ö'),
    ('ь', 'ü'),
    ('я', 'ß'),
    ('ƒ', 'Ä'),
    ('÷', 'Ö'),
    ('№', 'Ü'),
    ('й', 'é'),
    ('и', 'è'),
    ('к', 'ê'),
    ('б', 'á'),
    ('з', 'ç'),
    ('у', 'ó'),
    ('м', 'í'),
    ('т', 'ò'),
];

/// Traditional characters and the Simplified ones they are written as (OpenCC's table, see
/// `data/README.md`).
const TRADITIONAL_TO_SIMPLIFIED: &str = include_str!("../data/traditional_to_simplified.tsv");

/// Portuguese contractions: the two syntactic words (lowercase) and the written word.
const PORTUGUESE: &[(&str, &str, &str)] = &[
    ("de", "o", "do"),
    ("de", "a", "da"),
    ("de", "os", "dos"),
    ("de", "as", "das"),
    ("em", "o", "no"),
    ("em", "a", "na"),
    ("em", "os", "nos"),
    ("em", "as", "nas"),
    ("a", "o", "ao"),
    ("a", "a", "à"),
    ("a", "os", "aos"),
    ("a", "as", "às"),
    ("por", "o", "pelo"),
    ("por", "a", "pela"),
    ("por", "os", "pelos"),
    ("por", "as", "pelas"),
    ("em", "um", "num"),
    ("em", "uma", "numa"),
    ("em", "uns", "nuns"),
    ("em", "umas", "numas"),
    ("de", "este", "deste"),
    ("de", "esta", "desta"),
    ("de", "estes", "destes"),
    ("de", "estas", "destas"),
    ("de", "esse", "desse"),
    ("de", "essa", "dessa"),
    ("de", "esses", "desses"),
    ("de", "essas", "dessas"),
    ("de", "aquele", "daquele"),
    ("de", "aquela", "daquela"),
    ("de", "aquilo", "daquilo"),
    ("de", "isto", "disto"),
    ("de", "isso", "disso"),
    ("de", "ele", "dele"),
    ("de", "ela", "dela"),
    ("de", "eles", "deles"),
    ("de", "elas", "delas"),
    ("em", "este", "neste"),
    ("em", "esta", "nesta"),
    ("em", "esse", "nesse"),
    ("em", "essa", "nessa"),
    ("em", "aquele", "naquele"),
    ("em", "aquela", "naquela"),
    ("em", "isto", "nisto"),
    ("em", "isso", "nisso"),
    ("a", "aquele", "àquele"),
    ("a", "aquela", "àquela"),
];

impl Rewrite {
    /// Every rewrite, by name.
    pub const ALL: [(&'static str, Rewrite); 4] = [
        ("pt-contractions", Rewrite::PortugueseContractions),
        ("zh-simplified", Rewrite::SimplifiedChinese),
        ("de-umlauts", Rewrite::GermanUmlauts),
        ("ascii-letters", Rewrite::AsciiLetters),
    ];

    /// The rewrite called `name` (one of [`Rewrite::ALL`]).
    pub fn from_name(name: &str) -> Option<Rewrite> {
        Rewrite::ALL
            .iter()
            .find(|(known, _)| known.eq_ignore_ascii_case(name))
            .map(|&(_, rewrite)| rewrite)
    }

    /// `document` rewritten, or `None` when the rewrite changes nothing in it.
    pub fn apply(self, document: &TaggedDocument) -> Option<TaggedDocument> {
        match self {
            Rewrite::PortugueseContractions => contract(document),
            Rewrite::SimplifiedChinese => {
                let table = traditional_to_simplified();
                map_chars(document, |c| Some(*table.get(&c).unwrap_or(&c)))
            }
            Rewrite::GermanUmlauts => map_chars(document, |c| {
                Some(
                    GERMAN_STAND_INS
                        .iter()
                        .find(|(s, _)| *s == c)
                        .map_or(c, |&(_, letter)| letter),
                )
            }),
            Rewrite::AsciiLetters => map_chars(document, |c| {
                (c.is_ascii() || !c.is_alphabetic()).then_some(c)
            }),
        }
    }

    /// The names of every rewrite, for messages.
    pub fn names() -> String {
        let names: Vec<&str> = Rewrite::ALL.iter().map(|(name, _)| *name).collect();
        names.join(", ")
    }
}

/// `document` with each token's characters rewritten by `edit` (`None` drops one), or `None`
/// when no token changes. Tokens are rewritten one for one, so tags, word ranges and cut
/// tokens stay where they were; a token that would lose all its characters stays as it is.
fn map_chars(
    document: &TaggedDocument,
    edit: impl Fn(char) -> Option<char>,
) -> Option<TaggedDocument> {
    let mut changed = false;
    let mut copy = document.clone();
    for token in copy.sentences.iter_mut().flat_map(|s| s.tokens.iter_mut()) {
        let new: String = token.chars().filter_map(&edit).collect();
        if !new.is_empty() && new != *token {
            *token = new;
            changed = true;
        }
    }
    changed.then_some(copy)
}

/// Traditional characters and their Simplified ones, read once from the table.
fn traditional_to_simplified() -> &'static std::collections::HashMap<char, char> {
    static TABLE: std::sync::OnceLock<std::collections::HashMap<char, char>> =
        std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        TRADITIONAL_TO_SIMPLIFIED
            .lines()
            .filter_map(|line| {
                let mut chars = line.chars();
                match (chars.next(), chars.next(), chars.next(), chars.next()) {
                    (Some(traditional), Some('\t'), Some(simplified), None) => {
                        Some((traditional, simplified))
                    }
                    _ => None,
                }
            })
            .collect()
    })
}

/// `document` with every Portuguese contraction joined, or `None` when it has none. A pair
/// is joined only where the tags allow one tag for both words: both outside any mention, or
/// the second continuing the first's mention ("Cidade de o México" is "Cidade do México",
/// still one `LOC`); a pair whose second word starts a mention stays apart.
fn contract(document: &TaggedDocument) -> Option<TaggedDocument> {
    let mut joined_any = false;
    let sentences = document
        .sentences
        .iter()
        .map(|sentence| {
            let (contracted, joined) = contract_sentence(sentence);
            joined_any |= joined;
            contracted
        })
        .collect();
    joined_any.then_some(TaggedDocument { sentences })
}

/// The written word for the Portuguese syntactic words `first` and `second`, cased as `first`
/// is ("De o" is "Do", "DE O" is "DO"), if they contract.
fn join_portuguese(first: &str, second: &str) -> Option<String> {
    let (lower_first, lower_second) = (first.to_lowercase(), second.to_lowercase());
    let (_, _, joined) = PORTUGUESE
        .iter()
        .find(|(a, b, _)| *a == lower_first && *b == lower_second)?;
    let all_caps = first.chars().count() > 1
        && first.chars().all(char::is_uppercase)
        && second.chars().all(char::is_uppercase);
    Some(if all_caps {
        joined.to_uppercase()
    } else if first.starts_with(char::is_uppercase) {
        let mut chars = joined.chars();
        chars
            .next()
            .map(|c| c.to_uppercase().chain(chars).collect())
            .unwrap_or_default()
    } else {
        joined.to_string()
    })
}

/// Whether tokens `i` and `i + 1` of `sentence` may become one token: one tag fits both
/// (both outside any mention, or the second continuing the first's), and the second is a
/// whole file token.
fn joinable(sentence: &TaggedSentence, i: usize) -> bool {
    let (tag, next_tag) = (sentence.tags[i], sentence.tags[i + 1]);
    let one_tag = next_tag.label().is_none() && tag.label().is_none()
        || next_tag.is_inside() && next_tag.label() == tag.label();
    one_tag && !sentence.continues.get(i + 1).copied().unwrap_or(false)
}

fn contract_sentence(sentence: &TaggedSentence) -> (TaggedSentence, bool) {
    // Scripts written without spaces have no such contractions, and their word ranges
    // would need renumbering.
    if !sentence.words.is_empty() {
        return (sentence.clone(), false);
    }
    let mut out = TaggedSentence {
        tokens: Vec::with_capacity(sentence.tokens.len()),
        tags: Vec::with_capacity(sentence.tags.len()),
        words: Vec::new(),
        continues: Vec::with_capacity(sentence.continues.len()),
    };
    let mut joined = false;
    let mut i = 0;
    while i < sentence.tokens.len() {
        let pair = (i + 1 < sentence.tokens.len() && joinable(sentence, i))
            .then(|| join_portuguese(&sentence.tokens[i], &sentence.tokens[i + 1]))
            .flatten();
        out.tags.push(sentence.tags[i]);
        out.continues
            .push(sentence.continues.get(i).copied().unwrap_or(false));
        match pair {
            Some(word) => {
                out.tokens.push(word);
                joined = true;
                i += 2;
            }
            None => {
                out.tokens.push(sentence.tokens[i].clone());
                i += 1;
            }
        }
    }
    (out, joined)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tags::Tag;

    fn sentence(words: &[(&str, &str)]) -> TaggedSentence {
        TaggedSentence {
            tokens: words.iter().map(|(w, _)| w.to_string()).collect(),
            tags: words.iter().map(|(_, t)| Tag::parse(t)).collect(),
            words: Vec::new(),
            continues: vec![false; words.len()],
        }
    }

    fn written(sentence: &TaggedSentence) -> Vec<(String, String)> {
        sentence
            .tokens
            .iter()
            .zip(&sentence.tags)
            .map(|(w, t)| (w.clone(), t.name()))
            .collect()
    }

    #[test]
    fn joins_as_portuguese_writes_and_keeps_the_mention() {
        let document = TaggedDocument {
            sentences: vec![sentence(&[
                ("Mora", "O"),
                ("em", "O"),
                ("a", "O"),
                ("Cidade", "B-LOC"),
                ("de", "I-LOC"),
                ("o", "I-LOC"),
                ("México", "I-LOC"),
                ("e", "O"),
                ("De", "O"),
                ("o", "O"),
                ("PORTO", "B-LOC"),
            ])],
        };
        let contracted = Rewrite::PortugueseContractions.apply(&document).unwrap();
        let pairs: Vec<(String, String)> = written(&contracted.sentences[0]);
        let expected = [
            ("Mora", "O"),
            ("na", "O"),
            ("Cidade", "B-LOC"),
            ("do", "I-LOC"),
            ("México", "I-LOC"),
            ("e", "O"),
            ("Do", "O"),
            ("PORTO", "B-LOC"),
        ];
        assert_eq!(
            pairs,
            expected
                .iter()
                .map(|(w, t)| (w.to_string(), t.to_string()))
                .collect::<Vec<_>>()
        );
    }

    #[test]
    fn a_pair_whose_second_word_starts_a_mention_stays_apart() {
        let document = TaggedDocument {
            sentences: vec![sentence(&[
                ("leu", "O"),
                ("em", "O"),
                ("O", "B-ORG"),
                ("Globo", "I-ORG"),
            ])],
        };
        assert_eq!(Rewrite::PortugueseContractions.apply(&document), None);
    }

    #[test]
    fn cases_follow_the_first_word() {
        assert_eq!(join_portuguese("DE", "O").as_deref(), Some("DO"));
        assert_eq!(join_portuguese("A", "A").as_deref(), Some("À"));
        assert_eq!(join_portuguese("Em", "uma").as_deref(), Some("Numa"));
        assert_eq!(join_portuguese("por", "as").as_deref(), Some("pelas"));
        assert_eq!(join_portuguese("de", "um"), None);
    }

    #[test]
    fn chinese_is_written_in_simplified_characters_character_for_character() {
        let text = "-DOCSTART-\tO\n\n臺灣\tB-LOC\n選舉\tO\n\n他\tO\n";
        let documents = crate::conll::parse_conll(text).unwrap();
        let simplified = Rewrite::SimplifiedChinese.apply(&documents[0]).unwrap();
        let sentence = &simplified.sentences[0];
        assert_eq!(sentence.tokens.concat(), "台湾选举");
        assert_eq!(sentence.tags, documents[0].sentences[0].tags);
        assert_eq!(sentence.words, documents[0].sentences[0].words);
        // A document already in Simplified characters has no copy.
        let simple = crate::conll::parse_conll("他\tO\n说\tO\n").unwrap();
        assert_eq!(Rewrite::SimplifiedChinese.apply(&simple[0]), None);
    }

    #[test]
    fn german_stand_ins_become_umlauts_and_ascii_letters_drop_the_rest() {
        let text = "-DOCSTART-\tO\n\nMьnchen\tB-LOC\nist\tO\ngroя\tO\n";
        let documents = crate::conll::parse_conll(text).unwrap();
        let german = Rewrite::GermanUmlauts.apply(&documents[0]).unwrap();
        assert_eq!(german.sentences[0].tokens, ["München", "ist", "groß"]);
        let ascii = Rewrite::AsciiLetters.apply(&german).unwrap();
        assert_eq!(ascii.sentences[0].tokens, ["Mnchen", "ist", "gro"]);
        assert_eq!(ascii.sentences[0].tags, documents[0].sentences[0].tags);
        // Nothing to rewrite: no copy. A token of nothing but such letters is kept.
        assert_eq!(Rewrite::GermanUmlauts.apply(&ascii), None);
        let lone = crate::conll::parse_conll("ü\tO\n").unwrap();
        assert_eq!(Rewrite::AsciiLetters.apply(&lone[0]), None);
    }

    #[test]
    fn rewrites_are_named() {
        assert_eq!(
            Rewrite::from_name("pt-contractions"),
            Some(Rewrite::PortugueseContractions)
        );
        assert_eq!(
            Rewrite::from_name("zh-simplified"),
            Some(Rewrite::SimplifiedChinese)
        );
        assert_eq!(Rewrite::from_name("pt"), None);
    }
}
