//! Writes the criterion bench fixture: a fixed set of WCXB dev pages, unchanged, as
//! `<out>/<id>.html` (HTML mode input) and `<out>/<id>.txt` (plain-text mode input).
//!
//! ```text
//! cargo run --release -p textpipe-boilerplate --example bench_fixtures -- \
//!     ../shared/data/boilerplate/wcxb-dev-articles benches/fixtures/boilerplate
//! ```
//!
//! The pages are every 25th page of the data set in its published order (12 pages), so the
//! fixture spans small and large pages without being picked by hand.

use std::path::PathBuf;

use textpipe_boilerplate::dataset::load_wcxb;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let dir = PathBuf::from(
        args.first()
            .map(String::as_str)
            .unwrap_or("../shared/data/boilerplate/wcxb-dev-articles"),
    );
    let out = PathBuf::from(
        args.get(1)
            .map(String::as_str)
            .unwrap_or("benches/fixtures/boilerplate"),
    );
    std::fs::create_dir_all(&out)?;
    let pages = load_wcxb(&dir)?;
    for page in pages.iter().step_by(25) {
        std::fs::write(out.join(format!("{}.html", page.id)), &page.html)?;
        std::fs::write(out.join(format!("{}.txt", page.id)), &page.text)?;
        println!(
            "{}: {} bytes of HTML, {} bytes of text",
            page.id,
            page.html.len(),
            page.text.len()
        );
    }
    Ok(())
}
