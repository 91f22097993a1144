//! The output of a run depends on its input only: byte-identical with one thread and with
//! many, with other batch sizes, and from one run to the next. Anything else (a hash map's
//! iteration order, a race between workers, a timestamp) would make results impossible to
//! diff or cache.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use assert_cmd::Command;

/// A corpus that exercises every stage and the reorder buffer: news-like pages as HTML and as
/// text, of varied length (so batches close at different documents), plus the hostile
/// fixtures, whose error records must keep their places too.
fn write_corpus(dir: &Path) -> Vec<PathBuf> {
    let names = [
        "Ana Ruiz",
        "Harbor Point",
        "the Port Authority",
        "Lena Okafor",
        "Brussels",
    ];
    let mut jsonl = String::new();
    for i in 0..240usize {
        let mut text = String::new();
        for s in 0..(1 + (i * 7) % 23) {
            let name = names[(i + s) % names.len()];
            let _ = write!(
                text,
                "On day {s} {name} said the plan for sector {} would cost {} million. ",
                i % 17,
                (i * s) % 97
            );
            if s % 5 == 4 {
                text.push_str("\n\n");
            }
        }
        let line = if i % 3 == 0 {
            let html = format!(
                "<html><head><title>Story {i}</title></head><body><nav>Home | News</nav>\
                 <article><p>{}</p></article><footer>Subscribe now</footer></body></html>",
                text.replace("\n\n", "</p><p>")
            );
            serde_json::json!({"id": format!("doc-{i}"), "html": html})
        } else {
            serde_json::json!({"id": format!("doc-{i}"), "text": text})
        };
        jsonl.push_str(&line.to_string());
        jsonl.push('\n');
    }
    let corpus = dir.join("corpus.jsonl");
    std::fs::write(&corpus, jsonl).unwrap();
    vec![
        PathBuf::from("examples/news/article.txt"),
        corpus,
        PathBuf::from("tests/adversarial"),
    ]
}

fn run(inputs: &[PathBuf], extra: &[&str]) -> Vec<u8> {
    let output = Command::cargo_bin("textpipe")
        .unwrap()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["run", "--quiet"])
        .args(extra)
        .args(inputs)
        .output()
        .unwrap();
    assert!(
        matches!(output.status.code(), Some(0 | 2)),
        "{extra:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    output.stdout
}

#[test]
fn output_is_byte_identical_across_threads_batches_and_runs() {
    let dir = tempfile::tempdir().unwrap();
    let inputs = write_corpus(dir.path());
    let one_thread = run(&inputs, &["--threads", "1"]);
    let lines = one_thread.iter().filter(|&&b| b == b'\n').count();
    assert!(
        lines > 250,
        "the corpus should give over 250 records, got {lines}"
    );
    for extra in [
        &["--threads", "4"][..],
        &["--threads", "3", "--batch-size", "7"],
        &["--threads", "4"],
        &["--threads", "1", "--batch-size", "1"],
    ] {
        let other = run(&inputs, extra);
        if other != one_thread {
            let first_diff = one_thread
                .split(|&b| b == b'\n')
                .zip(other.split(|&b| b == b'\n'))
                .position(|(a, b)| a != b);
            panic!("output with {extra:?} differs from one thread, first at line {first_diff:?}");
        }
    }
}
