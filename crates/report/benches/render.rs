//! Rendering speed: HTML (live documents and stored pages) and the terminal view, one thread, on
//! synthetic news-like documents built here deterministically, with every layer filled.
//!
//! `cargo bench -p textpipe-report --bench render`

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use textpipe_core::RunReport;
use textpipe_core::{Document, Entity, RemovedBlock, Span, Summary};
use textpipe_report::{render_terminal, HtmlOptions, HtmlReport};

const WORDS: &[&str] = &[
    "the",
    "council",
    "said",
    "on",
    "Tuesday",
    "that",
    "residents",
    "voted",
    "to",
    "rebuild",
    "a",
    "wall",
    "after",
    "storms",
    "flooded",
    "homes",
    "along",
    "shore",
    "with",
    "funding",
];
const NAMES: &[(&str, &str)] = &[
    ("Port Ellery", "LOC"),
    ("Maren Ekholm", "PER"),
    ("Harbour Trust", "ORG"),
    ("Atlantic", "MISC"),
    ("March 2024", "DATE"),
];

/// A document of `sentences` sentences in paragraphs of four, one name per sentence, a
/// three-sentence summary and two removed blocks. The same `seed` gives the same document.
fn news_document(seed: usize, sentences: usize) -> Document {
    let mut text = String::new();
    let (mut spans, mut entities) = (Vec::new(), Vec::new());
    for s in 0..sentences {
        if s > 0 {
            text.push_str(if s % 4 == 0 { "\n\n" } else { " " });
        }
        let start = text.len();
        for w in 0..12 {
            if w == 3 {
                let (name, label) = NAMES[(seed + s) % NAMES.len()];
                entities.push((Span::new(text.len(), text.len() + name.len()), label));
                text.push_str(name);
            } else {
                text.push_str(WORDS[(seed * 7 + s * 13 + w * 5) % WORDS.len()]);
            }
            text.push(if w == 11 { '.' } else { ' ' });
        }
        spans.push(Span::new(start, text.len()));
    }
    let mut doc = Document::new(format!("news-{seed}"), text);
    doc.meta
        .insert("title".into(), format!("Story {seed}").into());
    doc.entities = Some(
        entities
            .into_iter()
            .map(|(span, label)| Entity::new(&doc.text, span, label))
            .collect(),
    );
    doc.summary = Some(Summary {
        text: String::from("Summary."),
        sentences: vec![0, 1, sentences / 2],
        scores: None,
    });
    doc.sentences = Some(spans);
    doc.removed = Some(vec![
        RemovedBlock {
            text: "We use cookies to improve your experience.".into(),
            reason: "cookie-notice".into(),
            position: Some(0),
            score: Some(0.1),
        },
        RemovedBlock {
            text: "Home | News | Sport | Weather".into(),
            reason: "navigation".into(),
            position: Some(1),
            score: None,
        },
    ]);
    doc
}

fn html_report(docs: &[Document], options: HtmlOptions) -> Vec<u8> {
    let mut report = HtmlReport::with_options(Vec::new(), "bench", options).unwrap();
    for doc in docs {
        report.add(doc).unwrap();
    }
    report.finish(&RunReport::default()).unwrap()
}

fn bench_render(c: &mut Criterion) {
    let docs: Vec<Document> = (0..200).map(|seed| news_document(seed, 40)).collect();
    let bytes: usize = docs.iter().map(|d| d.text.len()).sum();
    let mut group = c.benchmark_group("report");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.bench_function("html_live", |b| {
        b.iter(|| html_report(black_box(&docs), HtmlOptions::default()))
    });
    let stored = HtmlOptions {
        live_documents: 0,
        ..HtmlOptions::default()
    };
    group.bench_function("html_stored_pages", |b| {
        b.iter(|| html_report(black_box(&docs), stored))
    });
    group.bench_function("terminal", |b| {
        b.iter(|| {
            docs.iter()
                .map(|doc| render_terminal(black_box(doc), true).len())
                .sum::<usize>()
        })
    });
    group.finish();
}

criterion_group!(benches, bench_render);
criterion_main!(benches);
