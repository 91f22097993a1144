//! The reference news article: a 3-sentence summary made of article sentences. Boilerplate
//! removal drops the cookie notice that opens the raw text; this crate does not depend on that
//! stage, so the test drops the first paragraph the same way, and the whole pipeline's own
//! test covers the real chain.
use textpipe_core::{Document, Stage};
use textpipe_summarize::evaluation::split_for_evaluation;
use textpipe_summarize::{SummarizeConfig, Summarizer};

#[test]
fn news_example_gets_three_article_sentences() {
    let Some(path) = textpipe_testkit::shared_file("examples/news-with-cookie-notice.txt") else {
        return;
    };
    let raw = std::fs::read_to_string(path).unwrap();
    let notice_end = raw.find('\n').expect("the notice is the first paragraph");
    let text = raw[notice_end..].trim_start().to_string();
    let mut doc = Document::new("news", text.clone());
    doc.sentences = Some(split_for_evaluation(&text, false));
    Summarizer::new(SummarizeConfig::default())
        .process(&mut doc)
        .unwrap();
    doc.check_spans().unwrap();
    let summary = doc.summary.as_ref().unwrap();
    assert_eq!(summary.sentences.len(), 3, "{summary:?}");
    for &index in &summary.sentences {
        let sentence = doc.sentence_text(index).unwrap();
        assert!(raw[notice_end..].contains(sentence), "picked {sentence:?}");
    }
    assert!(!summary.text.to_lowercase().contains("cookie"));
}
