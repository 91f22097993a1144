//! What people expect of a command-line tool: completions and a man page generated from the
//! argument definitions, a machine-readable summary, and nothing on stderr that is not text
//! when stderr is not a terminal.

use crate::support;
use crate::support::{passthrough, textpipe};

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

/// On a terminal of 80 columns the bar shows the bytes read of the input's total, the
/// percentage, the time left and a whole-number rate, on one line that does not wrap (a
/// wrapped line is redrawn as two and leaves a trail), and is cleared before the summary.
#[cfg(target_os = "linux")]
#[test]
fn on_a_terminal_the_progress_bar_fits_80_columns_with_total_percent_time_left_and_rate() {
    use std::io::Read;
    use std::process::Stdio;

    let dir = tempfile::tempdir().unwrap();
    let lines: String = (0..400)
        .map(|i| {
            format!("{{\"id\":\"d{i}\",\"text\":\"Rain fell on Tuesday. The ferry left late.\"}}\n")
        })
        .collect();
    let input = support::write(dir.path(), "docs.jsonl", lines.as_bytes());

    let (master, slave) = pseudo_terminal();
    let mut command = std::process::Command::new(assert_cmd::cargo::cargo_bin("textpipe"));
    command
        .args(["run", "--threads", "1", "--pipeline"])
        .arg("examples/pipelines/passthrough.json")
        .arg(&input)
        .env("TERM", "xterm")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::from(slave));
    let mut child = command.spawn().unwrap();
    // The terminal's last writer must be the child, or reading never ends.
    drop(command);
    let mut screen = Vec::new();
    // Reading the master side ends with an error (EIO) once the child has closed the terminal.
    let _ = { master }.read_to_end(&mut screen);
    assert!(child.wait().unwrap().success());

    let screen = String::from_utf8_lossy(&screen);
    let drawn = without_escape_sequences(&screen);
    let bars: Vec<&str> = drawn
        .split(['\r', '\n'])
        .map(str::trim_end)
        .filter(|line| line.contains('%'))
        .collect();
    assert!(!bars.is_empty(), "no bar was drawn: {screen:?}");
    for bar in &bars {
        assert!(
            bar.chars().count() <= 80,
            "wider than the terminal: {bar:?}"
        );
        assert!(bar.contains(" left "), "no time left: {bar:?}");
        assert!(bar.contains("B/"), "no bytes of the total: {bar:?}");
        let rate = bar
            .split(", ")
            .nth(1)
            .and_then(|tail| tail.strip_suffix(" docs/s"))
            .unwrap_or_else(|| panic!("no rate: {bar:?}"));
        assert!(
            rate.parse::<u64>().is_ok(),
            "rate {rate:?} is not a whole number"
        );
    }
    let summary = drawn
        .rfind("textpipe: 400 read, 400 written")
        .expect("summary");
    assert!(
        !drawn[summary..].contains('%'),
        "the bar is cleared before the summary: {drawn:?}"
    );
}

/// `textpipe run` with no input on a terminal says it reads stdin and how to end it, then
/// reads what is typed.
#[cfg(target_os = "linux")]
#[test]
fn run_on_a_terminal_without_input_says_it_is_reading_stdin() {
    use std::io::{Read, Write};
    use std::process::Stdio;

    let (mut master, slave) = pseudo_terminal();
    let mut command = std::process::Command::new(assert_cmd::cargo::cargo_bin("textpipe"));
    command
        .args(["run", "--pipeline", "examples/pipelines/passthrough.json"])
        .env("TERM", "xterm")
        .stdin(Stdio::from(slave.try_clone().unwrap()))
        .stdout(Stdio::piped())
        .stderr(Stdio::from(slave));
    let mut child = command.spawn().unwrap();
    drop(command);
    // One line typed, then Ctrl-D at the start of a line: end of input.
    master
        .write_all(b"{\"id\":\"typed\",\"text\":\"Typed.\"}\n\x04")
        .unwrap();
    let mut stdout = String::new();
    child
        .stdout
        .take()
        .unwrap()
        .read_to_string(&mut stdout)
        .unwrap();
    let mut screen = Vec::new();
    let _ = master.read_to_end(&mut screen);
    assert!(child.wait().unwrap().success());
    let screen = String::from_utf8_lossy(&screen);
    assert!(
        screen.contains("textpipe: reading documents from stdin") && screen.contains("Ctrl-D"),
        "{screen:?}"
    );
    assert!(stdout.contains("\"id\":\"typed\""), "{stdout}");
}

/// A pseudo-terminal of 80 columns and 24 rows: the master side, and the terminal a child
/// writes to.
#[cfg(target_os = "linux")]
fn pseudo_terminal() -> (std::fs::File, std::os::fd::OwnedFd) {
    use std::os::fd::{FromRawFd, OwnedFd};
    let (mut master, mut slave) = (0, 0);
    let size = libc::winsize {
        ws_row: 24,
        ws_col: 80,
        ws_xpixel: 0,
        ws_ypixel: 0,
    };
    // SAFETY: openpty writes two new descriptors, owned from here on.
    let opened = unsafe {
        libc::openpty(
            &mut master,
            &mut slave,
            std::ptr::null_mut(),
            std::ptr::null(),
            &size,
        )
    };
    assert_eq!(opened, 0, "openpty: {}", std::io::Error::last_os_error());
    unsafe {
        (
            std::fs::File::from(OwnedFd::from_raw_fd(master)),
            OwnedFd::from_raw_fd(slave),
        )
    }
}

/// What a terminal shows of `screen` without its control sequences (`ESC [ ... letter`).
#[cfg(target_os = "linux")]
fn without_escape_sequences(screen: &str) -> String {
    let mut shown = String::with_capacity(screen.len());
    let mut chars = screen.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            if chars.next() == Some('[') {
                for c in chars.by_ref() {
                    if c.is_ascii_alphabetic() {
                        break;
                    }
                }
            }
            continue;
        }
        shown.push(c);
    }
    shown
}
