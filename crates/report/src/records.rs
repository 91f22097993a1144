//! What a report is made of besides documents: error records, the run's summary, and lines of
//! `textpipe run` output, which are either documents or error records.

use std::time::Duration;

use serde::{Deserialize, Serialize};
use serde_json::Value;
use textpipe_core::Document;

/// A document that could not be read or that a stage failed on.
///
/// Its JSON form is the output contract's error record,
/// `{"id" | "line", "input"?, "error": {"stage", "message"}}`, so error lines of
/// `textpipe run` output parse into it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "ErrorRecordJson", into = "ErrorRecordJson")]
pub struct ErrorRecord {
    /// The document's id, when it has one.
    pub id: Option<String>,
    /// The 1-based line of a JSON Lines input that could not be read.
    pub line: Option<usize>,
    /// The input the line belongs to.
    pub input: Option<String>,
    /// The failing stage, or `input` when the item could not be read.
    pub stage: String,
    /// What went wrong.
    pub message: String,
}

impl ErrorRecord {
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

/// What a run did, shown in the report's index.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RunSummary {
    /// Input items read (documents and unreadable items).
    pub read: usize,
    /// Documents every stage ran on.
    pub written: usize,
    /// Error records (unreadable items and stage failures).
    pub failed: usize,
    /// Each stage's name and its time summed over all threads, in pipeline order; empty when
    /// not known (a report made from saved output).
    pub stage_times: Vec<(String, Duration)>,
    /// Wall-clock time of the run, when known.
    pub elapsed: Option<Duration>,
}

/// One line of `textpipe run` JSON Lines output.
#[derive(Debug, Clone, PartialEq)]
pub enum OutputLine {
    /// A processed document.
    Document(Box<Document>),
    /// An error record.
    Error(ErrorRecord),
}

impl OutputLine {
    /// Parses one line: an object with `error` and no `text` is an error record, anything else
    /// must be a document.
    pub fn parse(line: &str) -> Result<Self, serde_json::Error> {
        let value: Value = serde_json::from_str(line)?;
        let is_error = value.get("error").is_some() && value.get("text").is_none();
        if is_error {
            serde_json::from_value(value).map(OutputLine::Error)
        } else {
            serde_json::from_value(value).map(|doc| OutputLine::Document(Box::new(doc)))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_records_parse_from_the_output_contract() {
        let line =
            r#"{"line":7,"input":"in.jsonl","error":{"stage":"input","message":"bad JSON"}}"#;
        let OutputLine::Error(record) = OutputLine::parse(line).unwrap() else {
            panic!("not an error record");
        };
        assert_eq!(record.name(), "in.jsonl, line 7");
        assert_eq!(
            (record.stage.as_str(), record.message.as_str()),
            ("input", "bad JSON")
        );
        assert_eq!(serde_json::to_string(&record).unwrap(), line);
    }

    #[test]
    fn documents_parse_and_garbage_is_an_error() {
        let parsed = OutputLine::parse(r#"{"id":"a","text":"Hi.","sentences":[]}"#).unwrap();
        assert!(matches!(parsed, OutputLine::Document(doc) if doc.id == "a"));
        assert!(OutputLine::parse("{\"id\":1}").is_err());
        assert!(OutputLine::parse("not json").is_err());
    }
}
