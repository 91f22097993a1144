//! The `textpipe` command line: read documents, run a pipeline over them on every core, write
//! the results in input order.
//!
//! The binary in the root package is a thin `main` over [`main_entry`]; everything it does is
//! a library function here, so tests and other programs can call the runner directly.
//!
//! # How a run flows
//!
//! 1. The pipeline is loaded and checked before any document is read: a pipeline file
//!    ([`textpipe_core::PipelineFile`]) or the default pipeline, built against the registry of
//!    [`builtins::Builtins`] (handed in by the `textpipe` facade). A bad file lists every
//!    problem with its line and column and the run does not start (exit 1).
//! 2. [`input::DocumentReader`] streams documents out of text and HTML files, folders,
//!    JSON Lines corpora (gzipped or not), web archives and stdin. Something that cannot be
//!    read becomes an error record, not the end of the run.
//! 3. The run layer (`textpipe-runner`) processes batches on worker threads and hands them in
//!    input order to a sink: JSON Lines (the document contract of `textpipe-core`), the plain
//!    text view or the HTML report. A failing document becomes an error record (exit 2),
//!    unless `--fail-fast`; the run report is printed on stderr.
//!
//! Data goes to stdout and everything else (progress, summary, errors) to stderr, so the
//! binary is a clean streaming filter for shell pipes, GNU parallel or Hadoop Streaming.
#![deny(missing_docs)]

/// Writes one line to stderr, ignoring failure: logs that cannot be written (`2>/dev/full`, a
/// closed terminal) are lost, but they neither panic nor change the exit code, which still
/// says what happened to the documents.
#[macro_export]
#[doc(hidden)]
macro_rules! log {
    ($($arg:tt)*) => {
        $crate::write_stderr(format_args!($($arg)*), true)
    };
}

/// Like [`log!`] without the line end.
#[macro_export]
#[doc(hidden)]
macro_rules! log_part {
    ($($arg:tt)*) => {
        $crate::write_stderr(format_args!($($arg)*), false)
    };
}

pub mod bench;
pub mod builtins;
pub mod commands;
pub mod eval;
pub mod input;
pub mod progress;
pub mod shards;

use std::io::Write;

use clap::Parser;

pub use builtins::Builtins;
pub use commands::{Cli, Exit, OutputFormat};

/// Parses the process arguments, runs the command with `builtins` and returns the exit code.
///
/// Bad arguments exit 1 like every other run that cannot start (clap's own default is 2, which
/// here means "some documents failed"); `--help` and `--version` exit 0.
pub fn main_entry(builtins: &Builtins) -> std::process::ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => {
            // Help and version go to stdout; a stdout that cannot take them is not worth a panic.
            let _ = error.print();
            let exit = if error.use_stderr() {
                Exit::CouldNotStart
            } else {
                Exit::Success
            };
            return std::process::ExitCode::from(exit.code());
        }
    };
    let exit = match commands::execute(cli, builtins) {
        Ok(exit) => exit,
        Err(error) => {
            log!("textpipe: {error:#}");
            Exit::of_error(&error)
        }
    };
    std::process::ExitCode::from(exit.code())
}

/// Writes `event` as one JSON line on stderr, as it is (the run summary in JSON).
pub(crate) fn write_stderr_event(event: &serde_json::Value) {
    let _ = std::io::stderr()
        .lock()
        .write_all(format!("{event}\n").as_bytes());
}

/// Set by `--log-format json`: every message on stderr becomes one JSON object per line.
static JSON_LOG: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Makes every later message on stderr a JSON line (`{"event": "message", "message": ...}`),
/// so a batch scheduler parses warnings and errors as it parses the summary.
pub fn log_as_json() {
    JSON_LOG.store(true, std::sync::atomic::Ordering::Relaxed);
}

/// What [`log!`] calls: one write of the whole message, errors ignored.
#[doc(hidden)]
pub fn write_stderr(message: std::fmt::Arguments<'_>, line_end: bool) {
    let mut text = message.to_string();
    if JSON_LOG.load(std::sync::atomic::Ordering::Relaxed) {
        let plain = text.trim_end().trim_start_matches("textpipe: ");
        text = serde_json::json!({"event": "message", "message": plain}).to_string();
        text.push('\n');
    } else if line_end {
        text.push('\n');
    }
    let _ = std::io::stderr().lock().write_all(text.as_bytes());
}
