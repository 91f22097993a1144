//! What the process boundary costs: a Python stage written with the SDK that does nothing,
//! over realistic ~5 KB news documents with ~70 sentences and ~110 entities, one worker
//! process, batches of 64 as the runner sends them. The target is >= 5,000 documents/s
//! (criterion's `elem/s`).
//!
//! ```sh
//! cargo bench -p textpipe-process --bench boundary
//! ```
//!
//! Two stages: one that reads only the text (what a stage that declares no `reads` is sent),
//! and one that declares it reads sentences and entities (they cross as JSON and the SDK
//! parses them; it converts offsets only when the stage touches a layer).

use std::path::Path;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use textpipe_benchkit::news_documents;
use textpipe_core::{Document, Pipeline, PipelineFile, PipelineFormat, Registry};
use textpipe_process::StageLoader;

const DOCUMENTS: usize = 64;

/// A do-nothing SDK stage that is sent `reads`, as a one-stage pipeline.
fn do_nothing(dir: &Path, reads: &str) -> Pipeline {
    let sdk = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../sdk/python");
    let program = format!(
        "import sys\nsys.path.insert(0, {sdk:?})\nfrom textpipe_stage import Stage, run\n\
         class Nothing(Stage):\n    name = 'nothing'\n    reads = {reads}\n    \
         def process(self, doc):\n        pass\nrun(Nothing)\n",
        sdk = sdk.display().to_string()
    );
    std::fs::write(dir.join("nothing.py"), program).expect("write the stage");
    let text = r#"{"stages": [{"stage": "nothing", "command": ["python3", "nothing.py"]}]}"#;
    PipelineFile::parse(text, PipelineFormat::Json, "bench.json", dir)
        .expect("parse")
        .build(&Registry::new(), Some(&StageLoader), &[])
        .expect("start the stage")
}

fn bench(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temporary folder");
    let docs: Vec<Document> = news_documents(DOCUMENTS);
    let bytes: usize = docs.iter().map(|d| d.text.len()).sum();
    let mut group = c.benchmark_group("process-boundary");
    group.throughput(Throughput::ElementsAndBytes {
        elements: DOCUMENTS as u64,
        bytes: bytes as u64,
    });
    for (name, reads) in [
        ("python do-nothing, text only", "()"),
        (
            "python do-nothing, reads sentences+entities",
            "('sentences', 'entities')",
        ),
    ] {
        let pipeline = do_nothing(dir.path(), reads);
        let stage = &pipeline.stages()[0];
        let mut batch = docs.clone();
        group.bench_function(name, |b| {
            b.iter(|| {
                let results = stage.process_batch(&mut batch);
                assert!(results.iter().all(Result::is_ok));
            })
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
