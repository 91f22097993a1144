//! Scores the summarizer's methods on the dev sets, learned weights cross-validated by article.
//!
//! ```text
//! cargo run --release -p textpipe-summarize --example evaluate_summaries -- \
//!     ../shared/data/summaries/cnndm_dev.jsonl.gz ../shared/data/summaries/bbc_dev.jsonl.gz
//! ```
//!
//! Every summary has the article's `budget_sentences` sentences (3 for CNN/DM). For each data
//! set it prints the baselines, TextRank with redundancy control (MMR), the shipped default
//! as fitted (in-sample), and two cross-validated refits: the default's (fitted on all the
//! sets given at once, with its file's `l2`: its honest score when both dev sets are given)
//! and the `weights/bbc.json` configuration's (fitted on that set alone).
use std::path::Path;

use textpipe_summarize::evaluation::{
    cross_validate, evaluate, label_articles, load_articles, oracle_report, split_agreement,
    BUDGET_META_KEY,
};
use textpipe_summarize::model::{FitOptions, BBC_WEIGHTS_JSON};
use textpipe_summarize::{Graph, LinearModel, Method, SummarizeConfig, Summarizer};

mod split_articles;
use split_articles::split_articles;

const FOLDS: usize = 5;
/// MMR penalties tried on top of TextRank (0, off, is the `centrality` row).
const REDUNDANCY_GRID: [f32; 3] = [0.1, 0.2, 0.4];

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
    let config = |method, graph| SummarizeConfig {
        method,
        graph,
        budget_meta_key: Some(BUDGET_META_KEY.into()),
        ..SummarizeConfig::default()
    };
    let learned = config(Method::Learned, Graph::Textrank);
    let fitted_with = |model: &LinearModel| FitOptions {
        l2: model.l2.unwrap_or(FitOptions::default().l2),
        ..FitOptions::default()
    };
    let mut article_sets = Vec::new();
    let mut labelled_sets = Vec::new();
    for path in &paths {
        let mut articles = load_articles(Path::new(path))?;
        split_articles(&mut articles);
        eprintln!("labelling {path} ...");
        labelled_sets.push(label_articles(&articles));
        article_sets.push(articles);
    }
    // The default is fitted on every set at once, so it is cross-validated that way: each
    // fold's weights come from the other folds of all sets.
    let every_set: Vec<usize> = (0..labelled_sets.len()).collect();
    let default_cv = cross_validate(
        &labelled_sets,
        &every_set,
        FOLDS,
        &learned,
        &fitted_with(&LinearModel::shipped()),
    );
    let bbc_weights = LinearModel::from_json(BBC_WEIGHTS_JSON)?;
    for (((path, articles), labelled), default_report) in paths
        .iter()
        .zip(&article_sets)
        .zip(&labelled_sets)
        .zip(&default_cv)
    {
        println!("\n## {path}");
        println!(
            "split agreement with reference lines: {:.1}%",
            100.0 * split_agreement(articles)
        );
        println!("{:<44} {}", "oracle (ceiling)", oracle_report(labelled));
        for (name, method, graph) in [
            ("lead", Method::Lead, Graph::Textrank),
            ("centrality (textrank)", Method::Centrality, Graph::Textrank),
            ("centrality (lexrank)", Method::Centrality, Graph::Lexrank),
            (
                "shipped default (as fitted)",
                Method::Learned,
                Graph::Textrank,
            ),
        ] {
            let report = evaluate(articles, &Summarizer::new(config(method, graph)));
            println!("{name:<44} {report}");
        }
        // Redundancy control (MMR) on top of the best unsupervised scorer.
        for redundancy in REDUNDANCY_GRID {
            let with_mmr = SummarizeConfig {
                redundancy,
                ..config(Method::Centrality, Graph::Textrank)
            };
            let report = evaluate(articles, &Summarizer::new(with_mmr));
            let name = format!("centrality (textrank), redundancy {redundancy}");
            println!("{name:<44} {report}");
        }
        let label = format!("default fit on all sets, {FOLDS}-fold CV");
        println!("{label:<44} {default_report}");
        let this_set = std::slice::from_ref(labelled);
        let report = cross_validate(this_set, &[0], FOLDS, &learned, &fitted_with(&bbc_weights))[0];
        let label = format!("weights/bbc.json fit, this set, {FOLDS}-fold CV");
        println!("{label:<44} {report}");
    }
    Ok(())
}
