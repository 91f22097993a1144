//! The whole default pipeline through the runner, the bytes being a JSON Lines corpus already
//! read into records: every record must come out as exactly one output line (a document or an
//! error record), in order, and every line must be JSON.
#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use textpipe_cli::input::{document_from_json_line, InputFailure, Record};
use textpipe_core::{Document, Outcome, Pipeline};
use textpipe_runner::{run, JsonLinesSink, RunOptions};

static PIPELINE: LazyLock<Pipeline> = LazyLock::new(|| {
    textpipe::load_pipeline(None, &[]).expect("the default pipeline builds")
});

/// A line that parses becomes that document; anything else becomes a document whose text is
/// the line itself (as text and as HTML), so arbitrary bytes reach the stages too.
fn records(data: &[u8]) -> Vec<Record> {
    let mut records = Vec::new();
    for (number, line) in data.split(|&b| b == b'\n').enumerate() {
        let id = format!("fuzz:{}", number + 1);
        let Ok(line) = std::str::from_utf8(line) else {
            records.push(Record::Unreadable(InputFailure {
                id: None,
                input: "fuzz".into(),
                line: Some(number + 1),
                message: "not valid UTF-8".into(),
            }));
            continue;
        };
        match document_from_json_line(line, &id) {
            Ok(doc) => records.push(Record::Document(Box::new(doc))),
            Err(_) if number % 2 == 0 => {
                records.push(Record::Document(Box::new(Document::new(id, line))))
            }
            Err(_) => {
                let mut doc = Document::new(id, String::new());
                doc.html = Some(line.to_string());
                records.push(Record::Document(Box::new(doc)));
            }
        }
    }
    records
}

fuzz_target!(|data: &[u8]| {
    let records = records(data);
    let count = records.len();
    let options = RunOptions {
        threads: 1,
        ..RunOptions::default()
    };
    let mut sink = JsonLinesSink::new(Vec::new());
    let items = records.into_iter().map(Outcome::from);
    let report = run(&PIPELINE, items, &mut sink, &options, &mut |_| {})
        .expect("writing to memory cannot fail");
    assert_eq!(report.written + report.failed, count);
    let text = String::from_utf8(sink.into_inner()).expect("output is UTF-8");
    let mut lines = 0;
    for line in text.lines() {
        let value: serde_json::Value = serde_json::from_str(line).expect("output line is JSON");
        if let Some(error) = value.get("error") {
            let message = error["message"].as_str().unwrap_or_default();
            assert!(!message.contains("panicked"), "a stage panicked: {message}");
        }
        lines += 1;
    }
    assert_eq!(lines, count, "one output line per record");
});
