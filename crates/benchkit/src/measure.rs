//! Timing a pipeline's stages inside a criterion group.

use criterion::measurement::WallTime;
use criterion::{BatchSize, BenchmarkGroup};
use textpipe_core::{Document, Pipeline};

use crate::fixture::Fixture;

/// Benchmarks `Stage::process` of every stage of `pipeline`, document after document, over the
/// whole fixture: one criterion iteration is one pass over every document.
///
/// Stages change documents in place (boilerplate removal rewrites the text), so each pass gets
/// fresh copies made outside the timing. Throughput is set for this benchmark to the fixture's
/// documents and bytes. A stage that fails on a fixture document panics: a bench of error
/// paths would measure something else than the stage's work.
pub fn bench_process(
    group: &mut BenchmarkGroup<'_, WallTime>,
    id: &str,
    pipeline: &Pipeline,
    fixture: &Fixture,
) {
    bench_passes(group, id, pipeline, fixture, process_each);
}

/// Benchmarks `Stage::process_batch` of every stage of `pipeline` on the whole fixture as one
/// batch (what the runner does with a batch of documents; plugins cross the library boundary
/// once per batch). Otherwise as [`bench_process`].
pub fn bench_process_batch(
    group: &mut BenchmarkGroup<'_, WallTime>,
    id: &str,
    pipeline: &Pipeline,
    fixture: &Fixture,
) {
    bench_passes(group, id, pipeline, fixture, process_batch);
}

/// One benchmark whose iteration is `pass` over fresh copies of the fixture's documents, made
/// outside the timing, with the fixture's documents and bytes as throughput.
fn bench_passes(
    group: &mut BenchmarkGroup<'_, WallTime>,
    id: &str,
    pipeline: &Pipeline,
    fixture: &Fixture,
    pass: fn(&Pipeline, &mut [Document]),
) {
    group.throughput(fixture.throughput());
    group.bench_function(id, |b| {
        b.iter_batched_ref(
            || fixture.documents().to_vec(),
            |docs| pass(pipeline, docs),
            BatchSize::LargeInput,
        )
    });
}

/// Runs every stage on each document in turn, as [`Pipeline::run`] does without its timing.
///
/// # Panics
/// When a stage fails on a document (see [`bench_process`]).
pub fn process_each(pipeline: &Pipeline, docs: &mut [Document]) {
    for doc in docs.iter_mut() {
        for stage in pipeline.stages() {
            if let Err(error) = stage.process(doc) {
                panic!("stage `{}` failed on `{}`: {error}", stage.name(), doc.id);
            }
        }
    }
}

/// Runs every stage's `process_batch` on all documents.
///
/// # Panics
/// When a stage fails on a document (see [`bench_process`]).
pub fn process_batch(pipeline: &Pipeline, docs: &mut [Document]) {
    for stage in pipeline.stages() {
        let results = stage.process_batch(docs);
        for (doc, result) in docs.iter().zip(results) {
            if let Err(error) = result {
                panic!("stage `{}` failed on `{}`: {error}", stage.name(), doc.id);
            }
        }
    }
}
