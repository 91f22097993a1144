//! Criterion bench for the whole embedded default pipeline (boilerplate, sentences, entities,
//! summarize) on one thread, over the generated news pages of `benches/fixtures/boilerplate/`
//! in both forms: as HTML (boilerplate in HTML mode) and as flattened text.
//!
//! `cargo bench --bench pipeline`; throughput in documents and in bytes of input.
use criterion::{criterion_group, criterion_main, Criterion};
use textpipe::{builtin_registry, DEFAULT_PIPELINE};
use textpipe_benchkit::{bench_process, build_pipeline, Fixture};

const FIXTURE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/benches/fixtures/boilerplate");

fn bench(c: &mut Criterion) {
    let pipeline = build_pipeline(DEFAULT_PIPELINE, &builtin_registry(), None)
        .expect("the embedded default pipeline builds");
    let mut group = c.benchmark_group("pipeline");
    for (name, extension) in [("default_html", ".html"), ("default_text", ".txt")] {
        let pages = Fixture::load([FIXTURE])
            .expect("the boilerplate fixture folder")
            .filter(|doc| doc.id.ends_with(extension));
        bench_process(&mut group, name, &pipeline, &pages);
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
