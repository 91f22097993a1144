//! Split speed per language measured in the thread's own CPU time, so the figure means
//! something on a machine shared with other jobs (criterion's wall-clock figures there only
//! say how much of a core the bench got). Same text as the `languages` bench: each
//! `benches/fixtures/<lang>.txt` repeated to about 1 MB.
//!
//! ```text
//! cargo run --release -p textpipe-sentences --example speed_sentences [-- PASSES]
//! cargo run --release -p textpipe-sentences --example speed_sentences -- 20 benches/fixtures/sentences/news.txt en
//! ```
use std::time::Instant;

use textpipe_sentences::{SentenceSplitter, LANGUAGES};
use textpipe_testkit::cpu_time::thread_cpu_time;

fn fixture(lang: &str) -> String {
    let path = format!("{}/benches/fixtures/{lang}.txt", env!("CARGO_MANIFEST_DIR"));
    let paragraphs = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let unit = format!("{}\n\n", paragraphs.trim().replace('\n', "\n\n"));
    unit.repeat((1 << 20) / unit.len() + 1)
}

fn main() {
    let passes: u32 = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(50);
    let file = std::env::args().nth(2);
    let texts: Vec<(String, String)> = match (file, std::env::args().nth(3)) {
        (Some(path), lang) => {
            let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
            vec![(lang.unwrap_or_else(|| "en".to_string()), text)]
        }
        (None, _) => LANGUAGES
            .iter()
            .map(|lang| (lang.to_string(), fixture(lang)))
            .collect(),
    };
    println!("| lang | MB | sentences | MB/s (CPU time) | MB/s (wall clock) |");
    println!("|---|---:|---:|---:|---:|");
    for (lang, text) in &texts {
        let lang = lang.as_str();
        let splitter = SentenceSplitter::for_language(lang).expect("a built-in language");
        let sentences = splitter.split(text).len();
        let (wall, cpu) = (Instant::now(), thread_cpu_time());
        for _ in 0..passes {
            std::hint::black_box(splitter.split(std::hint::black_box(text)));
        }
        let wall = wall.elapsed();
        let megabytes = text.len() as f64 * f64::from(passes) / 1e6;
        let cpu = cpu
            .zip(thread_cpu_time())
            .map(|(before, after)| format!("{:.0}", megabytes / (after - before).as_secs_f64()))
            .unwrap_or_else(|| "n/a".to_string());
        println!(
            "| {lang} | {:.2} | {sentences} | {cpu} | {:.0} |",
            text.len() as f64 / 1e6,
            megabytes / wall.as_secs_f64()
        );
    }
}
