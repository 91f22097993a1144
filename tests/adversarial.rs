//! Hostile input through the default pipeline, the way a web crawl delivers it: broken
//! encodings, NUL bytes, BOMs, CRLF, right-to-left and invisible characters, CJK, emoji ZWJ
//! sequences, empty documents, duplicate ids, binary files named `.html`, and, generated at
//! test time, a 50 MB line, a million unpunctuated words, 100,000-deep HTML, huge attributes,
//! entity floods and a gzip bomb.
//!
//! The contract checked for every input: the run ends (exit 0, or 2 when some documents
//! failed), nothing panics, and each input record comes out as exactly one output line, either
//! a document whose spans fit its text or an error record saying which stage refused it.
//! Limits on document and decompressed size, where set, turn the largest cases into error
//! records, which the contract accepts.
//!
//! Set `TEXTPIPE_ADVERSARIAL_DIR` to keep the generated files there (to time them on a
//! release build: `scripts/adversarial_times.sh`).

#[path = "adversarial/generated.rs"]
mod generated;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use assert_cmd::Command;
use serde_json::Value;
use textpipe_core::Document;

const FIXTURES: &str = "tests/adversarial";

/// Runs the default pipeline over `inputs` on two threads and checks the contract; returns
/// the output records by id (error records without an id under `input:line`).
fn run_default_pipeline(inputs: &[PathBuf], expected_records: usize) -> BTreeMap<String, Value> {
    let started = Instant::now();
    let output = Command::cargo_bin("textpipe")
        .unwrap()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["run", "--quiet", "--threads", "2"])
        .args(inputs)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    let code = output.status.code();
    assert!(
        matches!(code, Some(0 | 2)),
        "exit {code:?} on {inputs:?}; stderr:\n{stderr}"
    );
    assert!(
        !stderr.contains("panicked"),
        "a panic on {inputs:?}:\n{stderr}"
    );
    let stdout = String::from_utf8(output.stdout).expect("output is UTF-8");
    let mut records = BTreeMap::new();
    let mut count = 0;
    for line in stdout.lines() {
        count += 1;
        let value: Value = serde_json::from_str(line).expect("every output line is JSON");
        let key = check_record(&value);
        // Duplicate ids are legal input: key them apart so each is still checked once.
        let key = if records.contains_key(&key) {
            format!("{key}#{count}")
        } else {
            key
        };
        records.insert(key, value);
    }
    assert_eq!(
        count, expected_records,
        "every input record yields exactly one output line ({inputs:?})"
    );
    eprintln!(
        "{} record(s) from {} input(s) in {:.1?}",
        count,
        inputs.len(),
        started.elapsed()
    );
    records
}

/// Checks one output line and returns its key: the id, or `input:line` for an unreadable line.
fn check_record(value: &Value) -> String {
    if let Some(error) = value.get("error") {
        let stage = error["stage"].as_str().expect("an error names its stage");
        let message = error["message"].as_str().expect("an error has a message");
        assert!(!message.is_empty(), "empty error message in {value}");
        assert!(
            !message.contains("panicked"),
            "stage `{stage}` panicked: {message}"
        );
        return match value.get("id").and_then(Value::as_str) {
            Some(id) => id.to_string(),
            None => format!("{}:{}", value["input"].as_str().unwrap(), value["line"]),
        };
    }
    let doc: Document = serde_json::from_value(value.clone()).expect("a document record");
    if let Err(error) = doc.check_spans() {
        panic!("document {} has a broken layer: {error}", doc.id);
    }
    doc.id
}

/// Records a reader makes of a fixture: one per text or HTML file, one per non-blank line of
/// a JSON Lines file.
fn fixture_records(path: &Path) -> usize {
    let name = path.to_string_lossy();
    if !name.ends_with(".jsonl") {
        return 1;
    }
    let bytes = std::fs::read(path).unwrap();
    bytes
        .split(|&b| b == b'\n')
        .filter(|line| !line.iter().all(u8::is_ascii_whitespace))
        .count()
}

fn fixtures() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(FIXTURES)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| !path.file_name().unwrap().to_string_lossy().starts_with('.'))
        .filter(|path| path.extension().is_some_and(|ext| ext != "rs"))
        .collect();
    files.sort();
    files
}

#[test]
fn every_checked_in_hostile_file_yields_a_result_or_an_error_record() {
    let files = fixtures();
    assert!(files.len() >= 15, "fixtures missing: {files:?}");
    let expected = files.iter().map(|f| fixture_records(f)).sum();
    let records = run_default_pipeline(&files, expected);
    for file in files.iter().filter(|f| fixture_records(f) == 1) {
        let id = file.display().to_string();
        assert!(records.contains_key(&id), "no record for {id}");
    }
    // Readable files with text go through every stage, whatever their script.
    for name in [
        "cjk.txt",
        "arabic.txt",
        "emoji-zwj.txt",
        "zero-width-bidi.txt",
        "crlf.txt",
    ] {
        let record = &records[&format!("{FIXTURES}/{name}")];
        assert!(record.get("error").is_none(), "{name}: {record}");
        assert!(
            record.get("summary").is_some(),
            "{name} was not summarized: {record}"
        );
    }
    let invalid = &records[&format!("{FIXTURES}/invalid-utf8.txt")];
    assert_eq!(invalid["error"]["stage"], "input", "{invalid}");
    // Duplicate ids are kept: three lines with id `dup`, three records.
    let dups = records
        .keys()
        .filter(|k| k.split('#').next() == Some("dup"));
    assert_eq!(dups.count(), 3);
}

#[test]
fn large_generated_inputs_each_yield_a_result_or_an_error_record() {
    let kept = std::env::var_os("TEXTPIPE_ADVERSARIAL_DIR").map(PathBuf::from);
    let temp = tempfile::tempdir().unwrap();
    let dir = kept.as_deref().unwrap_or(temp.path());
    std::fs::create_dir_all(dir).unwrap();
    let cases = generated::write_all(dir).unwrap();
    // One run for all: the 50 MB line keeps one worker busy while the other takes the rest,
    // which keeps this test near a minute in a debug build. Records are keyed by file, so a
    // failure still names its case.
    let paths: Vec<PathBuf> = cases.iter().map(|case| case.path.clone()).collect();
    let expected = cases.iter().map(|case| case.records).sum();
    let records = run_default_pipeline(&paths, expected);
    for case in cases.iter().filter(|case| case.records == 1) {
        let id = case.path.display().to_string();
        assert!(records.contains_key(&id), "no record for {}", case.name);
    }
}
