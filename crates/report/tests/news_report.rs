//! The report on documents made by the real stages: the example news articles and a hostile
//! page, through boilerplate removal, sentences, entities and a three-sentence summary.

use std::path::{Path, PathBuf};

use serde_json::json;
use textpipe_core::RunReport;
use textpipe_core::{BuildContext, Document, Stage, StageFactory};
use textpipe_report::{render_terminal, HtmlReport};

fn default_stages() -> Vec<Box<dyn Stage>> {
    let ctx = BuildContext::new(".");
    let build = |factory: &dyn StageFactory, config| factory.build(&config, &ctx).unwrap();
    vec![
        build(&textpipe_boilerplate::BoilerplateFactory, json!({})),
        build(&textpipe_sentences::SentencesFactory, json!({})),
        build(&textpipe_entities::EntitiesFactory, json!({})),
        build(
            &textpipe_summarize::SummarizeFactory,
            json!({"sentences": 3}),
        ),
    ]
}

fn processed(stages: &[Box<dyn Stage>], id: &str, text: &str) -> Document {
    let mut doc = Document::new(id, text);
    for stage in stages {
        stage.process(&mut doc).unwrap();
    }
    doc.check_spans().unwrap();
    doc
}

fn news_articles() -> Vec<(String, String)> {
    let checked_in = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/news/article.txt");
    let mut paths: Vec<PathBuf> = vec![checked_in];
    paths.extend(textpipe_testkit::shared_file(
        "examples/news-with-cookie-notice.txt",
    ));
    paths
        .into_iter()
        .map(|path| {
            let text = std::fs::read_to_string(&path).unwrap();
            (
                path.file_name().unwrap().to_string_lossy().into_owned(),
                text,
            )
        })
        .collect()
}

fn report_of(docs: &[Document]) -> String {
    let mut report = HtmlReport::new(Vec::new(), "News").unwrap();
    for doc in docs {
        report.add(doc).unwrap();
    }
    let run = RunReport {
        read: docs.len(),
        written: docs.len(),
        ..RunReport::default()
    };
    String::from_utf8(report.finish(&run).unwrap()).unwrap()
}

/// The part of the report that belongs to the `number`-th document.
fn document_section(html: &str, number: usize) -> &str {
    let start = html.find(&format!("id=\"doc-{number}\"")).unwrap();
    let end = start + html[start..].find("</details>\n").unwrap();
    &html[start..end]
}

#[test]
fn news_articles_show_entities_summary_and_removed_blocks() {
    let stages = default_stages();
    let docs: Vec<Document> = news_articles()
        .iter()
        .map(|(id, text)| processed(&stages, id, text))
        .collect();
    let html = report_of(&docs);
    for (at, doc) in docs.iter().enumerate() {
        let section = document_section(&html, at + 1);
        let entities = doc.entities.as_deref().unwrap();
        assert!(entities.len() >= 5, "{}: too few entities", doc.id);
        // Each entity starts one mark carrying its label; parts continued across a sentence
        // boundary are marked as such and not counted.
        let starts = section.matches("<mark class=\"ent l").count()
            - section.matches(" cont\" data-label=").count();
        assert_eq!(starts, entities.len(), "{}", doc.id);
        for entity in entities {
            let mut escaped = String::new();
            textpipe_report::escape_html(&entity.label, &mut escaped);
            assert!(section.contains(&format!("data-label=\"{escaped}\" title=\"{escaped}")));
        }
        let summary = doc.summary.as_ref().unwrap();
        assert_eq!(summary.sentences.len(), 3);
        assert_eq!(section.matches("<span class=\"s pick\"").count(), 3);
        for index in &summary.sentences {
            let mark = format!("<span class=\"s pick\" data-n=\"{}\">", index + 1);
            assert!(section.contains(&mark), "{}: {mark}", doc.id);
        }
        let sentences = doc.sentences.as_ref().unwrap().len();
        assert_eq!(section.matches("<span class=\"s").count(), sentences);
        // The cookie notice is gone from the text and listed, with its reason.
        let removed = doc.removed.as_deref().unwrap();
        assert!(!removed.is_empty(), "{}", doc.id);
        assert!(section.contains("<details class=\"removed\">"));
        for block in removed {
            let mut reason = String::new();
            textpipe_report::escape_html(&block.reason, &mut reason);
            assert!(section.contains(&format!("<span class=\"reason\">{reason}</span>")));
            let mut text = String::new();
            textpipe_report::escape_html(&block.text, &mut text);
            assert!(section.contains(&format!("<p>{text}</p>")));
            assert!(!doc.text.contains(&block.text));
        }
        assert!(removed.iter().any(|block| block.reason == "cookie-notice"));
        assert!(!section.contains("could not be shown"));
    }
    if docs.len() > 1 {
        assert!(html.contains(&format!("Index of {} documents", docs.len())));
    }
}

#[test]
fn hostile_markup_through_the_real_stages_renders_as_text() {
    let stages = default_stages();
    let page = "<html><head><title>Breaking <script>alert('t')</script></title></head><body>\
        <p>Officials in Paris said on Monday that <script>alert(document.cookie)</script> \
        the <b>vote</b> would go ahead &lt;img src=x onerror=alert(1)&gt; as planned. \
        Angela Merkel met Emmanuel Macron in Berlin to discuss the plan.</p></body></html>";
    let mut doc = processed(&stages, "<img src=x onerror=alert(2)>", page);
    doc.meta
        .insert("title".into(), "<script>alert(3)</script>".into());
    let html = report_of(&[doc.clone()]);
    assert!(!html.contains("<img"));
    assert!(!html.contains("<script>alert"));
    assert_eq!(
        html.matches("<script").count(),
        1,
        "only the page's own script"
    );
    assert!(html.contains("&lt;script&gt;alert(3)&lt;/script&gt;"));
    let terminal = render_terminal(&doc, false);
    assert!(
        terminal.contains("<script>alert(3)</script>"),
        "plain text stays text"
    );
}

#[test]
fn terminal_view_of_the_news_article() {
    let stages = default_stages();
    let (id, text) = &news_articles()[0];
    let doc = processed(&stages, id, text);
    let view = render_terminal(&doc, false);
    let summary_at = view.find("Summary (sentences ").unwrap();
    let text_at = view.find("\nText\n").unwrap();
    assert!(summary_at < text_at, "summary first");
    assert_eq!(
        view.matches("**").count(),
        6,
        "three summary sentences marked"
    );
    let entities = doc.entities.as_deref().unwrap();
    let first = &entities[0];
    assert!(view.contains(&format!("[{}]({})", first.text, first.label)));
    assert!(view.contains("Removed by boilerplate removal"));
    let coloured = render_terminal(&doc, true);
    assert!(coloured.contains("\x1b["));
}
