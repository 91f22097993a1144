//! Named-entity tagging for textpipe: people, organizations, locations and other names
//! (`PER`, `ORG`, `LOC`, `MISC`) as labelled byte spans, from a model trained by this crate,
//! plus user name lists (gazetteers) and switchable rules for dates, times, amounts, e-mails
//! and URLs.
//!
//! # Design
//!
//! The tagger is an **averaged perceptron over hashed features**, not a neural network,
//! decoded either greedily, left to right with the previous tags as features, or by
//! **Viterbi** over a first-order tag sequence model trained as a structured perceptron (see
//! [`decode`]). For news-style NER, Ratinov & Roth (2009) found greedy decoding with good
//! features and document-level history about as good as Viterbi, and so it was in most
//! languages here: the sequence decoder changed cross-validated F1 by 0.1 on average over
//! seven spaced-script languages, so of those only the Slovak model uses it (see the README).
//! English, trained on news and web text together, is another exception: Viterbi gained 0.6
//! in 5-fold cross-validation on both seeds tried, mostly by getting the ends of names
//! right, and more on web text than on news. Chinese, tagged per
//! character, is the third: there a greedy tagger decides where a name ends one
//! character at a time, and Viterbi gained five to seven points in cross-validation. The speed budget (megabytes per second
//! on one core) rules out anything that multiplies per token by more than a few dozen memory
//! reads, so everything is arranged around that:
//!
//! - [`tokenize`] cuts text into tokens with byte offsets the way CoNLL-2003 does (possessives
//!   split, hyphenated names and `U.S.` kept whole), so features mean what they meant in
//!   training.
//! - [`features`] turns each token into 64-bit hashes once (form, lowercase, shapes, affixes)
//!   and each position into about fifty feature hashes: the word and its neighbours,
//!   shapes, the two previous tags, the name [`lexicon`] built from the training data, how
//!   often the word is capitalized mid-sentence in unlabeled text ([`word_tables`]), how it is
//!   written elsewhere in the same document, and what the tagger called it earlier in the
//!   document. The English model also reads what the word's other occurrences in the
//!   document stand beside, later ones included ("Leeds" where the report also says "Leeds
//!   United"; [`features::mention_context`]), and the section and layout of wire stories
//!   ([`features::layout`]). Documents in the first and second person (web text) get a second copy of
//!   every feature of their own, and sentences typed without capitals another, so one model
//!   serves news and web text. No feature string is
//!   ever built, so tagging allocates nothing per token.
//! - [`model`] keeps one row of nine tag weights per hash bucket, as 8-bit codes on a
//!   square-root scale: 9 MB for 2^20 rows, small enough to stay in a server's last-level
//!   cache, and about 1 MB compressed. The shipped model is embedded with `include_bytes!`
//!   and decoded once, on first use, for all threads.
//! - [`train`](mod@train) learns the weights with the same decoder the tagger uses (greedy or Viterbi),
//!   averaged over all
//!   steps and over several perceptrons that saw the documents in different orders; it also
//!   deals with mixing CoNLL-2003 (with `MISC`) and UNER EWT (without). The Viterbi
//!   decoder's model can instead be trained as a linear-chain CRF ([`crf`], `--loss crf`):
//!   the same features and file format, learned by conditional log-likelihood with an L2
//!   penalty.
//! - [`tags`] reads mentions out of the tag sequence as the model tagged it. Two mentions of
//!   different labels side by side stay two ("UN-a"/ORG "Kofi Annan"/PER, "Australian"/MISC
//!   "Tom Moody"/PER): an earlier rule joined them under the last one's label, for the greedy
//!   decoder's "Kataib"/PER "Hezbollah"/ORG, and cost eleven of the thirteen languages up
//!   to 4 F1 in cross-validation (see the crate README, *Neighbouring mentions stay apart*).
//! - [`document_pass`] corrects the whole document's tags afterwards: a name tagged with
//!   confidence labels its other exact occurrences (and a person's later surname), and
//!   unconfident mentions in all-caps sentences can be dropped.
//! - [`score`] is the exact-span scorer the dev numbers in the README come from.
//!
//! # Languages
//!
//! One model per language, all from the same trainer and features: what carries across
//! languages is learned from each language's data (suffixes for inflected languages, name
//! lexicons, capitalization statistics that mean little in German, where every noun is
//! capitalized) rather than written as per-language rules. [`languages`] lists the shipped
//! models; the stage picks one by the document's `lang` through
//! [`textpipe_core::language_gate`] and never tags a language it has no model for. Chinese is
//! tagged per character (see [`tokenize`]), so no word segmenter stands between the text and
//! the spans; the training data's own segmentation comes back as features instead, through
//! a word dictionary the [`lexicon`] cuts character runs with. The date and amount [`rules`] are compiled per language and stay off where they
//! do not know the language's forms.
//!
//! The stage ([`EntitiesFactory`], kind `entities`) uses the sentence layer when a sentence
//! stage ran and finds sentences itself otherwise.
//!
//! ```
//! use textpipe_core::{BuildContext, Document, StageFactory};
//! use textpipe_entities::EntitiesFactory;
//!
//! let stage = EntitiesFactory
//!     .build(&serde_json::json!({"rules": ["MONEY"]}), &BuildContext::new("."))
//!     .unwrap();
//! let mut doc = Document::new("1", "Angela Merkel met Emmanuel Macron in Paris to discuss a $5m fund.");
//! stage.process(&mut doc).unwrap();
//! let found: Vec<(&str, &str)> = doc.entities.as_ref().unwrap().iter()
//!     .map(|e| (e.text.as_str(), e.label.as_str()))
//!     .collect();
//! assert!(found.contains(&("Paris", "LOC")));
//! assert!(found.contains(&("$5m", "MONEY")));
//! ```
#![deny(missing_docs)]

pub mod clusters;
pub mod conll;
pub mod crf;
pub mod decode;
pub mod document_pass;
pub mod features;
pub mod gazetteer;
pub mod languages;
pub mod lexicon;
pub mod model;
mod overlap;
pub mod rewrite;
pub mod rules;
pub mod score;
pub mod stage;
pub mod tagger;
pub mod tags;
pub mod tokenize;
pub mod train;
pub mod unlabeled;
pub mod word_tables;

pub use document_pass::DocumentPass;
pub use model::{FeatureGroups, Model};
pub use score::{ScoreReport, Scorer};
pub use stage::{EntitiesConfig, EntitiesFactory, EntitiesStage, GazetteerMode};
pub use tagger::{EntityTagger, TaggedSpan};
pub use tags::Label;
pub use train::{evaluate, evaluate_with, train, TrainOptions, TrainReport};

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
