//! Which fields of a document cross the boundary to a stage: `id` and `text` always, the rest
//! only when the stage reads them.
//!
//! Sending every document whole made a plugin that looks only at the text pay for everything
//! the pipeline had put on it: a 5 KB article with 70 sentences and 110 entities is about
//! 20 KB of JSON to write, parse, copy and compare, for nothing. A stage declares what it reads
//! (the descriptor's `reads`); the host writes only that ([`write_document`]), and the answer
//! stays a patch of what changed, so the fields that did not cross are kept as they were.

use textpipe_core::json_write::write_document_json_fields;
use textpipe_core::{Document, Layer};

/// The document fields a stage reads besides `id` and `text`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Fields {
    /// `lang`.
    pub lang: bool,
    /// `meta`.
    pub meta: bool,
    /// `html`.
    pub html: bool,
    /// `sentences`.
    pub sentences: bool,
    /// `entities`.
    pub entities: bool,
    /// `summary`.
    pub summary: bool,
    /// `removed`.
    pub removed: bool,
    /// `ext`.
    pub ext: bool,
    /// `skipped`.
    pub skipped: bool,
}

impl Fields {
    /// Every field: the whole document.
    pub const ALL: Fields = Fields {
        lang: true,
        meta: true,
        html: true,
        sentences: true,
        entities: true,
        summary: true,
        removed: true,
        ext: true,
        skipped: true,
    };

    /// The field names, in the order a document is written.
    const NAMES: [&'static str; 9] = [
        "lang",
        "meta",
        "html",
        "sentences",
        "entities",
        "summary",
        "removed",
        "ext",
        "skipped",
    ];

    /// True when `name` is one of the fields these are and is read.
    fn reads(mut self, name: &str) -> bool {
        self.slot(name).is_some_and(|read| *read)
    }

    fn slot(&mut self, name: &str) -> Option<&mut bool> {
        Some(match name {
            "lang" => &mut self.lang,
            "meta" => &mut self.meta,
            "html" => &mut self.html,
            "sentences" => &mut self.sentences,
            "entities" => &mut self.entities,
            "summary" => &mut self.summary,
            "removed" => &mut self.removed,
            "ext" => &mut self.ext,
            "skipped" => &mut self.skipped,
            _ => return None,
        })
    }

    /// What the Rust SDK declares for a stage: the layers it requires or provides (a stage
    /// that provides a layer may extend the one it finds), `lang`, `meta` and `ext` (small,
    /// and read by many stages), and `html` when it rewrites the text from the page.
    pub fn for_stage(requires: &[Layer], provides: &[Layer]) -> Fields {
        let mut fields = Fields {
            lang: true,
            meta: true,
            ext: true,
            ..Fields::default()
        };
        for &layer in requires.iter().chain(provides) {
            match layer {
                Layer::Sentences => fields.sentences = true,
                Layer::Entities => fields.entities = true,
                Layer::Summary => fields.summary = true,
                Layer::Removed => fields.removed = true,
                Layer::Text => fields.html = true,
                // A layer added to core later: send everything rather than guess.
                _ => return Fields::ALL,
            }
        }
        fields
    }

    /// Parses a descriptor's `reads`: a JSON array of field names, `["*"]` for all.
    pub fn parse(json: &str) -> Result<Fields, String> {
        let names: Vec<String> = serde_json::from_str(json)
            .map_err(|_| "`reads` must be a JSON array of field names".to_string())?;
        Fields::from_names(names.iter().map(String::as_str)).map_err(|name| {
            format!(
                "`reads`: unknown field `{name}`; fields: {}, or \"*\"",
                Fields::NAMES.join(", ")
            )
        })
    }

    /// The fields `names` lists (`"*"` for all; `id` and `text` are always sent); an unknown
    /// name is returned as the error. Native plugins' descriptors and process stages' hellos
    /// both name their fields this way.
    pub fn from_names<'a>(names: impl IntoIterator<Item = &'a str>) -> Result<Fields, &'a str> {
        let mut fields = Fields::default();
        for name in names {
            if name == "*" {
                return Ok(Fields::ALL);
            }
            if name == "id" || name == "text" {
                continue; // always sent
            }
            *fields.slot(name).ok_or(name)? = true;
        }
        Ok(fields)
    }

    /// The field names, in the order a document is written, for messages.
    pub fn names() -> &'static [&'static str] {
        &Fields::NAMES
    }

    /// The descriptor's `reads` for these fields.
    pub fn to_json(self) -> String {
        if self == Fields::ALL {
            return textpipe_plugin_abi::READS_EVERYTHING.to_string();
        }
        let names: Vec<&str> = Fields::NAMES
            .into_iter()
            .filter(|name| self.reads(name))
            .collect();
        serde_json::to_string(&names).unwrap_or_else(|_| "[\"*\"]".to_string())
    }
}

/// Writes `doc` as the JSON a stage reading `fields` gets: `id`, `text` and those fields, in
/// the output-contract form (the whole document, exactly as `serde_json` writes a
/// `Document`, when `fields` is [`Fields::ALL`]).
pub fn write_document(doc: &Document, fields: Fields, out: &mut Vec<u8>) {
    write_document_json_fields(doc, out, |name| fields.reads(name));
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};
    use textpipe_core::{Entity, Span};

    fn annotated() -> Document {
        let mut doc = Document::new("d", "Anne met Bo.");
        doc.lang = Some("en".into());
        doc.meta.insert("title".into(), json!("t"));
        doc.sentences = Some(vec![Span::new(0, 12)]);
        doc.entities = Some(vec![Entity::new("Anne met Bo.", Span::new(0, 4), "PER")]);
        doc.ext.insert("other".into(), json!([1]));
        doc
    }

    fn written(doc: &Document, fields: Fields) -> Value {
        let mut out = Vec::new();
        write_document(doc, fields, &mut out);
        serde_json::from_slice(&out).unwrap()
    }

    #[test]
    fn only_id_text_and_the_read_fields_are_written() {
        let doc = annotated();
        assert_eq!(
            written(&doc, Fields::default()),
            json!({"id": "d", "text": "Anne met Bo."})
        );
        let fields = Fields::parse(r#"["sentences", "meta"]"#).unwrap();
        assert_eq!(
            written(&doc, fields),
            json!({"id": "d", "text": "Anne met Bo.", "meta": {"title": "t"},
                   "sentences": [{"start": 0, "end": 12}]})
        );
    }

    #[test]
    fn all_fields_write_the_document_exactly_as_serde_does() {
        let doc = annotated();
        let mut out = Vec::new();
        write_document(&doc, Fields::ALL, &mut out);
        assert_eq!(out, serde_json::to_vec(&doc).unwrap());
        // A projection of every field is the same document, so it reads back equal.
        let mut every = Fields::ALL;
        every.skipped = false;
        let back: Document = serde_json::from_value(written(&doc, every)).unwrap();
        assert_eq!(back, doc);
    }

    #[test]
    fn names_from_a_process_hello_are_read_the_same_way() {
        assert_eq!(Fields::from_names(["sentence"]), Err("sentence"));
        let fields = Fields::from_names(["text", "ext"]).unwrap();
        assert!(fields.ext && !fields.sentences && !fields.lang);
        assert_eq!(Fields::from_names(["id", "*"]), Ok(Fields::ALL));
    }

    #[test]
    fn reads_round_trip_and_unknown_names_are_refused() {
        let fields = Fields::for_stage(&[Layer::Sentences], &[Layer::Entities]);
        assert_eq!(
            fields.to_json(),
            r#"["lang","meta","sentences","entities","ext"]"#
        );
        assert_eq!(Fields::parse(&fields.to_json()).unwrap(), fields);
        assert_eq!(Fields::parse(r#"["*"]"#).unwrap(), Fields::ALL);
        assert_eq!(Fields::ALL.to_json(), r#"["*"]"#);
        assert_eq!(
            Fields::parse(r#"["id", "text"]"#).unwrap(),
            Fields::default()
        );
        let error = Fields::parse(r#"["sentence"]"#).unwrap_err();
        assert!(error.contains("unknown field `sentence`"), "{error}");
        assert!(Fields::parse("{}").is_err());
    }
}
