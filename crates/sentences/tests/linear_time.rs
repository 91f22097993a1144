//! The splitter takes time linear in the text, whatever the text is made of.
//!
//! Each pattern below once made some rule look arbitrarily far back or forward from every
//! candidate (a page of `U.S.U.S.` with no space was quadratic: 400 KB took 47 s), or is a
//! shape a hostile or broken page may have. Every pattern is split at a size n and at 16n; a
//! linear splitter takes about 16 times as long on the larger text, a quadratic one 256
//! times. The test fails above 64 times, a margin wide enough for caches and a busy machine,
//! and takes the best of several runs so one descheduled run does not decide. Where the system
//! has a per-thread CPU clock, that is what is measured, so other processes on a busy machine
//! do not count.

use std::time::{Duration, Instant};

use textpipe_sentences::{SentenceSplitter, SplitterOptions, LANGUAGES};
use textpipe_testkit::cpu_time::thread_cpu_time;

/// Repeated units, each a different way to make a splitter look far from where it stands.
const PATTERNS: &[(&str, &str)] = &[
    ("dotted tokens", "a.b."),
    ("acronyms without spaces", "U.S."),
    ("acronyms with spaces", "U.S. "),
    ("initials", "J. "),
    ("abbreviations", "Mr. Dr. etc. "),
    ("numbers and periods", "1. "),
    ("numbers without spaces", "12."),
    ("periods", "."),
    ("question and exclamation runs", "?!"),
    ("spaced marks", "? "),
    ("ellipsis characters in a word", "a\u{2026}"),
    ("ellipses", "... "),
    ("letters without spaces", "abcdefgh"),
    ("accented dotted tokens", "\u{e9}."),
    ("opening brackets", "(\"["),
    ("closing quotes", ".\")"),
    ("citations", ". [1]"),
    ("emoticons", ":) "),
    ("colons", ":"),
    ("line breaks", "a\n"),
    ("blank lines", "\n\n"),
    ("list items", "\n1) a"),
    ("full-width stops", "\u{3002}"),
    ("guillemets", "\u{ab} a. \u{bb} "),
    ("Arabic question marks", "\u{645}\u{61f}"),
    ("no-break spaces", "a.\u{a0}"),
];

fn best_time(splitter: &SentenceSplitter, text: &str) -> Duration {
    (0..3)
        .map(|_| {
            let (started, cpu_started) = (Instant::now(), thread_cpu_time());
            std::hint::black_box(splitter.split(std::hint::black_box(text)));
            match (cpu_started, thread_cpu_time()) {
                (Some(before), Some(after)) => after.saturating_sub(before),
                _ => started.elapsed(),
            }
        })
        .min()
        .expect("three runs")
}

fn repeat_to(unit: &str, bytes: usize) -> String {
    unit.repeat(bytes / unit.len() + 1)
}

fn assert_linear(splitter: &SentenceSplitter, what: &str, small: &str, large: &str) {
    let (small_time, large_time) = (best_time(splitter, small), best_time(splitter, large));
    // Below a few microseconds the clock decides, not the splitter.
    let floor = Duration::from_micros(50);
    let ratio = large_time.as_secs_f64() / small_time.max(floor).as_secs_f64();
    assert!(
        ratio < 64.0,
        "{what}: {} bytes took {small_time:?}, {} bytes {large_time:?} ({ratio:.1}x for 16x the text)",
        small.len(),
        large.len()
    );
}

#[test]
fn splitting_time_grows_linearly_with_the_text() {
    const SMALL: usize = 4 * 1024;
    for lang in LANGUAGES {
        let splitter = SentenceSplitter::for_language(lang).expect("a built-in language");
        for (what, unit) in PATTERNS {
            let small = repeat_to(unit, SMALL);
            let large = repeat_to(unit, 16 * SMALL);
            assert_linear(&splitter, &format!("{lang}, {what}"), &small, &large);
        }
    }
}

#[test]
fn patterns_that_forbid_boundaries_cost_linear_time() {
    let splitter = SentenceSplitter::with_options(&SplitterOptions {
        never_split: vec![r"b\. a".into()],
        always_split: vec![r"\s(a)".into()],
        ..SplitterOptions::default()
    })
    .expect("valid patterns");
    let small = repeat_to("a b. ", 8 * 1024);
    let large = repeat_to("a b. ", 16 * 8 * 1024);
    assert_linear(&splitter, "never_split on every sentence", &small, &large);
}
