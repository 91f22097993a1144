//! Summaries of any text, after sentence splitting (the layer summarize requires).
#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use textpipe_core::{Document, Stage};

static SENTENCES: LazyLock<Box<dyn Stage>> =
    LazyLock::new(|| textpipe_fuzz::stage(&textpipe_sentences::SentencesFactory));
static SUMMARIZE: LazyLock<Box<dyn Stage>> =
    LazyLock::new(|| textpipe_fuzz::stage(&textpipe_summarize::SummarizeFactory));

fuzz_target!(|data: &[u8]| {
    let doc = Document::new("fuzz.txt", textpipe_fuzz::text_of(data));
    textpipe_fuzz::run_checked(&[SENTENCES.as_ref(), SUMMARIZE.as_ref()], doc);
});
