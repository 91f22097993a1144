//! What became of one input item: a processed [`Document`] or an [`ErrorRecord`].
//!
//! Both are lines of the output contract. An error record is
//! `{"id" | "line", "input"?, "error": {"stage", "message"}}`: it names the document (its id,
//! else the input and line it came from) and the stage that failed, or `input` when the item
//! could not be read. It serializes both ways, so saved output parses back
//! ([`Outcome::parse_line`]).

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::document::Document;
use crate::json_write::write_document_json;

/// The stage name of an error record for an item that could not be read.
pub const INPUT_STAGE: &str = "input";

/// A document that could not be read or that a stage failed on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "ErrorRecordJson", into = "ErrorRecordJson")]
pub struct ErrorRecord {
    /// The document's id, when it has one.
    pub id: Option<String>,
    /// The 1-based line of a JSON Lines input that could not be read.
    pub line: Option<usize>,
    /// The input the line belongs to.
    pub input: Option<String>,
    /// The failing stage, or [`INPUT_STAGE`] when the item could not be read.
    pub stage: String,
    /// What went wrong.
    pub message: String,
    /// The stage gave up ([`StageError::Fatal`](crate::StageError::Fatal)): the run stops
    /// after this record's batch. Not part of the output line.
    pub stops_run: bool,
}

impl ErrorRecord {
    /// The record of a document that `stage` failed on.
    pub fn stage_failed(id: impl Into<String>, stage: &str, message: impl Into<String>) -> Self {
        ErrorRecord {
            id: Some(id.into()),
            line: None,
            input: None,
            stage: stage.to_string(),
            message: message.into(),
            stops_run: false,
        }
    }

    /// The record of an item that could not be read.
    pub fn unreadable(
        id: Option<String>,
        input: Option<String>,
        line: Option<usize>,
        message: impl Into<String>,
    ) -> Self {
        ErrorRecord {
            id,
            line,
            input,
            stage: INPUT_STAGE.to_string(),
            message: message.into(),
            stops_run: false,
        }
    }

    /// How a reader finds the failed item: its id, else its input and line.
    pub fn name(&self) -> String {
        match (&self.id, self.line, &self.input) {
            (Some(id), _, _) => id.clone(),
            (None, Some(line), Some(input)) => format!("{input}, line {line}"),
            (None, Some(line), None) => format!("line {line}"),
            (None, None, Some(input)) => input.clone(),
            (None, None, None) => "unnamed item".into(),
        }
    }
}

impl std::fmt::Display for ErrorRecord {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}: stage `{}`: {}",
            self.name(),
            self.stage,
            self.message
        )
    }
}

#[derive(Serialize, Deserialize)]
struct ErrorRecordJson {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    line: Option<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    input: Option<String>,
    error: ErrorCauseJson,
}

#[derive(Serialize, Deserialize)]
struct ErrorCauseJson {
    stage: String,
    message: String,
}

impl From<ErrorRecordJson> for ErrorRecord {
    fn from(json: ErrorRecordJson) -> Self {
        ErrorRecord {
            id: json.id,
            line: json.line,
            input: json.input,
            stage: json.error.stage,
            message: json.error.message,
            stops_run: false,
        }
    }
}

impl From<ErrorRecord> for ErrorRecordJson {
    fn from(record: ErrorRecord) -> Self {
        ErrorRecordJson {
            id: record.id,
            line: record.line,
            input: record.input,
            error: ErrorCauseJson {
                stage: record.stage,
                message: record.message,
            },
        }
    }
}

/// What became of one input item: one line of output.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// A document every stage ran on (or one still on its way through the pipeline).
    Done(Box<Document>),
    /// The item could not be read, or a stage failed on it.
    Failed(ErrorRecord),
}

impl Outcome {
    /// Parses one output line: an object with `error` and no `text` is an error record,
    /// anything else must be a document.
    pub fn parse_line(line: &str) -> Result<Self, serde_json::Error> {
        let value: Value = serde_json::from_str(line)?;
        let is_error = value.get("error").is_some() && value.get("text").is_none();
        if is_error {
            serde_json::from_value(value).map(Outcome::Failed)
        } else {
            serde_json::from_value(value).map(|doc| Outcome::Done(Box::new(doc)))
        }
    }

    /// Appends the outcome's output line (its JSON and a newline) to `out`.
    pub fn write_json_line(&self, out: &mut Vec<u8>) {
        match self {
            Outcome::Done(doc) => write_document_json(doc, out),
            // Serializing our own types to memory cannot fail: their maps have string keys.
            Outcome::Failed(record) => {
                serde_json::to_writer(&mut *out, record).expect("error records serialize to JSON")
            }
        }
        out.push(b'\n');
    }

    /// The document, or the error record.
    pub fn into_result(self) -> Result<Document, ErrorRecord> {
        match self {
            Outcome::Done(doc) => Ok(*doc),
            Outcome::Failed(record) => Err(record),
        }
    }

    /// The document, when every stage ran.
    pub fn document(&self) -> Option<&Document> {
        match self {
            Outcome::Done(doc) => Some(doc),
            Outcome::Failed(_) => None,
        }
    }
}

impl From<Document> for Outcome {
    fn from(doc: Document) -> Self {
        Outcome::Done(Box::new(doc))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_records_round_trip_through_the_output_contract() {
        let line =
            r#"{"line":7,"input":"in.jsonl","error":{"stage":"input","message":"bad JSON"}}"#;
        let Outcome::Failed(record) = Outcome::parse_line(line).unwrap() else {
            panic!("not an error record");
        };
        assert_eq!(record.name(), "in.jsonl, line 7");
        assert_eq!(
            (record.stage.as_str(), record.message.as_str()),
            ("input", "bad JSON")
        );
        let mut out = Vec::new();
        Outcome::Failed(record).write_json_line(&mut out);
        assert_eq!(String::from_utf8(out).unwrap(), format!("{line}\n"));
    }

    #[test]
    fn documents_parse_and_garbage_is_an_error() {
        let parsed = Outcome::parse_line(r#"{"id":"a","text":"Hi.","sentences":[]}"#).unwrap();
        assert!(matches!(parsed, Outcome::Done(doc) if doc.id == "a"));
        assert!(Outcome::parse_line("{\"id\":1}").is_err());
        assert!(Outcome::parse_line("not json").is_err());
    }

    #[test]
    fn a_stage_failure_names_the_document_and_stage() {
        let record = ErrorRecord::stage_failed("d1", "summarize", "no sentences");
        let mut out = Vec::new();
        Outcome::Failed(record.clone()).write_json_line(&mut out);
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "{\"id\":\"d1\",\"error\":{\"stage\":\"summarize\",\"message\":\"no sentences\"}}\n"
        );
        assert_eq!(record.to_string(), "d1: stage `summarize`: no sentences");
    }
}
