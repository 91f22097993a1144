//! Scores the summarizer's methods on the dev sets, learned weights cross-validated by article.
//!
//! ```text
//! cargo run --release -p textpipe-summarize --example evaluate -- \
//!     ../shared/data/summaries/cnndm_dev.jsonl.gz ../shared/data/summaries/bbc_dev.jsonl.gz
//! ```
//!
//! Every summary has the article's `budget_sentences` sentences (3 for CNN/DM). For each data
//! set it prints the baselines, TextRank with redundancy control (MMR), the shipped default
//! (news weights, which never saw a BBC article) and the learned mix refitted with each shipped weights file's `l2` on the other
//! folds of that set only: for CNN/DM that is the honest score of the default, for BBC the
//! score of the `weights/bbc.json` configuration.
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
    let fits = [
        ("news (default) fit", LinearModel::shipped()),
        (
            "BBC (weights/bbc.json) fit",
            LinearModel::from_json(BBC_WEIGHTS_JSON)?,
        ),
    ];
    for path in &paths {
        let mut articles = load_articles(Path::new(path))?;
        split_articles(&mut articles);
        eprintln!("labelling {path} ...");
        let dataset = vec![label_articles(&articles)];
        println!("\n## {path}");
        println!(
            "split agreement with reference lines: {:.1}%",
            100.0 * split_agreement(&articles)
        );
        println!("{:<44} {}", "oracle (ceiling)", oracle_report(&dataset[0]));
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
            let report = evaluate(&articles, &Summarizer::new(config(method, graph)));
            println!("{name:<44} {report}");
        }
        // Redundancy control (MMR) on top of the best unsupervised scorer.
        for redundancy in REDUNDANCY_GRID {
            let with_mmr = SummarizeConfig {
                redundancy,
                ..config(Method::Centrality, Graph::Textrank)
            };
            let report = evaluate(&articles, &Summarizer::new(with_mmr));
            let name = format!("centrality (textrank), redundancy {redundancy}");
            println!("{name:<44} {report}");
        }
        for (name, model) in &fits {
            let options = FitOptions {
                l2: model.l2.unwrap_or(FitOptions::default().l2),
                ..FitOptions::default()
            };
            let learned = config(Method::Learned, Graph::Textrank);
            let report = cross_validate(&dataset, &[0], FOLDS, &learned, &options)[0];
            let label = format!("{name}, this set, {FOLDS}-fold CV");
            println!("{label:<44} {report}");
        }
    }
    Ok(())
}
