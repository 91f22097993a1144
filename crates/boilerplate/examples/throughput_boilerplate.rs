//! One-thread throughput of both modes over a folder of pages, outside criterion: handy under
//! a profiler (`perf record`, `valgrind --tool=callgrind`, which counts instructions and so is
//! not fooled by a busy machine) and over the dev data rather than the bench fixture.
//!
//! ```text
//! cargo run --release -p textpipe-boilerplate --example throughput_boilerplate -- benches/fixtures/boilerplate [rounds]
//! cargo run --release -p textpipe-boilerplate --example throughput_boilerplate -- ../shared/data/boilerplate/wcxb-dev-articles
//! cargo run --release -p textpipe-boilerplate --example throughput_boilerplate -- benches/fixtures/boilerplate 3 text
//! ```
//!
//! A third argument, `html` or `text`, runs that mode alone (a profile of one mode then holds
//! none of the other's one-time set-up).
//!
//! A folder holding `html.jsonl.gz` is read as WCXB data, or as snippet pages when its gold
//! has snippets (`snippets-multilingual-dev`, mostly not English); any other folder as
//! `*.html` and `*.txt` pages.
//!
//! With `--digest` in place of the rounds it prints one hash per mode of everything the
//! extractions hold (text, kept and removed blocks with their reasons and scores, metadata,
//! warnings), so that a change meant only to make the stage faster can be checked to leave
//! every output byte-identical: run it before and after and compare.

use std::path::Path;
use std::time::Instant;

use textpipe_boilerplate::dataset::load_wcxb;
use textpipe_boilerplate::snippets::{load_snippet_gold, load_snippet_pages};
use textpipe_boilerplate::words::{fnv, fnv_extend};
use textpipe_boilerplate::Extractor;

fn pages_in(dir: &Path) -> Result<(Vec<String>, Vec<String>), Box<dyn std::error::Error>> {
    if dir.join("html.jsonl.gz").exists() && load_snippet_gold(&dir.join("gold.jsonl.gz")).is_ok() {
        let pages = load_snippet_pages(dir)?;
        return Ok(pages.into_iter().map(|p| (p.html, p.text)).unzip());
    }
    if dir.join("html.jsonl.gz").exists() {
        let pages = load_wcxb(dir)?;
        return Ok(pages.into_iter().map(|p| (p.html, p.text)).unzip());
    }
    let mut paths: Vec<_> = std::fs::read_dir(dir)?
        .map(|entry| entry.map(|e| e.path()))
        .collect::<Result<_, _>>()?;
    paths.sort();
    let read = |extension: &str| -> std::io::Result<Vec<String>> {
        paths
            .iter()
            .filter(|p| p.extension().is_some_and(|e| e == extension))
            .map(std::fs::read_to_string)
            .collect()
    };
    Ok((read("html")?, read("txt")?))
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let dir = args
        .first()
        .map(String::as_str)
        .unwrap_or("benches/fixtures/boilerplate");
    let (html, text) = pages_in(Path::new(dir))?;
    let extractor = Extractor::default();
    if args.get(1).map(String::as_str) == Some("--digest") {
        print_digests(&extractor, &html, &text);
        return Ok(());
    }
    let rounds: usize = args.get(1).map_or(Ok(5), |r| r.parse())?;
    type Run<'a> = &'a dyn Fn(&str) -> usize;
    let by_html: Run = &|page| extractor.extract_html(page).text.len();
    let by_text: Run = &|page| extractor.extract_text(page).text.len();
    let only = args.get(2).map(String::as_str);
    for (mode, pages, run) in [("html", &html, by_html), ("text", &text, by_text)] {
        if only.is_some_and(|only| only != mode) {
            continue;
        }
        let bytes: usize = pages.iter().map(String::len).sum();
        let started = Instant::now();
        let mut kept = 0;
        for _ in 0..rounds {
            kept += pages.iter().map(|page| run(page)).sum::<usize>();
        }
        let seconds = started.elapsed().as_secs_f64();
        println!(
            "{mode}: {} pages, {:.2} MB x {rounds} rounds in {seconds:.3} s = {:.1} MB/s (kept {} bytes per round)",
            pages.len(),
            bytes as f64 / 1e6,
            (bytes * rounds) as f64 / 1e6 / seconds.max(1e-9),
            kept / rounds.max(1)
        );
    }
    Ok(())
}

/// Prints a hash of the debug rendering of every extraction, per mode.
fn print_digests(extractor: &Extractor, html: &[String], text: &[String]) {
    let digest = |outputs: &mut dyn Iterator<Item = String>| {
        outputs.fold(fnv(b""), |state, output| {
            fnv_extend(state, output.as_bytes())
        })
    };
    let html_digest = digest(
        &mut html
            .iter()
            .map(|p| format!("{:?}", extractor.extract_html(p))),
    );
    let text_digest = digest(
        &mut text
            .iter()
            .map(|p| format!("{:?}", extractor.extract_text(p))),
    );
    println!("html digest {html_digest:016x} over {} pages", html.len());
    println!("text digest {text_digest:016x} over {} pages", text.len());
}
