//! Timing a pipeline's stages inside a criterion group.

use criterion::measurement::WallTime;
use criterion::{BatchSize, BenchmarkGroup};
use textpipe_core::{Document, Outcome, Pipeline};

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

/// Runs the pipeline on each document in turn, through [`Pipeline::process_batch`] with a
/// batch of one (the runner's own stage loop).
///
/// # Panics
/// When a stage fails on a document (see [`bench_process`]).
pub fn process_each(pipeline: &Pipeline, docs: &mut [Document]) {
    let mut counters = pipeline.new_counters();
    for doc in docs.iter_mut() {
        let mut outcome = [Outcome::from(std::mem::take(doc))];
        pipeline.process_batch(&mut outcome, &mut counters);
        let [outcome] = outcome;
        *doc = done(outcome);
    }
}

/// Runs the pipeline on all documents as one batch, through [`Pipeline::process_batch`]: each
/// stage's `process_batch` sees them all.
///
/// # Panics
/// When a stage fails on a document (see [`bench_process`]).
pub fn process_batch(pipeline: &Pipeline, docs: &mut [Document]) {
    let mut outcomes: Vec<Outcome> = docs
        .iter_mut()
        .map(|doc| Outcome::from(std::mem::take(doc)))
        .collect();
    pipeline.process_batch(&mut outcomes, &mut pipeline.new_counters());
    for (doc, outcome) in docs.iter_mut().zip(outcomes) {
        *doc = done(outcome);
    }
}

fn done(outcome: Outcome) -> Document {
    outcome
        .into_result()
        .unwrap_or_else(|record| panic!("a stage failed on a fixture document: {record}"))
}
