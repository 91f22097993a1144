//! Writers: JSON Lines (the output contract) and a human-readable view.

use serde::Serialize;
use textpipe_core::Document;

use crate::input::InputFailure;

/// How results are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum OutputFormat {
    /// One JSON document (or error record) per line.
    #[default]
    Jsonl,
    /// Cleaned text, one sentence per line, entities marked like `[Iraq](LOC)`, the summary.
    Text,
    /// One self-contained HTML report (inline CSS, no external assets) of the whole run.
    Html,
}

/// What became of one input item.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// Every stage ran.
    Done(Box<Document>),
    /// The item could not be read, or a stage failed on it.
    Failed(FailureRecord),
}

/// An error record: `{"id" | "line", "input"?, "error": {"stage", "message"}}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FailureRecord {
    /// The document's id, when it has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The 1-based line of a JSON Lines input that could not be read.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    /// The input the line belongs to (only with `line`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub input: Option<String>,
    /// Where and why it failed.
    pub error: FailureCause,
}

/// The `error` object of an error record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FailureCause {
    /// The failing stage, or `input` when the item could not be read.
    pub stage: String,
    /// What went wrong.
    pub message: String,
}

impl FailureRecord {
    /// The record of an item that could not be read: its id when it has one, else its line
    /// and input. A stdin line that has its id carries no line number: that number depends on
    /// where a Spark partition or a `split` chunk began, and the record must not.
    pub fn unreadable(failure: InputFailure) -> Self {
        let from_line = failure.line.is_some() && failure.id.is_none();
        let line_is_stable = failure.id.is_none() || failure.input != "-";
        FailureRecord {
            id: failure.id,
            line: failure.line.filter(|_| line_is_stable),
            input: from_line.then_some(failure.input),
            error: FailureCause {
                stage: "input".into(),
                message: failure.message,
            },
        }
    }

    /// The record of a document that a stage failed on.
    pub fn stage_failed(id: String, stage: &str, message: String) -> Self {
        FailureRecord {
            id: Some(id),
            line: None,
            input: None,
            error: FailureCause {
                stage: stage.to_string(),
                message,
            },
        }
    }
}

/// Appends `outcome` to `out` in `format`.
pub fn render(outcome: &Outcome, format: OutputFormat, out: &mut Vec<u8>) {
    match (format, outcome) {
        // The HTML report is built from the JSON Lines by the writer (see `html_output`).
        (OutputFormat::Jsonl | OutputFormat::Html, Outcome::Done(doc)) => {
            json_line(doc.as_ref(), out)
        }
        (OutputFormat::Jsonl | OutputFormat::Html, Outcome::Failed(record)) => {
            json_line(record, out)
        }
        (OutputFormat::Text, Outcome::Done(doc)) => {
            out.extend(textpipe_report::render_plain(doc).into_bytes())
        }
        (OutputFormat::Text, Outcome::Failed(record)) => {
            let name = match (&record.id, record.line, &record.input) {
                (Some(id), _, _) => id.clone(),
                (None, Some(line), Some(input)) => format!("{input}, line {line}"),
                (None, Some(line), None) => format!("line {line}"),
                _ => "?".into(),
            };
            // Ids and messages quote the input, which is untrusted: escape like the text.
            let mut text = String::new();
            textpipe_report::escape_terminal(
                &format!(
                    "=== {name} ===\nFAILED in {}: {}\n\n",
                    record.error.stage, record.error.message
                ),
                &mut text,
            );
            out.extend(text.into_bytes());
        }
    }
}

fn json_line(value: &impl Serialize, out: &mut Vec<u8>) {
    // Serializing our own types to memory cannot fail: their maps have string keys.
    serde_json::to_writer(&mut *out, value).expect("document serializes to JSON");
    out.push(b'\n');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_records_follow_the_contract() {
        let mut out = Vec::new();
        let record = FailureRecord::stage_failed("d1".into(), "summarize", "no sentences".into());
        render(&Outcome::Failed(record), OutputFormat::Jsonl, &mut out);
        let unreadable = FailureRecord::unreadable(InputFailure {
            id: None,
            input: "c.jsonl".into(),
            line: Some(4),
            message: "not a JSON object".into(),
        });
        render(&Outcome::Failed(unreadable), OutputFormat::Jsonl, &mut out);
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "{\"id\":\"d1\",\"error\":{\"stage\":\"summarize\",\"message\":\"no sentences\"}}\n\
             {\"line\":4,\"input\":\"c.jsonl\",\"error\":{\"stage\":\"input\",\"message\":\"not a JSON object\"}}\n"
        );
    }

    #[test]
    fn failures_in_the_text_format_cannot_send_escape_sequences() {
        let mut out = Vec::new();
        let record = FailureRecord::stage_failed("\u{1b}[2J".into(), "x", "bad \u{7}".into());
        render(&Outcome::Failed(record), OutputFormat::Text, &mut out);
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "=== ␛[2J ===\nFAILED in x: bad ␇\n\n"
        );
    }
}
