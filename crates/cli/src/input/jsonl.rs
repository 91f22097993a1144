//! JSON Lines corpora: one document per line.
//!
//! A line is `{"id", "text"}` or `{"id", "html"}`. Layers a previous run wrote (`sentences`,
//! `entities`, `summary`, `removed`, `ext`) and `meta` are read back into their places, so
//! textpipe's own output can be fed to another run; every other field is kept in `meta`.

use std::io::BufRead;

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
    let fields: Map<String, Value> = serde_json::from_str(line).map_err(|error| {
        let message = error.to_string();
        format!("not a JSON object: {message}")
    })?;
    let mut doc = Document::default();
    let mut has_content = false;
    for (key, value) in fields {
        match key.as_str() {
            "id" => doc.id = id_of(value)?,
            "text" => {
                doc.text = string_field("text", value)?;
                has_content = true;
            }
            "html" => {
                doc.html = Some(string_field("html", value)?);
                has_content = true;
            }
            "meta" => match value {
                Value::Object(meta) => doc.meta.extend(meta),
                _ => return Err("`meta` must be an object".into()),
            },
            "sentences" => doc.sentences = Some(layer(&key, value)?),
            "entities" => doc.entities = Some(layer(&key, value)?),
            "summary" => doc.summary = Some(layer(&key, value)?),
            "removed" => doc.removed = Some(layer(&key, value)?),
            "ext" => doc.ext = layer(&key, value)?,
            _ => {
                doc.meta.insert(key, value);
            }
        }
    }
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

fn id_of(value: Value) -> Result<String, String> {
    match value {
        Value::String(id) => Ok(id),
        Value::Number(n) => Ok(n.to_string()),
        _ => Err("`id` must be a string or a number".into()),
    }
}

fn string_field(key: &str, value: Value) -> Result<String, String> {
    match value {
        Value::String(s) => Ok(s),
        _ => Err(format!("`{key}` must be a string")),
    }
}

fn layer<T: serde::de::DeserializeOwned>(key: &str, value: Value) -> Result<T, String> {
    serde_json::from_value(value).map_err(|error| format!("`{key}`: {error}"))
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
