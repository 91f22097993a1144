//! One-thread throughput of a summarize config over a JSON Lines file of documents whose
//! sentences are already split (the bench fixture), outside criterion: handy under a
//! profiler, and with `perf stat -e instructions:u` or `valgrind --tool=callgrind`, which
//! count instructions and so are not fooled by a busy machine.
//!
//! ```text
//! cargo run --release -p textpipe-summarize --example throughput_summaries -- \
//!     benches/fixtures/summarize/articles.jsonl [rounds] [config JSON]
//! ```

use std::time::Instant;

use textpipe_core::{BuildContext, Document, StageFactory};
use textpipe_summarize::SummarizeFactory;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let path = args
        .first()
        .map_or("benches/fixtures/summarize/articles.jsonl", String::as_str);
    let rounds: usize = args.get(1).map_or(Ok(20), |r| r.parse())?;
    let config: serde_json::Value = serde_json::from_str(args.get(2).map_or("{}", String::as_str))?;
    let docs: Vec<Document> = std::fs::read_to_string(path)?
        .lines()
        .filter(|line| !line.trim().is_empty())
        .map(serde_json::from_str)
        .collect::<Result<_, _>>()?;
    let stage = SummarizeFactory
        .build(&config, &BuildContext::new("."))
        .map_err(|errors| format!("{errors:?}"))?;
    let start = Instant::now();
    let mut chosen = 0usize;
    for _ in 0..rounds {
        for doc in &docs {
            let mut doc = doc.clone();
            stage.process(&mut doc)?;
            chosen += doc.summary.map_or(0, |s| s.sentences.len());
        }
    }
    let seconds = start.elapsed().as_secs_f64();
    let articles = (rounds * docs.len()) as f64;
    println!(
        "{} articles x {rounds} rounds in {seconds:.3} s: {:.0} articles/s, {:.1} us each \
         ({chosen} sentences chosen)",
        docs.len(),
        articles / seconds,
        1e6 * seconds / articles
    );
    Ok(())
}
