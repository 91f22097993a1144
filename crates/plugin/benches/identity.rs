//! What crossing the plugin boundary costs: an identity plugin (built with the SDK, release)
//! over ~5 KB news-like documents that carry sentences and entities, on one thread.
//!
//! Every document is serialized to JSON, parsed by the plugin, compared with the stage's
//! output, answered with an empty patch and checked by the host: the whole per-document
//! overhead a plugin stage pays over a built-in one. The target is >= 20,000 documents/s
//! (criterion's `elem/s`).
//!
//! ```sh
//! cargo bench -p textpipe-plugin --bench identity
//! ```
//!
//! The documents are generated here, deterministically, from a small vocabulary.

use std::path::Path;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use textpipe_core::{BuildContext, Document, Entity, Span, Stage};
use textpipe_plugin::{CdylibBuild, PluginLibrary};

const DOCUMENTS: usize = 64;
const TARGET_BYTES: usize = 5_000;

/// A news-like document of about `TARGET_BYTES` bytes, with sentence and entity layers.
fn news_document(seed: usize) -> Document {
    const NAMES: [&str; 6] = [
        "Anne Dubois",
        "Lyon",
        "Reuters",
        "Marc Weber",
        "Geneva",
        "the Council of Europe",
    ];
    const WORDS: [&str; 16] = [
        "officials",
        "said",
        "the",
        "plan",
        "would",
        "cost",
        "million",
        "euros",
        "after",
        "a",
        "vote",
        "on",
        "Monday",
        "critics",
        "warned",
        "\"quoted\"",
    ];
    let mut text = String::new();
    let mut sentences = Vec::new();
    let mut entities = Vec::new();
    let mut state = seed.wrapping_mul(2654435761) | 1;
    let mut next = |n: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state % n
    };
    while text.len() < TARGET_BYTES {
        let start = text.len();
        let name = NAMES[next(NAMES.len())];
        text.push_str(name);
        entities.push(Entity::new(
            &text,
            Span::new(start, start + name.len()),
            "PER",
        ));
        for _ in 0..12 + next(10) {
            text.push(' ');
            text.push_str(WORDS[next(WORDS.len())]);
        }
        text.push('.');
        sentences.push(Span::new(start, text.len()));
        text.push(if next(5) == 0 { '\n' } else { ' ' });
    }
    let mut doc = Document::new(format!("news-{seed}"), text);
    doc.meta
        .insert("title".into(), "Council approves plan".into());
    doc.sentences = Some(sentences);
    doc.entities = Some(entities);
    doc
}

fn identity_stage() -> Box<dyn Stage> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let library = CdylibBuild {
        manifest_path: root.join("Cargo.toml"),
        package: Some("textpipe-plugin-testing".into()),
        lib_name: "textpipe_plugin_testing".into(),
        target_dir: root.join("target").join("plugin-bench"),
        release: true,
    }
    .run()
    .expect("build the testing plugin");
    let plugin = PluginLibrary::load(library).expect("load the testing plugin");
    let factory = plugin
        .factories()
        .into_iter()
        .find(|f| f.kind() == "identity")
        .expect("identity stage");
    factory
        .build(&serde_json::Value::Null, &BuildContext::default())
        .expect("build identity")
}

fn bench(c: &mut Criterion) {
    let stage = identity_stage();
    let mut docs: Vec<Document> = (0..DOCUMENTS).map(news_document).collect();
    let bytes: usize = docs.iter().map(|d| d.text.len()).sum();
    let mut group = c.benchmark_group("plugin-identity");
    group.throughput(Throughput::ElementsAndBytes {
        elements: DOCUMENTS as u64,
        bytes: bytes as u64,
    });
    group.bench_function("process, 64 docs one by one", |b| {
        b.iter(|| {
            for doc in docs.iter_mut() {
                stage.process(doc).expect("identity never fails");
            }
        })
    });
    group.bench_function("process_batch, 64 docs at once", |b| {
        b.iter(|| {
            let results = stage.process_batch(&mut docs);
            assert!(results.iter().all(Result::is_ok));
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
