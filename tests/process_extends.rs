//! A pipeline file that extends the default pipeline: `validate` prints the expanded list and
//! `run` runs it, with the reconfigured default stage and the inserted process stage.

use serde_json::json;

use crate::support;
use crate::support::{json_lines, textpipe};

#[test]
fn a_file_extending_the_default_validates_expanded_and_runs() {
    let dir = tempfile::tempdir().unwrap();
    let quotes =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("plugins/quotes-python/quotes.py");
    let pipeline = json!({"name": "news-with-quotes", "extends": "default", "stages": [
        {"stage": "summarize", "with": {"sentences": 1}},
        {"stage": "quotes", "command": ["python3", quotes], "after": "entities"},
        {"stage": "language", "remove": true}]});
    let path = support::write(dir.path(), "news.json", pipeline.to_string().as_bytes());

    let output = textpipe().args(["validate", &path]).output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let kinds: Vec<&str> = stdout
        .lines()
        .skip(1)
        .filter_map(|line| line.split_whitespace().next())
        .collect();
    assert_eq!(
        kinds,
        [
            "boilerplate",
            "sentences",
            "entities",
            "quotes",
            "summarize"
        ]
    );
    assert!(
        stdout.contains(r#"summarize      with {"sentences":1}"#),
        "{stdout}"
    );

    let stdout = support::run_ok(&[
        "run",
        "--quiet",
        "--pipeline",
        &path,
        "examples/news/article.txt",
    ]);
    let doc = &json_lines(&stdout)[0];
    assert_eq!(doc["summary"]["sentences"].as_array().unwrap().len(), 1);
    assert!(doc["ext"]["quotes"].is_array(), "{doc}");
    assert!(
        doc.get("lang").is_none(),
        "the language stage was removed: {doc}"
    );
}

#[test]
fn extending_an_unknown_pipeline_or_stage_is_refused_with_positions() {
    let dir = tempfile::tempdir().unwrap();
    let pipeline = r#"{"extends": "default",
 "stages": [{"stage": "sumarize", "remove": true}]}"#;
    let path = support::write(dir.path(), "bad.json", pipeline.as_bytes());
    let output = textpipe().args(["validate", &path]).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(
            "bad.json:2:23: `stages[0].stage`: the extended pipeline has no stage `sumarize`"
        ),
        "{stderr}"
    );
    assert!(stderr.contains("(did you mean `summarize`?)"), "{stderr}");
}
