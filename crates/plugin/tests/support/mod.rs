//! The plugins the tests load: the workspace's example plugins (dev-dependencies, built by
//! cargo beside the test binaries), and the C plugins, compiled with the system C compiler
//! into `target/plugin-tests`, the folder crates generated outside the workspace build into,
//! shared by every test binary so each is compiled once.
#![allow(dead_code)] // each test binary uses a different part

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Mutex, OnceLock};

/// The workspace root (the checkout).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("workspace root")
}

/// Where nested builds put their output.
pub fn build_dir() -> PathBuf {
    workspace_root().join("target").join("plugin-tests")
}

/// The library of workspace plugin crate `package`, one of this package's dev-dependencies,
/// which cargo builds beside the test binaries in the same run as the tests.
pub fn workspace_plugin(package: &str) -> PathBuf {
    textpipe_testkit::dev_dependency_library(&textpipe_plugin::host::building::lib_name_of(package))
}

/// Compiles `tests/c-plugin/<source>` with `defines` into a shared library named `output`.
pub fn c_plugin(source: &str, output: &str, defines: &[&str]) -> PathBuf {
    // Compiled once per test binary: another test may already have loaded the file.
    static BUILT: OnceLock<Mutex<Vec<(String, PathBuf)>>> = OnceLock::new();
    let mut built = BUILT
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|p| p.into_inner());
    if let Some((_, path)) = built.iter().find(|(name, _)| name == output) {
        return path.clone();
    }
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out_dir = build_dir().join("c");
    std::fs::create_dir_all(&out_dir).unwrap();
    let library = out_dir.join(textpipe_plugin::host::building::library_file_name(output));
    let compiler = std::env::var("CC").unwrap_or_else(|_| "cc".to_string());
    let status = Command::new(&compiler)
        .args(["-shared", "-fPIC", "-O1", "-Wall", "-Werror", "-std=c99"])
        .arg("-I")
        .arg(workspace_root().join("crates/plugin-abi/include"))
        .args(defines)
        .arg("-o")
        .arg(&library)
        .arg(here.join("tests/c-plugin").join(source))
        .status()
        .unwrap_or_else(|e| panic!("cannot run the C compiler `{compiler}`: {e}"));
    assert!(status.success(), "compiling {source} failed");
    built.push((output.to_string(), library.clone()));
    library
}
