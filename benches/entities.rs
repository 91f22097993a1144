//! Criterion bench for the `entities` stage: one thread over a 1 MB news-like fixture,
//! tokenization and internal sentence splitting included.
//!
//! The fixture is generated deterministically by
//! `cargo run --release -p textpipe-entities --example bench_fixture -- benches/fixtures/entities/news.txt`.
//! Run with `cargo bench --bench entities`.
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use textpipe_core::{BuildContext, Document, StageFactory};
use textpipe_entities::{EntitiesFactory, EntityTagger, Model};

const FIXTURE: &str = include_str!("fixtures/entities/news.txt");

fn bench(c: &mut Criterion) {
    // Load once outside the timed loops: the stage shares the model across documents.
    let _ = Model::embedded();
    let mut group = c.benchmark_group("entities");
    group.throughput(Throughput::Bytes(FIXTURE.len() as u64));
    group.sample_size(10);

    let tagger = EntityTagger::embedded();
    group.bench_function("tag_news", |b| {
        b.iter(|| tagger.tag(std::hint::black_box(FIXTURE), None).len())
    });

    let stage = EntitiesFactory
        .build(&serde_json::Value::Null, &BuildContext::new("."))
        .expect("the default config builds");
    let mut doc = Document::new("news", FIXTURE);
    group.bench_function("stage_news", |b| {
        b.iter(|| {
            stage.process(&mut doc).expect("the stage never fails");
            doc.entities.as_ref().map(Vec::len)
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
