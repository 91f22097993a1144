//! What every fuzz target checks, written once: build a built-in stage as a pipeline file
//! would, run it, and hold it to the contract of `textpipe-core` (no panic, spans inside the
//! text and on character boundaries, batch result equal to one-by-one result).
//!
//! A stage may refuse a document with an error; that is an answer, not a finding. A panic,
//! a broken span or a batch that disagrees with single calls is.

use serde_json::Value;
use textpipe_core::{BuildContext, Document, Stage, StageFactory};

/// Builds a stage kind with its default config, as `{"stage": kind}` in a pipeline file does.
pub fn stage(factory: &dyn StageFactory) -> Box<dyn Stage> {
    match factory.build(&Value::Null, &BuildContext::new(".")) {
        Ok(stage) => stage,
        Err(errors) => panic!(
            "{} does not build with defaults: {errors:?}",
            factory.kind()
        ),
    }
}

/// Fuzzer bytes as document text: invalid UTF-8 is replaced, so every input reaches the stage
/// (the readers, fuzzed apart, are what turns bad bytes into error records).
pub fn text_of(data: &[u8]) -> String {
    String::from_utf8_lossy(data).into_owned()
}

/// Runs `stages` in order over `doc`, checking the span invariants after each one that
/// succeeded, and that a batch of two copies gives the same result as single calls.
pub fn run_checked(stages: &[&dyn Stage], doc: Document) {
    let mut single = doc.clone();
    let mut batch = vec![doc.clone(), doc];
    for stage in stages {
        let result = stage.process(&mut single);
        if let Err(error) = single.check_spans() {
            panic!("{} wrote a broken span: {error}", stage.name());
        }
        let batch_results = stage.process_batch(&mut batch);
        assert_eq!(
            batch_results.len(),
            2,
            "{}: one result per document",
            stage.name()
        );
        for (from_batch, doc) in batch_results.iter().zip(&batch) {
            assert_eq!(
                from_batch.is_ok(),
                result.is_ok(),
                "{}: batch and single call disagree",
                stage.name()
            );
            assert_eq!(
                doc,
                &single,
                "{}: batch and single call disagree",
                stage.name()
            );
        }
        if result.is_err() {
            return;
        }
    }
}
