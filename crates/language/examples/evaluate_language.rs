//! Scores language identification on the dev data: per language, documents of 200 or more
//! characters and single sentences, with the confusion table and the speed on documents.
//!
//! ```text
//! cargo run --release -p textpipe-language --example evaluate_language -- ../shared/data
//! cargo run --release -p textpipe-language --example evaluate_language -- ../shared/data --keep 2000
//! ```
//!
//! `--keep N` trains the fold models keeping N n-grams per language instead of the shipped
//! setting, to see what the model's size buys.
//!
//! Every document is scored by a model that never saw it: the model is retrained once per
//! fold with that fold of the Italian, Polish and Czech dev documents left out (the other
//! languages' dev documents are never trained on). Serbian is also scored transliterated
//! into Cyrillic (`sr-Cyrl`), which the letter rules must recognise.
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use textpipe_core::serbian;
use textpipe_language::corpus::{
    in_fold, read_labelled, LabelledDocument, EVALUATION_FILES, FOLDS,
};
use textpipe_language::model::NgramModel;
use textpipe_language::training::{count_training_text, KEEP_PER_LANGUAGE};
use textpipe_language::{primary_subtag_matches, LanguageIdentifier};

/// Documents shorter than this (in characters) are not scored as documents.
const DOCUMENT_CHARS: usize = 200;

#[derive(Default)]
struct Tally {
    documents: (usize, usize),
    sentences: (usize, usize),
    document_errors: BTreeMap<String, usize>,
    sentence_errors: BTreeMap<String, usize>,
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(data_dir) = args.first().map(PathBuf::from) else {
        eprintln!("usage: evaluate_language DATA_DIR [--keep N]");
        return ExitCode::FAILURE;
    };
    let keep = match args.iter().position(|a| a == "--keep") {
        Some(at) => match args.get(at + 1).and_then(|n| n.parse().ok()) {
            Some(keep) => keep,
            None => {
                eprintln!("--keep needs a number");
                return ExitCode::FAILURE;
            }
        },
        None => KEEP_PER_LANGUAGE,
    };
    let mut sets: Vec<(String, Vec<LabelledDocument>)> = Vec::new();
    for (file, lang) in EVALUATION_FILES {
        match read_labelled(&data_dir.join(file), lang) {
            Ok(documents) => sets.push((lang.to_string(), documents)),
            Err(error) => {
                eprintln!("{error}");
                return ExitCode::FAILURE;
            }
        }
    }
    let serbian = sets
        .iter()
        .find(|(lang, _)| lang == "sr")
        .map(|(_, d)| d.clone());
    if let Some(serbian) = serbian {
        let cyrillic = serbian
            .into_iter()
            .map(|d| LabelledDocument {
                lang: "sr-Cyrl".into(),
                text: serbian::to_cyrillic(&d.text),
                sentences: d
                    .sentences
                    .iter()
                    .map(|s| serbian::to_cyrillic(s))
                    .collect(),
            })
            .collect();
        sets.push(("sr-Cyrl".into(), cyrillic));
    }
    let mut tallies: BTreeMap<String, Tally> = BTreeMap::new();
    for fold in 0..FOLDS {
        let counter = match count_training_text(&data_dir, Some(fold)) {
            Ok(counter) => counter,
            Err(error) => {
                eprintln!("{error}");
                return ExitCode::FAILURE;
            }
        };
        let model = NgramModel::parse(&counter.model_text(keep)).expect("parses");
        let identifier = LanguageIdentifier::with_model(model);
        for (lang, documents) in &sets {
            let tally = tallies.entry(lang.clone()).or_default();
            for (index, document) in documents.iter().enumerate() {
                if !in_fold(index, fold) {
                    continue;
                }
                if document.text.chars().count() >= DOCUMENT_CHARS {
                    let found = identifier.identify(&document.text).lang;
                    tally.documents.1 += 1;
                    if primary_subtag_matches(&found, lang) {
                        tally.documents.0 += 1;
                    } else {
                        *tally.document_errors.entry(found).or_default() += 1;
                    }
                }
                for sentence in &document.sentences {
                    let found = identifier.identify(sentence).lang;
                    tally.sentences.1 += 1;
                    if primary_subtag_matches(&found, lang) {
                        tally.sentences.0 += 1;
                    } else {
                        *tally.sentence_errors.entry(found).or_default() += 1;
                    }
                }
            }
        }
    }
    println!("| language | documents right | sentences right | documents taken for | sentences taken for (most often) |");
    println!("|---|---:|---:|---|---|");
    let (mut documents, mut sentences) = ((0, 0), (0, 0));
    for (lang, tally) in &tallies {
        documents.0 += tally.documents.0;
        documents.1 += tally.documents.1;
        sentences.0 += tally.sentences.0;
        sentences.1 += tally.sentences.1;
        println!(
            "| {lang} | {}/{} ({:.1}%) | {}/{} ({:.1}%) | {} | {} |",
            tally.documents.0,
            tally.documents.1,
            percent(tally.documents),
            tally.sentences.0,
            tally.sentences.1,
            percent(tally.sentences),
            confusions(&tally.document_errors, usize::MAX),
            confusions(&tally.sentence_errors, 4),
        );
    }
    println!(
        "| **all** | {}/{} ({:.2}%) | {}/{} ({:.2}%) | | |",
        documents.0,
        documents.1,
        percent(documents),
        sentences.0,
        sentences.1,
        percent(sentences)
    );
    let identifier = LanguageIdentifier::new();
    let texts: Vec<&str> = sets
        .iter()
        .flat_map(|(_, documents)| documents.iter())
        .map(|d| d.text.as_str())
        .filter(|t| t.chars().count() >= DOCUMENT_CHARS)
        .collect();
    let bytes: usize = texts.iter().map(|t| t.len()).sum();
    let mut best = f64::INFINITY;
    let cpu_before = cpu_seconds();
    const PASSES: usize = 10;
    for _ in 0..PASSES {
        let start = Instant::now();
        for text in &texts {
            std::hint::black_box(identifier.identify(text));
        }
        best = best.min(start.elapsed().as_secs_f64());
    }
    let megabytes = bytes as f64 / 1e6;
    println!(
        "\nspeed (shipped model, one thread): {} documents, {megabytes:.1} MB; fastest of {PASSES} \
         passes {best:.3} s wall clock: {:.1} MB/s",
        texts.len(),
        megabytes / best
    );
    // On a shared machine the wall clock counts time other processes had the core; the
    // process's own CPU time does not.
    if let (Some(before), Some(after)) = (cpu_before, cpu_seconds()) {
        let cpu = after - before;
        println!(
            "CPU time of the {PASSES} passes {cpu:.2} s: {:.1} MB per CPU second",
            megabytes * PASSES as f64 / cpu
        );
    }
    ExitCode::SUCCESS
}

/// User plus system CPU time of this process, from `/proc/self/stat` (Linux; 100 ticks a
/// second), or `None` elsewhere.
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name (which is in parentheses and may hold spaces).
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let user: f64 = fields.get(11)?.parse().ok()?;
    let system: f64 = fields.get(12)?.parse().ok()?;
    Some((user + system) / 100.0)
}

fn percent((right, total): (usize, usize)) -> f64 {
    100.0 * right as f64 / total.max(1) as f64
}

fn confusions(errors: &BTreeMap<String, usize>, most: usize) -> String {
    let mut list: Vec<(&String, &usize)> = errors.iter().collect();
    list.sort_by(|a, b| b.1.cmp(a.1).then_with(|| a.0.cmp(b.0)));
    list.iter()
        .take(most)
        .map(|(lang, n)| format!("{lang} {n}"))
        .collect::<Vec<_>>()
        .join(", ")
}
