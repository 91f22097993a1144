//! Corpus inputs end to end: glob patterns, zstd and gzip JSON Lines, and the limits that turn
//! an oversized document or a compression bomb into an error record instead of an
//! out-of-memory.

use std::io::Write;

use assert_cmd::Command;
use serde_json::Value;

use crate::support::{json_lines, passthrough};

fn docs(ids: std::ops::Range<usize>) -> String {
    ids.map(|i| format!("{{\"id\":\"d{i}\",\"text\":\"Text {i}.\"}}\n"))
        .collect()
}

/// A zstd frame holding `content` in one raw (stored) block, built by hand from RFC 8878 so
/// the test needs no encoder: magic, a single-segment frame header with a one-byte content
/// size, and a last raw block.
fn zstd_frame(content: &[u8]) -> Vec<u8> {
    assert!(content.len() < 256, "a one-byte content size");
    let mut frame = vec![0x28, 0xb5, 0x2f, 0xfd, 0x20, content.len() as u8];
    let block_header = 1 | (content.len() as u32) << 3;
    frame.extend_from_slice(&block_header.to_le_bytes()[..3]);
    frame.extend_from_slice(content);
    frame
}

#[test]
fn glob_patterns_zstd_and_gzip_corpora_are_read_in_sorted_order() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("a.jsonl.zst"),
        zstd_frame(docs(0..3).as_bytes()),
    )
    .unwrap();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(docs(3..5).as_bytes()).unwrap();
    std::fs::write(dir.path().join("b.jsonl.gz"), gz.finish().unwrap()).unwrap();
    std::fs::write(dir.path().join("c.jsonl"), docs(5..6)).unwrap();
    std::fs::write(dir.path().join("notes.txt"), "Not matched.").unwrap();
    let pattern = dir.path().join("*.jsonl*").display().to_string();
    let output = passthrough().arg(&pattern).assert().success();
    let ids: Vec<String> = json_lines(&output.get_output().stdout)
        .iter()
        .map(|d| d["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(ids, ["d0", "d1", "d2", "d3", "d4", "d5"]);
}

#[test]
fn a_pattern_matching_nothing_stops_the_run_before_it_starts() {
    let dir = tempfile::tempdir().unwrap();
    let pattern = dir.path().join("*.warc.gz").display().to_string();
    let output = passthrough().arg(&pattern).assert().code(1);
    let stderr = String::from_utf8_lossy(&output.get_output().stderr);
    assert!(stderr.contains("matches no file"), "{stderr}");
}

#[test]
fn a_document_over_the_size_limit_is_an_error_record_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let big = "word ".repeat(2000);
    let corpus = format!(
        "{{\"id\":\"small\",\"text\":\"Fine.\"}}\n{{\"id\":\"huge\",\"text\":\"{big}\"}}\n{{\"id\":\"after\",\"text\":\"Fine too.\"}}\n"
    );
    let jsonl = dir.path().join("c.jsonl");
    std::fs::write(&jsonl, corpus).unwrap();
    let text = dir.path().join("big.txt");
    std::fs::write(&text, &big).unwrap();
    let output = passthrough()
        .args(["--max-document-size", "4K"])
        .arg(&jsonl)
        .arg(&text)
        .assert()
        .code(2);
    let docs = json_lines(&output.get_output().stdout);
    assert_eq!(docs.len(), 4);
    assert_eq!(docs[0]["id"], "small");
    assert_eq!(docs[1]["id"], "huge");
    assert_eq!(docs[1]["error"]["stage"], "input");
    let message = docs[1]["error"]["message"].as_str().unwrap();
    assert!(message.contains("--max-document-size"), "{message}");
    assert_eq!(docs[2]["id"], "after");
    assert_eq!(docs[3]["id"], text.display().to_string());
    assert!(docs[3]["error"].is_object());
}

#[test]
fn a_gzip_bomb_stops_with_an_error_record_naming_the_limit() {
    let dir = tempfile::tempdir().unwrap();
    // 64 MiB of newlines and zeros squeezed into about 64 KB.
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    gz.write_all(docs(0..2).as_bytes()).unwrap();
    let block = vec![b'\n'; 1 << 20];
    for _ in 0..64 {
        gz.write_all(&block).unwrap();
    }
    let bomb = dir.path().join("bomb.jsonl.gz");
    std::fs::write(&bomb, gz.finish().unwrap()).unwrap();
    let next = dir.path().join("next.jsonl");
    std::fs::write(&next, docs(2..3)).unwrap();
    let output = passthrough()
        .args(["--max-input-size", "8M"])
        .arg(&bomb)
        .arg(&next)
        .assert()
        .code(2);
    let docs = json_lines(&output.get_output().stdout);
    let ids: Vec<&Value> = docs.iter().map(|d| &d["id"]).collect();
    assert_eq!(
        ids,
        [
            &Value::from("d0"),
            &Value::from("d1"),
            &Value::Null,
            &Value::from("d2")
        ]
    );
    assert_eq!(docs[2]["input"], bomb.display().to_string());
    let message = docs[2]["error"]["message"].as_str().unwrap();
    assert!(message.contains("--max-input-size"), "{message}");
    assert!(message.contains("8 MiB"), "{message}");
}

#[test]
fn help_documents_the_limits_and_shards() {
    let output = Command::cargo_bin("textpipe")
        .unwrap()
        .args(["run", "--help"])
        .assert()
        .success();
    let help = String::from_utf8_lossy(&output.get_output().stdout);
    for needle in [
        "--max-document-size",
        "[default: 64M]",
        "--max-input-size",
        "[default: 32G]",
        "--output-dir",
        "--shard",
        "FNV-1a",
    ] {
        assert!(help.contains(needle), "`{needle}` missing from run --help");
    }
}
