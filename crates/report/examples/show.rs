//! Prints the documents of saved `textpipe run` output for a terminal: what `textpipe show`
//! does. Colours follow `NO_COLOR` and whether standard output is a terminal.
//!
//! ```text
//! textpipe run examples/news/article.txt > out.jsonl
//! cargo run -p textpipe-report --example show -- out.jsonl
//! ```

use std::fs::File;
use std::io::{BufRead, BufReader, Write};
use std::process::ExitCode;

use textpipe_core::Outcome;
use textpipe_report::{render_terminal, render_terminal_error, should_color};

fn main() -> ExitCode {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: show OUTPUT.jsonl");
        return ExitCode::FAILURE;
    };
    let file = match File::open(&path) {
        Ok(file) => file,
        Err(error) => {
            eprintln!("show: {path}: {error}");
            return ExitCode::FAILURE;
        }
    };
    let color = should_color();
    let mut stdout = std::io::stdout().lock();
    for (at, line) in BufReader::new(file).lines().enumerate() {
        let Ok(line) = line else {
            eprintln!("show: {path}: unreadable at line {}", at + 1);
            return ExitCode::FAILURE;
        };
        if line.trim().is_empty() {
            continue;
        }
        let view = match Outcome::parse_line(&line) {
            Ok(Outcome::Done(doc)) => render_terminal(&doc, color),
            Ok(Outcome::Failed(record)) => render_terminal_error(&record, color),
            Err(error) => format!("{path}, line {}: not a document: {error}\n", at + 1),
        };
        // A closed pipe (`| head`) ends the output quietly.
        if stdout.write_all(view.as_bytes()).is_err() || stdout.write_all(b"\n").is_err() {
            break;
        }
    }
    ExitCode::SUCCESS
}
