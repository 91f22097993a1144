//! Test support shared by textpipe's crates.
//!
//! - [`shared_file`] finds the development data that lives beside the checkout in
//!   `../shared/` (never copied into the repository). When it is missing, a test skips with a
//!   printed notice, except under CI (`CI=true`), where a missing data folder is a failure:
//!   a green CI must mean the data-driven tests ran.
//! - [`check_factory`] and [`check_stage`] are the compliance checks every stage kind passes:
//!   its example config builds, its schema documents its keys, and whatever it writes keeps the
//!   span invariants of [`Document::check_spans`].
//! - [`cpu_time::thread_cpu_time`] is the clock of the linear-time tests; [`have_program`]
//!   decides whether a test that runs an outside program (python3, node) can run.
//! - [`dev_dependency_library`] finds the shared library of an example plugin crate that the
//!   test's package lists as a dev-dependency.
#![deny(missing_docs)]

pub mod cpu_time;

use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use textpipe_core::{BuildContext, Document, Stage, StageFactory};

/// True when `program --version` runs; else the test says why it skips, and fails under
/// `CI=true`, where every tool the tests need is installed.
pub fn have_program(program: &str) -> bool {
    let ok = std::process::Command::new(program)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "{program} is needed by this test"
        );
        eprintln!("skipping: {program} is not installed");
    }
    ok
}

/// The shared library of `lib_name`, a `cdylib` crate the running test's package lists as a
/// dev-dependency (the example plugins).
///
/// cargo builds such a crate beside the test binaries, in the same run and with the same
/// features as the tests, so the library is always current and costs no second build; a cargo
/// run inside the test would resolve features differently and compile dozens of crates again.
pub fn dev_dependency_library(lib_name: &str) -> PathBuf {
    let exe = std::env::current_exe().expect("the test binary's path");
    let name = format!(
        "{}{lib_name}{}",
        std::env::consts::DLL_PREFIX,
        std::env::consts::DLL_SUFFIX
    );
    let library = exe.parent().expect("the test binary's folder").join(name);
    assert!(
        library.is_file(),
        "{} is missing: is its crate a dev-dependency of this test's package?",
        library.display()
    );
    library
}

/// The folder `shared/` beside the checkout, or `TEXTPIPE_SHARED` when set.
pub fn shared_dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("TEXTPIPE_SHARED") {
        return Some(PathBuf::from(dir));
    }
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    here.ancestors()
        .map(|dir| dir.join("shared"))
        .find(|dir| dir.join("README.md").is_file() && dir.join("data").is_dir())
}

/// The file at `relative` inside the shared folder (e.g. `data/sentences/ud_en_dev.jsonl.gz`).
///
/// Returns `None` (after printing a notice) when it is missing outside CI; panics with a clear
/// message when it is missing under `CI=true`.
pub fn shared_file(relative: &str) -> Option<PathBuf> {
    let found = shared_dir()
        .map(|dir| dir.join(relative))
        .filter(|path| path.exists());
    if found.is_none() {
        let message = format!(
            "the shared data file `shared/{relative}` is missing: it must sit in the folder \
             `shared/` beside the checkout (or set TEXTPIPE_SHARED)"
        );
        if std::env::var("CI").is_ok_and(|v| v == "true") {
            panic!("{message}");
        }
        eprintln!("SKIPPED: {message}");
    }
    found
}

/// Reads a whole file, gunzipping it when its name ends in `.gz`.
pub fn read_maybe_gz(path: &Path) -> std::io::Result<String> {
    let file = std::fs::File::open(path)?;
    let mut text = String::new();
    if path.extension().is_some_and(|e| e == "gz") {
        flate2::read::MultiGzDecoder::new(file).read_to_string(&mut text)?;
    } else {
        BufReader::new(file).read_to_string(&mut text)?;
    }
    Ok(text)
}

/// Parses every line of a (gzipped) JSON Lines file.
pub fn read_jsonl(path: &Path) -> Vec<serde_json::Value> {
    let file = std::fs::File::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let reader: Box<dyn Read> = if path.extension().is_some_and(|e| e == "gz") {
        Box::new(flate2::read::MultiGzDecoder::new(file))
    } else {
        Box::new(file)
    };
    BufReader::new(reader)
        .lines()
        .map(|line| line.expect("readable line"))
        .filter(|line| !line.trim().is_empty())
        .map(|line| serde_json::from_str(&line).expect("valid JSON line"))
        .collect()
}

/// Texts that have broken stages before: empty, whitespace, multi-byte, control characters.
pub const AWKWARD_TEXTS: &[&str] = &[
    "",
    " ",
    "\n\n\n",
    ".",
    "?!?!",
    "a",
    "Hello world.",
    "Ünïcödé façade — “quoted” ‘text’… 😀👨‍👩‍👧 text.",
    "日本語の文です。二番目の文です。",
    "مرحبا بالعالم. هذه جملة ثانية.",
    "\u{200b}\u{200f}\u{202e}zero\u{feff}width.",
    "Line one\r\nLine two\r\n\r\nPara two.",
    "Mr. J. R. R. Tolkien wrote it in 1937. U.S. Inc. e.g. No. 5.",
    "\0\u{1}\u{7f} control",
    "A sentence without an end",
];

/// Checks a stage kind's factory: the example config and an empty config both build, and the
/// schema is an object schema that documents every key the example uses.
pub fn check_factory(factory: &dyn StageFactory) {
    let ctx = BuildContext::new(".");
    let example = factory.example();
    if let Err(errors) = factory.build(&example, &ctx) {
        panic!(
            "`{}`: example config {example} fails: {errors:?}",
            factory.kind()
        );
    }
    if let Err(errors) = factory.build(&serde_json::Value::Null, &ctx) {
        panic!("`{}`: default config fails: {errors:?}", factory.kind());
    }
    let schema = factory.config_schema();
    assert_eq!(
        schema["type"],
        "object",
        "`{}`: schema type",
        factory.kind()
    );
    let properties = schema["properties"]
        .as_object()
        .unwrap_or_else(|| panic!("`{}`: schema has no properties", factory.kind()));
    if let Some(example) = example.as_object() {
        for key in example.keys() {
            assert!(
                properties.contains_key(key),
                "`{}`: example key `{key}` is not in the schema",
                factory.kind()
            );
        }
    }
    assert!(!factory.summary().is_empty());
}

/// Runs `stage` on `doc` and checks the span invariants; returns the processed document.
/// A stage error is allowed (it becomes an error record), a panic or a broken span is not.
pub fn check_stage(stage: &dyn Stage, mut doc: Document) -> Document {
    let _ = stage.process(&mut doc);
    if let Err(error) = doc.check_spans() {
        panic!(
            "stage `{}` broke the span invariant on {:?}: {error}",
            stage.name(),
            doc.text
        );
    }
    doc
}

/// Runs `stage` on every text of [`AWKWARD_TEXTS`] and checks the invariants.
pub fn check_stage_on_awkward_texts(stage: &dyn Stage, prepare: impl Fn(&mut Document)) {
    for (i, text) in AWKWARD_TEXTS.iter().enumerate() {
        let mut doc = Document::new(format!("awkward-{i}"), *text);
        prepare(&mut doc);
        check_stage(stage, doc);
    }
}

/// Checks that a factory's schema documents exactly the keys of its config, given the config's
/// defaults serialized to JSON, so the schema `textpipe stages` prints cannot drift from the
/// struct that parses the config.
pub fn check_schema_keys(factory: &dyn StageFactory, defaults: serde_json::Value) {
    let schema = factory.config_schema();
    let mut documented: Vec<&String> = schema["properties"]
        .as_object()
        .unwrap_or_else(|| panic!("`{}`: schema has no properties", factory.kind()))
        .keys()
        .collect();
    let mut keys: Vec<&String> = defaults
        .as_object()
        .unwrap_or_else(|| panic!("`{}`: defaults are not an object", factory.kind()))
        .keys()
        .collect();
    documented.sort();
    keys.sort();
    assert_eq!(
        documented,
        keys,
        "`{}`: schema keys differ from config keys",
        factory.kind()
    );
}
