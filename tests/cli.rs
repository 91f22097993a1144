//! End-to-end tests of `textpipe run`: every input kind, stdin/stdout, each output format,
//! error records, exit codes and `--fail-fast`; and of what `textpipe train entities
//! --cross-validate` prints.
//!
//! Most tests run the empty pipeline `examples/pipelines/passthrough.json`, so they test the
//! runner and not the stages; one runs the embedded default pipeline on the example article.

use std::io::Write;

use predicates::prelude::*;
use serde_json::Value;

use crate::support::{json_lines, passthrough, run_ok, textpipe, write, PASSTHROUGH};

#[test]
fn the_default_pipeline_cleans_splits_tags_and_summarizes_the_example() {
    let output = textpipe()
        .args(["run", "--quiet", "examples/news/article.txt"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let docs = json_lines(&output);
    assert_eq!(docs.len(), 1);
    let doc = &docs[0];
    assert_eq!(doc["id"], "examples/news/article.txt");
    for layer in ["sentences", "entities", "summary", "removed"] {
        assert!(doc.get(layer).is_some(), "no `{layer}` in {doc}");
    }
    assert_eq!(doc["summary"]["sentences"].as_array().unwrap().len(), 3);
    assert!(doc["text"].as_str().unwrap().contains("Port Ellery"));
}

#[test]
fn text_and_html_files_are_one_document_each_with_the_path_as_id() {
    let dir = tempfile::tempdir().unwrap();
    let text = write(dir.path(), "a.txt", b"Plain text.");
    let html = write(dir.path(), "b.html", b"<p>Some <b>HTML</b>.</p>");
    let htm = write(dir.path(), "c.htm", b"<p>More.</p>");
    let output = passthrough().args([&text, &html, &htm]).assert().success();
    let docs = json_lines(&output.get_output().stdout);
    assert_eq!(docs.len(), 3);
    assert_eq!(
        (docs[0]["id"].as_str(), docs[0]["text"].as_str()),
        (Some(text.as_str()), Some("Plain text."))
    );
    assert_eq!(docs[1]["html"], "<p>Some <b>HTML</b>.</p>");
    assert_eq!(docs[1]["meta"]["format"], "html");
    assert_eq!(docs[2]["id"], htm.as_str());
}

#[test]
fn folders_are_walked_recursively_in_sorted_order() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "b/2.txt", b"two");
    write(dir.path(), "b/1.html", b"<p>one</p>");
    write(dir.path(), "a.txt", b"zero");
    write(dir.path(), "notes.bin", b"\x00\x01");
    write(dir.path(), ".hidden.txt", b"hidden");
    let output = passthrough().arg(dir.path()).assert().success();
    let ids: Vec<String> = json_lines(&output.get_output().stdout)
        .iter()
        .map(|d| d["id"].as_str().unwrap().to_string())
        .collect();
    let root = dir.path().display().to_string();
    assert_eq!(
        ids,
        [
            format!("{root}/a.txt"),
            format!("{root}/b/1.html"),
            format!("{root}/b/2.txt")
        ]
    );
}

#[test]
fn jsonl_and_gzipped_jsonl_keep_ids_order_and_extra_fields() {
    let dir = tempfile::tempdir().unwrap();
    let lines =
        "{\"id\":\"x1\",\"text\":\"One.\",\"lang\":\"en\",\"source\":\"wire\"}\n{\"id\":2,\"html\":\"<p>Two.</p>\"}\n";
    let plain = write(dir.path(), "c.jsonl", lines.as_bytes());
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(b"{\"id\":\"z\",\"text\":\"Zipped.\"}\n")
        .unwrap();
    let zipped = write(dir.path(), "d.jsonl.gz", &gz.finish().unwrap());
    let output = passthrough().args([&plain, &zipped]).assert().success();
    let docs = json_lines(&output.get_output().stdout);
    let ids: Vec<&str> = docs.iter().map(|d| d["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["x1", "2", "z"]);
    assert_eq!(docs[0]["lang"], "en");
    assert_eq!(docs[0]["meta"]["source"], "wire");
    assert_eq!(docs[1]["html"], "<p>Two.</p>");
}

#[test]
fn stdin_to_stdout_is_a_streaming_filter() {
    let output = passthrough()
        .arg("-")
        .write_stdin("{\"id\":\"s1\",\"text\":\"From stdin.\"}\n")
        .assert()
        .success();
    let docs = json_lines(&output.get_output().stdout);
    assert_eq!(docs[0]["id"], "s1");
    // Without inputs stdin is read too, and plain text is sniffed as one document.
    let output = passthrough().write_stdin("Just text.").assert().success();
    let docs = json_lines(&output.get_output().stdout);
    assert_eq!(
        (docs[0]["id"].as_str(), docs[0]["text"].as_str()),
        (Some("-"), Some("Just text."))
    );
}

#[test]
fn input_format_overrides_detection() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        "corpus.txt",
        b"{\"id\":\"j\",\"text\":\"Really JSONL.\"}\n",
    );
    let output = passthrough()
        .args(["--input-format", "jsonl", &path])
        .assert()
        .success();
    assert_eq!(json_lines(&output.get_output().stdout)[0]["id"], "j");
}

#[test]
fn output_goes_to_a_file_in_the_text_format() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.txt");
    passthrough()
        .args(["--format", "text", "--output"])
        .arg(&out)
        .write_stdin("Hello there.")
        .assert()
        .success()
        .stdout("");
    let written = std::fs::read_to_string(out).unwrap();
    assert_eq!(written, "=== - ===\nHello there.\n\n");
}

#[test]
fn the_text_format_does_not_pass_escape_sequences_to_the_terminal() {
    // A web page can carry terminal escapes: this one would retitle the window and turn the
    // rest of the output red if printed raw.
    let dir = tempfile::tempdir().unwrap();
    let stages = br#"{"name": "t", "stages": [{"stage": "sentences"}, {"stage": "entities"}]}"#;
    let pipeline = write(dir.path(), "p.json", stages);
    let output = textpipe()
        .args(["run", "--format", "text", "--pipeline", &pipeline])
        .write_stdin("Hi \u{1b}]0;owned\u{7} \u{1b}[31mthere. Second sentence here.")
        .assert()
        .success();
    let view = String::from_utf8(output.get_output().stdout.clone()).unwrap();
    assert!(
        !view.contains('\u{1b}') && !view.contains('\u{7}'),
        "{view:?}"
    );
    assert!(view.contains("[1] Hi ␛]0;owned␇ ␛[31mthere."), "{view:?}");
}

#[test]
fn gzipped_output_is_complete() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.jsonl.gz");
    passthrough()
        .arg("--output")
        .arg(&out)
        .write_stdin("Zip me.")
        .assert()
        .success();
    let text = textpipe_testkit::read_maybe_gz(&out).unwrap();
    assert_eq!(text, "{\"id\":\"-\",\"text\":\"Zip me.\"}\n");
}

#[test]
fn malformed_lines_and_invalid_utf8_become_error_records_with_exit_code_2() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = write(
        dir.path(),
        "c.jsonl",
        b"{\"id\":\"a\",\"text\":\"Fine.\"}\n{\"id\": oops}\n{\"id\":\"b\",\"text\":\"bad \xff byte\"}\n{\"id\":\"c\",\"text\":\"Fine.\"}\n",
    );
    let latin1 = write(dir.path(), "latin1.txt", b"caf\xe9");
    let output = passthrough().args([&corpus, &latin1]).assert().code(2);
    let records = json_lines(&output.get_output().stdout);
    assert_eq!(records.len(), 5, "{records:?}");
    assert_eq!(records[0]["id"], "a");
    assert_eq!(records[1]["line"], 2);
    assert_eq!(records[1]["input"], corpus.as_str());
    assert_eq!(records[1]["error"]["stage"], "input");
    assert!(records[1]["error"]["message"]
        .as_str()
        .unwrap()
        .contains("not valid JSON"));
    assert_eq!(records[2]["line"], 3);
    assert!(records[2]["error"]["message"]
        .as_str()
        .unwrap()
        .contains("UTF-8"));
    assert_eq!(records[3]["id"], "c");
    assert_eq!(records[4]["id"], latin1.as_str());
    assert!(records[4]["error"]["message"]
        .as_str()
        .unwrap()
        .contains("UTF-8"));
}

#[test]
fn fail_fast_stops_at_the_first_failure() {
    let input = "{\"id\":\"a\",\"text\":\"A.\"}\nnot json\n{\"id\":\"c\",\"text\":\"C.\"}\n";
    for threads in ["1", "2"] {
        let output = passthrough()
            .args([
                "--fail-fast",
                "--threads",
                threads,
                "--batch-size",
                "1",
                "-",
            ])
            .write_stdin(input)
            .assert()
            .code(2);
        let records = json_lines(&output.get_output().stdout);
        assert_eq!(records.len(), 2, "threads {threads}: {records:?}");
        assert_eq!(records[1]["line"], 2);
    }
}

#[test]
fn runs_that_cannot_start_exit_with_1() {
    passthrough()
        .arg("no/such/input.txt")
        .assert()
        .code(1)
        .stderr(predicate::str::contains("no/such/input.txt"));
    textpipe()
        .args([
            "run",
            "--pipeline",
            "no/such/pipeline.json",
            "examples/news/article.txt",
        ])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("cannot read pipeline file"));
    textpipe()
        .args([
            "run",
            "--pipeline",
            "examples/pipelines/broken.json",
            "examples/news/article.txt",
        ])
        .assert()
        .code(1)
        .stdout("");
}

#[test]
fn the_summary_goes_to_stderr_unless_quiet() {
    textpipe()
        .args(["run", "--pipeline", PASSTHROUGH])
        .write_stdin("Counted.")
        .assert()
        .success()
        .stderr(predicate::str::contains("1 read, 1 written, 0 failed"));
}

#[test]
fn help_documents_the_exit_codes() {
    textpipe()
        .args(["run", "--help"])
        .assert()
        .success()
        .stdout(
            predicate::str::contains("Exit codes")
                .and(predicate::str::contains("2  the run finished")),
        );
}

#[test]
fn stages_lists_every_kind_with_keys_and_an_example() {
    let output = textpipe().arg("stages").assert().success();
    let text = String::from_utf8(output.get_output().stdout.clone()).unwrap();
    for kind in [
        "language",
        "boilerplate",
        "sentences",
        "entities",
        "summarize",
    ] {
        assert!(
            text.contains(&format!("example: {{\"stage\":\"{kind}\"")),
            "{text}"
        );
    }
    let output = textpipe().args(["stages", "--json"]).assert().success();
    let kinds: Value = serde_json::from_slice(&output.get_output().stdout).unwrap();
    let kinds = kinds.as_array().unwrap();
    assert_eq!(kinds.len(), 5);
    // Stages with per-language models say which languages they have.
    let languages = |kind: &str| {
        kinds.iter().find(|k| k["kind"] == kind).unwrap()["languages"]
            .as_array()
            .map(|l| l.len())
    };
    assert!(languages("sentences").unwrap() >= 16);
    assert!(languages("entities").unwrap() >= 12);
    assert_eq!(languages("boilerplate"), None);
}

#[test]
fn bench_prints_a_json_row_per_stage_of_the_default_pipeline() {
    let output = textpipe()
        .args(["bench", "--json", "examples/news/article.txt"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let report: Value = serde_json::from_slice(&output).unwrap();
    assert_eq!(report["documents"], 1);
    let stages: Vec<&str> = report["stages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|row| row["stage"].as_str().unwrap())
        .collect();
    assert_eq!(
        stages,
        [
            "language",
            "boilerplate",
            "sentences",
            "entities",
            "summarize"
        ]
    );
    for row in report["stages"].as_array().unwrap() {
        for key in [
            "docs_per_sec",
            "mb_per_sec",
            "p50_us",
            "p99_us",
            "share_percent",
        ] {
            assert!(row[key].as_f64().unwrap() >= 0.0, "{key} in {row}");
        }
    }
    assert_eq!(report["total"]["stage"], "total");
    assert!(report.get("peak_rss_kib").is_some());
}

/// A small CoNLL file of `documents` documents, each naming a person and a place.
fn tiny_conll(documents: usize) -> String {
    let (people, places) = (["Anna", "Boris", "Clara"], ["Oslo", "Lima", "Kyiv"]);
    let mut text = String::new();
    for n in 0..documents {
        text.push_str("-DOCSTART-\tO\n\n");
        for k in 0..4 {
            let (person, place) = (people[(n + k) % 3], places[(n * 2 + k) % 3]);
            text.push_str(&format!(
                "{person}\tB-PER\nflew\tO\nto\tO\n{place}\tB-LOC\n.\tO\n\n"
            ));
        }
    }
    text
}

#[test]
fn train_entities_cross_validation_prints_f1_in_percent_and_each_files_part() {
    let dir = tempfile::tempdir().unwrap();
    let first = write(dir.path(), "a.conll", tiny_conll(6).as_bytes());
    let second = write(dir.path(), "b.conll", tiny_conll(4).as_bytes());
    let unused = dir.path().join("unused.model").display().to_string();
    let output = run_ok(&[
        "train",
        "entities",
        "--cross-validate",
        "2",
        "--epochs",
        "2",
        "--train",
        &first,
        "--train",
        &second,
        "--out",
        &unused,
    ]);
    let output = String::from_utf8(output).unwrap();
    let scores: Vec<f64> = (output.lines())
        .filter_map(|line| line.rsplit_once("F1 "))
        .map(|(_, f1)| f1.trim().parse().unwrap())
        .collect();
    // Two epochs, the best one, and one part per training file.
    assert_eq!(scores.len(), 5, "{output}");
    assert!(
        scores.iter().all(|f1| (0.0..=100.0).contains(f1)),
        "F1 is a percentage: {output}"
    );
    assert!(output.contains("a.conll: held-out F1"), "{output}");
    assert!(output.contains("b.conll: held-out F1"), "{output}");
}

#[test]
fn train_entities_stores_the_stem_lexicon_when_asked() {
    let dir = tempfile::tempdir().unwrap();
    let train = write(dir.path(), "hr.conll", tiny_conll(4).as_bytes());
    let model = |name: &str, extra: &[&str]| {
        let out = dir.path().join(name).display().to_string();
        let args = [
            "train", "entities", "--epochs", "1", "--train", &train, "--out", &out,
        ];
        run_ok(&[&args[..], extra].concat());
        std::fs::read(&out).unwrap()
    };
    let plain = model("plain.model", &[]);
    let stems = model("stems.model", &["--stem-lexicon"]);
    // The same weights' training data, and a lexicon that also lists the names' stems.
    assert_ne!(
        plain, stems,
        "--stem-lexicon changed nothing in the model file"
    );
}

#[test]
fn train_entities_learns_rewritten_copies_and_names_the_known_rewrites() {
    let dir = tempfile::tempdir().unwrap();
    let portuguese = "-DOCSTART-\tO\n\nMora\tO\nem\tO\na\tO\nCidade\tB-LOC\nde\tI-LOC\no\tI-LOC\nMéxico\tI-LOC\n\n";
    let train = write(dir.path(), "pt.conll", portuguese.repeat(4).as_bytes());
    let model = dir.path().join("pt.model").display().to_string();
    let args = [
        "train", "entities", "--epochs", "1", "--train", &train, "--out", &model,
    ];
    run_ok(&[&args[..], &["--rewrite", "pt-contractions"]].concat());
    assert!(std::path::Path::new(&model).exists());
    let refused = textpipe()
        .args([&args[..], &["--rewrite", "fi"]].concat())
        .assert()
        .code(1);
    let stderr = String::from_utf8_lossy(&refused.get_output().stderr).into_owned();
    assert!(
        stderr.contains(
            "no rewrite `fi` (known: pt-contractions, zh-simplified, de-umlauts, ascii-letters)"
        ),
        "{stderr}"
    );
}
