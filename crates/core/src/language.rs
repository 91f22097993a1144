//! The document's language, and what a stage does with a language it has no model for.
//!
//! A document's `lang` is a language tag: an ISO 639-1 code, with a script subtag where the
//! script matters (`zh-Hans`, `sr-Latn`). It comes from the input (a `lang` field, or
//! `meta.lang`, or the HTML's declared language) or from the language identification stage.
//!
//! A stage with per-language models never guesses: when the document's language is one it has
//! no model for, it asks [`language_gate`], which by default leaves the stage's layer out and
//! records a [`SkipNote`] in the document, so the omission is visible in the output and
//! counted in the run summary. A config option ([`LanguageFallback`]) can choose English
//! models instead, or an error record.

use serde::{Deserialize, Serialize};

use crate::document::Document;
use crate::stage::StageError;

/// The language a document is treated as when nothing says otherwise: its `lang` is absent
/// only when no language identification ran and the input named none, which is how textpipe
/// pipelines worked before languages were identified.
pub const DEFAULT_LANGUAGE: &str = "en";

/// A stage that left its layer out of a document, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SkipNote {
    /// The stage's name.
    pub stage: String,
    /// Why, in words a user can act on (`no model for lang=fi`).
    pub reason: String,
    /// The language that had no model, when that was the reason.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lang: Option<String>,
}

/// What a stage does with a document in a language it has no model for.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LanguageFallback {
    /// Leave the layer out and record a [`SkipNote`] (the default).
    #[default]
    Skip,
    /// Use the English model anyway.
    English,
    /// Fail the document with an error record.
    Error,
}

impl LanguageFallback {
    /// The names accepted in configs, for schemas and messages.
    pub const NAMES: [&'static str; 3] = ["skip", "english", "error"];
}

/// The primary language subtag of a tag, lowercased: `zh-Hans` → `zh`, `PT-br` → `pt`.
pub fn primary_language(tag: &str) -> String {
    tag.split(['-', '_'])
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase()
}

/// Decides which of a stage's languages to use for `doc`.
///
/// `supported` says whether the stage has a model for a primary language subtag (`de`, `zh`).
/// Returns `Ok(Some(lang))`, the primary subtag to run with; `Ok(None)` when the stage must
/// leave its layer out (a [`SkipNote`] was added to the document); or an error under
/// [`LanguageFallback::Error`]. A document without `lang` is treated as [`DEFAULT_LANGUAGE`].
///
/// ```
/// use textpipe_core::{language_gate, Document, LanguageFallback};
///
/// let mut doc = Document::new("a", "Hyvää huomenta.");
/// doc.lang = Some("fi".into());
/// let supported = |lang: &str| lang == "en" || lang == "de";
/// assert_eq!(language_gate(&mut doc, "entities", &supported, LanguageFallback::Skip), Ok(None));
/// assert_eq!(doc.skipped[0].reason, "no model for lang=fi");
/// let english = language_gate(&mut doc, "entities", &supported, LanguageFallback::English);
/// assert_eq!(english, Ok(Some("en".to_string())));
/// ```
pub fn language_gate(
    doc: &mut Document,
    stage: &str,
    supported: &dyn Fn(&str) -> bool,
    fallback: LanguageFallback,
) -> Result<Option<String>, StageError> {
    let lang = primary_language(doc.lang.as_deref().unwrap_or(DEFAULT_LANGUAGE));
    if supported(&lang) {
        return Ok(Some(lang));
    }
    let reason = format!("no model for lang={lang}");
    match fallback {
        LanguageFallback::Skip => {
            doc.skipped.push(SkipNote {
                stage: stage.to_string(),
                reason,
                lang: Some(lang),
            });
            Ok(None)
        }
        LanguageFallback::English => Ok(Some(DEFAULT_LANGUAGE.to_string())),
        LanguageFallback::Error => Err(StageError::invalid(format!(
            "{reason} (the stage's `fallback` is `error`; `skip` leaves the layer out instead)"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn primary_subtags_are_lowercased_without_script_or_region() {
        assert_eq!(primary_language("zh-Hans"), "zh");
        assert_eq!(primary_language("sr_Latn"), "sr");
        assert_eq!(primary_language("PT-br"), "pt");
        assert_eq!(primary_language("en"), "en");
    }

    #[test]
    fn a_document_without_lang_is_english() {
        let mut doc = Document::new("a", "Hello.");
        let result = language_gate(&mut doc, "s", &|l| l == "en", LanguageFallback::Skip);
        assert_eq!(result, Ok(Some("en".into())));
        assert!(doc.skipped.is_empty());
    }

    #[test]
    fn error_fallback_fails_the_document() {
        let mut doc = Document::new("a", "x");
        doc.lang = Some("fi".into());
        let result = language_gate(&mut doc, "s", &|l| l == "en", LanguageFallback::Error);
        assert!(result.unwrap_err().to_string().contains("lang=fi"));
        assert!(doc.skipped.is_empty());
    }
}
