//! The JSON Lines reader through its public API: the bytes are a corpus file (gzipped when
//! they start with the gzip magic). Every record is a document whose spans fit its text, or
//! an unreadable record with its line; a line never yields two records.
#![no_main]

use std::path::PathBuf;
use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use textpipe_cli::input::{DocumentReader, InputFormat, Record};

/// One file per fuzzing process, rewritten for every input.
static CORPUS: LazyLock<PathBuf> = LazyLock::new(|| {
    std::env::temp_dir().join(format!("textpipe-fuzz-{}.jsonl", std::process::id()))
});

fuzz_target!(|data: &[u8]| {
    std::fs::write(&*CORPUS, data).expect("temp dir is writable");
    let reader = DocumentReader::open(std::slice::from_ref(&*CORPUS), Some(InputFormat::Jsonl))
        .expect("the file exists");
    let lines = data.split(|&b| b == b'\n').count();
    let mut records = 0;
    for record in reader {
        records += 1;
        match record {
            Record::Document(doc) => {
                if let Err(error) = doc.check_spans() {
                    panic!("reader accepted broken spans: {error}");
                }
            }
            Record::Unreadable(failure) => assert!(failure.line.is_some(), "{failure:?}"),
        }
        // Decompressed input can hold more lines than the raw bytes; bound the gzip case by
        // the stream itself ending, and plain input by its line count.
        if data.first() != Some(&0x1f) {
            assert!(records <= lines, "more records than lines");
        }
    }
});
