//! A Python process stage through the `textpipe` binary: the SDK's stage in a 10,000-document
//! run on two workers, where the documents that make it raise, abort or hang are exactly the
//! error records; the quotes example after the built-in stages on the example article; the
//! stage's own stderr in textpipe's log.

use std::path::Path;
use std::time::Instant;

use serde_json::{json, Value};

use crate::support;
use crate::support::{json_lines, textpipe};

fn have_python() -> bool {
    textpipe_testkit::have_program("python3")
}

const STAGE: &str = r#"
import os, sys
from textpipe_stage import Stage, run

class Lengths(Stage):
    name = "lengths"
    summary = "Characters per sentence, failing on purpose on marked documents"
    requires = ("sentences",)

    def process(self, doc):
        if "RAISE" in doc.text:
            raise RuntimeError("refused a marked document")
        if "ABORT" in doc.text:
            os.abort()
        if "HANG" in doc.text:
            while True:
                pass
        if doc.id == "doc-0":
            print("hello from the stage")
        doc.ext["lengths"] = [s.end - s.start for s in doc.sentences]

if __name__ == "__main__":
    run(Lengths)
"#;

#[test]
fn a_python_stage_in_a_10000_document_run_fails_exactly_its_trigger_documents() {
    if !have_python() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let sdk = Path::new(env!("CARGO_MANIFEST_DIR")).join("sdk/python");
    let program = format!(
        "import sys\nsys.path.insert(0, {:?})\n{STAGE}",
        sdk.display().to_string()
    );
    support::write(dir.path(), "lengths.py", program.as_bytes());
    let triggers = [(17, "RAISE"), (4_321, "ABORT"), (8_765, "HANG")];
    let corpus: String = (0..10_000)
        .map(|i| {
            let marker = triggers.iter().find(|t| t.0 == i).map_or("", |t| t.1);
            let text = format!("Ärger in Zürich {i}. Zweiter Satz {marker} mit „Zitat“.");
            json!({"id": format!("doc-{i}"), "text": text}).to_string() + "\n"
        })
        .collect();
    let input = support::write(dir.path(), "docs.jsonl", corpus.as_bytes());
    let pipeline = json!({"name": "py", "stages": [
        {"stage": "sentences"},
        {"stage": "lengths", "command": ["python3", "lengths.py"], "timeout": 2}]});
    let pipeline_path = support::write(dir.path(), "py.json", pipeline.to_string().as_bytes());

    let started = Instant::now();
    let output = textpipe()
        .args([
            "run",
            "--threads",
            "2",
            "--pipeline",
            &pipeline_path,
            &input,
        ])
        .output()
        .unwrap();
    eprintln!("10,000 documents: {:.2} s", started.elapsed().as_secs_f64());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("] hello from the stage"), "{stderr}");
    let lines = json_lines(&output.stdout);
    assert_eq!(lines.len(), 10_000);
    let expected = [
        (17, "RuntimeError: refused a marked document"),
        (4_321, "killed by signal 6 (SIGABRT)"),
        (8_765, "timed out: no answer within 2 s"),
    ];
    for (i, line) in lines.iter().enumerate() {
        assert_eq!(line["id"], format!("doc-{i}"));
        match expected.iter().find(|e| e.0 == i) {
            Some((_, cause)) => {
                assert_eq!(line["error"]["stage"], "lengths", "{line}");
                let message = line["error"]["message"].as_str().unwrap();
                assert!(message.contains(cause), "document {i}: {message}");
            }
            None => {
                // Character counts of each sentence: the SDK converted the byte spans.
                let text = line["text"].as_str().unwrap();
                let sentences = line["sentences"].as_array().unwrap();
                let counts: Vec<Value> = sentences
                    .iter()
                    .map(|s| {
                        let (start, end) =
                            (s["start"].as_u64().unwrap(), s["end"].as_u64().unwrap());
                        Value::from(text[start as usize..end as usize].chars().count())
                    })
                    .collect();
                assert_eq!(line["ext"]["lengths"], Value::from(counts), "{line}");
            }
        }
    }
}

#[test]
fn the_quotes_example_runs_after_the_built_in_stages() {
    if !have_python() {
        return;
    }
    let output = textpipe()
        .args([
            "run",
            "--quiet",
            "--pipeline",
            "plugins/quotes-python/pipeline.json",
            "examples/news/article.txt",
        ])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let doc = &json_lines(&output.stdout)[0];
    let text = doc["text"].as_str().unwrap();
    let quotes = doc["ext"]["quotes"].as_array().unwrap();
    assert!(!quotes.is_empty(), "{doc}");
    for quote in quotes {
        let (start, end) = (
            quote["start"].as_u64().unwrap() as usize,
            quote["end"].as_u64().unwrap() as usize,
        );
        assert!(
            text[start..end].contains(quote["text"].as_str().unwrap()),
            "{quote}"
        );
    }
    assert!(
        quotes.iter().any(|q| q["speaker"].is_string()),
        "{quotes:?}"
    );
}

#[test]
fn validate_lists_a_process_stage_with_its_layers() {
    if !have_python() {
        return;
    }
    textpipe()
        .args(["validate", "plugins/quotes-python/pipeline.json"])
        .assert()
        .success()
        .stdout(predicates::str::contains("quotes"));
}

/// A stage stuck in a loop does not outlive a textpipe killed with SIGKILL.
#[cfg(target_os = "linux")]
#[test]
fn a_stuck_stage_ends_when_textpipe_is_killed() {
    if !have_python() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let sdk = Path::new(env!("CARGO_MANIFEST_DIR")).join("sdk/python");
    let program = format!(
        "import os, sys\nsys.path.insert(0, {:?})\nfrom textpipe_stage import Stage, run\n\
         class Stuck(Stage):\n    name = 'stuck'\n    def process(self, doc):\n        \
         open('pid', 'w').write(str(os.getpid()))\n        while True:\n            pass\n\
         run(Stuck)\n",
        sdk.display().to_string()
    );
    support::write(dir.path(), "stuck.py", program.as_bytes());
    let pipeline = json!({"stages": [{"stage": "stuck", "command": ["python3", "stuck.py"]}]});
    let pipeline_path = support::write(dir.path(), "stuck.json", pipeline.to_string().as_bytes());
    let mut textpipe = std::process::Command::new(env!("CARGO_BIN_EXE_textpipe"))
        .args([
            "run",
            "--quiet",
            "--batch-size",
            "1",
            "--pipeline",
            &pipeline_path,
        ])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    use std::io::Write;
    let mut stdin = textpipe.stdin.take().unwrap();
    stdin
        .write_all(b"{\"id\": \"a\", \"text\": \"loop\"}\n")
        .unwrap();
    let pid_file = dir.path().join("pid");
    let started = Instant::now();
    while !pid_file.exists() || std::fs::read_to_string(&pid_file).unwrap().is_empty() {
        assert!(started.elapsed().as_secs() < 30, "the stage never started");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let pid = std::fs::read_to_string(&pid_file).unwrap();
    let proc_dir = Path::new("/proc").join(pid.trim());
    assert!(proc_dir.exists());
    textpipe.kill().unwrap();
    textpipe.wait().unwrap();
    let killed = Instant::now();
    // Gone, or a zombie waiting for init to reap it.
    let running = || {
        std::fs::read_to_string(proc_dir.join("stat"))
            .is_ok_and(|stat| !stat.split(") ").nth(1).is_some_and(|s| s.starts_with('Z')))
    };
    while running() {
        assert!(
            killed.elapsed().as_secs() < 5,
            "the stage outlived textpipe"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    drop(stdin);
}
