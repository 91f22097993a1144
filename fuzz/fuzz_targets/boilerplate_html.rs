//! Boilerplate removal in HTML mode: the bytes are a page in `html`.
#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use textpipe_core::{Document, Stage};

static STAGE: LazyLock<Box<dyn Stage>> =
    LazyLock::new(|| textpipe_fuzz::stage(&textpipe_boilerplate::BoilerplateFactory));

fuzz_target!(|data: &[u8]| {
    let mut doc = Document::new("fuzz.html", String::new());
    doc.html = Some(textpipe_fuzz::text_of(data));
    textpipe_fuzz::run_checked(&[STAGE.as_ref()], doc);
});
