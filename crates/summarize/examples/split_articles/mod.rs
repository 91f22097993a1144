//! How the examples split dev-set articles into sentences.
//!
//! CNN/DailyMail text comes one sentence per line, as the data set's own splitter left it, so
//! its lines stay (that is what "lead-3" means in the literature). Prose (BBC) goes through
//! the pipeline's own `textpipe_sentences::SentenceSplitter`, so a configuration is scored on
//! the sentences the `sentences` stage will give it.
use textpipe_sentences::SentenceSplitter;
use textpipe_summarize::evaluation::{resplit, Article};

/// Resplits prose articles with the real splitter; one-sentence-per-line articles keep lines.
pub fn split_articles(articles: &mut [Article]) {
    let splitter = SentenceSplitter::new();
    resplit(articles, |text| splitter.split(text));
}
