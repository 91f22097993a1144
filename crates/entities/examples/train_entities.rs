//! Trains an entity model (the shipped English command, with all its unlabeled files, is in
//! the crate README's model card).
//!
//! ```text
//! cargo run --release -p textpipe-entities --example train_entities -- \
//!     --train ../shared/data/entities/conll2003_train.conll.gz \
//!     --train ../shared/data/entities/uner_ewt_train.conll.gz \
//!     --dev ../shared/data/entities/conll2003_dev.conll.gz \
//!     --dev ../shared/data/entities/uner_ewt_dev.conll.gz \
//!     --unlabeled ../shared/data/summaries/bbc_dev.jsonl.gz \
//!     --decoder viterbi --margin 32 --keep-last-epoch \
//!     --section-features --layout-features --context-features \
//!     --out crates/entities/model/entities.model
//! ```
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

use textpipe_entities::decode::Decoder;
use textpipe_entities::rewrite::Rewrite;
use textpipe_entities::train::{
    cross_validate, train, HeldOutDocument, Loss, Progress, TrainOptions,
};

fn main() {
    let mut options = TrainOptions::default();
    let mut folds: Option<usize> = None;
    let mut predictions: Option<PathBuf> = None;
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let mut value = || {
            args.next()
                .unwrap_or_else(|| usage(&format!("{flag} needs a value")))
        };
        match flag.as_str() {
            "--train" => options.train.push(PathBuf::from(value())),
            "--dev" => options.dev.push(PathBuf::from(value())),
            "--unlabeled" => options.unlabeled.push(PathBuf::from(value())),
            "--out" => options.output = Some(PathBuf::from(value())),
            "--epochs" => {
                options.epochs = value().parse().unwrap_or_else(|_| usage("bad --epochs"))
            }
            "--members" => {
                options.members = value().parse().unwrap_or_else(|_| usage("bad --members"))
            }
            "--margin" => {
                options.margin = value().parse().unwrap_or_else(|_| usage("bad --margin"))
            }
            "--lowercase-share" => {
                options.lowercase_share = value()
                    .parse()
                    .unwrap_or_else(|_| usage("bad --lowercase-share"))
            }
            "--word-dropout" => {
                options.word_dropout = value()
                    .parse()
                    .unwrap_or_else(|_| usage("bad --word-dropout"))
            }
            "--seed" => options.seed = value().parse().unwrap_or_else(|_| usage("bad --seed")),
            "--cross-validate" => {
                folds = Some(
                    value()
                        .parse()
                        .unwrap_or_else(|_| usage("bad --cross-validate")),
                )
            }
            "--predictions" => predictions = Some(PathBuf::from(value())),
            "--keep-last-epoch" => options.select_epoch_on_dev = false,
            "--decoder" => {
                options.decoder = Decoder::from_name(&value())
                    .unwrap_or_else(|| usage("--decoder is greedy or viterbi"))
            }
            "--loss" => {
                options.loss = Loss::from_name(&value())
                    .unwrap_or_else(|| usage("--loss is perceptron or crf"));
                // The CRF objective trains the Viterbi decoder's model.
                if options.loss == Loss::Crf {
                    options.decoder = Decoder::Viterbi;
                }
            }
            "--l2" => options.crf.l2 = value().parse().unwrap_or_else(|_| usage("bad --l2")),
            "--rate" => options.crf.rate = value().parse().unwrap_or_else(|_| usage("bad --rate")),
            "--crf-average" => options.crf.average = true,
            "--contiguous-folds" => options.contiguous_folds = true,
            "--document-pass" => options.document_pass = textpipe_entities::DocumentPass::default(),
            "--layout-features" => options.feature_groups.layout = true,
            "--section-features" => options.feature_groups.sections = true,
            "--stem-lexicon" => options.stem_lexicon = true,
            "--context-features" => options.feature_groups.mention_context = true,
            "--clusters" => options.clusters = Some(Default::default()),
            "--rewrite" => options
                .rewrites
                .push(Rewrite::from_name(&value()).unwrap_or_else(|| {
                    usage(&format!("--rewrite is one of {}", Rewrite::names()))
                })),
            "--bucket-bits" => {
                options.bucket_bits = value()
                    .parse()
                    .unwrap_or_else(|_| usage("bad --bucket-bits"))
            }
            other => usage(&format!("unknown argument {other}")),
        }
    }
    let started = Instant::now();
    let log = |progress: Progress| match progress {
        Progress::Step(step) => eprintln!("[{:>6.1}s] {step}", started.elapsed().as_secs_f64()),
        Progress::Epoch(report) => {
            let scores: Vec<String> = report
                .dev
                .iter()
                .map(|(path, r)| {
                    let name = path.file_name().unwrap_or_default().to_string_lossy();
                    format!("{name} F1 {:.2}", r.overall.f1())
                })
                .collect();
            eprintln!(
                "[{:>6.1}s] epoch {:>2}: train errors {:.3}%  {}",
                started.elapsed().as_secs_f64(),
                report.epoch,
                100.0 * report.train_error_rate,
                scores.join("  ")
            );
        }
    };
    if let Some(folds) = folds {
        match cross_validate(&options, folds, log) {
            Ok(report) => {
                for (n, scores) in report.epochs.iter().enumerate() {
                    eprintln!(
                        "epoch {:>2}: pooled held-out F1 {:.2}",
                        n + 1,
                        scores.overall.f1()
                    );
                }
                let (best, _) = report.best_epoch();
                println!(
                    "{folds}-fold cross-validation, epoch {}\n{}",
                    options.epochs,
                    report.epochs[options.epochs - 1]
                );
                println!("best epoch {best}\n{}", report.epochs[best - 1]);
                if options.train.len() > 1 {
                    // With several files, each file's part at the last epoch: the language
                    // the model is for is the first file, the others only help it.
                    let by_file = &report.epochs_by_file[options.epochs - 1];
                    for (path, scores) in options.train.iter().zip(by_file) {
                        println!(
                            "{} held out, epoch {}\n{scores}",
                            path.display(),
                            options.epochs
                        );
                    }
                }
                if let Some(path) = &predictions {
                    if let Err(error) = write_predictions(path, &report.held_out) {
                        eprintln!("error: {}: {error}", path.display());
                        std::process::exit(1);
                    }
                }
            }
            Err(error) => {
                eprintln!("error: {error}");
                std::process::exit(1);
            }
        }
        return;
    }
    match train(&options, log) {
        Ok(report) => {
            eprintln!("kept epoch {}", report.best_epoch);
            for (path, scores) in &report.epochs[report.best_epoch - 1].dev {
                println!("{}\n{scores}", path.display());
            }
        }
        Err(error) => {
            eprintln!("error: {error}");
            std::process::exit(1);
        }
    }
}

/// Writes the held-out documents of a cross-validation as CoNLL with three columns, token,
/// gold tag and predicted tag, each document after a `-DOCSTART- fold N` line.
fn write_predictions(path: &Path, held_out: &[HeldOutDocument]) -> std::io::Result<()> {
    let mut out = std::io::BufWriter::new(std::fs::File::create(path)?);
    for document in held_out {
        writeln!(out, "-DOCSTART-\tfold {}\n", document.fold + 1)?;
        for (sentence, predicted) in document.document.sentences.iter().zip(&document.predicted) {
            for ((token, gold), tag) in sentence.tokens.iter().zip(&sentence.tags).zip(predicted) {
                writeln!(out, "{token}\t{}\t{}", gold.name(), tag.name())?;
            }
            writeln!(out)?;
        }
    }
    out.flush()
}

fn usage(problem: &str) -> ! {
    eprintln!(
        "{problem}\nusage: train --train FILE... [--dev FILE...] [--unlabeled FILE...] \
         [--epochs N] [--seed N] [--members N] [--margin X] [--bucket-bits N] [--clusters] \
         [--lowercase-share X] [--word-dropout X] [--keep-last-epoch] [--decoder greedy|viterbi] \
         [--loss perceptron|crf [--l2 C] [--rate R] [--crf-average]] [--layout-features] \
         [--section-features] [--context-features] [--stem-lexicon] [--rewrite pt-contractions|zh-simplified] \
         [--cross-validate K [--contiguous-folds] [--predictions FILE]] [--document-pass] [--out MODEL]"
    );
    std::process::exit(2)
}
