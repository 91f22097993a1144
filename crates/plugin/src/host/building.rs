//! Building a plugin crate with cargo and finding the shared library it produced.
//!
//! Tests, benches and `textpipe new-stage` all need "build this crate, give me its `.so`".
//! Each build gets an explicit `--target-dir`. A build run from inside `cargo test` could share
//! the outer folder (cargo holds its lock while compiling, not while tests run), but it
//! resolves features for its own packages only, so dependencies the tests compiled with other
//! features are compiled again. The tests therefore take the workspace's example plugins as
//! dev-dependencies, and use this only for crates generated outside the workspace, in a
//! folder of their own.

use std::path::{Path, PathBuf};
use std::process::Command;

/// Why a plugin crate did not build.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BuildError {
    /// cargo could not be started.
    #[error("cannot run cargo: {0}")]
    Spawn(#[from] std::io::Error),
    /// cargo ran and failed.
    #[error("`{command}` failed:\n{stderr}")]
    Failed {
        /// The command line, for reproducing it.
        command: String,
        /// What cargo printed.
        stderr: String,
    },
    /// cargo succeeded but the library is not where it should be.
    #[error("cargo succeeded but `{0}` is missing: is the crate a `cdylib`?")]
    NoLibrary(PathBuf),
}

/// A `cargo build` of one cdylib crate.
#[derive(Debug, Clone)]
pub struct CdylibBuild {
    /// The crate's `Cargo.toml`, or its workspace's when `package` is set.
    pub manifest_path: PathBuf,
    /// The package to build within the workspace (`-p`), if any.
    pub package: Option<String>,
    /// The library target's name (the crate name with `-` as `_`).
    pub lib_name: String,
    /// Where cargo puts its output.
    pub target_dir: PathBuf,
    /// Build with `--release`.
    pub release: bool,
}

impl CdylibBuild {
    /// Runs cargo and returns the path of the shared library.
    pub fn run(&self) -> Result<PathBuf, BuildError> {
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        let mut command = Command::new(cargo);
        command
            .arg("build")
            .arg("--quiet")
            .arg("--manifest-path")
            .arg(&self.manifest_path)
            .arg("--target-dir")
            .arg(&self.target_dir);
        if let Some(package) = &self.package {
            command.arg("-p").arg(package);
        }
        if self.release {
            command.arg("--release");
        }
        // The outer cargo's target dir must not leak in and override ours.
        command.env_remove("CARGO_TARGET_DIR");
        let output = command.output()?;
        if !output.status.success() {
            return Err(BuildError::Failed {
                command: format!("{command:?}"),
                stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
            });
        }
        let library = self.library_path();
        if library.is_file() {
            Ok(library)
        } else {
            Err(BuildError::NoLibrary(library))
        }
    }

    /// Where the library lands: `<target>/<profile>/lib<name>.so` (or `.dylib`, `.dll`).
    pub fn library_path(&self) -> PathBuf {
        let profile = if self.release { "release" } else { "debug" };
        self.target_dir
            .join(profile)
            .join(library_file_name(&self.lib_name))
    }
}

/// The platform's file name for a shared library called `lib_name`.
pub fn library_file_name(lib_name: &str) -> String {
    format!(
        "{}{lib_name}{}",
        std::env::consts::DLL_PREFIX,
        std::env::consts::DLL_SUFFIX
    )
}

/// The library target name cargo derives from a package name.
pub fn lib_name_of(package: &str) -> String {
    package.replace('-', "_")
}

/// `path` made absolute against the current folder, for messages and manifests.
pub fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn library_path_follows_cargo_naming() {
        let build = CdylibBuild {
            manifest_path: "Cargo.toml".into(),
            package: None,
            lib_name: lib_name_of("textpipe-plugin-keywords"),
            target_dir: "t".into(),
            release: true,
        };
        let expected = format!(
            "{}textpipe_plugin_keywords{}",
            std::env::consts::DLL_PREFIX,
            std::env::consts::DLL_SUFFIX
        );
        assert_eq!(build.library_path(), Path::new("t/release").join(expected));
    }
}
