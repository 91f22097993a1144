//! Writers: JSON Lines (the output contract) and a human-readable view.

use std::fmt::Write as _;

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
        (OutputFormat::Text, Outcome::Done(doc)) => out.extend(human_view(doc).into_bytes()),
        (OutputFormat::Text, Outcome::Failed(record)) => {
            let name = match (&record.id, record.line, &record.input) {
                (Some(id), _, _) => id.clone(),
                (None, Some(line), Some(input)) => format!("{input}, line {line}"),
                (None, Some(line), None) => format!("line {line}"),
                _ => "?".into(),
            };
            let text = format!(
                "=== {name} ===\nFAILED in {}: {}\n\n",
                record.error.stage, record.error.message
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

/// The human view of a document: title, sentences one per line (the whole text when there
/// are none) with entities marked inline, the summary and what boilerplate removal dropped.
pub fn human_view(doc: &Document) -> String {
    let mut view = format!("=== {} ===\n", doc.id);
    if let Some(title) = doc.meta.get("title").and_then(|t| t.as_str()) {
        let _ = writeln!(view, "# {title}");
    }
    match &doc.sentences {
        Some(sentences) => {
            for (i, sentence) in sentences.iter().enumerate() {
                let marked = marked_text(doc, sentence.start, sentence.end);
                let _ = writeln!(view, "[{}] {}", i + 1, marked.trim());
            }
        }
        None => {
            let _ = writeln!(view, "{}", marked_text(doc, 0, doc.text.len()).trim_end());
        }
    }
    if let Some(summary) = &doc.summary {
        let picked: Vec<String> = summary
            .sentences
            .iter()
            .map(|i| (i + 1).to_string())
            .collect();
        let _ = writeln!(view, "\nSummary [{}]: {}", picked.join(", "), summary.text);
    }
    if let Some(removed) = doc.removed.as_ref().filter(|r| !r.is_empty()) {
        let mut reasons: Vec<&str> = removed.iter().map(|b| b.reason.as_str()).collect();
        reasons.sort_unstable();
        reasons.dedup();
        let _ = writeln!(
            view,
            "\nRemoved {} block(s): {}",
            removed.len(),
            reasons.join(", ")
        );
    }
    view.push('\n');
    view
}

/// `text[start..end]` with each entity inside it written `[mention](LABEL)`.
fn marked_text(doc: &Document, start: usize, end: usize) -> String {
    let text = &doc.text;
    let Some(slice) = text.get(start..end) else {
        return String::new();
    };
    let entities = doc.entities.as_deref().unwrap_or(&[]);
    let mut marked = String::with_capacity(slice.len() + 16);
    let mut at = start;
    for entity in entities.iter().filter(|e| e.start >= start && e.end <= end) {
        let (Some(before), Some(mention)) = (
            text.get(at..entity.start),
            text.get(entity.start..entity.end),
        ) else {
            continue;
        };
        marked.push_str(before);
        let _ = write!(marked, "[{mention}]({})", entity.label);
        at = entity.end;
    }
    marked.push_str(text.get(at..end).unwrap_or_default());
    marked
}

#[cfg(test)]
mod tests {
    use super::*;
    use textpipe_core::{Entity, Span, Summary};

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
    fn the_human_view_marks_entities_in_sentences() {
        let mut doc = Document::new("n1", "Troops left Iraq. Talks went on in Geneva.");
        doc.sentences = Some(vec![Span::new(0, 17), Span::new(18, 42)]);
        doc.entities = Some(vec![
            Entity::new(&doc.text, Span::new(12, 16), "LOC"),
            Entity::new(&doc.text, Span::new(35, 41), "LOC"),
        ]);
        doc.summary = Some(Summary {
            text: "Troops left Iraq.".into(),
            sentences: vec![0],
            scores: None,
        });
        let view = human_view(&doc);
        assert!(view.contains("[1] Troops left [Iraq](LOC).\n"), "{view}");
        assert!(
            view.contains("[2] Talks went on in [Geneva](LOC).\n"),
            "{view}"
        );
        assert!(view.contains("Summary [1]: Troops left Iraq."), "{view}");
    }

    #[test]
    fn the_human_view_survives_broken_spans() {
        let mut doc = Document::new("x", "é");
        doc.sentences = Some(vec![Span::new(0, 1), Span::new(0, 9)]);
        doc.entities = Some(vec![Entity {
            start: 1,
            end: 2,
            label: "X".into(),
            text: String::new(),
            source: None,
            score: None,
        }]);
        assert!(human_view(&doc).starts_with("=== x ==="));
    }
}
