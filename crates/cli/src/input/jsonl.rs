//! JSON Lines corpora: one document per line.
//!
//! A line is `{"id", "text"}` or `{"id", "html"}`. Layers a previous run wrote (`sentences`,
//! `entities`, `summary`, `removed`, `ext`) and `meta` are read back into their places, so
//! textpipe's own output can be fed to another run; every other field is kept in `meta`.

use std::fmt;
use std::io::BufRead;

use serde::de::{Deserialize, Deserializer, Error as _, MapAccess, Visitor};
use serde_json::{Map, Value};
use textpipe_core::Document;

use super::{InputFailure, Record};

/// The lines of one JSON Lines input, as records.
pub(super) struct JsonLines {
    origin: String,
    reader: Box<dyn BufRead + Send>,
    line: usize,
    buffer: Vec<u8>,
}

impl JsonLines {
    pub fn new(origin: String, reader: Box<dyn BufRead + Send>) -> Self {
        JsonLines {
            origin,
            reader,
            line: 0,
            buffer: Vec::new(),
        }
    }

    fn unreadable(&self, message: String) -> Record {
        Record::Unreadable(InputFailure {
            id: None,
            input: self.origin.clone(),
            line: Some(self.line),
            message,
        })
    }
}

impl Iterator for JsonLines {
    type Item = Record;

    fn next(&mut self) -> Option<Record> {
        loop {
            self.buffer.clear();
            self.line += 1;
            match self.reader.read_until(b'\n', &mut self.buffer) {
                Ok(0) => return None,
                Ok(_) => {}
                // A read error (a truncated gzip stream) ends this input after one record.
                Err(error) => {
                    let record = self.unreadable(format!("cannot read: {error}"));
                    self.buffer.clear();
                    self.reader = Box::new(std::io::empty());
                    return Some(record);
                }
            }
            if self.buffer.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            let line = match std::str::from_utf8(&self.buffer) {
                Ok(line) => line,
                Err(error) => {
                    let at = error.valid_up_to();
                    return Some(self.unreadable(format!(
                        "not valid UTF-8 (first bad byte at offset {at} of the line)"
                    )));
                }
            };
            let fallback_id = format!("{}:{}", self.origin, self.line);
            return Some(match document_from_json_line(line, &fallback_id) {
                Ok(doc) => Record::Document(Box::new(doc)),
                Err(message) => self.unreadable(message),
            });
        }
    }
}

/// Makes a document of one JSON line; `fallback_id` is used when the line has no `id`.
///
/// ```
/// use textpipe_cli::input::document_from_json_line;
/// let doc = document_from_json_line(r#"{"id": 7, "text": "Hi.", "lang": "en"}"#, "x:1").unwrap();
/// assert_eq!((doc.id.as_str(), doc.text.as_str()), ("7", "Hi."));
/// assert_eq!(doc.meta["lang"], "en");
/// ```
pub fn document_from_json_line(line: &str, fallback_id: &str) -> Result<Document, String> {
    let JsonLine {
        mut doc,
        has_content,
    } = serde_json::from_str(line).map_err(|error| {
        if error.is_syntax() || error.is_eof() {
            format!("not valid JSON: {error}")
        } else {
            error.to_string()
        }
    })?;
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

/// A document read straight from the JSON tokens: each field is deserialized into its final
/// type, with no intermediate `serde_json::Value` for the (large) text, which keeps parsing
/// at the speed of serde_json itself.
struct JsonLine {
    doc: Document,
    has_content: bool,
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
    use proptest::prelude::*;

    fn lines(text: &'static str) -> Vec<Record> {
        JsonLines::new("c.jsonl".into(), Box::new(text.as_bytes())).collect()
    }

    #[test]
    fn bad_lines_become_records_and_the_rest_goes_on() {
        let records =
            lines("{\"id\":\"a\",\"text\":\"A.\"}\n\n{not json\n{\"id\":\"c\"}\n{\"text\":\"B.\"}");
        assert_eq!(records.len(), 4);
        assert!(matches!(&records[0], Record::Document(d) if d.id == "a"));
        assert!(matches!(&records[1], Record::Unreadable(f) if f.line == Some(3)));
        assert!(
            matches!(&records[2], Record::Unreadable(f) if f.message.contains("`text` or an `html`"))
        );
        assert!(matches!(&records[3], Record::Document(d) if d.id == "c.jsonl:5"));
    }

    #[test]
    fn invalid_utf8_in_a_line_is_reported_with_its_line() {
        let records: Vec<Record> = JsonLines::new(
            "c".into(),
            Box::new(&b"{\"text\":\"\xff\"}\n{\"text\":\"ok\"}"[..]),
        )
        .collect();
        assert!(matches!(&records[0], Record::Unreadable(f) if f.line == Some(1)));
        assert!(matches!(&records[1], Record::Document(_)));
    }

    #[test]
    fn layers_whose_spans_do_not_fit_are_refused() {
        let error =
            document_from_json_line(r#"{"text":"é","sentences":[{"start":0,"end":1}]}"#, "x")
                .unwrap_err();
        assert!(error.contains("layers do not fit"), "{error}");
    }

    proptest! {
        // Any document textpipe writes reads back as the same document.
        #[test]
        fn output_lines_read_back_unchanged(id in "\\PC{0,20}", text in "\\PC{0,60}", title in "\\PC{0,10}") {
            let mut doc = Document::new(if id.is_empty() { "x".to_string() } else { id }, text);
            doc.sentences = Some(vec![textpipe_core::Span::new(0, doc.text.len())]);
            doc.meta.insert("title".into(), Value::String(title));
            let line = serde_json::to_string(&doc).unwrap();
            prop_assert_eq!(document_from_json_line(&line, "unused").unwrap(), doc);
        }
    }
}
