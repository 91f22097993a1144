//! What crossing the plugin boundary costs: an identity plugin (built with the SDK, release)
//! over realistic ~5 KB news documents that carry sentences and entities, on one thread.
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
//! The documents are `textpipe_benchkit::news_documents`: ~5 KB articles with ~70 sentences
//! and ~110 entities, generated deterministically.

use std::path::Path;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use textpipe_benchkit::news_documents;
use textpipe_core::{BuildContext, Document, Stage};
use textpipe_plugin::{CdylibBuild, PluginLibrary};

const DOCUMENTS: usize = 64;

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
    let mut docs: Vec<Document> = news_documents(DOCUMENTS);
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
