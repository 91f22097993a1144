//! Scores a model on gold CoNLL files: exact-span micro P/R/F1, overall and per label.
//!
//! ```text
//! cargo run --release -p textpipe-entities --example evaluate_entities -- \
//!     ../shared/data/entities/conll2003_dev.conll.gz ../shared/data/entities/uner_ewt_dev.conll.gz
//! cargo run --release -p textpipe-entities --example evaluate_entities -- --model other.model FILE...
//! ```
//!
//! `--errors` also prints every sentence where the prediction differs from the gold tags,
//! one `token gold predicted` line per token, for error analysis.
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use textpipe_entities::conll::read_conll_file;
use textpipe_entities::train::predict;
use textpipe_entities::{evaluate, Model};

fn main() {
    let mut model_path = None;
    let mut show_errors = false;
    let mut files = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--model" => model_path = args.next().map(PathBuf::from),
            "--errors" => show_errors = true,
            _ => files.push(PathBuf::from(arg)),
        }
    }
    if files.is_empty() {
        eprintln!("usage: evaluate [--model MODEL] [--errors] GOLD.conll[.gz]...");
        std::process::exit(2);
    }
    let started = Instant::now();
    let model = match &model_path {
        Some(path) => Arc::new(Model::load(path).unwrap_or_else(|e| fail(&e))),
        None => Model::embedded(),
    };
    eprintln!(
        "model loaded in {:.1} ms",
        started.elapsed().as_secs_f64() * 1e3
    );
    for file in &files {
        let report = evaluate(&model, file).unwrap_or_else(|e| fail(&e));
        println!("{}\n{report}", file.display());
        if show_errors {
            print_errors(&model, file);
        }
    }
}

/// Prints the sentences whose predicted tags differ from the gold ones.
fn print_errors(model: &Model, file: &std::path::Path) {
    let documents = read_conll_file(file).unwrap_or_else(|e| fail(&e));
    let predicted = predict(model, &documents);
    for (document, tags) in documents.iter().zip(&predicted) {
        for (sentence, tags) in document.sentences.iter().zip(tags) {
            if sentence.tags == *tags {
                continue;
            }
            for ((token, gold), predicted) in sentence.tokens.iter().zip(&sentence.tags).zip(tags) {
                let mark = if gold == predicted { "" } else { "  <--" };
                println!(
                    "{token:<20} {:<7} {:<7}{mark}",
                    gold.name(),
                    predicted.name()
                );
            }
            println!();
        }
    }
}

fn fail(error: &dyn std::fmt::Display) -> ! {
    eprintln!("error: {error}");
    std::process::exit(1)
}
