//! textpipe: text-processing pipelines for news and web text.
//!
//! This facade is what a program depends on: it fills the registry of built-in stage kinds
//! ([`builtin_registry`]), holds the default pipeline ([`default_pipeline`]) and re-exports the
//! workspace's crates: [`core`] (documents, stages, pipelines, pipeline files), [`runner`] (the
//! ordered parallel run layer and its sinks), [`cli`] (readers and the command line) and the
//! built-in stages.
//!
//! The default pipeline over one text, and over many on every core, in input order:
//!
//! ```
//! use textpipe::core::{Document, Outcome};
//! use textpipe::runner::{run, CollectSink, RunOptions};
//!
//! let pipeline = textpipe::default_pipeline();
//! let text = "Residents of Port Ellery voted on Tuesday to build a sea wall. \
//!             The council said work would start in May.";
//! let outcome = pipeline.process(Document::new("a", text));
//! let doc = outcome.document().expect("the default pipeline handles plain text");
//! assert_eq!(doc.sentence_spans().len(), 2);
//!
//! let texts = ["First story. It rains.", "Second story. It snows."];
//! let docs = texts.iter().enumerate().map(|(i, t)| Outcome::from(Document::new(i.to_string(), *t)));
//! let mut sink = CollectSink::default();
//! let report = run(&pipeline, docs, &mut sink, &RunOptions::default(), &mut |_| {}).unwrap();
//! assert_eq!((report.written, sink.outcomes.len()), (2, 2));
//! ```
#![deny(missing_docs)]

use std::path::Path;
use std::sync::Arc;

pub use textpipe_boilerplate as boilerplate;
pub use textpipe_cli as cli;
pub use textpipe_core as core;
pub use textpipe_entities as entities;
pub use textpipe_language as language;
pub use textpipe_runner as runner;
pub use textpipe_sentences as sentences;
pub use textpipe_summarize as summarize;

use textpipe_core::{Layer, LoadError, Pipeline, Registry};

/// The default pipeline, as a pipeline file: language identification, boilerplate removal,
/// sentences, entities and a three-sentence summary. Compiled in, so the main job needs no file and no download.
pub const DEFAULT_PIPELINE: &str = include_str!("default_pipeline.json");

/// A registry holding every built-in stage kind.
///
/// Each stage crate exports one factory; wiring a new one is one `register` line.
pub fn builtin_registry() -> Registry {
    let mut registry = Registry::new();
    registry.register(Arc::new(textpipe_language::LanguageFactory));
    registry.register(Arc::new(textpipe_boilerplate::BoilerplateFactory));
    registry.register(Arc::new(textpipe_sentences::SentencesFactory));
    registry.register(Arc::new(textpipe_entities::EntitiesFactory));
    registry.register(Arc::new(textpipe_summarize::SummarizeFactory));
    registry
}

/// What the command line is built with: the built-in kinds and the default pipeline.
pub const BUILTINS: textpipe_cli::Builtins = textpipe_cli::Builtins {
    registry: builtin_registry,
    default_pipeline: DEFAULT_PIPELINE,
};

/// The default pipeline, built. It is compiled in and checked by the test suite, so building
/// it cannot fail.
pub fn default_pipeline() -> Pipeline {
    load_pipeline(None, &[]).expect("the default pipeline builds")
}

/// Reads and builds the pipeline file at `path` (JSON, or TOML by extension) against the
/// built-in kinds, loading the plugin libraries it names; `None` is the default pipeline.
/// `assumed` are layers the input documents already carry.
pub fn load_pipeline(path: Option<&Path>, assumed: &[Layer]) -> Result<Pipeline, LoadError> {
    BUILTINS.load_pipeline(path, assumed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_builtin_kind_passes_the_compliance_check() {
        let registry = builtin_registry();
        let kinds: Vec<&str> = registry.kinds().map(|f| f.kind()).collect();
        assert_eq!(
            kinds,
            [
                "boilerplate",
                "entities",
                "language",
                "sentences",
                "summarize"
            ]
        );
        for factory in registry.kinds() {
            textpipe_testkit::check_factory(factory.as_ref());
        }
    }

    #[test]
    fn the_default_pipeline_builds() {
        let pipeline = default_pipeline();
        let names: Vec<&str> = pipeline.stages().iter().map(|s| s.name()).collect();
        assert_eq!(
            names,
            [
                "language",
                "boilerplate",
                "sentences",
                "entities",
                "summarize"
            ]
        );
    }
}
