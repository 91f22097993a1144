use std::cell::Cell;

use serde::Deserialize;
use serde_json::json;

use super::*;
use crate::config::parse_config;
use crate::document::Document;
use crate::stage::StageError;

/// A stage kind with one typed key, `sentences`, that needs or makes a layer.
struct TestFactory {
    kind: &'static str,
    requires: &'static [Layer],
    provides: &'static [Layer],
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields, default)]
struct TestConfig {
    #[allow(dead_code)]
    sentences: usize,
}

struct TestStage(&'static TestFactory);

impl Stage for TestStage {
    fn name(&self) -> &str {
        self.0.kind
    }
    fn process(&self, _: &mut Document) -> Result<(), StageError> {
        Ok(())
    }
    fn requires(&self) -> &[Layer] {
        self.0.requires
    }
    fn provides(&self) -> &[Layer] {
        self.0.provides
    }
}

static SPLIT: TestFactory = TestFactory {
    kind: "sentences",
    requires: &[],
    provides: &[Layer::Sentences],
};
static SUMMARIZE: TestFactory = TestFactory {
    kind: "summarize",
    requires: &[Layer::Sentences],
    provides: &[Layer::Summary],
};

impl StageFactory for &'static TestFactory {
    fn kind(&self) -> &str {
        self.kind
    }
    fn summary(&self) -> &str {
        "test stage"
    }
    fn config_schema(&self) -> Value {
        json!({"type": "object", "properties": {"sentences": {"type": "integer"}}})
    }
    fn example(&self) -> Value {
        json!({"sentences": 1})
    }
    fn build(&self, config: &Value, _: &BuildContext) -> Result<Box<dyn Stage>, Vec<ConfigError>> {
        parse_config::<TestConfig>(config)?;
        Ok(Box::new(TestStage(self)))
    }
}

fn registry() -> Registry {
    let mut registry = Registry::new();
    registry.register(Arc::new(&SPLIT));
    registry.register(Arc::new(&SUMMARIZE));
    registry
}

fn problems(text: &str, format: PipelineFormat) -> Vec<PipelineFileError> {
    let file = PipelineFile::parse(text, format, "p", Path::new("."));
    match file.and_then(|f| f.build(&registry(), None, &[])) {
        Err(LoadError::Invalid(problems)) => problems,
        Err(other) => panic!("unexpected {other}"),
        Ok(_) => panic!("pipeline unexpectedly valid"),
    }
}

#[test]
fn a_valid_file_builds_in_order() {
    let text = r#"{"name": "news", "stages": [{"stage": "sentences"},
        {"stage": "summarize", "with": {"sentences": 3}}]}"#;
    let file = PipelineFile::parse(text, PipelineFormat::Json, "p", Path::new(".")).unwrap();
    let pipeline = file.build(&registry(), None, &[]).unwrap();
    assert_eq!(pipeline.name(), "news");
    let names: Vec<&str> = pipeline.stages().iter().map(|s| s.name()).collect();
    assert_eq!(names, ["sentences", "summarize"]);
}

#[test]
fn three_mistakes_are_reported_with_positions_and_suggestions() {
    let text = r#"{
  "name": "news",
  "stages": [
    {"stage": "sentense"},
    {"stage": "summarize", "wth": {"sentences": 3}},
    {"stage": "summarize", "with": {"sentencs": 3}}
  ]
}"#;
    let problems = problems(text, PipelineFormat::Json);
    let shown: Vec<String> = problems.iter().map(ToString::to_string).collect();
    assert_eq!(problems.len(), 3, "{shown:#?}");
    assert_eq!(
        shown[0],
        "p:4:15: `stages[0].stage`: unknown stage kind `sentense` (did you mean `sentences`?)"
    );
    assert_eq!((problems[1].line, problems[1].column), (5, 28));
    assert_eq!(problems[1].suggestion.as_deref(), Some("with"));
    assert_eq!(problems[2].key.as_deref(), Some("stages[2].with.sentencs"));
    assert_eq!((problems[2].line, problems[2].column), (6, 37));
    assert_eq!(problems[2].suggestion.as_deref(), Some("sentences"));
}

#[test]
fn order_problems_point_at_the_entry_even_after_a_broken_one() {
    let text = "{\"stages\": [\n {\"stage\": 7},\n {\"stage\": \"summarize\"}\n]}";
    let problems = problems(text, PipelineFormat::Json);
    assert_eq!(problems.len(), 2, "{problems:#?}");
    assert_eq!(problems[0].message, "must be a string naming a stage kind");
    assert_eq!(problems[1].line, 3);
    assert!(
        problems[1]
            .message
            .starts_with("stage 1 (`summarize`) needs `sentences`"),
        "{}",
        problems[1].message
    );
}

#[test]
fn shape_problems_are_all_reported() {
    let problems = problems(r#"{"nme": "x", "stages": [3]}"#, PipelineFormat::Json);
    assert_eq!(problems.len(), 2, "{problems:#?}");
    assert_eq!(problems[0].suggestion.as_deref(), Some("name"));
    let problems = problems_of_missing_stages();
    assert!(problems[0].message.contains("missing `stages`"));
}

fn problems_of_missing_stages() -> Vec<PipelineFileError> {
    problems(r#"{"name": "x"}"#, PipelineFormat::Json)
}

#[test]
fn syntax_errors_are_positioned() {
    let problems = problems("{\"stages\": [\n  {\"stage\": }\n]}", PipelineFormat::Json);
    assert_eq!(problems.len(), 1);
    assert_eq!(problems[0].line, 2);
    assert!(problems[0].message.starts_with("syntax error"));
}

#[test]
fn toml_files_report_the_same_problems() {
    let text = "name = \"news\"\n\n[[stages]]\nstage = \"sentense\"\n\n[[stages]]\nstage = \"summarize\"\nwith = { sentencs = 3 }\n";
    let problems = problems(text, PipelineFormat::Toml);
    assert_eq!(problems.len(), 2, "{problems:#?}");
    assert_eq!((problems[0].line, problems[0].column), (4, 9));
    assert_eq!((problems[1].line, problems[1].column), (8, 10));
    assert_eq!(problems[1].suggestion.as_deref(), Some("sentences"));
}

#[test]
fn plugin_entries_need_a_loader() {
    let text = r#"{"stages": [{"stage": "sentences", "plugin": "libx.so"}]}"#;
    let problems = problems(text, PipelineFormat::Json);
    assert!(problems[0].message.contains("plugins are not available"));
    assert_eq!(problems[0].key.as_deref(), Some("stages[0].plugin"));
}

struct CountingLoader {
    loads: Cell<usize>,
}

impl PluginLoader for CountingLoader {
    fn load(&self, path: &Path) -> Result<Vec<Arc<dyn StageFactory>>, String> {
        self.loads.set(self.loads.get() + 1);
        assert_eq!(path, Path::new("plugins/libtest.so"));
        Ok(vec![Arc::new(&SPLIT), Arc::new(&SUMMARIZE)])
    }
}

#[test]
fn plugin_libraries_resolve_against_the_file_and_load_once() {
    let text = r#"{"stages": [{"stage": "sentences", "plugin": "libtest.so"},
        {"stage": "summarize", "plugin": "libtest.so"}]}"#;
    let file = PipelineFile::parse(text, PipelineFormat::Json, "p", Path::new("plugins")).unwrap();
    let loader = CountingLoader {
        loads: Cell::new(0),
    };
    let pipeline = file.build(&Registry::new(), Some(&loader), &[]).unwrap();
    assert_eq!(pipeline.stages().len(), 2);
    assert_eq!(loader.loads.get(), 1);
}

/// Records every path it is asked to load, and loads nothing it has not been asked for.
#[derive(Default)]
struct RecordingLoader {
    loaded: std::cell::RefCell<Vec<PathBuf>>,
}

impl PluginLoader for RecordingLoader {
    fn load(&self, path: &Path) -> Result<Vec<Arc<dyn StageFactory>>, String> {
        self.loaded.borrow_mut().push(path.to_path_buf());
        Ok(vec![Arc::new(&SPLIT), Arc::new(&SUMMARIZE)])
    }
}

/// A folder holding `libpinned.so` with known bytes, unique to the test.
fn library_folder(test: &str) -> PathBuf {
    let folder = std::env::temp_dir().join(format!("textpipe-pin-{test}-{}", std::process::id()));
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(folder.join("libpinned.so"), b"abc").unwrap();
    folder
}

/// `sha256sum` of the three bytes `abc` (the FIPS 180-2 test vector).
const ABC_SHA256: &str = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

fn build_pinned(
    text: &str,
    folder: &Path,
    loader: &RecordingLoader,
) -> Result<(), Vec<PipelineFileError>> {
    let file = PipelineFile::parse(text, PipelineFormat::Json, "p.json", folder).unwrap();
    file.build(&Registry::new(), Some(loader), &[])
        .map(drop)
        .map_err(|error| match error {
            LoadError::Invalid(problems) => problems,
            other => panic!("unexpected {other}"),
        })
}

#[test]
fn a_matching_pin_loads_the_plugin() {
    let folder = library_folder("match");
    let pin = ABC_SHA256.to_ascii_uppercase();
    let text = format!(
        r#"{{"stages": [{{"stage": "sentences", "plugin": "libpinned.so", "sha256": "{pin}"}}]}}"#
    );
    let loader = RecordingLoader::default();
    build_pinned(&text, &folder, &loader).unwrap();
    assert_eq!(*loader.loaded.borrow(), [folder.join("libpinned.so")]);
}

#[test]
fn a_pin_mismatch_is_refused_before_the_library_is_loaded() {
    let folder = library_folder("mismatch");
    let pin = "0".repeat(64);
    let text = format!(
        r#"{{"stages": [{{"stage": "sentences", "plugin": "libpinned.so", "sha256": "{pin}"}}]}}"#
    );
    let loader = RecordingLoader::default();
    let problems = build_pinned(&text, &folder, &loader).unwrap_err();
    assert!(
        loader.loaded.borrow().is_empty(),
        "a mismatching library was loaded"
    );
    assert_eq!(problems.len(), 1, "{problems:#?}");
    assert_eq!(problems[0].key.as_deref(), Some("stages[0].sha256"));
    let message = problems[0].to_string();
    assert!(
        message.contains(&format!(
            "has SHA-256 {ABC_SHA256}, but this entry pins {pin}"
        )) && message.contains("refusing to load it"),
        "{message}"
    );
}

#[test]
fn a_pin_covers_every_entry_naming_the_library() {
    // The unpinned entry comes first: it must not load the library the second entry pins.
    let folder = library_folder("shared");
    let pin = "1".repeat(64);
    let text = format!(
        r#"{{"stages": [{{"stage": "sentences", "plugin": "libpinned.so"}},
            {{"stage": "summarize", "plugin": "./libpinned.so", "sha256": "{pin}"}}]}}"#
    );
    let loader = RecordingLoader::default();
    let problems = build_pinned(&text, &folder, &loader).unwrap_err();
    assert!(
        loader.loaded.borrow().is_empty(),
        "a mismatching library was loaded"
    );
    let keys: Vec<_> = problems.iter().map(|p| p.key.as_deref()).collect();
    assert_eq!(keys, [Some("stages[0].plugin"), Some("stages[1].sha256")]);
    assert!(problems[0].message.contains("pin of `stages[1].sha256`"));
}

#[test]
fn malformed_pins_are_shape_problems() {
    let text = r#"{"stages": [{"stage": "sentences", "plugin": "libx.so", "sha256": "abc"},
        {"stage": "sentences", "sha256": "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"}]}"#;
    let problems = problems(text, PipelineFormat::Json);
    let keys: Vec<_> = problems.iter().map(|p| p.key.as_deref()).collect();
    assert_eq!(keys, [Some("stages[0].sha256"), Some("stages[1].sha256")]);
    assert!(problems[0].message.contains("64 hex digits"));
    assert!(problems[1].message.contains("names no `plugin`"));
}

#[test]
fn an_unreadable_pinned_library_is_reported_at_its_plugin_key() {
    let text = format!(
        r#"{{"stages": [{{"stage": "sentences", "plugin": "nowhere.so", "sha256": "{ABC_SHA256}"}}]}}"#
    );
    let loader = RecordingLoader::default();
    let problems = build_pinned(&text, Path::new("no/such/folder"), &loader).unwrap_err();
    assert!(loader.loaded.borrow().is_empty());
    assert_eq!(problems[0].key.as_deref(), Some("stages[0].plugin"));
    assert!(
        problems[0].message.contains("cannot read"),
        "{}",
        problems[0]
    );
}
