//! Criterion bench for the `sentences` stage: one thread over a 3 MB news-like fixture.
//!
//! The fixture is generated deterministically by
//! `cargo run --release -p textpipe-sentences --example bench_fixture -- benches/fixtures/sentences/news.txt`.
//! Run with `cargo bench --bench sentences`.
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use textpipe_core::{Document, Stage};
use textpipe_sentences::{SentenceSplitter, SentencesStage};

const FIXTURE: &str = include_str!("fixtures/sentences/news.txt");

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("sentences");
    group.throughput(Throughput::Bytes(FIXTURE.len() as u64));
    group.sample_size(20);

    let splitter = SentenceSplitter::new();
    group.bench_function("split_news", |b| {
        b.iter(|| splitter.split(std::hint::black_box(FIXTURE)))
    });

    let stage = SentencesStage::new(SentenceSplitter::new());
    let mut doc = Document::new("news", FIXTURE);
    group.bench_function("stage_news", |b| {
        b.iter(|| {
            stage.process(&mut doc).expect("the stage never fails");
            doc.sentences.as_ref().map(Vec::len)
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
