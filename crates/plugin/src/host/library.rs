//! Opening a plugin library: file, ABI version, descriptor, in that order.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use serde_json::Value;
use textpipe_core::{Layer, StageFactory};
use textpipe_plugin_abi::{
    AbiVersionFn, DescriptorFn, PluginDescriptor, StageDescriptor, StrRef, ABI_VERSION,
    ABI_VERSION_SYMBOL, DESCRIPTOR_SYMBOL, PLUGIN_DESCRIPTOR_MIN_SIZE, STAGE_DESCRIPTOR_MIN_SIZE,
    STAGE_DESCRIPTOR_READS_SIZE,
};

use crate::fields::Fields;
use crate::host::stage::PluginFactory;

/// Why a plugin library cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PluginError {
    /// No file at the path.
    #[error("plugin `{path}`: no such file")]
    NotFound {
        /// The path as given.
        path: PathBuf,
    },
    /// The file is not a shared library this system can load.
    #[error("plugin `{path}`: cannot load it as a shared library: {message}")]
    Open {
        /// The path as given.
        path: PathBuf,
        /// The loader's message.
        message: String,
    },
    /// The library does not export a textpipe plugin symbol.
    #[error("plugin `{path}`: not a textpipe plugin (it does not export `{symbol}`)")]
    NotAPlugin {
        /// The path as given.
        path: PathBuf,
        /// The missing symbol.
        symbol: &'static str,
    },
    /// The plugin was built against another version of the ABI.
    #[error("plugin `{path}`: built for plugin ABI version {found}, but this textpipe speaks version {expected}; rebuild the plugin against textpipe-plugin-abi {expected}")]
    AbiMismatch {
        /// The path as given.
        path: PathBuf,
        /// The plugin's ABI version.
        found: u32,
        /// The host's ABI version.
        expected: u32,
    },
    /// The descriptor table is missing, too small or holds nonsense.
    #[error("plugin `{path}`: invalid descriptor: {message}")]
    BadDescriptor {
        /// The path as given.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// `check_plugin`: a stage failed on the sample document or its example config.
    #[error("plugin `{path}`, stage `{stage}`: {message}")]
    CheckFailed {
        /// The path as given.
        path: PathBuf,
        /// The failing stage kind.
        stage: String,
        /// What went wrong.
        message: String,
    },
}

/// A loaded plugin library. Cheap to clone; the library itself is never unloaded, because a
/// stage handle or a leaked descriptor string may outlive any owner we could track.
#[derive(Clone)]
pub struct PluginLibrary {
    inner: Arc<LoadedPlugin>,
}

struct LoadedPlugin {
    path: PathBuf,
    name: String,
    version: String,
    abi_version: u32,
    stages: Vec<StageInfo>,
}

/// What a plugin's descriptor says about one stage kind, checked and copied into Rust types.
#[derive(Debug, Clone)]
pub struct StageInfo {
    /// Kind name in pipeline files.
    pub kind: String,
    /// One line saying what the stage does.
    pub summary: String,
    /// JSON Schema of the `with` object.
    pub config_schema: Value,
    /// An example `with` object.
    pub example: Value,
    /// Layers the stage needs.
    pub requires: Vec<Layer>,
    /// Layers the stage writes.
    pub provides: Vec<Layer>,
    /// Document fields the stage gets besides `id` and `text` (all of them for a plugin
    /// whose descriptor predates `reads` or leaves it empty).
    pub reads: Fields,
    /// The raw descriptor, for its function pointers.
    pub(crate) raw: &'static StageDescriptor,
}

// SAFETY: `raw` points into a library that is never unloaded and is only read.
unsafe impl Send for StageInfo {}
// SAFETY: as above.
unsafe impl Sync for StageInfo {}

impl PluginLibrary {
    /// Loads the plugin at `path`, or returns the copy loaded before from the same file.
    /// Checks the ABI version before touching anything else.
    pub fn load(path: impl AsRef<Path>) -> Result<PluginLibrary, PluginError> {
        static LOADED: OnceLock<Mutex<HashMap<PathBuf, PluginLibrary>>> = OnceLock::new();
        let path = path.as_ref();
        let key = path.canonicalize().map_err(|_| PluginError::NotFound {
            path: path.to_path_buf(),
        })?;
        let mut loaded = LOADED
            .get_or_init(Default::default)
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(library) = loaded.get(&key) {
            return Ok(library.clone());
        }
        let library = PluginLibrary {
            inner: Arc::new(open(path, &key)?),
        };
        loaded.insert(key, library.clone());
        Ok(library)
    }

    /// The path the library was loaded from.
    pub fn path(&self) -> &Path {
        &self.inner.path
    }

    /// The plugin's name.
    pub fn name(&self) -> &str {
        &self.inner.name
    }

    /// The plugin's own version.
    pub fn version(&self) -> &str {
        &self.inner.version
    }

    /// The ABI version the plugin was built for (equal to the host's once loaded).
    pub fn abi_version(&self) -> u32 {
        self.inner.abi_version
    }

    /// The stage kinds the plugin offers.
    pub fn stages(&self) -> &[StageInfo] {
        &self.inner.stages
    }

    /// One factory per stage kind, for the stage registry.
    pub fn factories(&self) -> Vec<Arc<dyn StageFactory>> {
        (0..self.inner.stages.len())
            .map(|index| Arc::new(PluginFactory::new(self.clone(), index)) as Arc<dyn StageFactory>)
            .collect()
    }

    /// The short form used in messages: the library's file name.
    pub(crate) fn file_name(&self) -> String {
        self.inner
            .path
            .file_name()
            .map(|name| name.to_string_lossy().into_owned())
            .unwrap_or_else(|| self.inner.path.display().to_string())
    }
}

impl std::fmt::Debug for PluginLibrary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PluginLibrary")
            .field("path", &self.inner.path)
            .field("name", &self.inner.name)
            .field("version", &self.inner.version)
            .finish()
    }
}

/// Opens the library at `canonical`, the absolute form of `path` (named in messages). A bare
/// file name handed to the system loader would be looked up in its search path
/// (`LD_LIBRARY_PATH`, system folders), not in the current folder: a library is only ever
/// loaded from the exact file the user named.
fn open(path: &Path, canonical: &Path) -> Result<LoadedPlugin, PluginError> {
    let owned = || path.to_path_buf();
    if !canonical.is_file() {
        return Err(PluginError::NotFound { path: owned() });
    }
    // SAFETY: loading a library runs its initialisers; that is what loading a plugin means.
    let library =
        unsafe { libloading::Library::new(canonical) }.map_err(|e| PluginError::Open {
            path: owned(),
            message: e.to_string(),
        })?;
    // Never unloaded: stages, descriptors and their strings point into it for the whole run.
    let library: &'static libloading::Library = Box::leak(Box::new(library));
    let symbol = |name: &'static str| -> Result<*mut std::ffi::c_void, PluginError> {
        // SAFETY: the symbol is only read as an address here, and called below with the
        // signature the ABI fixes for this name.
        unsafe { library.get::<*mut std::ffi::c_void>(name.as_bytes()) }
            .map(|s| *s)
            .map_err(|_| PluginError::NotAPlugin {
                path: owned(),
                symbol: name,
            })
    };
    let version_fn = symbol(ABI_VERSION_SYMBOL)?;
    // SAFETY: the ABI fixes this symbol's signature.
    let found = unsafe { std::mem::transmute::<*mut std::ffi::c_void, AbiVersionFn>(version_fn)() };
    if found != ABI_VERSION {
        return Err(PluginError::AbiMismatch {
            path: owned(),
            found,
            expected: ABI_VERSION,
        });
    }
    let descriptor_fn = symbol(DESCRIPTOR_SYMBOL)?;
    // SAFETY: as above; the version matched, so the descriptor has the layout we know.
    let descriptor = unsafe {
        std::mem::transmute::<*mut std::ffi::c_void, DescriptorFn>(descriptor_fn)().as_ref()
    };
    let bad = |message: String| PluginError::BadDescriptor {
        path: owned(),
        message,
    };
    let descriptor = descriptor.ok_or_else(|| bad("the plugin returned no descriptor".into()))?;
    read_descriptor(path, descriptor).map_err(bad)
}

fn read_descriptor(
    path: &Path,
    descriptor: &'static PluginDescriptor,
) -> Result<LoadedPlugin, String> {
    if descriptor.size < PLUGIN_DESCRIPTOR_MIN_SIZE {
        return Err(format!(
            "plugin descriptor is {} bytes, at least {PLUGIN_DESCRIPTOR_MIN_SIZE} expected",
            descriptor.size
        ));
    }
    let stage_pointers: &[*const StageDescriptor] = if descriptor.stage_count == 0 {
        &[]
    } else if descriptor.stages.is_null() {
        return Err("stage table is null".into());
    } else {
        // SAFETY: the descriptor promises `stage_count` readable entries.
        unsafe { std::slice::from_raw_parts(descriptor.stages, descriptor.stage_count) }
    };
    let mut stages = Vec::with_capacity(stage_pointers.len());
    for (index, pointer) in stage_pointers.iter().enumerate() {
        // SAFETY: entries point to descriptors that live as long as the library.
        let raw = unsafe { pointer.as_ref() }.ok_or_else(|| format!("stage {index} is null"))?;
        stages.push(read_stage(raw).map_err(|e| format!("stage {index}: {e}"))?);
    }
    if stages.is_empty() {
        return Err("the plugin declares no stage".into());
    }
    Ok(LoadedPlugin {
        path: path.to_path_buf(),
        name: read_str(descriptor.name, "name")?.to_string(),
        version: read_str(descriptor.version, "version")?.to_string(),
        abi_version: ABI_VERSION,
        stages,
    })
}

fn read_stage(raw: &'static StageDescriptor) -> Result<StageInfo, String> {
    if raw.size < STAGE_DESCRIPTOR_MIN_SIZE {
        return Err(format!(
            "descriptor is {} bytes, at least {STAGE_DESCRIPTOR_MIN_SIZE} expected",
            raw.size
        ));
    }
    let json = |s: StrRef, field: &str| -> Result<Value, String> {
        serde_json::from_str(read_str(s, field)?).map_err(|e| format!("`{field}` is not JSON: {e}"))
    };
    let layers = |s: StrRef, field: &str| -> Result<Vec<Layer>, String> {
        let names: Vec<String> = serde_json::from_value(json(s, field)?)
            .map_err(|_| format!("`{field}` must be a JSON array of layer names"))?;
        names
            .iter()
            .map(|name| {
                Layer::from_name(name).ok_or_else(|| format!("`{field}`: unknown layer `{name}`"))
            })
            .collect()
    };
    let kind = read_str(raw.kind, "kind")?.to_string();
    if kind.is_empty() {
        return Err("empty stage kind".into());
    }
    // `reads` was appended to the table: read it only when the plugin's table has it.
    let reads = if raw.size >= STAGE_DESCRIPTOR_READS_SIZE && raw.reads.len > 0 {
        Fields::parse(read_str(raw.reads, "reads")?)?
    } else {
        Fields::ALL
    };
    Ok(StageInfo {
        reads,
        summary: read_str(raw.summary, "summary")?.to_string(),
        config_schema: json(raw.config_schema, "config_schema")?,
        example: json(raw.example_config, "example_config")?,
        requires: layers(raw.requires, "requires")?,
        provides: layers(raw.provides, "provides")?,
        kind,
        raw,
    })
}

fn read_str(s: StrRef, field: &str) -> Result<&'static str, String> {
    // SAFETY: descriptor strings live as long as the library, which is never unloaded.
    std::str::from_utf8(unsafe { s.as_bytes() }).map_err(|_| format!("`{field}` is not UTF-8"))
}
