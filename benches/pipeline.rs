//! Criterion bench for the whole embedded default pipeline (boilerplate, sentences, entities,
//! summarize) on one thread, over the generated news pages of `benches/fixtures/boilerplate/`
//! in both forms: as HTML (boilerplate in HTML mode) and as flattened text.
//!
//! `cargo bench --bench pipeline`; throughput is reported in bytes of input and in documents.
use std::time::Duration;

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use textpipe_core::{Document, Pipeline};

fn fixture_documents(extension: &str) -> Vec<Document> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/benches/fixtures/boilerplate");
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .expect("the boilerplate fixture folder exists")
        .map(|entry| entry.expect("readable fixture folder").path())
        .filter(|path| path.extension().is_some_and(|e| e == extension))
        .collect();
    paths.sort();
    paths
        .iter()
        .map(|path| {
            let content = std::fs::read_to_string(path).expect("fixture pages are UTF-8");
            let id = path.display().to_string();
            if extension == "html" {
                Document {
                    html: Some(content),
                    ..Document::new(id, "")
                }
            } else {
                Document::new(id, content)
            }
        })
        .collect()
}

fn run_all(pipeline: &Pipeline, docs: &mut [Document]) {
    let mut timings = vec![Duration::ZERO; pipeline.stages().len()];
    for doc in docs.iter_mut() {
        pipeline
            .run(doc, &mut timings)
            .expect("the default pipeline accepts every fixture page");
    }
}

fn bench(c: &mut Criterion) {
    let pipeline = textpipe_cli::builtins::load_pipeline(None, &[])
        .expect("the embedded default pipeline builds");
    let mut group = c.benchmark_group("pipeline");
    for (name, extension) in [("default_html", "html"), ("default_text", "txt")] {
        let docs = fixture_documents(extension);
        let bytes: usize = docs
            .iter()
            .map(|d| d.text.len() + d.html.as_ref().map_or(0, String::len))
            .sum();
        group.throughput(Throughput::Bytes(bytes as u64));
        group.bench_function(name, |b| {
            b.iter_batched_ref(
                || docs.clone(),
                |batch| run_all(&pipeline, batch),
                BatchSize::LargeInput,
            )
        });
        group.throughput(Throughput::Elements(docs.len() as u64));
        group.bench_function(format!("{name}_docs"), |b| {
            b.iter_batched_ref(
                || docs.clone(),
                |batch| run_all(&pipeline, batch),
                BatchSize::LargeInput,
            )
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
