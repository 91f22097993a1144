//! The process-stage protocol, version 1: what crosses a stage program's stdin and stdout.
//!
//! Every message is one line of JSON (UTF-8, `\n`-terminated). In order:
//!
//! 1. the program writes its **hello**: `{"textpipe_process": 1, "stage": "quotes",
//!    "summary": "...", "config_schema": {...}, "example": {...}, "requires": ["sentences"],
//!    "provides": [], "reads": ["sentences"], "languages": null}`;
//! 2. textpipe writes `{"configure": {...}}` with the entry's `with` object (`{}` when absent)
//!    and the program answers `{"ready": true}`, or `{"config_errors": [{"path": ["key"],
//!    "message": "...", "suggestion": "kee"}]}`;
//! 3. then textpipe writes documents, one per line, and the program answers each, in order,
//!    with `{"patch": {...}}` (the fields it changed, [`DocumentPatch`]; `{}` for none) or
//!    `{"error": "message"}` (this document fails, the others go on).
//!
//! A document holds `id`, `text` and `lang`, plus only the fields the hello lists in `reads`
//! (`meta`, `html`, `sentences`, `entities`, `summary`, `removed`, `ext`; default: the layers
//! in `requires`), so a stage that reads only the text is not sent 110 entities per document.
//! textpipe writes a batch of documents before it reads their answers; a program must write
//! (and flush) each answer when it is ready, because a crash or a timeout is charged to the
//! first document without an answer. The program ends when its stdin closes.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use textpipe_core::{Document, Entity, Layer, RemovedBlock, Span, Summary};
use textpipe_plugin::patch::DocumentPatch;

/// The protocol version this textpipe speaks; a program stating another one is refused.
pub const PROTOCOL_VERSION: u32 = 1;

/// The program's first line: who it is and what it needs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Hello {
    /// The protocol version the program speaks.
    pub textpipe_process: u32,
    /// The stage kind; must equal the pipeline entry's `stage`.
    pub stage: String,
    /// One line saying what the stage does.
    #[serde(default)]
    pub summary: String,
    /// A JSON Schema of the `with` object.
    #[serde(default = "empty_schema")]
    pub config_schema: Value,
    /// An example `with` object.
    #[serde(default = "empty_object")]
    pub example: Value,
    /// Layers that must exist before the stage runs.
    #[serde(default)]
    pub requires: Vec<String>,
    /// Layers the stage writes.
    #[serde(default)]
    pub provides: Vec<String>,
    /// Fields sent besides `id`, `text` and `lang`; `None`: the layers in `requires`.
    #[serde(default)]
    pub reads: Option<Vec<String>>,
    /// Languages the stage has models for; `None`: any.
    #[serde(default)]
    pub languages: Option<Vec<String>>,
}

fn empty_schema() -> Value {
    serde_json::json!({"type": "object", "properties": {}})
}

fn empty_object() -> Value {
    Value::Object(Map::new())
}

/// textpipe's answer to the hello.
#[derive(Debug, Serialize)]
pub struct Configure<'a> {
    /// The entry's `with` object.
    pub configure: &'a Value,
}

/// The program's answer to [`Configure`].
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigReply {
    /// `true` when the config was accepted.
    #[serde(default)]
    pub ready: bool,
    /// Every problem of the config, when it was refused.
    #[serde(default)]
    pub config_errors: Vec<ConfigProblem>,
}

/// One problem of a config as a program reports it.
#[derive(Debug, Deserialize)]
pub struct ConfigProblem {
    /// The key path under `with`.
    #[serde(default)]
    pub path: Vec<String>,
    /// What is wrong.
    pub message: String,
    /// The nearest valid key, for a typo.
    #[serde(default)]
    pub suggestion: Option<String>,
}

/// The program's answer for one document.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AnswerLine {
    /// The fields the stage changed.
    #[serde(default)]
    pub patch: Option<DocumentPatch>,
    /// Why the document failed.
    #[serde(default)]
    pub error: Option<String>,
}

/// Which optional fields of a document a stage is sent.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Reads {
    /// `meta`.
    pub meta: bool,
    /// `html`.
    pub html: bool,
    /// `sentences`.
    pub sentences: bool,
    /// `entities`.
    pub entities: bool,
    /// `summary`.
    pub summary: bool,
    /// `removed`.
    pub removed: bool,
    /// `ext`.
    pub ext: bool,
}

impl Reads {
    /// Every field: what a native plugin in a host process expects.
    pub const ALL: Reads = Reads {
        meta: true,
        html: true,
        sentences: true,
        entities: true,
        summary: true,
        removed: true,
        ext: true,
    };

    /// The fields named in a hello's `reads` (or the layers in `requires`); an unknown name is
    /// returned as the error.
    pub fn from_names<'a>(names: impl IntoIterator<Item = &'a str>) -> Result<Reads, String> {
        let mut reads = Reads::default();
        for name in names {
            let slot = match name {
                "meta" => &mut reads.meta,
                "html" => &mut reads.html,
                "sentences" => &mut reads.sentences,
                "entities" => &mut reads.entities,
                "summary" => &mut reads.summary,
                "removed" => &mut reads.removed,
                "ext" => &mut reads.ext,
                // Always sent.
                "id" | "text" | "lang" => continue,
                other => return Err(other.to_string()),
            };
            *slot = true;
        }
        Ok(reads)
    }

    /// Appends `doc` as one line, with only the fields this stage reads.
    pub fn write_document(&self, doc: &Document, out: &mut Vec<u8>) {
        let view = DocumentView {
            id: &doc.id,
            text: &doc.text,
            lang: doc.lang.as_deref(),
            meta: (self.meta && !doc.meta.is_empty()).then_some(&doc.meta),
            html: doc.html.as_ref().filter(|_| self.html),
            sentences: doc.sentences.as_ref().filter(|_| self.sentences),
            entities: doc.entities.as_ref().filter(|_| self.entities),
            summary: doc.summary.as_ref().filter(|_| self.summary),
            removed: doc.removed.as_ref().filter(|_| self.removed),
            ext: (self.ext && !doc.ext.is_empty()).then_some(&doc.ext),
        };
        // A view of a Document always serializes: its fields are strings, numbers and JSON.
        if serde_json::to_writer(&mut *out, &view).is_ok() {
            out.push(b'\n');
        }
    }
}

/// A document as sent to a stage: borrowed, with the fields it does not read left out.
#[derive(Serialize)]
struct DocumentView<'a> {
    id: &'a str,
    text: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    lang: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    meta: Option<&'a Map<String, Value>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    html: Option<&'a String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    sentences: Option<&'a Vec<Span>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    entities: Option<&'a Vec<Entity>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    summary: Option<&'a Summary>,
    #[serde(skip_serializing_if = "Option::is_none")]
    removed: Option<&'a Vec<RemovedBlock>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    ext: Option<&'a Map<String, Value>>,
}

/// Layer names as a hello writes them, parsed; an unknown name is returned as the error.
pub fn parse_layers(names: &[String]) -> Result<Vec<Layer>, String> {
    names
        .iter()
        .map(|name| Layer::from_name(name).ok_or_else(|| name.clone()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_document_is_sent_with_only_the_fields_the_stage_reads() {
        let mut doc = Document::new("d", "Für Anna.");
        doc.sentences = Some(vec![Span::new(0, 10)]);
        doc.entities = Some(vec![Entity::new(&doc.text.clone(), Span::new(5, 9), "PER")]);
        doc.meta.insert("url".into(), "http://x".into());
        let mut out = Vec::new();
        Reads::from_names(["sentences"])
            .unwrap()
            .write_document(&doc, &mut out);
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "{\"id\":\"d\",\"text\":\"Für Anna.\",\"sentences\":[{\"start\":0,\"end\":10}]}\n"
        );
    }

    #[test]
    fn unknown_read_names_are_refused() {
        assert_eq!(Reads::from_names(["sentence"]), Err("sentence".into()));
        assert!(Reads::from_names(["text", "ext"]).unwrap().ext);
    }

    #[test]
    fn a_minimal_hello_takes_defaults() {
        let hello: Hello =
            serde_json::from_str(r#"{"textpipe_process": 1, "stage": "x"}"#).unwrap();
        assert_eq!(hello.example, empty_object());
        assert!(hello.reads.is_none() && hello.requires.is_empty());
    }
}
