//! Renders saved `textpipe run` output (JSON Lines of documents and error records) as a
//! self-contained HTML report.
//!
//! ```text
//! textpipe run examples/news/article.txt > out.jsonl
//! cargo run --release -p textpipe-report --example render -- out.jsonl report.html
//! cargo run --release -p textpipe-report --example render -- out.jsonl big.html --copies 5000
//! ```
//!
//! `--copies N` writes every document N times (ids suffixed `#1`..`#N`): a quick way to see
//! how a large run's report behaves. `--title` sets the page title.

use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter};
use std::process::ExitCode;

use textpipe_core::{Outcome, RunReport};
use textpipe_report::{HtmlOptions, HtmlReport};

struct Args {
    input: String,
    output: String,
    title: String,
    copies: usize,
}

fn parse_args() -> Result<Args, String> {
    let mut positional = Vec::new();
    let (mut title, mut copies) = (None, 1);
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--title" => title = Some(args.next().ok_or("--title needs a value")?),
            "--copies" => {
                let value = args.next().ok_or("--copies needs a number")?;
                copies = value.parse().map_err(|_| format!("bad --copies {value}"))?;
            }
            _ => positional.push(arg),
        }
    }
    let [input, output] = <[String; 2]>::try_from(positional)
        .map_err(|_| "usage: render INPUT.jsonl OUTPUT.html [--title T] [--copies N]")?;
    Ok(Args {
        title: title.unwrap_or_else(|| format!("textpipe report: {input}")),
        input,
        output,
        copies: copies.max(1),
    })
}

fn main() -> ExitCode {
    match parse_args().and_then(|args| render(&args)) {
        Ok(run) => {
            eprintln!(
                "{} read, {} documents, {} failed",
                run.read, run.written, run.failed
            );
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("render: {message}");
            ExitCode::FAILURE
        }
    }
}

fn render(args: &Args) -> Result<RunReport, String> {
    let input = File::open(&args.input).map_err(|e| format!("{}: {e}", args.input))?;
    let output = File::create(&args.output).map_err(|e| format!("{}: {e}", args.output))?;
    if args.copies == 1 {
        return textpipe_report::render_saved_output(
            BufReader::new(input),
            &args.input,
            BufWriter::new(output),
            &args.title,
            HtmlOptions::default(),
        )
        .map_err(|e| e.to_string());
    }
    let io_error = |e: std::io::Error| e.to_string();
    let mut report = HtmlReport::new(BufWriter::new(output), &args.title).map_err(io_error)?;
    let mut run = RunReport::default();
    for line in BufReader::new(input).lines() {
        let line = line.map_err(io_error)?;
        if line.trim().is_empty() {
            continue;
        }
        let parsed = Outcome::parse_line(&line).map_err(|e| e.to_string())?;
        for copy in 1..=args.copies {
            run.read += 1;
            match &parsed {
                Outcome::Done(doc) => {
                    let mut doc = doc.as_ref().clone();
                    doc.id = format!("{}#{copy}", doc.id);
                    run.written += 1;
                    report.add(&doc).map_err(io_error)?;
                }
                Outcome::Failed(record) => {
                    run.failed += 1;
                    report.add_error(record).map_err(io_error)?;
                }
            }
        }
    }
    report.finish(&run).map_err(io_error)?;
    Ok(run)
}
