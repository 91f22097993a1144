//! One document as plain lines, for files and pagers: `textpipe run --format text`.
//!
//! Unlike the terminal view, this one is line-oriented so that `grep`, `diff` and `less`
//! work on it: a `=== id ===` header, one sentence per line numbered like the summary's
//! sentence indices, entities marked `[Port Ellery](LOC)`, then the summary and what
//! boilerplate removal dropped. Document text is untrusted, so every piece of it goes through
//! [`escape_terminal`]: a page cannot retitle or recolour the terminal of whoever reads the
//! output.

use std::fmt::Write as _;

use textpipe_core::Document;

use crate::escape::escape_terminal;
use crate::overlay::{Overlay, Segment};
use crate::summary_sentence_numbers;

/// Renders `doc` as plain lines.
///
/// ```
/// use textpipe_core::{Document, Entity, Span};
/// let mut doc = Document::new("a", "Rain in Oslo. Sun.");
/// doc.sentences = Some(vec![Span::new(0, 13), Span::new(14, 18)]);
/// doc.entities = Some(vec![Entity::new(&doc.text, Span::new(8, 12), "LOC")]);
/// let view = textpipe_report::render_plain(&doc);
/// assert_eq!(view, "=== a ===\n[1] Rain in [Oslo](LOC).\n[2] Sun.\n\n");
/// ```
pub fn render_plain(doc: &Document) -> String {
    let mut out = String::with_capacity(doc.text.len() + doc.text.len() / 4 + 64);
    out.push_str("=== ");
    escape_terminal(&doc.id, &mut out);
    out.push_str(" ===\n");
    if let Some(title) = doc.meta.get("title").and_then(|t| t.as_str()) {
        out.push_str("# ");
        escape_terminal(title, &mut out);
        out.push('\n');
    }
    let overlay = Overlay::new(doc);
    if doc.sentences.is_some() {
        write_sentence_lines(&mut out, doc, &overlay.segments);
    } else {
        let mut line = MarkedLine::default();
        for segment in &overlay.segments {
            line.push(doc, segment);
        }
        out.push_str(line.finish(doc).trim_end());
        out.push('\n');
    }
    if let Some(summary) = &doc.summary {
        let _ = write!(out, "\nSummary [{}]: ", summary_sentence_numbers(summary));
        escape_terminal(&summary.text, &mut out);
        out.push('\n');
    }
    if let Some(removed) = doc.removed.as_ref().filter(|r| !r.is_empty()) {
        let mut reasons: Vec<&str> = removed.iter().map(|b| b.reason.as_str()).collect();
        reasons.sort_unstable();
        reasons.dedup();
        let _ = write!(out, "\nRemoved {} block(s): ", removed.len());
        escape_terminal(&reasons.join(", "), &mut out);
        out.push('\n');
    }
    out.push('\n');
    out
}

/// One line per sentence, `[n] ` before it, in text order; text between sentences is left
/// out, as are sentences the overlay could not show.
fn write_sentence_lines(out: &mut String, doc: &Document, segments: &[Segment]) {
    let mut current: Option<(usize, MarkedLine)> = None;
    for segment in segments {
        if current.as_ref().map(|(index, _)| *index) != segment.sentence {
            if let Some((index, line)) = current.take() {
                write_numbered(out, index, &line.finish(doc));
            }
            current = segment.sentence.map(|index| (index, MarkedLine::default()));
        }
        if let Some((_, line)) = current.as_mut() {
            line.push(doc, segment);
        }
    }
    if let Some((index, line)) = current {
        write_numbered(out, index, &line.finish(doc));
    }
}

fn write_numbered(out: &mut String, index: usize, line: &str) {
    let _ = writeln!(out, "[{}] {}", index + 1, line.trim());
}

/// Text with entities bracketed as it is built, segment by segment.
#[derive(Default)]
struct MarkedLine {
    text: String,
    /// The entity whose bracket is open.
    open: Option<usize>,
}

impl MarkedLine {
    fn push(&mut self, doc: &Document, segment: &Segment) {
        if segment.entity != self.open {
            self.close(doc);
            if segment.entity.is_some() {
                self.text.push('[');
            }
            self.open = segment.entity;
        }
        escape_terminal(
            &doc.text[segment.span.start..segment.span.end],
            &mut self.text,
        );
    }

    fn close(&mut self, doc: &Document) {
        let label = self
            .open
            .take()
            .and_then(|index| doc.entities.as_ref()?.get(index));
        if let Some(entity) = label {
            self.text.push_str("](");
            escape_terminal(&entity.label, &mut self.text);
            self.text.push(')');
        }
    }

    fn finish(mut self, doc: &Document) -> String {
        self.close(doc);
        self.text
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use textpipe_core::{Entity, RemovedBlock, Span, Summary};

    #[test]
    fn sentences_are_numbered_lines_with_entities_marked() {
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
        doc.removed = Some(vec![RemovedBlock {
            text: "Accept cookies".into(),
            reason: "cookie".into(),
            position: Some(0),
            score: None,
        }]);
        assert_eq!(
            render_plain(&doc),
            "=== n1 ===\n[1] Troops left [Iraq](LOC).\n[2] Talks went on in [Geneva](LOC).\n\n\
             Summary [1]: Troops left Iraq.\n\nRemoved 1 block(s): cookie\n\n"
        );
    }

    #[test]
    fn without_sentences_the_whole_text_is_one_marked_line() {
        let mut doc = Document::new("t", "Rain in Oslo\n\n");
        doc.meta.insert("title".into(), "Weather".into());
        doc.entities = Some(vec![Entity::new(&doc.text, Span::new(8, 12), "LOC")]);
        assert_eq!(
            render_plain(&doc),
            "=== t ===\n# Weather\nRain in [Oslo](LOC)\n\n"
        );
    }

    #[test]
    fn an_entity_across_a_sentence_boundary_is_closed_and_reopened() {
        let mut doc = Document::new("x", "A B. C D.");
        doc.sentences = Some(vec![Span::new(0, 4), Span::new(5, 9)]);
        doc.entities = Some(vec![Entity::new(&doc.text, Span::new(2, 6), "ORG")]);
        let view = render_plain(&doc);
        assert!(
            view.contains("[1] A [B.](ORG)\n[2] [C](ORG) D.\n"),
            "{view}"
        );
    }

    #[test]
    fn control_characters_from_the_document_are_made_visible() {
        let mut doc = Document::new("id\u{1b}]0;t\u{7}", "Hi \u{1b}[31mred.");
        doc.sentences = Some(vec![Span::new(0, doc.text.len())]);
        doc.entities = Some(vec![Entity::new(&doc.text, Span::new(0, 2), "\u{1b}[2J")]);
        doc.summary = Some(Summary {
            text: "\u{1b}[1m".into(),
            sentences: vec![0],
            scores: None,
        });
        let view = render_plain(&doc);
        assert!(
            !view.contains('\u{1b}') && !view.contains('\u{7}'),
            "{view:?}"
        );
        assert!(view.contains("[1] [Hi](␛[2J) ␛[31mred."), "{view:?}");
    }

    #[test]
    fn broken_spans_are_left_out_without_a_panic() {
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
        assert_eq!(render_plain(&doc), "=== x ===\n\n");
    }
}
