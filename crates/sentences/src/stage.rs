//! The `sentences` pipeline stage: config, factory and the stage over [`SentenceSplitter`].

use std::path::PathBuf;

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use textpipe_core::{
    parse_config, BuildContext, ConfigError, Document, Layer, Stage, StageError, StageFactory,
};

use crate::layout::NewlinePolicy;
use crate::splitter::{SentenceSplitter, SplitterError, SplitterOptions};

/// The `with` object of a `sentences` stage.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SentencesConfig {
    /// What a single line break means: `auto`, `split` or `join`.
    pub newlines: NewlinePolicy,
    /// Extra abbreviations that may end a sentence ("Approx.", "Dept.").
    pub abbreviations: Vec<String>,
    /// Lexicon files (relative to the pipeline file) in the format of the built-in lexicon.
    pub abbreviation_files: Vec<PathBuf>,
    /// Regular expressions no boundary may fall inside.
    pub never_split: Vec<String>,
    /// Regular expressions after which a sentence always ends (at the first capture group's
    /// start when there is one).
    pub always_split: Vec<String>,
}

/// The factory of the `sentences` stage kind.
pub struct SentencesFactory;

/// The `sentences` stage: fills the `sentences` layer.
#[derive(Debug, Clone, Default)]
pub struct SentencesStage {
    splitter: SentenceSplitter,
}

impl SentencesStage {
    /// A stage running `splitter`.
    pub fn new(splitter: SentenceSplitter) -> Self {
        SentencesStage { splitter }
    }

    /// Builds the stage from a parsed config, reading lexicon files through `ctx`.
    pub fn from_config(
        config: &SentencesConfig,
        ctx: &BuildContext,
    ) -> Result<Self, Vec<ConfigError>> {
        let mut errors = Vec::new();
        let mut lexicons = Vec::new();
        for (index, file) in config.abbreviation_files.iter().enumerate() {
            let path = ctx.resolve(file);
            match std::fs::read_to_string(&path) {
                Ok(text) => lexicons.push(text),
                Err(error) => errors.push(ConfigError::at(
                    &["abbreviation_files", &index.to_string()],
                    format!("cannot read {}: {error}", path.display()),
                )),
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let options = SplitterOptions {
            newlines: config.newlines,
            abbreviations: config.abbreviations.clone(),
            lexicons,
            never_split: config.never_split.clone(),
            always_split: config.always_split.clone(),
        };
        SentenceSplitter::with_options(&options)
            .map(SentencesStage::new)
            .map_err(|error| vec![config_error(config, error)])
    }
}

/// Names the config key a splitter error comes from.
fn config_error(config: &SentencesConfig, error: SplitterError) -> ConfigError {
    match &error {
        SplitterError::Lexicon { index, .. } => ConfigError::at(
            &["abbreviation_files", &index.to_string()],
            error.to_string(),
        ),
        SplitterError::Pattern { pattern, message } => {
            let find = |key: &'static str, list: &[String]| {
                list.iter()
                    .position(|p| p == pattern)
                    .map(|i| ConfigError::at(&[key, &i.to_string()], message.clone()))
            };
            find("never_split", &config.never_split)
                .or_else(|| find("always_split", &config.always_split))
                .unwrap_or_else(|| ConfigError::at(&[], error.to_string()))
        }
    }
}

impl Stage for SentencesStage {
    fn name(&self) -> &str {
        "sentences"
    }

    fn process(&self, doc: &mut Document) -> Result<(), StageError> {
        doc.sentences = Some(self.splitter.split(&doc.text));
        Ok(())
    }

    fn provides(&self) -> &[Layer] {
        &[Layer::Sentences]
    }
}

impl StageFactory for SentencesFactory {
    fn kind(&self) -> &str {
        "sentences"
    }

    fn summary(&self) -> &str {
        "Splits the text into sentences (rule-based, English abbreviations and layouts)"
    }

    fn config_schema(&self) -> Value {
        json!({
            "type": "object",
            "properties": {
                "newlines": {
                    "type": "string",
                    "enum": ["auto", "split", "join"],
                    "default": "auto",
                    "description": "What a single line break means: `split` ends a sentence at \
                        every line (headings, lists, one paragraph per line), `join` reads it as \
                        a space (hard-wrapped prose), `auto` decides per document. Blank lines \
                        always end a sentence."
                },
                "abbreviations": {
                    "type": "array",
                    "items": {"type": "string"},
                    "default": [],
                    "description": "Extra abbreviations that may end a sentence, written with \
                        their period (\"Approx.\", \"Dept.\")."
                },
                "abbreviation_files": {
                    "type": "array",
                    "items": {"type": "string"},
                    "default": [],
                    "description": "Lexicon files, relative to the pipeline file, in the \
                        format of the built-in English lexicon (sections name-prefix, \
                        continuing, number-prefix, general, units, sentence-openers, \
                        ordinal-markers, emoticons, speech-verbs, exclamation-names)."
                },
                "never_split": {
                    "type": "array",
                    "items": {"type": "string"},
                    "default": [],
                    "description": "Regular expressions no sentence boundary may fall inside."
                },
                "always_split": {
                    "type": "array",
                    "items": {"type": "string"},
                    "default": [],
                    "description": "Regular expressions after which a sentence always ends; \
                        with a capture group, the boundary falls at the group's start."
                }
            }
        })
    }

    fn example(&self) -> Value {
        json!({
            "newlines": "auto",
            "abbreviations": ["Approx.", "Dept."],
            "never_split": ["Fig\\. \\d+\\. [A-Z]"],
            "always_split": ["\\s(Q:)"]
        })
    }

    fn build(
        &self,
        config: &Value,
        ctx: &BuildContext,
    ) -> Result<Box<dyn Stage>, Vec<ConfigError>> {
        let config: SentencesConfig = parse_config(config)?;
        Ok(Box::new(SentencesStage::from_config(&config, ctx)?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn factory_passes_the_compliance_checks() {
        textpipe_testkit::check_factory(&SentencesFactory);
    }

    #[test]
    fn schema_documents_exactly_the_config_keys() {
        let defaults = serde_json::to_value(SentencesConfig::default()).unwrap();
        textpipe_testkit::check_schema_keys(&SentencesFactory, defaults);
    }

    #[test]
    fn stage_keeps_the_span_invariants_on_awkward_texts() {
        let stage = SentencesStage::default();
        textpipe_testkit::check_stage_on_awkward_texts(&stage, |_| {});
        assert_eq!(stage.provides(), &[Layer::Sentences]);
        assert!(stage.requires().is_empty());
    }

    #[test]
    fn config_mistakes_name_their_key() {
        let ctx = BuildContext::new(".");
        let errors = SentencesFactory
            .build(
                &json!({"never_split": ["ok", "("], "abbreviation_files": ["no/such/file.txt"]}),
                &ctx,
            )
            .err()
            .unwrap();
        assert_eq!(errors[0].path, ["abbreviation_files", "0"]);
        let errors = SentencesFactory
            .build(&json!({"never_split": ["ok", "("]}), &ctx)
            .err()
            .unwrap();
        assert_eq!(errors[0].path, ["never_split", "1"]);
        let errors = SentencesFactory
            .build(&json!({"newline": "split"}), &ctx)
            .err()
            .unwrap();
        assert_eq!(errors[0].suggestion.as_deref(), Some("newlines"));
    }

    #[test]
    fn lexicon_files_resolve_against_the_pipeline_folder() {
        let dir = std::env::temp_dir().join(format!("textpipe-sentences-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("extra.txt"), "[name-prefix]\nSupv.\n").unwrap();
        let stage = SentencesFactory
            .build(
                &json!({"abbreviation_files": ["extra.txt"]}),
                &BuildContext::new(&dir),
            )
            .unwrap();
        let mut doc = Document::new("1", "Ask Chief Supv. Morse. He knows.");
        stage.process(&mut doc).unwrap();
        std::fs::remove_dir_all(&dir).unwrap();
        assert_eq!(doc.sentence_text(0), Some("Ask Chief Supv. Morse."));
    }
}
