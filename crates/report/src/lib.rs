//! See what a pipeline did: textpipe documents rendered for people, as a self-contained HTML
//! report ([`HtmlReport`]), as a coloured terminal view ([`render_terminal`]) or as plain
//! numbered sentence lines for files and pagers ([`render_plain`]).
//!
//! # Design
//!
//! People tuning a pipeline would rather look than read JSON: which blocks boilerplate
//! removal dropped and why, where sentences break, which entities were found with which
//! label, which sentences the summary picked. Both views show exactly that, summary first.
//!
//! - **One walk over the layers.** Sentences and entities are byte spans into the text
//!   (see [`textpipe_core::Span`]). [`Overlay`] cuts the text into segments covered by the
//!   same sentence and entity, dropping spans that are invalid or overlap (counted and
//!   reported, never a panic), and cutting the rare entity that crosses a sentence boundary.
//!   Each renderer then only switches styles between segments, so HTML stays well nested.
//! - **Streaming HTML in one pass.** [`HtmlReport`] writes each document as it is added and
//!   the index (run counts, time per stage, one row per document) at the end; CSS `order`
//!   shows it on top. Memory is one small row per document, so a 10,000-document run is fine.
//!   Documents are collapsed `<details>`; past the first hundred, they go in pages stored as
//!   inert text that a few lines of inline script turn into markup when a page is opened, which
//!   keeps the page quick to open however long the run (see [`HtmlOptions`]).
//! - **Self-contained and safe.** Inline CSS and script only, and a Content-Security-Policy
//!   that forbids every fetch. Document text is untrusted web text: all of it goes through
//!   [`escape_html`] (or [`escape_terminal`], which neutralises escape sequences), so a
//!   document containing `<script>` renders as text.
//! - **Colours by label**, stable across runs ([`colour_of`]): fixed for `PER`, `ORG`, `LOC`,
//!   `MISC`, hashed for other labels. The HTML shows the label on hover and in print.
//!
//! ```
//! use textpipe_core::{Document, Entity, Span, Summary};
//! use textpipe_core::RunReport;
//! use textpipe_report::HtmlReport;
//!
//! let mut doc = Document::new("1", "Rain in Oslo. Sun in Rome.");
//! doc.sentences = Some(vec![Span::new(0, 13), Span::new(14, 26)]);
//! doc.entities = Some(vec![Entity::new(&doc.text, Span::new(8, 12), "LOC")]);
//! doc.summary = Some(Summary { text: "Sun in Rome.".into(), sentences: vec![1], scores: None });
//!
//! let mut report = HtmlReport::new(Vec::new(), "Weather").unwrap();
//! report.add(&doc).unwrap();
//! let html = String::from_utf8(report.finish(&RunReport::default()).unwrap()).unwrap();
//! assert!(html.contains(r#"data-label="LOC" title="LOC">Oslo</mark>"#));
//! assert!(html.contains(r#"<span class="s pick" data-n="2">Sun in Rome.</span>"#));
//!
//! let plain = textpipe_report::render_terminal(&doc, false);
//! assert!(plain.contains("Rain in [Oslo](LOC). **Sun in Rome.**"));
//! ```
#![deny(missing_docs)]

mod escape;
pub mod html;
mod labels;
pub mod overlay;
mod plain;
mod saved_output;
pub mod terminal;

pub use escape::{escape_html, escape_terminal};
pub use html::{HtmlOptions, HtmlReport};
pub use labels::colour_of;
pub use overlay::{Overlay, Segment};
pub use plain::render_plain;
pub use saved_output::{render_saved_output, ReportError};
pub use terminal::{render_terminal, render_terminal_error, should_color};

/// The summary's sentences as people count them, from 1: `1, 3, 4`.
fn summary_sentence_numbers(summary: &textpipe_core::Summary) -> String {
    let numbers: Vec<String> = summary
        .sentences
        .iter()
        .map(|i| (i + 1).to_string())
        .collect();
    numbers.join(", ")
}
