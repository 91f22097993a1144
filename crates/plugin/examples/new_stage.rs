//! Scaffolds a plugin crate, as `textpipe new-stage NAME` does:
//!
//! ```sh
//! cargo run -p textpipe-plugin --example new_stage -- word-stats ../my-stages
//! ```
//!
//! The crate depends on this checkout's textpipe crates by path.

use std::path::PathBuf;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [name, parent] = args.as_slice() else {
        eprintln!("usage: new_stage NAME PARENT_FOLDER");
        std::process::exit(2);
    };
    let checkout = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let source = textpipe_plugin::TextpipeSource::Checkout(checkout);
    match textpipe_plugin::scaffold_stage(name, parent, &source) {
        Ok(report) => {
            println!("created {}", report.crate_dir.display());
            for file in &report.files {
                println!("  {}", file.display());
            }
            println!("build it with `cargo build --release` in that folder; the plugin is target/release/{}", report.library_file);
        }
        Err(error) => {
            eprintln!("error: {error}");
            std::process::exit(1);
        }
    }
}
