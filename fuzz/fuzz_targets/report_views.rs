//! The views people read: one line of saved output (what `textpipe show` and
//! `textpipe report` read back, and what plugins may have filled with any spans and labels)
//! rendered for a terminal, as plain lines (`run --format text`) and into the HTML report.
//! None may panic, whatever the layers claim; the plain and uncoloured views must never
//! pass a control character from the document through to the reader's terminal, and the
//! HTML report must hold no markup from the document (no more `<script`, `<img`, ... than a
//! report of a plain document has).
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use textpipe_core::{Document, Outcome, RunReport};
use textpipe_report::{render_plain, render_terminal, render_terminal_error, HtmlReport};

/// Control characters a view may write itself: line breaks and tabs.
fn has_foreign_control(view: &str) -> bool {
    view.chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t')
}

/// Elements through which markup could run code or load something.
const ACTIVE_TAGS: [&str; 7] = [
    "<script", "<iframe", "<img", "<object", "<embed", "<svg", "<link",
];

fn active_tag_counts(html: &str) -> Vec<usize> {
    let lower = html.to_ascii_lowercase();
    ACTIVE_TAGS
        .iter()
        .map(|tag| lower.matches(tag).count())
        .collect()
}

/// What the report itself holds: the counts in a report of one plain document.
fn own_active_tag_counts() -> &'static [usize] {
    static COUNTS: OnceLock<Vec<usize>> = OnceLock::new();
    COUNTS.get_or_init(|| {
        let mut report = HtmlReport::new(Vec::new(), "fuzz").expect("writing to memory");
        report
            .add(&Document::new("plain", "Plain text."))
            .expect("writing to memory");
        let html = report
            .finish(&RunReport::default())
            .expect("writing to memory");
        active_tag_counts(&String::from_utf8(html).expect("the report is UTF-8"))
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(line) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(parsed) = Outcome::parse_line(line) else {
        return;
    };
    let mut report = HtmlReport::new(Vec::new(), "fuzz").expect("writing to memory");
    match &parsed {
        Outcome::Done(doc) => {
            for view in [render_plain(doc), render_terminal(doc, false)] {
                assert!(!has_foreign_control(&view), "control character in {view:?}");
            }
            let _ = render_terminal(doc, true);
            report.add(doc).expect("writing to memory");
        }
        Outcome::Failed(record) => {
            let view = render_terminal_error(record, false);
            assert!(!has_foreign_control(&view), "control character in {view:?}");
            let _ = render_terminal_error(record, true);
            report.add_error(record).expect("writing to memory");
        }
    }
    let html = report
        .finish(&RunReport::default())
        .expect("writing to memory");
    let html = String::from_utf8(html).expect("the report is UTF-8");
    assert_eq!(
        active_tag_counts(&html),
        own_active_tag_counts(),
        "markup from the input in the report"
    );
});
