//! Retrains the shipped boilerplate models and writes them with their cross-validated scores.
//!
//! ```text
//! cargo run --release -p textpipe-boilerplate --example train_boilerplate -- \
//!     ../shared/data/boilerplate/wcxb-dev-articles crates/boilerplate/model \
//!     ../shared/data/boilerplate/snippets-multilingual-dev
//! ```
//!
//! The models learn from the WCXB pages (every block labelled from the gold text) and, when a
//! third argument names it, from the snippet-annotated multilingual pages (only the blocks
//! their snippets decide). For each mode (HTML, plain text) it first cross-validates (5 folds
//! by page) to measure what the model scores on pages it has not seen: on the WCXB pages with
//! every snippet page in training, and on the snippet pages with every WCXB page in training.
//! Then it trains on all pages and writes `<out>/html.json` and `<out>/text.json`, recording
//! the scores and options in the file. Training is deterministic: running it again writes the
//! same files.

use std::path::{Path, PathBuf};

use serde_json::json;
use textpipe_boilerplate::dataset::load_wcxb;
use textpipe_boilerplate::snippets::load_snippet_pages;
use textpipe_boilerplate::train::SNIPPET_BLOCK_WEIGHT;
use textpipe_boilerplate::train::{
    cross_validate_snippets, cross_validate_with, prepare, prepare_snippet_pages, train_all_with,
    InputKind, TrainOptions,
};

const COMMAND: &str = "cargo run --release -p textpipe-boilerplate --example train_boilerplate -- \
     ../shared/data/boilerplate/wcxb-dev-articles crates/boilerplate/model \
     ../shared/data/boilerplate/snippets-multilingual-dev";

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let dir = PathBuf::from(
        args.first()
            .map(String::as_str)
            .unwrap_or("../shared/data/boilerplate/wcxb-dev-articles"),
    );
    let out = PathBuf::from(
        args.get(1)
            .map(String::as_str)
            .unwrap_or("crates/boilerplate/model"),
    );
    let pages = load_wcxb(&dir)?;
    let snippet_pages = match args.get(2) {
        Some(dir) => load_snippet_pages(Path::new(dir))?,
        None => Vec::new(),
    };
    let options = TrainOptions::default();
    for kind in [InputKind::Html, InputKind::Text] {
        let extra = prepare_snippet_pages(&snippet_pages, kind, SNIPPET_BLOCK_WEIGHT);
        let report = cross_validate_with(&pages, &extra, kind, &options);
        let snippets = (!snippet_pages.is_empty()).then(|| {
            let fully_labelled = prepare(&pages, kind, &options);
            cross_validate_snippets(
                &snippet_pages,
                &fully_labelled,
                kind,
                &options,
                SNIPPET_BLOCK_WEIGHT,
            )
        });
        let mut model = train_all_with(&pages, &extra, kind, &options);
        model.provenance = json!({
            "data": "WCXB: Web Content Extraction Benchmark, Murrough Foley, 2026 (CC-BY-4.0), dev split, 300 article pages; trafilatura's multilingual evaluation set (Apache-2.0 annotations), dev split, snippet-labelled blocks",
            "pages": pages.len(),
            "snippet_pages": snippet_pages.len(),
            "options": options,
            "cross_validated": {"folds": options.folds, "precision": report.mean.precision,
                                "recall": report.mean.recall, "f1": report.mean.f1},
            "snippets_cross_validated": snippets.as_ref().map(|s| json!({
                "precision": s.total.precision(), "recall": s.total.recall(), "f1": s.total.f1(),
                "f1_by_language": s.by_language.iter()
                    .map(|(lang, c)| (lang.clone(), json!(c.f1())))
                    .collect::<serde_json::Map<_, _>>(),
            })),
            "keep_everything_f1": report.keep_everything.f1,
            "command": COMMAND,
        });
        let path = out.join(format!("{}.json", kind.name()));
        std::fs::write(&path, serde_json::to_string(&model)? + "\n")?;
        println!(
            "{}: cross-validated P {:.3} R {:.3} F1 {:.3} (keep everything {:.3}); {} weights, threshold {:.2} -> {}",
            kind.name(),
            report.mean.precision,
            report.mean.recall,
            report.mean.f1,
            report.keep_everything.f1,
            model.block_weights.len(),
            model.threshold,
            path.display()
        );
        if let Some(snippets) = snippets {
            println!(
                "{}: snippet pages cross-validated F1 {:.3} (de {:.3}, en {:.3})",
                kind.name(),
                snippets.total.f1(),
                snippets.by_language.get("de").map_or(0.0, |c| c.f1()),
                snippets.by_language.get("en").map_or(0.0, |c| c.f1()),
            );
        }
    }
    Ok(())
}
