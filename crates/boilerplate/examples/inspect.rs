//! Shows how one page of a WCXB-format folder is cut into blocks and scored: each block with
//! its gold label (share of its shingles in the gold text) and the shipped HTML model's keep
//! probability. For reading why a page scores badly (`examples/evaluate_boilerplate.rs --worst`).
//!
//! ```text
//! cargo run --release -p textpipe-boilerplate --example inspect -- ../shared/data/boilerplate/wcxb-dev-articles 0003
//! ```

use std::path::Path;

use textpipe_boilerplate::dataset::{load_wcxb, GoldNgrams};
use textpipe_boilerplate::extract::shipped_models;
use textpipe_boilerplate::features::page_features;
use textpipe_boilerplate::html::parse_html;
use textpipe_boilerplate::score::shingle_prf;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(dir), Some(id)) = (args.first(), args.get(1)) else {
        return Err("usage: inspect <wcxb folder> <page id>".into());
    };
    let pages = load_wcxb(Path::new(dir))?;
    let page = pages
        .iter()
        .find(|p| &p.id == id)
        .ok_or("no page with that id")?;
    let parsed = parse_html(&page.html);
    let gold = GoldNgrams::new(&page.gold);
    let (html_model, _) = shipped_models();
    let (stats, rows) = page_features(&parsed.blocks);
    let probabilities = html_model.probabilities(&stats, &rows);
    let all: Vec<&str> = parsed.blocks.iter().map(|b| &*b.text).collect();
    println!(
        "page {id}: {} bytes of HTML, {} blocks, gold {} bytes; keeping everything: {:?}",
        page.html.len(),
        parsed.blocks.len(),
        page.gold.len(),
        shingle_prf(&all.join("\n"), &page.gold)
    );
    for (block, p) in parsed.blocks.iter().zip(&probabilities) {
        let text: String = block.text.chars().take(110).collect();
        println!("{:.2} gold {:.2} | {text}", p, gold.overlap(&block.text));
    }
    println!(
        "--- gold ---\n{}",
        page.gold.chars().take(1500).collect::<String>()
    );
    Ok(())
}
