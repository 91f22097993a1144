//! Tags each language's bench text a fixed number of times: a fixed amount of work to count
//! instructions on (the criterion bench times wall clock, which drifts on a shared machine),
//! and a checksum of every mention found, to show that a change leaves the output alone.
//!
//! ```text
//! D=../shared/data/entities
//! cargo build --release -p textpipe-entities --example tag_passes_entities
//! valgrind --tool=cachegrind --cache-sim=no target/release/examples/tag_passes_entities \
//!     1 en=$D/conll2003_dev.conll.gz
//! ```
//!
//! `LANG:MODEL=FILE` tags with the model file `MODEL` instead of the shipped model.
//!
//! The text is the bench's (`benches/languages.rs`): the sentences of the file, tokens joined
//! as the language writes them, one line per sentence, up to 1 MiB. With 0 passes the
//! program only reads the file and loads the model, so the difference of the counts of
//! `1` and `0` passes is what tagging costs.
use std::hash::{Hash, Hasher};

use textpipe_entities::conll::{read_conll_file, sample_text};
use textpipe_entities::languages::shipped_model;
use textpipe_entities::{EntityTagger, Model};

/// At most this much text per language, as in the bench.
const MAX_BYTES: usize = 1 << 20;

fn main() {
    let mut args = std::env::args().skip(1);
    let passes: usize = match args.next().and_then(|p| p.parse().ok()) {
        Some(passes) => passes,
        None => {
            eprintln!("usage: tag_passes_entities PASSES LANG=FILE.conll[.gz]...");
            std::process::exit(2);
        }
    };
    println!("| lang | bytes | mentions | checksum |");
    println!("|---|---|---|---|");
    for arg in args {
        let Some((lang, path)) = arg.split_once('=') else {
            eprintln!("expected LANG=FILE, got {arg}");
            std::process::exit(2);
        };
        // `LANG:MODEL=FILE` tags with the model file `MODEL` instead of the shipped one.
        let (lang, model_file) = match lang.split_once(':') {
            Some((lang, file)) => (lang, Some(file)),
            None => (lang, None),
        };
        let model = match model_file {
            Some(file) => std::sync::Arc::new(Model::load(file.as_ref()).unwrap_or_else(|e| {
                eprintln!("{e}");
                std::process::exit(1)
            })),
            None => match shipped_model(lang) {
                Some(shipped) => shipped.load(),
                None => {
                    eprintln!("no shipped model for {lang}");
                    std::process::exit(2);
                }
            },
        };
        let documents = read_conll_file(path.as_ref()).unwrap_or_else(|e| {
            eprintln!("{e}");
            std::process::exit(1)
        });
        let text = sample_text(&documents, MAX_BYTES);
        let tagger = EntityTagger::new(model);
        let (mut mentions, mut checksum) = (0, std::collections::hash_map::DefaultHasher::new());
        for pass in 0..passes {
            let found = tagger.tag(std::hint::black_box(&text), None);
            if pass == 0 {
                mentions = found.len();
                for mention in &found {
                    (mention.span.start, mention.span.end).hash(&mut checksum);
                    mention.label.name().hash(&mut checksum);
                    mention.confidence.to_bits().hash(&mut checksum);
                }
            }
        }
        println!(
            "| {lang} | {} | {mentions} | {:016x} |",
            text.len(),
            checksum.finish()
        );
    }
}
