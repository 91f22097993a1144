//! Retries are safe: two processes running the same shard at once (a retry overlapping the
//! original, Spark's speculative execution) used to write into one temporary file and leave a
//! shard of NUL bytes marked complete. Now one attempt runs at a time and the output and the
//! marker are each whole files of one attempt.

use std::process::{Command, Stdio};

use crate::support::{json_lines, write, PASSTHROUGH};

fn shard_command(inputs: &[String], out: &std::path::Path) -> Command {
    let mut command = Command::new(assert_cmd::cargo::cargo_bin("textpipe"));
    command
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args([
            "run",
            "--quiet",
            "--pipeline",
            PASSTHROUGH,
            "--threads",
            "2",
        ])
        .args(inputs)
        .arg("--output-dir")
        .arg(out)
        .args(["--shard", "1/2"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    command
}

#[test]
fn two_attempts_racing_on_one_shard_leave_one_whole_output_and_a_true_marker() {
    let dir = tempfile::tempdir().unwrap();
    let lines: String = (0..60_000)
        .map(|i| format!("{{\"id\":\"doc-{i}\",\"text\":\"Text number {i}, with ünïcode.\"}}\n"))
        .collect();
    let inputs = vec![write(dir.path(), "corpus.jsonl", lines.as_bytes())];
    // The reference: the same shard run alone.
    let alone = dir.path().join("alone");
    assert!(shard_command(&inputs, &alone).status().unwrap().success());
    let expected = std::fs::read(alone.join("00001-of-00002.jsonl")).unwrap();
    assert!(json_lines(&expected).len() > 20_000);
    for round in 0..3 {
        let out = dir.path().join(format!("race-{round}"));
        let first = shard_command(&inputs, &out).spawn().unwrap();
        let second = shard_command(&inputs, &out).spawn().unwrap();
        for child in [first, second] {
            let output = child.wait_with_output().unwrap();
            let stderr = String::from_utf8_lossy(&output.stderr);
            assert_eq!(output.status.code(), Some(0), "round {round}: {stderr}");
        }
        let written = std::fs::read(out.join("00001-of-00002.jsonl")).unwrap();
        assert!(
            !written.contains(&0),
            "round {round}: NUL bytes in the shard"
        );
        assert_eq!(written, expected, "round {round}");
        let marker: serde_json::Value =
            serde_json::from_slice(&std::fs::read(out.join("00001-of-00002.done")).unwrap())
                .unwrap();
        assert_eq!(marker["bytes_out"], written.len() as u64, "round {round}");
        let leftovers: Vec<String> = walk(&out)
            .into_iter()
            .filter(|name| name.ends_with(".partial"))
            .collect();
        assert!(leftovers.is_empty(), "round {round}: {leftovers:?}");
    }
}

/// An attempt killed mid-shard leaves its temporary file behind; the next attempt removes it
/// and writes the shard whole.
#[cfg(unix)]
#[test]
fn a_killed_attempt_leaves_nothing_the_next_attempt_keeps() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let lines: String = (0..200_000)
        .map(|i| format!("{{\"id\":\"doc-{i}\",\"text\":\"Text {i}.\"}}\n"))
        .collect();
    let inputs = vec![write(dir.path(), "corpus.jsonl", lines.as_bytes())];
    let mut first = shard_command(&inputs, &out).spawn().unwrap();
    // Kill it once it has started writing.
    let started = std::time::Instant::now();
    while !walk(&out).iter().any(|name| name.ends_with(".partial"))
        && started.elapsed().as_secs() < 30
    {
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    first.kill().unwrap();
    first.wait().unwrap();
    assert!(!out.join("00001-of-00002.done").exists());
    let output = shard_command(&inputs, &out).output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    let written = std::fs::read(out.join("00001-of-00002.jsonl")).unwrap();
    let docs = json_lines(&written);
    assert!(docs.len() > 90_000, "{}", docs.len());
    let leftovers: Vec<String> = walk(&out)
        .into_iter()
        .filter(|name| name.ends_with(".partial"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

/// Every file name under `dir`, recursively.
fn walk(dir: &std::path::Path) -> Vec<String> {
    let mut names = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        if entry.path().is_dir() {
            names.extend(walk(&entry.path()));
        } else {
            names.push(entry.file_name().to_string_lossy().into_owned());
        }
    }
    names
}
