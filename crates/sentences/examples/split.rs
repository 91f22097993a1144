//! Prints the sentences of a text file (or stdin), one per line, with their byte spans.
//!
//! ```text
//! cargo run --release -p textpipe-sentences --example split -- ../shared/examples/news-with-cookie-notice.txt
//! ```
use std::io::Read;
use std::process::ExitCode;

use textpipe_sentences::SentenceSplitter;

fn main() -> ExitCode {
    let mut text = String::new();
    let read = match std::env::args().nth(1) {
        Some(path) => std::fs::read_to_string(&path).map(|t| text = t),
        None => std::io::stdin().read_to_string(&mut text).map(|_| ()),
    };
    if let Err(error) = read {
        eprintln!("{error}");
        return ExitCode::FAILURE;
    }
    for span in SentenceSplitter::new().split(&text) {
        let sentence = text[span.start..span.end].replace('\n', " ");
        println!("{}..{}\t{sentence}", span.start, span.end);
    }
    ExitCode::SUCCESS
}
