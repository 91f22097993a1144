//! The Spark recipe's exit-code wrapper, as `docs/spark.md` prints it: an earlier version let
//! every code up to 2 through, so with a missing pipeline file every task "succeeded" with
//! empty output. Only 0 (all went through) and 2 (finished, some documents are error records)
//! may pass; 1 (could not start) and 3 (output lost) must fail the task. The check script
//! (`scripts/spark_check.py`) proves the same under a real Spark; this test needs no Spark.

use crate::support;

use std::process::Command;

/// The shell wrapper of the recipe: the text between `f'` and `'` on the line that builds
/// the `sh -c` command, with `{run}` where the textpipe command goes.
fn recipe_wrapper() -> String {
    let doc = std::fs::read_to_string("docs/spark.md").unwrap();
    let line = doc
        .lines()
        .find(|line| line.contains(r#"["sh", "-c", f'"#))
        .expect("docs/spark.md builds the sh -c wrapper");
    let start = line.find("f'").unwrap() + 2;
    let end = line.rfind('\'').unwrap();
    line[start..end].to_string()
}

/// The wrapper's exit code around `run` (a shell command line).
fn wrapped_exit_code(run: &str) -> Option<i32> {
    let script = recipe_wrapper().replace("{run}", run);
    Command::new("sh")
        .args(["-c", &script])
        .output()
        .unwrap()
        .status
        .code()
}

fn quoted(path: &str) -> String {
    format!("'{}'", path.replace('\'', r"'\''"))
}

#[test]
fn the_spark_wrapper_passes_only_exit_codes_0_and_2() {
    let binary = assert_cmd::cargo::cargo_bin("textpipe");
    let binary = quoted(binary.to_str().unwrap());
    let dir = tempfile::tempdir().unwrap();
    let good = support::write(
        dir.path(),
        "good.jsonl",
        b"{\"id\":\"a\",\"text\":\"A.\"}\n",
    );
    let one_bad = support::write(
        dir.path(),
        "bad.jsonl",
        b"{\"id\":\"a\",\"text\":\"A.\"}\n{\"id\":\"b\"}\n",
    );
    let run = |pipeline: &str, input: &str, out: &str| {
        format!(
            "{binary} run --quiet --pipeline {} < {} > {out}",
            quoted(pipeline),
            quoted(input)
        )
    };
    let passthrough = support::PASSTHROUGH;
    // Everything went through: 0.
    assert_eq!(
        wrapped_exit_code(&run(passthrough, &good, "/dev/null")),
        Some(0)
    );
    // Finished with an error record: textpipe exits 2, the task succeeds.
    assert_eq!(
        wrapped_exit_code(&run(passthrough, &one_bad, "/dev/null")),
        Some(0)
    );
    // A missing pipeline file: textpipe exits 1 with empty output, and the task must fail.
    assert_eq!(
        wrapped_exit_code(&run("no/such/pipeline.json", &good, "/dev/null")),
        Some(1)
    );
    // Output that cannot be written: 3, the task fails.
    if std::path::Path::new("/dev/full").exists() {
        assert_eq!(
            wrapped_exit_code(&run(passthrough, &good, "/dev/full")),
            Some(3)
        );
    }
}

#[test]
fn the_check_script_runs_the_wrapper_the_recipe_prints() {
    let script = std::fs::read_to_string("scripts/spark_check.py").unwrap();
    let wrapper = recipe_wrapper().replace("{run}", "{command}");
    assert!(
        script.contains(&wrapper),
        "scripts/spark_check.py does not use the wrapper of docs/spark.md: {wrapper}"
    );
}
