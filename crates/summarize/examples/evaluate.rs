//! Scores the summarizer's methods on the dev sets, learned weights cross-validated by article.
//!
//! ```text
//! cargo run --release -p textpipe-summarize --example evaluate -- \
//!     ../shared/data/summaries/cnndm_dev.jsonl.gz ../shared/data/summaries/bbc_dev.jsonl.gz
//! ```
//!
//! Every summary has the article's `budget_sentences` sentences (3 for CNN/DM). The first
//! data set is news with human highlights, the second BBC with extractive references; the
//! learned mix is fitted on both with equal weight (the shipped default), and, for
//! comparison, on each alone.
use std::path::Path;

use textpipe_summarize::evaluation::{
    cross_validate, evaluate, label_articles, load_articles, oracle_report, split_agreement,
    BUDGET_META_KEY,
};
use textpipe_summarize::model::FitOptions;
use textpipe_summarize::{Graph, Method, SummarizeConfig, Summarizer};

const FOLDS: usize = 5;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let paths = if args.is_empty() {
        vec![
            "../shared/data/summaries/cnndm_dev.jsonl.gz".to_string(),
            "../shared/data/summaries/bbc_dev.jsonl.gz".to_string(),
        ]
    } else {
        args
    };
    let mut datasets = Vec::new();
    for path in &paths {
        let articles = load_articles(Path::new(path))?;
        eprintln!("labelling {path} ...");
        datasets.push(label_articles(&articles));
    }
    let config = |method, graph| SummarizeConfig {
        method,
        graph,
        budget_meta_key: Some(BUDGET_META_KEY.into()),
        ..SummarizeConfig::default()
    };
    let fit = FitOptions::default();
    let all: Vec<usize> = (0..datasets.len()).collect();
    let learned = config(Method::Learned, Graph::Textrank);
    let cross_validated = cross_validate(&datasets, &all, FOLDS, &learned, &fit);
    for (index, (path, dataset)) in paths.iter().zip(&datasets).enumerate() {
        let articles: Vec<_> = dataset.iter().map(|a| a.article.clone()).collect();
        println!("\n## {path}");
        println!(
            "split agreement with reference lines: {:.1}%",
            100.0 * split_agreement(&articles)
        );
        println!("{:<38} {}", "oracle (ceiling)", oracle_report(dataset));
        for (name, method, graph) in [
            ("lead", Method::Lead, Graph::Textrank),
            ("centrality (textrank)", Method::Centrality, Graph::Textrank),
            ("centrality (lexrank)", Method::Centrality, Graph::Lexrank),
        ] {
            let report = evaluate(&articles, &Summarizer::new(config(method, graph)));
            println!("{name:<38} {report}");
        }
        println!(
            "{:<38} {}",
            "learned, all sets, 5-fold CV", cross_validated[index]
        );
        let alone = cross_validate(&datasets, &[index], FOLDS, &learned, &fit);
        println!(
            "{:<38} {}",
            "learned, this set only, 5-fold CV", alone[index]
        );
    }
    Ok(())
}
