//! Cross-validated scores of the boilerplate classifier on a WCXB-format folder.
//!
//! ```text
//! cargo run --release -p textpipe-boilerplate --example evaluate_boilerplate -- \
//!     ../shared/data/boilerplate/wcxb-dev-articles [html|text|both] [--shipped] [--worst] \
//!     [--order-seed N]
//! ```
//!
//! Without `--shipped`, every page is scored by a model trained (with the shipped training
//! options) on the other folds. With `--shipped`, the shipped model scores every page; on its
//! own training data that is an in-sample number, not an estimate of accuracy.
//!
//! Folds are made by page position, so `--order-seed N` (N > 0) shuffles the pages first and
//! gives another split of the same pages: how much the score moves between splits says how
//! much of a difference between two settings is noise.

use std::path::PathBuf;

use textpipe_boilerplate::dataset::load_wcxb;
use textpipe_boilerplate::extract::shipped_models;
use textpipe_boilerplate::train::{
    cross_validate, evaluate, EvaluationReport, InputKind, TrainOptions,
};
use textpipe_boilerplate::words::{combine, fnv};

fn print(report: &EvaluationReport, how: &str) {
    println!(
        "{:>4} ({how}): P {:.3}  R {:.3}  F1 {:.3}  (mean page F1 {:.3})   keep-everything F1 {:.3}   pages {}",
        report.kind.name(),
        report.mean.precision,
        report.mean.recall,
        report.mean.f1,
        report.mean_page_f1,
        report.keep_everything.f1,
        report.pages.len()
    );
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let dir = PathBuf::from(
        args.iter()
            .find(|a| a.contains('/'))
            .map(String::as_str)
            .unwrap_or("../shared/data/boilerplate/wcxb-dev-articles"),
    );
    let kinds = match args.iter().find(|a| matches!(a.as_str(), "html" | "text")) {
        Some(k) if k == "html" => vec![InputKind::Html],
        Some(_) => vec![InputKind::Text],
        None => vec![InputKind::Html, InputKind::Text],
    };
    let shipped = args.iter().any(|a| a == "--shipped");
    // Training options can be varied to compare settings: `--epochs 12 --weight-power 1`.
    let flag = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .and_then(|v| v.parse::<f32>().ok())
    };
    let mut options = TrainOptions::default();
    if let Some(epochs) = flag("--epochs") {
        options.epochs = epochs as usize;
    }
    if let Some(power) = flag("--weight-power") {
        options.weight_power = power;
    }
    if let Some(rate) = flag("--learning-rate") {
        options.learning_rate = rate;
    }
    if let Some(l2) = flag("--l2") {
        options.l2 = l2;
    }
    let mut pages = load_wcxb(&dir)?;
    if let Some(seed) = flag("--order-seed").map(|s| s as u64).filter(|&s| s > 0) {
        pages.sort_by_cached_key(|page| combine(fnv(page.id.as_bytes()), seed));
    }
    for kind in kinds {
        let report = if shipped {
            // Loaded only here: after a feature change the shipped files are stale until
            // retrained, and cross-validation does not need them.
            let (html_model, text_model) = shipped_models();
            let model = if kind == InputKind::Html {
                html_model.clone()
            } else {
                text_model.clone()
            };
            evaluate(&pages, kind, model)
        } else {
            cross_validate(&pages, kind, &options)
        };
        print(
            &report,
            if shipped {
                "shipped model, in-sample"
            } else {
                "5-fold cross-validated"
            },
        );
        if args.iter().any(|a| a == "--worst") {
            let mut worst = report.pages.clone();
            worst.sort_by(|a, b| a.prf.f1.total_cmp(&b.prf.f1));
            for page in worst.iter().take(15) {
                println!(
                    "    {}  P {:.3} R {:.3} F1 {:.3}",
                    page.id, page.prf.precision, page.prf.recall, page.prf.f1
                );
            }
        }
    }
    Ok(())
}
