//! Boilerplate removal: a web page in, the article's text out, and an audit trail of every
//! block that was dropped and why.
//!
//! The `boilerplate` stage ([`BoilerplateFactory`]) reads a document's `html` when it has one
//! and its text otherwise, rewrites `text` to the article (title, headings and body in reading
//! order, one paragraph per line or blank-line-separated in HTML mode), fills `removed` with
//! each dropped block and its reason (`cookie-notice`, `navigation`, `share-bar`, ...), and
//! puts the page's title, author, date, canonical url and language into `meta`, with the
//! article's figure captions and photo credits in `meta.captions` rather than in the text.
//!
//! # Design
//!
//! **Blocks, then a classifier.** Both modes cut the page into blocks: lines of flattened text,
//! or runs of text between block-level tags of HTML ([`html`]). Every block then gets the same
//! kind of decision: keep or drop. The decision is *learned*, because the cues that separate a
//! cookie notice from a paragraph are lexical ("cookies", "consent") and positional (first
//! block, far from the long paragraphs) as much as about length, and hand-tuned thresholds on
//! length and stop-word density (the classic boilerpipe recipe) cannot see them.
//!
//! **Two stacked logistic regressions** ([`model`]). The block model scores each block from
//! [`features`]: shape (length, stop-word, punctuation, digit and capital ratios, link
//! density), position, neighbours, container statistics (share of the page's prose in the
//! block's parent elements), markup (tag names and class/id tokens of the nearest ancestors),
//! lexical [`cues`] and hashed words. The context model rescores each block from the block
//! model's logits of it, its neighbours and its container siblings, which is how a short
//! subheading between two paragraphs survives and a short line among menu items does not, and
//! from how the block compares with the page's most confident blocks, so an article on a page
//! unlike the training pages still stands out from its own page; a second context round reads
//! the first round's logits the same way. A
//! linear model is small enough to ship as JSON, trains in seconds, scores a block with one
//! sparse dot product and can be read; gradient-boosted trees might gain a little accuracy at
//! the cost of all four.
//!
//! **A streaming parse** ([`html`]). html5gum's WHATWG tokenizer feeds an explicit element
//! stack; there is no DOM, so nothing recurses (a page of 100,000 nested tags is fine), memory
//! is the page plus its blocks, and the whole stage runs at the speed of the tokenizer.
//!
//! **Measured like the benchmarks** ([`score`]): precision and recall of word 4-gram shingles
//! of predicted against gold text, averaged over pages. Training labels come from the same
//! overlap ([`dataset`]), the shipped weights from [`train`] with 5-fold cross-validation by
//! page behind every reported number. `examples/train_boilerplate.rs` retrains and rewrites
//! `model/*.json`; `examples/evaluate_boilerplate.rs` prints the cross-validated scores.
//!
//! Users steer it without retraining: `drop_patterns` and `keep_patterns` (regexes) override
//! the classifier for blocks they match.
//!
//! ```
//! use textpipe_boilerplate::BoilerplateFactory;
//! use textpipe_core::{BuildContext, Document, StageFactory};
//!
//! let stage = BoilerplateFactory
//!     .build(&serde_json::json!({"mode": "text"}), &BuildContext::new("."))
//!     .unwrap();
//! let mut doc = Document::new("1", "Share this article\nThe river rose above its banks on \
//!     Sunday night, and by morning the water had reached the doors of the old mill.\n\
//!     Residents of the lower town spent the night in the school, where volunteers served \
//!     soup and found them blankets.\n");
//! stage.process(&mut doc).unwrap();
//! assert!(doc.text.starts_with("The river rose"));
//! assert_eq!(doc.removed.unwrap()[0].reason, "share-bar");
//! ```
#![deny(missing_docs)]

pub mod block;
pub mod byline;
pub mod cues;
pub mod dataset;
pub mod extract;
pub mod features;
pub mod html;
pub mod markdown;
pub mod model;
pub mod score;
pub mod snippets;
pub mod stage;
pub mod train;
pub mod trees;
pub mod words;

pub use extract::{Extraction, Extractor, Overrides};
pub use stage::{BoilerplateConfig, BoilerplateFactory, BoilerplateStage, Mode};

/// A fixed pseudo-random sequence (a linear congruential generator) for tests that hold two
/// implementations together on many generated inputs: each `next(m)` is in `0..m`.
#[cfg(test)]
pub(crate) fn test_sequence(seed: u64) -> impl FnMut(u64) -> u64 {
    let mut state = seed;
    move |modulus| {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (state >> 33) % modulus
    }
}
