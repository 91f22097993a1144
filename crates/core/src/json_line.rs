//! Documents from JSON lines: the reading half of the output contract.
//!
//! A line is `{"id", "text"}` or `{"id", "html"}`. Layers a previous run wrote (`sentences`,
//! `entities`, `summary`, `removed`, `ext`, `skipped`), `lang` and `meta` are read back into
//! their places, so textpipe's own output can be fed to another run; every other field is kept
//! in `meta`. Every front end (the command line's JSON Lines reader, the Python package's dict
//! items) reads documents through this one function, so a line means the same everywhere.

use std::fmt;

use serde::de::{Deserialize, Deserializer, Error as _, MapAccess, Visitor};
use serde_json::{Map, Value};

use crate::document::Document;

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
