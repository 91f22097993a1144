//! The document that flows through every stage, and its annotation layers.
//!
//! The JSON form of [`Document`] is textpipe's output contract:
//!
//! ```json
//! {"id": "...", "text": "...", "lang": "en", "meta": {...}, "html": "...",
//!  "sentences": [{"start": 0, "end": 12}],
//!  "entities": [{"start": 0, "end": 4, "label": "LOC", "text": "Iraq", "source": "model", "score": 0.98}],
//!  "summary": {"text": "...", "sentences": [0, 3], "scores": [0.9, 0.1, 0.2, 0.7]},
//!  "removed": [{"text": "We use cookies...", "reason": "cookie-notice"}],
//!  "ext": {"keywords": [...]},
//!  "skipped": [{"stage": "entities", "reason": "no model for lang=fi", "lang": "fi"}]}
//! ```
//!
//! Layers a document does not have are omitted, and an empty layer (a stage ran and found
//! nothing) is kept as `[]`, so a document round-trips through JSON without loss.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::language::SkipNote;
use crate::span::{Span, SpanError};
use crate::stage::Layer;

/// `meta.format` of a document read from a CoNLL file (see [`Document::is_conll_corpus_text`]).
pub const CONLL_FORMAT: &str = "conll";

/// One document: its text, what is known about it, and what stages found in it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Document {
    /// Identifier given by the input (file path, JSONL `id`, ...), unique within a run.
    pub id: String,
    /// The text that every span points into. Boilerplate removal rewrites it.
    pub text: String,
    /// The language tag (`en`, `de`, `zh-Hans`), from the input or language identification;
    /// see [`crate::language`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lang: Option<String>,
    /// Free-form metadata: `title`, `url`, `author`, `date`, `format`, input fields we keep.
    #[serde(default, skip_serializing_if = "Map::is_empty")]
    pub meta: Map<String, Value>,
    /// The HTML the document came from, when it came from HTML.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub html: Option<String>,
    /// Sentence spans, sorted and disjoint.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sentences: Option<Vec<Span>>,
    /// Entity mentions, sorted and disjoint.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entities: Option<Vec<Entity>>,
    /// The extractive summary.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<Summary>,
    /// Blocks that boilerplate removal dropped, with the reason, so cleaning is auditable.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub removed: Option<Vec<RemovedBlock>>,
    /// Data of other stages (plugins, custom code), keyed by stage name.
    #[serde(default, skip_serializing_if = "Map::is_empty")]
    pub ext: Map<String, Value>,
    /// Stages that left their layer out of this document, and why (a language without a model).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub skipped: Vec<SkipNote>,
}

/// A labelled mention in the text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entity {
    /// First byte of the mention.
    pub start: usize,
    /// One past the last byte of the mention.
    pub end: usize,
    /// `PER`, `ORG`, `LOC`, `MISC`, or a rule label such as `DATE`.
    pub label: String,
    /// The mention's text, `text[start..end]`, repeated for readers of the JSON.
    pub text: String,
    /// What found it: `model`, `gazetteer`, `rule`, or a plugin's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// The model's confidence in `[0, 1]`, when a model found it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub score: Option<f32>,
}

impl Entity {
    /// An entity over `span` of `text`; `text` is what the span points into.
    ///
    /// Panics if the span does not slice `text`: callers build spans from the same text.
    pub fn new(text: &str, span: Span, label: impl Into<String>) -> Self {
        Entity {
            start: span.start,
            end: span.end,
            label: label.into(),
            text: text[span.start..span.end].to_owned(),
            source: None,
            score: None,
        }
    }

    /// The byte span of the mention.
    pub fn span(&self) -> Span {
        Span::new(self.start, self.end)
    }
}

/// An extractive summary: chosen sentences in document order.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Summary {
    /// The chosen sentences' text joined by a space.
    pub text: String,
    /// Indices into the document's `sentences` layer, ascending.
    pub sentences: Vec<usize>,
    /// The score of every sentence of the document (same order as `sentences` of the
    /// document), so a reader can see why these were chosen.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scores: Option<Vec<f32>>,
}

/// A block of the source that boilerplate removal dropped.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RemovedBlock {
    /// The block's text as it was in the source.
    pub text: String,
    /// Why it was dropped: `cookie-notice`, `navigation`, `share-bar`, `classifier`, ...
    pub reason: DropReason,
    /// The block's position among all blocks of the source (0-based), to restore order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub position: Option<usize>,
    /// The classifier's probability that the block is content, when a classifier decided.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub score: Option<f32>,
}

/// Why a block was dropped (the `reason` of a [`RemovedBlock`]): a short name, most often one
/// of the stage's fixed names, which are then borrowed rather than copied. A page of plain text
/// drops hundreds of blocks, and one allocation per reason was a measurable part of a run. In
/// JSON it is a plain string.
///
/// ```
/// use textpipe_core::document::DropReason;
/// let fixed = DropReason::from("cookie-notice");
/// let made = DropReason::from(format!("drop-{}", "pattern"));
/// assert_eq!(fixed, "cookie-notice");
/// assert_eq!(made.as_str(), "drop-pattern");
/// assert_eq!(serde_json::to_string(&fixed).unwrap(), "\"cookie-notice\"");
/// ```
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct DropReason(std::borrow::Cow<'static, str>);

impl DropReason {
    /// The reason as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::ops::Deref for DropReason {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for DropReason {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

/// Shown as the string it is (as a `String` reason was), so debug dumps of extractions stay the
/// same.
impl std::fmt::Debug for DropReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(&*self.0, f)
    }
}

impl std::fmt::Display for DropReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<&'static str> for DropReason {
    fn from(reason: &'static str) -> Self {
        DropReason(std::borrow::Cow::Borrowed(reason))
    }
}

impl From<String> for DropReason {
    fn from(reason: String) -> Self {
        DropReason(std::borrow::Cow::Owned(reason))
    }
}

impl PartialEq<str> for DropReason {
    fn eq(&self, other: &str) -> bool {
        *self.0 == *other
    }
}

impl PartialEq<&str> for DropReason {
    fn eq(&self, other: &&str) -> bool {
        *self.0 == **other
    }
}

impl PartialEq<DropReason> for &str {
    fn eq(&self, other: &DropReason) -> bool {
        **self == *other.0
    }
}

/// A layer whose spans are not valid for the document's text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{layer}[{index}]: {error}")]
pub struct LayerError {
    /// `sentences` or `entities`.
    pub layer: &'static str,
    /// Index of the offending item in the layer.
    pub index: usize,
    /// What is wrong with it.
    pub error: SpanError,
}

impl Document {
    /// A document with only an id and text.
    pub fn new(id: impl Into<String>, text: impl Into<String>) -> Self {
        Document {
            id: id.into(),
            text: text.into(),
            ..Document::default()
        }
    }

    /// True for corpus text read from a CoNLL file (`meta.format` is [`CONLL_FORMAT`]): the
    /// article already, a sentence per line, its `sentences` layer the file's own. Boilerplate
    /// removal passes it through and the sentence splitter keeps the file's sentences: a
    /// guess can only be worse than what the file says.
    pub fn is_conll_corpus_text(&self) -> bool {
        self.meta.get("format").and_then(Value::as_str) == Some(CONLL_FORMAT)
    }

    /// True when the document has `layer` (an empty layer counts: a stage found nothing, but
    /// ran); the text always counts.
    pub fn carries(&self, layer: Layer) -> bool {
        match layer {
            Layer::Text => true,
            Layer::Sentences => self.sentences.is_some(),
            Layer::Entities => self.entities.is_some(),
            Layer::Summary => self.summary.is_some(),
            Layer::Removed => self.removed.is_some(),
        }
    }

    /// The text of the `index`-th sentence, if the layer and the sentence exist.
    pub fn sentence_text(&self, index: usize) -> Option<&str> {
        self.sentences.as_ref()?.get(index)?.slice(&self.text)
    }

    /// The sentence layer, or an empty slice when there is none.
    pub fn sentence_spans(&self) -> &[Span] {
        self.sentences.as_deref().unwrap_or(&[])
    }

    /// Checks the invariant every stage must keep: each span of each layer lies inside the
    /// text on char boundaries; sentences and entities are sorted and disjoint; each entity's
    /// `text` equals the text it spans; summary indices point at existing sentences.
    pub fn check_spans(&self) -> Result<(), LayerError> {
        let spans = |layer: &'static str, items: Vec<Span>| -> Result<(), LayerError> {
            let mut previous: Option<Span> = None;
            for (index, span) in items.into_iter().enumerate() {
                let fail = |error| LayerError {
                    layer,
                    index,
                    error,
                };
                span.check(&self.text).map_err(fail)?;
                if let Some(earlier) = previous {
                    if span.start < earlier.end || span.start < earlier.start {
                        return Err(fail(SpanError::Unordered {
                            earlier,
                            later: span,
                        }));
                    }
                }
                previous = Some(span);
            }
            Ok(())
        };
        if let Some(sentences) = &self.sentences {
            spans("sentences", sentences.clone())?;
        }
        if let Some(entities) = &self.entities {
            spans("entities", entities.iter().map(Entity::span).collect())?;
            for (index, entity) in entities.iter().enumerate() {
                if self.text[entity.start..entity.end] != entity.text {
                    return Err(LayerError {
                        layer: "entities",
                        index,
                        error: SpanError::TextMismatch(entity.span()),
                    });
                }
            }
        }
        if let Some(summary) = &self.summary {
            let count = self.sentence_spans().len();
            if let Some((index, _)) = summary
                .sentences
                .iter()
                .enumerate()
                .find(|(_, &s)| s >= count)
            {
                return Err(LayerError {
                    layer: "summary",
                    index,
                    error: SpanError::OutOfBounds {
                        span: Span::new(summary.sentences[index], summary.sentences[index] + 1),
                        len: count,
                    },
                });
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn absent_layers_are_omitted_and_empty_ones_kept() {
        let mut doc = Document::new("a", "Hi.");
        assert_eq!(
            serde_json::to_string(&doc).unwrap(),
            r#"{"id":"a","text":"Hi."}"#
        );
        doc.sentences = Some(vec![]);
        assert_eq!(
            serde_json::to_string(&doc).unwrap(),
            r#"{"id":"a","text":"Hi.","sentences":[]}"#
        );
    }

    #[test]
    fn check_spans_catches_overlap_and_mismatch() {
        let mut doc = Document::new("a", "Paris is big.");
        doc.sentences = Some(vec![Span::new(0, 13)]);
        doc.entities = Some(vec![Entity::new(&doc.text, Span::new(0, 5), "LOC")]);
        assert!(doc.check_spans().is_ok());
        doc.sentences = Some(vec![Span::new(0, 8), Span::new(6, 13)]);
        assert!(doc.check_spans().is_err());
        doc.sentences = None;
        doc.entities.as_mut().unwrap()[0].text = "Rome".into();
        assert!(doc.check_spans().is_err());
    }

    fn any_document() -> impl Strategy<Value = Document> {
        (
            "\\PC{0,40}",
            "\\PC{0,80}",
            proptest::option::of("\\PC{0,20}"),
            any::<bool>(),
        )
            .prop_map(|(id, text, title, with_layers)| {
                let mut doc = Document::new(id, text);
                if let Some(title) = title {
                    doc.meta.insert("title".into(), Value::String(title));
                }
                if with_layers {
                    let end = doc.text.len();
                    doc.sentences = Some(vec![Span::new(0, end)]);
                    doc.entities = Some(vec![Entity {
                        source: Some("model".into()),
                        score: Some(0.5),
                        ..Entity::new(&doc.text, Span::new(0, end), "MISC")
                    }]);
                    doc.summary = Some(Summary {
                        text: doc.text.clone(),
                        sentences: vec![0],
                        scores: Some(vec![1.0]),
                    });
                    doc.removed = Some(vec![RemovedBlock {
                        text: "Share this".into(),
                        reason: "share-bar".into(),
                        position: Some(3),
                        score: None,
                    }]);
                    doc.ext.insert("x".into(), serde_json::json!({"k": [1, 2]}));
                    doc.lang = Some("zh-Hans".into());
                    doc.skipped.push(SkipNote {
                        stage: "entities".into(),
                        reason: "no model for lang=fi".into(),
                        lang: Some("fi".into()),
                    });
                }
                doc
            })
    }

    proptest! {
        #[test]
        fn any_document_round_trips_through_json(doc in any_document()) {
            let json = serde_json::to_string(&doc).unwrap();
            let back: Document = serde_json::from_str(&json).unwrap();
            prop_assert_eq!(back, doc);
        }
    }
}
