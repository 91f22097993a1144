//! Cross-validated scores of the boilerplate classifier on a WCXB-format folder or on a
//! snippet-annotated one.
//!
//! ```text
//! cargo run --release -p textpipe-boilerplate --example evaluate_boilerplate -- \
//!     ../shared/data/boilerplate/wcxb-dev-articles [html|text|both] [--shipped] [--worst] \
//!     [--order-seed N] [--trees N] [--tree-depth D] [--tree-margin M] \
//!     [--add-snippets ../shared/data/boilerplate/snippets-multilingual-dev]
//! cargo run --release -p textpipe-boilerplate --example evaluate_boilerplate -- \
//!     ../shared/data/boilerplate/snippets-multilingual-dev [html|text|both] [--shipped] \
//!     [--wcxb-only] [--worst] [--train ../shared/data/boilerplate/wcxb-dev-articles]
//! ```
//!
//! On WCXB pages, without `--shipped`, every page is scored by a model trained (with the
//! shipped training options) on the other folds, plus every snippet page with
//! `--add-snippets`. With `--shipped`, the shipped model scores every page; on its own training
//! data that is an in-sample number, not an estimate of accuracy.
//!
//! On a snippet set (recognised by its gold records having `with` snippets), every page is
//! scored by snippets (see `textpipe_boilerplate::snippets`), in total and per language: by
//! default 5-fold cross-validated with the WCXB pages of `--train` (default: the
//! `wcxb-dev-articles` folder beside the set) in every fold's training; with `--wcxb-only` by a
//! model trained on the WCXB pages alone; with `--shipped` by the shipped models. `--worst`
//! lists each page's missed and wrongly kept snippets.
//!
//! Folds are made by page position, so `--order-seed N` (N > 0) shuffles the pages first and
//! gives another split of the same pages: how much the score moves between splits says how
//! much of a difference between two settings is noise.

use std::path::PathBuf;

use textpipe_boilerplate::dataset::load_wcxb;
use textpipe_boilerplate::extract::shipped_models;
use textpipe_boilerplate::model::LoadedModel;
use textpipe_boilerplate::snippets::{
    collapse_whitespace, evaluate_snippet_pages, load_snippet_pages, score_snippets, SnippetCounts,
    SnippetPage, SnippetReport,
};
use textpipe_boilerplate::train::{
    cross_validate_with, cross_validated_extractions, evaluate, prepare, prepare_snippet_pages,
    snippet_report, train_all, EvaluationReport, InputKind, TrainOptions, SNIPPET_BLOCK_WEIGHT,
};
use textpipe_boilerplate::words::{combine, fnv};
use textpipe_boilerplate::{Extraction, Extractor};

/// True when `dir` holds a snippet-annotated set (gold records with `with` snippets) rather
/// than WCXB gold texts.
fn is_snippet_set(dir: &std::path::Path) -> bool {
    use std::io::BufRead;
    let Ok(file) = std::fs::File::open(dir.join("gold.jsonl.gz")) else {
        return false;
    };
    let mut first = String::new();
    let mut reader = std::io::BufReader::new(flate2::read::MultiGzDecoder::new(file));
    reader.read_line(&mut first).is_ok()
        && serde_json::from_str::<serde_json::Value>(&first)
            .is_ok_and(|record| record["with"].is_array())
}

fn print_counts(label: &str, counts: &SnippetCounts) {
    println!(
        "    {label:<6} P {:.3}  R {:.3}  F1 {:.3}  accuracy {:.3}   (hits {}, misses {}, false positives {})",
        counts.precision(),
        counts.recall(),
        counts.f1(),
        counts.accuracy(),
        counts.hits,
        counts.misses,
        counts.false_positives
    );
}

fn print_snippets(kind: InputKind, report: &SnippetReport, how: &str) {
    println!(
        "{:>4} ({how}): snippet F1 {:.3}  pages {}  empty outputs {}",
        kind.name(),
        report.total.f1(),
        report.pages,
        report.empty_outputs
    );
    print_counts("all", &report.total);
    let mut languages: Vec<(&String, &SnippetCounts)> = report.by_language.iter().collect();
    languages.sort_by_key(|(_, c)| std::cmp::Reverse(c.hits + c.misses));
    for (lang, counts) in languages.iter().take(5) {
        print_counts(lang, counts);
    }
    let rest: SnippetCounts = languages.iter().skip(5).map(|(_, c)| **c).sum();
    print_counts("others", &rest);
}

/// Prints a page's missed snippets and the wrongly kept ones, each kept one with the markup
/// context bits of the kept block that holds its start (hex; see `block::context`).
fn print_page_errors(page: &SnippetPage, output: &Extraction) {
    let counts = score_snippets(&output.text, &page.with, &page.without);
    if counts.misses + counts.false_positives == 0 {
        return;
    }
    println!(
        "    {} {:<3} misses {} false positives {}{}",
        page.id,
        page.lang.as_deref().unwrap_or("?"),
        counts.misses,
        counts.false_positives,
        if output.text.trim().is_empty() {
            "  (empty output)"
        } else {
            ""
        }
    );
    let collapsed = collapse_whitespace(&output.text);
    let found = |snippet: &String| collapsed.contains(&collapse_whitespace(snippet));
    for snippet in page.with.iter().filter(|s| !found(s)) {
        println!("        missed: {snippet:?}");
    }
    for snippet in page.without.iter().filter(|s| found(s)) {
        let head: String = collapse_whitespace(snippet).chars().take(12).collect();
        let context = output
            .kept
            .iter()
            .find(|kept| output.text[kept.range.clone()].contains(&head))
            .map_or(0, |kept| kept.context);
        println!("        kept:   {snippet:?}  [context {context:#x}]");
    }
}

/// How a snippet set is scored (see the module comment).
#[derive(Clone, Copy)]
struct SnippetFlags {
    shipped: bool,
    worst: bool,
    wcxb_only: bool,
    snippet_weight: f32,
}

/// Scores a snippet set with the shipped models (`--shipped`) or with models trained now on
/// the WCXB pages of `--train DIR` (default: the dev articles beside this set); neither has
/// seen the snippet pages.
fn evaluate_snippets(
    dir: &std::path::Path,
    kinds: &[InputKind],
    options: &TrainOptions,
    train_dir: &std::path::Path,
    flags: &SnippetFlags,
) -> Result<(), Box<dyn std::error::Error>> {
    let SnippetFlags {
        shipped,
        worst,
        wcxb_only,
        snippet_weight,
    } = *flags;
    let pages = load_snippet_pages(dir)?;
    let wcxb = if shipped {
        Vec::new()
    } else {
        load_wcxb(train_dir)?
    };
    for &kind in kinds {
        if !shipped && !wcxb_only {
            let fully_labelled = prepare(&wcxb, kind, options);
            let extractions =
                cross_validated_extractions(&pages, &fully_labelled, kind, options, snippet_weight);
            let report = snippet_report(&pages, &extractions);
            print_snippets(
                kind,
                &report,
                "5-fold cross-validated, trained on the WCXB pages and the other folds",
            );
            if worst {
                for (page, extraction) in pages.iter().zip(&extractions) {
                    print_page_errors(page, extraction);
                }
            }
            continue;
        }
        let (extractor, how) = if shipped {
            (
                Extractor::default(),
                "shipped model, not trained on these pages",
            )
        } else {
            let model = train_all(&wcxb, kind, options);
            let model = std::sync::Arc::new(LoadedModel::new(model)?);
            (
                Extractor::with_models(model.clone(), model),
                "trained on the WCXB pages only",
            )
        };
        let report = evaluate_snippet_pages(&pages, kind, &extractor);
        print_snippets(kind, &report, how);
        if worst {
            for page in &pages {
                let output = match kind {
                    InputKind::Html => extractor.extract_html(&page.html),
                    InputKind::Text => extractor.extract_text(&page.text),
                };
                print_page_errors(page, &output);
            }
        }
        let keep_all: SnippetReport = {
            let mut r = SnippetReport::default();
            for page in &pages {
                let all = match kind {
                    InputKind::Html => textpipe_boilerplate::html::parse_html(&page.html)
                        .blocks
                        .into_iter()
                        .map(|b| b.text)
                        .collect::<Vec<_>>()
                        .join("\n"),
                    InputKind::Text => page.text.clone(),
                };
                r.add(page.lang.as_deref(), &all, &page.with, &page.without);
            }
            r
        };
        println!("    keep everything: snippet F1 {:.3}", keep_all.total.f1());
    }
    Ok(())
}

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
            .enumerate()
            .find(|(i, a)| {
                a.contains('/')
                    && !matches!(
                        args.get(i.wrapping_sub(1)).map(String::as_str),
                        Some("--train" | "--add-snippets")
                    )
            })
            .map(|(_, a)| a)
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
    // The boosted trees on top of the second round: `--trees 0` leaves them out.
    if let Some(trees) = flag("--trees") {
        options.trees.trees = trees as usize;
    }
    if let Some(depth) = flag("--tree-depth") {
        options.trees.depth = depth as u32;
    }
    if let Some(rate) = flag("--tree-rate") {
        options.trees.learning_rate = rate;
    }
    if let Some(lambda) = flag("--tree-lambda") {
        options.trees.lambda = f64::from(lambda);
    }
    if let Some(hessian) = flag("--tree-min-hessian") {
        options.trees.min_hessian = f64::from(hessian);
    }
    // `--tree-margin M` for both modes, `--tree-margin -1` for none.
    if let Some(margin) = flag("--tree-margin") {
        options.trees.margin = [Some(margin).filter(|&m| m >= 0.0); 2];
    }
    // Weight of a snippet-labelled block in training (`--snippet-weight 2`).
    let snippet_weight = flag("--snippet-weight").unwrap_or(SNIPPET_BLOCK_WEIGHT);
    if is_snippet_set(&dir) {
        let train_dir = args
            .iter()
            .position(|a| a == "--train")
            .and_then(|i| args.get(i + 1))
            .map_or_else(|| dir.join("../wcxb-dev-articles"), PathBuf::from);
        let worst = args.iter().any(|a| a == "--worst");
        let wcxb_only = args.iter().any(|a| a == "--wcxb-only");
        let flags = SnippetFlags {
            shipped,
            worst,
            wcxb_only,
            snippet_weight,
        };
        return evaluate_snippets(&dir, &kinds, &options, &train_dir, &flags);
    }
    let mut pages = load_wcxb(&dir)?;
    if let Some(seed) = flag("--order-seed").map(|s| s as u64).filter(|&s| s > 0) {
        pages.sort_by_cached_key(|page| combine(fnv(page.id.as_bytes()), seed));
    }
    // `--add-snippets DIR`: snippet-labelled pages join every fold's training set.
    let snippets = args
        .iter()
        .position(|a| a == "--add-snippets")
        .and_then(|i| args.get(i + 1))
        .map(|dir| load_snippet_pages(std::path::Path::new(dir)))
        .transpose()?;
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
            let extra = match &snippets {
                Some(snippets) => prepare_snippet_pages(snippets, kind, snippet_weight),
                None => Vec::new(),
            };
            cross_validate_with(&pages, &extra, kind, &options)
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
