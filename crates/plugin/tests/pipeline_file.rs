//! Plugins named in pipeline files: loaded relative to the file, built with their `with`,
//! and reported with the file's line and key when their config is wrong.

mod support;

use std::path::Path;

use textpipe_core::{Document, LoadError, PipelineFile, PipelineFormat, Registry};
use textpipe_plugin::HostPluginLoader;

fn pipeline_text(library: &Path, with: &str) -> String {
    format!(
        "{{\n  \"name\": \"news\",\n  \"stages\": [\n    {{\"stage\": \"keywords\", \"plugin\": {}, \"with\": {with}}},\n    {{\"stage\": \"c-word-count\", \"plugin\": \"c/{}\"}}\n  ]\n}}\n",
        serde_json::to_string(&library.to_string_lossy()).unwrap(),
        textpipe_plugin::host::building::library_file_name("c_word_count"),
    )
}

#[test]
fn plugin_stages_run_from_a_pipeline_file() {
    let keywords = support::workspace_plugin("textpipe-plugin-keywords");
    support::c_plugin("word_count.c", "c_word_count", &[]);
    // The C plugin's path is relative: it resolves against the pipeline file's folder.
    let text = pipeline_text(&keywords, r#"{"max_keywords": 1}"#);
    let file = PipelineFile::parse(
        &text,
        PipelineFormat::Json,
        "news.json",
        &support::build_dir(),
    )
    .unwrap();
    let pipeline = file
        .build(&Registry::new(), Some(&HostPluginLoader), &[])
        .unwrap();
    let names: Vec<&str> = pipeline.stages().iter().map(|s| s.name()).collect();
    assert_eq!(names, ["keywords", "c-word-count"]);
    let doc = Document::new(
        "1",
        "Flood warning for the river valley. Residents heed the flood warning.",
    );
    let doc = pipeline.process(doc).into_result().unwrap();
    assert_eq!(doc.ext["keywords"][0]["text"], "Flood warning");
    assert_eq!(doc.ext["c-word-count"]["words"], 11);
}

#[test]
fn plugin_config_errors_carry_the_pipeline_file_location() {
    let keywords = support::workspace_plugin("textpipe-plugin-keywords");
    support::c_plugin("word_count.c", "c_word_count", &[]);
    let text = pipeline_text(&keywords, r#"{"max_keyword": 1}"#);
    let file = PipelineFile::parse(
        &text,
        PipelineFormat::Json,
        "news.json",
        &support::build_dir(),
    )
    .unwrap();
    let Err(LoadError::Invalid(problems)) =
        file.build(&Registry::new(), Some(&HostPluginLoader), &[])
    else {
        panic!("a bad plugin config must be refused");
    };
    let message = problems[0].to_string();
    assert!(message.starts_with("news.json:4:"), "{message}");
    assert!(
        message.contains("max_keyword") && message.contains("plugin `keywords`"),
        "{message}"
    );
    assert_eq!(problems[0].suggestion.as_deref(), Some("max_keywords"));
}

#[test]
fn a_missing_plugin_is_reported_at_its_entry() {
    let text = r#"{"stages": [{"stage": "keywords", "plugin": "nowhere/libkeywords.so"}]}"#;
    let file = PipelineFile::parse(text, PipelineFormat::Json, "p.json", Path::new(".")).unwrap();
    let Err(LoadError::Invalid(problems)) =
        file.build(&Registry::new(), Some(&HostPluginLoader), &[])
    else {
        panic!("a missing plugin must be refused");
    };
    let message = problems[0].to_string();
    assert!(
        message.contains("stages[0].plugin") && message.contains("no such file"),
        "{message}"
    );
}

fn sha256_of(path: &Path) -> String {
    use sha2::{Digest, Sha256};
    let bytes = std::fs::read(path).unwrap();
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn pinned_keywords(library: &Path, sha256: &str) -> Result<(), LoadError> {
    let text = format!(
        r#"{{"stages": [{{"stage": "keywords", "plugin": {}, "sha256": "{sha256}"}}]}}"#,
        serde_json::to_string(&library.to_string_lossy()).unwrap(),
    );
    let file =
        PipelineFile::parse(&text, PipelineFormat::Json, "pinned.json", Path::new(".")).unwrap();
    file.build(&Registry::new(), Some(&HostPluginLoader), &[])
        .map(drop)
}

#[test]
fn a_pinned_plugin_loads_only_with_its_own_sha256() {
    let keywords = support::workspace_plugin("textpipe-plugin-keywords");
    let actual = sha256_of(&keywords);
    pinned_keywords(&keywords, &actual).unwrap();
    let mut other = actual.into_bytes();
    other[0] = if other[0] == b'0' { b'1' } else { b'0' };
    let other = String::from_utf8(other).unwrap();
    let Err(LoadError::Invalid(problems)) = pinned_keywords(&keywords, &other) else {
        panic!("a library that does not match its pin must be refused");
    };
    let message = problems[0].to_string();
    assert!(
        message.starts_with("pinned.json:1:")
            && message.contains("`stages[0].sha256`")
            && message.contains(&format!("but this entry pins {other}")),
        "{message}"
    );
}
