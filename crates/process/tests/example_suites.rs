//! Runs the test suites of the Python SDK and of the example stages in other languages, so
//! `cargo test` covers them: `python3 -m unittest` in `sdk/python` and
//! `plugins/quotes-python`, `node --test` in `plugins/urls-node`.

use std::path::{Path, PathBuf};
use std::process::Command;

fn checkout() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Runs `program args` in `dir`; skips with a notice when `program` is missing (fails under
/// `CI=true`).
fn run_suite(program: &str, args: &[&str], dir: &str) {
    if Command::new(program).arg("--version").output().is_err() {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "{program} is needed to test {dir}"
        );
        eprintln!("skipping {dir}: {program} is not installed");
        return;
    }
    let output = Command::new(program)
        .args(args)
        .current_dir(checkout().join(dir))
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{program} {args:?} in {dir} failed:\n{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn the_python_sdk_suite_passes() {
    run_suite(
        "python3",
        &["-m", "unittest", "-q", "test_textpipe_stage"],
        "sdk/python",
    );
}

#[test]
fn the_quotes_example_suite_passes() {
    run_suite(
        "python3",
        &["-m", "unittest", "discover", "-q", "-s", "tests"],
        "plugins/quotes-python",
    );
}

#[test]
fn the_urls_node_example_suite_passes() {
    run_suite("node", &["--test", "test/"], "plugins/urls-node");
}
