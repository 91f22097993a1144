//! Criterion bench of the `boilerplate` stage, one thread, over 12 generated pages of real size
//! (see `benches/fixtures/boilerplate/README.md`): HTML mode in MB of HTML per second, and
//! plain-text mode in MB of flattened text per second.
use std::path::Path;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use textpipe_boilerplate::Extractor;

fn fixture(extension: &str) -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/fixtures/boilerplate");
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .expect("bench fixture folder")
        .map(|entry| entry.expect("fixture entry").path())
        .filter(|path| path.extension().is_some_and(|e| e == extension))
        .collect();
    paths.sort();
    paths
        .iter()
        .map(|path| std::fs::read_to_string(path).expect("fixture page"))
        .collect()
}

fn bench(c: &mut Criterion) {
    let extractor = Extractor::default();
    let html = fixture("html");
    let text = fixture("txt");
    let bytes = |pages: &[String]| pages.iter().map(String::len).sum::<usize>() as u64;

    let mut group = c.benchmark_group("boilerplate");
    group.throughput(Throughput::Bytes(bytes(&html)));
    group.bench_function("html", |b| {
        b.iter(|| {
            html.iter()
                .map(|page| extractor.extract_html(page).text.len())
                .sum::<usize>()
        })
    });
    group.throughput(Throughput::Bytes(bytes(&text)));
    group.bench_function("text", |b| {
        b.iter(|| {
            text.iter()
                .map(|page| extractor.extract_text(page).text.len())
                .sum::<usize>()
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
