//! End-to-end tests of what a person looks at: `run --format html` and `show`.

use predicates::prelude::*;

use crate::support::textpipe;

#[test]
fn the_html_report_marks_entities_summary_and_removed_blocks_of_the_example() {
    let html = textpipe()
        .args([
            "run",
            "--quiet",
            "--format",
            "html",
            "examples/news/article.txt",
        ])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let html = String::from_utf8(html).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>") || html.starts_with("<!doctype html>"));
    assert!(
        html.contains("Port Ellery"),
        "the article text is in the report"
    );
    assert!(html.contains("LOC"), "entity labels are shown");
    assert!(
        html.contains("cookies"),
        "the removed cookie notice is listed"
    );
    assert!(!html.contains("src=\"http"), "no external assets");
}

#[test]
fn hostile_documents_render_as_text_and_error_records_are_shown() {
    let input = concat!(
        r#"{"id":"x","text":"<script>alert(1)</script> in Paris."}"#,
        "\n",
        "not json\n",
    );
    let html = textpipe()
        .args([
            "run",
            "--quiet",
            "--format",
            "html",
            "--input-format",
            "jsonl",
            "-",
        ])
        .write_stdin(input)
        .assert()
        .code(2)
        .get_output()
        .stdout
        .clone();
    let html = String::from_utf8(html).unwrap();
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(!html.contains("<script>alert(1)"));
    assert!(html.contains("line 2"), "the unreadable line is named");
}

#[test]
fn show_prints_marked_entities_without_colour_when_not_a_terminal() {
    let out = textpipe()
        .args(["run", "--quiet", "examples/news/article.txt"])
        .output()
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let saved = dir.path().join("out.jsonl");
    std::fs::write(&saved, &out.stdout).unwrap();
    textpipe()
        .args(["show", saved.to_str().unwrap()])
        .assert()
        .success()
        .stdout(predicate::str::contains("[Port Ellery](LOC)"))
        .stdout(predicate::str::contains("\u{1b}[").not());
}
