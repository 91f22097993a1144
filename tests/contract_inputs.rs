//! Inputs that used to lose documents or fail a whole run: a byte order mark before the first
//! JSON line, a subfolder that cannot be listed, a broken web archive that named neither
//! the file nor the record.

use std::io::Write;

use crate::support;
use crate::support::{json_lines, passthrough, write};

#[test]
fn a_byte_order_mark_before_the_first_json_line_loses_no_document() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = write(
        dir.path(),
        "bom.jsonl",
        b"\xef\xbb\xbf{\"id\":\"a\",\"text\":\"A.\"}\n{\"id\":\"b\",\"text\":\"B.\"}\n",
    );
    let text = write(dir.path(), "bom.txt", b"\xef\xbb\xbfPlain.");
    let output = passthrough().args([&corpus, &text]).assert().success();
    let docs = json_lines(&output.get_output().stdout);
    let ids: Vec<&str> = docs.iter().map(|d| d["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["a", "b", text.as_str()]);
    assert_eq!(
        docs[2]["text"], "Plain.",
        "the mark is not part of the text"
    );
    // The same on stdin, where the format is sniffed after the mark.
    let output = passthrough()
        .write_stdin(&b"\xef\xbb\xbf{\"id\":\"s\",\"text\":\"S.\"}\n"[..])
        .assert()
        .success();
    assert_eq!(json_lines(&output.get_output().stdout)[0]["id"], "s");
}

/// A subfolder without read permission stopped the whole run before any document; now it is
/// one error record naming the folder, in its sorted place, and the rest of the tree is read.
/// The superuser reads any folder, so as root the run is made as the unprivileged `nobody`
/// (uid 65534), from a copy of the binary that user can reach.
#[cfg(unix)]
#[test]
fn an_unreadable_subfolder_is_an_error_record_and_the_rest_of_the_tree_goes_on() {
    use std::os::unix::fs::PermissionsExt;
    use std::os::unix::process::CommandExt;
    let dir = tempfile::tempdir().unwrap();
    let open = |path: &std::path::Path, mode| {
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap()
    };
    open(dir.path(), 0o755);
    let root = dir.path().join("tree");
    write(&root, "a/one.txt", b"One.");
    write(&root, "b/two.txt", b"Two.");
    write(&root, "c/three.txt", b"Three.");
    let locked = root.join("b");
    open(&locked, 0o000);
    let mut command = if std::fs::read_dir(&locked).is_ok() {
        let binary = dir.path().join("textpipe");
        std::fs::copy(assert_cmd::cargo::cargo_bin("textpipe"), &binary).unwrap();
        open(&binary, 0o755);
        let pipeline = write(
            dir.path(),
            "passthrough.json",
            PASSTHROUGH_PIPELINE.as_bytes(),
        );
        let mut command = std::process::Command::new(binary);
        command
            .args(["run", "--quiet", "--pipeline", &pipeline])
            .uid(65534)
            .gid(65534);
        command
    } else {
        let mut command = std::process::Command::new(assert_cmd::cargo::cargo_bin("textpipe"));
        command.args(["run", "--quiet", "--pipeline", support::PASSTHROUGH]);
        command
    };
    let output = command.arg(&root).output().unwrap();
    open(&locked, 0o755);
    assert_eq!(
        output.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let docs = json_lines(&output.stdout);
    assert_eq!(docs.len(), 3, "{docs:?}");
    assert_eq!(docs[0]["text"], "One.");
    assert_eq!(docs[1]["id"], locked.display().to_string());
    assert!(docs[1]["error"]["message"]
        .as_str()
        .unwrap()
        .contains("cannot list folder"));
    assert_eq!(docs[2]["text"], "Three.");
}

/// The passthrough pipeline, for a run from outside the checkout.
const PASSTHROUGH_PIPELINE: &str = r#"{"name": "passthrough", "stages": []}"#;

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(bytes).unwrap();
    gz.finish().unwrap()
}

/// An error record of a web archive names the file, the record's number and byte offset, and
/// its id when the header was read.
#[test]
fn warc_read_errors_name_the_file_and_the_record() {
    let dir = tempfile::tempdir().unwrap();
    let page = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<p>Hello.</p>";
    let whole = [
        format!(
            "WARC/1.1\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:first>\r\nContent-Length: {}\r\n\r\n",
            page.len()
        )
        .into_bytes(),
        page.to_vec(),
        b"\r\n\r\n".to_vec(),
    ]
    .concat();
    let cut = [
        format!(
            "WARC/1.1\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:cut>\r\nContent-Length: {}\r\n\r\n",
            page.len()
        )
        .into_bytes(),
        page[..20].to_vec(),
    ]
    .concat();
    let truncated = dir.path().join("cut.warc.gz");
    std::fs::write(&truncated, [gzip(&whole), gzip(&cut)].concat()).unwrap();
    let garbage = write(
        dir.path(),
        "garbage.warc",
        &[whole.clone(), b"this is not a header\r\n\r\n".to_vec()].concat(),
    );
    let output = passthrough().arg(&truncated).arg(&garbage).assert().code(2);
    let docs = json_lines(&output.get_output().stdout);
    assert_eq!(docs.len(), 4, "{docs:?}");
    let offset = whole.len();
    // The cut record: its id, its archive, its number and where it starts.
    assert_eq!(docs[1]["id"], "urn:uuid:cut");
    assert_eq!(docs[1]["input"], truncated.display().to_string());
    let message = docs[1]["error"]["message"].as_str().unwrap();
    assert!(
        message.contains(&format!("WARC record 2 at byte {offset}")),
        "{message}"
    );
    // A header that cannot be parsed has no id: the archive and the offset name it.
    assert!(docs[3].get("id").is_none(), "{}", docs[3]);
    assert_eq!(docs[3]["input"], garbage);
    let message = docs[3]["error"]["message"].as_str().unwrap();
    assert!(
        message.contains(&format!("WARC record 2 at byte {offset}")),
        "{message}"
    );
}
