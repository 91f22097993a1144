//! [`StageLoader`]: the loader a front-end hands to `PipelineFile::build`, for native plugins
//! (in process, as before) and for stages in their own process.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use textpipe_core::{PluginLoader, ProcessEntry, ProcessLoader, StageFactory};
use textpipe_plugin::HostPluginLoader;

use crate::stage::{ProcessFactory, DEFAULT_MAX_RESTARTS, DEFAULT_TIMEOUT};
use crate::worker::{resolve_program, Launch};

/// The name of the program that runs an isolated plugin library (`"isolate": true`); it is
/// installed beside `textpipe`.
pub const PLUGIN_HOST_PROGRAM: &str = "textpipe-plugin-host";

/// Loads plugin libraries in process and starts process stages and isolated plugins.
///
/// ```no_run
/// use std::path::Path;
/// use textpipe_core::{PipelineFile, Registry};
///
/// let file = PipelineFile::read(Path::new("quotes.json"))?;
/// let pipeline = file.build(&Registry::new(), Some(&textpipe_process::StageLoader), &[])?;
/// # Ok::<(), textpipe_core::LoadError>(())
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct StageLoader;

impl PluginLoader for StageLoader {
    fn load(&self, path: &Path) -> Result<Vec<Arc<dyn StageFactory>>, String> {
        HostPluginLoader.load(path)
    }

    fn processes(&self) -> Option<&dyn ProcessLoader> {
        Some(self)
    }
}

impl ProcessLoader for StageLoader {
    fn load(&self, entry: &ProcessEntry<'_>) -> Result<Arc<dyn StageFactory>, String> {
        let timeout = entry.timeout.unwrap_or(DEFAULT_TIMEOUT);
        let (program, args) = match &entry.library {
            Some(library) => (plugin_host()?, isolated_args(library, entry.kind)?),
            None => {
                let (program, args) = entry
                    .command
                    .split_first()
                    .ok_or("`command` names no program")?;
                (resolve_program(program, entry.base_dir), args.to_vec())
            }
        };
        let label = match &entry.library {
            Some(library) => format!(
                "isolated plugin `{}` ({})",
                entry.kind,
                library.file_name().unwrap_or_default().to_string_lossy()
            ),
            None => format!(
                "process stage `{}` ({})",
                entry.kind,
                entry.command.join(" ")
            ),
        };
        let launch = Launch {
            kind: entry.kind.to_string(),
            label,
            program,
            args,
            dir: entry.base_dir.to_path_buf(),
            max_memory: entry.max_memory,
            // A program may load a model before it says hello; give it at least half a minute.
            startup_timeout: timeout.max(Duration::from_secs(30)),
        };
        let factory = ProcessFactory::start(
            launch,
            timeout,
            entry.max_restarts.unwrap_or(DEFAULT_MAX_RESTARTS),
        )
        .map_err(|error| error.to_string())?;
        Ok(Arc::new(factory))
    }
}

/// The plugin host beside the running program (`textpipe` and `textpipe-plugin-host` are
/// built and installed together).
fn plugin_host() -> Result<PathBuf, String> {
    let exe = std::env::current_exe().map_err(|e| {
        format!("cannot find the running program to find {PLUGIN_HOST_PROGRAM}: {e}")
    })?;
    let dir = exe.parent().unwrap_or(Path::new("."));
    // Test binaries live one folder below the binaries (`target/debug/deps`).
    let candidates = [dir.to_path_buf(), dir.join("..")];
    candidates
        .iter()
        .map(|dir| {
            dir.join(PLUGIN_HOST_PROGRAM)
                .with_extension(std::env::consts::EXE_EXTENSION)
        })
        .find(|path| path.is_file())
        .ok_or_else(|| {
            format!(
                "`\"isolate\": true` needs the program {PLUGIN_HOST_PROGRAM} beside {} (it is \
                 built and installed with textpipe)",
                exe.display()
            )
        })
}

fn isolated_args(library: &Path, kind: &str) -> Result<Vec<String>, String> {
    // The host runs in the pipeline file's folder like any stage; give it an absolute path.
    let library = std::path::absolute(library)
        .map_err(|e| format!("cannot resolve {}: {e}", library.display()))?;
    Ok(vec![
        library.to_string_lossy().into_owned(),
        kind.to_string(),
    ])
}
