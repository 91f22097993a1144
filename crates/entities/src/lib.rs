//! Named-entity tagging for textpipe: people, organizations, locations and other names
//! (`PER`, `ORG`, `LOC`, `MISC`) as labelled byte spans, from a model trained by this crate.
#![deny(missing_docs)]

pub mod conll;
pub mod decode;
pub mod features;
pub mod gazetteer;
pub mod lexicon;
pub mod model;
mod overlap;
pub mod rules;
pub mod score;
pub mod stage;
pub mod tagger;
pub mod tags;
pub mod tokenize;
pub mod train;
pub mod unlabeled;
pub mod word_tables;

pub use model::Model;
pub use score::{ScoreReport, Scorer};
pub use stage::{EntitiesConfig, EntitiesFactory, EntitiesStage, GazetteerMode};
pub use tagger::{EntityTagger, TaggedSpan};
pub use tags::Label;
pub use train::{evaluate, train, TrainOptions, TrainReport};

/// Errors of training, evaluation, model loading and stage configuration.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum EntitiesError {
    /// A file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// The underlying error.
        source: std::io::Error,
    },
    /// A data file is malformed.
    #[error("{path}:{line}: {message}")]
    Format {
        /// The file.
        path: String,
        /// 1-based line (0 when unknown).
        line: usize,
        /// What is wrong.
        message: String,
    },
    /// A model file is not a valid model.
    #[error("bad model: {0}")]
    BadModel(String),
    /// Training could not run.
    #[error("training: {0}")]
    Training(String),
}
