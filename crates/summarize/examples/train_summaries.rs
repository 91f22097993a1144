//! Retrains a weights file: the shipped news default, or the BBC-style weights.
//!
//! ```text
//! # the default (news): fitted on CNN/DailyMail highlights and BBC News references together
//! cargo run --release -p textpipe-summarize --example train_summaries -- \
//!     ../shared/data/summaries/cnndm_dev.jsonl.gz ../shared/data/summaries/bbc_dev.jsonl.gz \
//!     crates/summarize/weights/default.json
//! # BBC-style extractive summaries
//! cargo run --release -p textpipe-summarize --example train_summaries -- \
//!     ../shared/data/summaries/bbc_dev.jsonl.gz crates/summarize/weights/bbc.json
//! ```
//!
//! Several data sets may be given; each gets an equal say. The strength of the pull toward
//! the lead baseline (`l2`) is chosen by 5-fold cross-validation (folds by article): the value
//! whose held-out summaries gain most over lead-k in ROUGE-1 + ROUGE-Lsum on the data set
//! where they gain least, so that a fit on several kinds of news never buys a large gain on
//! one with a loss on another. A weaker pull must beat the best stronger one by [`MIN_GAIN`]
//! points, or it is noise: on 100 news stories, a few articles flipping either way move the mean by tenths of
//! a point, and position should only be overridden where the data clearly says so. The
//! weights are then fitted on every article.
//! Articles are split into sentences the way [`split_articles`] says (the pipeline's own
//! splitter for prose).
use std::path::Path;

use textpipe_summarize::evaluation::{
    cross_validate, evaluate, label_articles, load_articles, train, BUDGET_META_KEY,
};
use textpipe_summarize::model::FitOptions;
use textpipe_summarize::{Method, SummarizeConfig, Summarizer};

mod split_articles;
use split_articles::split_articles;

const FOLDS: usize = 5;
/// From "stay lead" to "let the data decide".
const L2_GRID: [f32; 6] = [1.0, 0.3, 0.1, 0.03, 0.01, 0.001];
/// Gain in ROUGE-1 + ROUGE-Lsum points a weaker pull toward lead must add to be chosen.
const MIN_GAIN: f64 = 0.5;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (inputs, output) = match args.split_last() {
        Some((output, inputs)) if !inputs.is_empty() => (inputs.to_vec(), output.clone()),
        _ => return Err("usage: train DATA.jsonl.gz... WEIGHTS.json".into()),
    };
    let mut datasets = Vec::new();
    for path in &inputs {
        eprintln!("labelling {path} ...");
        let mut articles = load_articles(Path::new(path))?;
        split_articles(&mut articles);
        datasets.push(label_articles(&articles));
    }
    let config = |method| SummarizeConfig {
        method,
        budget_meta_key: Some(BUDGET_META_KEY.into()),
        ..SummarizeConfig::default()
    };
    let lead: Vec<_> = datasets
        .iter()
        .map(|d| {
            let articles: Vec<_> = d.iter().map(|a| a.article.clone()).collect();
            evaluate(&articles, &Summarizer::new(config(Method::Lead)))
        })
        .collect();
    for (path, report) in inputs.iter().zip(&lead) {
        println!("lead-k on {path}: {report}");
    }
    let all: Vec<usize> = (0..datasets.len()).collect();
    let mut best: Option<(f32, f64)> = None;
    for l2 in L2_GRID {
        let options = FitOptions {
            l2,
            ..FitOptions::default()
        };
        let reports = cross_validate(&datasets, &all, FOLDS, &config(Method::Learned), &options);
        let gains: Vec<f64> = reports
            .iter()
            .zip(&lead)
            .map(|(r, l)| (r.rouge1 - l.rouge1) + (r.rouge_lsum - l.rouge_lsum))
            .collect();
        let worst_gain = gains.iter().copied().fold(f64::INFINITY, f64::min);
        println!("l2 {l2:<6} smallest gain over lead (R1+RLsum) {worst_gain:+.2}");
        for (path, report) in inputs.iter().zip(&reports) {
            println!("    {path}: {report}");
        }
        // The grid runs from strong to weak pulls, so a weaker one must clearly earn its place.
        if !matches!(best, Some((_, gain)) if gain + MIN_GAIN > worst_gain) {
            best = Some((l2, worst_gain));
        }
    }
    let (l2, _) = best.expect("the grid is not empty");
    let options = FitOptions {
        l2,
        ..FitOptions::default()
    };
    let slices: Vec<&[_]> = datasets.iter().map(Vec::as_slice).collect();
    let description = format!(
        "listwise fit on {} (equal weight per set), pulled toward lead with l2 = {l2} (chosen by \
         {FOLDS}-fold CV); retrain: cargo run --release -p textpipe-summarize --example train_summaries",
        inputs
            .iter()
            .map(|p| Path::new(p)
                .file_name()
                .map_or(p.clone(), |f| f.to_string_lossy().into_owned()))
            .collect::<Vec<_>>()
            .join(" + ")
    );
    let model = train(&slices, &options, &description);
    std::fs::write(&output, serde_json::to_string_pretty(&model)? + "\n")?;
    println!("chose l2 = {l2}; wrote {output}: {model:?}");
    Ok(())
}
