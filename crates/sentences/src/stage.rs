//! The `sentences` pipeline stage: config, factory and the stage over one [`SentenceSplitter`]
//! per built-in language.
//!
//! A document is split with the rules of its `lang` (its primary subtag: `pt-BR` is `pt`). A
//! document in a language without rules is not split as if it were English: by default its
//! `sentences` layer is left out and a skip note says why (`fallback` chooses English rules or
//! an error record instead). A pipeline without language identification can name the language
//! of all its documents with `lang`.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use textpipe_core::checked_file::{read_to_string_checked, MAX_CONFIG_FILE_BYTES};
use textpipe_core::{
    language_gate, parse_config, BuildContext, ConfigError, Document, LanguageFallback, Layer,
    Stage, StageError, StageFactory,
};

use crate::layout::NewlinePolicy;
use crate::lexicon::LANGUAGES;
use crate::splitter::{SentenceSplitter, SplitterError, SplitterOptions};

/// The `with` object of a `sentences` stage.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SentencesConfig {
    /// The language of every document (a primary subtag such as `de`), overriding each
    /// document's own `lang`; for pipelines without language identification.
    pub lang: Option<String>,
    /// What to do with a document in a language without built-in rules.
    pub fallback: LanguageFallback,
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

/// The `sentences` stage: fills the `sentences` layer with the rules of the document's language.
#[derive(Debug, Clone)]
pub struct SentencesStage {
    /// One splitter per language, in the order of [`LANGUAGES`].
    splitters: Vec<(&'static str, SentenceSplitter)>,
    /// The splitter every document gets, whatever its `lang`, when the config names one.
    forced: Option<SentenceSplitter>,
    fallback: LanguageFallback,
}

impl Default for SentencesStage {
    fn default() -> Self {
        SentencesStage {
            splitters: LANGUAGES
                .iter()
                .map(|&lang| {
                    let splitter =
                        SentenceSplitter::for_language(lang).expect("every listed language");
                    (lang, splitter)
                })
                .collect(),
            forced: None,
            fallback: LanguageFallback::Skip,
        }
    }
}

impl SentencesStage {
    /// A stage running `splitter` on every document, whatever its language.
    pub fn new(splitter: SentenceSplitter) -> Self {
        SentencesStage {
            splitters: Vec::new(),
            forced: Some(splitter),
            fallback: LanguageFallback::Skip,
        }
    }

    /// The splitter for a primary language subtag, if the stage has rules for it.
    fn splitter_for(&self, lang: &str) -> Option<&SentenceSplitter> {
        self.splitters
            .iter()
            .find(|(known, _)| *known == lang)
            .map(|(_, splitter)| splitter)
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
            match read_to_string_checked(&path, MAX_CONFIG_FILE_BYTES) {
                Ok(text) => lexicons.push(text),
                Err(error) => errors.push(ConfigError::at(
                    &["abbreviation_files", &index.to_string()],
                    format!("cannot read {}: {error}", path.display()),
                )),
            }
        }
        if let Some(lang) = &config.lang {
            if !LANGUAGES.contains(&lang.as_str()) {
                errors.push(ConfigError::at(
                    &["lang"],
                    format!(
                        "no sentence rules for `{lang}`; built in: {}",
                        LANGUAGES.join(", ")
                    ),
                ));
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        // The pipeline's extensions (abbreviations, lexicon files, patterns) apply to every
        // language: they name the corpus's conventions, not a language's.
        let build = |lang: &str| {
            let options = SplitterOptions {
                language: Some(lang.to_string()),
                newlines: config.newlines,
                abbreviations: config.abbreviations.clone(),
                lexicons: lexicons.clone(),
                never_split: config.never_split.clone(),
                always_split: config.always_split.clone(),
            };
            SentenceSplitter::with_options(&options)
                .map_err(|error| vec![config_error(config, error)])
        };
        if let Some(lang) = &config.lang {
            let mut stage = SentencesStage::new(build(lang)?);
            stage.fallback = config.fallback;
            return Ok(stage);
        }
        let splitters = LANGUAGES
            .iter()
            .map(|&lang| Ok((lang, build(lang)?)))
            .collect::<Result<_, Vec<ConfigError>>>()?;
        Ok(SentencesStage {
            splitters,
            forced: None,
            fallback: config.fallback,
        })
    }
}

/// Names the config key a splitter error comes from.
fn config_error(config: &SentencesConfig, error: SplitterError) -> ConfigError {
    match &error {
        SplitterError::UnknownLanguage { .. } => ConfigError::at(&["lang"], error.to_string()),
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
        // A CoNLL file says where its sentences end; a splitter can only guess (and CoNLL-2002
        // writes periods inside names, "BM. GRANOLLERS", where it would cut).
        if doc.is_conll_corpus_text() && doc.sentences.is_some() {
            return Ok(());
        }
        let splitter = match &self.forced {
            Some(splitter) => splitter,
            None => {
                let supported = |lang: &str| self.splitter_for(lang).is_some();
                let Some(lang) = language_gate(doc, "sentences", &supported, self.fallback)? else {
                    return Ok(());
                };
                self.splitter_for(&lang)
                    .expect("language_gate returns a supported language or English")
            }
        };
        doc.sentences = Some(splitter.split(&doc.text));
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
        "Splits the text into sentences (rule-based; abbreviations, ordinals and punctuation of 16 languages)"
    }

    fn languages(&self) -> Option<Vec<String>> {
        Some(LANGUAGES.iter().map(|lang| lang.to_string()).collect())
    }

    fn config_schema(&self) -> Value {
        json!({
            "type": "object",
            "properties": {
                "lang": {
                    "type": "string",
                    "enum": LANGUAGES,
                    "description": "The language of every document, overriding each document's \
                        own `lang` (for pipelines without language identification). Without it, \
                        each document is split with the rules of its `lang` (English when it \
                        has none)."
                },
                "fallback": {
                    "type": "string",
                    "enum": LanguageFallback::NAMES,
                    "default": "skip",
                    "description": "A document in a language without built-in rules: `skip` \
                        leaves its sentences out and records a skip note, `english` splits it \
                        with the English rules, `error` fails it."
                },
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
                        format of the built-in lexicons (sections name-prefix, continuing, \
                        number-prefix, general, units, sentence-openers, headline-openers, \
                        ordinal-markers, emoticons, speech-verbs, exclamation-names, rules); \
                        they extend every language."
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
            "fallback": "skip",
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
    fn a_conll_files_own_sentences_are_kept() {
        let stage = SentencesStage::default();
        let text = "Gana el BM. GRANOLLERS .\nOtra frase .";
        let file_sentences = vec![
            textpipe_core::Span::new(0, 24),
            textpipe_core::Span::new(25, 36),
        ];
        let mut doc = Document::new("f.conll:1", text);
        doc.lang = Some("es".into());
        doc.sentences = Some(file_sentences.clone());
        doc.meta
            .insert("format".into(), textpipe_core::CONLL_FORMAT.into());
        stage.process(&mut doc).unwrap();
        assert_eq!(doc.sentences, Some(file_sentences.clone()));
        // Any other document is split afresh, whatever layer it came with.
        doc.meta.remove("format");
        stage.process(&mut doc).unwrap();
        assert_ne!(doc.sentences, Some(file_sentences));
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

    fn document(lang: Option<&str>, text: &str) -> Document {
        let mut doc = Document::new("1", text);
        doc.lang = lang.map(str::to_string);
        doc
    }

    #[test]
    fn a_language_without_rules_gets_no_sentences_and_a_skip_note() {
        let stage = SentencesFactory
            .build(&json!({}), &BuildContext::new("."))
            .unwrap();
        let mut doc = document(Some("fi"), "Hyvää huomenta. Mitä kuuluu?");
        stage.process(&mut doc).unwrap();
        assert_eq!(doc.sentences, None);
        assert_eq!(doc.skipped.len(), 1);
        assert_eq!(doc.skipped[0].stage, "sentences");
        assert_eq!(doc.skipped[0].reason, "no model for lang=fi");
    }

    #[test]
    fn the_fallback_key_chooses_english_rules_or_an_error() {
        let ctx = BuildContext::new(".");
        let english = SentencesFactory
            .build(&json!({"fallback": "english"}), &ctx)
            .unwrap();
        let mut doc = document(Some("fi"), "Hyvää huomenta. Mitä kuuluu?");
        english.process(&mut doc).unwrap();
        assert_eq!(doc.sentences.as_ref().map(Vec::len), Some(2));
        assert!(doc.skipped.is_empty());
        let strict = SentencesFactory
            .build(&json!({"fallback": "error"}), &ctx)
            .unwrap();
        let mut doc = document(Some("fi"), "Hyvää huomenta.");
        assert!(strict.process(&mut doc).is_err());
        assert_eq!(doc.sentences, None);
    }

    #[test]
    fn each_document_is_split_with_the_rules_of_its_language() {
        let stage = SentencesStage::default();
        let text = "Er wurde 3. Sieger im Rennen. Dann fuhr er heim.";
        let mut german = document(Some("de-AT"), text);
        stage.process(&mut german).unwrap();
        assert_eq!(
            german.sentence_text(0),
            Some("Er wurde 3. Sieger im Rennen.")
        );
        // Without a lang, a document is English, where "3. Sieger" ends a sentence.
        let mut unlabelled = document(None, text);
        stage.process(&mut unlabelled).unwrap();
        assert_eq!(unlabelled.sentence_text(0), Some("Er wurde 3."));
    }

    #[test]
    fn the_lang_key_overrides_every_document() {
        let ctx = BuildContext::new(".");
        let stage = SentencesFactory
            .build(&json!({"lang": "de"}), &ctx)
            .unwrap();
        let mut doc = document(Some("fi"), "Er kam am 3. Oktober. Dann ging er.");
        stage.process(&mut doc).unwrap();
        assert_eq!(doc.sentences.as_ref().map(Vec::len), Some(2));
        assert!(doc.skipped.is_empty());
        let errors = SentencesFactory
            .build(&json!({"lang": "fi"}), &ctx)
            .err()
            .unwrap();
        assert_eq!(errors[0].path, ["lang"]);
    }

    #[test]
    fn the_factory_lists_its_languages() {
        let languages = SentencesFactory.languages().unwrap();
        assert_eq!(languages.len(), 16);
        assert!(languages.iter().any(|lang| lang == "ar"));
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
