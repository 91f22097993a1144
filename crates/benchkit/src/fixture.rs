//! Fixture documents: what a bench feeds to the stage, read the way `textpipe run` reads input.

use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};

use criterion::Throughput;
use serde_json::{Map, Value};
use textpipe_core::{Document, Pipeline, StageError};

/// File name endings read as plain text.
const TEXT_ENDINGS: [&str; 3] = [".txt", ".text", ".md"];
/// File name endings read as HTML (kept in `html`, `text` empty, as boilerplate removal wants).
const HTML_ENDINGS: [&str; 2] = [".html", ".htm"];
/// File name endings read as JSON Lines, one document per line.
const JSONL_ENDINGS: [&str; 2] = [".jsonl", ".ndjson"];
/// Fields of a JSON line that are layers of the document; every other field goes to `meta`.
const DOCUMENT_FIELDS: [&str; 9] = [
    "id",
    "text",
    "meta",
    "html",
    "sentences",
    "entities",
    "summary",
    "removed",
    "ext",
];

/// Why fixture documents could not be read or prepared.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum FixtureError {
    /// A file or folder could not be read.
    #[error("cannot read fixture {}: {source}", .path.display())]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// A JSON line is not a document.
    #[error("{}:{line}: not a document: {message}", .path.display())]
    Json {
        /// The file.
        path: PathBuf,
        /// 1-based line number.
        line: usize,
        /// What is wrong.
        message: String,
    },
    /// A path names no readable kind of file.
    #[error("{}: not a fixture (expected a folder or a .txt, .text, .md, .html, .htm, .jsonl or .ndjson file, optionally .gz)", .0.display())]
    UnknownKind(PathBuf),
    /// The paths hold no document at all, which would make every throughput zero.
    #[error("the fixture paths hold no document")]
    Empty,
    /// A preparing stage failed on a fixture document.
    #[error("preparing document `{id}` with stage `{stage}`: {source}")]
    Prepare {
        /// The document.
        id: String,
        /// The stage.
        stage: String,
        /// Why.
        source: StageError,
    },
}

/// Documents a bench runs a stage over, with their size.
#[derive(Debug, Clone, Default)]
pub struct Fixture {
    documents: Vec<Document>,
}

impl Fixture {
    /// Reads every document under `paths`: text files (one document each), HTML files (the
    /// page in `html`), folders (walked recursively in sorted order, hidden entries skipped,
    /// files of other kinds ignored) and JSON Lines corpora. Gzipped files end in `.gz`.
    ///
    /// ```
    /// # let dir = tempfile::tempdir().unwrap();
    /// std::fs::write(dir.path().join("a.txt"), "Rain is due.").unwrap();
    /// std::fs::write(dir.path().join("b.jsonl"), "{\"id\": \"b\", \"html\": \"<p>Hi</p>\"}\n").unwrap();
    /// let fixture = textpipe_benchkit::Fixture::load([dir.path()]).unwrap();
    /// assert_eq!(fixture.documents().len(), 2);
    /// assert_eq!(fixture.bytes(), 12 + 9);
    /// ```
    pub fn load<P: AsRef<Path>>(paths: impl IntoIterator<Item = P>) -> Result<Self, FixtureError> {
        let mut documents = Vec::new();
        for path in paths {
            let path = path.as_ref();
            if path.is_dir() {
                read_folder(path, &mut documents)?;
            } else {
                read_file(path, &mut documents)?;
            }
        }
        if documents.is_empty() {
            return Err(FixtureError::Empty);
        }
        Ok(Fixture { documents })
    }

    /// A fixture of documents made in code (generated text, for instance).
    pub fn from_documents(documents: Vec<Document>) -> Self {
        Fixture { documents }
    }

    /// Keeps the documents for which `keep` is true (e.g. only the HTML pages of a folder).
    pub fn filter(mut self, keep: impl FnMut(&Document) -> bool) -> Self {
        self.documents.retain(keep);
        self
    }

    /// The documents, in the order they were read.
    pub fn documents(&self) -> &[Document] {
        &self.documents
    }

    /// The input size a stage reads: the bytes of `text` plus those of `html`.
    pub fn bytes(&self) -> u64 {
        self.documents
            .iter()
            .map(|d| (d.text.len() + d.html.as_ref().map_or(0, String::len)) as u64)
            .sum()
    }

    /// Both throughputs of one pass over the fixture: documents (criterion's elements) and
    /// bytes, reported side by side.
    pub fn throughput(&self) -> Throughput {
        Throughput::ElementsAndBytes {
            elements: self.documents.len() as u64,
            bytes: self.bytes(),
        }
    }

    /// Runs `pipeline` over every document once, so the fixture carries the layers the
    /// benchmarked stage requires (sentences before `summarize`, say). The bytes counted stay
    /// those of the prepared documents.
    pub fn prepared(mut self, pipeline: &Pipeline) -> Result<Self, FixtureError> {
        for doc in &mut self.documents {
            for stage in pipeline.stages() {
                stage.process(doc).map_err(|source| FixtureError::Prepare {
                    id: doc.id.clone(),
                    stage: stage.name().to_string(),
                    source,
                })?;
            }
        }
        Ok(self)
    }
}

fn read_folder(dir: &Path, documents: &mut Vec<Document>) -> Result<(), FixtureError> {
    let io = |source| FixtureError::Io {
        path: dir.to_path_buf(),
        source,
    };
    let mut entries = std::fs::read_dir(dir)
        .map_err(io)?
        .map(|entry| entry.map(|e| e.path()))
        .collect::<Result<Vec<_>, _>>()
        .map_err(io)?;
    entries.sort();
    for path in entries {
        let hidden = path
            .file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with('.'));
        if hidden {
            continue;
        }
        if path.is_dir() {
            read_folder(&path, documents)?;
        } else if kind_of(&path).is_some() {
            read_file(&path, documents)?;
        }
    }
    Ok(())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FileKind {
    Text,
    Html,
    JsonLines,
}

/// The kind of a file by its name, ignoring a final `.gz`.
fn kind_of(path: &Path) -> Option<FileKind> {
    let name = path.file_name()?.to_string_lossy().to_ascii_lowercase();
    let name = name.strip_suffix(".gz").unwrap_or(&name);
    let ends = |endings: &[&str]| endings.iter().any(|e| name.ends_with(e));
    if ends(&TEXT_ENDINGS) {
        Some(FileKind::Text)
    } else if ends(&HTML_ENDINGS) {
        Some(FileKind::Html)
    } else if ends(&JSONL_ENDINGS) {
        Some(FileKind::JsonLines)
    } else {
        None
    }
}

fn read_file(path: &Path, documents: &mut Vec<Document>) -> Result<(), FixtureError> {
    let kind = kind_of(path).ok_or_else(|| FixtureError::UnknownKind(path.to_path_buf()))?;
    let content = read_to_string(path)?;
    let id = path.display().to_string();
    match kind {
        FileKind::Text => documents.push(Document::new(id, content)),
        FileKind::Html => documents.push(Document {
            html: Some(content),
            ..Document::new(id, "")
        }),
        FileKind::JsonLines => {
            for (index, line) in content.lines().enumerate() {
                if !line.trim().is_empty() {
                    documents.push(parse_line(path, index + 1, line)?);
                }
            }
        }
    }
    Ok(())
}

fn read_to_string(path: &Path) -> Result<String, FixtureError> {
    let io = |source| FixtureError::Io {
        path: path.to_path_buf(),
        source,
    };
    let file = std::fs::File::open(path).map_err(io)?;
    let mut content = String::new();
    if path.extension().is_some_and(|e| e == "gz") {
        flate2::read::MultiGzDecoder::new(file)
            .read_to_string(&mut content)
            .map_err(io)?;
    } else {
        BufReader::new(file)
            .read_to_string(&mut content)
            .map_err(io)?;
    }
    Ok(content)
}

/// One JSON line as a document: known layers in place, other fields in `meta`, a missing `id`
/// replaced by `FILE:LINE` (as `textpipe run` does).
fn parse_line(path: &Path, line: usize, text: &str) -> Result<Document, FixtureError> {
    let error = |message: String| FixtureError::Json {
        path: path.to_path_buf(),
        line,
        message,
    };
    let Value::Object(fields) = serde_json::from_str(text).map_err(|e| error(e.to_string()))?
    else {
        return Err(error("a line must be a JSON object".into()));
    };
    let mut layers = Map::new();
    let mut extra = Map::new();
    for (key, value) in fields {
        if DOCUMENT_FIELDS.contains(&key.as_str()) {
            layers.insert(key, value);
        } else {
            extra.insert(key, value);
        }
    }
    layers
        .entry("id")
        .or_insert_with(|| Value::String(format!("{}:{line}", path.display())));
    layers
        .entry("text")
        .or_insert_with(|| Value::String(String::new()));
    let mut doc: Document =
        serde_json::from_value(Value::Object(layers)).map_err(|e| error(e.to_string()))?;
    doc.meta.extend(extra);
    Ok(doc)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, name: &str, content: &str) {
        std::fs::write(dir.join(name), content).unwrap();
    }

    #[test]
    fn folders_are_read_in_sorted_order_skipping_hidden_and_unknown_files() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "b.txt", "second");
        write(dir.path(), "a.html", "<p>first</p>");
        write(dir.path(), ".hidden.txt", "never");
        write(dir.path(), "notes.csv", "never");
        std::fs::create_dir(dir.path().join("c")).unwrap();
        write(&dir.path().join("c"), "d.md", "third");
        let fixture = Fixture::load([dir.path()]).unwrap();
        let texts: Vec<_> = fixture
            .documents()
            .iter()
            .map(|d| d.html.clone().unwrap_or_else(|| d.text.clone()))
            .collect();
        assert_eq!(texts, ["<p>first</p>", "second", "third"]);
    }

    #[test]
    fn json_lines_keep_layers_and_move_other_fields_to_meta() {
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            "docs.jsonl",
            "{\"id\": \"x\", \"text\": \"Hi. Yo.\", \"sentences\": [{\"start\": 0, \"end\": 3}], \"budget\": 2}\n\n{\"text\": \"no id\"}\n",
        );
        let fixture = Fixture::load([dir.path().join("docs.jsonl")]).unwrap();
        let docs = fixture.documents();
        assert_eq!(docs.len(), 2);
        assert_eq!(docs[0].sentences.as_ref().unwrap().len(), 1);
        assert_eq!(docs[0].meta["budget"], 2);
        assert!(docs[1].id.ends_with("docs.jsonl:3"), "{}", docs[1].id);
    }

    #[test]
    fn bad_lines_name_their_file_and_line() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "bad.jsonl", "{\"id\": \"a\"}\n[1, 2]\n");
        let error = Fixture::load([dir.path().join("bad.jsonl")]).unwrap_err();
        assert!(error.to_string().contains("bad.jsonl:2:"), "{error}");
    }

    #[test]
    fn an_empty_fixture_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        assert!(matches!(
            Fixture::load([dir.path()]),
            Err(FixtureError::Empty)
        ));
        let unknown = dir.path().join("data.csv");
        write(dir.path(), "data.csv", "a,b");
        assert!(matches!(
            Fixture::load([unknown]),
            Err(FixtureError::UnknownKind(_))
        ));
    }

    #[test]
    fn throughput_counts_documents_and_bytes_of_text_and_html() {
        let fixture = Fixture::from_documents(vec![
            Document::new("1", "abc"),
            Document {
                html: Some("<p>x</p>".into()),
                ..Document::new("2", "")
            },
        ]);
        assert_eq!(
            fixture.throughput(),
            Throughput::ElementsAndBytes {
                elements: 2,
                bytes: 11
            }
        );
    }
}
