//! What people expect of a command-line tool: completions and a man page generated from the
//! argument definitions, a machine-readable summary, and nothing on stderr that is not text
//! when stderr is not a terminal.

mod support;
use support::{passthrough, textpipe};

#[test]
fn completions_for_each_shell_know_the_subcommands_and_flags() {
    for shell in ["bash", "zsh", "fish"] {
        let output = textpipe().args(["completions", shell]).assert().success();
        let script = String::from_utf8_lossy(&output.get_output().stdout).into_owned();
        for word in ["run", "validate", "document-timeout", "text-field"] {
            assert!(script.contains(word), "{shell} completions lack {word}");
        }
    }
    let bash = std::process::Command::new("bash")
        .args([
            "-c",
            "source <(\"$0\" completions bash) && complete -p textpipe",
        ])
        .arg(assert_cmd::cargo::cargo_bin("textpipe"))
        .output();
    if let Ok(bash) = bash {
        assert!(
            bash.status.success(),
            "{}",
            String::from_utf8_lossy(&bash.stderr)
        );
        assert!(String::from_utf8_lossy(&bash.stdout).contains("textpipe"));
    }
    textpipe().args(["completions", "tcsh"]).assert().code(1);
}

#[test]
fn the_man_page_is_roff_with_the_commands() {
    let output = textpipe().arg("man").assert().success();
    let page = String::from_utf8_lossy(&output.get_output().stdout).into_owned();
    assert!(
        page.contains(".TH textpipe 1"),
        "{}",
        &page[..200.min(page.len())]
    );
    assert!(page.contains("completions"));
}

#[test]
fn the_json_log_format_prints_the_summary_as_one_object() {
    let output = passthrough()
        .args(["--log-format", "json", "examples/news/article.txt"])
        .env_remove("NO_COLOR")
        .output()
        .unwrap();
    assert!(
        output.stderr.is_empty(),
        "--quiet silences the summary in any format"
    );
    let output = textpipe()
        .args(["run", "--pipeline", "examples/pipelines/passthrough.json"])
        .args(["--log-format", "json", "examples/news/article.txt"])
        .output()
        .unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    let summary: serde_json::Value = serde_json::from_str(stderr.trim()).unwrap();
    assert_eq!(summary["event"], "summary");
    assert_eq!(
        (summary["read"].as_u64(), summary["written"].as_u64()),
        (Some(1), Some(1))
    );
}

#[test]
fn the_json_log_format_writes_warnings_and_errors_as_objects_too() {
    // An input that does not exist: the run cannot start, and says so as a JSON line.
    let output = textpipe()
        .args(["run", "--log-format", "json", "no/such/input.jsonl"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8(output.stderr).unwrap();
    for line in stderr.lines() {
        let event: serde_json::Value = serde_json::from_str(line).unwrap();
        assert_eq!(event["event"], "message", "{line}");
        assert!(
            event["message"]
                .as_str()
                .unwrap()
                .contains("no/such/input.jsonl"),
            "{line}"
        );
    }
    assert!(!stderr.is_empty());
}

/// Off a terminal there is no progress bar, no stdin notice and no control character: only
/// the summary.
#[test]
fn stderr_off_a_terminal_holds_only_the_summary() {
    let output = textpipe()
        .args(["run", "--pipeline", "examples/pipelines/passthrough.json"])
        .write_stdin("{\"id\":\"a\",\"text\":\"A.\"}\n")
        .output()
        .unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.starts_with("textpipe: 1 read, 1 written"),
        "{stderr}"
    );
    assert!(!stderr.contains("reading documents from stdin"), "{stderr}");
    assert!(!stderr.contains(['\r', '\u{1b}']), "{stderr:?}");
}
