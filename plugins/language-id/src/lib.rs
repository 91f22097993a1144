//! The `language-id` plugin stage: which language a document is written in, and each of its
//! sentences, with a confidence, into `ext["language-id"]`.
//!
//! News crawls mix languages: a German page quoting an English statement, an English site with
//! a Spanish edition. Downstream stages (an English entity model, a summarizer's stopwords)
//! want to know, so this stage labels every document and, when the document has sentences,
//! every sentence:
//!
//! ```json
//! {"language-id": {"language": "eng", "name": "English", "script": "Latin",
//!                  "confidence": 0.97, "reliable": true,
//!                  "sentences": [{"language": "eng", "confidence": 0.91}, ...]}}
//! ```
//!
//! Detection is [whatlang](https://docs.rs/whatlang): trigram profiles of 69 languages, no
//! model file to ship, microseconds per sentence. Codes are ISO 639-3. A detection below
//! `min_confidence` is reported as `und` (undetermined, as in BCP 47) with its confidence, so a
//! reader can still see how close it was; `allow` restricts the candidates when a crawl is known
//! to hold only a few languages, which also makes short sentences far more reliable.
//!
//! It is built as a plugin with the textpipe SDK, like a team's own stage would be: see
//! `export_plugin!` at the bottom.
#![deny(missing_docs)]

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use textpipe_core::{
    parse_config, BuildContext, ConfigError, Document, Stage, StageError, StageFactory,
};
use whatlang::{Detector, Lang};

/// The key under `ext` this stage writes.
pub const EXT_KEY: &str = "language-id";

/// The code reported when no language reaches `min_confidence` (BCP 47's "undetermined").
pub const UNDETERMINED: &str = "und";

/// Options of the `language-id` stage.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct LanguageIdConfig {
    /// Detections less confident than this are reported as `und`.
    pub min_confidence: f64,
    /// Also label each sentence (when the document has a sentence layer).
    pub per_sentence: bool,
    /// ISO 639-3 codes the detector may choose from; empty: all it knows.
    pub allow: Vec<String>,
}

impl Default for LanguageIdConfig {
    fn default() -> Self {
        LanguageIdConfig {
            min_confidence: 0.0,
            per_sentence: true,
            allow: Vec::new(),
        }
    }
}

/// Builds `language-id` stages.
#[derive(Debug, Default)]
pub struct LanguageIdFactory;

impl StageFactory for LanguageIdFactory {
    fn kind(&self) -> &str {
        "language-id"
    }

    fn summary(&self) -> &str {
        "Document and per-sentence language (ISO 639-3) with confidence into ext.language-id"
    }

    fn config_schema(&self) -> Value {
        json!({
            "type": "object",
            "properties": {
                "min_confidence": {"type": "number", "default": 0.0,
                    "description": "Detections less confident than this (0..1) are reported as `und`"},
                "per_sentence": {"type": "boolean", "default": true,
                    "description": "Also label each sentence when the document has sentences"},
                "allow": {"type": "array", "items": {"type": "string"}, "default": [],
                    "description": "ISO 639-3 codes to choose from (e.g. [\"eng\", \"deu\"]); empty: all"}
            }
        })
    }

    fn example(&self) -> Value {
        json!({"min_confidence": 0.5, "per_sentence": true, "allow": ["eng", "deu", "fra", "spa"]})
    }

    fn build(
        &self,
        config: &Value,
        _ctx: &BuildContext,
    ) -> Result<Box<dyn Stage>, Vec<ConfigError>> {
        let config: LanguageIdConfig = parse_config(config)?;
        Ok(Box::new(LanguageId::new(config)?))
    }
}

/// The `language-id` stage.
pub struct LanguageId {
    detector: Detector,
    min_confidence: f64,
    per_sentence: bool,
}

impl LanguageId {
    /// A stage with `config`; every unknown code of `allow` and a confidence outside `0..=1`
    /// are reported.
    pub fn new(config: LanguageIdConfig) -> Result<Self, Vec<ConfigError>> {
        let mut errors = Vec::new();
        if !(0.0..=1.0).contains(&config.min_confidence) {
            errors.push(ConfigError::at(
                &["min_confidence"],
                "must be between 0 and 1",
            ));
        }
        let mut allowed = Vec::new();
        for (i, code) in config.allow.iter().enumerate() {
            match Lang::from_code(code.to_ascii_lowercase()) {
                Some(lang) => allowed.push(lang),
                None => errors.push(ConfigError::at(
                    &["allow", &i.to_string()],
                    format!("`{code}` is not an ISO 639-3 code this detector knows (e.g. eng, deu, fra)"),
                )),
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let detector = if allowed.is_empty() {
            Detector::new()
        } else {
            Detector::with_allowlist(allowed)
        };
        Ok(LanguageId {
            detector,
            min_confidence: config.min_confidence,
            per_sentence: config.per_sentence,
        })
    }

    /// The language of `text`: code (or `und`), confidence, and whatlang's info when found.
    fn detect(&self, text: &str) -> (String, f64, Option<whatlang::Info>) {
        match self.detector.detect(text) {
            Some(info) if info.confidence() >= self.min_confidence => (
                info.lang().code().to_string(),
                info.confidence(),
                Some(info),
            ),
            Some(info) => (UNDETERMINED.to_string(), info.confidence(), None),
            None => (UNDETERMINED.to_string(), 0.0, None),
        }
    }
}

/// Confidence rounded to 3 decimals: more digits are noise and only bloat the output.
fn rounded(confidence: f64) -> f64 {
    (confidence * 1000.0).round() / 1000.0
}

impl Stage for LanguageId {
    fn name(&self) -> &str {
        "language-id"
    }

    fn process(&self, doc: &mut Document) -> Result<(), StageError> {
        let (language, confidence, info) = self.detect(&doc.text);
        let mut result = json!({"language": language, "confidence": rounded(confidence)});
        if let Some(info) = info {
            result["name"] = json!(info.lang().eng_name());
            result["script"] = json!(info.script().name());
            result["reliable"] = json!(info.is_reliable());
        }
        if self.per_sentence && doc.sentences.is_some() {
            let sentences: Vec<Value> = doc
                .sentence_spans()
                .iter()
                .map(|span| {
                    let (language, confidence, _) =
                        self.detect(span.slice(&doc.text).unwrap_or(""));
                    json!({"language": language, "confidence": rounded(confidence)})
                })
                .collect();
            result["sentences"] = Value::Array(sentences);
        }
        doc.ext.insert(EXT_KEY.to_string(), result);
        Ok(())
    }
}

// The per-sentence labels need the sentence layer when a document has one; the stage does not
// require it (a document without sentences gets a label for the whole text), so it says it
// reads it.
textpipe_plugin::export_plugin! {
    name: env!("CARGO_PKG_NAME"),
    version: env!("CARGO_PKG_VERSION"),
    stages: [LanguageIdFactory { reads: ["sentences"] }],
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use textpipe_core::Span;

    fn stage(config: Value) -> Box<dyn Stage> {
        LanguageIdFactory
            .build(&config, &BuildContext::default())
            .unwrap()
    }

    #[test]
    fn factory_complies_and_schema_matches_config() {
        textpipe_testkit::check_factory(&LanguageIdFactory);
        let schema = LanguageIdFactory.config_schema();
        let documented: Vec<&String> = schema["properties"].as_object().unwrap().keys().collect();
        let config = serde_json::to_value(LanguageIdConfig::default()).unwrap();
        let mut actual: Vec<&String> = config.as_object().unwrap().keys().collect();
        actual.sort();
        assert_eq!(documented, actual);
    }

    #[test]
    fn labels_document_and_sentences_of_a_mixed_text() {
        let text = "The city council approved the new tram line on Monday after a long debate. \
                    Der Stadtrat hat am Montag die neue Straßenbahnlinie nach langer Debatte genehmigt.";
        let mut doc = Document::new("1", text);
        let split = text.find("Der").unwrap();
        doc.sentences = Some(vec![Span::new(0, split - 1), Span::new(split, text.len())]);
        stage(json!({"allow": ["eng", "deu", "fra"]}))
            .process(&mut doc)
            .unwrap();
        let result = &doc.ext[EXT_KEY];
        let sentences = result["sentences"].as_array().unwrap();
        assert_eq!(sentences[0]["language"], "eng");
        assert_eq!(sentences[1]["language"], "deu");
        assert!(result["confidence"].as_f64().unwrap() >= 0.0);
    }

    #[test]
    fn an_english_article_is_english_with_high_confidence() {
        let mut doc = Document::new(
            "1",
            "Officials said the storm had moved north overnight, leaving thousands of homes \
             without power and closing several roads across the region.",
        );
        stage(Value::Null).process(&mut doc).unwrap();
        let result = &doc.ext[EXT_KEY];
        assert_eq!(result["language"], "eng");
        assert_eq!(result["name"], "English");
        assert!(result["confidence"].as_f64().unwrap() > 0.5, "{result}");
        assert!(
            result.get("sentences").is_none(),
            "no sentence layer, no per-sentence labels"
        );
    }

    #[test]
    fn below_min_confidence_is_undetermined() {
        let mut doc = Document::new("1", "ok");
        stage(json!({"min_confidence": 1.0}))
            .process(&mut doc)
            .unwrap();
        assert_eq!(doc.ext[EXT_KEY]["language"], UNDETERMINED);
    }

    #[test]
    fn bad_config_reports_every_problem() {
        let errors = LanguageIdFactory
            .build(
                &json!({"min_confidence": 2.0, "allow": ["eng", "xx"]}),
                &BuildContext::default(),
            )
            .err()
            .unwrap();
        assert_eq!(errors.len(), 2, "{errors:?}");
        assert_eq!(errors[1].path, ["allow", "1"]);
    }

    #[test]
    fn awkward_texts_keep_invariants() {
        let stage = stage(Value::Null);
        textpipe_testkit::check_stage_on_awkward_texts(&*stage, |doc| {
            doc.sentences = Some(vec![Span::new(0, doc.text.len())]);
        });
    }

    proptest! {
        #[test]
        fn never_fails_on_any_text(text in "\\PC{0,200}") {
            let stage = stage(Value::Null);
            let mut doc = Document::new("p", text);
            doc.sentences = Some(vec![Span::new(0, doc.text.len())]);
            prop_assert!(stage.process(&mut doc).is_ok());
            prop_assert!(doc.ext.contains_key(EXT_KEY));
        }
    }
}
