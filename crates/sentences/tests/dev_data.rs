//! Scores the splitter on the UD English EWT + GUM dev documents in `../shared` and holds it to
//! the accuracy target of the issue (boundary F1 >= 0.95).

use textpipe_sentences::evaluate::{evaluate, read_gold};
use textpipe_sentences::SentenceSplitter;

#[test]
fn boundary_f1_on_ud_english_dev_meets_the_target() {
    let Some(path) = textpipe_testkit::shared_file("data/sentences/ud_en_dev.jsonl.gz") else {
        return;
    };
    let documents = read_gold(&path).expect("readable gold file");
    assert!(documents.len() > 1000, "{} documents", documents.len());
    let report = evaluate(&SentenceSplitter::new(), &documents);
    println!("{report}");
    let overall = report.overall;
    assert!(overall.f1() >= 0.95, "F1 below target: {overall}");
    // Both corpora must carry their weight, not one hiding the other.
    for (corpus, score) in &report.by_corpus {
        assert!(score.f1() >= 0.92, "{corpus}: {score}");
    }
}
