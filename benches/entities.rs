//! Criterion bench for the `entities` stage: one thread over a 1 MB news-like fixture,
//! tokenization and internal sentence splitting included; the tagger alone (`tag_news`) and
//! the stage on a document (`stage_news`).
//!
//! The fixture is generated deterministically by
//! `cargo run --release -p textpipe-entities --example bench_fixture_entities -- benches/fixtures/entities/news.txt`.
//! Run with `cargo bench --bench entities`.
use criterion::{criterion_group, criterion_main, Criterion};
use textpipe_benchkit::{bench_process, build_pipeline, Fixture};
use textpipe_entities::{EntityTagger, Model};

const FIXTURE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/benches/fixtures/entities/news.txt"
);

fn bench(c: &mut Criterion) {
    // Load once outside the timed loops: the stage shares the model across documents.
    let _ = Model::embedded();
    let fixture = Fixture::load([FIXTURE]).expect("the entities fixture");
    let registry = textpipe::builtin_registry();
    let stage = build_pipeline(r#"{"stage": "entities"}"#, &registry, None)
        .expect("the default entities config builds");

    let mut group = c.benchmark_group("entities");
    group.sample_size(10);
    let tagger = EntityTagger::embedded();
    let text = fixture.documents()[0].text.as_str();
    group.throughput(fixture.throughput());
    group.bench_function("tag_news", |b| {
        b.iter(|| tagger.tag(std::hint::black_box(text), None).len())
    });
    bench_process(&mut group, "stage_news", &stage, &fixture);
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
