//! Extractive summarization for textpipe: the `summarize` stage picks the sentences of a
//! document that best summarize it, under a budget, and writes the `summary` layer with the
//! score of every sentence so a reader can see why those were chosen.
//!
//! # Design
//!
//! Two families of unsupervised summarizers dominate practice, and each wins somewhere: in
//! news the first sentences (lead-k) are hard to beat, because journalists write the point
//! first; in reference summaries made by selecting "typical" sentences, graph centrality
//! (TextRank, LexRank) wins. Rather than pick one, the stage scores each sentence on a few
//! cheap, interpretable features (see [`features`]): position, paragraph starts, LexRank and
//! TextRank centrality, similarity to the centroid, overlap with `meta.title`, name density
//! (from the `entities` layer when present), length and punctuation priors, and whether the
//! span is a fragment rather than a sentence (bylines, datelines). A linear model ([`model`])
//! mixes them with weights learned against greedy-oracle labels, starting from the lead
//! baseline and pulled back toward it: the data must earn every departure from position.
//! Selection ([`selection`]) is greedy with an optional redundancy penalty (maximal marginal
//! relevance) and never cuts a sentence.
//!
//! How much the summary may hold changes which evidence counts: for a 3-sentence teaser of a
//! 30-sentence story, position; for a summary of 40% of the article, lead-k takes every
//! sentence near the top whatever it says, and centrality decides more. The features carry
//! the budget's share of the document (`_x_share` features, see [`features`]), so one weight
//! set can follow both regimes. Two weight sets ship:
//!
//! - `news` (the default): fitted on CNN/DailyMail highlights (3 sentences) and BBC News
//!   references (about 40% of the article) together, the pull toward lead chosen so that
//!   neither set loses against lead-k in cross-validation. At teaser budgets it stays close
//!   to lead-k, except that fragments (bylines, `PUBLISHED:` lines, datelines in capitals)
//!   always rank below real sentences; at long budgets it leans on TextRank;
//! - `bbc` (`"weights": "bbc"`): fitted on BBC News references alone, which a graph ranker
//!   made; it scores about as TextRank alone does (the graph already holds nearly all the
//!   signal a linear mix can use there), so for that style `"method": "centrality"` is the
//!   simpler choice. What made TextRank match those references was tokenizing its graph the
//!   plain way (see [`terms`]), not more features.
//!
//! Why a linear model: the data is about a thousand articles, the features already carry the
//! signal, and a handful of weights can be read, argued about and retrained in seconds
//! (`cargo run --release -p textpipe-summarize --example train_summaries`). The config can also switch
//! to pure `lead` or pure `centrality`, which are the baselines the learned mix must beat.
//!
//! Summaries work in 16 languages (see [`languages`]): each has its own stop words, word
//! finding and stemming, with character bigrams for Chinese and Japanese, which are written
//! without spaces. The stage reads the document's `lang` through
//! [`textpipe_core::language_gate`]: in a language it has no statistics for, it leaves the
//! summary out and records a skip note (config `fallback`: `skip`, `english` or `error`),
//! since English statistics would rank sentences by their function words. A document whose
//! sentence layer is missing gets a skip note too.
//!
//! Everything is per document and allocation-light: terms are numbered per document, graphs
//! are small dense matrices, so a news article takes well under a millisecond.
//!
//! [`rouge`] computes ROUGE exactly like Google's `rouge-score` package, and [`evaluation`]
//! scores configurations on the dev sets with cross-validation by article.
//!
//! ```
//! use textpipe_core::{BuildContext, Document, Span, StageFactory};
//! use textpipe_summarize::SummarizeFactory;
//!
//! let stage = SummarizeFactory
//!     .build(&serde_json::json!({"sentences": 2}), &BuildContext::new("."))
//!     .unwrap();
//! let mut doc = Document::new("1", "Storm hits coast. Power is cut. Schools shut.");
//! doc.sentences = Some(vec![Span::new(0, 17), Span::new(18, 31), Span::new(32, 45)]);
//! doc.meta.insert("title".into(), "Storm hits the coast".into());
//! stage.process(&mut doc).unwrap();
//! let summary = doc.summary.unwrap();
//! assert_eq!(summary.sentences.len(), 2);
//! assert_eq!(summary.scores.unwrap().len(), 3); // one score per sentence: why these two
//! ```
#![deny(missing_docs)]

pub mod centrality;
pub mod config;
pub mod evaluation;
pub mod features;
pub mod languages;
pub mod model;
pub mod rouge;
pub mod selection;
mod stage;
pub mod terms;

pub use config::{Budget, Graph, Method, SummarizeConfig};
pub use model::LinearModel;
pub use rouge::{Rouge, RougeScore, RougeScores};
pub use stage::{SummarizeFactory, Summarizer};

/// Errors of the training and evaluation API and of weights files.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SummarizeError {
    /// A weights file is malformed or was made for another feature set.
    #[error("weights: {0}")]
    Weights(String),
    /// A file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// Why.
        source: std::io::Error,
    },
    /// A data set line is not a valid record.
    #[error("{path}, line {line}: {message}")]
    Dataset {
        /// The data file.
        path: String,
        /// 1-based line number.
        line: usize,
        /// What is wrong.
        message: String,
    },
}
