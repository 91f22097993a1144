//! The [`Summarizer`] stage and its [`SummarizeFactory`].
//!
//! The stage reads the document's `lang` through [`language_gate`]: a language without word
//! statistics ([`SUPPORTED_LANGUAGES`]) gets no summary and a skip note by default, since
//! English stop words and stems would make its "central" sentences the ones richest in
//! function words. A document without a `sentences` layer (the sentence stage left it out,
//! for the same reason or another) gets no summary and a skip note too, not an error.

use serde_json::Value;
use textpipe_core::checked_file::{read_to_string_checked, MAX_CONFIG_FILE_BYTES};
use textpipe_core::{
    language_gate, parse_config, BuildContext, ConfigError, Document, Layer, SkipNote, Stage,
    StageError, StageFactory, Summary, DEFAULT_LANGUAGE,
};

use crate::config::{Graph, Method, SummarizeConfig};
use crate::config::{SHIPPED_BBC, SHIPPED_NEWS};
use crate::features::{document_features, DocumentFeatures, FRAGMENT};
use crate::languages::SUPPORTED_LANGUAGES;
use crate::model::{LinearModel, BBC_WEIGHTS_JSON};
use crate::selection::choose_sentences;
use crate::terms::TermAnalyzer;

/// The stage's name, in skip notes and error records.
const STAGE_NAME: &str = "summarize";

/// The skip note's reason when a document reaches the stage without sentences.
const NO_SENTENCES_REASON: &str = "no `sentences` layer: the sentence stage left this document out";

/// Picks a document's most summarizing sentences and writes the `summary` layer.
///
/// ```
/// use textpipe_core::{Document, Span, Stage};
/// use textpipe_summarize::{Summarizer, SummarizeConfig};
///
/// let text = "Floods hit the town. Rescue teams reached the flooded town. A match was off.";
/// let mut doc = Document::new("1", text);
/// doc.sentences = Some(vec![Span::new(0, 20), Span::new(21, 59), Span::new(60, 76)]);
/// let config = SummarizeConfig { sentences: Some(1), ..SummarizeConfig::default() };
/// Summarizer::new(config).process(&mut doc).unwrap();
/// let summary = doc.summary.unwrap();
/// assert_eq!(summary.sentences.len(), 1);
/// assert_eq!(summary.scores.unwrap().len(), 3);
/// ```
#[derive(Debug)]
pub struct Summarizer {
    config: SummarizeConfig,
    model: LinearModel,
}

impl Summarizer {
    /// A summarizer with the shipped weights (the config's `weights` path is not read here;
    /// use [`SummarizeFactory`] or [`Summarizer::with_model`] for other weights).
    pub fn new(config: SummarizeConfig) -> Self {
        Summarizer::with_model(config, LinearModel::shipped())
    }

    /// A summarizer scoring with `model` when the method is `learned`.
    pub fn with_model(config: SummarizeConfig, model: LinearModel) -> Self {
        Summarizer { config, model }
    }

    /// The config in use.
    pub fn config(&self) -> &SummarizeConfig {
        &self.config
    }

    /// The features of `doc`'s sentences under the budget the config gives it (exposed for
    /// training and inspection), with the word statistics of its language (English when it
    /// has none or one without statistics).
    pub fn features(&self, doc: &Document) -> DocumentFeatures {
        document_features(doc, &analyzer_for(doc), self.config.budget_for(doc))
    }

    /// Every sentence's score under the configured method, higher is better.
    pub fn sentence_scores(&self, features: &DocumentFeatures) -> Vec<f32> {
        match self.config.method {
            Method::Lead => (0..features.rows.len())
                .map(|i| 1.0 / (i as f32 + 1.0))
                .collect(),
            Method::Centrality => match self.config.graph {
                Graph::Textrank => features.graph.textrank.clone(),
                Graph::Lexrank => features.graph.lexrank.clone(),
            },
            // Model scores lie in (0, 1), so a fragment (byline, dateline, stray numbers) scored
            // one lower ranks below every real sentence and is only taken when nothing else is
            // left: no weight learned from a hundred clean stories should let one through.
            Method::Learned => features
                .rows
                .iter()
                .map(|row| self.model.score(row) - row[FRAGMENT])
                .collect(),
        }
    }

    /// The summary of `doc`, which must have valid sentence spans, with the word statistics
    /// of its language (English when it has none or one without statistics; the stage
    /// itself skips such documents unless its `fallback` says otherwise).
    pub fn summarize(&self, doc: &Document) -> Result<Summary, StageError> {
        self.summarize_with(doc, &analyzer_for(doc))
    }

    fn summarize_with(
        &self,
        doc: &Document,
        analyzer: &TermAnalyzer,
    ) -> Result<Summary, StageError> {
        let spans = doc.sentences.as_ref().ok_or_else(|| {
            StageError::MissingInput("the `sentences` layer; run a sentence splitter first".into())
        })?;
        if let Some(bad) = spans.iter().find(|span| span.check(&doc.text).is_err()) {
            return Err(StageError::InvalidInput {
                message: "a sentence span does not slice the text".into(),
                span: Some(*bad),
            });
        }
        // The budget shapes the features (their share copies) and the selection alike.
        let budget = self.config.budget_for(doc);
        let features = document_features(doc, analyzer, budget);
        let scores = self.sentence_scores(&features);
        // Position scores are the ranking itself: a redundancy penalty would only disturb
        // the lead baseline.
        let redundancy = match self.config.method {
            Method::Lead => 0.0,
            _ => self.config.redundancy,
        };
        let chosen = choose_sentences(
            &scores,
            &features.words,
            &features.graph,
            budget,
            redundancy,
        );
        let text = chosen
            .iter()
            .map(|&i| doc.text[spans[i].start..spans[i].end].trim())
            .collect::<Vec<_>>()
            .join(" ");
        Ok(Summary {
            text,
            sentences: chosen,
            scores: Some(scores),
        })
    }
}

impl Stage for Summarizer {
    fn name(&self) -> &str {
        STAGE_NAME
    }

    fn process(&self, doc: &mut Document) -> Result<(), StageError> {
        let supported = |lang: &str| SUPPORTED_LANGUAGES.contains(&lang);
        let Some(lang) = language_gate(doc, STAGE_NAME, &supported, self.config.fallback)? else {
            return Ok(());
        };
        if doc.sentences.is_none() {
            doc.skipped.push(SkipNote {
                stage: STAGE_NAME.to_string(),
                reason: NO_SENTENCES_REASON.to_string(),
                lang: None,
            });
            return Ok(());
        }
        let analyzer = TermAnalyzer::for_language(&lang).unwrap_or_default();
        doc.summary = Some(self.summarize_with(doc, &analyzer)?);
        Ok(())
    }

    fn requires(&self) -> &[Layer] {
        &[Layer::Sentences]
    }

    fn provides(&self) -> &[Layer] {
        &[Layer::Summary]
    }
}

/// The analyzer for `doc`'s language, English when it has none or one without statistics.
fn analyzer_for(doc: &Document) -> TermAnalyzer {
    let lang = textpipe_core::primary_language(doc.lang.as_deref().unwrap_or(DEFAULT_LANGUAGE));
    TermAnalyzer::for_language(&lang).unwrap_or_default()
}

/// Builds [`Summarizer`]s for pipeline files (`"stage": "summarize"`).
#[derive(Debug, Clone, Copy, Default)]
pub struct SummarizeFactory;

impl SummarizeFactory {
    /// Parses, validates and loads everything a config names.
    pub fn summarizer(config: &Value, ctx: &BuildContext) -> Result<Summarizer, Vec<ConfigError>> {
        let config: SummarizeConfig = parse_config(config)?;
        config.validate()?;
        let model = match config.weights.as_deref() {
            None | Some(SHIPPED_NEWS) => LinearModel::shipped(),
            Some(SHIPPED_BBC) => LinearModel::from_json(BBC_WEIGHTS_JSON)
                .expect("the shipped weights match the feature set (checked by a test)"),
            Some(path) => {
                let path = ctx.resolve(path);
                let json = read_to_string_checked(&path, MAX_CONFIG_FILE_BYTES).map_err(|e| {
                    vec![ConfigError::at(
                        &["weights"],
                        format!("cannot read {}: {e}", path.display()),
                    )]
                })?;
                LinearModel::from_json(&json).map_err(|e| {
                    vec![ConfigError::at(
                        &["weights"],
                        format!("{}: {e}", path.display()),
                    )]
                })?
            }
        };
        Ok(Summarizer::with_model(config, model))
    }
}

impl StageFactory for SummarizeFactory {
    fn kind(&self) -> &str {
        "summarize"
    }

    fn summary(&self) -> &str {
        "Extractive summary: picks the most summarizing sentences under a sentence, ratio or word budget"
    }

    fn config_schema(&self) -> Value {
        SummarizeConfig::schema()
    }

    fn languages(&self) -> Option<Vec<String>> {
        Some(SUPPORTED_LANGUAGES.map(String::from).to_vec())
    }

    fn example(&self) -> Value {
        SummarizeConfig::example()
    }

    fn build(
        &self,
        config: &Value,
        ctx: &BuildContext,
    ) -> Result<Box<dyn Stage>, Vec<ConfigError>> {
        Ok(Box::new(SummarizeFactory::summarizer(config, ctx)?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::json;
    use textpipe_core::Span;

    /// Sentence spans at every `.`, `!` or `?` followed by a space, enough for tests.
    fn split_at_terminators(doc: &mut Document) {
        let mut spans = Vec::new();
        let mut start = 0;
        for (i, c) in doc.text.char_indices() {
            if matches!(c, '.' | '!' | '?') {
                let end = i + c.len_utf8();
                if doc.text[end..].starts_with(' ') || end == doc.text.len() {
                    spans.push(Span::new(start, end));
                    start = end + usize::from(end < doc.text.len());
                }
            }
        }
        if start < doc.text.len() {
            spans.push(Span::new(start, doc.text.len()));
        }
        doc.sentences = Some(spans);
    }

    #[test]
    fn factory_complies() {
        textpipe_testkit::check_factory(&SummarizeFactory);
    }

    #[test]
    fn never_breaks_spans_on_awkward_texts() {
        for config in [
            json!({}),
            json!({"method": "centrality", "ratio": 0.5}),
            json!({"words": 3}),
        ] {
            let stage = SummarizeFactory::summarizer(&config, &BuildContext::new(".")).unwrap();
            textpipe_testkit::check_stage_on_awkward_texts(&stage, split_at_terminators);
        }
    }

    #[test]
    fn lead_takes_the_first_sentences_and_documents_without_sentences_are_skipped() {
        let stage = SummarizeFactory::summarizer(
            &json!({"method": "lead", "sentences": 2}),
            &BuildContext::new("."),
        )
        .unwrap();
        let mut doc = Document::new("d", "One here. Two here. Three here.");
        // The sentence stage left this document out: no summary, a note saying why.
        stage.process(&mut doc).unwrap();
        assert_eq!(doc.summary, None);
        assert_eq!(doc.skipped.len(), 1);
        assert_eq!(doc.skipped[0].stage, "summarize");
        assert_eq!(doc.skipped[0].reason, NO_SENTENCES_REASON);
        assert!(matches!(
            stage.summarize(&doc),
            Err(StageError::MissingInput(_))
        ));
        doc.skipped.clear();
        split_at_terminators(&mut doc);
        stage.process(&mut doc).unwrap();
        let summary = doc.summary.unwrap();
        assert_eq!(summary.sentences, [0, 1]);
        assert_eq!(summary.text, "One here. Two here.");
    }

    #[test]
    fn empty_and_one_sentence_documents_get_summaries() {
        let stage = Summarizer::new(SummarizeConfig::default());
        let mut empty = Document::new("e", "");
        empty.sentences = Some(vec![]);
        stage.process(&mut empty).unwrap();
        assert_eq!(empty.summary.unwrap().sentences, Vec::<usize>::new());
        let mut one = Document::new("o", "Just this.");
        split_at_terminators(&mut one);
        stage.process(&mut one).unwrap();
        assert_eq!(one.summary.unwrap().text, "Just this.");
    }

    #[test]
    fn shipped_weights_are_chosen_by_name() {
        let ctx = BuildContext::new(".");
        let bbc = SummarizeFactory::summarizer(&json!({"weights": "bbc"}), &ctx).unwrap();
        let news = SummarizeFactory::summarizer(&json!({"weights": "news"}), &ctx).unwrap();
        assert_ne!(bbc.model, news.model);
        assert_eq!(news.model, LinearModel::shipped());
    }

    #[test]
    fn a_bad_weights_file_is_a_config_error() {
        let errors = SummarizeFactory::summarizer(
            &json!({"weights": "no/such/weights.json"}),
            &BuildContext::new("."),
        )
        .unwrap_err();
        assert_eq!(errors[0].path, ["weights"]);
    }

    #[test]
    fn never_breaks_spans_on_awkward_texts_in_any_language() {
        let stage = Summarizer::new(SummarizeConfig::default());
        for lang in SUPPORTED_LANGUAGES {
            textpipe_testkit::check_stage_on_awkward_texts(&stage, |doc| {
                doc.lang = Some(lang.to_string());
                split_at_terminators(doc);
            });
        }
    }

    proptest! {
        #[test]
        fn any_cjk_or_arabic_text_gets_a_valid_summary(
            text in "[\\p{Han}\\p{Hiragana}\\p{Katakana}\\p{Arabic}\\u{064B}-\\u{0652}ー々。、！？؟.!? a-zA-Z0-9İı]{0,200}",
            lang in proptest::sample::select(SUPPORTED_LANGUAGES.to_vec()),
            budget in 1usize..5,
        ) {
            let stage = Summarizer::new(SummarizeConfig {
                sentences: Some(budget),
                method: Method::Centrality,
                ..SummarizeConfig::default()
            });
            let mut doc = Document::new("p", text);
            doc.lang = Some(lang.to_string());
            split_at_terminators(&mut doc);
            let count = doc.sentence_spans().len();
            stage.process(&mut doc).unwrap();
            doc.check_spans().unwrap();
            let summary = doc.summary.unwrap();
            prop_assert!(summary.sentences.len() <= budget.min(count));
            prop_assert!(summary.scores.unwrap().iter().all(|s| s.is_finite()));
        }

        #[test]
        fn any_text_gets_a_valid_summary(text in "\\PC{0,200}", budget in 1usize..5) {
            let stage = Summarizer::new(SummarizeConfig {
                sentences: Some(budget),
                redundancy: 0.5,
                ..SummarizeConfig::default()
            });
            let mut doc = Document::new("p", text);
            split_at_terminators(&mut doc);
            let count = doc.sentence_spans().len();
            stage.process(&mut doc).unwrap();
            doc.check_spans().unwrap();
            let summary = doc.summary.unwrap();
            prop_assert!(summary.sentences.len() <= budget.min(count));
            prop_assert!(summary.sentences.windows(2).all(|w| w[0] < w[1]));
            prop_assert_eq!(summary.scores.unwrap().len(), count);
        }
    }
}
