//! Web archives (WARC 1.0/1.1, as Common Crawl writes them): each `response` record whose HTTP
//! payload is HTML becomes one document.
//!
//! The document's id is the record's `WARC-Record-ID` (without its angle brackets), its `meta`
//! holds the page's `url` (`WARC-Target-URI`), the crawl `date` (`WARC-Date`), the HTTP
//! `status` and `format: "html"`, and its `html` is the HTTP body decoded to UTF-8 (by the
//! charset the server declared, else windows-1252 when the body is not UTF-8, as browsers do).
//! Other records (`request`, `metadata`, `warcinfo`, responses that are not HTML) are skipped.
//!
//! Header blocks are parsed by the `warc` crate; the record framing is ours because the
//! crate's readers buffer each body whole, sized by the record's own `Content-Length`. Here a
//! body over `--max-document-size` is streamed past and becomes an error record naming the
//! record, so a hostile archive cannot make us allocate what it claims. Gzip per record (the
//! `.warc.gz` of Common Crawl) is a multi-member gzip stream, undone before this reader.

use std::io::{self, BufRead, Read};

use serde_json::{Map, Value};
use textpipe_core::Document;

use super::limits::too_large_message;
use super::{InputFailure, Record};

/// The longest header block we read before calling the record malformed.
const MAX_HEADER_BYTES: usize = 1 << 20;

/// The records of one WARC input, as documents and error records.
pub(super) struct WarcRecords {
    origin: String,
    reader: Box<dyn BufRead + Send>,
    max_document_bytes: u64,
    /// 1-based number of the record being read, for ids and messages.
    record: usize,
    /// Bytes of the (decompressed) archive read so far.
    offset: u64,
    /// Where the record being read starts, and its id once its header is read.
    record_start: u64,
    record_id: Option<String>,
    /// Set after a framing error: nothing after it can be found reliably.
    finished: bool,
}

/// One record's header fields that matter here.
struct RecordHeader {
    kind: String,
    record_id: Option<String>,
    url: Option<String>,
    date: Option<String>,
    content_length: u64,
}

impl WarcRecords {
    pub fn new(origin: String, reader: Box<dyn BufRead + Send>, max_document_bytes: u64) -> Self {
        WarcRecords {
            origin,
            reader,
            max_document_bytes,
            record: 0,
            offset: 0,
            record_start: 0,
            record_id: None,
            finished: false,
        }
    }

    /// An error record naming the archive, the record's number and byte offset (in the
    /// decompressed archive), and its `WARC-Record-ID` once its header was read.
    fn unreadable(&mut self, id: Option<String>, message: String) -> Record {
        Record::Unreadable(InputFailure {
            id: id.or_else(|| self.record_id.clone()),
            input: self.origin.clone(),
            line: None,
            message: format!(
                "WARC record {} at byte {}: {message}",
                self.record, self.record_start
            ),
        })
    }

    /// Ends this input after one error record: without a trustworthy length the next record
    /// cannot be found.
    fn fail(&mut self, message: String) -> Record {
        self.finished = true;
        self.unreadable(None, message)
    }

    /// Reads the next header block, skipping the blank lines that end the previous record.
    /// `None` at the end of the input.
    fn read_header_block(&mut self) -> io::Result<Option<Vec<u8>>> {
        let mut block = Vec::new();
        loop {
            let start = block.len();
            let n = (&mut self.reader)
                .take((MAX_HEADER_BYTES - start) as u64 + 1)
                .read_until(b'\n', &mut block)?;
            self.offset += n as u64;
            if n == 0 {
                return if block.is_empty() {
                    Ok(None)
                } else {
                    Err(io::Error::new(
                        io::ErrorKind::UnexpectedEof,
                        "the input ends inside a header block",
                    ))
                };
            }
            let line = &block[start..];
            let blank = line == b"\r\n" || line == b"\n";
            if blank && start == 0 {
                block.clear();
                self.record_start = self.offset;
                continue;
            }
            if blank {
                return Ok(Some(block));
            }
            if block.len() > MAX_HEADER_BYTES {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    "header block longer than 1 MiB",
                ));
            }
        }
    }

    fn parse_header(block: &[u8]) -> Result<RecordHeader, String> {
        // The crate's parser wants CRLF line ends, which the standard requires but some
        // writers forget.
        let block = if block.windows(2).any(|w| w == b"\r\n") {
            std::borrow::Cow::Borrowed(block)
        } else {
            std::borrow::Cow::Owned(crlf_line_ends(block))
        };
        let (_, (_version, fields, content_length)) =
            warc::parser::headers(&block).map_err(|_| "not a WARC header block".to_string())?;
        let field = |name: &str| {
            fields
                .iter()
                .find(|(key, _)| key.eq_ignore_ascii_case(name))
                .map(|(_, value)| String::from_utf8_lossy(value).trim().to_string())
        };
        Ok(RecordHeader {
            kind: field("WARC-Type").unwrap_or_default(),
            record_id: field("WARC-Record-ID")
                .map(|id| id.trim_start_matches('<').trim_end_matches('>').to_string()),
            url: field("WARC-Target-URI"),
            date: field("WARC-Date"),
            content_length: content_length as u64,
        })
    }

    /// Reads past `length` bytes of body without keeping them.
    fn skip_body(&mut self, length: u64) -> io::Result<()> {
        let skipped = io::copy(&mut (&mut self.reader).take(length), &mut io::sink())?;
        self.offset += skipped;
        if skipped < length {
            return Err(truncated());
        }
        Ok(())
    }

    fn read_body(&mut self, length: u64) -> io::Result<Vec<u8>> {
        let mut body = Vec::with_capacity(length.min(1 << 20) as usize);
        (&mut self.reader).take(length).read_to_end(&mut body)?;
        self.offset += body.len() as u64;
        if (body.len() as u64) < length {
            return Err(truncated());
        }
        Ok(body)
    }
}

impl Iterator for WarcRecords {
    type Item = Record;

    fn next(&mut self) -> Option<Record> {
        if self.finished {
            return None;
        }
        // Records that are not documents are skipped in a loop, not by recursion, so an
        // archive of a million request records cannot overflow the stack.
        loop {
            match self.next_record_once() {
                Step::Record(record) => return Some(record),
                Step::End => return None,
                Step::Skipped => {}
            }
        }
    }
}

enum Step {
    Record(Record),
    Skipped,
    End,
}

impl WarcRecords {
    /// One record: a document, an error record, or a record that is not a document.
    fn next_record_once(&mut self) -> Step {
        self.record_start = self.offset;
        self.record_id = None;
        let block = match self.read_header_block() {
            Ok(Some(block)) => block,
            Ok(None) => return Step::End,
            Err(error) => {
                self.record += 1;
                return Step::Record(self.fail(format!("cannot read: {error}")));
            }
        };
        self.record += 1;
        let header = match Self::parse_header(&block) {
            Ok(header) => header,
            Err(message) => return Step::Record(self.fail(message)),
        };
        let length = header.content_length;
        self.record_id = header.record_id.clone();
        if !header.kind.eq_ignore_ascii_case("response") {
            return match self.skip_body(length) {
                Ok(()) => Step::Skipped,
                Err(error) => Step::Record(self.fail(format!("cannot read: {error}"))),
            };
        }
        let id = header
            .record_id
            .clone()
            .unwrap_or_else(|| format!("{}:{}", self.origin, self.record));
        if length > self.max_document_bytes {
            let message = too_large_message(Some(length), self.max_document_bytes);
            // A body that is not all there still named its record: report it by id, then
            // stop, as nothing after a short body can be found.
            if self.skip_body(length).is_err() {
                self.finished = true;
            }
            return Step::Record(self.unreadable(Some(id), message));
        }
        let body = match self.read_body(length) {
            Ok(body) => body,
            Err(error) => return Step::Record(self.fail(format!("cannot read: {error}"))),
        };
        match html_document(id, &header, &body) {
            Some(doc) => Step::Record(Record::Document(Box::new(doc))),
            None => Step::Skipped,
        }
    }
}

fn truncated() -> io::Error {
    io::Error::new(
        io::ErrorKind::UnexpectedEof,
        "the input ends inside a record body (truncated archive?)",
    )
}

fn crlf_line_ends(block: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(block.len() + 32);
    for &byte in block {
        if byte == b'\n' {
            out.push(b'\r');
        }
        out.push(byte);
    }
    out
}

/// The document of a `response` record whose HTTP payload is HTML; `None` for other payloads.
fn html_document(id: String, header: &RecordHeader, payload: &[u8]) -> Option<Document> {
    let (status, fields, body) = split_http(payload)?;
    let content_type = fields
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case("content-type"))
        .map(|(_, value)| value.to_ascii_lowercase());
    let is_html = content_type
        .as_deref()
        .is_some_and(|t| t.starts_with("text/html") || t.starts_with("application/xhtml+xml"));
    if !is_html {
        return None;
    }
    let charset = content_type.as_deref().and_then(charset_of);
    let html = decode(body, charset);
    let mut meta = Map::new();
    meta.insert("format".into(), Value::from("html"));
    if let Some(url) = &header.url {
        meta.insert("url".into(), Value::from(url.as_str()));
    }
    if let Some(date) = &header.date {
        meta.insert("date".into(), Value::from(date.as_str()));
    }
    if let Some(status) = status {
        meta.insert("status".into(), Value::from(status));
    }
    let mut doc = Document::new(id, String::new());
    doc.html = Some(html);
    doc.meta = meta;
    Some(doc)
}

type HttpFields<'a> = Vec<(&'a str, &'a str)>;

/// Splits an HTTP response into its status code, header fields and body; `None` when the
/// payload is not an HTTP response.
fn split_http(payload: &[u8]) -> Option<(Option<u16>, HttpFields<'_>, &[u8])> {
    if !payload.starts_with(b"HTTP/") {
        return None;
    }
    let (head_end, body_start) = find_header_end(payload)?;
    let head = std::str::from_utf8(&payload[..head_end]).ok()?;
    let mut lines = head.lines();
    let status = lines
        .next()?
        .split_whitespace()
        .nth(1)
        .and_then(|code| code.parse().ok());
    let fields = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(name, value)| (name.trim(), value.trim()))
        .collect();
    Some((status, fields, &payload[body_start..]))
}

/// Where the HTTP header block ends and where the body starts (CRLF CRLF, or LF LF from
/// lenient writers).
fn find_header_end(payload: &[u8]) -> Option<(usize, usize)> {
    let crlf = payload.windows(4).position(|w| w == b"\r\n\r\n");
    let lf = payload.windows(2).position(|w| w == b"\n\n");
    match (crlf, lf) {
        (Some(c), Some(l)) if l < c => Some((l, l + 2)),
        (Some(c), _) => Some((c, c + 4)),
        (None, Some(l)) => Some((l, l + 2)),
        (None, None) => None,
    }
}

fn charset_of(content_type: &str) -> Option<&str> {
    content_type
        .split(';')
        .filter_map(|part| part.trim().strip_prefix("charset="))
        .map(|value| value.trim_matches(|c| c == '"' || c == '\''))
        .next()
}

/// The body as UTF-8: as it is when valid, else decoded from the declared charset, else from
/// windows-1252 (what browsers assume for undeclared legacy pages). Bytes that do not decode
/// become U+FFFD, so a page is never lost to one bad byte.
fn decode(body: &[u8], charset: Option<&str>) -> String {
    if let Ok(text) = std::str::from_utf8(body) {
        return text.to_string();
    }
    let encoding = charset
        .and_then(|label| encoding_rs::Encoding::for_label(label.as_bytes()))
        .unwrap_or(encoding_rs::WINDOWS_1252);
    encoding.decode_without_bom_handling(body).0.into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(kind: &str, id: &str, payload: &[u8]) -> Vec<u8> {
        let mut out = format!(
            "WARC/1.1\r\nWARC-Type: {kind}\r\nWARC-Record-ID: <{id}>\r\n\
             WARC-Target-URI: https://example.org/{id}\r\nWARC-Date: 2026-01-02T03:04:05Z\r\n\
             Content-Type: application/http; msgtype={kind}\r\nContent-Length: {}\r\n\r\n",
            payload.len()
        )
        .into_bytes();
        out.extend_from_slice(payload);
        out.extend_from_slice(b"\r\n\r\n");
        out
    }

    fn read(bytes: Vec<u8>, limit: u64) -> Vec<Record> {
        WarcRecords::new("a.warc".into(), Box::new(io::Cursor::new(bytes)), limit).collect()
    }

    const PAGE: &[u8] =
        b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>Caf\xc3\xa9</p>";

    #[test]
    fn html_responses_become_documents_with_url_and_date() {
        let mut warc = record("warcinfo", "info", b"software: test\r\n");
        warc.extend(record("request", "req", b"GET / HTTP/1.1\r\n\r\n"));
        warc.extend(record("response", "page", PAGE));
        warc.extend(record(
            "response",
            "image",
            b"HTTP/1.1 200 OK\r\nContent-Type: image/png\r\n\r\n\x89PNG",
        ));
        let records = read(warc, 1 << 20);
        assert_eq!(records.len(), 1, "{records:?}");
        let Record::Document(doc) = &records[0] else {
            panic!("{records:?}")
        };
        assert_eq!(doc.id, "page");
        assert_eq!(doc.html.as_deref(), Some("<p>Café</p>"));
        assert_eq!(doc.meta["url"], "https://example.org/page");
        assert_eq!(doc.meta["date"], "2026-01-02T03:04:05Z");
        assert_eq!(doc.meta["status"], 200);
    }

    #[test]
    fn legacy_charsets_are_decoded() {
        let payload =
            b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=ISO-8859-1\r\n\r\nCaf\xe9";
        let records = read(record("response", "p", payload), 1 << 20);
        let Record::Document(doc) = &records[0] else {
            panic!("{records:?}")
        };
        assert_eq!(doc.html.as_deref(), Some("Café"));
    }

    #[test]
    fn a_record_over_the_limit_is_an_error_record_and_the_next_one_is_read() {
        let mut big = PAGE.to_vec();
        big.extend(std::iter::repeat_n(b'x', 5000));
        let mut warc = record("response", "big", &big);
        warc.extend(record("response", "small", PAGE));
        let records = read(warc, 1000);
        assert_eq!(records.len(), 2);
        assert!(
            matches!(&records[0], Record::Unreadable(f) if f.id.as_deref() == Some("big") && f.message.contains("--max-document-size")),
            "{records:?}"
        );
        assert!(matches!(&records[1], Record::Document(d) if d.id == "small"));
    }

    #[test]
    fn a_truncated_or_malformed_archive_ends_with_one_error_record() {
        let mut warc = record("response", "ok", PAGE);
        let cut = record("response", "cut", PAGE);
        warc.extend_from_slice(&cut[..cut.len() - 10]);
        let records = read(warc, 1 << 20);
        assert_eq!(records.len(), 2);
        assert!(matches!(&records[1], Record::Unreadable(f) if f.message.contains("truncated")));
        let records = read(b"not a warc at all\r\n\r\n".to_vec(), 1 << 20);
        assert_eq!(records.len(), 1);
        assert!(matches!(&records[0], Record::Unreadable(f) if f.message.contains("WARC header")));
    }

    #[test]
    fn a_hostile_content_length_is_not_allocated() {
        let warc = b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 999999999999\r\n\r\nshort"
            .to_vec();
        let records = read(warc, 1 << 20);
        assert_eq!(records.len(), 1);
        assert!(matches!(&records[0], Record::Unreadable(f) if f.message.contains("too large")));
    }
}
