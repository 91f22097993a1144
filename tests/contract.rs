//! The JSON output contract: whatever UTF-8 text goes in comes out unchanged, and textpipe's
//! own output read back through the runner is the same document.

use proptest::prelude::*;
use textpipe::core::document_from_json_line;
use textpipe::core::{Document, Outcome, Pipeline, Span};
use textpipe::runner::{run, JsonLinesSink, RunOptions};

fn through_the_runner(doc: Document) -> String {
    let pipeline = Pipeline::new("empty", vec![], &[]).unwrap();
    let options = RunOptions {
        threads: 1,
        ..RunOptions::default()
    };
    let mut sink = JsonLinesSink::new(Vec::new());
    run(
        &pipeline,
        [Outcome::from(doc)],
        &mut sink,
        &options,
        &mut |_| {},
    )
    .unwrap();
    String::from_utf8(sink.into_inner()).unwrap()
}

proptest! {
    #[test]
    fn any_text_round_trips_through_jsonl(id in "\\PC{1,16}", text in any::<String>()) {
        let mut doc = Document::new(id, text);
        doc.sentences = Some(vec![Span::new(0, doc.text.len())]);
        let line = through_the_runner(doc.clone());
        prop_assert!(line.ends_with('\n'));
        prop_assert_eq!(line.matches('\n').count(), 1, "one document, one line");
        let back = document_from_json_line(line.trim_end_matches('\n'), "unused").unwrap();
        prop_assert_eq!(&back, &doc);
        prop_assert_eq!(through_the_runner(back), line);
    }
}
