//! Documents per CPU-second through the identity plugin, single thread, for machines too busy
//! for criterion's wall-clock numbers to mean much:
//!
//! ```sh
//! cargo build --release -p textpipe-plugin-testing
//! cargo build --release -p textpipe-plugin --example boundary_cost
//! /usr/bin/time -f "user %U s" target/release/examples/boundary_cost \
//!     target/release/libtextpipe_plugin_testing.so 200000
//! ```
//!
//! Divide the document count by the `user` time. The documents are the identity bench's
//! (`textpipe_benchkit::news_documents`), each run through the plugin in turn.

use textpipe_core::BuildContext;

fn main() {
    let mut args = std::env::args().skip(1);
    let (Some(path), Some(count)) = (
        args.next(),
        args.next().and_then(|n| n.parse::<usize>().ok()),
    ) else {
        eprintln!("usage: boundary_cost PLUGIN_LIBRARY DOCUMENTS");
        std::process::exit(2);
    };
    let plugin = textpipe_plugin::PluginLibrary::load(&path).expect("load plugin");
    let factory = plugin
        .factories()
        .into_iter()
        .find(|f| f.kind() == "identity")
        .expect("identity stage");
    let stage = factory
        .build(&serde_json::Value::Null, &BuildContext::default())
        .expect("build");
    // The bench's realistic documents: 5.0 KB, 72 sentences and 115 entities on average.
    let mut docs = textpipe_benchkit::news_documents(64);
    let text_bytes: usize = docs.iter().map(|d| d.text.len()).sum::<usize>() / docs.len();
    let json_bytes: usize = docs
        .iter()
        .map(|d| serde_json::to_vec(d).expect("serializes").len())
        .sum::<usize>()
        / docs.len();
    let started = std::time::Instant::now();
    for i in 0..count {
        let doc = &mut docs[i % 64];
        stage.process(doc).expect("identity never fails");
    }
    let elapsed = started.elapsed().as_secs_f64();
    println!(
        "{count} documents of {text_bytes} text bytes ({json_bytes} JSON bytes) on average in {elapsed:.2} s wall: {:.0} documents/s wall",
        count as f64 / elapsed
    );
}
