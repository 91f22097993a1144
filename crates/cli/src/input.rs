//! Readers: turn files, folders, glob patterns, JSON Lines corpora, web archives and stdin into
//! a stream of documents.
//!
//! [`DocumentReader`] is an iterator of [`Record`]s, so the runner can pull documents one at a
//! time and memory stays flat on corpora of any size. A document that cannot be read (invalid
//! UTF-8, a malformed JSON line, a document over [`InputLimits::max_document_bytes`]) is a
//! [`Record::Unreadable`] rather than an error that ends the stream: the runner turns it into
//! an error record and goes on.
//!
//! Compression is recognised by its magic bytes, not the file name: gzip (including the
//! gzip-per-record `.warc.gz` of Common Crawl, a multi-member stream) and zstd. What a
//! compressed input inflates to is capped by [`InputLimits::max_decompressed_bytes`].

use std::collections::VecDeque;
use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use serde_json::{Map, Value};
use textpipe_core::{Document, ErrorRecord, Outcome};

mod conll;
mod jsonl;
mod limits;
mod warc;
mod zstd;

pub use limits::{parse_byte_size, DecompressedTooLarge, InputLimits};
pub use textpipe_core::json_line::{document_from_dataset_line, JsonFields};

/// What kind of input a file (or stdin) holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum InputFormat {
    /// Plain text: the whole file is one document.
    Text,
    /// HTML: the whole file is one document, kept in `html` for boilerplate removal.
    Html,
    /// JSON Lines: one `{"id", "text" | "html", ...}` object per line.
    Jsonl,
    /// A web archive (WARC): each `response` record with an HTML payload is one document.
    Warc,
    /// CoNLL or IOB: one token per line, blank lines between sentences, `-DOCSTART-` between
    /// documents; each document's tokens become its text.
    Conll,
}

impl InputFormat {
    /// The format a file's name suggests, or `None` for names we do not recognise.
    pub fn from_name(path: &Path) -> Option<Self> {
        let name = path.file_name()?.to_string_lossy().to_ascii_lowercase();
        let name = [".gz", ".zst", ".zstd"]
            .iter()
            .find_map(|suffix| name.strip_suffix(suffix))
            .unwrap_or(&name);
        let ext = name.rsplit_once('.').map(|(_, ext)| ext)?;
        match ext {
            "txt" | "text" | "md" => Some(InputFormat::Text),
            "html" | "htm" | "xhtml" => Some(InputFormat::Html),
            "jsonl" | "ndjson" => Some(InputFormat::Jsonl),
            "warc" => Some(InputFormat::Warc),
            "conll" => Some(InputFormat::Conll),
            _ => None,
        }
    }
}

/// One item of the input stream.
#[derive(Debug, Clone, PartialEq)]
pub enum Record {
    /// A document ready for the pipeline.
    Document(Box<Document>),
    /// Something that should have been a document but could not be read.
    Unreadable(InputFailure),
}

/// Why an input item could not become a document, and where it was.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputFailure {
    /// The document's id, when known (a file's path).
    pub id: Option<String>,
    /// The input it came from (file path, or `-` for stdin).
    pub input: String,
    /// The 1-based line, for JSON Lines.
    pub line: Option<usize>,
    /// What is wrong.
    pub message: String,
}

impl From<Record> for Outcome {
    /// An unreadable item becomes an error record with its id when it has one, else its line
    /// and input; an item of a file that holds many without lines (a WARC record) names its
    /// input too. A stdin line that has its id carries no line number: that number depends on
    /// where a Spark partition or a `split` chunk began, and the record must not.
    fn from(record: Record) -> Outcome {
        match record {
            Record::Document(doc) => Outcome::Done(doc),
            Record::Unreadable(failure) => {
                let names_input = match &failure.id {
                    None => true,
                    Some(id) => failure.line.is_none() && *id != failure.input,
                };
                let line_is_stable = failure.id.is_none() || failure.input != "-";
                Outcome::Failed(ErrorRecord::unreadable(
                    failure.id,
                    names_input.then_some(failure.input),
                    failure.line.filter(|_| line_is_stable),
                    failure.message,
                ))
            }
        }
    }
}

/// Why the run cannot start: an input that does not exist or cannot be listed, or a glob
/// pattern that is malformed or matches nothing.
#[derive(Debug, thiserror::Error)]
#[error("cannot read input {}: {source}", .path.display())]
pub struct InputError {
    /// The input as given.
    pub path: PathBuf,
    /// Why.
    pub source: std::io::Error,
}

/// Where one document or corpus comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Source {
    File(PathBuf),
    Stdin,
    /// A folder inside an input folder that could not be listed: an error record in its
    /// place, and the rest of the tree goes on.
    UnlistedFolder(PathBuf, String),
}

/// Reads documents from inputs in the order given; folders are walked recursively, sorted,
/// and glob patterns expand to their matches, sorted.
pub struct DocumentReader {
    pending: VecDeque<Source>,
    forced: Option<InputFormat>,
    limits: InputLimits,
    fields: JsonFields,
    /// The language of documents that declare none (`--lang`).
    lang: Option<String>,
    records: Option<Box<dyn Iterator<Item = Record> + Send>>,
    /// Bytes read from input files so far (as stored: compressed bytes of a `.gz`).
    bytes_read: Arc<AtomicU64>,
}

impl DocumentReader {
    /// A reader over `inputs` (paths, glob patterns such as `crawl/*.warc.gz`, or `-` for
    /// stdin; none means stdin). Checks now that every input exists and lists folders and
    /// patterns, so a typo fails before any document is processed. `forced` overrides
    /// detection by file name.
    pub fn open(inputs: &[PathBuf], forced: Option<InputFormat>) -> Result<Self, InputError> {
        let mut pending = VecDeque::new();
        if inputs.is_empty() {
            pending.push_back(Source::Stdin);
        }
        for input in inputs {
            if input.as_os_str() == "-" {
                pending.push_back(Source::Stdin);
                continue;
            }
            let metadata = match std::fs::metadata(input) {
                Ok(metadata) => metadata,
                Err(_) if is_pattern(input) => {
                    for path in expand_pattern(input)? {
                        add_path(&path, &mut pending)?;
                    }
                    continue;
                }
                Err(source) => {
                    return Err(InputError {
                        path: input.clone(),
                        source,
                    })
                }
            };
            if metadata.is_dir() {
                add_path(input, &mut pending)?;
            } else {
                pending.push_back(Source::File(input.clone()));
            }
        }
        Ok(DocumentReader {
            pending,
            forced,
            limits: InputLimits::default(),
            fields: JsonFields::default(),
            lang: None,
            records: None,
            bytes_read: Arc::default(),
        })
    }

    /// The same reader with a dataset's own names for the text, id and HTML fields of JSON
    /// Lines.
    pub fn with_fields(mut self, fields: JsonFields) -> Self {
        self.fields = fields;
        self
    }

    /// The same reader giving `lang` to every document that declares no language of its own
    /// (a JSON line's `lang` field wins). Stages read it as a declared language: the language
    /// stage checks it against the text (see its README), the others pick their models by it.
    pub fn with_default_lang(mut self, lang: Option<String>) -> Self {
        self.lang = lang;
        self
    }

    /// `record` with [`DocumentReader::with_default_lang`]'s language, if its document has none.
    fn declare_lang(&self, mut record: Record) -> Record {
        if let (Record::Document(doc), Some(lang)) = (&mut record, &self.lang) {
            if doc.lang.is_none() {
                doc.lang = Some(lang.clone());
            }
        }
        record
    }

    /// The same reader under other size limits.
    pub fn with_limits(mut self, limits: InputLimits) -> Self {
        self.limits = limits;
        self
    }

    /// How many inputs (files, and stdin) are still to be read.
    pub fn input_count(&self) -> usize {
        self.pending.len()
    }

    /// The size of all inputs on disk, when every input is a file (not stdin): the total of a
    /// progress bar fed by [`DocumentReader::bytes_read`].
    pub fn total_input_bytes(&self) -> Option<u64> {
        self.pending
            .iter()
            .try_fold(0u64, |total, source| match source {
                Source::File(path) => Some(total + std::fs::metadata(path).ok()?.len()),
                Source::UnlistedFolder(..) => Some(total),
                Source::Stdin => None,
            })
    }

    /// A counter of the bytes read from input files so far, shared with the reading thread.
    pub fn bytes_read(&self) -> Arc<AtomicU64> {
        Arc::clone(&self.bytes_read)
    }

    /// The files still to be read, in reading order.
    pub fn input_files(&self) -> impl Iterator<Item = &Path> {
        self.pending.iter().filter_map(|source| match source {
            Source::File(path) => Some(path.as_path()),
            _ => None,
        })
    }

    /// Keeps only the inputs whose position in reading order (from 0) `keep` accepts, so a
    /// shard of a many-file corpus never opens the others' files.
    pub fn retain_inputs(&mut self, mut keep: impl FnMut(usize) -> bool) {
        let mut position = 0;
        self.pending.retain(|_| {
            let kept = keep(position);
            position += 1;
            kept
        });
    }

    fn open_source(&mut self, source: Source) -> Option<Record> {
        let limit = self.limits.max_decompressed_bytes;
        let (origin, opened) = match &source {
            Source::Stdin => (
                "-".to_string(),
                decompressed(Box::new(std::io::stdin()), limit),
            ),
            Source::File(path) => (
                path.display().to_string(),
                File::open(path).and_then(|file| {
                    let counted = CountingRead {
                        inner: file,
                        bytes: Arc::clone(&self.bytes_read),
                    };
                    decompressed(Box::new(counted), limit)
                }),
            ),
            Source::UnlistedFolder(path, message) => {
                let origin = path.display().to_string();
                let message = format!("cannot list folder: {message}");
                return Some(failure(Some(origin.clone()), origin, None, message));
            }
        };
        let mut reader = match opened.and_then(skip_byte_order_mark) {
            Ok(reader) => reader,
            Err(error) => return Some(failure(Some(origin.clone()), origin, None, error)),
        };
        let format = match (&source, self.forced) {
            (_, Some(format)) => format,
            (Source::File(path), None) => InputFormat::from_name(path).unwrap_or(InputFormat::Text),
            // Empty stdin holds no document (an empty partition in `RDD.pipe`).
            (Source::Stdin, None) => sniff(&mut reader)?,
            (Source::UnlistedFolder(..), None) => return None, // answered above
        };
        let max_document = self.limits.max_document_bytes;
        match format {
            InputFormat::Jsonl => {
                self.records = Some(Box::new(
                    jsonl::JsonLines::new(origin, reader, max_document)
                        .with_fields(self.fields.clone()),
                ));
                None
            }
            InputFormat::Conll => {
                self.records = Some(Box::new(conll::ConllDocuments::new(
                    origin,
                    reader,
                    max_document,
                )));
                None
            }
            InputFormat::Warc => {
                self.records = Some(Box::new(warc::WarcRecords::new(
                    origin,
                    reader,
                    max_document,
                )));
                None
            }
            InputFormat::Text | InputFormat::Html => Some(whole_document(
                origin,
                reader,
                format == InputFormat::Html,
                max_document,
            )),
        }
    }
}

impl Iterator for DocumentReader {
    type Item = Record;

    fn next(&mut self) -> Option<Record> {
        loop {
            if let Some(records) = &mut self.records {
                match records.next() {
                    Some(record) => return Some(self.declare_lang(record)),
                    None => self.records = None,
                }
            }
            let source = self.pending.pop_front()?;
            if let Some(record) = self.open_source(source) {
                return Some(self.declare_lang(record));
            }
        }
    }
}

/// Counts the bytes read through it, for the progress bar.
struct CountingRead<R> {
    inner: R,
    bytes: Arc<AtomicU64>,
}

impl<R: Read> Read for CountingRead<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.bytes.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

/// Whether an input that does not exist as a path is meant as a glob pattern.
fn is_pattern(input: &Path) -> bool {
    input.to_string_lossy().contains(['*', '?', '['])
}

/// The paths a glob pattern matches, sorted; none is an error, as a typo would be.
fn expand_pattern(pattern: &Path) -> Result<Vec<PathBuf>, InputError> {
    let error = |source| InputError {
        path: pattern.to_path_buf(),
        source,
    };
    let text = pattern.to_string_lossy();
    let matches = glob::glob(&text).map_err(|e| {
        error(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            format!("not a valid glob pattern: {e}"),
        ))
    })?;
    let mut paths = Vec::new();
    for path in matches {
        paths.push(path.map_err(|e| error(e.into()))?);
    }
    if paths.is_empty() {
        return Err(error(std::io::Error::new(
            std::io::ErrorKind::NotFound,
            "the pattern matches no file",
        )));
    }
    paths.sort();
    Ok(paths)
}

/// Queues a file, or every recognised file under a folder in sorted order.
fn add_path(path: &Path, pending: &mut VecDeque<Source>) -> Result<(), InputError> {
    let error = |source| InputError {
        path: path.to_path_buf(),
        source,
    };
    if !std::fs::metadata(path).map_err(error)?.is_dir() {
        pending.push_back(Source::File(path.to_path_buf()));
        return Ok(());
    }
    let mut files = Vec::new();
    // The folder named on the command line must be listable (else the run cannot start);
    // a subfolder that is not becomes an error record.
    let entries = std::fs::read_dir(path).map_err(error)?;
    walk_entries(path, entries, &mut files);
    files.sort_by(|a, b| source_path(a).cmp(source_path(b)));
    pending.extend(files);
    Ok(())
}

fn source_path(source: &Source) -> &Path {
    match source {
        Source::File(path) | Source::UnlistedFolder(path, _) => path,
        Source::Stdin => Path::new("-"),
    }
}

/// Files under a folder whose names we recognise, and the subfolders that could not be
/// listed; hidden entries are skipped.
fn walk_entries(folder: &Path, entries: std::fs::ReadDir, files: &mut Vec<Source>) {
    for entry in entries {
        let entry = match entry {
            Ok(entry) => entry,
            Err(error) => {
                // An entry that cannot be read has no name: report the folder it is in.
                files.push(Source::UnlistedFolder(folder.into(), error.to_string()));
                continue;
            }
        };
        if entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        let path = entry.path();
        match entry.file_type() {
            Ok(kind) if kind.is_dir() => match std::fs::read_dir(&path) {
                Ok(entries) => walk_entries(&path, entries, files),
                Err(error) => files.push(Source::UnlistedFolder(path, error.to_string())),
            },
            Ok(_) if InputFormat::from_name(&path).is_some() => files.push(Source::File(path)),
            Ok(_) => {}
            Err(error) => files.push(Source::UnlistedFolder(path, error.to_string())),
        }
    }
}

/// Wraps an input in a decoder when it starts with the magic bytes of gzip (every member of a
/// multi-member stream is read) or zstd (every frame), capped at `limit` decompressed bytes.
fn decompressed(
    input: Box<dyn Read + Send>,
    limit: u64,
) -> std::io::Result<Box<dyn BufRead + Send>> {
    const BUFFER: usize = 256 * 1024;
    let mut reader = BufReader::with_capacity(BUFFER, input);
    let magic = reader.fill_buf()?;
    if magic.starts_with(&[0x1f, 0x8b]) {
        let decoder = flate2::read::MultiGzDecoder::new(reader);
        let limited = limits::DecompressedLimit::new(decoder, limit);
        return Ok(Box::new(BufReader::with_capacity(BUFFER, limited)));
    }
    if magic.starts_with(&zstd::MAGIC) {
        let decoder = zstd::ZstdFrames::new(reader);
        let limited = limits::DecompressedLimit::new(decoder, limit);
        return Ok(Box::new(BufReader::with_capacity(BUFFER, limited)));
    }
    Ok(Box::new(reader))
}

/// Skips a UTF-8 byte order mark at the start of an input (as Windows tools write it): it is
/// not part of the first document, and JSON does not allow it.
fn skip_byte_order_mark(
    mut reader: Box<dyn BufRead + Send>,
) -> std::io::Result<Box<dyn BufRead + Send>> {
    const BOM: &[u8] = b"\xef\xbb\xbf";
    if reader.fill_buf()?.starts_with(BOM) {
        reader.consume(BOM.len());
    }
    Ok(reader)
}

/// Guesses the format of stdin from its first non-blank bytes: `{` is JSON Lines, `WARC/` a
/// web archive, `<` HTML, anything else text; `None` when stdin is empty. Only buffered bytes
/// are looked at, nothing is consumed.
fn sniff(reader: &mut Box<dyn BufRead + Send>) -> Option<InputFormat> {
    let buffer = reader.fill_buf().unwrap_or_default();
    if buffer.is_empty() {
        return None;
    }
    let start = buffer.trim_ascii_start();
    Some(match start.first() {
        Some(b'{') => InputFormat::Jsonl,
        Some(b'<') => InputFormat::Html,
        _ if start.starts_with(b"WARC/") => InputFormat::Warc,
        _ => InputFormat::Text,
    })
}

/// A whole file as one document whose id is its path; one over `max_bytes` becomes an error
/// record without being read into memory.
fn whole_document(
    origin: String,
    reader: Box<dyn BufRead + Send>,
    html: bool,
    max_bytes: u64,
) -> Record {
    let mut bytes = Vec::new();
    if let Err(error) = reader
        .take(max_bytes.saturating_add(1))
        .read_to_end(&mut bytes)
    {
        return failure(Some(origin.clone()), origin, None, error);
    }
    if bytes.len() as u64 > max_bytes {
        let message = limits::too_large_message(None, max_bytes);
        return failure(Some(origin.clone()), origin, None, message);
    }
    let content = match String::from_utf8(bytes) {
        Ok(content) => content,
        Err(error) => {
            let at = error.utf8_error().valid_up_to();
            let message = format!("not valid UTF-8 (first bad byte at offset {at})");
            return Record::Unreadable(InputFailure {
                id: Some(origin.clone()),
                input: origin,
                line: None,
                message,
            });
        }
    };
    let mut doc = Document::new(origin, String::new());
    if html {
        doc.html = Some(content);
        let mut meta = Map::new();
        meta.insert("format".into(), Value::from("html"));
        doc.meta = meta;
    } else {
        doc.text = content;
    }
    Record::Document(Box::new(doc))
}

fn failure(id: Option<String>, input: String, line: Option<usize>, error: impl ToString) -> Record {
    Record::Unreadable(InputFailure {
        id,
        input,
        line,
        message: error.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_follow_the_file_name() {
        let format = |name: &str| InputFormat::from_name(Path::new(name));
        assert_eq!(format("a/b.TXT"), Some(InputFormat::Text));
        assert_eq!(format("page.htm"), Some(InputFormat::Html));
        assert_eq!(format("corpus.jsonl.gz"), Some(InputFormat::Jsonl));
        assert_eq!(format("corpus.jsonl.zst"), Some(InputFormat::Jsonl));
        assert_eq!(format("CC-MAIN-1.warc.gz"), Some(InputFormat::Warc));
        assert_eq!(format("image.png"), None);
        assert_eq!(format("README"), None);
    }

    #[test]
    fn stdin_is_sniffed_without_consuming() {
        let mut reader: Box<dyn BufRead + Send> = Box::new(&b"  \n{\"id\": 1}"[..]);
        assert_eq!(sniff(&mut reader), Some(InputFormat::Jsonl));
        let mut rest = String::new();
        reader.read_to_string(&mut rest).unwrap();
        assert_eq!(rest, "  \n{\"id\": 1}");
        let mut reader: Box<dyn BufRead + Send> = Box::new(&b"<html>"[..]);
        assert_eq!(sniff(&mut reader), Some(InputFormat::Html));
        let mut reader: Box<dyn BufRead + Send> = Box::new(&b"WARC/1.1\r\n"[..]);
        assert_eq!(sniff(&mut reader), Some(InputFormat::Warc));
        let mut reader: Box<dyn BufRead + Send> = Box::new(&b"Hello."[..]);
        assert_eq!(sniff(&mut reader), Some(InputFormat::Text));
        let mut reader: Box<dyn BufRead + Send> = Box::new(&b""[..]);
        assert_eq!(sniff(&mut reader), None);
    }

    #[test]
    fn invalid_utf8_becomes_an_unreadable_record_with_the_id() {
        let reader: Box<dyn BufRead + Send> = Box::new(&b"ok \xff no"[..]);
        match whole_document("x.txt".into(), reader, false, 100) {
            Record::Unreadable(failure) => {
                assert_eq!(failure.id.as_deref(), Some("x.txt"));
                assert!(failure.message.contains("offset 3"), "{}", failure.message);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_file_over_the_limit_is_an_error_record_with_its_path() {
        let reader: Box<dyn BufRead + Send> = Box::new(&[b'a'; 101][..]);
        match whole_document("big.txt".into(), reader, false, 100) {
            Record::Unreadable(failure) => {
                assert_eq!(failure.id.as_deref(), Some("big.txt"));
                assert!(
                    failure.message.contains("--max-document-size"),
                    "{}",
                    failure.message
                );
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn gzip_and_zstd_are_recognised_by_their_bytes_and_capped() {
        use std::io::Write;
        let text = b"{\"id\":\"a\",\"text\":\"A.\"}\n".repeat(100);
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(&text).unwrap();
        let gz = gz.finish().unwrap();
        let zst = ruzstd::encoding::compress_to_vec(
            &text[..],
            ruzstd::encoding::CompressionLevel::Fastest,
        );
        for compressed in [gz, zst] {
            let mut out = Vec::new();
            decompressed(Box::new(std::io::Cursor::new(compressed.clone())), 1 << 20)
                .unwrap()
                .read_to_end(&mut out)
                .unwrap();
            assert_eq!(out, text);
            let error = decompressed(Box::new(std::io::Cursor::new(compressed)), 1000)
                .unwrap()
                .read_to_end(&mut Vec::new())
                .unwrap_err();
            assert!(error.to_string().contains("--max-input-size"), "{error}");
        }
    }

    #[test]
    fn a_pattern_that_matches_nothing_fails_before_the_run() {
        let error = DocumentReader::open(&[PathBuf::from("no/such/*.jsonl")], None)
            .err()
            .unwrap();
        assert!(error.to_string().contains("matches no file"), "{error}");
    }

    #[test]
    fn the_bytes_read_reach_the_size_of_the_inputs_for_the_progress_bar() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.txt");
        let b = dir.path().join("b.jsonl");
        std::fs::write(&a, "Some text.").unwrap();
        std::fs::write(&b, "{\"text\":\"A.\"}\n{\"text\":\"B.\"}\n").unwrap();
        let reader = DocumentReader::open(&[a, b], None).unwrap();
        assert_eq!(reader.total_input_bytes(), Some(10 + 28));
        let bytes = reader.bytes_read();
        assert_eq!(reader.count(), 3);
        assert_eq!(bytes.load(Ordering::Relaxed), 38);
        let stdin = DocumentReader::open(&[PathBuf::from("-")], None).unwrap();
        assert_eq!(stdin.total_input_bytes(), None);
    }

    #[test]
    fn a_missing_input_fails_before_the_run() {
        let error = DocumentReader::open(&[PathBuf::from("no/such/file.txt")], None)
            .err()
            .unwrap();
        assert!(error.to_string().contains("no/such/file.txt"));
    }
}
