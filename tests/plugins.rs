//! A plugin stage is indistinguishable from a built-in one: in pipeline files, in
//! `textpipe stages`, in the output and in the end-of-run per-stage timing.
//!
//! The example `language-id` plugin, a dev-dependency, is built by cargo beside the test
//! binaries and loaded by the binary.

use std::path::PathBuf;

use predicates::prelude::*;
use serde_json::Value;

use crate::support::textpipe;

fn language_id_plugin() -> PathBuf {
    textpipe_testkit::dev_dependency_library("textpipe_plugin_language_id")
}

#[test]
fn a_plugin_stage_runs_lists_and_times_like_a_built_in_one() {
    let plugin = language_id_plugin();
    let dir = tempfile::tempdir().unwrap();
    let pipeline = dir.path().join("news.json");
    let spec = serde_json::json!({
        "name": "news-with-language",
        "stages": [
            {"stage": "sentences"},
            {"stage": "language-id", "plugin": plugin, "with": {"min_confidence": 0.1}},
            {"stage": "summarize", "with": {"sentences": 1}}
        ]
    });
    std::fs::write(&pipeline, spec.to_string()).unwrap();

    let output = textpipe()
        .args(["run", "--pipeline"])
        .arg(&pipeline)
        .arg("examples/news/article.txt")
        .assert()
        .success()
        .stderr(predicate::str::contains("language-id"))
        .get_output()
        .clone();
    let doc: Value = serde_json::from_slice(&output.stdout).unwrap();
    let language = &doc["ext"]["language-id"];
    assert!(language.is_object(), "no plugin data in {doc}");
    assert!(language.to_string().contains("eng"), "{language}");
    assert_eq!(doc["summary"]["sentences"].as_array().unwrap().len(), 1);

    textpipe()
        .args(["stages", "--plugin"])
        .arg(&plugin)
        .assert()
        .success()
        .stdout(predicate::str::contains("language-id"))
        .stdout(predicate::str::contains("sentences"));
}

#[test]
fn a_missing_plugin_is_an_error_naming_the_pipeline_file_entry() {
    let dir = tempfile::tempdir().unwrap();
    let pipeline = dir.path().join("broken.json");
    std::fs::write(
        &pipeline,
        r#"{"stages": [{"stage": "language-id", "plugin": "nowhere/liblanguage_id.so"}]}"#,
    )
    .unwrap();
    textpipe()
        .args(["run", "--pipeline"])
        .arg(&pipeline)
        .arg("examples/news/article.txt")
        .assert()
        .code(1)
        .stderr(predicate::str::contains("broken.json:1:"))
        .stderr(predicate::str::contains("panicked").not());
}
