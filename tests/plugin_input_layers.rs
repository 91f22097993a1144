//! Layers that input documents already carry count as provided: a corpus annotated by an
//! earlier run (JSON Lines with `sentences`) goes straight to a stage that needs them. `run`
//! sees it in the first input document (or from `--input-layers`, needed on stdin);
//! `bench` and `validate` take `--input-layers`. A document of that corpus without the layer
//! fails alone, at the stage that needs it.

use predicates::prelude::*;
use serde_json::json;

use crate::support::{json_lines, textpipe, write};

const TEXT: &str = "The council met on Monday. It voted to build a sea wall. Work starts in May.";

fn annotated(id: &str) -> serde_json::Value {
    json!({"id": id, "text": TEXT, "lang": "en",
           "sentences": [{"start": 0, "end": 26}, {"start": 27, "end": 56}, {"start": 57, "end": 76}]})
}

fn corpus(dir: &std::path::Path, docs: &[serde_json::Value]) -> String {
    let lines: Vec<String> = docs.iter().map(|d| d.to_string()).collect();
    write(dir, "annotated.jsonl", (lines.join("\n") + "\n").as_bytes())
}

fn summaries_pipeline(dir: &std::path::Path) -> String {
    let pipeline = json!({"name": "summaries", "stages": [
        {"stage": "summarize", "with": {"sentences": 1}}
    ]});
    write(dir, "summaries.json", pipeline.to_string().as_bytes())
}

#[test]
fn validate_accepts_a_stage_whose_layer_the_input_carries_only_when_told() {
    let dir = tempfile::tempdir().unwrap();
    let pipeline = summaries_pipeline(dir.path());
    textpipe()
        .args(["validate", &pipeline])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("needs `sentences`"));
    textpipe()
        .args(["validate", &pipeline, "--input-layers", "sentences"])
        .assert()
        .success()
        .stdout(predicate::str::contains("is valid"));
    textpipe()
        .args(["validate", &pipeline, "--input-layers", "sentence"])
        .assert()
        .failure()
        .stderr(predicate::str::contains(
            "layers: sentences, entities, summary, removed",
        ));
}

#[test]
fn run_uses_the_input_layers_and_fails_only_the_document_without_them() {
    let dir = tempfile::tempdir().unwrap();
    let pipeline = summaries_pipeline(dir.path());
    let bare = json!({"id": "bare", "text": TEXT, "lang": "en"});
    // A corpus whose first document lacks the layer is refused unless the flag says it.
    let starts_bare = corpus(dir.path(), &[bare.clone(), annotated("a")]);
    textpipe()
        .args(["run", "--quiet", "--pipeline", &pipeline, &starts_bare])
        .assert()
        .code(1);
    let input = corpus(dir.path(), &[annotated("a"), bare, annotated("b")]);
    // The first document carries `sentences`: no flag needed, and the flag changes nothing.
    let unflagged = textpipe()
        .args(["run", "--quiet", "--pipeline", &pipeline, &input])
        .output()
        .unwrap();
    let output = textpipe()
        .args(["run", "--quiet", "--pipeline", &pipeline])
        .args(["--input-layers", "sentences", &input])
        .output()
        .unwrap();
    assert_eq!(unflagged.stdout, output.stdout);
    assert_eq!(output.status.code(), Some(2), "{output:?}");
    let docs = json_lines(&output.stdout);
    assert_eq!(docs.len(), 3);
    for doc in [&docs[0], &docs[2]] {
        assert_eq!(
            doc["summary"]["sentences"].as_array().unwrap().len(),
            1,
            "{doc}"
        );
        assert_eq!(doc["sentences"], annotated("a")["sentences"]);
    }
    assert_eq!(docs[1]["id"], "bare");
    assert_eq!(docs[1]["error"]["stage"], "summarize");
    let message = docs[1]["error"]["message"].as_str().unwrap();
    assert!(message.contains("needs `sentences`"), "{message}");
}

#[test]
fn bench_uses_the_input_layers() {
    let dir = tempfile::tempdir().unwrap();
    let pipeline = summaries_pipeline(dir.path());
    let input = corpus(dir.path(), &[annotated("a"), annotated("b")]);
    textpipe()
        .args(["bench", "--pipeline", &pipeline, &input])
        .assert()
        .code(1);
    textpipe()
        .args([
            "bench",
            "--pipeline",
            &pipeline,
            "--input-layers",
            "sentences",
            &input,
        ])
        .args(["--json"])
        .assert()
        .success()
        .stdout(predicate::str::contains("summarize"));
}
