//! The runner's own overhead: read JSON Lines, parse documents, batch, run an empty pipeline,
//! serialize and write, on one thread. Whatever a real pipeline costs comes on top of this.
//! Throughput in documents and in bytes of the input file.
//!
//! Fixture: `benches/fixtures/runner/docs.jsonl` (see the README beside it).
use std::path::PathBuf;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use textpipe_benchkit::{build_pipeline, Fixture};
use textpipe_cli::input::DocumentReader;
use textpipe_core::Outcome;
use textpipe_runner::{run, JsonLinesSink, RunOptions};

fn fixture() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("benches/fixtures/runner/docs.jsonl")
}

fn bench(c: &mut Criterion) {
    let path = fixture();
    let bytes = std::fs::metadata(&path).expect("fixture exists").len();
    let documents = Fixture::load([&path])
        .expect("fixture documents")
        .documents()
        .len();
    let registry = textpipe::builtin_registry();
    let pipeline = build_pipeline(r#"{"name": "empty", "stages": []}"#, &registry, None)
        .expect("an empty pipeline is valid");
    let options = RunOptions {
        threads: 1,
        ..RunOptions::default()
    };
    let mut group = c.benchmark_group("runner");
    // The runner reads the file itself, so bytes are those of the file, not of the texts.
    group.throughput(Throughput::ElementsAndBytes {
        elements: documents as u64,
        bytes,
    });
    group.bench_function("jsonl_empty_pipeline_one_thread", |b| {
        b.iter(|| {
            let reader = DocumentReader::open(std::slice::from_ref(&path), None).unwrap();
            let mut sink = JsonLinesSink::new(std::io::sink());
            let items = reader.map(Outcome::from);
            let report = run(&pipeline, items, &mut sink, &options, &mut |_| {}).unwrap();
            assert_eq!(report.written, documents);
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
