//! One test per fixed bug found by fuzzing or hostile input, named after the bug, so it can
//! never come back unnoticed. Fuzz crashes are added here with the minimized input inline.

use crate::support::{json_lines, textpipe, write};

/// `textpipe plugin check libc.so.6` with a file of that name in the current folder checked
/// that the file existed, then handed the bare name to the system loader, which searched its
/// own path and loaded the system's C library instead. A plugin must be loaded from the exact
/// file named; here that file is not a library, so loading it must fail as such.
#[test]
fn a_bare_plugin_name_loads_the_named_file_not_one_from_the_search_path() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("libc.so.6"), "not a shared library").unwrap();
    let output = textpipe()
        .current_dir(dir.path())
        .args(["plugin", "check", "libc.so.6"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("cannot load it as a shared library"),
        "the system library was loaded instead of the named file: {stderr}"
    );
}

/// Fuzzing the plugin messages found a number that changed on the way through JSON: serde_json's
/// default float parser may be one unit in the last place off, so a document written and read
/// back (as every plugin call and every chained run does) held 2.2222222222222223e92 where it
/// had held 2.2222222222222225e92. textpipe-core turns on exact float parsing.
#[test]
fn numbers_in_a_document_survive_a_json_round_trip_exactly() {
    use textpipe_core::Document;
    for number in [
        "222222222222222222222222222222222222222222222222222222222222222222222222222222222222222222220",
        "2.2222222222222225e+92",
        "0.30000000000000004",
        "1.7976931348623157e308",
        "5e-324",
    ] {
        let line = format!(r#"{{"id": "a", "text": "x", "ext": {{"k": {number}}}}}"#);
        let read: Document = serde_json::from_str(&line).unwrap();
        let written = serde_json::to_string(&read).unwrap();
        let read_again: Document = serde_json::from_str(&written).unwrap();
        assert_eq!(read_again, read, "{number} changed: {written}");
    }
}

/// Fuzzing the views (`report_views`) found that `textpipe show` escaped a document's text,
/// id and `meta` values but wrote the `meta` keys raw, so a saved output line with an escape
/// sequence in a key could clear or retitle the reader's terminal.
#[test]
fn meta_keys_cannot_send_escape_sequences_to_the_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let saved = write(
        dir.path(),
        "out.jsonl",
        b"{\"id\":\"a\",\"text\":\"Rain.\",\"meta\":{\"k\\u001b]0;owned\\u0007\":1,\"\\u007f\":2}}\n",
    );
    let output = textpipe()
        .args(["show", &saved])
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let view = String::from_utf8(output.stdout).unwrap();
    assert!(output.status.success(), "{view}");
    assert!(view.contains("k␛]0;owned␇: 1"), "{view:?}");
    assert!(
        !view
            .chars()
            .any(|c| c.is_control() && c != '\n' && c != '\t'),
        "{view:?}"
    );
}

/// Tried as a new user would: one plain sentence through the default pipeline came back with
/// an empty text, the sentence removed as boilerplate and said so only in `meta.warnings`.
/// Short clean input must pass through untouched.
#[test]
fn a_short_plain_text_passes_the_default_pipeline_untouched() {
    let output = textpipe()
        .arg("run")
        .write_stdin("Apple hired Tim Cook in Cupertino.")
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let docs = json_lines(&output);
    assert_eq!(docs[0]["text"], "Apple hired Tim Cook in Cupertino.");
    assert_eq!(docs[0]["removed"], serde_json::json!([]));
    assert_eq!(docs[0]["lang"], "en");
    let labels: Vec<&str> = docs[0]["entities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["label"].as_str().unwrap())
        .collect();
    assert_eq!(labels, ["ORG", "PER", "LOC"]);
}
