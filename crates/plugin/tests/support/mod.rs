//! Builds the plugins the tests load: the workspace's example plugins with cargo, into the
//! test build's own target folder (they reuse the dependencies compiled for the tests), and
//! the C plugins with the system C compiler. Crates generated outside the workspace and the C
//! plugins go to `target/plugin-tests`, one folder shared by every test binary, so each is
//! compiled once.
#![allow(dead_code)] // each test binary uses a different part

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Mutex, OnceLock};

use textpipe_plugin::CdylibBuild;

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

/// The workspace's plugin crates the tests load.
pub const WORKSPACE_PLUGINS: [&str; 3] = [
    "textpipe-plugin-keywords",
    "textpipe-plugin-language-id",
    "textpipe-plugin-testing",
];

/// The library of workspace plugin crate `package`, building all of [`WORKSPACE_PLUGINS`] in
/// one cargo run the first time (one run shares its dependencies' compilation).
pub fn workspace_plugin(package: &str) -> PathBuf {
    static BUILT: OnceLock<()> = OnceLock::new();
    let build = |package: &str| CdylibBuild {
        manifest_path: workspace_root().join("Cargo.toml"),
        package: Some(package.to_string()),
        lib_name: textpipe_plugin::host::building::lib_name_of(package),
        target_dir: textpipe_testkit::cargo_target_dir(),
        release: false,
    };
    BUILT.get_or_init(|| {
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        let mut command = Command::new(cargo);
        command
            .args(["build", "--quiet", "--manifest-path"])
            .arg(workspace_root().join("Cargo.toml"))
            .arg("--target-dir")
            .arg(textpipe_testkit::cargo_target_dir())
            .env_remove("CARGO_TARGET_DIR");
        for package in WORKSPACE_PLUGINS {
            command.args(["-p", package]);
        }
        let output = command.output().expect("run cargo");
        assert!(
            output.status.success(),
            "building the plugins failed:\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
    });
    let path = build(package).library_path();
    assert!(path.is_file(), "{} was not built", path.display());
    path
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
