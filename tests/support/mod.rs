//! What the end-to-end tests share: the `textpipe` binary started from the checkout, input
//! files written for it, and its JSON Lines output read back.

use std::path::Path;

use assert_cmd::Command;
use serde_json::Value;

/// A pipeline that runs no stage: the runner's reading and writing alone.
pub const PASSTHROUGH: &str = "examples/pipelines/passthrough.json";

/// The `textpipe` binary, run from the checkout so relative example paths resolve.
pub fn textpipe() -> Command {
    let mut cmd = Command::cargo_bin("textpipe").unwrap();
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"));
    cmd
}

/// `textpipe run --quiet` on the passthrough pipeline.
pub fn passthrough() -> Command {
    let mut cmd = textpipe();
    cmd.args(["run", "--quiet", "--pipeline", PASSTHROUGH]);
    cmd
}

/// Every line of a run's standard output, parsed as JSON.
pub fn json_lines(stdout: &[u8]) -> Vec<Value> {
    String::from_utf8(stdout.to_vec())
        .unwrap()
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect()
}

/// Writes `content` to `dir/name` (creating folders on the way) and returns the path.
pub fn write(dir: &Path, name: &str, content: &[u8]) -> String {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, content).unwrap();
    path.display().to_string()
}

/// Runs `textpipe ARGS`, asserts it succeeded (showing its stderr if not) and returns stdout.
pub fn run_ok(args: &[&str]) -> Vec<u8> {
    let output = textpipe().args(args).output().unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    output.stdout
}
