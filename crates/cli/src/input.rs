//! Readers: turn files, folders, JSON Lines corpora and stdin into a stream of documents.
//!
//! [`DocumentReader`] is an iterator of [`Record`]s, so the runner can pull documents one at a
//! time and memory stays flat on corpora of any size. A document that cannot be read (invalid
//! UTF-8, a malformed JSON line) is a [`Record::Unreadable`] rather than an error that ends the
//! stream: the runner turns it into an error record and goes on.

use std::collections::VecDeque;
use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};
use textpipe_core::Document;

mod jsonl;

pub use jsonl::document_from_json_line;

/// What kind of input a file (or stdin) holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum InputFormat {
    /// Plain text: the whole file is one document.
    Text,
    /// HTML: the whole file is one document, kept in `html` for boilerplate removal.
    Html,
    /// JSON Lines (optionally gzipped): one `{"id", "text" | "html", ...}` object per line.
    Jsonl,
}

impl InputFormat {
    /// The format a file's name suggests, or `None` for names we do not recognise.
    pub fn from_name(path: &Path) -> Option<Self> {
        let name = path.file_name()?.to_string_lossy().to_ascii_lowercase();
        let name = name.strip_suffix(".gz").unwrap_or(&name);
        let ext = name.rsplit_once('.').map(|(_, ext)| ext)?;
        match ext {
            "txt" | "text" | "md" => Some(InputFormat::Text),
            "html" | "htm" | "xhtml" => Some(InputFormat::Html),
            "jsonl" | "ndjson" => Some(InputFormat::Jsonl),
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

/// Why the run cannot start: an input that does not exist or cannot be listed.
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
}

/// Reads documents from inputs in the order given; folders are walked recursively, sorted.
pub struct DocumentReader {
    pending: VecDeque<Source>,
    forced: Option<InputFormat>,
    lines: Option<jsonl::JsonLines>,
}

impl DocumentReader {
    /// A reader over `inputs` (paths, or `-` for stdin; none means stdin). Checks now that
    /// every input exists and lists folders, so a typo fails before any document is processed.
    /// `forced` overrides detection by file name.
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
            let metadata = std::fs::metadata(input).map_err(|source| InputError {
                path: input.clone(),
                source,
            })?;
            if metadata.is_dir() {
                let mut files = Vec::new();
                walk_folder(input, &mut files).map_err(|source| InputError {
                    path: input.clone(),
                    source,
                })?;
                files.sort();
                pending.extend(files.into_iter().map(Source::File));
            } else {
                pending.push_back(Source::File(input.clone()));
            }
        }
        Ok(DocumentReader {
            pending,
            forced,
            lines: None,
        })
    }

    fn open_source(&mut self, source: Source) -> Option<Record> {
        let (origin, reader) = match &source {
            Source::Stdin => (
                "-".to_string(),
                Box::new(BufReader::new(std::io::stdin())) as Box<dyn BufRead + Send>,
            ),
            Source::File(path) => {
                let origin = path.display().to_string();
                match File::open(path).and_then(decompressed) {
                    Ok(reader) => (origin, reader),
                    Err(error) => return Some(failure(Some(origin.clone()), origin, None, error)),
                }
            }
        };
        let mut reader = reader;
        let format = match (&source, self.forced) {
            (_, Some(format)) => format,
            (Source::File(path), None) => InputFormat::from_name(path).unwrap_or(InputFormat::Text),
            (Source::Stdin, None) => sniff(&mut reader),
        };
        match format {
            InputFormat::Jsonl => {
                self.lines = Some(jsonl::JsonLines::new(origin, reader));
                None
            }
            InputFormat::Text | InputFormat::Html => {
                Some(whole_document(origin, reader, format == InputFormat::Html))
            }
        }
    }
}

impl Iterator for DocumentReader {
    type Item = Record;

    fn next(&mut self) -> Option<Record> {
        loop {
            if let Some(lines) = &mut self.lines {
                match lines.next() {
                    Some(record) => return Some(record),
                    None => self.lines = None,
                }
            }
            let source = self.pending.pop_front()?;
            if let Some(record) = self.open_source(source) {
                return Some(record);
            }
        }
    }
}

/// Files under `folder` whose names we recognise; hidden entries are skipped.
fn walk_folder(folder: &Path, files: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(folder)? {
        let entry = entry?;
        if entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        let path = entry.path();
        if entry.file_type()?.is_dir() {
            walk_folder(&path, files)?;
        } else if InputFormat::from_name(&path).is_some() {
            files.push(path);
        }
    }
    Ok(())
}

/// Wraps a file in a gzip decoder when it starts with the gzip magic bytes.
fn decompressed(file: File) -> std::io::Result<Box<dyn BufRead + Send>> {
    let mut reader = BufReader::with_capacity(256 * 1024, file);
    if reader.fill_buf()?.starts_with(&[0x1f, 0x8b]) {
        let decoder = flate2::read::MultiGzDecoder::new(reader);
        return Ok(Box::new(BufReader::with_capacity(256 * 1024, decoder)));
    }
    Ok(Box::new(reader))
}

/// Guesses the format of stdin from its first non-blank byte: `{` is JSON Lines, `<` HTML,
/// anything else text. Only buffered bytes are looked at, nothing is consumed.
fn sniff(reader: &mut Box<dyn BufRead + Send>) -> InputFormat {
    let first = match reader.fill_buf() {
        Ok(buffer) => buffer.iter().find(|b| !b.is_ascii_whitespace()).copied(),
        Err(_) => None,
    };
    match first {
        Some(b'{') => InputFormat::Jsonl,
        Some(b'<') => InputFormat::Html,
        _ => InputFormat::Text,
    }
}

/// A whole file as one document whose id is its path.
fn whole_document(origin: String, mut reader: Box<dyn BufRead + Send>, html: bool) -> Record {
    let mut bytes = Vec::new();
    if let Err(error) = reader.read_to_end(&mut bytes) {
        return failure(Some(origin.clone()), origin, None, error);
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
        assert_eq!(format("image.png"), None);
        assert_eq!(format("README"), None);
    }

    #[test]
    fn stdin_is_sniffed_without_consuming() {
        let mut reader: Box<dyn BufRead + Send> = Box::new(&b"  \n{\"id\": 1}"[..]);
        assert_eq!(sniff(&mut reader), InputFormat::Jsonl);
        let mut rest = String::new();
        reader.read_to_string(&mut rest).unwrap();
        assert_eq!(rest, "  \n{\"id\": 1}");
        let mut reader: Box<dyn BufRead + Send> = Box::new(&b"<html>"[..]);
        assert_eq!(sniff(&mut reader), InputFormat::Html);
        let mut reader: Box<dyn BufRead + Send> = Box::new(&b"Hello."[..]);
        assert_eq!(sniff(&mut reader), InputFormat::Text);
    }

    #[test]
    fn invalid_utf8_becomes_an_unreadable_record_with_the_id() {
        let reader: Box<dyn BufRead + Send> = Box::new(&b"ok \xff no"[..]);
        match whole_document("x.txt".into(), reader, false) {
            Record::Unreadable(failure) => {
                assert_eq!(failure.id.as_deref(), Some("x.txt"));
                assert!(failure.message.contains("offset 3"), "{}", failure.message);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_missing_input_fails_before_the_run() {
        let error = DocumentReader::open(&[PathBuf::from("no/such/file.txt")], None)
            .err()
            .unwrap();
        assert!(error.to_string().contains("no/such/file.txt"));
    }
}
