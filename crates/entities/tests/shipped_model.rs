//! The shipped model on the shared dev data and the reference news article.

use std::time::Instant;

use textpipe_core::{BuildContext, Document, StageFactory};
use textpipe_entities::{evaluate, EntitiesFactory, Model};
use textpipe_testkit::{read_maybe_gz, shared_file};

#[test]
fn conll_dev_f1_is_at_least_90() {
    let Some(path) = shared_file("data/entities/conll2003_dev.conll.gz") else {
        return;
    };
    let report = evaluate(&Model::embedded(), &path).unwrap();
    println!("{report}");
    assert!(
        report.overall.f1() >= 90.0,
        "CoNLL-2003 dev F1 {:.2}",
        report.overall.f1()
    );
}

#[test]
fn uner_ewt_dev_f1_meets_its_floor() {
    let Some(path) = shared_file("data/entities/uner_ewt_dev.conll.gz") else {
        return;
    };
    let report = evaluate(&Model::embedded(), &path).unwrap();
    println!("{report}");
    // The target: the shipped model scores 72.53, so a regression fails.
    assert!(
        report.overall.f1() >= UNER_FLOOR,
        "UNER EWT dev F1 {:.2}",
        report.overall.f1()
    );
}

const UNER_FLOOR: f64 = 72.0;

/// The reference article's mentions as the stage finds them, as `text/LABEL`.
fn news_mentions() -> Option<Vec<String>> {
    let path = shared_file("examples/news-with-cookie-notice.txt")?;
    let text = read_maybe_gz(&path).unwrap();
    let stage = EntitiesFactory
        .build(&serde_json::Value::Null, &BuildContext::new("."))
        .unwrap();
    let mut doc = Document::new("news", text);
    stage.process(&mut doc).unwrap();
    doc.check_spans().unwrap();
    Some(
        doc.entities
            .unwrap()
            .iter()
            .map(|e| format!("{}/{}", e.text, e.label))
            .collect(),
    )
}

#[test]
fn tags_the_reference_news_article() {
    let Some(found) = news_mentions() else {
        return;
    };
    let missing: Vec<&str> = [
        "US/LOC",
        "Iraq/LOC",
        "Iran/LOC",
        "Syria/LOC",
        "Baghdad/LOC",
        "Kirkuk/LOC",
        "Adel Abdul Mahdi/PER",
        "Abu Mahdi al-Muhandis/PER",
        "Associated Press/ORG",
    ]
    .into_iter()
    .filter(|want| !found.iter().any(|f| f == want))
    .collect();
    assert!(missing.is_empty(), "missing {missing:?}; found {found:?}");
    for mention in &found {
        assert!(
            !mention.contains("'s/") && !mention.starts_with("The "),
            "{mention}"
        );
    }
}

/// "Kataib Hezbollah" is an organization. The greedy model of an earlier release committed
/// to `PER` on the unknown "Kataib" before it saw "Hezbollah" (a rule that joined
/// neighbouring mentions under the last one's label mended that, and has since been dropped);
/// the sequence decoder alone tagged the whole name `PER`; with the mention-context features
/// (the word's other occurrences) it is `ORG`, one mention, from the model's own tags.
#[test]
fn tags_kataib_hezbollah_as_one_organization() {
    let Some(found) = news_mentions() else {
        return;
    };
    assert!(
        found.iter().any(|f| f == "Kataib Hezbollah/ORG"),
        "{found:?}"
    );
    assert!(
        !found.iter().any(|f| f.starts_with("Kataib Hezbollah/PER")),
        "{found:?}"
    );
}

#[test]
fn the_embedded_model_loads() {
    let started = Instant::now();
    let model = Model::embedded();
    // Printed, not asserted: load time is measured by the model-card command, not a test.
    println!("model loaded in {:?}", started.elapsed());
    assert!(model.lexicon_entries() > 1000);
    assert!(model.word_tables().case_stat_words() > 1000);
}

#[test]
fn a_ten_megabyte_document_is_tagged_in_linear_time() {
    // Linear time shows as a bounded amount of work per byte: tag 10 MB once and check the
    // result is as long as ten 1 MB runs would give, which a quadratic step would never
    // finish in a test's lifetime.
    let paragraph = "Officials in Baghdad said on Tuesday that Adel Abdul Mahdi met the US \
                     envoy, and Kataib Hezbollah's leaders left for Syria. ";
    let text = paragraph.repeat(10_000_000 / paragraph.len() + 1);
    let tagger = textpipe_entities::EntityTagger::embedded();
    let found = tagger.tag(&text, None);
    let copies = text.len() / paragraph.len();
    assert!(
        found.len() >= copies * 3,
        "{} mentions in {copies} copies",
        found.len()
    );
    let mut last_end = 0;
    for mention in &found {
        assert!(mention.span.start >= last_end && mention.span.end <= text.len());
        last_end = mention.span.end;
    }
}
