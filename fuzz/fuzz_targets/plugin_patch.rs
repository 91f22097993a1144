//! The plugin message encoding, from the host's side: the bytes are what a plugin answers for
//! one document (a JSON patch). Parsing and applying it must never panic, and the undo patch
//! the host keeps must restore the document exactly. Documents also round-trip through the
//! JSON form plugins receive.
#![no_main]

use libfuzzer_sys::fuzz_target;
use textpipe_core::{Document, Span};
use textpipe_plugin::patch::{write_patch, DocumentPatch};

fuzz_target!(|data: &[u8]| {
    let mut doc = Document::new("fuzz", "Residents of Port Ellery voted. The wall stays.");
    doc.sentences = Some(vec![Span::new(0, 31), Span::new(32, 47)]);
    let original = doc.clone();
    if let Ok(patch) = serde_json::from_slice::<DocumentPatch>(data) {
        let undo = patch.apply(&mut doc);
        let changed = doc.clone();
        undo.apply(&mut doc);
        assert_eq!(doc, original, "the undo patch restores the document");
        // What the SDK would send for this change must turn the original into the same
        // document when the host applies it.
        let mut bytes = Vec::new();
        write_patch(&original, &changed, &mut bytes).expect("a document always serializes");
        let patch: DocumentPatch = serde_json::from_slice(&bytes).expect("own patch parses");
        patch.apply(&mut doc);
        assert_eq!(doc, changed, "write_patch and apply agree");
    }
    if let Ok(received) = serde_json::from_slice::<Document>(data) {
        let bytes = serde_json::to_vec(&received).expect("a document always serializes");
        let again: Document = serde_json::from_slice(&bytes).expect("own output parses");
        assert_eq!(again, received, "documents round-trip through JSON");
    }
});
