//! The self-contained HTML report, written in one streaming pass.
//!
//! [`HtmlReport`] writes the page head (inline CSS and a few lines of inline script) at once,
//! each document as it is added, and the index last, in [`HtmlReport::finish`]; CSS flexbox
//! `order` shows the index above the documents. Only one small row per document is kept for
//! the index, so a report of any size is written in constant memory per document.
//!
//! Documents are `<details>` elements, collapsed except the first, so a long report stays a
//! scannable list. Past [`HtmlOptions::live_documents`], documents are grouped in pages of
//! [`HtmlOptions::page_size`] whose markup is stored as inert text and built when the page is
//! opened (see [`stored`]); a large index table is stored the same way. A browser then skips
//! building the millions of elements nobody looks at, which is what makes a 10,000-document
//! report open quickly.
//!
//! A Content-Security-Policy meta tag forbids every fetch, so the file cannot touch the
//! network even if a bug let markup through; and no bug should, because all document text
//! goes through [`escape_html`](crate::escape_html).

mod document;
mod index;
mod stored;

use std::fmt::Write as _;
use std::io::{self, Write};

use textpipe_core::Document;

use crate::escape::escape_html;
use document::{write_document, write_error_record, DocumentCounts};
use index::{IndexRow, RowOutcome};
use textpipe_core::{ErrorRecord, RunReport};

/// How much of the report is built into the page up front.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HtmlOptions {
    /// The first this many documents are shown expanded.
    pub open_documents: usize,
    /// The first this many documents are written as markup; later ones are stored as text in
    /// pages, built when a page is opened (which needs JavaScript). Printing shows only what
    /// has been built.
    pub live_documents: usize,
    /// Documents per stored page (at least 1).
    pub page_size: usize,
    /// The document index table is written as markup, expanded, when it has at most this
    /// many rows; a longer one is stored as text and built when opened.
    pub open_index_rows: usize,
}

impl Default for HtmlOptions {
    fn default() -> Self {
        HtmlOptions {
            open_documents: 1,
            live_documents: 100,
            page_size: 100,
            open_index_rows: 500,
        }
    }
}

const STYLE: &str = include_str!("report.css");
const SCRIPT: &str = include_str!("report.js");
/// Only inline styles and scripts; no fetch of any kind, not even images.
const CONTENT_SECURITY_POLICY: &str =
    "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:";

/// A streaming writer of one HTML report.
///
/// ```
/// use textpipe_core::Document;
/// use textpipe_core::RunReport;
/// use textpipe_report::HtmlReport;
///
/// let mut report = HtmlReport::new(Vec::new(), "Morning news").unwrap();
/// report.add(&Document::new("a", "Tom <b>said</b> hello.")).unwrap();
/// let html = String::from_utf8(report.finish(&RunReport::default()).unwrap()).unwrap();
/// assert!(html.contains("Tom &lt;b&gt;said&lt;/b&gt; hello."));
/// ```
///
/// Give it a buffered writer (`BufWriter<File>`): it writes each document in a few calls.
pub struct HtmlReport<W: Write> {
    out: W,
    options: HtmlOptions,
    rows: Vec<IndexRow>,
    /// Reused for each document, so adding one allocates little.
    buffer: String,
    /// Number of the first document of the stored page being written, if one is open.
    page_started_at: Option<usize>,
}

impl<W: Write> HtmlReport<W> {
    /// Starts a report titled `title` with the default [`HtmlOptions`].
    pub fn new(out: W, title: &str) -> io::Result<Self> {
        HtmlReport::with_options(out, title, HtmlOptions::default())
    }

    /// Starts a report titled `title`, writing the page head.
    pub fn with_options(mut out: W, title: &str, options: HtmlOptions) -> io::Result<Self> {
        let mut head = String::with_capacity(STYLE.len() + SCRIPT.len() + 1024);
        head.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
        head.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
        head.push_str("<meta http-equiv=\"Content-Security-Policy\" content=\"");
        head.push_str(CONTENT_SECURITY_POLICY);
        head.push_str("\">\n<meta name=\"generator\" content=\"textpipe-report ");
        head.push_str(env!("CARGO_PKG_VERSION"));
        head.push_str("\">\n<title>");
        escape_html(title, &mut head);
        head.push_str("</title>\n<style>\n");
        head.push_str(STYLE);
        head.push_str("</style>\n<script>\n");
        head.push_str(SCRIPT);
        head.push_str("</script>\n</head>\n<body>\n<header><h1>");
        escape_html(title, &mut head);
        head.push_str("</h1><p>A textpipe report: open a document to see its summary, its text ");
        head.push_str("with sentences and entities marked, and what boilerplate removal dropped.");
        head.push_str("</p></header>\n");
        // The page script finds the stored page of a linked document from these numbers.
        let _ = write!(
            head,
            "<main class=\"documents\" data-live=\"{}\" data-page-size=\"{}\">\n<h2>Documents</h2>\n",
            options.live_documents,
            options.page_size.max(1)
        );
        out.write_all(head.as_bytes())?;
        Ok(HtmlReport {
            out,
            options,
            rows: Vec::new(),
            buffer: String::new(),
            page_started_at: None,
        })
    }

    /// Writes one processed document.
    pub fn add(&mut self, doc: &Document) -> io::Result<()> {
        let number = self.start_item();
        let counts = DocumentCounts::of(doc);
        let placement = document::Placement {
            number,
            open: number <= self.options.open_documents.min(self.options.live_documents),
        };
        write_document(&mut self.buffer, doc, &counts, placement);
        self.out.write_all(self.buffer.as_bytes())?;
        self.rows.push(IndexRow {
            name: document::display_name(doc).to_string(),
            outcome: RowOutcome::Processed(counts),
        });
        Ok(())
    }

    /// Writes the record of a document that failed.
    pub fn add_error(&mut self, record: &ErrorRecord) -> io::Result<()> {
        let number = self.start_item();
        write_error_record(&mut self.buffer, record, number);
        self.out.write_all(self.buffer.as_bytes())?;
        self.rows.push(IndexRow {
            name: record.name(),
            outcome: RowOutcome::Failed {
                stage: record.stage.clone(),
            },
        });
        Ok(())
    }

    /// The number of the item being added; clears the buffer and, past the live documents,
    /// closes a full stored page and opens the next one in it.
    fn start_item(&mut self) -> usize {
        let number = self.rows.len() + 1;
        self.buffer.clear();
        let live = self.options.live_documents;
        let page_size = self.options.page_size.max(1);
        // Position among stored items, 0-based. (No `is_multiple_of`: MSRV 1.80.)
        let stored_at = number.checked_sub(live + 1);
        let place_in_page = stored_at.map(|at| at % page_size);
        if let (Some(stored_at), Some(0)) = (stored_at, place_in_page) {
            self.close_page();
            let page = stored_at / page_size + 1;
            stored::open_stored(
                &mut self.buffer,
                &format!("class=\"page\" id=\"page-{page}\""),
            );
            self.page_started_at = Some(number);
        }
        number
    }

    /// Closes the stored page being written, if any, labelled with the documents it holds.
    fn close_page(&mut self) {
        if let Some(first) = self.page_started_at.take() {
            let last = self.rows.len();
            let label = format!("Documents {first}\u{2013}{last}");
            stored::close_stored(&mut self.buffer, &label);
        }
    }

    /// Documents and error records added so far.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// True when nothing was added yet.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// Writes the index (run summary, stage times, per-document counts) and closes the page;
    /// returns the writer, flushed.
    pub fn finish(mut self, run: &RunReport) -> io::Result<W> {
        self.buffer.clear();
        self.close_page();
        if self.rows.is_empty() {
            self.buffer
                .push_str("<p class=\"note\">The run produced no documents.</p>\n");
        }
        self.buffer.push_str("</main>\n");
        index::write_index(&mut self.buffer, run, &self.rows, &self.options);
        self.buffer.push_str("<footer>Made by textpipe-report ");
        self.buffer.push_str(env!("CARGO_PKG_VERSION"));
        self.buffer
            .push_str(". Hover over an entity to see its label, source and score.");
        self.buffer.push_str("</footer>\n</body>\n</html>\n");
        self.out.write_all(self.buffer.as_bytes())?;
        self.out.flush()?;
        Ok(self.out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;
    use textpipe_core::{Entity, RemovedBlock, Span, Summary};

    fn render(docs: &[Document], errors: &[ErrorRecord], options: HtmlOptions) -> String {
        let mut report = HtmlReport::with_options(Vec::new(), "Test <run>", options).unwrap();
        for doc in docs {
            report.add(doc).unwrap();
        }
        for record in errors {
            report.add_error(record).unwrap();
        }
        let mut run = RunReport::for_stages(["sentences", "entities"]);
        run.read = docs.len() + errors.len();
        run.written = docs.len();
        run.failed = errors.len();
        run.stages[0].time = Duration::from_millis(30);
        run.stages[1].time = Duration::from_millis(90);
        run.elapsed = Duration::from_millis(150);
        String::from_utf8(report.finish(&run).unwrap()).unwrap()
    }

    fn weather() -> Document {
        let mut doc = Document::new("w1", "Rain in Oslo. Sun in Rome.");
        doc.sentences = Some(vec![Span::new(0, 13), Span::new(14, 26)]);
        doc.entities = Some(vec![
            Entity::new(&doc.text, Span::new(8, 12), "LOC"),
            Entity {
                source: Some("model".into()),
                score: Some(0.875),
                ..Entity::new(&doc.text, Span::new(21, 25), "ORG")
            },
        ]);
        doc.summary = Some(Summary {
            text: "Sun in Rome.".into(),
            sentences: vec![1],
            scores: Some(vec![0.1, 0.9]),
        });
        doc.removed = Some(vec![RemovedBlock {
            text: "We use cookies.".into(),
            reason: "cookie-notice".into(),
            position: Some(0),
            score: Some(0.05),
        }]);
        doc
    }

    #[test]
    fn a_document_shows_its_layers() {
        let html = render(&[weather()], &[], HtmlOptions::default());
        let text = concat!(
            r#"<div class="text"><span class="s" data-n="1">Rain in "#,
            r#"<mark class="ent l2" data-label="LOC" title="LOC">Oslo</mark>.</span> "#,
            r#"<span class="s pick" data-n="2">Sun in "#,
            r#"<mark class="ent l1" data-label="ORG" title="ORG · model · 0.88">Rome</mark>"#,
            r#".</span></div>"#
        );
        assert!(html.contains(text), "{html}");
        assert!(html.contains(r#"<p class="summary-text">Sun in Rome.</p>"#));
        assert!(html.contains("Sentences 2 of 2"));
        assert!(html.contains(r#"<details class="removed"><summary>Removed by boilerplate removal: 1 block (cookie-notice 1)"#));
        assert!(html.contains(r#"<span class="reason">cookie-notice</span><span class="block-meta">block 0 · content probability 0.05</span><p>We use cookies.</p>"#));
        assert!(html.contains(r#"<details class="doc" id="doc-1" open>"#));
        // The summary comes before the text.
        assert!(html.find("summary-text").unwrap() < html.find("class=\"text\"").unwrap());
    }

    #[test]
    fn the_index_counts_labels_and_times_stages() {
        let mut second = weather();
        second.id = "w2".into();
        second.meta.insert("title".into(), "Second day".into());
        second.entities = Some(vec![]);
        let record = ErrorRecord {
            id: Some("w3".into()),
            line: None,
            input: None,
            stage: "entities".into(),
            message: "model <missing>".into(),
            stops_run: false,
        };
        let html = render(&[weather(), second], &[record], HtmlOptions::default());
        let index = &html[html.find("<section class=\"index\">").unwrap()..];
        assert!(index.contains("3 read · 2 written · 1 failed · 0.15 s"));
        assert!(index.contains(r#"<td class="stage-cell">entities</td><td>90.0 ms</td>"#));
        assert!(index.contains("75.0%"));
        assert!(index.contains("<span class=\"chip l2\"><b>LOC</b> 1</span>"));
        assert!(index.contains("<th>LOC</th><th>ORG</th><th>removed</th>"));
        assert!(index.contains(
            "<a href=\"#doc-2\">Second day</a></td><td>2</td><td>0</td><td>0</td><td>1</td><td>1</td>"
        ));
        assert!(index.contains("<tr class=\"failed\"><td>3</td>"));
        assert!(index.contains("failed in entities"));
        // The error record itself is in the document list, escaped.
        assert!(html.contains(
            "<strong>Failed</strong> w3 in stage <code>entities</code>: model &lt;missing&gt;</div>"
        ));
    }

    #[test]
    fn hostile_text_renders_as_text() {
        let hostile = "<script>alert(1)</script><img src=x onerror=alert(2)>\"'&";
        let mut doc = Document::new(hostile, format!("{hostile} Paris."));
        doc.meta.insert("title".into(), hostile.into());
        doc.meta.insert("url".into(), "javascript:alert(3)".into());
        doc.meta
            .insert("author".into(), serde_json::json!({"<b>": "</details>"}));
        let end = doc.text.len();
        doc.sentences = Some(vec![Span::new(0, end)]);
        doc.entities = Some(vec![Entity::new(&doc.text, Span::new(0, 8), hostile)]);
        doc.removed = Some(vec![RemovedBlock {
            text: hostile.into(),
            reason: hostile.into(),
            position: None,
            score: None,
        }]);
        doc.ext.insert(hostile.into(), hostile.into());
        let title = "Run </title><script>alert(4)</script>";
        let mut report = HtmlReport::new(Vec::new(), title).unwrap();
        report.add(&doc).unwrap();
        let mut deferred = HtmlReport::with_options(
            Vec::new(),
            "t",
            HtmlOptions {
                live_documents: 0,
                ..HtmlOptions::default()
            },
        )
        .unwrap();
        deferred.add(&doc).unwrap();
        for html in [report, deferred].map(|r| r.finish(&RunReport::default()).unwrap()) {
            let html = String::from_utf8(html).unwrap();
            assert!(!html.contains("<img"));
            assert!(!html.contains("alert(1)</script>"));
            assert!(html.contains("{&quot;&lt;b&gt;&quot;:&quot;&lt;/details&gt;&quot;}"));
            assert!(!html.contains("href=\"javascript"));
            // Exactly our own two script elements: the page script and, when stored, the
            // page of documents, which must not be closed early by the text.
            let opened = html.matches("<script").count();
            assert_eq!(opened, html.matches("</script>").count());
            assert!(opened <= 2, "{opened}");
            assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        }
    }

    #[test]
    fn documents_past_the_live_ones_are_stored_in_pages() {
        let options = HtmlOptions {
            open_documents: 5,
            live_documents: 2,
            page_size: 2,
            open_index_rows: 3,
        };
        let record = ErrorRecord {
            id: Some("bad".into()),
            line: None,
            input: None,
            stage: "input".into(),
            message: "unreadable".into(),
            stops_run: false,
        };
        let docs = vec![weather(), weather(), weather(), weather()];
        let html = render(&docs, &[record], options);
        assert!(html.contains("<details class=\"doc\" id=\"doc-2\" open>"));
        let stored = "<script type=\"text/x-textpipe-stored\">";
        let page_1 = format!(
            "<details class=\"page\" id=\"page-1\">{stored}<details class=\"doc\" id=\"doc-3\">"
        );
        assert!(html.contains(&page_1), "{html}");
        assert!(html.contains("<summary>Documents 3\u{2013}4</summary></details>"));
        let page_2 = format!("<details class=\"page\" id=\"page-2\">{stored}<div class=\"error-record\" id=\"doc-5\">");
        assert!(html.contains(&page_2), "{html}");
        assert!(html.contains("<summary>Documents 5\u{2013}5</summary></details>"));
        // Five rows, more than `open_index_rows`: the index table is stored too.
        let index = format!("<details class=\"doc-index\">{stored}<table>");
        assert!(html.contains(&index));
        assert!(html.contains("<summary>Index of 5 documents, 1 failed</summary></details>"));
        assert_eq!(html.matches("<script").count(), 4);
        assert_eq!(html.matches("</script>").count(), 4);
    }

    #[test]
    fn broken_layers_are_reported_not_fatal() {
        for text in textpipe_testkit::AWKWARD_TEXTS {
            let mut doc = Document::new("a", *text);
            let end = doc.text.len();
            doc.sentences = Some(vec![Span::new(0, end), Span::new(end, end + 3)]);
            doc.entities = Some(vec![Entity {
                start: 1,
                end: end.max(1),
                label: "X".into(),
                text: String::new(),
                source: None,
                score: None,
            }]);
            doc.summary = Some(Summary {
                text: String::new(),
                sentences: vec![0, 7],
                scores: None,
            });
            let html = render(&[doc], &[], HtmlOptions::default());
            assert!(html.contains("could not be shown"), "{text:?}");
            assert!(html.ends_with("</html>\n"));
        }
    }

    #[test]
    fn an_empty_run_still_makes_a_page() {
        let html = render(&[], &[], HtmlOptions::default());
        assert!(html.contains("The run produced no documents."));
        assert!(html.starts_with("<!DOCTYPE html>"));
    }
}
