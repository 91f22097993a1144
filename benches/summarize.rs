//! Criterion bench for the `summarize` stage: one thread over checked-in news-like articles
//! whose sentences are already split (`benches/fixtures/summarize/`, made by `generate.py`).
//!
//! `cargo bench --bench summarize`; articles per second = throughput in elements below.
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use textpipe_core::{Document, Stage};
use textpipe_summarize::{SummarizeConfig, Summarizer};

const ARTICLES: &str = include_str!("fixtures/summarize/articles.jsonl");

fn articles() -> Vec<Document> {
    ARTICLES
        .lines()
        .filter(|line| !line.trim().is_empty())
        .map(|line| serde_json::from_str(line).expect("fixture documents are valid"))
        .collect()
}

fn bench(c: &mut Criterion) {
    let docs = articles();
    let bytes: usize = docs.iter().map(|d| d.text.len()).sum();
    let stage = Summarizer::new(SummarizeConfig::default());
    let mut group = c.benchmark_group("summarize");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.bench_function("learned_3_sentences", |b| {
        b.iter_batched_ref(
            || docs.clone(),
            |batch| {
                for doc in batch.iter_mut() {
                    stage
                        .process(doc)
                        .expect("fixture documents have sentences");
                }
            },
            criterion::BatchSize::LargeInput,
        )
    });
    group.throughput(Throughput::Elements(docs.len() as u64));
    group.bench_function("learned_3_sentences_articles", |b| {
        b.iter_batched_ref(
            || docs.clone(),
            |batch| {
                for doc in batch.iter_mut() {
                    stage
                        .process(doc)
                        .expect("fixture documents have sentences");
                }
            },
            criterion::BatchSize::LargeInput,
        )
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
