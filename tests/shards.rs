//! Sharded, resumable runs (`textpipe run --output-dir DIR --shard I/N`): shards cover the
//! input exactly once, a rerun skips complete shards, and a run killed mid-shard leaves no
//! shard marked complete, so its rerun gives the output of an uninterrupted run.
//!
//! The runs use the empty pipeline, so these test the sharding and not the stages.

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command as Process, Stdio};

use assert_cmd::Command;
use serde_json::Value;

use crate::support::{textpipe, PASSTHROUGH};

/// `textpipe run` arguments for the passthrough pipeline reading JSON Lines (stdin with `-`).
const PASSTHROUGH_FROM_STDIN: [&str; 6] = [
    "run",
    "--quiet",
    "--pipeline",
    PASSTHROUGH,
    "--input-format",
    "jsonl",
];

fn shard_run(dir: &Path, shard: &str, inputs: &[String]) -> Command {
    let mut cmd = textpipe();
    cmd.args(["run", "--quiet", "--pipeline", PASSTHROUGH, "--output-dir"])
        .arg(dir)
        .args(["--shard", shard])
        .args(inputs);
    cmd
}

/// A JSON Lines corpus of `count` documents with multi-byte text, plus a malformed line and a
/// line without an id (both must land in exactly one shard as error record or document).
fn corpus(count: usize) -> String {
    let mut lines = String::new();
    for i in 0..count {
        let doc = serde_json::json!({"id": format!("d{i:04}"), "text": format!("Café {i} – Zoë.")});
        lines.push_str(&format!("{doc}\n"));
    }
    lines.push_str("{not json\n");
    lines.push_str("{\"text\": \"No id here.\"}\n");
    lines
}

/// Every output line of every shard file in `dir`, as (key, line); the key is the id, or
/// `input:line` for an error record without one.
fn shard_lines(dir: &Path) -> Vec<(String, String)> {
    let mut lines = Vec::new();
    let mut names: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == "jsonl"))
        .collect();
    names.sort();
    for path in names {
        for line in std::fs::read_to_string(path).unwrap().lines() {
            let value: Value = serde_json::from_str(line).unwrap();
            let key = match (&value["id"], &value["line"]) {
                (Value::String(id), _) => id.clone(),
                (_, Value::Number(at)) => format!("line {at}"),
                _ => panic!("no id or line: {line}"),
            };
            lines.push((key, line.to_string()));
        }
    }
    lines
}

fn stats(dir: &Path, name: &str) -> Value {
    let path = dir.join("stats").join(format!("{name}.json"));
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

fn assert_each_key_once(lines: &[(String, String)], expected: &[String]) {
    let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
    for (key, _) in lines {
        *seen.entry(key).or_default() += 1;
    }
    let twice: Vec<_> = seen.iter().filter(|(_, &n)| n > 1).collect();
    assert!(twice.is_empty(), "in more than one shard: {twice:?}");
    let keys: Vec<&str> = seen.keys().copied().collect();
    let mut expected: Vec<&str> = expected.iter().map(String::as_str).collect();
    expected.sort();
    assert_eq!(keys, expected);
}

#[test]
fn shards_of_one_corpus_cover_it_exactly_once_by_id() {
    let work = tempfile::tempdir().unwrap();
    let input = work.path().join("corpus.jsonl");
    std::fs::write(&input, corpus(300)).unwrap();
    let inputs = [input.display().to_string()];
    let mut expected: Vec<String> = (0..300).map(|i| format!("d{i:04}")).collect();
    expected.push("line 301".into());
    expected.push(format!("{}:302", input.display()));
    for count in [1, 2, 7] {
        let dir = work.path().join(format!("out-{count}"));
        let mut documents_in = 0;
        for index in 0..count {
            // Exit 2: the malformed line is an error record in one of the shards.
            let assert = shard_run(&dir, &format!("{index}/{count}"), &inputs).assert();
            let code = assert.get_output().status.code();
            assert!(matches!(code, Some(0 | 2)), "{code:?}");
            let name = format!("{index:05}-of-{count:05}");
            assert!(dir.join(format!("{name}.done")).is_file());
            let stats = stats(&dir, &name);
            assert_eq!(stats["partition"], "by-id");
            documents_in += stats["documents_in"].as_u64().unwrap();
        }
        let lines = shard_lines(&dir);
        assert_each_key_once(&lines, &expected);
        assert_eq!(documents_in, 302, "{count} shards");
        if count > 1 {
            // With several shards, no shard is empty on 302 records.
            let files = std::fs::read_dir(&dir).unwrap().count();
            assert!(files >= 2 * count, "{files} files for {count} shards");
        }
    }
}

#[test]
fn shards_of_many_files_cover_them_exactly_once_by_input() {
    let work = tempfile::tempdir().unwrap();
    let folder = work.path().join("pages");
    std::fs::create_dir(&folder).unwrap();
    let mut expected = Vec::new();
    for i in 0..30 {
        let path = folder.join(format!("page-{i:02}.txt"));
        std::fs::write(&path, format!("Page {i}.")).unwrap();
        expected.push(path.display().to_string());
    }
    let inputs = [folder.display().to_string()];
    for count in [1, 2, 7] {
        let dir = work.path().join(format!("out-{count}"));
        for index in 0..count {
            shard_run(&dir, &format!("{index}/{count}"), &inputs)
                .assert()
                .success();
            let stats = stats(&dir, &format!("{index:05}-of-{count:05}"));
            let partition = if count == 1 { "by-id" } else { "by-input" };
            assert_eq!(stats["partition"], partition, "{count} shards");
        }
        assert_each_key_once(&shard_lines(&dir), &expected);
    }
    // By input, shard k of 7 holds files k, k + 7, ...: whole files, in order.
    let shard_three = std::fs::read_to_string(work.path().join("out-7/00003-of-00007.jsonl"));
    let ids: Vec<String> = shard_three
        .unwrap()
        .lines()
        .map(|line| {
            serde_json::from_str::<Value>(line).unwrap()["id"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    let want: Vec<String> = [3, 10, 17, 24]
        .iter()
        .map(|i| {
            folder
                .join(format!("page-{i:02}.txt"))
                .display()
                .to_string()
        })
        .collect();
    assert_eq!(ids, want);
}

#[test]
fn a_rerun_skips_complete_shards() {
    let work = tempfile::tempdir().unwrap();
    let input = work.path().join("corpus.jsonl");
    std::fs::write(&input, corpus(50)).unwrap();
    let inputs = [input.display().to_string()];
    let dir = work.path().join("out");
    let run = |dir: &Path| {
        let mut cmd = textpipe();
        cmd.args(["run", "--pipeline", PASSTHROUGH, "--gzip", "--output-dir"])
            .arg(dir)
            .args(["--shard", "0/2"])
            .args(inputs.iter());
        cmd.assert().get_output().clone()
    };
    let first = run(&dir);
    let output = dir.join("00000-of-00002.jsonl.gz");
    let written = std::fs::read(&output).unwrap();
    let recorded = std::fs::read(dir.join("stats/00000-of-00002.json")).unwrap();
    assert!(!String::from_utf8_lossy(&first.stderr).contains("already complete"));

    // Change the input: a rerun that did run would write different output.
    std::fs::write(&input, corpus(80)).unwrap();
    let second = run(&dir);
    let stderr = String::from_utf8_lossy(&second.stderr);
    assert!(stderr.contains("shard 0/2 is already complete"), "{stderr}");
    assert_eq!(std::fs::read(&output).unwrap(), written);
    assert_eq!(
        std::fs::read(dir.join("stats/00000-of-00002.json")).unwrap(),
        recorded
    );
    // Same exit code as the run that completed the shard.
    assert_eq!(first.status.code(), second.status.code());

    let mut text = String::new();
    flate2::read::GzDecoder::new(&written[..])
        .read_to_string(&mut text)
        .unwrap();
    let stats: Value = serde_json::from_slice(&recorded).unwrap();
    let out =
        stats["documents_out"].as_u64().unwrap() + stats["documents_failed"].as_u64().unwrap();
    assert_eq!(text.lines().count() as u64, out);
    assert_eq!(stats["bytes_out"].as_u64().unwrap(), written.len() as u64);
    assert!(stats["bytes_in"].as_u64().unwrap() > 0);
    assert!(stats["stage_seconds"].is_array());
}

/// Waits for a state the test itself causes; only a hang ends it.
fn wait_until(what: &str, mut done: impl FnMut() -> bool) {
    for _ in 0..6000 {
        if done() {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    panic!("waited two minutes for {what}");
}

#[test]
fn a_run_killed_mid_shard_is_not_complete_and_its_rerun_matches_an_uninterrupted_run() {
    let work = tempfile::tempdir().unwrap();
    // About 8 MB: the shard's half of the first 4 MB passes the 1 MiB output buffer, so output
    // reaches the disk well before the end of the input.
    let mut corpus_text = String::new();
    for i in 0..16000 {
        let text = format!("Paragraph {i} of a long corpus, with ümlauts and ünïcode. ").repeat(8);
        corpus_text
            .push_str(&serde_json::json!({"id": format!("k{i:05}"), "text": text}).to_string());
        corpus_text.push('\n');
    }
    let half = corpus_text.len() / 2;
    let half = corpus_text[..half].rfind('\n').unwrap() + 1;

    // Uninterrupted.
    let clean = work.path().join("clean");
    let mut cmd = textpipe();
    cmd.args(PASSTHROUGH_FROM_STDIN)
        .arg("--output-dir")
        .arg(&clean)
        .args(["--shard", "1/2", "-"])
        .write_stdin(corpus_text.clone())
        .assert()
        .success();

    // Killed: stdin stays open after the first half, so the process is certainly inside the
    // shard when it is killed; the kill waits only for its first output bytes on disk.
    let dir = work.path().join("killed");
    let mut child = Process::new(assert_cmd::cargo::cargo_bin("textpipe"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(PASSTHROUGH_FROM_STDIN)
        .arg("--output-dir")
        .arg(&dir)
        .args(["--shard", "1/2", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(&corpus_text.as_bytes()[..half]).unwrap();
    stdin.flush().unwrap();
    // Temporary files carry the attempt's process id: `.00001-of-00002.jsonl.PID-NANOS.partial`.
    let partials = |dir: &Path| -> Vec<std::path::PathBuf> {
        std::fs::read_dir(dir)
            .into_iter()
            .flatten()
            .flatten()
            .map(|entry| entry.path())
            .filter(|path| {
                let name = path.file_name().unwrap().to_string_lossy();
                name.starts_with(".00001-of-00002.jsonl.") && name.ends_with(".partial")
            })
            .collect()
    };
    wait_until("the shard's first bytes on disk", || {
        partials(&dir)
            .iter()
            .any(|partial| std::fs::metadata(partial).is_ok_and(|m| m.len() > 0))
    });
    child.kill().unwrap();
    child.wait().unwrap();
    drop(stdin);
    assert!(!dir.join("00001-of-00002.done").exists());
    assert!(!dir.join("00001-of-00002.jsonl").exists());
    assert!(!dir.join("stats/00001-of-00002.json").exists());

    // Rerun with the whole input.
    let mut cmd = textpipe();
    cmd.args(PASSTHROUGH_FROM_STDIN)
        .arg("--output-dir")
        .arg(&dir)
        .args(["--shard", "1/2", "-"])
        .write_stdin(corpus_text)
        .assert()
        .success();
    let read = |dir: &Path| std::fs::read(dir.join("00001-of-00002.jsonl")).unwrap();
    let (rerun, uninterrupted) = (read(&dir), read(&clean));
    assert!(!uninterrupted.is_empty());
    assert!(
        rerun == uninterrupted,
        "the rerun's output differs from an uninterrupted run"
    );
    assert!(dir.join("00001-of-00002.done").is_file());
    assert!(
        partials(&dir).is_empty(),
        "the killed run's partial file is still there"
    );
}
