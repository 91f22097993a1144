//! Every built-in stage takes time linear in the document, whatever the document is made of.
//!
//! A page of `U.S.U.S.` once made sentence splitting quadratic (400 KB took 47 s), and with
//! ordered output one such document stalls a whole run. This test feeds each built-in stage,
//! in several languages, units repeated to a small and a 16 times larger document: a linear
//! stage takes about 16 times as long on the larger one, a quadratic one 256 times. It fails
//! above 64 times, a margin wide enough for caches and a busy machine. Only the stage under
//! test is timed (the stages it needs run first, untimed), on this thread's CPU clock where
//! the system has one, best of three runs, so other processes do not decide the result.
//!
//! The per-stage patterns of the splitter, which has the most of them, are in the sentences
//! crate's own linear-time test; here are the shapes that stress each other stage: repeated
//! names, all-caps runs, identical sentences (every pair similar for a summary), one endless
//! sentence, text without spaces, and for HTML deep, flat, linked and commented markup.

use std::time::{Duration, Instant};

use serde_json::{json, Value};
use textpipe_core::{BuildContext, Document, Stage};
use textpipe_testkit::cpu_time::thread_cpu_time;

/// Bytes of the smaller document; the larger is 16 times this.
const SMALL: usize = 4 * 1024;
const GROWTH: usize = 16;
/// Time ratio above which growth counts as super-linear (16 is linear, 256 quadratic).
const MAX_RATIO: f64 = 64.0;

/// Units of plain text, each repeated to the document's size.
const TEXT_UNITS: &[(&str, &str)] = &[
    ("dotted tokens", "a.b."),
    ("acronyms without spaces", "U.S."),
    ("abbreviations", "Mr. Dr. etc. "),
    ("one endless sentence", "word "),
    ("identical sentences", "The council met on Tuesday. "),
    ("short sentences", "Rain. "),
    (
        "a repeated full name",
        "Anna Berg of Acme Corp met Anna Berg in Oslo. ",
    ),
    ("capitalised words", "Lage Gespräche Kanzleramt "),
    ("all-caps words", "EASTERN CONFERENCE "),
    (
        "numbers and money",
        "12,5 Mio. € on 3. Oktober 2024 at 10:30, 5% more. ",
    ),
    ("emails and links", "a@b.co http://x.example/y "),
    ("letters without spaces", "abcdefgh"),
    ("Han characters without spaces", "北京大学的学生说"),
    ("full-width stops", "中文。"),
    ("quotes and brackets", "«\"(["),
    ("line breaks", "a\n"),
    ("blank lines", "\n\n"),
    ("list items", "\n1) a"),
    ("Arabic", "قال الوزير، ثم غادر؟ "),
];

/// Units of markup for HTML mode, each repeated inside one `<body>`.
const HTML_UNITS: &[(&str, &str)] = &[
    ("nested divisions", "<div>"),
    ("stray end tags", "</div>"),
    ("paragraphs", "<p>The council met on Tuesday and voted.</p>"),
    ("links", "<a href=\"/story\">Read more</a> "),
    ("list items", "<li>Item with a few words</li>"),
    ("table cells", "<tr><td>Oslo</td><td>12</td></tr>"),
    ("comments", "<!-- note -->"),
    ("scripts", "<script>var a = 1;</script>"),
    ("entities", "&amp;&lt;&#169;"),
    (
        "classed blocks",
        "<div class=\"comment\"><p>Nice post.</p></div>",
    ),
    ("unclosed inline tags", "<b><i>bold "),
];

/// The stages a stage needs before it, and the languages its documents are marked with.
struct Case {
    stage: &'static str,
    config: Value,
    before: &'static [&'static str],
    languages: &'static [&'static str],
    html: bool,
}

fn cases() -> Vec<Case> {
    vec![
        Case {
            stage: "language",
            config: json!({}),
            before: &[],
            languages: &[""],
            html: false,
        },
        Case {
            stage: "language",
            config: json!({}),
            before: &[],
            languages: &[""],
            html: true,
        },
        Case {
            stage: "boilerplate",
            config: json!({}),
            before: &[],
            languages: &["en", "de"],
            html: false,
        },
        Case {
            stage: "boilerplate",
            config: json!({}),
            before: &[],
            languages: &["en"],
            html: true,
        },
        Case {
            stage: "sentences",
            config: json!({}),
            before: &[],
            languages: &["en", "de", "ja", "ar"],
            html: false,
        },
        Case {
            stage: "entities",
            config: json!({}),
            before: &["sentences"],
            languages: &["en", "de", "zh"],
            html: false,
        },
        Case {
            stage: "summarize",
            config: json!({"sentences": 3}),
            before: &["sentences"],
            languages: &["en", "zh"],
            html: false,
        },
    ]
}

fn build(kind: &str, config: &Value) -> Box<dyn Stage> {
    let registry = textpipe::builtin_registry();
    let factory = registry.get(kind).expect("a built-in stage");
    factory
        .build(config, &BuildContext::default())
        .unwrap_or_else(|errors| panic!("{kind}: {errors:?}"))
}

/// A document of `unit` repeated to at least `bytes`, in `lang`, as text or as an HTML page.
fn document(unit: &str, bytes: usize, lang: &str, html: bool) -> Document {
    let body = unit.repeat(bytes / unit.len() + 1);
    let mut doc = Document::new("linear", String::new());
    if html {
        doc.html = Some(format!("<html><body>{body}</body></html>"));
    } else {
        doc.text = body;
    }
    if !lang.is_empty() {
        doc.lang = Some(lang.to_string());
    }
    doc
}

/// The CPU time of `stage` on `doc` (after the stages `before`), best of three.
fn best_time(stage: &dyn Stage, before: &[Box<dyn Stage>], doc: &Document) -> Duration {
    (0..3)
        .map(|_| {
            let mut doc = doc.clone();
            for stage in before {
                stage.process(&mut doc).expect("a prerequisite stage");
            }
            let (started, cpu_started) = (Instant::now(), thread_cpu_time());
            // A stage may refuse a document (an error is an answer too); only its time counts.
            let _ = std::hint::black_box(stage.process(&mut doc));
            match (cpu_started, thread_cpu_time()) {
                (Some(before), Some(after)) => after.saturating_sub(before),
                _ => started.elapsed(),
            }
        })
        .min()
        .expect("three runs")
}

/// The time on the small and the large document, and their ratio.
fn growth(
    stage: &dyn Stage,
    before: &[Box<dyn Stage>],
    unit: &str,
    lang: &str,
    html: bool,
) -> (Duration, Duration, f64) {
    let small_time = best_time(stage, before, &document(unit, SMALL, lang, html));
    let large_time = best_time(stage, before, &document(unit, SMALL * GROWTH, lang, html));
    // Below a few microseconds the clock decides, not the stage.
    let floor = Duration::from_micros(50);
    let ratio = large_time.as_secs_f64() / small_time.max(floor).as_secs_f64();
    (small_time, large_time, ratio)
}

/// A stage that compares every word with every other, as a naive similarity matrix would.
struct EveryPairOfWords;

impl Stage for EveryPairOfWords {
    fn name(&self) -> &str {
        "every-pair-of-words"
    }

    fn process(&self, doc: &mut Document) -> Result<(), textpipe_core::StageError> {
        let words: Vec<&str> = doc.text.split(' ').collect();
        let same = words
            .iter()
            .map(|a| words.iter().filter(|b| a == *b).count())
            .sum::<usize>();
        doc.meta.insert("pairs".into(), Value::from(same));
        Ok(())
    }
}

/// The measure itself: a stage that is quadratic in the words is caught, so a pass above
/// means something.
#[test]
fn a_quadratic_stage_is_caught() {
    let (_, _, ratio) = growth(&EveryPairOfWords, &[], "word ", "", false);
    assert!(
        ratio >= MAX_RATIO,
        "a quadratic stage grew only {ratio:.0}x"
    );
}

#[test]
fn every_built_in_stage_takes_time_linear_in_the_document() {
    let mut super_linear = Vec::new();
    for case in cases() {
        let stage = build(case.stage, &case.config);
        let before: Vec<Box<dyn Stage>> =
            case.before.iter().map(|k| build(k, &json!({}))).collect();
        let units = if case.html { HTML_UNITS } else { TEXT_UNITS };
        for &lang in case.languages {
            for (what, unit) in units {
                let (small_time, large_time, ratio) =
                    growth(stage.as_ref(), &before, unit, lang, case.html);
                if ratio >= MAX_RATIO {
                    super_linear.push(format!(
                        "{} ({}, lang {lang:?}) on {what}: {small_time:?} for {} bytes, \
                         {large_time:?} for 16 times as much ({ratio:.0}x)",
                        case.stage,
                        if case.html { "HTML" } else { "text" },
                        SMALL,
                    ));
                }
            }
        }
    }
    assert!(
        super_linear.is_empty(),
        "time grows faster than the document:\n{}",
        super_linear.join("\n")
    );
}
