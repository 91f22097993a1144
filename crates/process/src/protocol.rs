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
use textpipe_core::Layer;
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
    fn a_minimal_hello_takes_defaults() {
        let hello: Hello =
            serde_json::from_str(r#"{"textpipe_process": 1, "stage": "x"}"#).unwrap();
        assert_eq!(hello.example, empty_object());
        assert!(hello.reads.is_none() && hello.requires.is_empty());
    }
}
