//! The stage never panics, keeps the span invariants, and stays linear on hostile pages.

use proptest::prelude::*;
use serde_json::Value;
use textpipe_boilerplate::{BoilerplateFactory, Extractor};
use textpipe_core::{BuildContext, Document, Stage, StageFactory};

fn stage() -> Box<dyn Stage> {
    BoilerplateFactory
        .build(&Value::Null, &BuildContext::new("."))
        .expect("default config builds")
}

fn run(stage: &dyn Stage, text: &str, html: Option<String>) -> Document {
    let mut doc = Document::new("p", text);
    doc.html = html;
    let doc = textpipe_testkit::check_stage(stage, doc);
    assert!(doc.removed.is_some());
    doc
}

#[test]
fn empty_page_warns_and_yields_empty_text() {
    let stage = stage();
    for html in [
        "",
        "   ",
        "<html></html>",
        "<!doctype html><head></head><body>\n</body>",
    ] {
        let doc = run(stage.as_ref(), "", Some(html.to_string()));
        assert_eq!(doc.text, "");
        if !html.trim().is_empty() {
            assert!(doc.meta.contains_key("warnings"), "{html:?}");
        }
    }
    let doc = run(stage.as_ref(), "", None);
    assert!(doc.meta["warnings"][0]
        .as_str()
        .is_some_and(|w| w.contains("empty")));
}

#[test]
fn deeply_nested_html_does_not_overflow() {
    let depth = 100_000;
    let html = format!(
        "{}<p>Deep text that is the only thing on this page.</p>{}",
        "<div>".repeat(depth),
        "</div>".repeat(depth)
    );
    let extraction = Extractor::default().extract_html(&html);
    let everything = format!("{}{}", extraction.text, extraction.removed.len());
    assert!(!everything.is_empty());
    // Unclosed tags all the way down, then stray end tags of another name.
    let html = format!("{}x{}", "<span><b>".repeat(depth), "</i>".repeat(depth));
    let _ = Extractor::default().extract_html(&html);
}

#[test]
fn binary_junk_is_handled() {
    let mut state = 0x9e37_79b9_7f4a_7c15u64;
    let bytes: Vec<u8> = (0..200_000)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state as u8
        })
        .collect();
    let junk = String::from_utf8_lossy(&bytes).into_owned();
    let stage = stage();
    run(stage.as_ref(), &junk, Some(junk.clone()));
    run(stage.as_ref(), &junk, None);
}

#[test]
fn fifty_megabyte_page_finishes() {
    let paragraph = "<div class=post><p>The committee met again on Thursday to discuss the \
                     plans for the new bridge, and most members agreed to wait.</p>\
                     <ul class=menu><li><a href=/a>Home</a></li><li><a href=/b>News</a></li></ul></div>\n";
    let html = paragraph.repeat(50_000_000 / paragraph.len() + 1);
    assert!(html.len() >= 50_000_000);
    let extraction = Extractor::default().extract_html(&html);
    assert!(extraction.text.len() + extraction.removed.len() > 0);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn any_text_keeps_invariants(text in "\\PC{0,400}") {
        let stage = stage();
        run(stage.as_ref(), &text, None);
    }

    #[test]
    fn any_tag_soup_keeps_invariants(
        parts in proptest::collection::vec(
            prop_oneof![
                Just("<p>".to_string()), Just("</p>".to_string()), Just("<div class='a b'>".to_string()),
                Just("</div>".to_string()), Just("<a href=x>".to_string()), Just("<script>".to_string()),
                Just("</script>".to_string()), Just("<!--".to_string()), Just("&amp;".to_string()),
                Just("<br/>".to_string()), Just("<title>".to_string()), "\\PC{0,30}",
                Just("<b>".to_string()), Just("</em>".to_string()), Just("<em>".to_string()),
                Just("<a href='j(a) b'>".to_string()), Just("</a>".to_string()),
                Just("<table><tr><td>".to_string()), Just("<li>".to_string()),
            ],
            0..60,
        )
    ) {
        let html = parts.concat();
        let stage = stage();
        run(stage.as_ref(), "", Some(html.clone()));
        // With Markdown on, the links and emphasis it records never break the stage either.
        let markdown = BoilerplateFactory
            .build(&serde_json::json!({"markdown": true}), &BuildContext::new("."))
            .unwrap();
        let doc = run(markdown.as_ref(), "", Some(html));
        prop_assert!(doc.meta["markdown"].is_string());
    }
}
