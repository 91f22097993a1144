//! Scores the splitter on gold files: boundary precision, recall and F1.
//!
//! Given the folder of UD dev files, scores every language in one run with its own rules and
//! prints one table (the crate README's); given one file, scores it overall, per corpus and per
//! genre, with the rules of the file's `lang` (or `--lang`).
//!
//! ```text
//! cargo run --release -p textpipe-sentences --example evaluate_sentences -- ../shared/data/sentences
//! cargo run --release -p textpipe-sentences --example evaluate_sentences -- ../shared/data/sentences/ud_de_dev.jsonl.gz --errors
//! ```
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use textpipe_sentences::evaluate::{disagreements, evaluate, read_gold, GoldDocument};
use textpipe_sentences::{SentenceSplitter, LANGUAGES};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(path) = args.first().map(PathBuf::from) else {
        eprintln!("usage: evaluate_sentences (FOLDER | GOLD.jsonl[.gz] [--lang LANG] [--errors])");
        return ExitCode::FAILURE;
    };
    let result = if path.is_dir() {
        score_every_language(&path)
    } else {
        let lang = args
            .iter()
            .position(|a| a == "--lang")
            .and_then(|i| args.get(i + 1).cloned());
        score_one_file(&path, lang, args.iter().any(|a| a == "--errors"))
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("{message}");
            ExitCode::FAILURE
        }
    }
}

fn splitter_for(lang: &str) -> Result<SentenceSplitter, String> {
    SentenceSplitter::for_language(lang).ok_or_else(|| format!("no rules for language `{lang}`"))
}

/// The language of a gold file: its documents' `lang`, else English.
fn file_language(documents: &[GoldDocument]) -> String {
    documents
        .iter()
        .find_map(|d| d.lang.clone())
        .unwrap_or_else(|| "en".to_string())
}

fn score_one_file(path: &Path, lang: Option<String>, show_errors: bool) -> Result<(), String> {
    let documents = read_gold(path).map_err(|e| e.to_string())?;
    let lang = lang.unwrap_or_else(|| file_language(&documents));
    let splitter = splitter_for(&lang)?;
    if show_errors {
        for found in disagreements(&splitter, &documents) {
            let what = if found.missed { "MISSED" } else { "EXTRA " };
            println!("{what} {}  {}", found.context, found.id);
        }
    }
    println!("language {lang}");
    print!("{}", evaluate(&splitter, &documents));
    Ok(())
}

/// One row per built-in language that has a `ud_<lang>_dev.jsonl.gz` in `folder`, and the mean.
fn score_every_language(folder: &Path) -> Result<(), String> {
    println!("| lang | documents | P | R | F1 |");
    println!("|---|---:|---:|---:|---:|");
    let mut f1s = Vec::new();
    for lang in LANGUAGES {
        let path = folder.join(format!("ud_{lang}_dev.jsonl.gz"));
        if !path.exists() {
            println!("| {lang} | no dev file | | | |");
            continue;
        }
        let documents = read_gold(&path).map_err(|e| e.to_string())?;
        let report = evaluate(&splitter_for(lang)?, &documents);
        let score = report.overall;
        f1s.push(score.f1());
        println!(
            "| {lang} | {} | {:.4} | {:.4} | {:.4} |",
            report.documents,
            score.precision(),
            score.recall(),
            score.f1()
        );
    }
    let mean = f1s.iter().sum::<f64>() / f1s.len().max(1) as f64;
    let lowest = f1s.iter().copied().fold(f64::INFINITY, f64::min);
    println!(
        "| mean of {} | | | | {mean:.4} (lowest {lowest:.4}) |",
        f1s.len()
    );
    Ok(())
}
