//! Criterion bench for the `summarize` stage: one thread over checked-in news-like articles
//! whose sentences are already split (`benches/fixtures/summarize/`, made by `generate.py`).
//!
//! `cargo bench --bench summarize`; articles per second is the `elem/s` throughput.
use criterion::{criterion_group, criterion_main, Criterion};
use textpipe_benchkit::{bench_process, build_pipeline, Fixture};

const ARTICLES: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/benches/fixtures/summarize/articles.jsonl"
);

fn bench(c: &mut Criterion) {
    let fixture = Fixture::load([ARTICLES]).expect("the summarize fixture");
    let registry = textpipe::builtin_registry();
    let stage = build_pipeline(r#"{"stage": "summarize"}"#, &registry, None)
        .expect("the default summarize config builds");

    let mut group = c.benchmark_group("summarize");
    bench_process(&mut group, "learned_3_sentences", &stage, &fixture);
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
