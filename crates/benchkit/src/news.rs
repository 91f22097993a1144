//! Realistic news documents made in code: the fixture for measuring what a stage boundary
//! costs per document.
//!
//! A boundary's cost grows with what crosses it, so it must be measured on documents shaped
//! like the ones a pipeline carries by the time a team's stage runs: an article of about 5 KB
//! that the default pipeline has already split into ~70 sentences and tagged with ~110
//! entities (each with its text, label, source and score), with a title, URL and date in
//! `meta` and a language. Tiny documents flatter a boundary by an order of magnitude.
//!
//! The documents are generated rather than read from a corpus so that every bench and test
//! gets the same bytes on every machine without data files: a fixed xorshift sequence picks
//! words, names and sentence lengths from small vocabularies; `news_documents(n)` is the same
//! list on every call. Every span is built with the text, so the layers are valid by
//! construction (`Document::check_spans` passes).

use serde_json::Value;
use textpipe_core::{Document, Entity, Span};

/// About this many bytes of text per document.
pub const NEWS_DOCUMENT_BYTES: usize = 5_000;

const PEOPLE: [&str; 12] = [
    "Anne Dubois",
    "Marc Weber",
    "Sofia Marquez",
    "Jonas Berg",
    "Léa Fontaine",
    "Tomasz Nowak",
    "Amira Haddad",
    "Peter O'Neill",
    "Yuki Tanaka",
    "Carlos Ruiz",
    "Ingrid Holm",
    "David Okafor",
];
const ORGANISATIONS: [&str; 8] = [
    "the Council of Europe",
    "Reuters",
    "the European Central Bank",
    "Siemens",
    "the World Health Organization",
    "Port Ellery Transit",
    "the Green Party",
    "Nordic Rail",
];
const PLACES: [&str; 10] = [
    "Lyon",
    "Geneva",
    "Port Ellery",
    "Kraków",
    "Hamburg",
    "Lisbon",
    "Brussels",
    "Oslo",
    "Nairobi",
    "Zürich",
];
const WORDS: [&str; 40] = [
    "officials",
    "said",
    "the",
    "plan",
    "would",
    "cost",
    "million",
    "euros",
    "after",
    "a",
    "vote",
    "on",
    "Monday",
    "critics",
    "warned",
    "that",
    "project",
    "could",
    "be",
    "delayed",
    "by",
    "new",
    "rules",
    "in",
    "council",
    "members",
    "agreed",
    "to",
    "review",
    "budget",
    "next",
    "year",
    "while",
    "residents",
    "asked",
    "for",
    "more",
    "time",
    "and",
    "\"support\"",
];

/// `count` news-like documents (ids `news-0`, `news-1`, ...), each about
/// [`NEWS_DOCUMENT_BYTES`] of text with ~70 sentences and ~110 entities. Deterministic.
pub fn news_documents(count: usize) -> Vec<Document> {
    (0..count).map(news_document).collect()
}

/// The document `news-{seed}` of [`news_documents`].
pub fn news_document(seed: usize) -> Document {
    let mut random = XorShift::new(seed as u64);
    let mut text = String::with_capacity(NEWS_DOCUMENT_BYTES + 200);
    let mut sentences = Vec::new();
    let mut entities = Vec::new();
    let mut push_entity = |text: &mut String, name: &str, label: &str, score: f32| {
        let start = text.len();
        text.push_str(name);
        let mut entity = Entity::new(text, Span::new(start, text.len()), label);
        entity.source = Some("model".to_string());
        entity.score = Some(score);
        entities.push(entity);
    };
    while text.len() < NEWS_DOCUMENT_BYTES {
        let start = text.len();
        // About 1.6 entities and 70 bytes per sentence: one name to open most sentences,
        // a place or an organisation inside many.
        let opening = random.below(10);
        let score = 0.5 + random.below(50) as f32 / 100.0;
        match opening {
            0..=4 => push_entity(&mut text, PEOPLE[random.below(PEOPLE.len())], "PER", score),
            5..=7 => push_entity(
                &mut text,
                capitalised(ORGANISATIONS[random.below(ORGANISATIONS.len())]),
                "ORG",
                score,
            ),
            _ => text.push_str("Officials"),
        }
        let words = 6 + random.below(6);
        let named_at = if random.below(5) < 4 {
            random.below(words)
        } else {
            usize::MAX
        };
        for i in 0..words {
            text.push(' ');
            if i == named_at {
                if random.below(2) == 0 {
                    push_entity(&mut text, PLACES[random.below(PLACES.len())], "LOC", score);
                } else {
                    push_entity(
                        &mut text,
                        ORGANISATIONS[random.below(ORGANISATIONS.len())],
                        "ORG",
                        score,
                    );
                }
            } else {
                text.push_str(WORDS[random.below(WORDS.len())]);
            }
        }
        text.push('.');
        sentences.push(Span::new(start, text.len()));
        text.push_str(if random.below(6) == 0 { "\n\n" } else { " " });
    }
    let text_len = text.trim_end().len();
    text.truncate(text_len);
    let mut doc = Document::new(format!("news-{seed}"), text);
    doc.lang = Some("en".to_string());
    doc.meta.insert(
        "title".into(),
        Value::from(format!("Council approves plan number {seed}")),
    );
    doc.meta.insert(
        "url".into(),
        Value::from(format!("https://news.example.org/2026/12/{seed}")),
    );
    doc.meta.insert("date".into(), Value::from("2026-12-06"));
    doc.sentences = Some(sentences);
    doc.entities = Some(entities);
    doc
}

/// "the Council of Europe" at the start of a sentence: "The Council of Europe".
fn capitalised(name: &'static str) -> &'static str {
    match name.strip_prefix("the ") {
        Some(_) => match name {
            "the Council of Europe" => "The Council of Europe",
            "the European Central Bank" => "The European Central Bank",
            "the World Health Organization" => "The World Health Organization",
            "the Green Party" => "The Green Party",
            _ => name,
        },
        None => name,
    }
}

/// xorshift64: a fixed sequence from a seed, the same on every platform.
struct XorShift(u64);

impl XorShift {
    fn new(seed: u64) -> Self {
        XorShift(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documents_have_the_realistic_shape_and_valid_spans() {
        let docs = news_documents(64);
        let mean = |f: &dyn Fn(&Document) -> usize| {
            docs.iter().map(f).sum::<usize>() as f64 / docs.len() as f64
        };
        let bytes = mean(&|d| d.text.len());
        let sentences = mean(&|d| d.sentence_spans().len());
        let entities = mean(&|d| d.entities.as_ref().map_or(0, Vec::len));
        assert!((4_900.0..5_200.0).contains(&bytes), "{bytes} bytes");
        assert!((60.0..80.0).contains(&sentences), "{sentences} sentences");
        assert!((100.0..120.0).contains(&entities), "{entities} entities");
        for doc in &docs {
            doc.check_spans().unwrap();
        }
    }

    #[test]
    fn the_same_documents_on_every_call() {
        assert_eq!(news_documents(3), news_documents(3));
        assert_ne!(news_document(1).text, news_document(2).text);
    }
}
