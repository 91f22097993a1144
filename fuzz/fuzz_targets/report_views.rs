//! The views people read: one line of saved output (what `textpipe show` and
//! `textpipe report` read back, and what plugins may have filled with any spans and labels)
//! rendered for a terminal, as plain lines (`run --format text`) and into the HTML report.
//! None may panic, whatever the layers claim, and the plain and uncoloured views must never
//! pass a control character from the document through to the reader's terminal.
#![no_main]

use libfuzzer_sys::fuzz_target;
use textpipe_report::{
    render_plain, render_terminal, render_terminal_error, HtmlReport, OutputLine, RunSummary,
};

/// Control characters a view may write itself: line breaks and tabs.
fn has_foreign_control(view: &str) -> bool {
    view.chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t')
}

fuzz_target!(|data: &[u8]| {
    let Ok(line) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(parsed) = OutputLine::parse(line) else {
        return;
    };
    let mut report = HtmlReport::new(Vec::new(), "fuzz").expect("writing to memory");
    match &parsed {
        OutputLine::Document(doc) => {
            for view in [render_plain(doc), render_terminal(doc, false)] {
                assert!(!has_foreign_control(&view), "control character in {view:?}");
            }
            let _ = render_terminal(doc, true);
            report.add(doc).expect("writing to memory");
        }
        OutputLine::Error(record) => {
            let view = render_terminal_error(record, false);
            assert!(!has_foreign_control(&view), "control character in {view:?}");
            let _ = render_terminal_error(record, true);
            report.add_error(record).expect("writing to memory");
        }
    }
    let html = report
        .finish(&RunSummary::default())
        .expect("writing to memory");
    assert!(std::str::from_utf8(&html).is_ok(), "the report is UTF-8");
});
