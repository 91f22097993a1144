//! The heart of textpipe: the [`Document`] every stage works on, the [`Stage`] trait, the
//! [`Registry`] of stage kinds and the [`Pipeline`] that chains them.
//!
//! # Design
//!
//! A document owns its text once; stages annotate it with typed layers (sentences, entities,
//! summary, removed boilerplate) whose spans are UTF-8 byte ranges into that text (see
//! [`Span`]), plus an open `ext` map for everything else. The JSON form of a document is the
//! output contract and round-trips without loss.
//!
//! Stages declare the layers they require and provide, so a pipeline that cannot work (a
//! summary before sentences, boilerplate removal after spans were made) is refused before any
//! document is read, with every problem listed at once. Configs are typed structs parsed with
//! [`parse_config`], which reports every unknown key (with the nearest valid one) and bad value.
//!
//! [`Pipeline::process_batch`] is the one stage loop: it times each stage, counts what it did
//! ([`StageCounters`]) and isolates failures and panics to the document that caused them, as
//! [`ErrorRecord`]s. This crate does no I/O: the parallel runner and writers live in
//! `textpipe-runner`, readers and the command line in `textpipe-cli`.
//!
//! ```
//! use textpipe_core::{Document, Layer, Pipeline, Span, Stage, StageError};
//!
//! struct WholeText;
//! impl Stage for WholeText {
//!     fn name(&self) -> &str { "whole-text" }
//!     fn process(&self, doc: &mut Document) -> Result<(), StageError> {
//!         doc.sentences = Some(vec![Span::new(0, doc.text.len())]);
//!         Ok(())
//!     }
//!     fn provides(&self) -> &[Layer] { &[Layer::Sentences] }
//! }
//!
//! let pipeline = Pipeline::new("demo", vec![Box::new(WholeText)], &[]).unwrap();
//! let doc = pipeline.process(Document::new("1", "One sentence.")).document().cloned().unwrap();
//! assert_eq!(doc.sentence_text(0), Some("One sentence."));
//! ```
#![deny(missing_docs)]

pub mod checked_file;
pub mod config;
pub mod document;
pub mod json_line;
pub mod json_write;
pub mod language;
pub mod pipeline;
pub mod pipeline_file;
pub mod record;
pub mod registry;
pub mod run_report;
pub mod score;
pub mod serbian;
pub mod span;
pub mod stage;

pub use config::{parse_config, ConfigError};
pub use document::{Document, DropReason, Entity, LayerError, RemovedBlock, Summary, CONLL_FORMAT};
pub use json_line::document_from_json_line;
pub use language::{language_gate, primary_language, LanguageFallback, SkipNote, DEFAULT_LANGUAGE};
pub use pipeline::{OrderError, Pipeline};
pub use pipeline_file::{
    LoadError, PipelineFile, PipelineFileError, PipelineFormat, PluginLoader, ProcessEntry,
    ProcessLoader, StageEntry,
};
pub use record::{ErrorRecord, Outcome, INPUT_STAGE};
pub use registry::{BuildContext, Registry, StageFactory};
pub use run_report::{RunReport, StageCounters};
pub use score::f1;
pub use span::{OffsetConverter, Span, SpanError};
pub use stage::{Layer, Stage, StageError};
