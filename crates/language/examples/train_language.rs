//! Trains the n-gram model of the Latin-script languages and writes the model file.
//!
//! ```text
//! cargo run --release -p textpipe-language --example train_language -- ../shared/data crates/language/model/latin.ngrams
//! ```
//!
//! The same data always gives the same bytes.
use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<PathBuf> = std::env::args().skip(1).map(PathBuf::from).collect();
    let [data_dir, output] = args.as_slice() else {
        eprintln!("usage: train_language DATA_DIR OUTPUT");
        return ExitCode::FAILURE;
    };
    let text = match textpipe_language::training::train_model_text(data_dir) {
        Ok(text) => text,
        Err(error) => {
            eprintln!("{error}");
            return ExitCode::FAILURE;
        }
    };
    if let Err(error) = std::fs::write(output, &text) {
        eprintln!("{}: {error}", output.display());
        return ExitCode::FAILURE;
    }
    eprintln!("wrote {} ({} bytes)", output.display(), text.len());
    ExitCode::SUCCESS
}
