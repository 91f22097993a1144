//! One document (or one error record) as an HTML `<details>` element.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde_json::Value;
use textpipe_core::{Document, RemovedBlock};

use crate::escape::escape_html;
use crate::labels::colour_of;
use crate::overlay::Overlay;
use crate::summary_sentence_numbers;
use textpipe_core::ErrorRecord;

/// What the index and the document's header line count.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct DocumentCounts {
    /// Sentences, when the layer exists.
    pub sentences: Option<usize>,
    /// Entities per label, sorted by label, when the layer exists.
    pub entities: Option<BTreeMap<String, usize>>,
    /// Removed blocks, when the layer exists.
    pub removed: Option<usize>,
    /// Sentences in the summary, when there is one.
    pub summary: Option<usize>,
}

impl DocumentCounts {
    pub(crate) fn of(doc: &Document) -> Self {
        DocumentCounts {
            sentences: doc.sentences.as_ref().map(Vec::len),
            entities: doc.entities.as_ref().map(|entities| {
                let mut by_label = BTreeMap::new();
                for entity in entities {
                    *by_label.entry(entity.label.clone()).or_insert(0) += 1;
                }
                by_label
            }),
            removed: doc.removed.as_ref().map(Vec::len),
            summary: doc.summary.as_ref().map(|s| s.sentences.len()),
        }
    }
}

/// Where a document goes in the report and how it is shown.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Placement {
    /// 1-based position in the report; the element id is `doc-{number}`.
    pub number: usize,
    /// Shown expanded.
    pub open: bool,
}

/// The title a reader knows the document by: `meta.title`, else its id.
pub(crate) fn display_name(doc: &Document) -> &str {
    let title = doc.meta.get("title").and_then(Value::as_str).map(str::trim);
    match title.filter(|t| !t.is_empty()) {
        Some(title) => title,
        None if doc.id.is_empty() => "(no id)",
        None => &doc.id,
    }
}

/// "1 sentence", "3 sentences".
pub(crate) fn count_of(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

pub(crate) fn write_document(
    out: &mut String,
    doc: &Document,
    counts: &DocumentCounts,
    placement: Placement,
) {
    let _ = write!(
        out,
        "<details class=\"doc\" id=\"doc-{}\"",
        placement.number
    );
    out.push_str(if placement.open { " open>" } else { ">" });
    write_header_line(out, doc, counts, placement.number);
    write_body(out, doc, counts);
    out.push_str("</details>\n");
}

fn write_header_line(out: &mut String, doc: &Document, counts: &DocumentCounts, number: usize) {
    let _ = write!(
        out,
        "<summary><span class=\"num\">{number}</span><span class=\"name\">"
    );
    let name = display_name(doc);
    escape_html(name, out);
    out.push_str("</span>");
    if name != doc.id && !doc.id.is_empty() {
        out.push_str("<span class=\"doc-id\">");
        escape_html(&doc.id, out);
        out.push_str("</span>");
    }
    let mut parts = Vec::new();
    if let Some(n) = counts.sentences {
        parts.push(count_of(n, "sentence", "sentences"));
    }
    if let Some(by_label) = &counts.entities {
        parts.push(count_of(by_label.values().sum(), "entity", "entities"));
    }
    if let Some(n) = counts.removed {
        parts.push(format!("{n} removed"));
    }
    out.push_str("<span class=\"counts\">");
    out.push_str(&parts.join(" \u{b7} "));
    out.push_str("</span></summary>\n");
}

fn write_body(out: &mut String, doc: &Document, counts: &DocumentCounts) {
    out.push_str("<div class=\"doc-body\">\n");
    write_meta(out, doc);
    write_summary(out, doc);
    let overlay = Overlay::new(doc);
    write_legend(out, counts);
    out.push_str("<section><h3>Text</h3><div class=\"text\">");
    write_marked_text(out, doc, &overlay);
    out.push_str("</div></section>\n");
    if overlay.dropped > 0 {
        let _ = writeln!(
            out,
            "<p class=\"problems\">{} could not be shown: outside the text, inside a \
             character, empty, or overlapping another span of the same layer.</p>",
            count_of(overlay.dropped, "span", "spans")
        );
    }
    if let Some(removed) = &doc.removed {
        write_removed(out, removed);
    }
    write_ext(out, doc);
    out.push_str("</div>");
}

fn write_meta(out: &mut String, doc: &Document) {
    out.push_str("<dl class=\"meta\"><dt>id</dt><dd>");
    escape_html(&doc.id, out);
    out.push_str("</dd>");
    for (key, value) in &doc.meta {
        out.push_str("<dt>");
        escape_html(key, out);
        out.push_str("</dt><dd>");
        match value {
            // Only web links become links: a `javascript:` URL must stay text.
            Value::String(url) if url.starts_with("https://") || url.starts_with("http://") => {
                out.push_str("<a rel=\"noopener noreferrer nofollow\" href=\"");
                escape_html(url, out);
                out.push_str("\">");
                escape_html(url, out);
                out.push_str("</a>");
            }
            Value::String(text) => escape_html(text, out),
            other => escape_html(&other.to_string(), out),
        }
        out.push_str("</dd>");
    }
    out.push_str("</dl>\n");
}

fn write_summary(out: &mut String, doc: &Document) {
    let Some(summary) = &doc.summary else {
        return;
    };
    out.push_str("<section class=\"summary\"><h3>Summary</h3><p class=\"summary-text\">");
    if summary.text.trim().is_empty() {
        out.push_str("<i>empty</i>");
    } else {
        escape_html(&summary.text, out);
    }
    let total = doc.sentence_spans().len();
    let _ = writeln!(
        out,
        "</p><p class=\"note\">Sentences {} of {total}, starred in the text below.</p></section>",
        summary_sentence_numbers(summary)
    );
}

/// The labels found in this document with their counts, in their colours.
fn write_legend(out: &mut String, counts: &DocumentCounts) {
    let Some(by_label) = counts.entities.as_ref().filter(|m| !m.is_empty()) else {
        return;
    };
    out.push_str("<h3>Entities</h3><p class=\"legend\">");
    for (label, count) in by_label {
        write_chip(out, label, *count);
    }
    out.push_str("</p>\n");
}

/// A label in its colour with a count, as used by the legends.
pub(crate) fn write_chip(out: &mut String, label: &str, count: usize) {
    let _ = write!(out, "<span class=\"chip l{}\"><b>", colour_of(label));
    escape_html(label, out);
    let _ = write!(out, "</b> {count}</span>");
}

/// The text with sentences as `<span class="s">` (starred when in the summary) and entities
/// as `<mark class="ent">` inside them.
fn write_marked_text(out: &mut String, doc: &Document, overlay: &Overlay) {
    let mut picked = vec![false; doc.sentence_spans().len()];
    for &index in doc.summary.iter().flat_map(|s| &s.sentences) {
        if let Some(slot) = picked.get_mut(index) {
            *slot = true;
        }
    }
    let entities = doc.entities.as_deref().unwrap_or(&[]);
    let (mut open_sentence, mut open_entity, mut last_entity) = (None, None, None);
    for segment in &overlay.segments {
        if segment.sentence != open_sentence {
            if open_entity.take().is_some() {
                out.push_str("</mark>");
            }
            if open_sentence.take().is_some() {
                out.push_str("</span>");
            }
            if let Some(index) = segment.sentence {
                let class = if picked[index] { "s pick" } else { "s" };
                let _ = write!(out, "<span class=\"{class}\" data-n=\"{}\">", index + 1);
                open_sentence = Some(index);
            }
        }
        if segment.entity != open_entity {
            if open_entity.take().is_some() {
                out.push_str("</mark>");
            }
            if let Some(index) = segment.entity {
                let continued = last_entity == Some(index);
                open_entity_tag(out, &entities[index], continued);
                open_entity = Some(index);
                last_entity = Some(index);
            }
        }
        escape_html(&doc.text[segment.span.start..segment.span.end], out);
    }
    if open_entity.is_some() {
        out.push_str("</mark>");
    }
    if open_sentence.is_some() {
        out.push_str("</span>");
    }
}

fn open_entity_tag(out: &mut String, entity: &textpipe_core::Entity, continued: bool) {
    let cont = if continued { " cont" } else { "" };
    let _ = write!(
        out,
        "<mark class=\"ent l{}{cont}\" data-label=\"",
        colour_of(&entity.label)
    );
    escape_html(&entity.label, out);
    out.push_str("\" title=\"");
    escape_html(&entity.label, out);
    if let Some(source) = &entity.source {
        out.push_str(" \u{b7} ");
        escape_html(source, out);
    }
    if let Some(score) = entity.score {
        let _ = write!(out, " \u{b7} {score:.2}");
    }
    out.push_str("\">");
}

fn write_removed(out: &mut String, removed: &[RemovedBlock]) {
    if removed.is_empty() {
        out.push_str("<p class=\"note\">Boilerplate removal dropped nothing.</p>\n");
        return;
    }
    let mut reasons: BTreeMap<&str, usize> = BTreeMap::new();
    for block in removed {
        *reasons.entry(block.reason.as_str()).or_insert(0) += 1;
    }
    let reasons: Vec<String> = reasons.iter().map(|(r, n)| format!("{r} {n}")).collect();
    let _ = write!(
        out,
        "<details class=\"removed\"><summary>Removed by boilerplate removal: {} (",
        count_of(removed.len(), "block", "blocks")
    );
    escape_html(&reasons.join(", "), out);
    out.push_str(")</summary><ol class=\"removed-blocks\">");
    for block in removed {
        out.push_str("<li><span class=\"reason\">");
        escape_html(&block.reason, out);
        out.push_str("</span><span class=\"block-meta\">");
        let mut facts = Vec::new();
        if let Some(position) = block.position {
            facts.push(format!("block {position}"));
        }
        if let Some(score) = block.score {
            facts.push(format!("content probability {score:.2}"));
        }
        out.push_str(&facts.join(" \u{b7} "));
        out.push_str("</span><p>");
        escape_html(&block.text, out);
        out.push_str("</p></li>");
    }
    out.push_str("</ol></details>\n");
}

/// Layers of other stages (plugins), as pretty JSON.
fn write_ext(out: &mut String, doc: &Document) {
    if doc.ext.is_empty() {
        return;
    }
    let names: Vec<&str> = doc.ext.keys().map(String::as_str).collect();
    out.push_str("<details class=\"ext\"><summary>Other layers: ");
    escape_html(&names.join(", "), out);
    out.push_str("</summary><pre>");
    // A map of JSON values always serializes.
    let json = serde_json::to_string_pretty(&doc.ext).unwrap_or_default();
    escape_html(&json, out);
    out.push_str("</pre></details>\n");
}

/// An error record, shown plainly in the document list.
pub(crate) fn write_error_record(out: &mut String, record: &ErrorRecord, number: usize) {
    let _ = write!(
        out,
        "<div class=\"error-record\" id=\"doc-{number}\"><span class=\"num\">{number}</span> \
         <strong>Failed</strong> "
    );
    escape_html(&record.name(), out);
    out.push_str(" in stage <code>");
    escape_html(&record.stage, out);
    out.push_str("</code>: ");
    escape_html(&record.message, out);
    out.push_str("</div>\n");
}
