//! Stage kinds by name: built-ins and loaded plugins share one [`Registry`].

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde_json::Value;

use crate::config::ConfigError;
use crate::stage::Stage;

/// Builds stages of one kind from their config.
pub trait StageFactory: Send + Sync {
    /// The kind name used in pipeline files (`"stage": "sentences"`).
    fn kind(&self) -> &str;

    /// One line saying what the stage does.
    fn summary(&self) -> &str;

    /// A JSON Schema of the `with` object: `{"type": "object", "properties": {key: {"type",
    /// "default", "description"}}}`. `textpipe stages` prints it.
    fn config_schema(&self) -> Value;

    /// An example `with` object that [`StageFactory::build`] accepts.
    fn example(&self) -> Value;

    /// The languages (primary subtags, `en`, `de`) the stage has models for, or `None` when it
    /// works the same in any language. `textpipe stages` and `validate` print it; a stage meets
    /// other languages through [`crate::language_gate`].
    fn languages(&self) -> Option<Vec<String>> {
        None
    }

    /// Builds a stage; reports every problem of the config at once.
    fn build(&self, config: &Value, ctx: &BuildContext)
        -> Result<Box<dyn Stage>, Vec<ConfigError>>;
}

/// What a factory may need besides its config.
#[derive(Debug, Clone, Default)]
pub struct BuildContext {
    /// Folder that relative paths in the config are resolved against (the pipeline file's).
    pub base_dir: PathBuf,
}

impl BuildContext {
    /// A context resolving relative paths against `base_dir`.
    pub fn new(base_dir: impl Into<PathBuf>) -> Self {
        BuildContext {
            base_dir: base_dir.into(),
        }
    }

    /// `path` resolved against the base folder (absolute paths are kept).
    pub fn resolve(&self, path: impl AsRef<Path>) -> PathBuf {
        self.base_dir.join(path)
    }
}

/// Stage kinds by name.
#[derive(Clone, Default)]
pub struct Registry {
    factories: BTreeMap<String, Arc<dyn StageFactory>>,
}

impl Registry {
    /// An empty registry.
    pub fn new() -> Self {
        Registry::default()
    }

    /// Adds (or replaces) a kind.
    pub fn register(&mut self, factory: Arc<dyn StageFactory>) {
        self.factories.insert(factory.kind().to_string(), factory);
    }

    /// The factory of `kind`.
    pub fn get(&self, kind: &str) -> Option<&Arc<dyn StageFactory>> {
        self.factories.get(kind)
    }

    /// All kinds, sorted by name.
    pub fn kinds(&self) -> impl Iterator<Item = &Arc<dyn StageFactory>> {
        self.factories.values()
    }

    /// The registered kind closest to `kind`, for "did you mean" messages.
    pub fn nearest_kind(&self, kind: &str) -> Option<&str> {
        crate::config::nearest(kind, self.factories.keys().map(String::as_str))
    }
}

impl std::fmt::Debug for Registry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.factories.keys()).finish()
    }
}
