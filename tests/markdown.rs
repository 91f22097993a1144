//! `textpipe run --format markdown`: each document's kept content as Markdown (headings, lists,
//! tables, links, emphasis), while the spans of the JSON output keep pointing into plain `text`.

use crate::support::{json_lines, textpipe, write};

/// A news page: a menu and a footer around an article with a heading, a link, emphasis, a
/// list and a table.
const PAGE: &str = r#"<!doctype html><html lang="en"><head><title>Harbour reopens | Coast News</title>
<link rel="canonical" href="https://coast.example/news/harbour.html"></head><body>
<header><nav><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li>
<li><a href="/sport">Sport</a></li><li><a href="/weather">Weather</a></li></ul></nav></header>
<main><article>
<h1>Harbour reopens after the winter storms</h1>
<p>The harbour of Port Ellery reopened on Monday morning after six weeks of repairs, the
<a href="/council">town council</a> said, and the first fishing boats left before dawn with
their crews cheering from the decks.</p>
<p>Repairs to the sea wall cost <strong>four million pounds</strong>, more than the council
had planned, because the storms had washed out the foundations under the old pier and the
divers found <em>much deeper</em> damage than the first survey showed.</p>
<h2>What was repaired</h2>
<ul>
<li>The north sea wall, rebuilt on new foundations along its whole length of three hundred metres.</li>
<li>The old pier, whose wooden deck was replaced with concrete slabs that can carry lorries.</li>
<li>The harbour lights, which were moved higher so that waves can no longer reach the lamps.</li>
</ul>
<p>The council published the costs of the work in the table below, and said that the
government would pay for half of them under the coastal protection scheme.</p>
<table><tr><th>Work</th><th>Cost</th></tr>
<tr><td>Sea wall</td><td>2.6 million pounds</td></tr>
<tr><td>Pier deck</td><td>1.1 million pounds</td></tr></table>
<p>Fishermen said the reopening came just in time for the spring season, when the catch of
crab and lobster is at its best and buyers come from across the country to the market.</p>
</article></main>
<footer><p>© 2026 Coast News. All rights reserved.</p><a href="/privacy">Privacy</a></footer>
</body></html>"#;

fn run_markdown(dir: &std::path::Path, extra: &[&str]) -> String {
    let page = write(dir, "harbour.html", PAGE.as_bytes());
    let output = textpipe()
        .args(["run", "--quiet", "--format", "markdown", &page])
        .args(extra)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn a_page_comes_out_as_markdown_with_its_structure() {
    let dir = tempfile::tempdir().unwrap();
    let markdown = run_markdown(dir.path(), &[]);
    assert!(markdown.starts_with("<!-- textpipe: "), "{markdown}");
    for expected in [
        "## What was repaired",
        "- The north sea wall, rebuilt",
        "\n- The old pier,",
        "| Work | Cost |\n| --- | --- |\n| Sea wall | 2.6 million pounds |",
        // Links made absolute against the page's canonical url, emphasis kept.
        "the [town council](https://coast.example/council) said",
        "cost **four million pounds**, more",
        "found *much deeper* damage",
    ] {
        assert!(
            markdown.contains(expected),
            "missing {expected:?} in:\n{markdown}"
        );
    }
    for boilerplate in ["Weather", "All rights reserved", "[Privacy]"] {
        assert!(
            !markdown.contains(boilerplate),
            "{boilerplate:?} kept:\n{markdown}"
        );
    }
}

#[test]
fn the_same_run_as_json_keeps_spans_in_the_plain_text() {
    let dir = tempfile::tempdir().unwrap();
    let page = write(dir.path(), "harbour.html", PAGE.as_bytes());
    let pipeline = write(
        dir.path(),
        "p.json",
        br#"{"name": "md", "stages": [{"stage": "boilerplate", "with": {"markdown": true}},
            {"stage": "sentences"}, {"stage": "entities"}]}"#,
    );
    let output = textpipe()
        .args(["run", "--quiet", "--pipeline", &pipeline, &page])
        .output()
        .unwrap();
    assert!(output.status.success());
    let doc = &json_lines(&output.stdout)[0];
    let text = doc["text"].as_str().unwrap();
    let markdown = doc["meta"]["markdown"].as_str().unwrap();
    assert!(markdown.contains("**four million pounds**"), "{markdown}");
    assert!(
        !text.contains("**") && !text.contains("](") && !text.contains("| ---"),
        "{text}"
    );
    assert!(text.contains("cost four million pounds, more"));
    let sentences = doc["sentences"].as_array().unwrap();
    assert!(sentences.len() >= 5);
    for span in sentences.iter().chain(doc["entities"].as_array().unwrap()) {
        let (start, end) = (
            span["start"].as_u64().unwrap() as usize,
            span["end"].as_u64().unwrap() as usize,
        );
        let covered = text.get(start..end).expect("a span on char boundaries");
        if let Some(entity) = span["text"].as_str() {
            assert_eq!(covered, entity);
        }
    }
}

#[test]
fn plain_text_and_failures_are_written_too() {
    let output = textpipe()
        .args(["run", "--quiet", "--format", "markdown", "-"])
        .write_stdin("Apple hired *Tim Cook* in Cupertino.\n")
        .output()
        .unwrap();
    assert!(output.status.success());
    let markdown = String::from_utf8(output.stdout).unwrap();
    assert!(
        markdown.ends_with(" -->\n\nApple hired \\*Tim Cook\\* in Cupertino.\n\n"),
        "{markdown}"
    );

    let output = textpipe()
        .args(["run", "--quiet", "--format", "markdown", "-"])
        .write_stdin("{\"id\": \"good\", \"text\": \"Rain.\"}\nnot json\n")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let markdown = String::from_utf8(output.stdout).unwrap();
    assert!(markdown.starts_with("<!-- textpipe: good -->\n\nRain.\n\n<!-- textpipe: "));
    assert!(markdown.contains(" FAILED in input: "), "{markdown}");
}
