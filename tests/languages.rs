//! Languages through the default pipeline: each document's language is identified, stages
//! with a model for it annotate it, and stages without one leave their layer out, say so in
//! the document and count it in the run summary.

use crate::support::{json_lines, textpipe};

const LINES: &str = concat!(
    r#"{"id":"en","text":"The city council in Port Ellery voted on Tuesday to build a sea wall. The mayor said work would start in May."}"#,
    "\n",
    r#"{"id":"de","text":"Die Bundesregierung hat am Dienstag in Berlin neue Gespräche mit der Opposition angekündigt. Der Kanzler sagte, die Lage sei ernst."}"#,
    "\n",
    r#"{"id":"ko","text":"서울에서 화요일에 새로운 협상이 시작되었다. 정부는 결과를 기대한다고 밝혔다."}"#,
    "\n",
);

#[test]
fn stages_without_a_model_for_the_language_leave_their_layer_out_and_say_so() {
    let output = textpipe()
        .arg("run")
        .write_stdin(LINES)
        .assert()
        .success()
        .get_output()
        .clone();
    let docs = json_lines(&output.stdout);
    let langs: Vec<&str> = docs.iter().map(|d| d["lang"].as_str().unwrap()).collect();
    assert_eq!(langs, ["en", "de", "ko"]);
    for doc in &docs[..2] {
        assert!(doc["sentences"].as_array().unwrap().len() == 2, "{doc}");
        assert!(doc.get("entities").is_some() && doc.get("summary").is_some());
        assert!(doc.get("skipped").is_none(), "{doc}");
    }
    let korean = &docs[2];
    for layer in ["sentences", "entities", "summary"] {
        assert!(korean.get(layer).is_none(), "{layer} in {korean}");
    }
    let skipped: Vec<&str> = korean["skipped"]
        .as_array()
        .unwrap()
        .iter()
        .map(|note| {
            assert_eq!(note["reason"], "no model for lang=ko");
            note["stage"].as_str().unwrap()
        })
        .collect();
    assert_eq!(skipped, ["sentences", "entities", "summarize"]);
    let summary = String::from_utf8(output.stderr).unwrap();
    assert_eq!(
        summary.matches("1 skipped (no model: ko 1)").count(),
        3,
        "{summary}"
    );
}

#[test]
fn a_declared_language_is_kept_and_the_error_fallback_fails_the_document() {
    let dir = tempfile::tempdir().unwrap();
    let pipeline = dir.path().join("strict.json");
    std::fs::write(
        &pipeline,
        r#"{"name": "strict", "stages": [
            {"stage": "language"},
            {"stage": "sentences", "with": {"fallback": "error"}}
        ]}"#,
    )
    .unwrap();
    let output = textpipe()
        .arg("run")
        .arg("--pipeline")
        .arg(&pipeline)
        .write_stdin(LINES)
        .assert()
        .code(2)
        .get_output()
        .clone();
    let docs = json_lines(&output.stdout);
    assert_eq!(docs[0]["lang"], "en");
    assert_eq!(docs[2]["id"], "ko");
    assert_eq!(docs[2]["error"]["stage"], "sentences");
    assert!(docs[2]["error"]["message"]
        .as_str()
        .unwrap()
        .contains("lang=ko"));
}

/// `--lang` declares the language of documents that name none, and stages pick their models
/// by it; a JSON line's own `lang` still wins. A tag that names no language is refused before
/// the run.
#[test]
fn lang_declares_the_language_of_documents_that_name_none() {
    let dir = tempfile::tempdir().unwrap();
    let pipeline = dir.path().join("entities.json");
    std::fs::write(&pipeline, r#"{"stages": [{"stage": "entities"}]}"#).unwrap();
    let lines = format!(
        "{}\n{}\n",
        serde_json::json!({"id": "plain", "text": "Hansa Rostock spielte in Trier gegen Eintracht."}),
        serde_json::json!({"id": "declared", "lang": "en", "text": "Anna Berg met Tom Reed in Oslo."})
    );
    let run = |lang: &str| {
        let output = textpipe()
            .args(["run", "--quiet", "--lang", lang, "--pipeline"])
            .arg(&pipeline)
            .write_stdin(lines.clone())
            .assert()
            .success();
        json_lines(&output.get_output().stdout)
    };
    let german = run("de");
    assert_eq!(german[0]["lang"], "de", "{}", german[0]);
    assert!(
        !german[0]["entities"].as_array().unwrap().is_empty(),
        "{}",
        german[0]
    );
    assert_eq!(german[1]["lang"], "en", "{}", german[1]);

    // Finnish has no entity model: the declared document is skipped, the English one is not.
    let finnish = run("fi");
    assert_eq!(finnish[0]["lang"], "fi");
    assert!(finnish[0].get("entities").is_none(), "{}", finnish[0]);
    assert_eq!(finnish[0]["skipped"][0]["reason"], "no model for lang=fi");
    assert!(
        !finnish[1]["entities"].as_array().unwrap().is_empty(),
        "{}",
        finnish[1]
    );

    for bad in ["und", "german", "d"] {
        let output = textpipe()
            .args(["run", "--quiet", "--lang", bad])
            .write_stdin(lines.clone())
            .assert()
            .code(1);
        let stderr = String::from_utf8_lossy(&output.get_output().stderr).into_owned();
        assert!(stderr.contains(&format!("`{bad}`")), "{stderr}");
    }
}
