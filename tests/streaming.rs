//! The streaming filter contract that lets Spark `RDD.pipe`, Hadoop Streaming and GNU parallel
//! drive textpipe unchanged: JSON Lines on stdin, JSON Lines on stdout, logs only on stderr,
//! one output line per (non-blank) input line in input order, and an error record in the place
//! of every line that fails, never a dropped line. Runs the embedded default pipeline.

use serde_json::Value;

use crate::support::textpipe;

/// Good documents (text, HTML, multi-byte) mixed with every kind of poison line.
fn input() -> (Vec<u8>, Vec<Option<&'static str>>) {
    let lines: Vec<(Option<&str>, Vec<u8>)> = vec![
        (
            Some("t1"),
            br#"{"id":"t1","text":"Residents of Kessby voted on Tuesday. The council will meet again in May."}"#.to_vec(),
        ),
        (
            Some("h1"),
            br#"{"id":"h1","html":"<html><body><article><p>Maren Ekholm opened the new ferry route to Arnhavn on Monday. Passengers praised it.</p></article></body></html>"}"#.to_vec(),
        ),
        (None, b"{not json at all".to_vec()),
        (
            Some("m1"),
            "{\"id\":\"m1\",\"text\":\"Zoë Åkerlund besökte Café Nordlys i Halden. 東京でも話題になった。\"}".as_bytes().to_vec(),
        ),
        (Some("bad-type"), br#"{"id":"bad-type","text":42}"#.to_vec()),
        (Some("bad-utf8"), b"{\"id\":\"bad-utf8\",\"text\":\"caf\xe9\"}".to_vec()),
        (
            Some("bad-spans"),
            br#"{"id":"bad-spans","text":"ab","sentences":[{"start":0,"end":9}]}"#.to_vec(),
        ),
        (Some("huge"), format!("{{\"id\":\"huge\",\"text\":\"{}\"}}", "x ".repeat(5000)).into_bytes()),
        (Some("empty"), br#"{"id":"empty","text":""}"#.to_vec()),
        (
            Some("t2"),
            br#"{"id":"t2","text":"Tomas Varga said the bridge would reopen. Nobody believed him."}"#.to_vec(),
        ),
    ];
    let mut bytes = Vec::new();
    for (_, line) in &lines {
        bytes.extend_from_slice(line);
        bytes.push(b'\n');
    }
    (bytes, lines.into_iter().map(|(id, _)| id).collect())
}

fn filter(threads: &str) -> (Vec<u8>, String, Option<i32>) {
    let (stdin, _) = input();
    let output = textpipe()
        .args([
            "run",
            "--threads",
            threads,
            "--batch-size",
            "3",
            "--max-document-size",
            "8K",
        ])
        .write_stdin(stdin)
        .output()
        .unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    (output.stdout, stderr, output.status.code())
}

#[test]
fn stdin_to_stdout_gives_one_line_per_input_line_in_order_with_error_records() {
    let (_, expected_ids) = input();
    let (stdout, stderr, code) = filter("2");
    assert_eq!(code, Some(2), "some documents failed: exit 2\n{stderr}");
    let text = String::from_utf8(stdout).unwrap();
    let lines: Vec<Value> = text
        .lines()
        .map(|line| serde_json::from_str(line).expect("every stdout line is JSON"))
        .collect();
    assert_eq!(
        lines.len(),
        expected_ids.len(),
        "one output line per input line"
    );
    for (line, expected) in lines.iter().zip(&expected_ids) {
        match expected {
            Some(id) => assert_eq!(line["id"], *id, "{line}"),
            None => assert_eq!(
                (&line["line"], &line["input"]),
                (&Value::from(3), &Value::from("-"))
            ),
        }
    }
    let failed: Vec<&str> = lines
        .iter()
        .filter(|line| line.get("error").is_some())
        .map(|line| line["id"].as_str().unwrap_or("(line)"))
        .collect();
    assert_eq!(
        failed,
        ["(line)", "bad-type", "bad-utf8", "bad-spans", "huge"]
    );
    // m1 mixes Swedish and Japanese: language identification may leave it undetermined, and
    // then the stages skip it (with a note) rather than fail it.
    let mixed = lines.iter().find(|l| l["id"] == "m1").unwrap();
    assert!(mixed.get("error").is_none(), "{mixed}");
    for id in ["t1", "h1", "t2"] {
        let doc = lines.iter().find(|l| l["id"] == id).unwrap();
        assert!(
            doc["sentences"].is_array() && doc["summary"].is_object(),
            "{doc}"
        );
    }
    // The summary is on stderr, and nothing of the data is.
    assert!(stderr.contains("10 read, 5 written, 5 failed"), "{stderr}");
    assert!(!stderr.contains("Kessby"), "{stderr}");
}

#[test]
fn the_filter_output_does_not_depend_on_threads() {
    let (one, _, _) = filter("1");
    let (two, _, _) = filter("2");
    assert!(one == two, "1 and 2 threads wrote different output");
}

#[test]
fn empty_stdin_gives_empty_stdout() {
    let output = textpipe()
        .args(["run", "--quiet"])
        .write_stdin("")
        .assert()
        .success();
    assert!(output.get_output().stdout.is_empty());
}
