//! The `keywords` plugin stage: the keyphrases of a document into `ext["keywords"]`.
//!
//! An editor tagging stories, a search index boosting topical terms, a dashboard of what a
//! feed talks about: all want a few phrases per article. This stage extracts them with a
//! RAKE-style scorer (see [`extract`]) that needs no training data, one document at a time:
//!
//! ```json
//! {"keywords": [{"text": "tram line", "score": 8.2, "count": 3, "start": 41, "end": 50}, ...]}
//! ```
//!
//! `start`/`end` are the UTF-8 byte offsets of the first occurrence, like every span in
//! textpipe. Stopwords are a built-in English list, extended by `extra_stopwords` and by a
//! file (`stopwords_file`, one word a line, resolved relative to the pipeline file), so a team
//! can silence its own boilerplate words ("reuters", "photo") without code.
//!
//! Built as a plugin with the textpipe SDK; see `export_plugin!` at the bottom.
#![deny(missing_docs)]

pub mod extract;
pub mod stopwords;

use std::collections::HashSet;

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use textpipe_core::checked_file::{read_to_string_checked, MAX_CONFIG_FILE_BYTES};
use textpipe_core::{
    parse_config, BuildContext, ConfigError, Document, Stage, StageError, StageFactory,
};

use crate::extract::{extract, ExtractOptions};

/// The key under `ext` this stage writes.
pub const EXT_KEY: &str = "keywords";

/// Options of the `keywords` stage.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct KeywordsConfig {
    /// At most this many keyphrases per document.
    pub max_keywords: usize,
    /// Longest keyphrase, in words.
    pub max_words: usize,
    /// Words shorter than this (in chars) are not part of keyphrases.
    pub min_word_chars: usize,
    /// Keyphrases seen fewer times than this are dropped.
    pub min_count: usize,
    /// Words added to the built-in English stopwords.
    pub extra_stopwords: Vec<String>,
    /// A file of more stopwords, one a line (`#` starts a comment), relative to the pipeline.
    pub stopwords_file: Option<String>,
}

impl Default for KeywordsConfig {
    fn default() -> Self {
        KeywordsConfig {
            max_keywords: 10,
            max_words: 3,
            min_word_chars: 2,
            min_count: 1,
            extra_stopwords: Vec::new(),
            stopwords_file: None,
        }
    }
}

/// Builds `keywords` stages.
#[derive(Debug, Default)]
pub struct KeywordsFactory;

impl StageFactory for KeywordsFactory {
    fn kind(&self) -> &str {
        "keywords"
    }

    fn summary(&self) -> &str {
        "Keyphrase extraction (RAKE-style, no training data) into ext.keywords"
    }

    fn config_schema(&self) -> Value {
        json!({
            "type": "object",
            "properties": {
                "max_keywords": {"type": "integer", "default": 10,
                    "description": "At most this many keyphrases per document"},
                "max_words": {"type": "integer", "default": 3,
                    "description": "Longest keyphrase, in words"},
                "min_word_chars": {"type": "integer", "default": 2,
                    "description": "Words shorter than this (in chars) are not part of keyphrases"},
                "min_count": {"type": "integer", "default": 1,
                    "description": "Keyphrases seen fewer times than this are dropped"},
                "extra_stopwords": {"type": "array", "items": {"type": "string"}, "default": [],
                    "description": "Words added to the built-in English stopwords"},
                "stopwords_file": {"type": ["string", "null"], "default": null,
                    "description": "File of more stopwords, one a line, relative to the pipeline file"}
            }
        })
    }

    fn example(&self) -> Value {
        json!({"max_keywords": 8, "max_words": 3, "extra_stopwords": ["reuters", "photo"]})
    }

    fn build(
        &self,
        config: &Value,
        ctx: &BuildContext,
    ) -> Result<Box<dyn Stage>, Vec<ConfigError>> {
        let config: KeywordsConfig = parse_config(config)?;
        Ok(Box::new(Keywords::new(config, ctx)?))
    }
}

/// The `keywords` stage.
#[derive(Debug)]
pub struct Keywords {
    config: KeywordsConfig,
    stopwords: HashSet<String>,
}

impl Keywords {
    /// A stage with `config`; reads `stopwords_file` relative to `ctx`.
    pub fn new(config: KeywordsConfig, ctx: &BuildContext) -> Result<Self, Vec<ConfigError>> {
        let mut errors = Vec::new();
        for (key, value) in [
            ("max_keywords", config.max_keywords),
            ("max_words", config.max_words),
        ] {
            if value == 0 {
                errors.push(ConfigError::at(&[key], "must be at least 1"));
            }
        }
        let mut stopwords: HashSet<String> =
            stopwords::ENGLISH.iter().map(|s| s.to_string()).collect();
        stopwords.extend(config.extra_stopwords.iter().map(|w| w.to_lowercase()));
        if let Some(file) = &config.stopwords_file {
            let path = ctx.resolve(file);
            // Checked like the built-in stages' files: a FIFO, a device or a huge file is
            // refused with the key, not read until memory runs out.
            match read_to_string_checked(&path, MAX_CONFIG_FILE_BYTES) {
                Ok(text) => stopwords.extend(
                    text.lines()
                        .map(|line| line.split('#').next().unwrap_or("").trim().to_lowercase())
                        .filter(|word| !word.is_empty()),
                ),
                Err(e) => errors.push(ConfigError::at(
                    &["stopwords_file"],
                    format!("cannot read {}: {e}", path.display()),
                )),
            }
        }
        if errors.is_empty() {
            Ok(Keywords { config, stopwords })
        } else {
            Err(errors)
        }
    }
}

impl Stage for Keywords {
    fn name(&self) -> &str {
        "keywords"
    }

    fn process(&self, doc: &mut Document) -> Result<(), StageError> {
        let options = ExtractOptions {
            stopwords: &self.stopwords,
            max_words: self.config.max_words,
            min_word_chars: self.config.min_word_chars,
            // min_count filters after ranking, so ask for all and cut below.
            max_keyphrases: usize::MAX,
        };
        let keyphrases: Vec<Value> = extract(&doc.text, &options)
            .into_iter()
            .filter(|k| k.count >= self.config.min_count)
            .take(self.config.max_keywords)
            .map(|k| json!({"text": k.text, "score": k.score, "count": k.count, "start": k.start, "end": k.end}))
            .collect();
        doc.ext
            .insert(EXT_KEY.to_string(), Value::Array(keyphrases));
        Ok(())
    }
}

textpipe_plugin::export_plugin!(KeywordsFactory);

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn stage(config: Value) -> Box<dyn Stage> {
        KeywordsFactory
            .build(&config, &BuildContext::default())
            .unwrap()
    }

    #[test]
    fn factory_complies_and_schema_matches_config() {
        textpipe_testkit::check_factory(&KeywordsFactory);
        let schema = KeywordsFactory.config_schema();
        let mut documented: Vec<&String> =
            schema["properties"].as_object().unwrap().keys().collect();
        let config = serde_json::to_value(KeywordsConfig::default()).unwrap();
        let mut actual: Vec<&String> = config.as_object().unwrap().keys().collect();
        documented.sort();
        actual.sort();
        assert_eq!(documented, actual);
    }

    /// A folder or a device named as the stop-word file is refused with its key, not read.
    #[cfg(unix)]
    #[test]
    fn a_stopwords_file_that_is_a_folder_or_a_device_is_refused_with_its_key() {
        let folder = std::env::temp_dir();
        for (path, says) in [
            (folder.to_str().unwrap(), "is a folder"),
            ("/dev/zero", "not a regular file"),
        ] {
            let errors = KeywordsFactory
                .build(&json!({"stopwords_file": path}), &BuildContext::default())
                .err()
                .expect("refused");
            let message = errors[0].to_string();
            assert!(message.contains("stopwords_file"), "{message}");
            assert!(message.contains(says), "{message}");
        }
    }

    #[test]
    fn writes_ranked_keyphrases_with_spans_of_first_occurrence() {
        let text = "Lyon's city council approved a tram line on Monday. The tram line will link \
                    the university to the airport. Opponents of the tram line, mostly shop \
                    owners, cited its cost.";
        let mut doc = Document::new("1", text);
        stage(json!({"max_keywords": 3})).process(&mut doc).unwrap();
        let keywords = doc.ext[EXT_KEY].as_array().unwrap();
        assert_eq!(keywords.len(), 3);
        assert_eq!(keywords[0]["text"], "tram line");
        assert_eq!(keywords[0]["count"], 3);
        let (start, end) = (
            keywords[0]["start"].as_u64().unwrap() as usize,
            keywords[0]["end"].as_u64().unwrap() as usize,
        );
        assert_eq!(&text[start..end], "tram line");
    }

    #[test]
    fn stopword_file_and_extra_stopwords_silence_words() {
        let dir = std::env::temp_dir().join(format!("textpipe-keywords-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("stop.txt"), "# house words\ntram\n").unwrap();
        let stage = KeywordsFactory
            .build(
                &json!({"stopwords_file": "stop.txt", "extra_stopwords": ["Council"]}),
                &BuildContext::new(&dir),
            )
            .unwrap();
        let mut doc = Document::new("1", "The council tram line. Council tram.");
        stage.process(&mut doc).unwrap();
        let texts: Vec<&str> = doc.ext[EXT_KEY]
            .as_array()
            .unwrap()
            .iter()
            .map(|k| k["text"].as_str().unwrap())
            .collect();
        assert_eq!(texts, ["line"]);
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn bad_config_reports_every_problem() {
        let errors = KeywordsFactory
            .build(
                &json!({"max_keywords": 0, "max_words": 0, "stopwords_file": "no/such/file"}),
                &BuildContext::default(),
            )
            .err()
            .unwrap();
        assert_eq!(errors.len(), 3, "{errors:?}");
    }

    #[test]
    fn awkward_texts_keep_invariants() {
        textpipe_testkit::check_stage_on_awkward_texts(&*stage(Value::Null), |_| {});
    }

    proptest! {
        #[test]
        fn spans_always_slice_the_text(text in "\\PC{0,200}") {
            let mut doc = Document::new("p", text.clone());
            stage(Value::Null).process(&mut doc).unwrap();
            for k in doc.ext[EXT_KEY].as_array().unwrap() {
                let (start, end) = (k["start"].as_u64().unwrap() as usize, k["end"].as_u64().unwrap() as usize);
                prop_assert_eq!(text.get(start..end), k["text"].as_str());
            }
        }
    }
}
