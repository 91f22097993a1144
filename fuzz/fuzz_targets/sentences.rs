//! Sentence splitting on any text.
#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use textpipe_core::{Document, Stage};

static STAGE: LazyLock<Box<dyn Stage>> =
    LazyLock::new(|| textpipe_fuzz::stage(&textpipe_sentences::SentencesFactory));

fuzz_target!(|data: &[u8]| {
    let doc = Document::new("fuzz.txt", textpipe_fuzz::text_of(data));
    textpipe_fuzz::run_checked(&[STAGE.as_ref()], doc);
});
