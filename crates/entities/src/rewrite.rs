//! Contractions a treebank writes apart and running text writes as one word.
//!
//! Universal Dependencies treebanks split a contracted word into its syntactic words: the
//! Portuguese Bosque treebank (and so UniversalNER's Portuguese file) writes "do" as `de` `o`,
//! "na" as `em` `a`, "pelo" as `por` `o`. A tagger trained on those files learns "Cidade de o
//! México" and then meets "Cidade do México" in every Portuguese text: the shipped
//! Portuguese model, trained on the split forms, scored 78.79 F1 on its dev file as written and
//! 75.91 on the same file with the contractions joined as Portuguese writes them. A
//! [`Contractions`] table lets the trainer learn from each document a second time, joined
//! ([`Contractions::contract`]), so the model knows both forms: the treebank's, which its test
//! files keep, and the one users' text has.

use crate::conll::{TaggedDocument, TaggedSentence};

/// The contractions of one language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Contractions {
    /// Portuguese: a preposition (`de`, `em`, `a`, `por`) joined with the article or pronoun
    /// after it.
    Portuguese,
}

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

impl Contractions {
    /// The table for a language tag's primary subtag (`pt`, `pt-BR`), if there is one.
    pub fn for_language(lang: &str) -> Option<Contractions> {
        let primary = lang.split(['-', '_']).next().unwrap_or(lang);
        match primary.to_ascii_lowercase().as_str() {
            "pt" => Some(Contractions::Portuguese),
            _ => None,
        }
    }

    fn table(self) -> &'static [(&'static str, &'static str, &'static str)] {
        match self {
            Contractions::Portuguese => PORTUGUESE,
        }
    }

    /// The written word for the syntactic words `first` and `second`, cased as `first` is
    /// ("De o" is "Do", "DE O" is "DO"), if they contract.
    pub fn join(self, first: &str, second: &str) -> Option<String> {
        let (lower_first, lower_second) = (first.to_lowercase(), second.to_lowercase());
        let (_, _, joined) = self
            .table()
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

    /// `document` with every contraction joined, or `None` when it has none. A pair is joined
    /// only where the tags allow one tag for both words: both outside any mention, or the
    /// second continuing the first's mention ("Cidade de o México" is "Cidade do México",
    /// still one `LOC`); a pair whose second word starts a mention stays apart.
    pub fn contract(self, document: &TaggedDocument) -> Option<TaggedDocument> {
        let mut joined_any = false;
        let sentences = document
            .sentences
            .iter()
            .map(|sentence| {
                let (contracted, joined) = self.contract_sentence(sentence);
                joined_any |= joined;
                contracted
            })
            .collect();
        joined_any.then_some(TaggedDocument { sentences })
    }

    fn contract_sentence(self, sentence: &TaggedSentence) -> (TaggedSentence, bool) {
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
            let pair = (i + 1 < sentence.tokens.len())
                .then(|| {
                    let (tag, next_tag) = (sentence.tags[i], sentence.tags[i + 1]);
                    let one_tag = next_tag.label().is_none() && tag.label().is_none()
                        || next_tag.is_inside() && next_tag.label() == tag.label();
                    let whole_words = !sentence.continues.get(i + 1).copied().unwrap_or(false);
                    (one_tag && whole_words)
                        .then(|| self.join(&sentence.tokens[i], &sentence.tokens[i + 1]))
                        .flatten()
                })
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
        let contracted = Contractions::Portuguese.contract(&document).unwrap();
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
        assert_eq!(Contractions::Portuguese.contract(&document), None);
    }

    #[test]
    fn cases_follow_the_first_word() {
        let pt = Contractions::Portuguese;
        assert_eq!(pt.join("DE", "O").as_deref(), Some("DO"));
        assert_eq!(pt.join("A", "A").as_deref(), Some("À"));
        assert_eq!(pt.join("Em", "uma").as_deref(), Some("Numa"));
        assert_eq!(pt.join("por", "as").as_deref(), Some("pelas"));
        assert_eq!(pt.join("de", "um"), None);
        assert_eq!(Contractions::for_language("pt-BR"), Some(pt));
        assert_eq!(Contractions::for_language("es"), None);
    }
}
