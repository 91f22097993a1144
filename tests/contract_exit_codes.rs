//! Exit codes mean what the README says: 0 all went through, 1 the run could not start, 2 some
//! documents failed, 3 the output could not be written. Bad arguments, a closed pipe, a full
//! disk, an unwritable stderr and threads that cannot start each end in a documented code with
//! one message, never a panic or a false success.

use std::io::Read;
use std::process::{Command, Stdio};

use crate::support::{passthrough, textpipe, write, PASSTHROUGH};

use textpipe_cli::Exit;

/// The binary as a std command, for tests that choose where stdout and stderr go.
fn binary() -> Command {
    let mut command = Command::new(assert_cmd::cargo::cargo_bin("textpipe"));
    command.current_dir(env!("CARGO_MANIFEST_DIR"));
    command
}

/// The README's exit-code table: every code listed is one the binary returns, and every code
/// the binary returns is listed.
#[test]
fn the_readme_exit_code_table_lists_exactly_the_codes_of_the_binary() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"))
        .expect("README.md");
    let table = readme
        .split("| exit code | meaning |")
        .nth(1)
        .expect("the README has an exit-code table");
    let listed: Vec<u8> = table
        .lines()
        .skip(2)
        .take_while(|line| line.starts_with('|'))
        .map(|line| line.trim_matches('|').split('|').next().unwrap().trim())
        .map(|code| code.parse().expect("a code"))
        .collect();
    let codes: Vec<u8> = Exit::ALL.iter().map(|exit| exit.code()).collect();
    assert_eq!(listed, codes);
    let help = textpipe().args(["run", "--help"]).output().unwrap();
    let help = String::from_utf8_lossy(&help.stdout);
    for code in codes {
        assert!(
            help.contains(&format!("\n  {code}  ")),
            "`run --help` lacks {code}"
        );
    }
}

#[test]
fn bad_arguments_exit_1_and_help_and_version_exit_0() {
    for args in [
        &["run", "--no-such-flag"][..],
        &["run", "--threads", "abc"],
        &["run", "--threads", "0"],
        &["run", "--format", "yaml"],
        &["run", "--input-format", "pdf"],
        &["run", "--document-timeout", "soon"],
        &["no-such-command"],
        &[],
    ] {
        let output = textpipe().args(args).output().unwrap();
        assert_eq!(output.status.code(), Some(1), "textpipe {args:?}");
        assert!(!output.stderr.is_empty(), "textpipe {args:?} said nothing");
    }
    for args in [&["--help"][..], &["--version"], &["run", "--help"]] {
        let output = textpipe().args(args).output().unwrap();
        assert_eq!(output.status.code(), Some(0), "textpipe {args:?}");
        assert!(!output.stdout.is_empty());
    }
}

fn corpus(dir: &std::path::Path, documents: usize) -> String {
    let lines: String = (0..documents)
        .map(|i| format!("{{\"id\":\"d{i}\",\"text\":\"Document number {i}.\"}}\n"))
        .collect();
    write(dir, "corpus.jsonl", lines.as_bytes())
}

/// A reader that goes away (`textpipe run | head -1`) means the output is incomplete: exit 3
/// and one message, not 0 and "written" in a summary.
#[test]
fn a_closed_pipe_is_an_output_failure_not_a_success() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = corpus(dir.path(), 50_000);
    let mut child = binary()
        .args(["run", "--pipeline", PASSTHROUGH, &corpus])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0u8; 10];
    child.stdout.take().unwrap().read_exact(&mut first).unwrap();
    // The read end is closed here, with most of the output still to come.
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(3), "{stderr}");
    assert_eq!(stderr.matches("Broken pipe").count(), 1, "{stderr}");
    assert!(
        !stderr.contains("written"),
        "no summary after a failure: {stderr}"
    );
}

#[cfg(target_os = "linux")]
#[test]
fn a_full_disk_is_an_output_failure_reported_once() {
    let full = std::fs::File::create("/dev/full").unwrap();
    let output = binary()
        .args(["run", "--quiet", "--pipeline", PASSTHROUGH])
        .arg("examples/news/article.txt")
        .stdout(full)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(3), "{stderr}");
    assert_eq!(stderr.matches("No space left").count(), 1, "{stderr}");
}

/// Logs that cannot be written are lost, not a panic; the exit code still describes the
/// documents.
#[cfg(target_os = "linux")]
#[test]
fn an_unwritable_stderr_neither_panics_nor_changes_the_exit_code() {
    let dir = tempfile::tempdir().unwrap();
    let good = write(
        dir.path(),
        "good.jsonl",
        b"{\"id\":\"a\",\"text\":\"A.\"}\n",
    );
    let bad = write(
        dir.path(),
        "bad.jsonl",
        b"{\"id\":\"a\",\"text\":\"A.\"}\n{oops\n",
    );
    for (input, code) in [(&good, 0), (&bad, 2)] {
        let output = binary()
            .args(["run", "--pipeline", PASSTHROUGH, input])
            .stderr(std::fs::File::create("/dev/full").unwrap())
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(code), "{input}");
        assert!(output.stdout.starts_with(b"{\"id\":\"a\""));
    }
    let output = binary()
        .args(["run", "--no-such-flag"])
        .stderr(std::fs::File::create("/dev/full").unwrap())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
}

#[test]
fn more_threads_than_a_run_starts_is_refused_as_an_argument() {
    let output = passthrough()
        .args(["--threads", "50000", "examples/news/article.txt"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("from 1 to 1024"), "{stderr}");
    assert!(output.stdout.is_empty());
}

/// `textpipe run --threads THREADS` of the pass-through pipeline under `ulimit -v 300000`.
#[cfg(target_os = "linux")]
fn run_in_300_mb_of_address_space(threads: usize, corpus: &str) -> std::process::Output {
    let bin = assert_cmd::cargo::cargo_bin("textpipe");
    let script = format!(
        "ulimit -v 300000 && exec '{}' run --quiet --pipeline {PASSTHROUGH} --threads {threads} '{corpus}'",
        bin.display()
    );
    Command::new("sh")
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["-c", &script])
        .output()
        .unwrap()
}

/// Under a memory limit the system refuses thread stacks: a message and exit 1, no abort.
#[cfg(target_os = "linux")]
#[test]
fn threads_that_cannot_start_end_with_a_message_not_an_abort() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = corpus(dir.path(), 1000);
    // 300 MB of address space holds the binary but not 1,000 thread stacks of 2 MiB.
    let output = run_in_300_mb_of_address_space(1000, &corpus);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("cannot start a thread"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(
        output.stdout.is_empty(),
        "nothing is written before the threads run"
    );
}

/// Between "all threads fit" and "clearly too many" lies a band where the threads start until
/// the address space runs out part way: the start that fails must be an error, and not a
/// thread already started aborting the process as it maps its signal stack.
#[cfg(target_os = "linux")]
#[test]
fn threads_that_run_out_of_address_space_part_way_end_with_a_message_not_an_abort() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = corpus(dir.path(), 1000);
    for threads in [30, 45, 60, 75, 90] {
        let output = run_in_300_mb_of_address_space(threads, &corpus);
        let stderr = String::from_utf8_lossy(&output.stderr);
        match output.status.code() {
            Some(0) => assert_eq!(output.stdout.iter().filter(|&&b| b == b'\n').count(), 1000),
            Some(1) => assert!(
                stderr.contains("cannot start a thread"),
                "{threads}: {stderr}"
            ),
            other => panic!("{threads} threads: exit {other:?}: {stderr}"),
        }
        assert!(!stderr.contains("panicked"), "{threads}: {stderr}");
    }
}

/// `--output` naming an input would have truncated it to nothing before it was read.
#[test]
fn an_output_that_is_also_an_input_is_refused_before_it_is_truncated() {
    let dir = tempfile::tempdir().unwrap();
    let content = b"{\"id\":\"a\",\"text\":\"A.\"}\n";
    let input = write(dir.path(), "in/corpus.jsonl", content);
    for inputs in [
        vec![input.clone()],
        vec![dir.path().join("in").display().to_string()],
        vec![format!("{}/in/*.jsonl", dir.path().display())],
    ] {
        let output = passthrough()
            .args(&inputs)
            .args(["--output", &input])
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(1), "{inputs:?}: {stderr}");
        assert!(stderr.contains("is also an input"), "{stderr}");
        assert_eq!(std::fs::read(&input).unwrap(), content, "{inputs:?}");
    }
}
