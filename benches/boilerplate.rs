//! Criterion bench of the `boilerplate` stage, one thread, over 12 generated pages of real size
//! (see `benches/fixtures/boilerplate/README.md`): HTML mode over the pages as HTML, and
//! plain-text mode over the same pages flattened to text. Throughput in documents and in bytes
//! of input (HTML, respectively text).
//!
//! `cargo bench --bench boilerplate`
use criterion::{criterion_group, criterion_main, Criterion};
use textpipe_benchkit::{bench_process, build_pipeline, Fixture};

const FIXTURE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/benches/fixtures/boilerplate");

fn bench(c: &mut Criterion) {
    let registry = textpipe::builtin_registry();
    let stage = build_pipeline(r#"{"stage": "boilerplate"}"#, &registry, None)
        .expect("the default boilerplate config builds");
    let pages = |extension: &str| {
        Fixture::load([FIXTURE])
            .expect("the boilerplate fixture folder")
            .filter(|doc| doc.id.ends_with(extension))
    };

    let mut group = c.benchmark_group("boilerplate");
    bench_process(&mut group, "html", &stage, &pages(".html"));
    bench_process(&mut group, "text", &stage, &pages(".txt"));
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
