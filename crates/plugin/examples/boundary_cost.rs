//! Documents per CPU-second through the identity plugin, single thread, for machines too busy
//! for criterion's wall-clock numbers to mean much:
//!
//! ```sh
//! cargo build --release -p textpipe-plugin-testing
//! time cargo run --release -p textpipe-plugin --example boundary_cost -- \
//!     target/release/libtextpipe_plugin_testing.so 20000
//! ```
//!
//! Divide the document count by the `user` time `time` reports.

use textpipe_core::{BuildContext, Document, Entity, Span};

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
    let mut doc = news_document();
    let bytes = serde_json::to_vec(&doc).expect("serializes").len();
    let started = std::time::Instant::now();
    for _ in 0..count {
        stage.process(&mut doc).expect("identity never fails");
    }
    let elapsed = started.elapsed().as_secs_f64();
    println!(
        "{count} documents of {} text bytes ({bytes} JSON bytes) in {elapsed:.2} s wall: {:.0} documents/s wall",
        doc.text.len(),
        count as f64 / elapsed
    );
}

/// ~5 KB of text in 40 sentences, one entity per sentence.
fn news_document() -> Document {
    let sentence = "Mayor Anne Dubois told reporters in Lyon on Monday that the \"new\" tram line would cost 120 million euros.";
    let mut text = String::new();
    let mut sentences = Vec::new();
    let mut entities = Vec::new();
    while text.len() < 5_000 {
        let start = text.len();
        text.push_str(sentence);
        sentences.push(Span::new(start, text.len()));
        entities.push(Entity::new(&text, Span::new(start + 6, start + 17), "PER"));
        text.push(' ');
    }
    let mut doc = Document::new("news-1", text);
    doc.sentences = Some(sentences);
    doc.entities = Some(entities);
    doc
}
