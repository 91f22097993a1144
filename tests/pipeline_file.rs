//! Pipeline files through the binary: `textpipe validate`, every mistake with its line and
//! column, TOML and JSON alike.

use predicates::prelude::*;

use crate::support::textpipe;

#[test]
fn three_distinct_mistakes_are_all_reported_with_line_and_column() {
    let output = textpipe()
        .args(["validate", "examples/pipelines/broken.json"])
        .assert()
        .code(1);
    let stderr = String::from_utf8(output.get_output().stderr.clone()).unwrap();
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 3, "{stderr}");
    assert_eq!(
        lines[0],
        "examples/pipelines/broken.json:5:15: `stages[1].stage`: unknown stage kind `sentence` (did you mean `sentences`?)"
    );
    assert_eq!(
        lines[1],
        "examples/pipelines/broken.json:6:27: `stages[2].wiht`: unknown key; valid keys: stage, with, plugin, sha256, command, isolate, timeout, max_restarts, max_memory (did you mean `with`?)"
    );
    // The summarize stage's own keys are listed between these two parts.
    assert!(
        lines[2].starts_with(
            "examples/pipelines/broken.json:7:37: `stages[3].with.sentencs`: unknown key; valid keys: "
        ),
        "{stderr}"
    );
    assert!(
        lines[2].ends_with("(did you mean `sentences`?)"),
        "{stderr}"
    );
}

#[test]
fn a_valid_file_prints_its_stages() {
    for file in [
        "examples/pipelines/news.json",
        "examples/pipelines/news.toml",
    ] {
        textpipe()
            .args(["validate", file])
            .assert()
            .success()
            .stdout(
                predicate::str::contains("pipeline `news` is valid")
                    .and(predicate::str::contains("summarize"))
                    .and(predicate::str::contains("requires [sentences]")),
            );
    }
}

#[test]
fn a_stage_order_that_cannot_work_is_refused_before_reading() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("backwards.toml");
    std::fs::write(
        &path,
        "[[stages]]\nstage = \"summarize\"\n\n[[stages]]\nstage = \"sentences\"\n",
    )
    .unwrap();
    textpipe()
        .arg("validate")
        .arg(&path)
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "backwards.toml:2:9: `stages[0].stage`: stage 0 (`summarize`) needs `sentences`",
        ));
}

#[test]
fn relative_paths_resolve_against_the_pipeline_file() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("pipelines")).unwrap();
    let path = dir.path().join("pipelines/p.json");
    std::fs::write(
        &path,
        r#"{"stages": [{"stage": "sentences"}, {"stage": "keywords", "plugin": "libmissing.so"}]}"#,
    )
    .unwrap();
    let expected = dir.path().join("pipelines/libmissing.so");
    textpipe()
        .arg("validate")
        .arg(&path)
        .assert()
        .code(1)
        .stderr(predicate::str::contains(expected.display().to_string()));
}
