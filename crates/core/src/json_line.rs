//! Documents from JSON lines: the reading half of the output contract.
//!
//! A line is `{"id", "text"}` or `{"id", "html"}`. Layers a previous run wrote (`sentences`,
//! `entities`, `summary`, `removed`, `ext`, `skipped`), `lang` and `meta` are read back into
//! their places, so textpipe's own output can be fed to another run; every other field is kept
//! in `meta`. Every front end (the command line's JSON Lines reader, the Python package's dict
//! items) reads documents through here, so a line means the same everywhere.
//!
//! # Someone else's dataset
//!
//! [`document_from_dataset_line`] reads any dataset's lines. A JSON line is first read by
//! [`document_from_json_line`], the fast path for textpipe's own output. When a dataset names its fields otherwise (`--text-field content`,
//! `--id-field url`, `--html-field raw`), or when a line fails for a reason other than its JSON
//! syntax, the line is read again as a JSON object: the named fields are moved to `text`, `id`
//! and `html`, and a field called like a layer (`summary`, `sentences`, `entities`, `removed`,
//! `skipped`, `ext`) that does not have textpipe's shape for that layer (the BBC summaries have
//! `"summary": "a string"`) is kept as data in `meta` under its name. A layer with textpipe's
//! shape is read back as a layer, and its spans must fit the text.
//!
//! Duplicate keys in a line follow one documented rule: the last occurrence wins, as in
//! JavaScript's `JSON.parse`, Python's `json.loads` and jq.

use std::fmt;

use serde::de::{Deserialize, Deserializer, Error as _, MapAccess, Visitor};
use serde_json::{Map, Value};

use crate::document::{Document, Entity, RemovedBlock, Summary};
use crate::language::SkipNote;
use crate::span::Span;

/// Makes a document of one JSON line; `fallback_id` is used when the line has no `id`.
///
/// ```
/// use textpipe_core::document_from_json_line;
/// let doc = document_from_json_line(r#"{"id": 7, "text": "Hi.", "lang": "en", "src": "x"}"#, "x:1").unwrap();
/// assert_eq!((doc.id.as_str(), doc.text.as_str()), ("7", "Hi."));
/// assert_eq!(doc.lang.as_deref(), Some("en"));
/// assert_eq!(doc.meta["src"], "x");
/// ```
pub fn document_from_json_line(line: &str, fallback_id: &str) -> Result<Document, String> {
    let line: JsonLine = serde_json::from_str(line).map_err(|error| {
        if error.is_syntax() || error.is_eof() {
            format!("not valid JSON: {error}")
        } else {
            error.to_string()
        }
    })?;
    line.into_document(fallback_id)
}

/// Makes a document of a JSON object already parsed (a dict handed over by the Python
/// package), by the same rules as [`document_from_json_line`] and without printing it to
/// text first.
///
/// ```
/// use textpipe_core::json_line::document_from_json_value;
/// let value = serde_json::json!({"text": "Hi.", "source": "wire"});
/// let doc = document_from_json_value(value, "item 3").unwrap();
/// assert_eq!((doc.id.as_str(), doc.meta["source"].as_str()), ("item 3", Some("wire")));
/// ```
pub fn document_from_json_value(value: Value, fallback_id: &str) -> Result<Document, String> {
    let line = JsonLine::deserialize(value).map_err(|error| error.to_string())?;
    line.into_document(fallback_id)
}

/// A document read straight from the JSON tokens: each field is deserialized into its final
/// type, with no intermediate `serde_json::Value` for the (large) text, which keeps parsing
/// at the speed of serde_json itself.
struct JsonLine {
    doc: Document,
    has_content: bool,
}

impl JsonLine {
    /// The document, once it is known to have content and layers that fit its text.
    fn into_document(self, fallback_id: &str) -> Result<Document, String> {
        let JsonLine {
            mut doc,
            has_content,
        } = self;
        if !has_content {
            return Err("a line needs a `text` or an `html` field".into());
        }
        if doc.id.is_empty() {
            doc.id = fallback_id.to_string();
        }
        doc.check_spans()
            .map_err(|error| format!("layers do not fit the text: {error}"))?;
        Ok(doc)
    }
}

impl<'de> Deserialize<'de> for JsonLine {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(JsonLineVisitor)
    }
}

struct JsonLineVisitor;

impl<'de> Visitor<'de> for JsonLineVisitor {
    type Value = JsonLine;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object with `id` and `text` or `html`")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut fields: A) -> Result<JsonLine, A::Error> {
        let mut doc = Document::default();
        let mut has_content = false;
        while let Some(key) = fields.next_key::<String>()? {
            match key.as_str() {
                "id" => {
                    doc.id = match fields.next_value::<Value>()? {
                        Value::String(id) => id,
                        Value::Number(n) => n.to_string(),
                        _ => return Err(A::Error::custom("`id` must be a string or a number")),
                    }
                }
                "text" => {
                    doc.text = fields.next_value()?;
                    has_content = true;
                }
                "html" => {
                    doc.html = Some(fields.next_value()?);
                    has_content = true;
                }
                "meta" => doc.meta.extend(fields.next_value::<Map<String, Value>>()?),
                "sentences" => doc.sentences = Some(fields.next_value()?),
                "entities" => doc.entities = Some(fields.next_value()?),
                "summary" => doc.summary = Some(fields.next_value()?),
                "removed" => doc.removed = Some(fields.next_value()?),
                "ext" => doc.ext = fields.next_value()?,
                "skipped" => doc.skipped = fields.next_value()?,
                // A language tag is the document's language; anything else under that name
                // (a number, a list) is someone else's data and stays in `meta`.
                "lang" => match fields.next_value::<Value>()? {
                    Value::String(lang) if !lang.is_empty() => doc.lang = Some(lang),
                    other => {
                        doc.meta.insert(key, other);
                    }
                },
                _ => {
                    let value = fields.next_value::<Value>()?;
                    doc.meta.insert(key, value);
                }
            }
        }
        Ok(JsonLine { doc, has_content })
    }
}

/// Which JSON fields hold a document's text, id and HTML, when a dataset names them otherwise.
/// The default reads `text`, `id` and `html`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct JsonFields {
    /// The field holding the text (`--text-field`).
    pub text: Option<String>,
    /// The field holding the id (`--id-field`).
    pub id: Option<String>,
    /// The field holding the HTML (`--html-field`).
    pub html: Option<String>,
}

impl JsonFields {
    fn renames(&self) -> impl Iterator<Item = (&str, &'static str)> {
        [
            (self.text.as_deref(), "text"),
            (self.id.as_deref(), "id"),
            (self.html.as_deref(), "html"),
        ]
        .into_iter()
        .filter_map(|(from, to)| Some((from?, to)).filter(|(from, to)| from != to))
    }

    /// True when every field has its own name (`text`, `id`, `html`).
    pub fn is_default(&self) -> bool {
        self.renames().next().is_none()
    }
}

/// A document of one JSON line under `fields` (see the module documentation).
pub fn document_from_dataset_line(
    line: &str,
    fallback_id: &str,
    fields: &JsonFields,
) -> Result<Document, String> {
    if fields.is_default() {
        match document_from_json_line(line, fallback_id) {
            Ok(doc) => return Ok(doc),
            Err(error) if error.starts_with("not valid JSON") => return Err(error),
            Err(_) => {}
        }
    }
    let value: Value =
        serde_json::from_str(line).map_err(|error| format!("not valid JSON: {error}"))?;
    document_from_dataset_value(value, fallback_id, fields)
}

/// A document of a JSON value already parsed (a dict handed over by the Python package)
/// under `fields`, by the same rules as [`document_from_dataset_line`].
pub fn document_from_dataset_value(
    value: Value,
    fallback_id: &str,
    fields: &JsonFields,
) -> Result<Document, String> {
    let Value::Object(mut object) = value else {
        return document_from_json_value(value, fallback_id);
    };
    for (from, to) in fields.renames() {
        // The dataset's own `text` (say) is data when another field is named as the text,
        // whether or not this line has that field.
        let named = object.remove(from);
        if let Some(displaced) = object.remove(to) {
            meta_of(&mut object).insert(to.to_string(), displaced);
        }
        if let Some(value) = named {
            object.insert(to.to_string(), value);
        }
    }
    for layer in LAYERS {
        let foreign = object
            .get(layer)
            .is_some_and(|value| !has_layer_shape(layer, value));
        if foreign {
            let value = object.remove(layer).unwrap_or_default();
            meta_of(&mut object).insert(layer.to_string(), value);
        }
    }
    document_from_json_value(Value::Object(object), fallback_id)
}

const LAYERS: [&str; 6] = [
    "sentences",
    "entities",
    "summary",
    "removed",
    "skipped",
    "ext",
];

/// Whether `value` reads as textpipe's layer `layer`.
fn has_layer_shape(layer: &str, value: &Value) -> bool {
    fn reads_as<T: serde::de::DeserializeOwned>(value: &Value) -> bool {
        T::deserialize(value).is_ok()
    }
    match layer {
        "sentences" => reads_as::<Vec<Span>>(value),
        "entities" => reads_as::<Vec<Entity>>(value),
        "summary" => reads_as::<Summary>(value),
        "removed" => reads_as::<Vec<RemovedBlock>>(value),
        "skipped" => reads_as::<Vec<SkipNote>>(value),
        "ext" => value.is_object(),
        _ => false,
    }
}

/// The line's `meta` object, made when missing (a `meta` that is not an object is kept under
/// `meta.meta`).
fn meta_of(object: &mut Map<String, Value>) -> &mut Map<String, Value> {
    let meta = object
        .entry("meta")
        .or_insert_with(|| Value::Object(Map::new()));
    if !meta.is_object() {
        let other = std::mem::replace(meta, Value::Object(Map::new()));
        meta.as_object_mut()
            .map(|map| map.insert("meta".into(), other));
    }
    meta.as_object_mut().expect("made an object above")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::span::Span;
    use proptest::prelude::*;

    #[test]
    fn layers_whose_spans_do_not_fit_are_refused() {
        let error =
            document_from_json_line(r#"{"text":"é","sentences":[{"start":0,"end":1}]}"#, "x")
                .unwrap_err();
        assert!(error.contains("layers do not fit"), "{error}");
    }

    #[test]
    fn a_line_without_text_or_html_is_refused() {
        let error = document_from_json_line(r#"{"id":"a"}"#, "x").unwrap_err();
        assert!(error.contains("`text` or an `html`"), "{error}");
    }

    #[test]
    fn a_parsed_object_reads_as_its_line_would() {
        let line = r#"{"id": 4, "text": "é.", "lang": "fr", "sentences": [{"start": 0, "end": 3}], "x": [1]}"#;
        let value: Value = serde_json::from_str(line).unwrap();
        assert_eq!(
            document_from_json_value(value, "v").unwrap(),
            document_from_json_line(line, "l").unwrap()
        );
        let error = document_from_json_value(serde_json::json!({"id": "a"}), "x").unwrap_err();
        assert!(error.contains("`text` or an `html`"), "{error}");
    }

    proptest! {
        // Any document textpipe writes reads back as the same document.
        #[test]
        fn output_lines_read_back_unchanged(id in "\\PC{0,20}", text in "\\PC{0,60}", title in "\\PC{0,10}") {
            let mut doc = Document::new(if id.is_empty() { "x".to_string() } else { id }, text);
            doc.sentences = Some(vec![Span::new(0, doc.text.len())]);
            doc.meta.insert("title".into(), Value::String(title));
            let line = serde_json::to_string(&doc).unwrap();
            prop_assert_eq!(document_from_json_line(&line, "unused").unwrap(), doc);
        }
    }
}

#[cfg(test)]
mod dataset_tests {
    use super::*;

    #[test]
    fn a_field_named_like_a_layer_without_its_shape_is_kept_in_meta() {
        let line = r#"{"id": "bbc-1", "text": "Profits fell. Shares rose.", "summary": "Profits fell.", "sentences": 2, "category": "business"}"#;
        let doc = document_from_dataset_line(line, "x", &JsonFields::default()).unwrap();
        assert_eq!(doc.summary, None);
        assert_eq!(doc.sentences, None);
        assert_eq!(doc.meta["summary"], "Profits fell.");
        assert_eq!(doc.meta["sentences"], 2);
        assert_eq!(doc.meta["category"], "business");
    }

    #[test]
    fn a_layer_with_textpipe_shape_is_read_back_and_must_fit() {
        let fits = r#"{"text": "ab", "sentences": [{"start": 0, "end": 2}]}"#;
        let doc = document_from_dataset_line(fits, "x", &JsonFields::default()).unwrap();
        assert_eq!(doc.sentences, Some(vec![Span::new(0, 2)]));
        let past = r#"{"text": "ab", "sentences": [{"start": 0, "end": 99}]}"#;
        let error = document_from_dataset_line(past, "x", &JsonFields::default()).unwrap_err();
        assert!(error.contains("layers do not fit"), "{error}");
    }

    #[test]
    fn named_fields_become_text_id_and_html() {
        let fields = JsonFields {
            text: Some("content".into()),
            id: Some("url".into()),
            html: None,
        };
        let line = r#"{"url": "https://x.example/a", "content": "Body.", "text": "teaser"}"#;
        let doc = document_from_dataset_line(line, "x", &fields).unwrap();
        assert_eq!(doc.id, "https://x.example/a");
        assert_eq!(doc.text, "Body.");
        assert_eq!(doc.meta["text"], "teaser");
        let html = JsonFields {
            html: Some("raw".into()),
            ..JsonFields::default()
        };
        let doc = document_from_dataset_line(r#"{"raw": "<p>Hi.</p>"}"#, "f:1", &html).unwrap();
        assert_eq!(
            (doc.id.as_str(), doc.html.as_deref()),
            ("f:1", Some("<p>Hi.</p>"))
        );
        let error = document_from_dataset_line(r#"{"text": "no content field"}"#, "x", &fields)
            .unwrap_err();
        assert!(error.contains("`text` or an `html`"), "{error}");
    }

    #[test]
    fn with_duplicate_keys_the_last_one_wins() {
        for fields in [
            JsonFields::default(),
            JsonFields {
                text: Some("body".into()),
                ..JsonFields::default()
            },
        ] {
            let line = match fields.text {
                None => r#"{"id": "a", "text": "first", "text": "last", "id": "b"}"#,
                Some(_) => r#"{"id": "a", "body": "first", "body": "last", "id": "b"}"#,
            };
            let doc = document_from_dataset_line(line, "x", &fields).unwrap();
            assert_eq!((doc.id.as_str(), doc.text.as_str()), ("b", "last"));
        }
    }

    #[test]
    fn json_syntax_errors_are_reported_as_such() {
        let error = document_from_dataset_line("{oops", "x", &JsonFields::default()).unwrap_err();
        assert!(error.starts_with("not valid JSON"), "{error}");
    }
}
