//! `--format markdown`: each document's content as Markdown, for readers and for tools that
//! want the page's structure (headings, lists, tables, links, emphasis) rather than lines.
//!
//! The Markdown is a *view*: the plain `text` stays the reference that sentence and entity
//! spans point into, and it is what the JSON Lines output carries. The boilerplate stage writes
//! the view into `meta.markdown` when its `markdown` option is on, from the blocks it kept and
//! what the markup said about them; [`ask_for_markdown`] turns that option on in a pipeline
//! file, which is what `textpipe run --format markdown` does. A document without
//! `meta.markdown` (no boilerplate stage, or a plugin in its place) is written from its `text`:
//! blank-line-separated paragraphs, escaped so that no line turns into markup by accident.
//!
//! Documents follow one another, each opened by an HTML comment with its id (Markdown
//! renderers hide it, programs can split on it) and closed by a blank line; an error record
//! is a comment that names the item and the stage that failed.
//!
//! ```
//! use textpipe_core::{Document, Outcome};
//! use textpipe_runner::{render_markdown_document};
//!
//! let mut doc = Document::new("a", "Flood warning\n\nThe river rose *fast*.");
//! let mut out = Vec::new();
//! render_markdown_document(&Outcome::from(doc.clone()), &mut out);
//! assert_eq!(
//!     String::from_utf8(out).unwrap(),
//!     "<!-- textpipe: a -->\n\nFlood warning\n\nThe river rose \\*fast\\*.\n\n"
//! );
//! doc.meta.insert("markdown".into(), "# Flood warning\n\nThe river rose.".into());
//! let mut out = Vec::new();
//! render_markdown_document(&Outcome::from(doc), &mut out);
//! assert!(String::from_utf8(out).unwrap().contains("\n# Flood warning\n"));
//! ```

use std::io::{self, Write};

use serde_json::Value;
use textpipe_core::{Outcome, PipelineFile};

use crate::sink::{Batch, Renderer, Sink};

/// The stage kind that renders Markdown into `meta.markdown`, and its option that turns it on.
const MARKDOWN_STAGE: &str = "boilerplate";
const MARKDOWN_OPTION: &str = "markdown";

/// Turns on Markdown in every built-in boilerplate stage of `file`, so that each document
/// carries `meta.markdown` for [`MarkdownSink`]. Plugin stages are left as they are.
pub fn ask_for_markdown(file: &mut PipelineFile) {
    for entry in &mut file.stages {
        if entry.kind != MARKDOWN_STAGE || entry.plugin.is_some() {
            continue;
        }
        if entry.with.is_null() {
            entry.with = Value::Object(serde_json::Map::new());
        }
        if let Value::Object(config) = &mut entry.with {
            config.insert(MARKDOWN_OPTION.into(), Value::Bool(true));
        }
    }
}

/// Writes each document as Markdown (see the module documentation).
pub struct MarkdownSink<W: Write> {
    out: W,
}

impl<W: Write> MarkdownSink<W> {
    /// Markdown on `out`.
    pub fn new(out: W) -> Self {
        MarkdownSink { out }
    }

    /// The inner writer.
    pub fn into_inner(self) -> W {
        self.out
    }
}

impl<W: Write> Sink for MarkdownSink<W> {
    fn renderer(&self) -> Option<Renderer> {
        Some(render_markdown_document)
    }

    fn write(&mut self, batch: Batch) -> io::Result<()> {
        match batch {
            Batch::Rendered(bytes) => self.out.write_all(&bytes),
            Batch::Outcomes(outcomes) => {
                let mut bytes = Vec::new();
                for outcome in &outcomes {
                    render_markdown_document(outcome, &mut bytes);
                }
                self.out.write_all(&bytes)
            }
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }

    fn finish(&mut self, _: &textpipe_core::RunReport) -> io::Result<()> {
        self.out.flush()
    }
}

/// Renders an outcome as [`MarkdownSink`] writes it.
pub fn render_markdown_document(outcome: &Outcome, out: &mut Vec<u8>) {
    let mut text = String::new();
    match outcome {
        Outcome::Done(doc) => {
            text.push_str("<!-- textpipe: ");
            push_comment_text(&doc.id, &mut text);
            text.push_str(" -->\n\n");
            let body_start = text.len();
            match doc.meta.get(MARKDOWN_OPTION).and_then(Value::as_str) {
                Some(markdown) => text.push_str(markdown.trim_end()),
                None => push_text_as_paragraphs(&doc.text, &mut text),
            }
            if text.len() > body_start {
                text.push_str("\n\n");
            }
        }
        Outcome::Failed(record) => {
            text.push_str("<!-- textpipe: ");
            push_comment_text(&record.name(), &mut text);
            text.push_str(" FAILED in ");
            push_comment_text(&record.stage, &mut text);
            text.push_str(": ");
            push_comment_text(&record.message, &mut text);
            text.push_str(" -->\n\n");
        }
    }
    out.extend_from_slice(text.as_bytes());
}

/// Text from the input inside an HTML comment: on one line, and unable to close the comment.
fn push_comment_text(value: &str, out: &mut String) {
    let mut previous = '\0';
    for c in value.chars() {
        let c = if c.is_control() { ' ' } else { c };
        // `--` may not appear inside a comment (and `-->` would end it).
        if c == '-' && previous == '-' {
            out.push(' ');
        }
        out.push(c);
        previous = c;
    }
}

/// Plain text as Markdown paragraphs: blank lines separate paragraphs, the lines inside one
/// stay lines, and markup characters are escaped.
fn push_text_as_paragraphs(text: &str, out: &mut String) {
    let mut blank_before = false;
    let mut first = true;
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() {
            blank_before = true;
            continue;
        }
        if !first {
            out.push_str(if blank_before { "\n\n" } else { "\n" });
        }
        escape_line(line, out);
        first = false;
        blank_before = false;
    }
}

/// Escapes a line of plain text: inline markup everywhere, and a start that Markdown would
/// read as a heading, quote, list item or numbered item.
fn escape_line(line: &str, out: &mut String) {
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    let numbered = digits > 0 && matches!(line.as_bytes().get(digits), Some(b'.' | b')'));
    if matches!(line.as_bytes().first(), Some(b'#' | b'+' | b'-' | b'=')) {
        out.push('\\');
    }
    for (i, c) in line.char_indices() {
        if matches!(c, '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|')
            || (numbered && i == digits)
        {
            out.push('\\');
        }
        out.push(c);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;
    use textpipe_core::{Document, ErrorRecord, PipelineFormat};

    fn rendered(outcome: Outcome) -> String {
        let mut out = Vec::new();
        render_markdown_document(&outcome, &mut out);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn plain_text_becomes_escaped_paragraphs() {
        let doc = Document::new(
            "p",
            "# not a title\n1. not a list\nsame paragraph\n\n\n- x_y",
        );
        assert_eq!(
            rendered(Outcome::from(doc)),
            "<!-- textpipe: p -->\n\n\\# not a title\n1\\. not a list\nsame paragraph\n\n\
             \\- x\\_y\n\n"
        );
        assert_eq!(
            rendered(Outcome::from(Document::new("e", ""))),
            "<!-- textpipe: e -->\n\n"
        );
    }

    #[test]
    fn ids_and_errors_cannot_close_the_comment_or_break_the_line() {
        let doc = Document::new("a-->b\n<!--c", "Text.");
        let out = rendered(Outcome::from(doc));
        assert!(
            out.starts_with("<!-- textpipe: a- ->b <!- -c -->\n\nText."),
            "{out}"
        );
        let record = ErrorRecord::stage_failed("x--y", "entities", "bad -->\ninput");
        let out = rendered(Outcome::Failed(record));
        assert_eq!(
            out,
            "<!-- textpipe: x- -y FAILED in entities: bad - -> input -->\n\n"
        );
        assert_eq!(out.matches("-->").count(), 1);
    }

    #[test]
    fn markdown_is_asked_of_built_in_boilerplate_stages_only() {
        let json = r#"{"name": "p", "stages": [
            {"stage": "boilerplate"},
            {"stage": "boilerplate", "with": {"mode": "html", "markdown": false}},
            {"stage": "boilerplate", "plugin": "libother.so"},
            {"stage": "sentences"}]}"#;
        let mut file =
            PipelineFile::parse(json, PipelineFormat::Json, "p.json", Path::new(".")).unwrap();
        ask_for_markdown(&mut file);
        let markdown: Vec<Option<bool>> = file
            .stages
            .iter()
            .map(|s| s.with.get("markdown").and_then(Value::as_bool))
            .collect();
        assert_eq!(markdown, [Some(true), Some(true), None, None]);
        assert_eq!(file.stages[1].with["mode"], "html");
    }

    #[test]
    fn the_sink_writes_the_same_bytes_either_way() {
        let outcomes = vec![
            Outcome::from(Document::new("a", "One.\n\nTwo.")),
            Outcome::Failed(ErrorRecord::unreadable(None, None, Some(3), "bad")),
        ];
        let mut rendered = Vec::new();
        for outcome in &outcomes {
            render_markdown_document(outcome, &mut rendered);
        }
        let mut one = MarkdownSink::new(Vec::new());
        one.write(Batch::Rendered(rendered)).unwrap();
        let mut two = MarkdownSink::new(Vec::new());
        two.write(Batch::Outcomes(outcomes)).unwrap();
        assert_eq!(one.into_inner(), two.into_inner());
    }
}
