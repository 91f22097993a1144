//! The `summarize` stage's config: how sentences are scored and how many are kept.

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use textpipe_core::{ConfigError, Document, LanguageFallback};

/// How sentences are scored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Method {
    /// The learned mix of every feature (position, centrality, title, entities, length).
    #[default]
    Learned,
    /// The first sentences, in order: the classic news baseline.
    Lead,
    /// Graph centrality alone (see [`Graph`]).
    Centrality,
}

/// Which graph ranker `method: "centrality"` uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Graph {
    /// Edges count the words two sentences share over their log lengths (Mihalcea & Tarau),
    /// over unstemmed whitespace tokens without NLTK's stop words: the best scorer on
    /// BBC-style extractive references.
    #[default]
    Textrank,
    /// Cosine similarity of TF-IDF vectors.
    Lexrank,
}

/// How much of the document a summary may hold. Sentences are never cut.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Budget {
    /// At most this many sentences.
    Sentences(usize),
    /// This share of the document's sentences, rounded up (at least one).
    Ratio(f64),
    /// As many of the best sentences as fit in this many words; a sentence that does not fit
    /// is skipped for a shorter one, so the summary may be empty if none fits.
    Words(usize),
}

/// Name of the shipped news weights (the default): lead-like for short summaries and
/// centrality-led for long ones, fitted on CNN/DailyMail and BBC News together.
pub const SHIPPED_NEWS: &str = "news";

/// Name of the shipped BBC-style weights: centrality-led, fitted on BBC News references.
pub const SHIPPED_BBC: &str = "bbc";

/// Sentences kept when no budget is configured.
pub const DEFAULT_SENTENCES: usize = 3;

/// Config of the `summarize` stage (its `with` object).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SummarizeConfig {
    /// How sentences are scored.
    pub method: Method,
    /// Budget in sentences (default 3 when no budget is set).
    pub sentences: Option<usize>,
    /// Budget as a share of the document's sentences.
    pub ratio: Option<f64>,
    /// Budget in words.
    pub words: Option<usize>,
    /// A `meta` field holding a per-document sentence budget; it wins over the configured
    /// budget when a document has it.
    pub budget_meta_key: Option<String>,
    /// Graph ranker of `method: "centrality"`.
    pub graph: Graph,
    /// Weight of the redundancy penalty (maximal marginal relevance): a candidate's score
    /// minus this times its highest cosine similarity to an already chosen sentence.
    pub redundancy: f32,
    /// The learned method's weights: a shipped set by name ([`SHIPPED_NEWS`], the default, or
    /// [`SHIPPED_BBC`]) or a weights file written by the trainer.
    pub weights: Option<String>,
    /// What a document in a language without word statistics gets (see
    /// [`crate::languages::SUPPORTED_LANGUAGES`]): no summary and a skip note (`skip`, the
    /// default), a summary with the English statistics (`english`), or an error (`error`).
    pub fallback: LanguageFallback,
}

impl Default for SummarizeConfig {
    fn default() -> Self {
        SummarizeConfig {
            method: Method::Learned,
            sentences: None,
            ratio: None,
            words: None,
            budget_meta_key: None,
            graph: Graph::Textrank,
            redundancy: DEFAULT_REDUNDANCY,
            weights: None,
            fallback: LanguageFallback::Skip,
        }
    }
}

/// Default redundancy penalty, chosen by cross-validation (see the crate README).
pub const DEFAULT_REDUNDANCY: f32 = 0.0;

impl SummarizeConfig {
    /// Every problem of the config at once.
    pub fn validate(&self) -> Result<(), Vec<ConfigError>> {
        let mut errors = Vec::new();
        let set = [
            self.sentences.map(|_| "sentences"),
            self.ratio.map(|_| "ratio"),
            self.words.map(|_| "words"),
        ];
        let set: Vec<&str> = set.into_iter().flatten().collect();
        if set.len() > 1 {
            errors.push(ConfigError::at(
                &[set[1]],
                format!("set only one budget, not {}", set.join(" and ")),
            ));
        }
        if self.sentences == Some(0) {
            errors.push(ConfigError::at(&["sentences"], "must be at least 1"));
        }
        if self.words == Some(0) {
            errors.push(ConfigError::at(&["words"], "must be at least 1"));
        }
        if let Some(ratio) = self.ratio {
            if !(ratio > 0.0 && ratio <= 1.0) {
                errors.push(ConfigError::at(&["ratio"], "must be in (0, 1]"));
            }
        }
        if !(0.0..=10.0).contains(&self.redundancy) {
            errors.push(ConfigError::at(&["redundancy"], "must be in [0, 10]"));
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }

    /// The configured budget, without looking at any document.
    pub fn budget(&self) -> Budget {
        match (self.sentences, self.ratio, self.words) {
            (_, Some(ratio), _) => Budget::Ratio(ratio),
            (_, _, Some(words)) => Budget::Words(words),
            (Some(n), _, _) => Budget::Sentences(n),
            _ => Budget::Sentences(DEFAULT_SENTENCES),
        }
    }

    /// The budget for `doc`: its `budget_meta_key` field when it holds a whole number
    /// (or a string of one), else the configured budget.
    pub fn budget_for(&self, doc: &Document) -> Budget {
        let from_meta = self
            .budget_meta_key
            .as_ref()
            .and_then(|key| doc.meta.get(key))
            .and_then(|value| match value {
                Value::Number(n) => n.as_u64(),
                Value::String(s) => s.trim().parse().ok(),
                _ => None,
            });
        match from_meta {
            Some(n) => Budget::Sentences(usize::try_from(n).unwrap_or(usize::MAX)),
            None => self.budget(),
        }
    }

    /// The JSON schema of the config, printed by `textpipe stages`.
    pub fn schema() -> Value {
        json!({
            "type": "object",
            "properties": {
                "method": {"type": "string", "enum": ["learned", "lead", "centrality"], "default": "learned",
                    "description": "How sentences are scored: the learned mix of position, centrality, title overlap, entity density and length; the first sentences; or graph centrality alone."},
                "sentences": {"type": ["integer", "null"], "minimum": 1, "default": null,
                    "description": "Budget: at most this many sentences (3 when no budget is set)."},
                "ratio": {"type": ["number", "null"], "default": null,
                    "description": "Budget: this share of the document's sentences, rounded up, at least one."},
                "words": {"type": ["integer", "null"], "minimum": 1, "default": null,
                    "description": "Budget: the best sentences that fit in this many words; sentences are never cut."},
                "budget_meta_key": {"type": ["string", "null"], "default": null,
                    "description": "A meta field with a per-document sentence budget (e.g. `budget_sentences`), used when present."},
                "graph": {"type": "string", "enum": ["textrank", "lexrank"], "default": "textrank",
                    "description": "Graph ranker for method `centrality`: TextRank (shared words over log lengths), or LexRank cosine over TF-IDF."},
                "redundancy": {"type": "number", "default": DEFAULT_REDUNDANCY,
                    "description": "Penalty on similarity to already chosen sentences (maximal marginal relevance); 0 turns it off."},
                "weights": {"type": ["string", "null"], "default": null,
                    "description": "Weights of the learned method: `news` (the default: lead-like for short summaries, centrality-led for long ones; fitted on CNN/DailyMail and BBC News), `bbc` (centrality-led, fitted on BBC News extractive references), or a weights file written by the trainer, relative to the pipeline file."},
                "fallback": {"type": "string", "enum": LanguageFallback::NAMES, "default": "skip",
                    "description": "A document in a language without word statistics (stop words, tokenizer, stemmer): `skip` leaves its summary out and records a skip note, `english` summarizes it with the English statistics, `error` fails it."}
            }
        })
    }

    /// An example config for documentation and the compliance test.
    pub fn example() -> Value {
        json!({"method": "learned", "sentences": 3, "redundancy": 0.2})
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use textpipe_core::parse_config;

    #[test]
    fn schema_documents_exactly_the_config_keys() {
        let defaults = serde_json::to_value(SummarizeConfig::default()).unwrap();
        textpipe_testkit::check_schema_keys(&crate::SummarizeFactory, defaults);
    }

    #[test]
    fn two_budgets_and_bad_values_are_all_reported() {
        let config: SummarizeConfig = parse_config(&json!({"sentences": 0, "ratio": 1.5})).unwrap();
        let errors = config.validate().unwrap_err();
        assert_eq!(errors.len(), 3, "{errors:?}");
    }

    #[test]
    fn a_meta_budget_wins_when_the_document_has_one() {
        let config: SummarizeConfig =
            parse_config(&json!({"ratio": 0.5, "budget_meta_key": "budget"})).unwrap();
        let mut doc = Document::new("d", "x");
        assert_eq!(config.budget_for(&doc), Budget::Ratio(0.5));
        doc.meta.insert("budget".into(), json!(4));
        assert_eq!(config.budget_for(&doc), Budget::Sentences(4));
        doc.meta.insert("budget".into(), json!("two"));
        assert_eq!(config.budget_for(&doc), Budget::Ratio(0.5));
        assert_eq!(SummarizeConfig::default().budget(), Budget::Sentences(3));
    }
}
