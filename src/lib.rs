//! textpipe: text-processing pipelines for news and web text.
//!
//! This facade only re-exports the workspace's crates, so a program can depend on `textpipe`
//! alone: [`core`] (documents, stages, pipelines, pipeline files), [`cli`] (readers, writers,
//! the runner) and the built-in stages.
#![deny(missing_docs)]

pub use textpipe_boilerplate as boilerplate;
pub use textpipe_cli as cli;
pub use textpipe_core as core;
pub use textpipe_entities as entities;
pub use textpipe_sentences as sentences;
pub use textpipe_summarize as summarize;
