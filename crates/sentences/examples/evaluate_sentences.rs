//! Scores the splitter on a gold file: boundary precision, recall and F1, overall, per corpus
//! and per genre.
//!
//! ```text
//! cargo run --release -p textpipe-sentences --example evaluate_sentences -- ../shared/data/sentences/ud_en_dev.jsonl.gz
//! cargo run --release -p textpipe-sentences --example evaluate_sentences -- FILE --errors   # list disagreements
//! ```
use std::path::PathBuf;
use std::process::ExitCode;

use textpipe_sentences::evaluate::{disagreements, evaluate, read_gold};
use textpipe_sentences::SentenceSplitter;

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let Some(path) = args.next().map(PathBuf::from) else {
        eprintln!("usage: evaluate GOLD.jsonl[.gz] [--errors]");
        return ExitCode::FAILURE;
    };
    let show_errors = args.any(|a| a == "--errors");
    let documents = match read_gold(&path) {
        Ok(documents) => documents,
        Err(error) => {
            eprintln!("{error}");
            return ExitCode::FAILURE;
        }
    };
    let splitter = SentenceSplitter::new();
    if show_errors {
        for found in disagreements(&splitter, &documents) {
            let what = if found.missed { "MISSED" } else { "EXTRA " };
            println!("{what} {}  {}", found.context, found.id);
        }
    }
    print!("{}", evaluate(&splitter, &documents));
    ExitCode::SUCCESS
}
