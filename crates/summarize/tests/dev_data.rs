//! Scores on the shared dev sets, so a change that hurts summaries fails here.
//!
//! These use the shipped weights, which were fitted on these articles: they guard against
//! regressions, while the honest (cross-validated) numbers come from `examples/evaluate.rs`.
use textpipe_summarize::evaluation::{evaluate, load_articles, BUDGET_META_KEY};
use textpipe_summarize::{Method, SummarizeConfig, Summarizer};

fn config(method: Method) -> SummarizeConfig {
    SummarizeConfig {
        method,
        budget_meta_key: Some(BUDGET_META_KEY.into()),
        ..SummarizeConfig::default()
    }
}

#[test]
fn cnndm_lead_and_learned_scores_hold() {
    let Some(path) = textpipe_testkit::shared_file("data/summaries/cnndm_dev.jsonl.gz") else {
        return;
    };
    let articles = load_articles(&path).unwrap();
    let lead = evaluate(&articles, &Summarizer::new(config(Method::Lead)));
    // Lead-3 pins the line splitter and the ROUGE implementation together.
    assert!((lead.rouge1 - 33.73).abs() < 0.05, "{lead}");
    let learned = evaluate(&articles, &Summarizer::new(config(Method::Learned)));
    assert!(learned.rouge1 >= 31.5, "{learned}");
}

#[test]
fn bbc_learned_mix_beats_lead_by_far() {
    let Some(path) = textpipe_testkit::shared_file("data/summaries/bbc_dev.jsonl.gz") else {
        return;
    };
    // A quarter of the set keeps the test fast; the full set is scored by the example.
    let articles: Vec<_> = load_articles(&path)
        .unwrap()
        .into_iter()
        .step_by(4)
        .collect();
    let lead = evaluate(&articles, &Summarizer::new(config(Method::Lead)));
    let learned = evaluate(&articles, &Summarizer::new(config(Method::Learned)));
    assert!(learned.rouge2 >= 70.0, "{learned}");
    assert!(learned.rouge2 > lead.rouge2 + 15.0, "{learned} vs {lead}");
}
