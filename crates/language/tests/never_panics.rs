//! Any UTF-8 input: the stage never panics, writes a tag and a confidence in 0..=1, keeps every
//! span invariant, and takes the same decision for the same text.

use proptest::prelude::*;
use textpipe_core::{Document, Span, Stage};
use textpipe_language::{LanguageConfig, LanguageStage, UNDETERMINED};

fn text_strategy() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[a-zA-Zäöüßéèçñ ,.!?]{0,200}",
        "[\\p{Cyrillic}\\p{Han}\\p{Hiragana}\\p{Arabic} ]{0,80}",
        "(<[a-z]{1,6}( lang=[a-z-]{0,8})?>|[^<>]{0,20}|&[a-z#0-9]{0,5};?){0,30}",
    ]
}

proptest! {
    #[test]
    fn any_text_gets_a_tag_and_a_bounded_confidence(text in text_strategy(), html in text_strategy(), declared in "[a-zA-Z_-]{0,12}") {
        let stage = LanguageStage::default();
        let mut doc = Document::new("p", text.clone());
        if !declared.is_empty() {
            doc.lang = Some(declared);
        }
        doc.html = Some(html);
        let mut again = doc.clone();
        stage.process(&mut doc).unwrap();
        prop_assert!(doc.check_spans().is_ok());
        prop_assert_eq!(&doc.text, &text);
        let lang = doc.lang.clone().unwrap();
        prop_assert!(!lang.is_empty());
        let confidence = doc.meta["lang_confidence"].as_f64().unwrap();
        prop_assert!((0.0..=1.0).contains(&confidence));
        if lang == UNDETERMINED {
            prop_assert!(confidence == 0.0 || doc.meta.contains_key("lang_declared"));
        }
        stage.process(&mut again).unwrap();
        prop_assert_eq!(doc.lang, again.lang);
    }

    #[test]
    fn blocks_are_byte_ranges_on_char_boundaries(text in text_strategy(), joiner in "[\n \t]{0,3}") {
        let stage = LanguageStage::new(LanguageConfig { blocks: true, ..LanguageConfig::default() });
        let text = format!("{text}{joiner}{text}");
        let mut doc = Document::new("p", text.clone());
        stage.process(&mut doc).unwrap();
        let mut previous_end = 0;
        for block in doc.ext["language"]["blocks"].as_array().unwrap() {
            let start = block["start"].as_u64().unwrap() as usize;
            let end = block["end"].as_u64().unwrap() as usize;
            prop_assert!(previous_end <= start && start < end && end <= text.len());
            prop_assert!(text.is_char_boundary(start) && text.is_char_boundary(end));
            previous_end = end;
        }
    }

    #[test]
    fn sentence_languages_follow_any_sentence_layer(text in text_strategy(), cuts in prop::collection::vec(0usize..400, 0..6)) {
        // Cut points on char boundaries make a sentence layer, as the sentence stage would;
        // one entry per sentence comes back, whatever the text.
        let mut bounds: Vec<usize> = cuts.into_iter().map(|c| c.min(text.len())).collect();
        bounds.push(0);
        bounds.push(text.len());
        bounds.retain(|&b| text.is_char_boundary(b));
        bounds.sort_unstable();
        bounds.dedup();
        let spans: Vec<Span> = bounds.windows(2).map(|w| Span::new(w[0], w[1])).collect();
        let stage = LanguageStage::new(LanguageConfig { sentences: true, ..LanguageConfig::default() });
        let mut doc = Document::new("p", text.clone());
        doc.sentences = Some(spans.clone());
        stage.process(&mut doc).unwrap();
        let found = doc.ext["language"]["sentences"].as_array().unwrap();
        prop_assert_eq!(found.len(), spans.len());
        for (entry, span) in found.iter().zip(&spans) {
            prop_assert_eq!(entry["start"].as_u64(), Some(span.start as u64));
            prop_assert_eq!(entry["end"].as_u64(), Some(span.end as u64));
            prop_assert!(entry["lang"].is_string());
        }
    }
}
