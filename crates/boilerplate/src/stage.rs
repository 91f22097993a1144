//! The `boilerplate` stage: its config, factory and [`Stage`] implementation.

use std::path::PathBuf;
use std::sync::Arc;

use regex::RegexSet;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use textpipe_core::checked_file::{read_to_string_checked, MAX_CONFIG_FILE_BYTES};
use textpipe_core::{
    parse_config, BuildContext, ConfigError, Document, Layer, Stage, StageError, StageFactory,
};

use crate::extract::{Extraction, Extractor, ModelSource, Overrides, ShippedModel};
use crate::model::LoadedModel;

/// Which input the stage reads.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    /// HTML when the document has non-empty `html`, its text otherwise.
    #[default]
    Auto,
    /// Always the document's `html` (a document without it is an error).
    Html,
    /// Always the document's text, read as lines.
    Text,
}

/// Config of the `boilerplate` stage.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct BoilerplateConfig {
    /// Which input to read.
    pub mode: Mode,
    /// Regexes (case-insensitive) of blocks to always drop.
    pub drop_patterns: Vec<String>,
    /// Regexes (case-insensitive) of blocks to always keep, unless a drop pattern matches.
    pub keep_patterns: Vec<String>,
    /// Keep blocks from this probability on instead of the model's tuned threshold.
    pub threshold: Option<f32>,
    /// A retrained HTML-mode model file instead of the shipped one.
    pub html_model: Option<PathBuf>,
    /// A retrained plain-text-mode model file instead of the shipped one.
    pub text_model: Option<PathBuf>,
    /// Also write the kept content as Markdown into `meta.markdown`.
    pub markdown: bool,
}

/// Builds `boilerplate` stages.
pub struct BoilerplateFactory;

/// The `boilerplate` stage.
#[derive(Debug, Clone)]
pub struct BoilerplateStage {
    mode: Mode,
    extractor: Extractor,
    markdown: bool,
}

fn compile_patterns(key: &str, patterns: &[String], errors: &mut Vec<ConfigError>) -> RegexSet {
    let case_insensitive: Vec<String> = patterns.iter().map(|p| format!("(?i){p}")).collect();
    for (i, pattern) in case_insensitive.iter().enumerate() {
        if let Err(error) = regex::Regex::new(pattern) {
            errors.push(ConfigError::at(
                &[key, &i.to_string()],
                format!("not a valid regex: {error}"),
            ));
        }
    }
    RegexSet::new(&case_insensitive).unwrap_or_else(|_| RegexSet::empty())
}

fn load_model(
    key: &str,
    path: &Option<PathBuf>,
    shipped: ShippedModel,
    ctx: &BuildContext,
    errors: &mut Vec<ConfigError>,
) -> ModelSource {
    let Some(path) = path else {
        return ModelSource::Shipped(shipped);
    };
    let path = ctx.resolve(path);
    let loaded = read_to_string_checked(&path, MAX_CONFIG_FILE_BYTES)
        .map_err(|e| e.to_string())
        .and_then(|json| LoadedModel::from_json(&json).map_err(|e| e.to_string()));
    match loaded {
        Ok(model) => ModelSource::Loaded(Arc::new(model)),
        Err(error) => {
            errors.push(ConfigError::at(
                &[key],
                format!("{}: {error}", path.display()),
            ));
            ModelSource::Shipped(shipped)
        }
    }
}

impl BoilerplateStage {
    /// Builds the stage from a parsed config; reports every problem at once.
    pub fn from_config(
        config: &BoilerplateConfig,
        ctx: &BuildContext,
    ) -> Result<Self, Vec<ConfigError>> {
        let mut errors = Vec::new();
        let overrides = Overrides {
            drop: compile_patterns("drop_patterns", &config.drop_patterns, &mut errors),
            keep: compile_patterns("keep_patterns", &config.keep_patterns, &mut errors),
        };
        if let Some(t) = config.threshold {
            if !(0.0..=1.0).contains(&t) {
                errors.push(ConfigError::at(&["threshold"], "must be between 0 and 1"));
            }
        }
        let html = load_model(
            "html_model",
            &config.html_model,
            ShippedModel::Html,
            ctx,
            &mut errors,
        );
        let text = load_model(
            "text_model",
            &config.text_model,
            ShippedModel::Text,
            ctx,
            &mut errors,
        );
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(BoilerplateStage {
            markdown: config.markdown,
            mode: config.mode,
            extractor: Extractor::with_model_sources(html, text)
                .overrides(overrides)
                .threshold(config.threshold)
                .inline_marks(config.markdown),
        })
    }
}

/// Writes the kept content as Markdown into `meta.markdown`, replacing what an earlier run
/// wrote there (it describes this run's text).
fn record_markdown(doc: &mut Document, extraction: &Extraction) {
    doc.meta
        .insert("markdown".into(), Value::String(extraction.markdown()));
}

/// Writes what the page declared into `meta`, without overwriting what the input gave.
fn record_meta(doc: &mut Document, extraction: &Extraction) {
    let found = [
        ("title", &extraction.meta.title),
        ("author", &extraction.meta.author),
        ("date", &extraction.meta.date),
        ("canonical_url", &extraction.meta.url),
        ("language", &extraction.meta.language),
    ];
    for (key, value) in found {
        if let Some(value) = value {
            doc.meta
                .entry(key)
                .or_insert_with(|| Value::String(value.clone()));
        }
    }
    if !extraction.captions.is_empty() && !doc.meta.contains_key("captions") {
        let captions = extraction.captions.iter().cloned().map(Value::String);
        doc.meta
            .insert("captions".into(), Value::Array(captions.collect()));
    }
    if !extraction.warnings.is_empty() {
        let warnings = doc
            .meta
            .entry("warnings")
            .or_insert_with(|| Value::Array(Vec::new()));
        if let Value::Array(list) = warnings {
            list.extend(
                extraction
                    .warnings
                    .iter()
                    .map(|w| Value::String(format!("boilerplate: {w}"))),
            );
        }
    }
}

/// Drops the layers made before this stage: their spans point into a text that was rewritten
/// (or, when nothing was removed, into one that later stages should annotate afresh).
fn clear_spans(doc: &mut Document) {
    doc.sentences = None;
    doc.entities = None;
    doc.summary = None;
}

impl Stage for BoilerplateStage {
    fn name(&self) -> &str {
        "boilerplate"
    }

    fn process(&self, doc: &mut Document) -> Result<(), StageError> {
        // A CoNLL file's document is a corpus's article, a sentence per line: the classifier
        // learned web pages and would take its datelines and headlines for page furniture.
        // Nothing is removed, and the file's sentences stay valid.
        if self.mode == Mode::Auto && doc.html.is_none() && doc.is_conll_corpus_text() {
            doc.removed = Some(Vec::new());
            return Ok(());
        }
        let has_html = doc.html.as_deref().is_some_and(|h| !h.trim().is_empty());
        let extraction = match self.mode {
            Mode::Html | Mode::Auto if has_html => self
                .extractor
                .extract_html(doc.html.as_deref().unwrap_or_default()),
            Mode::Html if doc.html.is_none() => {
                return Err(StageError::MissingInput(
                    "`html`: the stage is in `html` mode but the document has no html".into(),
                ))
            }
            Mode::Html => self.extractor.extract_html(""),
            Mode::Auto | Mode::Text => {
                let extraction = self.extractor.extract_text(&doc.text);
                record_meta(doc, &extraction);
                if self.markdown {
                    record_markdown(doc, &extraction);
                }
                // A text with nothing to remove passes through byte for byte, its blank lines
                // and indentation included: it was the article already.
                if !extraction.removed.is_empty() {
                    doc.text = extraction.text;
                }
                doc.removed = Some(extraction.removed);
                clear_spans(doc);
                return Ok(());
            }
        };
        record_meta(doc, &extraction);
        if self.markdown {
            record_markdown(doc, &extraction);
        }
        doc.text = extraction.text;
        doc.removed = Some(extraction.removed);
        clear_spans(doc);
        Ok(())
    }

    fn provides(&self) -> &[Layer] {
        &[Layer::Text, Layer::Removed]
    }
}

impl StageFactory for BoilerplateFactory {
    fn kind(&self) -> &str {
        "boilerplate"
    }

    fn summary(&self) -> &str {
        "Keeps a web page's article text (from HTML or flattened text) and records what it removed"
    }

    fn config_schema(&self) -> Value {
        json!({
            "type": "object",
            "properties": {
                "mode": {
                    "type": "string",
                    "enum": ["auto", "html", "text"],
                    "default": "auto",
                    "description": "Input to read: `html` (the document's html), `text` (its text, \
                                    one block per line) or `auto` (html when present)"
                },
                "drop_patterns": {
                    "type": "array",
                    "items": {"type": "string"},
                    "default": [],
                    "description": "Regexes, matched case-insensitively; a block matching one is \
                                    always dropped (reason `drop-pattern`)"
                },
                "keep_patterns": {
                    "type": "array",
                    "items": {"type": "string"},
                    "default": [],
                    "description": "Regexes, matched case-insensitively; a block matching one is \
                                    always kept unless a drop pattern matches too"
                },
                "threshold": {
                    "type": ["number", "null"],
                    "default": null,
                    "description": "Keep blocks whose content probability is at least this \
                                    (0..1); null uses the threshold tuned with the model"
                },
                "html_model": {
                    "type": ["string", "null"],
                    "default": null,
                    "description": "Path (relative to the pipeline file) of a retrained \
                                    HTML-mode model JSON; null uses the shipped model"
                },
                "text_model": {
                    "type": ["string", "null"],
                    "default": null,
                    "description": "Path (relative to the pipeline file) of a retrained \
                                    plain-text-mode model JSON; null uses the shipped model"
                },
                "markdown": {
                    "type": "boolean",
                    "default": false,
                    "description": "Also write the kept content as Markdown (headings, list \
                                    items, quotes, code, tables) into `meta.markdown`"
                }
            }
        })
    }

    fn example(&self) -> Value {
        json!({
            "mode": "auto",
            "drop_patterns": ["^advertisement$", "listen to this article"],
            "keep_patterns": ["^editor's note"]
        })
    }

    fn build(
        &self,
        config: &Value,
        ctx: &BuildContext,
    ) -> Result<Box<dyn Stage>, Vec<ConfigError>> {
        let config: BoilerplateConfig = parse_config(config)?;
        Ok(Box::new(BoilerplateStage::from_config(&config, ctx)?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn build(config: Value) -> Result<Box<dyn Stage>, Vec<ConfigError>> {
        BoilerplateFactory.build(&config, &BuildContext::new("."))
    }

    #[test]
    fn factory_complies() {
        textpipe_testkit::check_factory(&BoilerplateFactory);
    }

    #[test]
    fn schema_documents_exactly_the_config_keys() {
        let defaults = serde_json::to_value(BoilerplateConfig::default()).unwrap();
        textpipe_testkit::check_schema_keys(&BoilerplateFactory, defaults);
    }

    #[test]
    fn bad_patterns_thresholds_and_models_are_all_reported() {
        let Err(errors) = build(json!({
            "drop_patterns": ["ok", "(unclosed"],
            "threshold": 1.5,
            "text_model": "no/such/model.json"
        })) else {
            panic!("a config with three mistakes built");
        };
        assert_eq!(errors.len(), 3, "{errors:?}");
        assert_eq!(errors[0].path, ["drop_patterns", "1"]);
    }

    #[test]
    fn a_conll_corpus_document_passes_through_with_its_sentences() {
        let text = "LONDON 1996-08-30\nCRICKET - ENGLISH COUNTY CHAMPIONSHIP SCORES .\n-\nLeeds )";
        let mut doc = Document::new("f.conll:1", text);
        doc.sentences = Some(vec![textpipe_core::Span::new(0, 17)]);
        doc.meta
            .insert("format".into(), textpipe_core::CONLL_FORMAT.into());
        let stage = build(json!({})).unwrap();
        stage.process(&mut doc).unwrap();
        assert_eq!(doc.text, text);
        assert_eq!(doc.removed, Some(Vec::new()));
        assert!(doc.sentences.is_some());
        // Forced into text mode, the stage cleans it like any flattened page.
        let stage = build(json!({"mode": "text"})).unwrap();
        stage.process(&mut doc).unwrap();
        assert!(doc.sentences.is_none());
    }

    #[test]
    fn html_mode_without_html_is_a_missing_input() {
        let stage = build(json!({"mode": "html"})).unwrap();
        let mut doc = Document::new("d", "text only");
        assert!(matches!(
            stage.process(&mut doc),
            Err(StageError::MissingInput(_))
        ));
    }

    #[test]
    fn user_patterns_override_the_classifier() {
        let stage = build(json!({
            "mode": "text",
            "drop_patterns": ["^the council"],
            "keep_patterns": ["^menu$"]
        }))
        .unwrap();
        let mut doc = Document::new(
            "d",
            "Menu\nThe council met on Monday and agreed, after a long debate about the budget, \
             to keep the library open for another three years.\n",
        );
        stage.process(&mut doc).unwrap();
        assert_eq!(doc.text, "Menu");
        let removed = doc.removed.unwrap();
        assert_eq!(removed[0].reason, "drop-pattern");
    }

    #[test]
    fn html_mode_fills_meta_and_warns_on_empty_pages() {
        let stage = build(Value::Null).unwrap();
        let mut doc = Document::new("d", "");
        doc.html =
            Some("<html lang=de><head><title>Titel</title></head><body></body></html>".into());
        stage.process(&mut doc).unwrap();
        assert_eq!(doc.text, "");
        assert_eq!(doc.meta["title"], "Titel");
        assert_eq!(doc.meta["language"], "de");
        assert!(doc.meta["warnings"]
            .as_array()
            .is_some_and(|w| !w.is_empty()));
    }

    /// Runs the default stage over `text` and returns the document.
    fn clean(text: &str) -> Document {
        let stage = build(Value::Null).unwrap();
        let mut doc = Document::new("d", text);
        stage.process(&mut doc).unwrap();
        doc
    }

    #[test]
    fn short_clean_texts_pass_through_unchanged() {
        let texts = [
            "Apple hired Tim Cook in Cupertino.\n",
            "Apple hired Tim Cook in Cupertino.",
            // A tweet, a headline, a paragraph.
            "Just landed in Lisbon, great to see the whole team again! #travel https://t.co/x1y2",
            "Storm batters the coast as thousands lose power",
            "The council met on Monday and agreed, after a long debate about the budget, to \
             keep the library open for another three years. The mayor said the decision was \
             overdue.",
            "Menu\nHome\nContact",
            // Another language and another script, with a blank line and indentation.
            "Die Regierung hat am Montag beschlossen,\n\n  die Steuern zu senken.\n",
            "東京で大雨、交通機関に乱れ。",
        ];
        for text in texts {
            let doc = clean(text);
            assert_eq!(doc.text, text);
            assert_eq!(doc.removed.as_deref(), Some(&[][..]), "{text:?}");
        }
    }

    #[test]
    fn clean_articles_of_many_paragraphs_pass_through_unchanged() {
        let article = "Flood warning lifted\n\
            The river rose above its banks on Sunday night, and by morning the water had reached \
            the doors of the old mill.\n\
            Residents of the lower town spent the night in the school, where volunteers served \
            soup and found them blankets.\n\
            What happens next\n\
            The council will meet on Thursday to decide whether the dam needs repairs before \
            the autumn rains.\n\
            \"We were lucky this time,\" said the mayor, who has asked for money from the region.\n";
        let doc = clean(article);
        assert_eq!(doc.text, article);
        assert!(doc.removed.unwrap().is_empty());
    }

    #[test]
    fn news_written_a_sentence_per_line_passes_through_unchanged() {
        // A corpus's article, sentence-split: a headline, a byline and a dateline are short
        // lines that lead into no paragraph, but no worded line repeats (the separator "-"
        // does) and no cue phrase appears.
        let article = "SOCCER - VALLEY UNITED WIN AT HOME .\n\
            Anna Berg\n\
            MILLBROOK 2026-03-14\n\
            -\n\
            Valley United beat Harbour Town 2-1 on Saturday .\n\
            -\n\
            The winner came late .\n\
            Coach Tom Reyes said he was pleased .\n\
            \" We deserved it , \" he said .\n\
            Harbour Town stay fourth .\n\
            The club plays again next week .";
        let doc = clean(article);
        assert_eq!(doc.text, article);
        assert!(doc.removed.unwrap().is_empty());
    }

    #[test]
    fn rules_still_apply_to_short_texts() {
        let doc = clean(
            "Share this article\nThe river rose above its banks on Sunday night and reached \
             the old mill.\n",
        );
        assert_eq!(
            doc.text,
            "The river rose above its banks on Sunday night and reached the old mill."
        );
        assert_eq!(doc.removed.unwrap()[0].reason, "share-bar");
    }

    #[test]
    fn pages_with_menus_are_still_cleaned() {
        let mut page =
            String::from("Home\nNews\nSport\nWeather\nBusiness\nCulture\nSign in\nSubscribe\n");
        let paragraphs = [
            "The river rose above its banks on Sunday night, and by morning the water had \
             reached the doors of the old mill on the edge of the town.",
            "Residents of the lower town spent the night in the school, where volunteers \
             served soup and found them blankets until the early hours.",
            "The council will meet on Thursday to decide whether the dam needs repairs before \
             the autumn rains, the mayor said in a statement on Monday.",
        ];
        for paragraph in paragraphs {
            page.push_str(paragraph);
            page.push('\n');
        }
        page.push_str("© 2026 The Valley Courier. All rights reserved.\nPrivacy\nTerms\n");
        let doc = clean(&page);
        assert_eq!(doc.text, paragraphs.join("\n"));
    }

    #[test]
    fn german_pages_keep_their_article() {
        let mut page =
            String::from("Startseite\nPolitik\nWirtschaft\nSport\nKultur\nAnmelden\nSuche\n");
        let paragraphs = [
            "Der Fluss ist in der Nacht zum Sonntag über die Ufer getreten, und am Morgen stand \
             das Wasser schon vor den Türen der alten Mühle.",
            "Die Bewohner der Unterstadt verbrachten die Nacht in der Schule, wo Freiwillige \
             Suppe austeilten und Decken für alle besorgten.",
            "Der Gemeinderat will am Donnerstag entscheiden, ob der Damm vor dem Herbst \
             repariert werden muss, sagte die Bürgermeisterin am Montag.",
        ];
        for paragraph in paragraphs {
            page.push_str(paragraph);
            page.push('\n');
        }
        page.push_str("Impressum\nDatenschutz\nKontakt\n");
        let doc = clean(&page);
        assert_eq!(doc.text, paragraphs.join("\n"));
    }

    #[test]
    fn markdown_goes_into_meta_only_when_asked() {
        let html = "<html><body><nav><a href=/>Home</a></nav><article><h1>Standings</h1>\
            <p>The season ended on Sunday, and the table below shows where every team finished \
            after thirty games.</p><table><tr><th>Team</th><th>Points</th></tr>\
            <tr><td>Rovers</td><td>42</td></tr></table></article></body></html>";
        let run = |config: Value| {
            let stage = build(config).unwrap();
            let mut doc = Document::new("d", "");
            doc.html = Some(html.into());
            stage.process(&mut doc).unwrap();
            doc
        };
        assert!(!run(Value::Null).meta.contains_key("markdown"));
        let doc = run(json!({"markdown": true}));
        let markdown = doc.meta["markdown"].as_str().unwrap();
        assert!(
            markdown.contains("The season ended on Sunday"),
            "{markdown}"
        );
        // The Markdown is a view of the kept text: every line of it, markup aside, is there.
        let link_targets = regex::Regex::new(r"\]\([^)]*\)").unwrap();
        for line in markdown.lines().filter(|l| !l.is_empty()) {
            let unmarked = link_targets
                .replace_all(line, "")
                .replace(['[', '*', '\\'], "");
            let content = unmarked.trim_start_matches(['#', '-', '>', ' ']);
            assert!(
                doc.text.contains(content),
                "{content:?} not in {:?}",
                doc.text
            );
        }
    }

    #[test]
    fn captions_of_the_article_go_into_meta() {
        let html = "<html><body><nav><a href=/>Home</a> <a href=/news>News</a></nav><article>\
            <h1>Flood in the lower town</h1>\
            <p>The river rose above its banks on Sunday night, and by morning the water had \
            reached the doors of the old mill at the edge of the lower town.</p>\
            <figure><img src=a.jpg><figcaption>The old mill on Monday morning. Photo: \
            J. Smith</figcaption></figure>\
            <p>Residents of the lower town spent the night in the school, where volunteers \
            served soup and found them blankets until the water fell again.</p>\
            <p>Photo: Reuters</p>\
            <p>The council will decide on Thursday whether the dam must be repaired before the \
            autumn storms, the mayor said on Monday afternoon.</p></article>\
            <footer>© 2026 The Paper. All rights reserved.</footer></body></html>";
        let stage = build(Value::Null).unwrap();
        let mut doc = Document::new("d", "");
        doc.html = Some(html.into());
        stage.process(&mut doc).unwrap();
        let caption = "The old mill on Monday morning. Photo: J. Smith";
        assert_eq!(doc.meta["captions"], json!([caption, "Photo: Reuters"]));
        assert!(!doc.text.contains("Photo:"), "{}", doc.text);
        assert!(doc.text.contains("volunteers served soup"), "{}", doc.text);
        let removed = doc.removed.unwrap();
        assert!(removed
            .iter()
            .any(|r| r.text == caption && r.reason == "caption"));
    }

    #[test]
    fn awkward_texts_keep_the_invariants() {
        let stage = build(Value::Null).unwrap();
        textpipe_testkit::check_stage_on_awkward_texts(stage.as_ref(), |_| {});
        textpipe_testkit::check_stage_on_awkward_texts(stage.as_ref(), |doc| {
            doc.html = Some(format!("<p>{}</p>", doc.text));
        });
    }
}
