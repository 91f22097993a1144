//! Retrains the shipped boilerplate models and writes them with their cross-validated scores.
//!
//! ```text
//! cargo run --release -p textpipe-boilerplate --example train_boilerplate -- \
//!     ../shared/data/boilerplate/wcxb-dev-articles crates/boilerplate/model
//! ```
//!
//! For each mode (HTML, plain text) it first cross-validates (5 folds by page) to measure what
//! the model scores on pages it has not seen, then trains on all pages and writes
//! `<out>/html.json` and `<out>/text.json`, recording the scores and options in the file.
//! Training is deterministic: running it again writes the same files.

use std::path::PathBuf;

use serde_json::json;
use textpipe_boilerplate::dataset::load_wcxb;
use textpipe_boilerplate::train::{cross_validate, train_all, InputKind, TrainOptions};

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
    let options = TrainOptions::default();
    for kind in [InputKind::Html, InputKind::Text] {
        let report = cross_validate(&pages, kind, &options);
        let mut model = train_all(&pages, kind, &options);
        model.provenance = json!({
            "data": "WCXB: Web Content Extraction Benchmark, Murrough Foley, 2026 (CC-BY-4.0), dev split, 300 article pages",
            "pages": pages.len(),
            "options": options,
            "cross_validated": {"folds": options.folds, "precision": report.mean.precision,
                                "recall": report.mean.recall, "f1": report.mean.f1},
            "keep_everything_f1": report.keep_everything.f1,
            "command": "cargo run --release -p textpipe-boilerplate --example train_boilerplate -- ../shared/data/boilerplate/wcxb-dev-articles crates/boilerplate/model",
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
    }
    Ok(())
}
