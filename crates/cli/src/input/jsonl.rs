//! JSON Lines corpora: one document per line.
//!
//! A line is `{"id", "text"}` or `{"id", "html"}`. Layers a previous run wrote (`sentences`,
//! `entities`, `summary`, `removed`, `ext`) and `meta` are read back into their places, so
//! textpipe's own output can be fed to another run; every other field is kept in `meta`.

use std::fmt;
use std::io::{BufRead, Read};

use serde::de::{Deserialize, Deserializer, Error as _, MapAccess, Visitor};
use serde_json::{Map, Value};
use textpipe_core::Document;

use super::limits::too_large_message;
use super::{InputFailure, Record};

/// The lines of one JSON Lines input, as records.
pub(super) struct JsonLines {
    origin: String,
    reader: Box<dyn BufRead + Send>,
    line: usize,
    buffer: Vec<u8>,
    max_line_bytes: u64,
}

/// What one bounded line read found.
enum LineRead {
    End,
    Line,
    /// A line longer than the limit: its first bytes are in the buffer, the rest was skipped.
    TooLong(u64),
}

impl JsonLines {
    pub fn new(origin: String, reader: Box<dyn BufRead + Send>, max_line_bytes: u64) -> Self {
        JsonLines {
            origin,
            reader,
            line: 0,
            buffer: Vec::new(),
            max_line_bytes,
        }
    }

    fn unreadable(&self, id: Option<String>, message: String) -> Record {
        Record::Unreadable(InputFailure {
            id,
            input: self.origin.clone(),
            line: Some(self.line),
            message,
        })
    }

    /// Reads one line into the buffer, holding at most `max_line_bytes` of it: a longer line
    /// keeps only its start (for its id) and is read past, so its size never reaches memory.
    fn read_line(&mut self) -> std::io::Result<LineRead> {
        let limit = self.max_line_bytes;
        let n = (&mut self.reader)
            .take(limit.saturating_add(1))
            .read_until(b'\n', &mut self.buffer)?;
        if n == 0 {
            return Ok(LineRead::End);
        }
        if (n as u64) <= limit || self.buffer.last() == Some(&b'\n') {
            return Ok(LineRead::Line);
        }
        self.buffer.truncate(ID_PREFIX_BYTES);
        let mut length = n as u64;
        loop {
            let available = self.reader.fill_buf()?;
            if available.is_empty() {
                return Ok(LineRead::TooLong(length));
            }
            match available.iter().position(|&b| b == b'\n') {
                Some(at) => {
                    self.reader.consume(at + 1);
                    return Ok(LineRead::TooLong(length + at as u64));
                }
                None => {
                    let all = available.len();
                    self.reader.consume(all);
                    length += all as u64;
                }
            }
        }
    }
}

/// How much of an over-long line is kept to recover its id.
const ID_PREFIX_BYTES: usize = 4096;

impl Iterator for JsonLines {
    type Item = Record;

    fn next(&mut self) -> Option<Record> {
        loop {
            self.buffer.clear();
            self.line += 1;
            match self.read_line() {
                Ok(LineRead::End) => return None,
                Ok(LineRead::Line) => {}
                Ok(LineRead::TooLong(length)) => {
                    let id = leading_id(&self.buffer);
                    let message = too_large_message(Some(length), self.max_line_bytes);
                    return Some(self.unreadable(id, message));
                }
                // A read error (a truncated gzip stream, a compression bomb) ends this input
                // after one record.
                Err(error) => {
                    let record = self.unreadable(None, format!("cannot read: {error}"));
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
                    let id = leading_id(&self.buffer);
                    return Some(self.unreadable(
                        id,
                        format!("not valid UTF-8 (first bad byte at offset {at} of the line)"),
                    ));
                }
            };
            let fallback_id = format!("{}:{}", self.origin, self.line);
            return Some(match document_from_json_line(line, &fallback_id) {
                Ok(doc) => Record::Document(Box::new(doc)),
                Err(message) => self.unreadable(leading_id(line.as_bytes()), message),
            });
        }
    }
}

/// Makes a document of one JSON line; `fallback_id` is used when the line has no `id`.
///
/// ```
/// use textpipe_cli::input::document_from_json_line;
/// let doc = document_from_json_line(r#"{"id": 7, "text": "Hi.", "lang": "en", "src": "x"}"#, "x:1").unwrap();
/// assert_eq!((doc.id.as_str(), doc.text.as_str()), ("7", "Hi."));
/// assert_eq!(doc.lang.as_deref(), Some("en"));
/// assert_eq!(doc.meta["src"], "x");
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

/// The id of a line that could not become a document, when the line opens with it
/// (`{"id": ...`, as textpipe and most exporters write), so its error record names the
/// document and lands where the document would have. Only the start of the line is read.
fn leading_id(line: &[u8]) -> Option<String> {
    let line = &line[..line.len().min(ID_PREFIX_BYTES)];
    let rest = line
        .trim_ascii_start()
        .strip_prefix(b"{")?
        .trim_ascii_start();
    let rest = rest.strip_prefix(b"\"id\"")?.trim_ascii_start();
    let rest = rest.strip_prefix(b":")?;
    let value = serde_json::Deserializer::from_slice(rest)
        .into_iter::<Value>()
        .next()?
        .ok()?;
    match value {
        Value::String(id) if !id.is_empty() => Some(id),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
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
    use proptest::prelude::*;

    fn lines(text: &'static str) -> Vec<Record> {
        JsonLines::new("c.jsonl".into(), Box::new(text.as_bytes()), 1 << 20).collect()
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
            1 << 20,
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

    #[test]
    fn a_line_over_the_limit_is_an_error_record_naming_the_document() {
        let long = format!(
            "{{\"id\":\"big\",\"text\":\"{}\"}}\n{{\"id\":\"next\",\"text\":\"ok\"}}\n",
            "x".repeat(10_000)
        );
        let records: Vec<Record> =
            JsonLines::new("c".into(), Box::new(std::io::Cursor::new(long)), 1000).collect();
        assert_eq!(records.len(), 2);
        assert!(
            matches!(&records[0], Record::Unreadable(f) if f.id.as_deref() == Some("big") && f.message.contains("--max-document-size")),
            "{records:?}"
        );
        assert!(matches!(&records[1], Record::Document(d) if d.id == "next"));
    }

    #[test]
    fn a_line_that_is_not_a_document_keeps_its_leading_id() {
        let records = lines("{\"id\": \"p1\", \"text\": 5}\n{\"id\": 12, \"text\": \"é\", \"sentences\": [{\"start\": 0, \"end\": 1}]}\n{\"text\": 5, \"id\": \"late\"}");
        let ids: Vec<Option<&str>> = records
            .iter()
            .map(|r| match r {
                Record::Unreadable(f) => f.id.as_deref(),
                Record::Document(_) => Some("document"),
            })
            .collect();
        assert_eq!(ids, [Some("p1"), Some("12"), None]);
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
