//! Criterion bench for the `sentences` stage: one thread over a 3 MB news-like fixture, the
//! splitter alone (`split_news`) and the stage on a document (`stage_news`).
//!
//! The fixture is generated deterministically by
//! `cargo run --release -p textpipe-sentences --example bench_fixture_sentences -- benches/fixtures/sentences/news.txt`.
//! Run with `cargo bench --bench sentences`.
use criterion::{criterion_group, criterion_main, Criterion};
use textpipe_benchkit::{bench_process, build_pipeline, Fixture};
use textpipe_sentences::SentenceSplitter;

const FIXTURE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/benches/fixtures/sentences/news.txt"
);

fn bench(c: &mut Criterion) {
    let fixture = Fixture::load([FIXTURE]).expect("the sentences fixture");
    let registry = textpipe::builtin_registry();
    let stage = build_pipeline(r#"{"stage": "sentences"}"#, &registry, None)
        .expect("the default sentences config builds");

    let mut group = c.benchmark_group("sentences");
    group.sample_size(20);
    let splitter = SentenceSplitter::new();
    let text = fixture.documents()[0].text.as_str();
    group.throughput(fixture.throughput());
    group.bench_function("split_news", |b| {
        b.iter(|| splitter.split(std::hint::black_box(text)))
    });
    bench_process(&mut group, "stage_news", &stage, &fixture);
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
