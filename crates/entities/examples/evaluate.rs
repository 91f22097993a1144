//! Scores a model on gold CoNLL files: exact-span micro P/R/F1, overall and per label.
//!
//! ```text
//! cargo run --release -p textpipe-entities --example evaluate -- \
//!     ../shared/data/entities/conll2003_dev.conll.gz ../shared/data/entities/uner_ewt_dev.conll.gz
//! cargo run --release -p textpipe-entities --example evaluate -- --model other.model FILE...
//! ```
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use textpipe_entities::{evaluate, Model};

fn main() {
    let mut model_path = None;
    let mut files = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--model" => model_path = args.next().map(PathBuf::from),
            _ => files.push(PathBuf::from(arg)),
        }
    }
    if files.is_empty() {
        eprintln!("usage: evaluate [--model MODEL] GOLD.conll[.gz]...");
        std::process::exit(2);
    }
    let started = Instant::now();
    let model = match &model_path {
        Some(path) => Arc::new(Model::load(path).unwrap_or_else(|e| {
            eprintln!("error: {e}");
            std::process::exit(1)
        })),
        None => Model::embedded(),
    };
    eprintln!(
        "model loaded in {:.1} ms",
        started.elapsed().as_secs_f64() * 1e3
    );
    for file in &files {
        match evaluate(&model, file) {
            Ok(report) => println!("{}\n{report}", file.display()),
            Err(e) => {
                eprintln!("error: {e}");
                std::process::exit(1);
            }
        }
    }
}
