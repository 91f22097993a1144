//! Any dataset's columns: a field called like a textpipe layer (`summary` in the BBC summaries)
//! is data, not a layer, unless it has the layer's shape; the user names the text, id and HTML
//! fields; CoNLL files are read as documents; duplicate keys follow one documented rule.

use crate::support::{json_lines, passthrough, run_ok, textpipe, write};

/// The BBC summaries dev file failed on every line (`"summary": "a string"` was read as
/// textpipe's summary layer).
#[test]
fn the_bbc_summaries_dev_file_runs_without_a_failed_line() {
    let Some(path) = textpipe_testkit::shared_file("data/summaries/bbc_dev.jsonl.gz") else {
        return;
    };
    let output = textpipe()
        .args([
            "run",
            "--quiet",
            "--pipeline",
            "examples/pipelines/passthrough.json",
        ])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let docs = json_lines(&output.stdout);
    assert_eq!(docs.len(), 1086);
    for doc in &docs {
        assert!(doc.get("error").is_none(), "{doc}");
        assert!(
            doc["meta"]["summary"].is_string(),
            "kept as data: {}",
            doc["id"]
        );
        assert!(doc.get("summary").is_none());
    }
}

#[test]
fn named_fields_become_the_text_id_and_html() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = write(
        dir.path(),
        "crawl.jsonl",
        br#"{"url": "https://a.example/1", "content": "First page.", "text": "teaser"}
{"url": "https://a.example/2", "raw": "<p>Second page.</p>"}
"#,
    );
    let output = passthrough()
        .args(["--text-field", "content", "--id-field", "url"])
        .args(["--html-field", "raw", &corpus])
        .assert()
        .success();
    let docs = json_lines(&output.get_output().stdout);
    assert_eq!(docs[0]["id"], "https://a.example/1");
    assert_eq!(docs[0]["text"], "First page.");
    assert_eq!(docs[0]["meta"]["text"], "teaser");
    assert_eq!(docs[1]["id"], "https://a.example/2");
    assert_eq!(docs[1]["html"], "<p>Second page.</p>");
}

#[test]
fn duplicate_keys_follow_the_documented_rule_the_last_one_wins() {
    let output = passthrough()
        .write_stdin(r#"{"id": "a", "text": "first", "text": "last"}"#)
        .assert()
        .success();
    let docs = json_lines(&output.get_output().stdout);
    assert_eq!(docs[0]["text"], "last");
}

#[test]
fn conll_files_are_read_as_documents() {
    let dir = tempfile::tempdir().unwrap();
    let gold = write(
        dir.path(),
        "gold.txt",
        b"-DOCSTART- -X- -X- O\n\nEU NNP B-NP B-ORG\nrejects VBZ B-VP O\n\nPeter NNP B-NP B-PER\n\n-DOCSTART- -X- -X- O\n\nBonn NNP B-NP B-LOC\n",
    );
    let output = passthrough()
        .args(["--input-format", "conll", &gold])
        .assert()
        .success();
    let docs = json_lines(&output.get_output().stdout);
    assert_eq!(docs.len(), 2);
    assert_eq!(docs[0]["id"], format!("{gold}:1"));
    assert_eq!(docs[0]["text"], "EU rejects\nPeter");
    assert_eq!(docs[1]["text"], "Bonn");
    assert_eq!(docs[1]["meta"]["format"], "conll");
}

/// What `run --input-format conll` writes from a gold file scores against that file with
/// `eval`: the same text (Chinese without spaces between its words) and ids it can match.
#[test]
fn a_conll_file_run_through_the_entities_stage_scores_against_itself() {
    let dir = tempfile::tempdir().unwrap();
    let gold = write(
        dir.path(),
        "gold.conll",
        "-DOCSTART- O\n\nPeter B-PER\nSmith I-PER\nvisited O\nLondon B-LOC\non O\nMonday O\n. O\n\n\
         -DOCSTART- O\n\n他 O\n昨天 O\n在 O\n北京 B-LOC\n见到 O\n了 O\n王明 B-PER\n。 O\n\n"
            .as_bytes(),
    );
    let pipeline = write(
        dir.path(),
        "pipeline.json",
        br#"{"stages": [{"stage": "language"}, {"stage": "entities"}]}"#,
    );
    let predictions = dir.path().join("predictions.jsonl").display().to_string();
    let run = ["run", "--quiet", "--input-format", "conll", "--pipeline"];
    run_ok(&[&run[..], &[&pipeline, &gold, "-o", &predictions]].concat());
    let docs = json_lines(&std::fs::read(&predictions).unwrap());
    assert_eq!(docs[1]["text"], "他昨天在北京见到了王明。");
    let scores = run_ok(&["eval", "entities", &gold, &predictions, "--json"]);
    let scores: serde_json::Value = serde_json::from_slice(&scores).unwrap();
    assert_eq!(scores["documents"], 2, "{scores}");
    assert_eq!(scores["missing"], 0, "{scores}");
    assert!(scores["f1"].as_f64().unwrap() > 0.0, "{scores}");
}

/// The default pipeline takes a CoNLL file as the corpus text it is: boilerplate removal
/// leaves every line (datelines and headlines too) and the splitter keeps the file's
/// sentences, so the output scores against the file it came from.
#[test]
fn the_default_pipeline_keeps_a_conll_files_text_and_sentences() {
    let dir = tempfile::tempdir().unwrap();
    let gold = write(
        dir.path(),
        "gold.conll",
        "-DOCSTART- O\n\nLONDON B-LOC\n1996-08-30 O\n\nGana O\nel O\nBM. B-ORG\nGRANOLLERS I-ORG\n. O\n\n\
         -DOCSTART- O\n\nPeter B-PER\nSmith I-PER\nvisited O\nLondon B-LOC\n. O\n\n"
            .as_bytes(),
    );
    let predictions = dir.path().join("predictions.jsonl").display().to_string();
    let run = ["run", "--quiet", "--input-format", "conll"];
    run_ok(&[&run[..], &[&gold, "-o", &predictions]].concat());
    let docs = json_lines(&std::fs::read(&predictions).unwrap());
    assert_eq!(
        docs[0]["text"],
        "LONDON 1996-08-30\nGana el BM. GRANOLLERS ."
    );
    assert_eq!(
        docs[0]["sentences"],
        serde_json::json!([{"start": 0, "end": 17}, {"start": 18, "end": 42}])
    );
    assert_eq!(docs[0]["removed"], serde_json::json!([]));
    let scores = run_ok(&["eval", "entities", &gold, &predictions, "--json"]);
    let scores: serde_json::Value = serde_json::from_slice(&scores).unwrap();
    assert_eq!(scores["documents"], 2, "{scores}");
    assert_eq!(scores["missing"], 0, "{scores}");
}

/// A document over `--document-timeout` becomes an error record in its place; the run goes
/// on and ends long before the slow document would have.
#[test]
fn a_document_over_the_time_budget_is_an_error_record_and_the_run_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let big = "Residents of Port Ellery voted on Tuesday. ".repeat(60_000);
    let lines = [
        serde_json::json!({"id": "small-1", "text": "A short note."}),
        serde_json::json!({"id": "big", "text": big}),
        serde_json::json!({"id": "small-2", "text": "Another note."}),
    ]
    .map(|line| line.to_string())
    .join("\n");
    let corpus = write(dir.path(), "corpus.jsonl", lines.as_bytes());
    let output = textpipe()
        .args(["run", "--quiet", "--threads", "2", "--batch-size", "1"])
        .args(["--document-timeout", "50ms", &corpus])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let docs = json_lines(&output.stdout);
    let ids: Vec<&str> = docs.iter().map(|d| d["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["small-1", "big", "small-2"]);
    // The record names the stage the document was stuck in.
    let stage = docs[1]["error"]["stage"].as_str().unwrap();
    assert!(
        [
            "language",
            "boilerplate",
            "sentences",
            "entities",
            "summarize"
        ]
        .contains(&stage),
        "{stage}"
    );
    assert!(
        docs[1]["error"]["message"]
            .as_str()
            .unwrap()
            .contains("0.05 s"),
        "{}",
        docs[1]
    );
}
