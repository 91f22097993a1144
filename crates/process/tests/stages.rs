//! Process stages end to end through `PipelineFile` and `StageLoader`: real Python programs
//! written with the SDK (`sdk/python`), crashing, hanging and lying in every way the host
//! must survive.

use std::path::{Path, PathBuf};

use serde_json::{json, Value};
use textpipe_core::{Document, Outcome, Pipeline, PipelineFile, PipelineFormat, Registry};
use textpipe_process::StageLoader;
use textpipe_testkit::have_program;

/// The checkout's root, where `sdk/python` and `plugins/` are.
fn checkout() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// A pipeline of the given entries, with the file in `dir`.
fn pipeline(dir: &Path, stages: Value) -> Result<Pipeline, String> {
    let text = json!({"name": "test", "stages": stages}).to_string();
    let file = PipelineFile::parse(&text, PipelineFormat::Json, "test.json", dir)
        .map_err(|e| e.to_string())?;
    file.build(&Registry::new(), Some(&StageLoader), &[])
        .map_err(|e| e.to_string())
}

/// Writes a Python stage using the SDK into `dir` and returns its file name.
fn python_stage(dir: &Path, body: &str) -> String {
    let sdk = checkout().join("sdk/python");
    let program = format!(
        "import os, sys, signal\nsys.path.insert(0, {sdk:?})\nfrom textpipe_stage import Stage, run\n{body}\n",
        sdk = sdk.display().to_string()
    );
    std::fs::write(dir.join("stage.py"), program).unwrap();
    "stage.py".into()
}

fn run(pipeline: &Pipeline, docs: Vec<Document>) -> Vec<Outcome> {
    let mut outcomes: Vec<Outcome> = docs.into_iter().map(Outcome::from).collect();
    let mut counters = pipeline.new_counters();
    for batch in outcomes.chunks_mut(64) {
        pipeline.process_batch(batch, &mut counters);
    }
    outcomes
}

fn failure(outcome: &Outcome) -> Option<&str> {
    match outcome {
        Outcome::Failed(record) => Some(&record.message),
        Outcome::Done(_) => None,
    }
}

const MISBEHAVING: &str = r#"
class Misbehaving(Stage):
    name = "misbehaving"
    def process(self, doc):
        if "RAISE" in doc.text: raise ValueError("no thanks")
        if "ABORT" in doc.text: os.abort()
        if "KILL" in doc.text: os.kill(os.getpid(), signal.SIGKILL)
        if "LOOP" in doc.text:
            while True: pass
        if "GARBAGE" in doc.text:
            sys.__stdout__.write("this is not json\n"); sys.__stdout__.flush()
        doc.ext["misbehaving"] = len(doc.text)
if __name__ == "__main__":
    run(Misbehaving)
"#;

#[test]
fn only_the_documents_that_crash_hang_or_fail_a_stage_fail() {
    if !have_program("python3") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let program = python_stage(dir.path(), MISBEHAVING);
    let stages = json!([{"stage": "misbehaving", "command": ["python3", program], "timeout": 1}]);
    let pipeline = pipeline(dir.path(), stages).unwrap();
    let triggers = [
        (7, "RAISE"),
        (70, "ABORT"),
        (71, "KILL"),
        (150, "LOOP"),
        (199, "GARBAGE"),
    ];
    let docs: Vec<Document> = (0..200)
        .map(|i| {
            let word = triggers.iter().find(|t| t.0 == i).map_or("plain", |t| t.1);
            Document::new(i.to_string(), format!("Dokument {i} – {word} ünïcode."))
        })
        .collect();
    let outcomes = run(&pipeline, docs);
    let expected = [
        (7, "ValueError: no thanks"),
        (70, "signal 6 (SIGABRT)"),
        (71, "signal 9 (SIGKILL)"),
        (150, "timed out: no answer within 1 s"),
        (199, "not an answer"),
    ];
    for (i, outcome) in outcomes.iter().enumerate() {
        match expected.iter().find(|e| e.0 == i) {
            Some((_, cause)) => {
                let message = failure(outcome).unwrap_or_else(|| panic!("document {i} passed"));
                assert!(message.contains(cause), "document {i}: {message}");
                assert!(message.contains("misbehaving"), "{message}");
            }
            None => {
                let doc = outcome
                    .document()
                    .unwrap_or_else(|| panic!("{i}: {outcome:?}"));
                assert_eq!(doc.ext["misbehaving"], json!(doc.text.chars().count()));
            }
        }
    }
}

#[test]
fn a_stage_that_keeps_crashing_stops_and_fails_the_rest_at_once() {
    if !have_program("python3") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let program = python_stage(dir.path(), MISBEHAVING);
    let stages =
        json!([{"stage": "misbehaving", "command": ["python3", program], "max_restarts": 2}]);
    let pipeline = pipeline(dir.path(), stages).unwrap();
    let docs = (0..100)
        .map(|i| Document::new(i.to_string(), "ABORT"))
        .collect();
    let outcomes = run(&pipeline, docs);
    let messages: Vec<&str> = outcomes.iter().filter_map(failure).collect();
    assert_eq!(messages.len(), 100);
    assert!(
        messages[2].contains("SIGABRT") && messages[2].contains("failure 3"),
        "{}",
        messages[2]
    );
    assert!(
        messages[3].contains("not run: the stage stopped"),
        "{}",
        messages[3]
    );
}

#[test]
fn the_quotes_example_finds_quotes_on_byte_offsets_with_speakers() {
    if !have_program("python3") {
        return;
    }
    let example = checkout().join("plugins/quotes-python");
    let stages = json!([{"stage": "quotes", "command": ["python3", "quotes.py"]}]);
    let pipeline = pipeline(&example, stages).unwrap();
    let text = "„Wir bauen die Mauer“, sagte Anna. Tom said: \"Soon.\"";
    let mut doc = Document::new("q", text);
    doc.sentences = Some(vec![textpipe_core::span::Span::new(0, 38)]);
    doc.entities = Some(vec![textpipe_core::Entity::new(
        text,
        textpipe_core::span::Span::new(33, 37),
        "PER",
    )]);
    let outcome = pipeline.process(doc);
    let doc = outcome.document().unwrap();
    let quotes = doc.ext["quotes"].as_array().unwrap();
    assert_eq!(quotes.len(), 1, "{quotes:?}");
    let (start, end) = (
        quotes[0]["start"].as_u64().unwrap(),
        quotes[0]["end"].as_u64().unwrap(),
    );
    assert_eq!(&text[start as usize..end as usize], "„Wir bauen die Mauer“");
    assert_eq!(quotes[0]["speaker"], "Anna");
}

#[test]
fn config_problems_come_back_with_the_key_and_a_suggestion() {
    if !have_program("python3") {
        return;
    }
    let example = checkout().join("plugins/quotes-python");
    let stages =
        json!([{"stage": "quotes", "command": ["python3", "quotes.py"], "with": {"min_word": 2}}]);
    let error = pipeline(&example, stages).err().unwrap();
    assert!(
        error.contains("`stages[0].with.min_word`: unknown key"),
        "{error}"
    );
    assert!(error.contains("did you mean `min_words`?"), "{error}");
    let stages = json!([{"stage": "quote", "command": ["python3", "quotes.py"]}]);
    let error = pipeline(&example, stages).err().unwrap();
    assert!(
        error.contains("serves the stage `quotes`, but the entry names `quote`"),
        "{error}"
    );
}

#[test]
fn a_stage_may_not_change_layers_it_does_not_declare_or_break_spans() {
    if !have_program("python3") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    // Written without the SDK, to send byte offsets that cut a character in two.
    let program = r#"
import json, sys
print(json.dumps({"textpipe_process": 1, "stage": "liar", "provides": ["entities"]}), flush=True)
sys.stdin.readline(); print('{"ready": true}', flush=True)
for line in sys.stdin:
    doc = json.loads(line)
    if doc["id"] == "sentences":
        patch = {"sentences": [{"start": 0, "end": 1}]}
    elif doc["id"] == "split":
        patch = {"entities": [{"start": 0, "end": 1, "label": "X", "text": "?"}]}
    else:
        patch = {"entities": [{"start": 0, "end": 2, "label": "X", "text": "é"}]}
    print(json.dumps({"patch": patch}), flush=True)
"#;
    std::fs::write(dir.path().join("liar.py"), program).unwrap();
    let stages = json!([{"stage": "liar", "command": ["python3", "liar.py"]}]);
    let pipeline = pipeline(dir.path(), stages).unwrap();
    let docs = ["sentences", "split", "fine"]
        .iter()
        .map(|id| Document::new(*id, "été"))
        .collect();
    let outcomes = run(&pipeline, docs);
    assert!(failure(&outcomes[0])
        .unwrap()
        .contains("changed `sentences` but does not declare"));
    assert!(failure(&outcomes[1]).unwrap().contains("broken span"));
    assert_eq!(
        outcomes[2]
            .document()
            .unwrap()
            .entities
            .as_ref()
            .unwrap()
            .len(),
        1
    );
}

#[test]
fn a_program_that_is_not_a_stage_is_refused_at_load() {
    let dir = tempfile::tempdir().unwrap();
    let stages = json!([{"stage": "x", "command": ["echo", "hello"]}]);
    let error = pipeline(dir.path(), stages).err().unwrap();
    assert!(error.contains("`stages[0].command`"), "{error}");
    assert!(
        error.contains("does not speak the textpipe process protocol"),
        "{error}"
    );
    let stages = json!([{"stage": "x", "command": ["./no-such-program"]}]);
    let error = pipeline(dir.path(), stages).err().unwrap();
    assert!(error.contains("cannot start"), "{error}");
}

const GERMAN: &str = r#"
class German(Stage):
    name = "german"
    languages = ("de",)
    def process(self, doc):
        doc.ext["german"] = doc.lang
if __name__ == "__main__":
    run(German)
"#;

#[test]
fn a_stage_is_never_sent_a_language_it_has_no_model_for() {
    if !have_program("python3") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let program = python_stage(dir.path(), GERMAN);
    let docs = || {
        ["de", "de-AT", "fi"]
            .iter()
            .map(|lang| {
                let mut doc = Document::new(*lang, "Text.");
                doc.lang = Some(lang.to_string());
                doc
            })
            .collect::<Vec<_>>()
    };
    let run_with = |fallback: &str| {
        let stages = json!([{"stage": "german", "command": ["python3", &program],
                             "with": {"fallback": fallback}}]);
        run(&pipeline(dir.path(), stages).unwrap(), docs())
    };

    let skipped = run_with("skip");
    assert_eq!(skipped[0].document().unwrap().ext["german"], "de");
    assert_eq!(skipped[1].document().unwrap().ext["german"], "de-AT");
    let finnish = skipped[2].document().unwrap();
    assert!(
        !finnish.ext.contains_key("german"),
        "no layer for fi: {finnish:?}"
    );
    assert_eq!(finnish.skipped[0].reason, "no model for lang=fi");

    let english = run_with("english");
    let finnish = english[2].document().unwrap();
    assert_eq!(finnish.ext["german"], "en", "sent as English");
    assert_eq!(finnish.lang.as_deref(), Some("fi"), "its own lang is kept");

    let failed = run_with("error");
    assert!(failure(&failed[2]).is_some());
    assert!(failed[0].document().is_some());
}
