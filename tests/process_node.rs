//! A stage written in JavaScript without any SDK (`plugins/urls-node`), through the binary on
//! two workers: the protocol is language-neutral, and its byte offsets are right after
//! multi-byte text.

use serde_json::json;

use crate::support;
use crate::support::{json_lines, textpipe};

#[test]
fn the_node_stage_finds_links_on_byte_offsets_on_two_workers() {
    if !textpipe_testkit::have_program("node") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let corpus: String = (0..500)
        .map(|i| {
            let text = format!(
                "Größe {i}: siehe https://example.org/{i} oder schreib an redaktion{i}@example.de."
            );
            json!({"id": i.to_string(), "text": text}).to_string() + "\n"
        })
        .collect();
    let input = support::write(dir.path(), "docs.jsonl", corpus.as_bytes());
    let output = textpipe()
        .args([
            "run",
            "--quiet",
            "--threads",
            "2",
            "--batch-size",
            "16",
            "--pipeline",
            "plugins/urls-node/pipeline.json",
            &input,
        ])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let lines = json_lines(&output.stdout);
    assert_eq!(lines.len(), 500);
    for (i, line) in lines.iter().enumerate() {
        let text = line["text"].as_str().unwrap();
        let found: Vec<&str> = line["ext"]["urls"]
            .as_array()
            .unwrap()
            .iter()
            .map(|u| {
                &text[u["start"].as_u64().unwrap() as usize..u["end"].as_u64().unwrap() as usize]
            })
            .collect();
        assert_eq!(
            found,
            [
                format!("https://example.org/{i}"),
                format!("redaktion{i}@example.de")
            ]
        );
    }
}

#[test]
fn the_node_stage_works_as_a_streaming_filter_on_plain_text_stdin() {
    if std::process::Command::new("node")
        .arg("--version")
        .output()
        .is_err()
    {
        eprintln!("skipping: node is not installed");
        return;
    }
    let output = textpipe()
        .args([
            "run",
            "--quiet",
            "--pipeline",
            "plugins/urls-node/pipeline.json",
        ])
        .write_stdin("Schreiben Sie an leserbriefe@example.ch oder besuchen Sie www.example.ch.")
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let doc = &json_lines(&output.stdout)[0];
    let kinds: Vec<&str> = doc["ext"]["urls"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["email", "link"]);
}
