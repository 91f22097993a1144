//! Web archive input: a small Common Crawl style WARC, gzipped per record, generated here.
//! `response` records with an HTML payload become documents with the record's URL and date in
//! `meta`; requests, metadata and non-HTML responses are skipped.

use std::io::Write;
use std::path::Path;

use crate::support::{json_lines, textpipe, PASSTHROUGH};

/// One WARC record, as its own gzip member (what Common Crawl writes).
fn record(kind: &str, id: &str, url: &str, block: &[u8]) -> Vec<u8> {
    let mut raw = format!(
        "WARC/1.1\r\nWARC-Type: {kind}\r\nWARC-Record-ID: <urn:uuid:{id}>\r\n\
         WARC-Date: 2026-03-0{}T10:00:00Z\r\nWARC-Target-URI: {url}\r\n\
         Content-Type: application/http; msgtype={kind}\r\nContent-Length: {}\r\n\r\n",
        id.len() % 9,
        block.len()
    )
    .into_bytes();
    raw.extend_from_slice(block);
    raw.extend_from_slice(b"\r\n\r\n");
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(&raw).unwrap();
    gz.finish().unwrap()
}

fn response(content_type: &str, body: &[u8]) -> Vec<u8> {
    let mut block = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\r\n",
        body.len()
    )
    .into_bytes();
    block.extend_from_slice(body);
    block
}

const ARTICLE: &str = "<html><head><title>Harbour vote</title></head><body>\
    <nav>Home | News | Sport</nav><article><h1>Kessby votes on the sea wall</h1>\
    <p>Residents of Kessby voted on Tuesday to fund a new sea wall after the winter storms \
    flooded the harbour twice. Maren Ekholm, the council leader, said work would start in May.</p>\
    <p>Engineers expect the project to take two years. Café owners on the quay welcomed the \
    decision — «enfin», said one.</p></article><footer>© 2026 Kessby Post</footer></body></html>";

fn write_archive(dir: &Path) -> String {
    let mut archive = record(
        "warcinfo",
        "0000",
        "",
        b"software: textpipe test\r\nformat: WARC File Format 1.1\r\n",
    );
    archive.extend(record(
        "request",
        "1111",
        "https://kessby.example/news/wall",
        b"GET /news/wall HTTP/1.1\r\nHost: kessby.example\r\n\r\n",
    ));
    archive.extend(record(
        "response",
        "2222",
        "https://kessby.example/news/wall",
        &response("text/html; charset=UTF-8", ARTICLE.as_bytes()),
    ));
    archive.extend(record(
        "metadata",
        "3333",
        "https://kessby.example/news/wall",
        b"fetchTimeMs: 120\r\n",
    ));
    archive.extend(record(
        "response",
        "4444",
        "https://kessby.example/logo.png",
        &response("image/png", b"\x89PNG\r\n\x1a\n\0\0\0"),
    ));
    archive.extend(record(
        "response",
        "55555",
        "https://arnhavn.example/",
        &response(
            "text/html; charset=iso-8859-1",
            b"<html><body><p>Arnhavn caf\xe9 reopens.</p></body></html>",
        ),
    ));
    let path = dir.join("CC-MAIN-test-00000.warc.gz");
    std::fs::write(&path, archive).unwrap();
    path.display().to_string()
}

#[test]
fn html_responses_of_a_gzip_per_record_warc_become_documents() {
    let dir = tempfile::tempdir().unwrap();
    let archive = write_archive(dir.path());
    let output = textpipe()
        .args(["run", "--quiet", "--pipeline", PASSTHROUGH, &archive])
        .assert()
        .success();
    let docs = json_lines(&output.get_output().stdout);
    let ids: Vec<&str> = docs.iter().map(|d| d["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["urn:uuid:2222", "urn:uuid:55555"]);
    let first = &docs[0];
    assert_eq!(first["meta"]["url"], "https://kessby.example/news/wall");
    assert_eq!(first["meta"]["date"], "2026-03-04T10:00:00Z");
    assert_eq!(first["meta"]["status"], 200);
    assert_eq!(first["meta"]["format"], "html");
    assert_eq!(first["html"], ARTICLE);
    assert_eq!(
        docs[1]["html"],
        "<html><body><p>Arnhavn café reopens.</p></body></html>"
    );
}

#[test]
fn the_default_pipeline_runs_on_a_warc_page() {
    let dir = tempfile::tempdir().unwrap();
    let archive = write_archive(dir.path());
    let output = textpipe()
        .args(["run", "--quiet", &archive])
        .assert()
        .success();
    let docs = json_lines(&output.get_output().stdout);
    let text = docs[0]["text"].as_str().unwrap();
    assert!(text.contains("Residents of Kessby voted"), "{text}");
    assert!(docs[0]["summary"].is_object());
    assert_eq!(docs[0]["meta"]["url"], "https://kessby.example/news/wall");
}

#[test]
fn warc_from_stdin_is_recognised() {
    let dir = tempfile::tempdir().unwrap();
    let archive = std::fs::read(write_archive(dir.path())).unwrap();
    let output = textpipe()
        .args(["run", "--quiet", "--pipeline", PASSTHROUGH])
        .write_stdin(archive)
        .assert()
        .success();
    assert_eq!(json_lines(&output.get_output().stdout).len(), 2);
}

#[test]
fn a_truncated_archive_keeps_its_documents_and_ends_with_an_error_record() {
    let dir = tempfile::tempdir().unwrap();
    let mut archive = std::fs::read(write_archive(dir.path())).unwrap();
    let page = response("text/html", ARTICLE.as_bytes());
    let mut cut = format!(
        "WARC/1.1\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:cut>\r\nContent-Length: {}\r\n\r\n",
        page.len()
    )
    .into_bytes();
    cut.extend_from_slice(&page[..page.len() / 2]);
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(&cut).unwrap();
    archive.extend(gz.finish().unwrap());
    let path = dir.path().join("cut.warc.gz");
    std::fs::write(&path, archive).unwrap();
    let output = textpipe()
        .args(["run", "--quiet", "--pipeline", PASSTHROUGH])
        .arg(&path)
        .assert()
        .code(2);
    let docs = json_lines(&output.get_output().stdout);
    assert_eq!(docs.len(), 3);
    assert_eq!(docs[2]["error"]["stage"], "input");
    assert!(docs[2]["error"]["message"]
        .as_str()
        .unwrap()
        .contains("truncated"));
}
