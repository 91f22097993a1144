//! The [`Stage`] trait: one step of a pipeline.

use crate::document::Document;
use crate::span::Span;

/// What a stage reads or writes, so a pipeline can check its order before it runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Layer {
    /// The document text itself. A stage that *provides* it rewrites the text, which
    /// invalidates every span layer made before it.
    Text,
    /// `sentences`.
    Sentences,
    /// `entities`.
    Entities,
    /// `summary`.
    Summary,
    /// `removed`.
    Removed,
}

impl Layer {
    /// The layer's name as it appears in the JSON form of a document.
    pub const fn name(self) -> &'static str {
        match self {
            Layer::Text => "text",
            Layer::Sentences => "sentences",
            Layer::Entities => "entities",
            Layer::Summary => "summary",
            Layer::Removed => "removed",
        }
    }

    /// Parses a layer name as written in plugin descriptors.
    pub fn from_name(name: &str) -> Option<Layer> {
        Some(match name {
            "text" => Layer::Text,
            "sentences" => Layer::Sentences,
            "entities" => Layer::Entities,
            "summary" => Layer::Summary,
            "removed" => Layer::Removed,
            _ => return None,
        })
    }

    /// Layers that are spans into the text and so become wrong when the text is rewritten.
    pub const SPAN_LAYERS: [Layer; 3] = [Layer::Sentences, Layer::Entities, Layer::Summary];
}

impl std::fmt::Display for Layer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// One step of a pipeline: reads a document's layers and adds or rewrites some.
///
/// Stages are shared by all worker threads, so `process` takes `&self`; keep per-call scratch
/// space local or in a thread-local. A stage must never panic on any valid UTF-8 text, and every
/// span it writes must pass [`Document::check_spans`].
pub trait Stage: Send + Sync {
    /// The stage's name in pipeline files, errors and timings (its kind, e.g. `sentences`).
    fn name(&self) -> &str;

    /// Processes one document in place.
    fn process(&self, doc: &mut Document) -> Result<(), StageError>;

    /// Processes many documents; stages that gain from batching (plugins) override it.
    /// Results are per document, in order, so one failure never loses the others.
    fn process_batch(&self, docs: &mut [Document]) -> Vec<Result<(), StageError>> {
        docs.iter_mut().map(|doc| self.process(doc)).collect()
    }

    /// Layers that must exist before this stage runs.
    fn requires(&self) -> &[Layer] {
        &[]
    }

    /// Layers this stage writes.
    fn provides(&self) -> &[Layer] {
        &[]
    }
}

/// Why a stage could not process a document. The runner adds the document id and stage name.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum StageError {
    /// The document lacks something the stage needs (a layer, html, a meta field).
    #[error("missing input: {0}")]
    MissingInput(String),
    /// The document's content cannot be processed (too large, not text, ...).
    #[error("invalid input: {message}")]
    InvalidInput {
        /// What is wrong, in words a user can act on.
        message: String,
        /// Where in the text, when it applies.
        span: Option<Span>,
    },
    /// The stage itself failed (a plugin crashed or answered nonsense, ...).
    #[error("{0}")]
    Failed(String),
    /// The stage cannot go on at all (a process stage that kept crashing past its restart
    /// limit): this document fails, and the run stops once the documents before it are
    /// written, rather than failing every document after it one by one.
    #[error("{0}")]
    Fatal(String),
}

impl StageError {
    /// An [`StageError::InvalidInput`] without a span.
    pub fn invalid(message: impl Into<String>) -> Self {
        StageError::InvalidInput {
            message: message.into(),
            span: None,
        }
    }
}
