//! End-to-end tests of the plugin host: real plugins (built from the workspace's Rust crates
//! and from C sources) are loaded, configured and run, and every failure mode gives a clear
//! error that names the plugin.

mod support;

use std::path::Path;
use std::sync::Arc;

use serde_json::{json, Value};
use textpipe_core::{BuildContext, Document, Layer, Pipeline, Registry, Span, Stage, StageError};
use textpipe_plugin::{check_plugin, PluginError, PluginLibrary};

use support::{c_plugin, workspace_plugin};

fn build(library: &Path, kind: &str, config: Value) -> Box<dyn Stage> {
    let library = PluginLibrary::load(library).unwrap();
    let factory = library
        .factories()
        .into_iter()
        .find(|f| f.kind() == kind)
        .unwrap_or_else(|| panic!("no kind {kind}"));
    factory.build(&config, &BuildContext::new(".")).unwrap()
}

fn failure_message(result: &Result<(), StageError>) -> String {
    match result {
        Err(StageError::Failed(message)) => message.clone(),
        other => panic!("expected a stage failure, got {other:?}"),
    }
}

#[test]
fn keywords_plugin_runs_in_a_pipeline_next_to_a_builtin_stage() {
    let library = PluginLibrary::load(workspace_plugin("textpipe-plugin-keywords")).unwrap();
    let mut registry = Registry::new();
    for factory in library.factories() {
        registry.register(factory);
    }
    let keywords = registry
        .get("keywords")
        .expect("registered like a built-in");
    let stage = keywords
        .build(&json!({"max_keywords": 2}), &BuildContext::new("."))
        .unwrap();
    let pipeline = Pipeline::new("news", vec![stage], &[]).unwrap();
    let doc = Document::new(
        "lyon",
        "The council approved the tram line. Critics of the tram line said it costs too much.",
    );
    let doc = pipeline.process(doc).into_result().unwrap();
    let keywords = doc.ext["keywords"].as_array().unwrap();
    assert_eq!(keywords.len(), 2);
    assert_eq!(keywords[0]["text"], "tram line");
    assert_eq!(keywords[0]["count"], 2);
    assert_eq!(pipeline.stages()[0].name(), "keywords");
}

#[test]
fn language_id_plugin_labels_sentences_and_declares_no_layers() {
    let stage = build(
        &workspace_plugin("textpipe-plugin-language-id"),
        "language-id",
        json!({"allow": ["eng", "fra"]}),
    );
    assert!(stage.requires().is_empty() && stage.provides().is_empty());
    let text = "The mayor opened the new bridge this morning. \
                Le maire a inauguré le nouveau pont ce matin devant la foule.";
    let mut doc = Document::new("1", text);
    let split = text.find("Le maire").unwrap();
    doc.sentences = Some(vec![Span::new(0, split - 1), Span::new(split, text.len())]);
    stage.process(&mut doc).unwrap();
    let sentences = doc.ext["language-id"]["sentences"].as_array().unwrap();
    assert_eq!(sentences[0]["language"], "eng");
    assert_eq!(sentences[1]["language"], "fra");
    // The sentence layer crossed the boundary twice and came back unchanged.
    assert_eq!(doc.sentence_spans().len(), 2);
}

#[test]
fn a_batch_crosses_once_and_results_stay_in_order() {
    let stage = build(
        &workspace_plugin("textpipe-plugin-testing"),
        "panic-on-marker",
        Value::Null,
    );
    let mut docs: Vec<Document> = ["a", "bb", "ccc"]
        .iter()
        .enumerate()
        .map(|(i, t)| Document::new(i.to_string(), *t))
        .collect();
    let results = stage.process_batch(&mut docs);
    assert!(results.iter().all(Result::is_ok));
    let chars: Vec<&Value> = docs
        .iter()
        .map(|d| &d.ext["panic-on-marker"]["chars"])
        .collect();
    assert_eq!(chars, [&json!(1), &json!(2), &json!(3)]);
}

#[test]
fn a_panic_costs_only_the_document_that_panicked() {
    let stage = build(
        &workspace_plugin("textpipe-plugin-testing"),
        "panic-on-marker",
        Value::Null,
    );
    let mut docs = vec![
        Document::new("calm-1", "nothing to see"),
        Document::new("bomb", "this one says PANIC"),
        Document::new("calm-2", "still fine"),
    ];
    let results = stage.process_batch(&mut docs);
    assert!(results[0].is_ok() && results[2].is_ok(), "{results:?}");
    let message = failure_message(&results[1]);
    assert!(message.contains("plugin `panic-on-marker`"), "{message}");
    assert!(
        message.contains("panicked") && message.contains("bomb"),
        "{message}"
    );
    assert!(docs[0].ext.contains_key("panic-on-marker"));
    assert!(
        !docs[1].ext.contains_key("panic-on-marker"),
        "the failed document is unchanged"
    );
    // The library is still usable after the panic.
    let mut again = Document::new("after", "ok");
    stage.process(&mut again).unwrap();
}

#[test]
fn invalid_json_and_broken_spans_fail_only_their_document() {
    let stage = build(
        &c_plugin("misbehaving.c", "misbehaving", &[]),
        "c-broken-json",
        Value::Null,
    );
    let mut docs = vec![
        Document::new("1", "fine"),
        Document::new("2", "BROKEN answer"),
        Document::new("3", "BADSPAN answer"),
        Document::new("4", "fine too"),
    ];
    let results = stage.process_batch(&mut docs);
    assert!(results[0].is_ok() && results[3].is_ok(), "{results:?}");
    let invalid = failure_message(&results[1]);
    assert!(
        invalid.contains("plugin `c-broken-json`") && invalid.contains("invalid JSON"),
        "{invalid}"
    );
    let broken = failure_message(&results[2]);
    assert!(broken.contains("broken span"), "{broken}");
    assert_eq!(
        docs[2].sentences, None,
        "a refused patch leaves the document as it was"
    );
}

#[test]
fn c_plugin_counts_words_through_the_same_abi() {
    let stage = build(
        &c_plugin("word_count.c", "c_word_count", &[]),
        "c-word-count",
        Value::Null,
    );
    let mut doc = Document::new("quote\"id", "He said \"go\"\nnow, Zoë — fast.");
    stage.process(&mut doc).unwrap();
    // Words are runs between spaces and escaped whitespace; the dash counts as one.
    assert_eq!(doc.ext["c-word-count"], json!({"words": 7}));
}

#[test]
fn missing_file_is_reported_as_such() {
    let error = PluginLibrary::load("no/such/libplugin.so").unwrap_err();
    assert!(matches!(error, PluginError::NotFound { .. }), "{error}");
    assert!(error.to_string().contains("no such file"));
}

#[test]
fn a_file_that_is_not_a_library_cannot_be_opened() {
    let dir = tempfile::tempdir().unwrap();
    let fake = dir.path().join("libfake.so");
    std::fs::write(&fake, "not an ELF file").unwrap();
    let error = PluginLibrary::load(&fake).unwrap_err();
    assert!(matches!(error, PluginError::Open { .. }), "{error}");
}

#[test]
fn a_library_without_the_symbols_is_not_a_plugin() {
    let error = PluginLibrary::load(c_plugin("not_a_plugin.c", "not_a_plugin", &[])).unwrap_err();
    assert!(
        matches!(
            error,
            PluginError::NotAPlugin {
                symbol: "textpipe_plugin_abi_version",
                ..
            }
        ),
        "{error}"
    );
    assert!(
        error.to_string().contains("not a textpipe plugin"),
        "{error}"
    );
}

#[test]
fn abi_version_mismatch_is_refused_before_the_descriptor_is_read() {
    let library = c_plugin("misbehaving.c", "wrong_abi", &["-DWRONG_ABI_VERSION=999"]);
    let error = PluginLibrary::load(library).unwrap_err();
    match &error {
        PluginError::AbiMismatch {
            found: 999,
            expected,
            ..
        } => {
            assert_eq!(*expected, textpipe_plugin::abi::ABI_VERSION)
        }
        other => panic!("expected an ABI mismatch, got {other}"),
    }
    assert!(error.to_string().contains("rebuild the plugin"), "{error}");
}

#[test]
fn plugin_config_errors_keep_their_keys_and_name_the_plugin() {
    let library = PluginLibrary::load(workspace_plugin("textpipe-plugin-keywords")).unwrap();
    let factory = &library.factories()[0];
    let errors = factory
        .build(
            &json!({"max_keyword": 3, "max_words": "three"}),
            &BuildContext::new("."),
        )
        .err()
        .expect("bad config refused");
    assert_eq!(errors.len(), 2, "{errors:?}");
    let typo = errors
        .iter()
        .find(|e| e.path == ["max_keyword"])
        .expect("typo reported");
    assert_eq!(typo.suggestion.as_deref(), Some("max_keywords"));
    assert!(
        errors
            .iter()
            .all(|e| e.message.contains("plugin `keywords`")),
        "{errors:?}"
    );

    // A C plugin's plain-text message arrives as one error.
    let c = PluginLibrary::load(c_plugin("word_count.c", "c_word_count", &[])).unwrap();
    let errors = c.factories()[0]
        .build(&json!({"x": 1}), &BuildContext::new("."))
        .err()
        .unwrap();
    assert!(
        errors[0]
            .message
            .starts_with("c-word-count takes no options"),
        "{errors:?}"
    );
}

#[test]
fn descriptor_gives_schema_example_and_layers() {
    let library = PluginLibrary::load(c_plugin("misbehaving.c", "misbehaving", &[])).unwrap();
    let info = &library.stages()[0];
    assert_eq!(info.provides, [Layer::Sentences]);
    assert_eq!(library.name(), "misbehaving");
    let keywords = PluginLibrary::load(workspace_plugin("textpipe-plugin-keywords")).unwrap();
    let factory = &keywords.factories()[0];
    assert!(factory.config_schema()["properties"]["max_keywords"].is_object());
    textpipe_testkit::check_factory(factory.as_ref());
}

#[test]
fn a_library_is_loaded_once_per_path() {
    let path = workspace_plugin("textpipe-plugin-testing");
    let first = PluginLibrary::load(&path).unwrap();
    let second = PluginLibrary::load(&path).unwrap();
    let kinds = |l: &PluginLibrary| {
        l.factories()
            .iter()
            .map(|f| f.kind().to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        kinds(&first),
        ["identity", "panic-on-marker", "fields-seen"]
    );
    assert!(std::ptr::eq(
        first.stages().as_ptr(),
        second.stages().as_ptr()
    ));
}

#[test]
fn check_plugin_describes_and_runs_a_sample_document() {
    let report = check_plugin(workspace_plugin("textpipe-plugin-keywords")).unwrap();
    assert_eq!(report.name, "textpipe-plugin-keywords");
    assert_eq!(report.abi_version, textpipe_plugin::abi::ABI_VERSION);
    let stage = &report.stages[0];
    assert_eq!(stage.kind, "keywords");
    assert!(!stage.sample_output.ext["keywords"]
        .as_array()
        .unwrap()
        .is_empty());
    let printed = report.to_string();
    assert!(
        printed.contains("stage `keywords`") && printed.contains("config schema"),
        "{printed}"
    );
}

#[test]
fn plugin_stages_keep_the_span_invariants_on_awkward_texts() {
    for (package, kind) in [
        ("textpipe-plugin-keywords", "keywords"),
        ("textpipe-plugin-language-id", "language-id"),
    ] {
        let stage = build(&workspace_plugin(package), kind, Value::Null);
        textpipe_testkit::check_stage_on_awkward_texts(&*stage, |doc| {
            doc.sentences = Some(vec![Span::new(0, doc.text.len())]);
        });
    }
}

#[test]
fn factories_are_shareable_across_threads() {
    let library = PluginLibrary::load(workspace_plugin("textpipe-plugin-testing")).unwrap();
    let stage: Arc<dyn Stage> = Arc::from(
        library.factories()[1]
            .build(&Value::Null, &BuildContext::new("."))
            .unwrap(),
    );
    let handles: Vec<_> = (0..4)
        .map(|i| {
            let stage = Arc::clone(&stage);
            std::thread::spawn(move || {
                let mut doc = Document::new(i.to_string(), "x".repeat(i + 1));
                stage.process(&mut doc).unwrap();
                doc.ext["panic-on-marker"]["chars"].as_u64()
            })
        })
        .collect();
    let counts: Vec<_> = handles.into_iter().map(|h| h.join().unwrap()).collect();
    assert_eq!(counts, [Some(1), Some(2), Some(3), Some(4)]);
}

#[test]
fn a_c_batch_that_fails_as_a_whole_costs_only_the_document_that_failed() {
    let stage = build(
        &c_plugin("batch_failure.c", "batch_failure", &[]),
        "c-batch-failure",
        Value::Null,
    );
    let mut docs: Vec<Document> = (0..64)
        .map(|i| {
            let text = if i == 40 {
                "this one will CRASH"
            } else {
                "calm"
            };
            Document::new(format!("d{i}"), text)
        })
        .collect();
    let results = stage.process_batch(&mut docs);
    for (i, (result, doc)) in results.iter().zip(&docs).enumerate() {
        if i == 40 {
            let message = failure_message(result);
            assert!(message.contains("plugin `c-batch-failure`"), "{message}");
            assert!(message.contains("TEXTPIPE_STATUS_PANIC"), "{message}");
            assert!(doc.ext.is_empty(), "the failed document is unchanged");
        } else {
            assert!(result.is_ok(), "document {i}: {result:?}");
            assert_eq!(doc.ext["c-batch-failure"], json!(true), "document {i}");
        }
    }
}

#[test]
fn plugin_check_runs_hostile_documents_and_reports_each() {
    let report = check_plugin(workspace_plugin("textpipe-plugin-testing")).unwrap();
    let identity = report.stages.iter().find(|s| s.kind == "identity").unwrap();
    let names: Vec<&str> = identity.hostile.iter().map(|o| o.document).collect();
    assert_eq!(names, ["empty", "multi-byte", "huge", "no-layers"]);
    assert!(identity.hostile.iter().all(|o| o.refused.is_none()));
    assert!(identity.hostile[2].bytes >= 4 << 20);
    let printed = report.to_string();
    assert!(
        printed.contains("hostile document `huge` (") && printed.contains(": ok in"),
        "{printed}"
    );
}

#[test]
fn plugin_check_names_the_document_a_stage_hangs_on() {
    let library = c_plugin("fragile.c", "fragile_loop", &["-DLOOP_ON_EMPTY"]);
    let options = textpipe_plugin::CheckOptions {
        timeout: std::time::Duration::from_secs(2),
    };
    let mut announced = Vec::new();
    let error = textpipe_plugin::check_plugin_with(&library, &options, &mut |step| {
        announced.push(step.document)
    })
    .unwrap_err()
    .to_string();
    assert!(error.contains("stage `c-fragile`"), "{error}");
    assert!(
        error.contains("the `empty` document did not finish within 2.0 s (timeout)"),
        "{error}"
    );
    assert_eq!(announced, ["sample", "empty"]);
}

#[test]
fn plugin_check_names_the_document_a_stage_writes_a_broken_span_for() {
    let library = c_plugin("fragile.c", "fragile_split", &["-DSPLIT_MULTI_BYTE"]);
    let error = check_plugin(&library).unwrap_err().to_string();
    assert!(
        error.contains("the `multi-byte` document failed"),
        "{error}"
    );
    assert!(error.contains("broken span"), "{error}");
}

#[test]
fn a_stage_gets_only_the_fields_it_reads_and_the_others_are_kept() {
    let library = PluginLibrary::load(workspace_plugin("textpipe-plugin-testing")).unwrap();
    let info = library
        .stages()
        .iter()
        .find(|s| s.kind == "fields-seen")
        .unwrap();
    assert_eq!(info.reads.to_json(), r#"["lang","meta","ext"]"#);
    let stage = build(
        &workspace_plugin("textpipe-plugin-testing"),
        "fields-seen",
        Value::Null,
    );
    let mut doc = textpipe_benchkit::news_document(7);
    doc.html = Some("<p>page</p>".into());
    let before = doc.clone();
    stage.process(&mut doc).unwrap();
    assert_eq!(doc.ext["fields-seen"], json!(["lang", "meta"]));
    // What did not cross is kept as it was; only the stage's own entry was added.
    doc.ext.remove("fields-seen");
    assert_eq!(doc, before);
}

#[test]
fn a_c_plugin_without_reads_gets_the_whole_document_and_a_bad_reads_is_refused() {
    let whole = PluginLibrary::load(c_plugin("fragile.c", "fragile", &[])).unwrap();
    assert_eq!(
        whole.stages()[0].reads,
        textpipe_plugin::fields::Fields::ALL
    );
    let declared = PluginLibrary::load(c_plugin(
        "fragile.c",
        "fragile_reads",
        &[r#"-DREADS="[\"sentences\"]""#],
    ))
    .unwrap();
    assert_eq!(declared.stages()[0].reads.to_json(), r#"["sentences"]"#);
    let error = PluginLibrary::load(c_plugin(
        "fragile.c",
        "fragile_bad_reads",
        &[r#"-DREADS="[\"sentence\"]""#],
    ))
    .unwrap_err()
    .to_string();
    assert!(
        error.contains("invalid descriptor") && error.contains("unknown field `sentence`"),
        "{error}"
    );
}
