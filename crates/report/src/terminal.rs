//! One document for a terminal: the summary first, then the text with entities coloured by
//! label and summary sentences in bold, then what boilerplate removal dropped.
//!
//! Without colour (`NO_COLOR`, a pipe, a dumb terminal) the same view uses plain marks that
//! read well in a file: `[Port Ellery](LOC)` for entities and `**...**` for summary sentences.
//! Document text is untrusted, so its control characters are made visible (see
//! [`escape_terminal`]) before it reaches the terminal.

use std::collections::BTreeMap;
use std::ffi::OsStr;
use std::fmt::Write as _;
use std::io::IsTerminal;

use textpipe_core::{Document, RemovedBlock};

use crate::escape::escape_terminal;
use crate::labels::{colour_of, ANSI_COLOURS};
use crate::overlay::Overlay;
use crate::summary_sentence_numbers;
use textpipe_core::ErrorRecord;

const BOLD: &str = "\x1b[1m";
const DIM: &str = "\x1b[2m";
/// Ends bold and dim alike (SGR 22 resets intensity).
const NORMAL: &str = "\x1b[22m";
const DEFAULT_COLOUR: &str = "\x1b[39m";

/// Removed blocks are shown on one line each, cut to this many characters.
const REMOVED_PREVIEW_CHARS: usize = 100;

/// True when standard output should get colours: it is a terminal, `NO_COLOR` is unset or
/// empty (<https://no-color.org>), and `TERM` is not `dumb`.
pub fn should_color() -> bool {
    colour_wanted(
        std::env::var_os("NO_COLOR").as_deref(),
        std::env::var_os("TERM").as_deref(),
        std::io::stdout().is_terminal(),
    )
}

fn colour_wanted(no_color: Option<&OsStr>, term: Option<&OsStr>, is_terminal: bool) -> bool {
    let no_color_set = no_color.is_some_and(|value| !value.is_empty());
    is_terminal && !no_color_set && term != Some(OsStr::new("dumb"))
}

/// Renders `doc` for a terminal, with ANSI colours when `color` is true.
///
/// ```
/// use textpipe_core::{Document, Entity, Span};
/// let mut doc = Document::new("a", "Rain in Oslo.");
/// doc.entities = Some(vec![Entity::new(&doc.text, Span::new(8, 12), "LOC")]);
/// let view = textpipe_report::render_terminal(&doc, false);
/// assert!(view.contains("Rain in [Oslo](LOC)."));
/// ```
pub fn render_terminal(doc: &Document, color: bool) -> String {
    let paint = Paint { color };
    let mut out = String::with_capacity(doc.text.len() * 2);
    write_title(&mut out, doc, paint);
    write_summary(&mut out, doc, paint);
    paint.heading(&mut out, "Text");
    let overlay = Overlay::new(doc);
    write_marked_text(&mut out, doc, &overlay, paint);
    out.push_str("\n\n");
    write_entity_legend(&mut out, doc, paint);
    if let Some(removed) = doc.removed.as_ref().filter(|r| !r.is_empty()) {
        write_removed(&mut out, removed, paint);
    }
    if overlay.dropped > 0 {
        let _ = writeln!(
            out,
            "({} spans could not be shown: invalid, empty or overlapping)",
            overlay.dropped
        );
    }
    out
}

/// Renders an error record for a terminal, as plainly as a document's title.
pub fn render_terminal_error(record: &ErrorRecord, color: bool) -> String {
    let paint = Paint { color };
    let mut out = String::new();
    paint.heading(&mut out, &record.name());
    let mut cause = String::new();
    escape_terminal(&format!("{}: {}", record.stage, record.message), &mut cause);
    if color {
        let _ = writeln!(out, "\x1b[1;31mFAILED\x1b[0m in {cause}");
    } else {
        let _ = writeln!(out, "FAILED in {cause}");
    }
    out
}

/// Whether to write escape sequences, and the few styles the view uses.
#[derive(Clone, Copy)]
struct Paint {
    color: bool,
}

impl Paint {
    fn code(self, out: &mut String, code: &str) {
        if self.color {
            out.push_str(code);
        }
    }

    /// A section heading: bold with colour, underlined with `=` without.
    fn heading(self, out: &mut String, title: &str) {
        let mut clean = String::new();
        escape_terminal(title, &mut clean);
        if self.color {
            let _ = writeln!(out, "{BOLD}{clean}{NORMAL}");
        } else {
            let _ = writeln!(
                out,
                "{clean}\n{}",
                "=".repeat(clean.chars().count().min(72))
            );
        }
    }
}

fn write_title(out: &mut String, doc: &Document, paint: Paint) {
    let title = doc.meta.get("title").and_then(|t| t.as_str());
    paint.heading(out, title.unwrap_or(&doc.id));
    paint.code(out, DIM);
    out.push_str("id: ");
    escape_terminal(&doc.id, out);
    for (key, value) in doc.meta.iter().filter(|(key, _)| *key != "title") {
        // Keys come from the input too: escaped like the values.
        out.push_str(" \u{b7} ");
        escape_terminal(key, out);
        out.push_str(": ");
        match value.as_str() {
            Some(text) => escape_terminal(text, out),
            None => escape_terminal(&value.to_string(), out),
        }
    }
    paint.code(out, NORMAL);
    out.push_str("\n\n");
}

fn write_summary(out: &mut String, doc: &Document, paint: Paint) {
    let Some(summary) = &doc.summary else {
        return;
    };
    paint.heading(
        out,
        &format!(
            "Summary (sentences {} of {})",
            summary_sentence_numbers(summary),
            doc.sentence_spans().len()
        ),
    );
    escape_terminal(&summary.text, out);
    out.push_str("\n\n");
}

/// The text with entities coloured (or bracketed) and summary sentences bold (or starred).
///
/// Terminal styles do not nest like tags, so this tracks two flat states, the current entity
/// and whether the current sentence is in the summary, and switches them between segments.
fn write_marked_text(out: &mut String, doc: &Document, overlay: &Overlay, paint: Paint) {
    let mut picked = vec![false; doc.sentence_spans().len()];
    for &index in doc.summary.iter().flat_map(|s| &s.sentences) {
        if let Some(slot) = picked.get_mut(index) {
            *slot = true;
        }
    }
    let entities = doc.entities.as_deref().unwrap_or(&[]);
    let (mut entity, mut bold) = (None, false);
    for segment in &overlay.segments {
        let picked_here = segment.sentence.is_some_and(|i| picked[i]);
        if segment.entity != entity {
            if let Some(ended) = entity {
                end_entity(out, &entities[ended].label, paint);
                // The dim label reset intensity, so bold must be set again if still wanted.
                bold &= !paint.color;
            }
        }
        if picked_here != bold {
            match (paint.color, picked_here) {
                (true, true) => out.push_str(BOLD),
                (true, false) => out.push_str(NORMAL),
                (false, _) => out.push_str("**"),
            }
            bold = picked_here;
        }
        if segment.entity != entity {
            if let Some(started) = segment.entity {
                start_entity(out, &entities[started].label, paint);
            }
            entity = segment.entity;
        }
        escape_terminal(&doc.text[segment.span.start..segment.span.end], out);
    }
    if let Some(ended) = entity {
        end_entity(out, &entities[ended].label, paint);
    }
    if bold {
        out.push_str(if paint.color { NORMAL } else { "**" });
    }
}

fn start_entity(out: &mut String, label: &str, paint: Paint) {
    if paint.color {
        let _ = write!(out, "\x1b[{}m", ANSI_COLOURS[colour_of(label)]);
    } else {
        out.push('[');
    }
}

fn end_entity(out: &mut String, label: &str, paint: Paint) {
    let mut clean = String::new();
    escape_terminal(label, &mut clean);
    if paint.color {
        let _ = write!(out, "{DIM}\u{2009}{clean}{NORMAL}{DEFAULT_COLOUR}");
    } else {
        let _ = write!(out, "]({clean})");
    }
}

fn write_entity_legend(out: &mut String, doc: &Document, paint: Paint) {
    let Some(entities) = doc.entities.as_ref().filter(|e| !e.is_empty()) else {
        return;
    };
    let mut by_label: BTreeMap<&str, usize> = BTreeMap::new();
    for entity in entities {
        *by_label.entry(entity.label.as_str()).or_insert(0) += 1;
    }
    out.push_str("Entities:");
    for (label, count) in by_label {
        out.push(' ');
        start_entity(out, label, paint);
        if paint.color {
            escape_terminal(label, out);
            out.push_str(DEFAULT_COLOUR);
        } else {
            escape_terminal(label, out);
            out.push(']');
        }
        let _ = write!(out, " {count}");
    }
    out.push_str("\n\n");
}

fn write_removed(out: &mut String, removed: &[RemovedBlock], paint: Paint) {
    paint.heading(
        out,
        &format!("Removed by boilerplate removal ({})", removed.len()),
    );
    for block in removed {
        out.push_str("  ");
        paint.code(out, DIM);
        out.push('[');
        escape_terminal(&block.reason, out);
        out.push(']');
        paint.code(out, NORMAL);
        out.push(' ');
        let flat: String = block.text.split_whitespace().collect::<Vec<_>>().join(" ");
        let mut preview: String = flat.chars().take(REMOVED_PREVIEW_CHARS).collect();
        if preview.len() < flat.len() {
            preview.push('\u{2026}');
        }
        escape_terminal(&preview, out);
        out.push('\n');
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use textpipe_core::{Entity, Span, Summary};

    fn sample() -> Document {
        let mut doc = Document::new("news-1", "Rain in Oslo. Sun in Rome.");
        doc.meta.insert("title".into(), "Weather".into());
        doc.sentences = Some(vec![Span::new(0, 13), Span::new(14, 26)]);
        doc.entities = Some(vec![
            Entity::new(&doc.text, Span::new(8, 12), "LOC"),
            Entity::new(&doc.text, Span::new(21, 25), "LOC"),
        ]);
        doc.summary = Some(Summary {
            text: "Sun in Rome.".into(),
            sentences: vec![1],
            scores: None,
        });
        doc.removed = Some(vec![RemovedBlock {
            text: "Accept\ncookies".into(),
            reason: "cookie-notice".into(),
            position: Some(0),
            score: None,
        }]);
        doc
    }

    #[test]
    fn plain_view_marks_entities_and_summary_sentences() {
        let view = render_terminal(&sample(), false);
        assert!(view.starts_with("Weather\n=======\nid: news-1\n"), "{view}");
        assert!(view.contains("Summary (sentences 2 of 2)\n"), "{view}");
        assert!(
            view.contains("Rain in [Oslo](LOC). **Sun in [Rome](LOC).**"),
            "{view}"
        );
        assert!(view.contains("Entities: [LOC] 2"), "{view}");
        assert!(
            view.contains("  [cookie-notice] Accept cookies\n"),
            "{view}"
        );
        assert!(!view.contains('\x1b'));
    }

    #[test]
    fn coloured_view_colours_entities_by_label_and_bolds_the_summary() {
        let view = render_terminal(&sample(), true);
        let loc = format!("\x1b[{}m", ANSI_COLOURS[colour_of("LOC")]);
        assert!(
            view.contains(&format!("Rain in {loc}Oslo{DIM}")),
            "{view:?}"
        );
        assert!(
            view.contains(&format!("{BOLD}Sun in {loc}Rome")),
            "{view:?}"
        );
        // Bold comes back on after the dim label inside a summary sentence.
        assert!(
            view.contains(&format!("{DEFAULT_COLOUR}{BOLD}.")),
            "{view:?}"
        );
    }

    #[test]
    fn document_escape_sequences_never_reach_the_terminal() {
        let mut doc = Document::new("evil\u{1b}[2J", "Hi \u{1b}]0;owned\u{7} there.");
        doc.meta.insert("title".into(), "\u{1b}[31mred".into());
        let view = render_terminal(&doc, true);
        let ours = ["\x1b[1m", "\x1b[2m", "\x1b[22m", "\x1b[39m"];
        let mut rest = view.clone();
        for code in ours {
            rest = rest.replace(code, "");
        }
        assert!(!rest.contains('\x1b'), "{rest:?}");
    }

    #[test]
    fn error_records_render_plainly() {
        let record = ErrorRecord {
            id: Some("doc-9".into()),
            line: None,
            input: None,
            stage: "entities".into(),
            message: "model missing".into(),
            stops_run: false,
        };
        let view = render_terminal_error(&record, false);
        assert_eq!(view, "doc-9\n=====\nFAILED in entities: model missing\n");
    }

    #[test]
    fn colour_follows_no_color_term_and_terminal() {
        let set = Some(OsStr::new("1"));
        let empty = Some(OsStr::new(""));
        let dumb = Some(OsStr::new("dumb"));
        let xterm = Some(OsStr::new("xterm-256color"));
        assert!(colour_wanted(None, xterm, true));
        assert!(colour_wanted(empty, xterm, true));
        assert!(!colour_wanted(set, xterm, true));
        assert!(!colour_wanted(None, xterm, false));
        assert!(!colour_wanted(None, dumb, true));
    }

    #[test]
    fn awkward_texts_render_without_panicking() {
        for text in textpipe_testkit::AWKWARD_TEXTS {
            let mut doc = Document::new("a", *text);
            let end = doc.text.len();
            doc.sentences = Some(vec![Span::new(0, end), Span::new(1, end + 5)]);
            for color in [true, false] {
                let view = render_terminal(&doc, color);
                assert!(view.contains("Text"));
            }
        }
    }
}
