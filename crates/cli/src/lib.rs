//! The `textpipe` command line: read documents, run a pipeline over them on every core, write
//! the results in input order.
//!
//! The binary in the root package is a thin `main` over [`main_entry`]; everything it does is
//! a library function here, so tests and other programs can call the runner directly.
//!
//! # How a run flows
//!
//! 1. The pipeline is loaded and checked before any document is read: a pipeline file
//!    ([`textpipe_core::PipelineFile`]) or the embedded default
//!    ([`builtins::DEFAULT_PIPELINE`]), built against [`builtins::builtin_registry`]. A bad
//!    file lists every problem with its line and column and the run does not start (exit 1).
//! 2. [`input::DocumentReader`] streams documents out of text and HTML files, folders,
//!    JSON Lines corpora (gzipped or not) and stdin. Something that cannot be read becomes an
//!    unreadable record, not the end of the run.
//! 3. [`runner::run`] processes batches on worker threads and writes them in input order;
//!    bounded channels and a fixed number of batches in flight keep memory flat whatever the
//!    corpus size. A failing document becomes an error record (exit 2), unless `--fail-fast`.
//! 4. [`output`] writes JSON Lines (the document contract of `textpipe-core`) or a human view;
//!    [`report::RunReport`] is the summary printed on stderr.
//!
//! Data goes to stdout and everything else (progress, summary, errors) to stderr, so the
//! binary is a clean streaming filter for shell pipes, GNU parallel or Hadoop Streaming.
//!
//! ```
//! use textpipe_cli::input::{DocumentReader, Record};
//! use textpipe_cli::runner::{run, RunOptions};
//! use textpipe_core::{Document, Pipeline};
//!
//! let pipeline = Pipeline::new("nothing", vec![], &[]).unwrap();
//! let docs = vec![Record::Document(Box::new(Document::new("a", "Hello.")))];
//! let mut out = Vec::new();
//! let report = run(&pipeline, docs.into_iter(), &mut out, &RunOptions::default(), &mut |_| {}).unwrap();
//! assert_eq!(report.written, 1);
//! assert_eq!(String::from_utf8(out).unwrap(), "{\"id\":\"a\",\"text\":\"Hello.\"}\n");
//! ```
#![deny(missing_docs)]

pub mod bench;
pub mod builtins;
pub mod commands;
pub mod eval;
pub mod html_output;
pub mod input;
pub mod output;
pub mod progress;
pub mod report;
pub mod runner;
pub mod shards;

use clap::Parser;

pub use builtins::builtin_registry;
pub use commands::{Cli, Exit};

/// Parses the process arguments, runs the command and returns the exit code.
pub fn main_entry() -> std::process::ExitCode {
    let cli = Cli::parse();
    let exit = match commands::execute(cli) {
        Ok(exit) => exit,
        Err(error) => {
            eprintln!("textpipe: {error:#}");
            Exit::CouldNotStart
        }
    };
    std::process::ExitCode::from(exit.code())
}
