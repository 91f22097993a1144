//! `textpipe new-stage` end to end: a crate scaffolded in a folder outside the workspace
//! builds as generated, loads as a plugin, runs in a pipeline, and its bench runs.

mod support;

use std::process::Command;

use serde_json::json;
use textpipe_core::{BuildContext, Document, Pipeline, Span};
use textpipe_plugin::{scaffold_stage, CdylibBuild, PluginLibrary, TextpipeSource};

#[test]
fn scaffolded_stage_builds_loads_and_runs_outside_the_workspace() {
    let outside = tempfile::tempdir().unwrap();
    let source = TextpipeSource::Checkout(support::workspace_root());
    let report = scaffold_stage("headline-stats", outside.path(), &source).unwrap();
    assert!(report.files.iter().any(|f| f.ends_with("benches/stage.rs")));

    // What the generated README says: `cargo build` in the crate's folder.
    let library = CdylibBuild {
        manifest_path: report.crate_dir.join("Cargo.toml"),
        package: None,
        lib_name: "headline_stats".into(),
        target_dir: support::build_dir(),
        release: false,
    }
    .run()
    .unwrap_or_else(|e| panic!("the scaffolded crate does not build: {e}"));
    assert!(library.ends_with(&report.library_file));

    let plugin = PluginLibrary::load(&library).unwrap();
    assert_eq!(plugin.name(), "headline-stats");
    let factory = &plugin.factories()[0];
    assert_eq!(factory.kind(), "headline-stats");
    let stage = factory
        .build(&factory.example(), &BuildContext::new(outside.path()))
        .unwrap();
    let pipeline = Pipeline::new("scaffolded", vec![stage], &[]).unwrap();
    let mut doc = Document::new("1", "Rain is due. It will stop by noon.");
    doc.sentences = Some(vec![Span::new(0, 12), Span::new(13, 34)]);
    let doc = pipeline.process(doc).into_result().unwrap();
    assert_eq!(
        doc.ext["headline-stats"],
        json!({"words": 8, "sentences": [3, 5]})
    );

    // `cargo bench` as generated, in criterion's test mode (each benchmark runs once): the bench
    // compiles against textpipe-benchkit and runs through the same entry a pipeline file has.
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let output = Command::new(cargo)
        .args(["test", "--benches", "--manifest-path"])
        .arg(report.crate_dir.join("Cargo.toml"))
        .arg("--target-dir")
        .arg(support::build_dir())
        .env_remove("CARGO_TARGET_DIR")
        .output()
        .expect("run cargo");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "the scaffolded bench does not run:\n{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    for benchmark in ["process", "process_batch"] {
        assert!(
            stdout.contains(&format!("Testing headline-stats/{benchmark}\nSuccess")),
            "{stdout}"
        );
    }
}
