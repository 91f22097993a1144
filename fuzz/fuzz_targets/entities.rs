//! Entity tagging on any text, with and without sentences split first (the tagger must cope
//! with both: `sentences` is not a layer it requires).
#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use textpipe_core::{Document, Stage};

static SENTENCES: LazyLock<Box<dyn Stage>> =
    LazyLock::new(|| textpipe_fuzz::stage(&textpipe_sentences::SentencesFactory));
static ENTITIES: LazyLock<Box<dyn Stage>> =
    LazyLock::new(|| textpipe_fuzz::stage(&textpipe_entities::EntitiesFactory));

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let doc = Document::new("fuzz.txt", textpipe_fuzz::text_of(rest));
    if mode & 1 == 0 {
        textpipe_fuzz::run_checked(&[SENTENCES.as_ref(), ENTITIES.as_ref()], doc);
    } else {
        textpipe_fuzz::run_checked(&[ENTITIES.as_ref()], doc);
    }
});
