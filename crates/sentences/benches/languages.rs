//! Criterion bench of the splitter in each built-in language, on one thread.
//!
//! Each fixture in `benches/fixtures/<lang>.txt` is two short paragraphs of news-like text
//! written for this bench (abbreviations, ordinals, quotations and punctuation of the
//! language), repeated to about 1 MB so that one run reads far more than the CPU caches hold:
//!
//! ```text
//! cargo bench -p textpipe-sentences --bench languages
//! cargo bench -p textpipe-sentences --bench languages -- --warm-up-time 1 --measurement-time 3 de
//! ```
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use textpipe_sentences::{SentenceSplitter, LANGUAGES};

/// About how many bytes each language's text is repeated to.
const TEXT_BYTES: usize = 1 << 20;

fn fixture(lang: &str) -> String {
    let path = format!("{}/benches/fixtures/{lang}.txt", env!("CARGO_MANIFEST_DIR"));
    let paragraphs = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    // Paragraphs separated by blank lines, as in a page of news.
    let unit = format!("{}\n\n", paragraphs.trim().replace('\n', "\n\n"));
    unit.repeat(TEXT_BYTES / unit.len() + 1)
}

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("split");
    group.sample_size(20);
    for lang in LANGUAGES {
        let text = fixture(lang);
        let splitter = SentenceSplitter::for_language(lang).expect("a built-in language");
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_function(lang, |b| {
            b.iter(|| splitter.split(std::hint::black_box(&text)))
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
