//! The host side: loading plugin libraries into textpipe, checking them, and scaffolding new
//! ones. Compiled with the `host` feature (on by default; plugins turn it off).

pub mod building;
pub mod check;
pub mod library;
pub mod scaffold;
pub mod stage;

use std::path::Path;
use std::sync::Arc;

use textpipe_core::{PluginLoader, StageFactory};

/// Loads plugins named in pipeline files (`"plugin": "plugins/libkeywords.so"`).
///
/// Give it to `PipelineFile::build`: the pipeline-file reader resolves the path against the
/// file's folder and calls [`PluginLoader::load`]; each library is opened once per process and
/// never unloaded.
#[derive(Debug, Clone, Copy, Default)]
pub struct HostPluginLoader;

impl PluginLoader for HostPluginLoader {
    /// The stage factories of the plugin at `path`, or a message naming the path and the
    /// problem (missing file, not a plugin, ABI version mismatch, bad descriptor).
    fn load(&self, path: &Path) -> Result<Vec<Arc<dyn StageFactory>>, String> {
        load_plugin_factories(path).map_err(|e| e.to_string())
    }
}

/// The stage factories of the plugin at `path` (loaded once, then cached).
pub fn load_plugin_factories(
    path: &Path,
) -> Result<Vec<Arc<dyn StageFactory>>, library::PluginError> {
    Ok(library::PluginLibrary::load(path)?.factories())
}
