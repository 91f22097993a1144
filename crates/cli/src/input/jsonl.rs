//! JSON Lines corpora: one document per line.
//!
//! A line becomes a document through [`textpipe_core::document_from_json_line`] (the same
//! reading the Python package uses); this reader adds what only files have: bounded line
//! reads, line numbers, and error records that name the document when the line starts with
//! its id.

use std::io::BufRead;

use serde_json::Value;

use super::limits::{read_until_newline, too_large_message};
use super::{InputFailure, Record};
use textpipe_core::json_line::{document_from_dataset_line, JsonFields};

/// The lines of one JSON Lines input, as records.
pub(super) struct JsonLines {
    origin: String,
    reader: Box<dyn BufRead + Send>,
    line: usize,
    buffer: Vec<u8>,
    max_line_bytes: u64,
    fields: JsonFields,
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
            fields: JsonFields::default(),
        }
    }

    /// The same lines, with a dataset's own field names.
    pub fn with_fields(mut self, fields: JsonFields) -> Self {
        self.fields = fields;
        self
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
        let n = read_until_newline(&mut *self.reader, &mut self.buffer, limit.saturating_add(1))?;
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
            return Some(
                match document_from_dataset_line(line, &fallback_id, &self.fields) {
                    Ok(doc) => Record::Document(Box::new(doc)),
                    Err(message) => self.unreadable(leading_id(line.as_bytes()), message),
                },
            );
        }
    }
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
