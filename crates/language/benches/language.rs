//! Criterion bench of the `language` stage, one thread: English news pages of real size as
//! flattened text and as HTML (the visible-text path), shared with the boilerplate bench
//! (`benches/fixtures/boilerplate` of the workspace), and one short news paragraph in each of
//! 18 languages (`benches/fixtures/multilingual.jsonl`). Throughput in documents and bytes.
//!
//! `cargo bench -p textpipe-language --bench language`
use std::sync::Arc;

use criterion::{criterion_group, criterion_main, Criterion};
use textpipe_benchkit::{bench_process, build_pipeline, Fixture};
use textpipe_core::Registry;
use textpipe_language::LanguageFactory;

const PAGES: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../benches/fixtures/boilerplate"
);
const PARAGRAPHS: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/benches/fixtures/multilingual.jsonl"
);

fn bench(c: &mut Criterion) {
    let mut registry = Registry::new();
    registry.register(Arc::new(LanguageFactory));
    let stage = build_pipeline(r#"{"stage": "language"}"#, &registry, None)
        .expect("the default language config builds");
    let pages = |extension: &str| {
        Fixture::load([PAGES])
            .expect("the boilerplate fixture folder")
            .filter(|doc| doc.id.ends_with(extension))
    };
    let paragraphs = Fixture::load([PARAGRAPHS]).expect("the multilingual fixture");

    let mut group = c.benchmark_group("language");
    bench_process(&mut group, "text", &stage, &pages(".txt"));
    bench_process(&mut group, "html", &stage, &pages(".html"));
    bench_process(&mut group, "paragraphs", &stage, &paragraphs);
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
