//! Loads a plugin, prints its name, version, ABI version and stages, and runs a sample
//! document through each stage, as `textpipe plugin check PATH` does:
//!
//! ```sh
//! cargo build --release -p textpipe-plugin-keywords
//! cargo run -p textpipe-plugin --example check -- target/release/libtextpipe_plugin_keywords.so
//! ```

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: check PLUGIN_LIBRARY");
        std::process::exit(2);
    };
    match textpipe_plugin::check_plugin(&path) {
        Ok(report) => print!("{report}"),
        Err(error) => {
            eprintln!("error: {error}");
            std::process::exit(1);
        }
    }
}
