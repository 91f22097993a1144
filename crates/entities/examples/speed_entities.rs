//! Measures tagging speed per language on one thread, tokenization and sentence finding
//! included, over the text of gold CoNLL files (tokens joined by spaces, Chinese characters
//! without; one line per sentence), with each language's shipped model.
//!
//! ```text
//! cargo run --release -p textpipe-entities --example speed_entities -- \
//!     de=../shared/data/entities/conll2003_de_dev.conll.gz \
//!     zh=../shared/data/entities/uner_zh_gsd_dev.conll.gz
//! ```
//!
//! `LANG:MODEL=FILE` measures the model file `MODEL` instead of the shipped one;
//! `--no-consistency` (before the files) tags without the document-level consistency pass.
use std::sync::Arc;
use std::time::{Duration, Instant};

use textpipe_entities::conll::{read_conll_file, sentence_text};
use textpipe_entities::languages::shipped_model;
use textpipe_entities::{DocumentPass, EntityTagger, Model};

fn main() {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let mut pass = DocumentPass::default();
    if args.first().is_some_and(|a| a == "--no-consistency") {
        pass.consistency = false;
        args.remove(0);
    }
    if args.is_empty() {
        eprintln!("usage: speed_entities LANG=FILE.conll[.gz]...");
        std::process::exit(2);
    }
    println!("| lang | text | load | MiB/s |");
    println!("|---|---|---|---|");
    for arg in args {
        let Some((lang, path)) = arg.split_once('=') else {
            eprintln!("expected LANG=FILE, got {arg}");
            std::process::exit(2);
        };
        let (lang, model_file) = match lang.split_once(':') {
            Some((lang, file)) => (lang, Some(file)),
            None => (lang, None),
        };
        let Some(shipped) = shipped_model(lang) else {
            eprintln!("no shipped model for {lang}");
            std::process::exit(2);
        };
        let documents = read_conll_file(path.as_ref()).unwrap_or_else(|e| {
            eprintln!("{e}");
            std::process::exit(1)
        });
        let texts: Vec<String> = documents
            .iter()
            .map(|document| {
                let lines: Vec<String> = document
                    .sentences
                    .iter()
                    .map(|s| sentence_text(s).0)
                    .collect();
                lines.join("\n")
            })
            .collect();
        let bytes: usize = texts.iter().map(String::len).sum();
        let started = Instant::now();
        let model = match model_file {
            Some(file) => Arc::new(Model::load(file.as_ref()).unwrap_or_else(|e| {
                eprintln!("{e}");
                std::process::exit(1)
            })),
            None => shipped.load(),
        };
        let tagger = EntityTagger::new(model).with_document_pass(pass);
        let load = started.elapsed();
        // One pass to warm caches, then whole passes until two seconds have gone by.
        let mut mentions = texts
            .iter()
            .map(|t| tagger.tag(t, None).len())
            .sum::<usize>();
        let (mut passes, started) = (0u32, Instant::now());
        while passes == 0 || started.elapsed() < Duration::from_secs(2) {
            mentions += texts
                .iter()
                .map(|t| tagger.tag(t, None).len())
                .sum::<usize>();
            passes += 1;
        }
        let seconds = started.elapsed().as_secs_f64();
        let megabytes = bytes as f64 * passes as f64 / (1024.0 * 1024.0);
        std::hint::black_box(mentions);
        println!(
            "| {lang} | {:.2} MB | {:.0} ms | {:.2} |",
            bytes as f64 / 1e6,
            load.as_secs_f64() * 1000.0,
            megabytes / seconds
        );
    }
}
