//! Scores on the shared dev data and the reference example. They need `../shared` (see
//! `textpipe_testkit::shared_file`): skipped with a notice without it, failing under CI.

use textpipe_boilerplate::dataset::load_wcxb;
use textpipe_boilerplate::extract::shipped_models;
use textpipe_boilerplate::train::{evaluate, InputKind};
use textpipe_boilerplate::Extractor;

#[test]
fn cookie_notice_goes_and_every_article_paragraph_stays() {
    let Some(path) = textpipe_testkit::shared_file("examples/news-with-cookie-notice.txt") else {
        return;
    };
    let text = textpipe_testkit::read_maybe_gz(&path).expect("readable example");
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    assert_eq!(
        lines.len(),
        16,
        "a cookie paragraph and 15 article paragraphs"
    );
    let extraction = Extractor::default().extract_text(&text);
    let kept: Vec<&str> = extraction.text.lines().collect();
    assert_eq!(kept, lines[1..], "removed: {:?}", extraction.removed);
    assert_eq!(extraction.removed.len(), 1);
    assert_eq!(extraction.removed[0].text, lines[0]);
    assert_eq!(extraction.removed[0].reason, "cookie-notice");
}

/// The shipped models on the pages they were trained on: a regression check that the shipped
/// files load and behave (cross-validated numbers come from `examples/evaluate_boilerplate.rs`).
#[test]
fn shipped_models_score_on_dev_pages() {
    let Some(dir) = textpipe_testkit::shared_file("data/boilerplate/wcxb-dev-articles") else {
        return;
    };
    let pages = load_wcxb(&dir).expect("dev data loads");
    let pages = &pages[..100];
    let (html, text) = shipped_models();
    let html_report = evaluate(pages, InputKind::Html, html);
    let text_report = evaluate(pages, InputKind::Text, text);
    assert!(html_report.mean.f1 >= 0.92, "html: {:?}", html_report.mean);
    assert!(text_report.mean.f1 >= 0.92, "text: {:?}", text_report.mean);
    assert!(html_report.mean.f1 > html_report.keep_everything.f1 + 0.08);
    assert!(text_report.mean.f1 > text_report.keep_everything.f1 + 0.08);
}
