//! Scores a model on gold CoNLL files: exact-span micro P/R/F1, overall and per label.
//!
//! ```text
//! cargo run --release -p textpipe-entities --example evaluate_entities -- \
//!     ../shared/data/entities/conll2003_dev.conll.gz ../shared/data/entities/uner_ewt_dev.conll.gz
//! cargo run --release -p textpipe-entities --example evaluate_entities -- --model other.model FILE...
//! ```
//!
//! The stage's document-level corrections run as configured by default (see
//! `textpipe_entities::document_pass`); `--no-consistency`, `--min-confidence X` and
//! `--caps-min-confidence X` change them. Each file's report ends with the counts on
//! all-caps sentences (headlines, standings, scorecards).
//!
//! `--errors` also prints every sentence where the prediction differs from the gold tags,
//! one `token gold predicted` line per token, for error analysis.
//!
//! `--rewrite pt-contractions` scores each file with its contractions joined as running text
//! writes them (the Portuguese treebank's `de o` as "do"), `--rewrite zh-simplified` in
//! Simplified Chinese characters (see `textpipe_entities::rewrite`).
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use textpipe_entities::tags::Tag;

use textpipe_entities::conll::{read_conll_file, TaggedDocument};
use textpipe_entities::decode::DocumentFeatures;
use textpipe_entities::document_pass::is_all_caps;
use textpipe_entities::rewrite::Rewrite;
use textpipe_entities::tags::entities_of;
use textpipe_entities::train::{evaluate_documents, predict_with};
use textpipe_entities::{DocumentPass, Model};

fn main() {
    let mut model_path = None;
    let mut show_errors = false;
    let mut files = Vec::new();
    let mut pass = DocumentPass::default();
    let mut rewrites = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--model" => model_path = args.next().map(PathBuf::from),
            "--errors" => show_errors = true,
            "--no-consistency" => pass.consistency = false,
            "--min-confidence" => pass.min_confidence = number(args.next()),
            "--caps-min-confidence" => pass.caps_min_confidence = number(args.next()),
            "--rewrite" => match args.next().as_deref().and_then(Rewrite::from_name) {
                Some(rewrite) => rewrites.push(rewrite),
                None => fail(&format!("--rewrite is one of {}", Rewrite::names())),
            },
            _ => files.push(PathBuf::from(arg)),
        }
    }
    if files.is_empty() {
        eprintln!("usage: evaluate [--model MODEL] [--errors] [--rewrite NAME] GOLD.conll[.gz]...");
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
        let mut documents = read_conll_file(file).unwrap_or_else(|e| fail(&e));
        for rewrite in &rewrites {
            for document in &mut documents {
                if let Some(rewritten) = rewrite.apply(document) {
                    *document = rewritten;
                }
            }
        }
        let report = evaluate_documents(&model, &documents, &pass);
        println!("{}\n{report}", file.display());
        let predicted = predict_with(&model, &documents, &pass);
        print_all_caps_counts(&documents, &predicted);
        if show_errors {
            print_errors(&documents, &predicted);
        }
    }
}

fn number(value: Option<String>) -> f32 {
    value
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| fail(&"a threshold needs a number"))
}

/// Gold, predicted, correct and spurious (overlapping no gold mention) mentions on the
/// sentences whose cased words are all upper case.
fn print_all_caps_counts(documents: &[TaggedDocument], predicted: &[Vec<Vec<Tag>>]) {
    let (mut sentences, mut gold, mut found, mut correct, mut spurious) = (0, 0, 0, 0, 0);
    let mut features = DocumentFeatures::default();
    for (document, tags) in documents.iter().zip(predicted) {
        for (sentence, tags) in document.sentences.iter().zip(tags) {
            features.clear();
            features.push_sentence(sentence.tokens.iter().map(String::as_str));
            if !is_all_caps(&features.tokens) {
                continue;
            }
            sentences += 1;
            let gold_mentions = entities_of(&sentence.tags);
            let found_mentions = entities_of(tags);
            gold += gold_mentions.len();
            found += found_mentions.len();
            correct += found_mentions
                .iter()
                .filter(|m| gold_mentions.contains(m))
                .count();
            spurious += found_mentions
                .iter()
                .filter(|m| {
                    !gold_mentions
                        .iter()
                        .any(|g| g.start < m.end && m.start < g.end)
                })
                .count();
        }
    }
    println!(
        "all-caps sentences {sentences}: gold {gold}, predicted {found}, correct {correct}, spurious {spurious}"
    );
}

/// Prints the sentences whose predicted tags differ from the gold ones.
fn print_errors(documents: &[TaggedDocument], predicted: &[Vec<Vec<Tag>>]) {
    for (document, tags) in documents.iter().zip(predicted) {
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
