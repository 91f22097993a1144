//! A plugin that segfaults, aborts, loops forever or leaks, run with `"isolate": true` over
//! 10,000 documents: the run completes, exactly the trigger documents are error records naming
//! the cause, every other document is in the output, in order, and the exit code is 2.
//!
//! The `hostile` plugin (`plugins/hostile`), a dev-dependency, is built by cargo beside the
//! test binaries and served by `textpipe-plugin-host`.

use std::path::PathBuf;
use std::time::Instant;

use serde_json::{json, Value};

use crate::support;
use crate::support::{json_lines, textpipe};

const DOCUMENTS: usize = 10_000;
const TRIGGERS: [usize; 2] = [1_234, 9_876];

fn hostile_plugin() -> PathBuf {
    textpipe_testkit::dev_dependency_library("textpipe_plugin_hostile")
}

/// 10,000 short documents, multi-byte text included; the triggers contain `HOSTILE`.
fn corpus() -> String {
    (0..DOCUMENTS)
        .map(|i| {
            let text = if TRIGGERS.contains(&i) {
                format!("Dokument {i}: HOSTILE – ünïcode.")
            } else {
                format!("Dokument {i}: friedlich – ünïcode, 日本語.")
            };
            json!({"id": format!("doc-{i}"), "text": text}).to_string() + "\n"
        })
        .collect()
}

/// Runs the hostile stage with `behaviour` and checks the outcome; `cause` must be in the
/// message of each trigger's error record. Only the endless loop gets a short `timeout`: on a
/// busy machine filling the memory cap may take longer than a second.
fn run_hostile(behaviour: &str, cause: &str) {
    let timeout = if behaviour == "loop" { 1 } else { 30 };
    let plugin = hostile_plugin();
    let dir = tempfile::tempdir().unwrap();
    let input = support::write(dir.path(), "docs.jsonl", corpus().as_bytes());
    let pipeline = json!({"name": "hostile", "stages": [{
        "stage": "hostile", "plugin": plugin, "isolate": true,
        "with": {"behaviour": behaviour}, "timeout": timeout, "max_memory": "256M"}]});
    let pipeline_path = support::write(dir.path(), "hostile.json", pipeline.to_string().as_bytes());

    let started = Instant::now();
    let output = textpipe()
        .args([
            "run",
            "--quiet",
            "--threads",
            "2",
            "--pipeline",
            &pipeline_path,
            &input,
        ])
        .output()
        .unwrap();
    eprintln!("{behaviour}: {:.2} s", started.elapsed().as_secs_f64());
    assert_eq!(
        output.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let lines = json_lines(&output.stdout);
    assert_eq!(lines.len(), DOCUMENTS);
    for (i, line) in lines.iter().enumerate() {
        assert_eq!(line["id"], format!("doc-{i}"), "output out of order at {i}");
        if TRIGGERS.contains(&i) {
            let error = &line["error"];
            assert_eq!(error["stage"], "hostile", "{line}");
            let message = error["message"].as_str().unwrap();
            assert!(message.contains(cause), "document {i}: {message}");
        } else {
            let characters = line["text"].as_str().unwrap().chars().count();
            assert_eq!(line["ext"]["hostile"], Value::from(characters), "{line}");
        }
    }
}

#[test]
fn a_segfaulting_isolated_plugin_costs_only_its_trigger_documents() {
    run_hostile(
        "segfault",
        "killed by signal 11 (SIGSEGV) while processing this document",
    );
}

#[test]
fn an_aborting_isolated_plugin_costs_only_its_trigger_documents() {
    run_hostile(
        "abort",
        "killed by signal 6 (SIGABRT) while processing this document",
    );
}

#[test]
fn an_isolated_plugin_that_loops_forever_times_out_on_its_trigger_documents() {
    run_hostile("loop", "timed out: no answer within 1 s");
}

#[test]
fn a_leaking_isolated_plugin_dies_at_its_memory_cap_on_its_trigger_documents() {
    run_hostile("leak", "capped at 256 MiB by `max_memory`");
}

#[test]
fn an_isolated_plugin_that_keeps_crashing_stops_the_run_with_a_clear_message() {
    let plugin = hostile_plugin();
    let dir = tempfile::tempdir().unwrap();
    let docs: String = (0..500)
        .map(|i| json!({"id": i.to_string(), "text": "HOSTILE"}).to_string() + "\n")
        .collect();
    let input = support::write(dir.path(), "docs.jsonl", docs.as_bytes());
    let pipeline = json!({"name": "hostile", "stages": [{
        "stage": "hostile", "plugin": plugin, "isolate": true,
        "with": {"behaviour": "abort"}, "max_restarts": 3}]});
    let pipeline_path = support::write(dir.path(), "hostile.json", pipeline.to_string().as_bytes());
    let output = textpipe()
        .args([
            "run",
            "--threads",
            "1",
            "--pipeline",
            &pipeline_path,
            &input,
        ])
        .output()
        .unwrap();
    // Exit 4: the stage gave up and the run stopped (not 2: the run did not finish).
    assert_eq!(output.status.code(), Some(4));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(
            "stage `hostile` stopped: its worker process failed 4 times (`max_restarts` is 3)"
        ) && stderr.contains("stage `hostile` gave up"),
        "{stderr}"
    );
    // The batch it gave up in is written, in order, and nothing after it.
    let lines = json_lines(&output.stdout);
    assert!(
        !lines.is_empty() && lines.len() < 500,
        "{} lines",
        lines.len()
    );
    for (i, line) in lines.iter().enumerate() {
        assert_eq!(line["id"], i.to_string());
    }
    assert!(lines[3]["error"]["message"]
        .as_str()
        .unwrap()
        .contains("failure 4"));
    assert!(lines.last().unwrap()["error"]["message"]
        .as_str()
        .unwrap()
        .contains("not run: the stage stopped"));
}

/// An isolated plugin gives exactly what it gives in process: same contract, same output.
#[test]
fn an_isolated_plugin_writes_what_it_writes_in_process() {
    let keywords = textpipe_testkit::dev_dependency_library("textpipe_plugin_keywords");
    let dir = tempfile::tempdir().unwrap();
    let run = |isolate: bool| {
        let pipeline = json!({"extends": "default", "stages": [
            {"stage": "keywords", "plugin": keywords, "isolate": isolate}]});
        let name = format!("keywords-{isolate}.json");
        let path = support::write(dir.path(), &name, pipeline.to_string().as_bytes());
        support::run_ok(&[
            "run",
            "--quiet",
            "--pipeline",
            &path,
            "examples/news/article.txt",
        ])
    };
    let in_process = run(false);
    assert!(String::from_utf8_lossy(&in_process).contains("\"keywords\":[{"));
    assert_eq!(
        String::from_utf8(run(true)).unwrap(),
        String::from_utf8(in_process).unwrap()
    );
}
