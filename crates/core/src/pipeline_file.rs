//! Pipeline files: a named list of stages with their configs, checked all at once.
//!
//! ```json
//! {"name": "news",
//!  "stages": [{"stage": "boilerplate"},
//!             {"stage": "sentences"},
//!             {"stage": "summarize", "with": {"sentences": 3}},
//!             {"stage": "language-id", "plugin": "plugins/liblanguage_id.so"}]}
//! ```
//!
//! Each entry names a stage kind and its config under `with`; a `plugin` entry names a
//! library (relative to the file) that provides the kind, and may pin the library's SHA-256
//! (`"sha256": "<64 hex digits>"`, what `sha256sum` prints). Files ending in `.toml` are read
//! as TOML (`[[stages]]` tables), everything else as JSON.
//!
//! # Every problem at once, each where it is
//!
//! A user who fixes one typo only to meet the next wastes a run per mistake. Loading therefore
//! goes on past every problem and returns them all, sorted by position, each with the file,
//! line and column, the key (`stages[2].with.sentense`) and the nearest valid key or kind when
//! one is close. Problems come from three layers, gathered into one list:
//!
//! 1. the file's shape (unknown top-level or entry keys, wrong types, a missing `stage`);
//! 2. the registry and the factories (unknown kinds, config errors from
//!    [`StageFactory::build`], which arrive as key paths under `with` and are mapped back to
//!    positions);
//! 3. the stage order ([`Pipeline::new`]'s requires/provides check), pointed at the entry.
//!
//! Positions come from a [`SourceMap`](source_map::SourceMap) built beside the parsed value:
//! serde_json (or toml_edit) stays the judge of syntax, and a small scanner notes where each
//! node starts.
//!
//! # Plugins without a dependency on the loader
//!
//! Loading a shared library is the plugin crate's business; this module only asks a
//! [`PluginLoader`] for the factories a library provides. Without a loader a `plugin` entry is
//! a problem like any other, saying plugins are not available.
//!
//! A pinned library is hashed here, before any loader sees its path: loading a library runs
//! its code, so a library whose hash differs from the pin is never handed to the loader, and
//! no loader can forget the check. The pin of one entry covers every entry naming the same
//! library, so an unpinned entry listed first cannot load it unchecked.
//!
//! ```
//! use std::path::Path;
//! use textpipe_core::{PipelineFile, PipelineFormat, Registry};
//!
//! let text = r#"{"name": "empty", "stages": [{"stage": "sentense"}]}"#;
//! let file = PipelineFile::parse(text, PipelineFormat::Json, "demo.json", Path::new(".")).unwrap();
//! let error = file.build(&Registry::new(), None, &[]).err().unwrap();
//! assert!(error.to_string().starts_with("demo.json:1:40: `stages[0].stage`: unknown stage kind"));
//! ```

mod extends;
mod json_source;
mod source_map;
mod toml_source;

use std::collections::HashMap;
use std::io::{ErrorKind, Read};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde_json::{Map, Value};

use crate::checked_file::{
    open_checked, read_to_string_checked, FileCheckError, MAX_CONFIG_FILE_BYTES,
    MAX_PIPELINE_FILE_BYTES,
};
use crate::config::{nearest, ConfigError};
use crate::pipeline::{OrderError, Pipeline};
use crate::registry::{BuildContext, Registry, StageFactory};
use crate::stage::{Layer, Stage};
use source_map::{NodePath, SourceMap};

/// The most stage entries a pipeline file may have: real pipelines have a handful, and each
/// built stage holds its models, so a hundred thousand entries would take the machine's memory.
pub const MAX_STAGES: usize = 1000;

/// The most problems located and reported; the rest are counted in one last problem.
pub const MAX_REPORTED_PROBLEMS: usize = 100;

/// Keys a pipeline file may have at the top level.
const FILE_KEYS: [&str; 3] = ["name", "extends", "stages"];
/// Keys a stage entry may have.
const ENTRY_KEYS: [&str; 9] = [
    "stage",
    "with",
    "plugin",
    "sha256",
    "command",
    "isolate",
    "timeout",
    "max_restarts",
    "max_memory",
];

/// Loads the stage factories a plugin library provides; the plugin crate implements it.
pub trait PluginLoader {
    /// The factories of the library at `path` (already resolved against the pipeline file's
    /// folder). The message of an error is shown to the user as is.
    fn load(&self, path: &Path) -> Result<Vec<Arc<dyn StageFactory>>, String>;

    /// The loader of out-of-process stages (`command` entries and `"isolate": true` plugins),
    /// when this loader offers them.
    fn processes(&self) -> Option<&dyn ProcessLoader> {
        None
    }
}

/// Starts stages that run in their own process; the process crate implements it, so core
/// does not depend on it.
pub trait ProcessLoader {
    /// The factory of the entry's kind, run as `entry.command` (or the isolated `library`).
    /// The message of an error is shown to the user as is.
    fn load(&self, entry: &ProcessEntry<'_>) -> Result<Arc<dyn StageFactory>, String>;
}

/// What a pipeline entry says about a stage that runs in its own process.
#[derive(Debug, Clone, PartialEq)]
pub struct ProcessEntry<'a> {
    /// The kind the entry names (`"stage"`); the program must state the same name.
    pub kind: &'a str,
    /// The program and its arguments (`"command"`), run in `base_dir`; empty for an isolated
    /// plugin.
    pub command: &'a [String],
    /// The plugin library to run in a host process (`"plugin"` with `"isolate": true`),
    /// resolved against `base_dir`.
    pub library: Option<PathBuf>,
    /// The per-document time limit (`"timeout"`, seconds), when the entry sets one.
    pub timeout: Option<std::time::Duration>,
    /// How many times a crashed or stuck worker is restarted before the stage gives up
    /// (`"max_restarts"`), when the entry sets it.
    pub max_restarts: Option<u32>,
    /// The most memory (address space, bytes) a worker process may take (`"max_memory"`).
    pub max_memory: Option<u64>,
    /// The pipeline file's folder: the program's working directory.
    pub base_dir: &'a Path,
}

/// The syntax a pipeline file is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PipelineFormat {
    /// JSON, the default.
    Json,
    /// TOML, for files ending in `.toml`.
    Toml,
}

impl PipelineFormat {
    /// TOML for a `.toml` extension, JSON otherwise.
    pub fn from_path(path: &Path) -> Self {
        match path.extension() {
            Some(ext) if ext.eq_ignore_ascii_case("toml") => PipelineFormat::Toml,
            _ => PipelineFormat::Json,
        }
    }
}

/// One problem in a pipeline file, with where it is.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{origin}:{line}:{column}: {}{message}{}", key_prefix(.key), suggestion_suffix(.suggestion))]
pub struct PipelineFileError {
    /// The file's path as given (or a name such as `<default pipeline>`).
    pub origin: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in chars.
    pub column: usize,
    /// The offending key as a path, e.g. `stages[2].with.sentences`, when there is one.
    pub key: Option<String>,
    /// What is wrong.
    pub message: String,
    /// The nearest valid key or stage kind, for a likely typo.
    pub suggestion: Option<String>,
}

fn key_prefix(key: &Option<String>) -> String {
    key.as_ref()
        .map_or_else(String::new, |k| format!("`{k}`: "))
}

fn suggestion_suffix(suggestion: &Option<String>) -> String {
    suggestion
        .as_ref()
        .map_or_else(String::new, |s| format!(" (did you mean `{s}`?)"))
}

/// Why a pipeline file could not be turned into a pipeline.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum LoadError {
    /// The file could not be read.
    #[error("cannot read pipeline file {}: {source}", .path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The file has problems; all of them, sorted by position.
    #[error("{}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"))]
    Invalid(Vec<PipelineFileError>),
}

/// One entry of `stages`.
#[derive(Debug, Clone, PartialEq)]
pub struct StageEntry {
    /// The stage kind (`"stage"`).
    pub kind: String,
    /// Its config (`"with"`); `null` when absent, which means all defaults.
    pub with: Value,
    /// The plugin library providing the kind, as written (relative to the file).
    pub plugin: Option<PathBuf>,
    /// The SHA-256 the plugin library must have (`"sha256"`), as 64 lowercase hex digits.
    pub sha256: Option<String>,
    /// The program that runs the stage in its own process (`"command"`), when it is one.
    pub command: Option<Vec<String>>,
    /// Whether the plugin runs in a host process of its own (`"isolate": true`).
    pub isolate: bool,
    /// Per-document time limit of an out-of-process stage (`"timeout"`, seconds).
    pub timeout: Option<std::time::Duration>,
    /// Restarts of a crashed out-of-process worker before the stage gives up (`"max_restarts"`).
    pub max_restarts: Option<u32>,
    /// Memory limit of each out-of-process worker in bytes (`"max_memory"`, e.g. `"512M"`).
    pub max_memory: Option<u64>,
    /// Where an entry of a file that `extends` another goes (`before`, `after`, `remove`).
    placement: extends::Placement,
    /// Position of the entry in the file's `stages` array.
    index: usize,
}

/// A parsed pipeline file, ready to be built against a registry.
#[derive(Debug, Clone)]
pub struct PipelineFile {
    /// The pipeline's name (`"name"`, else the file's stem).
    pub name: String,
    /// The well-formed stage entries, in order.
    pub stages: Vec<StageEntry>,
    origin: String,
    base_dir: PathBuf,
    map: SourceMap,
    /// Shape problems found while parsing, reported by [`PipelineFile::build`] together with
    /// those only the registry can find.
    shape_problems: Vec<PipelineFileError>,
    /// Problems past [`MAX_REPORTED_PROBLEMS`], counted but not located.
    problems_left_out: usize,
    /// The pipeline this file extends (`"extends": "default"`), and whether it was expanded.
    extends: Option<String>,
    expanded: bool,
}

impl PipelineFile {
    /// Reads and parses the file at `path`; relative paths inside resolve against its folder.
    pub fn read(path: &Path) -> Result<Self, LoadError> {
        let refused = |source| LoadError::Read {
            path: path.to_path_buf(),
            source,
        };
        if path
            .extension()
            .is_some_and(|ext| ext.eq_ignore_ascii_case("yaml") || ext.eq_ignore_ascii_case("yml"))
        {
            let message = "YAML is not supported: use JSON or TOML";
            return Err(refused(std::io::Error::new(
                ErrorKind::InvalidInput,
                message,
            )));
        }
        // A FIFO, a device or a huge file named by mistake is refused, not read forever.
        let text = read_to_string_checked(path, MAX_PIPELINE_FILE_BYTES).map_err(|error| {
            refused(match error {
                FileCheckError::Io(error) => error,
                other => std::io::Error::new(ErrorKind::InvalidInput, other.to_string()),
            })
        })?;
        let base_dir = match path.parent() {
            Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let mut file = Self::parse(
            &text,
            PipelineFormat::from_path(path),
            &path.display().to_string(),
            &base_dir,
        )?;
        if file.name.is_empty() {
            file.name = path
                .file_stem()
                .map_or_else(String::new, |s| s.to_string_lossy().into_owned());
        }
        Ok(file)
    }

    /// Parses pipeline-file text. `origin` names it in errors; `base_dir` is the folder that
    /// relative paths resolve against. Only a syntax error fails here: problems of shape are
    /// kept and reported by [`PipelineFile::build`] with the rest.
    pub fn parse(
        text: &str,
        format: PipelineFormat,
        origin: &str,
        base_dir: &Path,
    ) -> Result<Self, LoadError> {
        let parsed = match format {
            PipelineFormat::Json => json_source::parse(text),
            PipelineFormat::Toml => toml_source::parse(text),
        };
        let (value, map) = parsed.map_err(|error| {
            LoadError::Invalid(vec![PipelineFileError {
                origin: origin.to_string(),
                line: error.line,
                column: error.column,
                key: None,
                message: format!("syntax error: {}", error.message),
                suggestion: None,
            }])
        })?;
        let mut file = PipelineFile {
            name: String::new(),
            stages: Vec::new(),
            origin: origin.to_string(),
            base_dir: base_dir.to_path_buf(),
            map,
            shape_problems: Vec::new(),
            problems_left_out: 0,
            extends: None,
            expanded: false,
        };
        file.read_shape(&value);
        Ok(file)
    }

    /// The folder relative paths resolve against.
    pub fn base_dir(&self) -> &Path {
        &self.base_dir
    }

    /// Builds every stage with `registry` (and `plugins` for plugin entries) and checks their
    /// order, assuming the input documents already carry `assumed`. Returns every problem of
    /// the file at once, sorted by position.
    pub fn build(
        &self,
        registry: &Registry,
        plugins: Option<&dyn PluginLoader>,
        assumed: &[Layer],
    ) -> Result<Pipeline, LoadError> {
        let mut problems = self.shape_problems.clone();
        let mut left_out = self.problems_left_out;
        problems.extend(self.unexpanded_problem());
        let ctx = BuildContext::new(&self.base_dir);
        let mut libraries = PluginCache::new(plugins);
        let mut stages: Vec<Box<dyn Stage>> = Vec::new();
        // The entry index of each built stage, to place order errors.
        let mut entry_of_stage = Vec::new();
        for entry in &self.stages {
            let factory = if entry.command.is_some() || entry.isolate {
                self.process_factory(entry, plugins, &mut libraries)
            } else {
                match &entry.plugin {
                    Some(library) => self.plugin_factory(entry, library, &mut libraries),
                    None => self.registry_factory(entry, registry),
                }
            };
            let factory = match factory {
                Ok(factory) => factory,
                Err(problem) => {
                    problems.push(problem);
                    continue;
                }
            };
            match factory.build(&entry.with, &ctx) {
                Ok(stage) => {
                    stages.push(stage);
                    entry_of_stage.push(entry.index);
                }
                Err(errors) => {
                    let room = MAX_REPORTED_PROBLEMS.saturating_sub(problems.len());
                    left_out += errors.len().saturating_sub(room);
                    problems.extend(
                        errors
                            .into_iter()
                            .take(room)
                            .map(|error| self.config_problem(entry, error)),
                    )
                }
            }
        }
        match Pipeline::new(self.name.clone(), stages, assumed) {
            Ok(pipeline) if problems.is_empty() => return Ok(pipeline),
            Ok(_) => {}
            Err(order) => problems.extend(
                order
                    .into_iter()
                    .map(|error| self.order_problem(&entry_of_stage, error)),
            ),
        }
        problems.sort_by_key(|p| (p.line, p.column));
        if left_out > 0 {
            // Locating a problem costs up to a line of text: a file with a hundred thousand
            // problems is reported in linear time by locating only the first ones.
            let mut more = self.problem(
                &[],
                false,
                format!(
                    "{left_out} more problems not shown (the first {MAX_REPORTED_PROBLEMS} are)"
                ),
            );
            more.line = problems.last().map_or(more.line, |last| last.line);
            more.column = problems.last().map_or(more.column, |last| last.column);
            problems.push(more);
        }
        Err(LoadError::Invalid(problems))
    }

    fn problem(&self, path: &[String], at_key: bool, message: String) -> PipelineFileError {
        // An entry that came from the extended pipeline is not in this file: point at `extends`.
        let base = ["extends".to_string()];
        let (path, message) = match extends::is_base_path(path) {
            true => (&base[..], format!("in the extended pipeline: {message}")),
            false => (path, message),
        };
        let at = self.map.locate(path, at_key);
        PipelineFileError {
            origin: self.origin.clone(),
            line: at.line,
            column: at.column,
            key: (!path.is_empty()).then(|| display_key(path)),
            message,
            suggestion: None,
        }
    }

    fn registry_factory(
        &self,
        entry: &StageEntry,
        registry: &Registry,
    ) -> Result<Arc<dyn StageFactory>, PipelineFileError> {
        registry.get(&entry.kind).cloned().ok_or_else(|| {
            let mut problem = self.problem(
                &entry_path(entry.index, &["stage"]),
                false,
                format!("unknown stage kind `{}`", entry.kind),
            );
            problem.suggestion = registry.nearest_kind(&entry.kind).map(str::to_string);
            problem
        })
    }

    fn plugin_factory(
        &self,
        entry: &StageEntry,
        library: &Path,
        libraries: &mut PluginCache<'_>,
    ) -> Result<Arc<dyn StageFactory>, PipelineFileError> {
        let at_plugin = entry_path(entry.index, &["plugin"]);
        let resolved = self.base_dir.join(library);
        self.check_pins(entry, library, &resolved, libraries)?;
        let factories = libraries
            .load(&resolved)
            .map_err(|message| self.problem(&at_plugin, false, message))?;
        if let Some(factory) = factories.iter().find(|f| f.kind() == entry.kind) {
            return Ok(factory.clone());
        }
        let kinds: Vec<&str> = factories.iter().map(|f| f.kind()).collect();
        let mut problem = self.problem(
            &entry_path(entry.index, &["stage"]),
            false,
            format!(
                "plugin {} has no stage kind `{}`; it has: {}",
                library.display(),
                entry.kind,
                kinds.join(", ")
            ),
        );
        problem.suggestion = nearest(&entry.kind, kinds.iter().copied()).map(str::to_string);
        Err(problem)
    }

    /// The factory of a `command` entry or an isolated plugin, from the loader's
    /// [`ProcessLoader`]. An isolated library's pins are checked here, as for in-process ones.
    fn process_factory(
        &self,
        entry: &StageEntry,
        plugins: Option<&dyn PluginLoader>,
        libraries: &mut PluginCache<'_>,
    ) -> Result<Arc<dyn StageFactory>, PipelineFileError> {
        let key = if entry.command.is_some() {
            "command"
        } else {
            "isolate"
        };
        let at = entry_path(entry.index, &[key]);
        let library = match &entry.plugin {
            Some(library) => {
                let resolved = self.base_dir.join(library);
                self.check_pins(entry, library, &resolved, libraries)?;
                Some(resolved)
            }
            None => None,
        };
        let Some(loader) = plugins.and_then(PluginLoader::processes) else {
            let message = "stages in their own process are not available here".to_string();
            return Err(self.problem(&at, false, message));
        };
        let process = ProcessEntry {
            kind: &entry.kind,
            command: entry.command.as_deref().unwrap_or(&[]),
            library,
            timeout: entry.timeout,
            max_restarts: entry.max_restarts,
            max_memory: entry.max_memory,
            base_dir: &self.base_dir,
        };
        loader
            .load(&process)
            .map_err(|message| self.problem(&at, false, message))
    }

    /// Checks every pin on the library at `resolved` (this entry's first), so that the library
    /// is loaded only when all entries naming it agree with its bytes.
    fn check_pins(
        &self,
        entry: &StageEntry,
        library: &Path,
        resolved: &Path,
        libraries: &mut PluginCache<'_>,
    ) -> Result<(), PipelineFileError> {
        let same_library = |other: &&StageEntry| {
            other.index != entry.index
                && other
                    .plugin
                    .as_ref()
                    .is_some_and(|p| self.base_dir.join(p) == resolved)
        };
        let pins = std::iter::once(entry)
            .chain(self.stages.iter().filter(same_library))
            .filter_map(|e| Some((e.index, e.sha256.as_deref()?)));
        for (index, pin) in pins {
            let actual = libraries.sha256(resolved).map_err(|message| {
                self.problem(&entry_path(entry.index, &["plugin"]), false, message)
            })?;
            if actual == pin {
                continue;
            }
            let message = if index == entry.index {
                format!(
                    "plugin {} has SHA-256 {actual}, but this entry pins {pin}; refusing to \
                     load it (if the library was rebuilt on purpose, update `sha256`)",
                    library.display()
                )
            } else {
                format!(
                    "plugin {} is not loaded: its SHA-256 {actual} does not match the pin \
                     of `stages[{index}].sha256`",
                    library.display()
                )
            };
            let key = if index == entry.index {
                "sha256"
            } else {
                "plugin"
            };
            return Err(self.problem(&entry_path(entry.index, &[key]), false, message));
        }
        Ok(())
    }

    fn config_problem(&self, entry: &StageEntry, error: ConfigError) -> PipelineFileError {
        let mut path = entry_path(entry.index, &["with"]);
        path.extend(error.path.iter().cloned());
        // An unknown key is pointed at by its name; a bad value by the value.
        let at_key = error.suggestion.is_some() || error.message.starts_with("unknown key");
        let mut problem = self.problem(&path, at_key, error.message);
        problem.suggestion = error.suggestion;
        problem
    }

    fn order_problem(&self, entry_of_stage: &[usize], error: OrderError) -> PipelineFileError {
        let index = match &error {
            OrderError::MissingLayer { index, .. }
            | OrderError::TextRewrittenAfterSpans { index, .. } => *index,
            // Future variants: point at the first entry rather than nowhere.
            #[allow(unreachable_patterns)]
            _ => 0,
        };
        let entry = entry_of_stage.get(index).copied().unwrap_or(index);
        let message = match entry == extends::BASE_ENTRY {
            // A stage of the extended pipeline keeps its position in the expanded pipeline.
            true => error.to_string(),
            false => error.to_string().replacen(
                &format!("stage {index} "),
                &format!("stage {entry} "),
                1,
            ),
        };
        self.problem(&entry_path(entry, &["stage"]), false, message)
    }
}

/// Reading the file's shape: every problem is recorded, and well-formed entries are kept.
impl PipelineFile {
    fn shape_problem(&mut self, path: &[String], at_key: bool, message: String) {
        if self.shape_problems.len() >= MAX_REPORTED_PROBLEMS {
            self.problems_left_out += 1;
            return;
        }
        let problem = self.problem(path, at_key, message);
        self.shape_problems.push(problem);
    }

    /// Shape problems found so far, reported or not.
    fn shape_problem_count(&self) -> usize {
        self.shape_problems.len() + self.problems_left_out
    }

    fn unknown_keys(&mut self, object: &Map<String, Value>, path: &[String], valid: &[&str]) {
        for key in object.keys().filter(|k| !valid.contains(&k.as_str())) {
            if self.shape_problems.len() >= MAX_REPORTED_PROBLEMS {
                self.problems_left_out += 1;
                continue;
            }
            let mut at = path.to_vec();
            at.push(key.clone());
            let mut problem = self.problem(
                &at,
                true,
                format!("unknown key; valid keys: {}", valid.join(", ")),
            );
            problem.suggestion = nearest(key, valid.iter().copied()).map(str::to_string);
            self.shape_problems.push(problem);
        }
    }

    fn read_shape(&mut self, root: &Value) {
        let Some(object) = root.as_object() else {
            let message = "a pipeline file is an object with `name` and `stages`".to_string();
            return self.shape_problem(&[], false, message);
        };
        self.unknown_keys(object, &[], &FILE_KEYS);
        self.read_extends(object);
        match object.get("name") {
            None => {}
            Some(Value::String(name)) => self.name = name.clone(),
            Some(_) => self.shape_problem(&["name".into()], false, "must be a string".into()),
        }
        match object.get("stages") {
            Some(Value::Array(entries)) if entries.len() > MAX_STAGES => {
                let message = format!(
                    "{} stage entries; a pipeline has at most {MAX_STAGES}",
                    entries.len()
                );
                self.shape_problem(&["stages".into()], true, message);
            }
            Some(Value::Array(entries)) => {
                for (index, entry) in entries.iter().enumerate() {
                    if let Some(entry) = self.read_entry(index, entry) {
                        self.stages.push(entry);
                    }
                }
            }
            Some(_) => self.shape_problem(
                &["stages".into()],
                false,
                "must be an array of stage entries".into(),
            ),
            None => self.shape_problem(
                &[],
                false,
                "missing `stages`, the list of stage entries".into(),
            ),
        }
    }

    fn read_entry(&mut self, index: usize, entry: &Value) -> Option<StageEntry> {
        let path = entry_path(index, &[]);
        let Some(object) = entry.as_object() else {
            let message = r#"a stage entry is an object like {"stage": "sentences"}"#;
            self.shape_problem(&path, false, message.into());
            return None;
        };
        let problems_before = self.shape_problem_count();
        let mut valid = ENTRY_KEYS.to_vec();
        if self.extends.is_some() {
            valid.extend(extends::EXTEND_KEYS);
        }
        self.unknown_keys(object, &path, &valid);
        let kind = match object.get("stage") {
            Some(Value::String(kind)) => Some(kind.clone()),
            Some(_) => {
                let message = "must be a string naming a stage kind".into();
                self.shape_problem(&entry_path(index, &["stage"]), false, message);
                None
            }
            None => {
                let message = "missing `stage`, the stage kind".into();
                self.shape_problem(&path, false, message);
                None
            }
        };
        let with = match object.get("with") {
            None | Some(Value::Null) => Value::Null,
            Some(with @ Value::Object(_)) => with.clone(),
            Some(_) => {
                let message = "must be an object of config keys".into();
                self.shape_problem(&entry_path(index, &["with"]), false, message);
                Value::Null
            }
        };
        let plugin = match object.get("plugin") {
            None => None,
            Some(Value::String(path)) => Some(PathBuf::from(path)),
            Some(_) => {
                let message = "must be the path of a plugin library".into();
                self.shape_problem(&entry_path(index, &["plugin"]), false, message);
                None
            }
        };
        let sha256 = self.read_pin(index, object);
        let process = self.read_process_keys(index, object);
        let placement = self.read_placement(index, object);
        let well_formed = self.shape_problem_count() == problems_before;
        Some(StageEntry {
            kind: kind?,
            with,
            plugin,
            sha256,
            command: process.command,
            isolate: process.isolate,
            timeout: process.timeout,
            max_restarts: process.max_restarts,
            max_memory: process.max_memory,
            placement,
            index,
        })
        .filter(|_| well_formed)
    }
}

impl PipelineFile {
    /// The entry's `sha256`, lowercased; a malformed pin, or one without `plugin`, is a problem.
    fn read_pin(&mut self, index: usize, object: &Map<String, Value>) -> Option<String> {
        let at = entry_path(index, &["sha256"]);
        let pin = match object.get("sha256")? {
            Value::String(hex) if hex.len() == 64 && hex.bytes().all(|b| b.is_ascii_hexdigit()) => {
                hex.to_ascii_lowercase()
            }
            _ => {
                let message = "must be the plugin library's SHA-256 as 64 hex digits, as \
                               printed by `sha256sum LIBRARY`";
                self.shape_problem(&at, false, message.into());
                return None;
            }
        };
        if !object.contains_key("plugin") {
            let message = "pins a plugin library, but this entry names no `plugin`";
            self.shape_problem(&at, true, message.into());
            return None;
        }
        Some(pin)
    }
}

/// The keys of an entry that runs out of process, as read from the file.
#[derive(Default)]
struct ProcessKeys {
    command: Option<Vec<String>>,
    isolate: bool,
    timeout: Option<std::time::Duration>,
    max_restarts: Option<u32>,
    max_memory: Option<u64>,
}

impl PipelineFile {
    /// `command`, `isolate`, `timeout` and `max_restarts`; a malformed one, or a combination
    /// that means nothing (`timeout` on an in-process stage), is a problem.
    fn read_process_keys(&mut self, index: usize, object: &Map<String, Value>) -> ProcessKeys {
        let mut keys = ProcessKeys::default();
        let at = |key: &str| entry_path(index, &[key]);
        match object.get("command") {
            None => {}
            Some(Value::Array(items))
                if !items.is_empty() && items.iter().all(Value::is_string) =>
            {
                let words = items.iter().filter_map(Value::as_str).map(str::to_string);
                keys.command = Some(words.collect());
            }
            Some(_) => self.shape_problem(
                &at("command"),
                false,
                r#"must be the program and its arguments, e.g. ["python3", "stages/quotes.py"]"#
                    .into(),
            ),
        }
        match object.get("isolate") {
            None => {}
            Some(Value::Bool(isolate)) => keys.isolate = *isolate,
            Some(_) => self.shape_problem(&at("isolate"), false, "must be true or false".into()),
        }
        match object.get("timeout") {
            None => {}
            Some(Value::Number(n)) if n.as_f64().is_some_and(|s| s > 0.0 && s < 1e9) => {
                let seconds = n.as_f64().unwrap_or_default();
                keys.timeout = Some(std::time::Duration::from_secs_f64(seconds));
            }
            Some(_) => self.shape_problem(
                &at("timeout"),
                false,
                "must be the time limit per document in seconds, a number above 0".into(),
            ),
        }
        match object.get("max_restarts") {
            None => {}
            Some(Value::Number(n)) if n.as_u64().is_some_and(|n| n <= u64::from(u32::MAX)) => {
                keys.max_restarts = n.as_u64().map(|n| n as u32);
            }
            Some(_) => self.shape_problem(
                &at("max_restarts"),
                false,
                "must be a whole number of restarts, 0 or more".into(),
            ),
        }
        match object.get("max_memory") {
            None => {}
            Some(value) => match value
                .as_u64()
                .or_else(|| value.as_str().and_then(parse_size))
            {
                Some(bytes) if bytes > 0 => keys.max_memory = Some(bytes),
                _ => self.shape_problem(
                    &at("max_memory"),
                    false,
                    r#"must be a size in bytes, or with a K, M or G suffix ("512M")"#.into(),
                ),
            },
        }
        let has_plugin = object.contains_key("plugin");
        if keys.command.is_some() && has_plugin {
            let message = "an entry runs either a `command` or a `plugin`, not both";
            self.shape_problem(&at("command"), true, message.into());
        }
        if keys.isolate && !has_plugin {
            let message = "`isolate` runs a plugin library in its own process; this entry names \
                           no `plugin` (a `command` always runs in its own process)";
            self.shape_problem(&at("isolate"), true, message.into());
        }
        let out_of_process = keys.command.is_some() || keys.isolate;
        for key in ["timeout", "max_restarts", "max_memory"] {
            if object.contains_key(key) && !out_of_process {
                let message = format!(
                    "`{key}` applies to stages in their own process: add `command`, or \
                     `\"isolate\": true` to a plugin entry"
                );
                self.shape_problem(&at(key), true, message);
            }
        }
        keys
    }
}

/// `"512M"` as bytes: a whole number with an optional K, M, G or T suffix (powers of 1024).
fn parse_size(text: &str) -> Option<u64> {
    let text = text.trim();
    let (digits, shift) = match text.as_bytes().last()?.to_ascii_uppercase() {
        b'K' => (&text[..text.len() - 1], 10),
        b'M' => (&text[..text.len() - 1], 20),
        b'G' => (&text[..text.len() - 1], 30),
        b'T' => (&text[..text.len() - 1], 40),
        _ => (text, 0),
    };
    digits.trim().parse::<u64>().ok()?.checked_mul(1 << shift)
}

/// Libraries loaded while building one file, so an entry reusing a library loads it once.
struct PluginCache<'a> {
    loader: Option<&'a dyn PluginLoader>,
    loaded: HashMap<PathBuf, Result<Vec<Arc<dyn StageFactory>>, String>>,
    hashes: HashMap<PathBuf, Result<String, String>>,
}

impl<'a> PluginCache<'a> {
    fn new(loader: Option<&'a dyn PluginLoader>) -> Self {
        PluginCache {
            loader,
            loaded: HashMap::new(),
            hashes: HashMap::new(),
        }
    }

    /// The SHA-256 of the file at `path` as lowercase hex, hashed once per file.
    fn sha256(&mut self, path: &Path) -> Result<String, String> {
        self.hashes
            .entry(path.to_path_buf())
            .or_insert_with(|| {
                file_sha256(path).map_err(|error| {
                    format!(
                        "cannot read {} to check its SHA-256: {error}",
                        path.display()
                    )
                })
            })
            .clone()
    }

    fn load(&mut self, path: &Path) -> Result<&[Arc<dyn StageFactory>], String> {
        let Some(loader) = self.loader else {
            return Err(format!(
                "plugins are not available here, so {} cannot be loaded",
                path.display()
            ));
        };
        let result = self
            .loaded
            .entry(path.to_path_buf())
            .or_insert_with(|| loader.load(path));
        match result {
            Ok(factories) => Ok(factories),
            Err(message) => Err(message.clone()),
        }
    }
}

fn file_sha256(path: &Path) -> std::io::Result<String> {
    use sha2::{Digest, Sha256};
    let mut hasher = Sha256::new();
    let file = open_checked(path, MAX_CONFIG_FILE_BYTES).map_err(|error| match error {
        FileCheckError::Io(error) => error,
        other => std::io::Error::new(ErrorKind::InvalidInput, other.to_string()),
    })?;
    std::io::copy(&mut file.take(MAX_CONFIG_FILE_BYTES), &mut hasher)?;
    Ok(hasher
        .finalize()
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect())
}

fn entry_path(index: usize, rest: &[&str]) -> NodePath {
    let mut path = vec!["stages".to_string(), index.to_string()];
    path.extend(rest.iter().map(|s| s.to_string()));
    path
}

/// `["stages", "2", "with", "x"]` as `stages[2].with.x`.
fn display_key(path: &[String]) -> String {
    let mut key = String::new();
    for segment in path {
        if !segment.is_empty() && segment.bytes().all(|b| b.is_ascii_digit()) {
            key.push_str(&format!("[{segment}]"));
        } else {
            if !key.is_empty() {
                key.push('.');
            }
            key.push_str(segment);
        }
    }
    key
}

#[cfg(test)]
mod tests;
