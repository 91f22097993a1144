//! Finished output is never lost: the runner hands each finished batch to the operating system
//! before it waits for more, so a run killed with SIGKILL leaves every document it finished in
//! its output, whole and in input order.

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::PASSTHROUGH;

fn line(i: usize) -> String {
    format!("{{\"id\":\"d{i}\",\"text\":\"Document {i}, ünïcode.\"}}\n")
}

/// Documents arrive on stdin, which stays open: the run cannot end, so whatever reaches the
/// output got there by the runner's flushing, not by the end of the run.
#[test]
fn documents_finished_before_a_kill_are_in_the_output_whole_and_in_order() {
    for (threads, output_file) in [("1", false), ("2", false), ("2", true)] {
        let dir = tempfile::tempdir().unwrap();
        let out_path = dir.path().join("out.jsonl");
        let mut command = Command::new(assert_cmd::cargo::cargo_bin("textpipe"));
        command
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .args([
                "run",
                "--quiet",
                "--pipeline",
                PASSTHROUGH,
                "--batch-size",
                "1",
            ])
            .args(["--threads", threads, "--input-format", "jsonl"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped());
        if output_file {
            command.arg("--output").arg(&out_path);
        }
        let mut child = command.spawn().unwrap();
        let mut stdin = child.stdin.take().unwrap();
        let documents = 40;
        for i in 0..documents {
            stdin.write_all(line(i).as_bytes()).unwrap();
        }
        stdin.flush().unwrap();
        // Wait until the finished documents show up while the input is still open. The last
        // one may wait in the reader for the next line, which never comes.
        let expected = documents - 1;
        let deadline = Instant::now() + Duration::from_secs(30);
        let seen: Vec<String> = if output_file {
            loop {
                let text = std::fs::read_to_string(&out_path).unwrap_or_default();
                if text.lines().count() >= expected || Instant::now() > deadline {
                    break text.lines().map(String::from).collect();
                }
                std::thread::sleep(Duration::from_millis(20));
            }
        } else {
            // Read on a thread, so a run that never flushes fails the test instead of hanging it.
            let stdout = BufReader::new(child.stdout.take().unwrap());
            let (lines, received) = std::sync::mpsc::channel();
            std::thread::spawn(move || {
                for text in stdout.lines() {
                    if lines.send(text.unwrap()).is_err() {
                        break;
                    }
                }
            });
            let mut seen = Vec::new();
            while seen.len() < expected {
                let left = deadline.saturating_duration_since(Instant::now());
                match received.recv_timeout(left) {
                    Ok(text) => seen.push(text),
                    Err(_) => break,
                }
            }
            seen
        };
        child.kill().unwrap(); // SIGKILL: no chance to flush anything on the way out
        child.wait().unwrap();
        assert!(
            seen.len() >= expected,
            "threads {threads}, file {output_file}: only {} of {expected} finished documents \
             reached the output before the kill",
            seen.len()
        );
        let mut after_kill = seen.clone();
        if output_file {
            after_kill = std::fs::read_to_string(&out_path)
                .unwrap()
                .lines()
                .map(String::from)
                .collect();
        }
        for (i, text) in after_kill.iter().enumerate() {
            let doc: serde_json::Value = serde_json::from_str(text).unwrap();
            assert_eq!(doc["id"], format!("d{i}"), "in input order");
        }
    }
}
