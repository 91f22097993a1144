//! The `language` pipeline stage: sets `doc.lang`, checking a declared language against the
//! text.

use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};
use textpipe_core::{
    parse_config, primary_language, BuildContext, ConfigError, Document, SkipNote, Stage,
    StageError, StageFactory,
};

use crate::html::{html_declared_language, visible_text};
use crate::identify::{Identification, LanguageIdentifier, MAX_SAMPLE_BYTES, UNDETERMINED};
use crate::tags::{are_close_languages, normalize_tag};

/// The stage kind's name in pipeline files.
pub const KIND: &str = "language";

/// Fewer letters than this and the text cannot overrule a declared language: a headline or
/// a caption is too little to contradict what the page says about itself.
pub const OVERRIDE_MIN_LETTERS: usize = 60;

/// What the stage does with a language the input declares.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DeclaredPolicy {
    /// Keep it unless the text clearly reads as another language (the default).
    #[default]
    Check,
    /// Always keep it; identify only documents that declare nothing.
    Trust,
    /// Identify every document from its text alone.
    Ignore,
}

/// The `with` object of a `language` stage.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct LanguageConfig {
    /// What to do with a declared language: `check`, `trust` or `ignore`.
    pub declared: DeclaredPolicy,
    /// Identification at least this confident (0 to 1) overrules a declared language.
    pub override_confidence: f32,
    /// Also identify each block of the text (paragraphs, split at blank lines) into
    /// `ext.language.blocks`, for pages that mix languages.
    pub blocks: bool,
    /// Also identify each sentence of the document's `sentences` layer into
    /// `ext.language.sentences` (one entry per sentence, in order). The layer must exist: the
    /// stage then runs after `sentences`; a document without it gets a skip note.
    pub sentences: bool,
}

impl Default for LanguageConfig {
    fn default() -> Self {
        LanguageConfig {
            declared: DeclaredPolicy::Check,
            override_confidence: 0.99,
            blocks: false,
            sentences: false,
        }
    }
}

/// The factory of the `language` stage kind.
#[derive(Debug, Default, Clone, Copy)]
pub struct LanguageFactory;

/// The `language` stage.
#[derive(Debug, Clone)]
pub struct LanguageStage {
    identifier: LanguageIdentifier,
    /// The primary subtags the identifier can return.
    known: Vec<String>,
    config: LanguageConfig,
}

/// Where a declared language was found, in the order they are looked at.
const DECLARED_SOURCES: [&str; 4] = ["lang", "meta.lang", "html", "meta.language"];

impl Default for LanguageStage {
    fn default() -> Self {
        LanguageStage::new(LanguageConfig::default())
    }
}

impl LanguageStage {
    /// A stage with `config` and the shipped identifier.
    pub fn new(config: LanguageConfig) -> Self {
        let identifier = LanguageIdentifier::new();
        let mut known: Vec<String> = identifier
            .languages()
            .iter()
            .map(|tag| primary_language(tag))
            .collect();
        known.dedup();
        LanguageStage {
            identifier,
            known,
            config,
        }
    }

    /// The first language the document declares, normalized, with where it was found.
    fn declared(doc: &Document) -> Option<(String, &'static str)> {
        let meta = |key: &str| doc.meta.get(key).and_then(Value::as_str);
        let candidates = [
            doc.lang.as_deref(),
            meta("lang"),
            doc.html.as_deref().and_then(html_declared_language),
            meta("language"),
        ];
        candidates
            .into_iter()
            .zip(DECLARED_SOURCES)
            .find_map(|(tag, source)| Some((normalize_tag(tag?)?, source)))
    }

    /// The language to record, given what was declared and what the text says.
    fn decide(&self, declared: Option<&str>, found: &Identification) -> Decision {
        let identified = || Decision {
            lang: found.lang.clone(),
            overruled: false,
        };
        let Some(declared) = declared else {
            return identified();
        };
        let keep = Decision {
            lang: complete_script(declared, &found.lang),
            overruled: false,
        };
        let text_cannot_tell = found.lang == UNDETERMINED
            || found.letters < OVERRIDE_MIN_LETTERS
            || found.confidence < self.config.override_confidence;
        // A declared language the identifier does not know (Finnish, say) would always be
        // "contradicted" by one it does: keep it.
        let unknown = !self.known.contains(&primary_language(declared));
        match self.config.declared {
            DeclaredPolicy::Ignore => identified(),
            DeclaredPolicy::Trust => keep,
            DeclaredPolicy::Check
                if text_cannot_tell
                    || unknown
                    || primary_language(declared) == primary_language(&found.lang)
                    || are_close_languages(declared, &found.lang) =>
            {
                keep
            }
            DeclaredPolicy::Check => Decision {
                lang: found.lang.clone(),
                overruled: true,
            },
        }
    }
}

impl LanguageStage {
    /// The language of each block of `text` with at least [`OVERRIDE_MIN_LETTERS`] letters
    /// (shorter ones say too little), as `{"start", "end", "lang", "confidence"}` with byte
    /// offsets of the block without its surrounding whitespace.
    fn block_languages(&self, text: &str) -> Vec<Value> {
        let mut blocks = Vec::new();
        for (start, end) in paragraph_spans(text) {
            let found = self.identifier.identify(&text[start..end]);
            if found.letters < OVERRIDE_MIN_LETTERS {
                continue;
            }
            blocks.push(json!({
                "start": start,
                "end": end,
                "lang": found.lang,
                "confidence": round(found.confidence),
            }));
        }
        blocks
    }
}

/// The skip note's reason when `sentences: true` meets a document without sentences.
const NO_SENTENCES_REASON: &str =
    "no `sentences` layer for sentence languages: run the sentence stage before this one";

impl LanguageStage {
    /// The language of every sentence of `doc`, in order, as `{"start", "end", "lang",
    /// "confidence"}`; `None` when it has no `sentences` layer. A sentence is identified on
    /// its own, so a short one says little (see the crate README for the accuracy on single
    /// sentences): `und` under 4 letters, otherwise the best guess with its confidence.
    fn sentence_languages(&self, doc: &Document) -> Option<Vec<Value>> {
        let spans = doc.sentences.as_ref()?;
        let entries = spans
            .iter()
            .map(|span| {
                // Spans come from the input or another stage: never trust them to slice.
                let sentence = doc.text.get(span.start..span.end).unwrap_or_default();
                let found = self.identifier.identify(sentence);
                json!({
                    "start": span.start,
                    "end": span.end,
                    "lang": found.lang,
                    "confidence": round(found.confidence),
                })
            })
            .collect();
        Some(entries)
    }
}

/// Byte ranges of the paragraphs of `text`: runs of lines between blank lines, trimmed.
fn paragraph_spans(text: &str) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    let mut current: Option<(usize, usize)> = None;
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim();
        if trimmed.is_empty() {
            spans.extend(current.take());
        } else {
            let start = offset + (line.len() - line.trim_start().len());
            let end = start + trimmed.len();
            current = Some(match current {
                Some((first, _)) => (first, end),
                None => (start, end),
            });
        }
        offset += line.len();
    }
    spans.extend(current);
    spans
}

/// What the stage records as the document's language.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Decision {
    lang: String,
    /// A declared language was overruled by the text.
    overruled: bool,
}

/// A declared `zh` or `sr` without a script takes the script the text is written in.
fn complete_script(declared: &str, found: &str) -> String {
    let needs_script = matches!(declared, "zh" | "sr");
    if needs_script && found.contains('-') && primary_language(found) == declared {
        found.to_string()
    } else {
        declared.to_string()
    }
}

fn round(confidence: f32) -> Value {
    json!((f64::from(confidence) * 1000.0).round() / 1000.0)
}

impl LanguageStage {
    /// Identifies `doc`'s text, weighs it against a declared language and writes `lang` with
    /// the `meta` notes.
    fn set_document_language(&self, doc: &mut Document) {
        let from_html;
        let text = match &doc.html {
            Some(html) if doc.text.trim().is_empty() => {
                from_html = visible_text(html, MAX_SAMPLE_BYTES);
                from_html.as_str()
            }
            _ => doc.text.as_str(),
        };
        let found = self.identifier.identify(text);
        let declared = Self::declared(doc);
        let decision = self.decide(declared.as_ref().map(|(tag, _)| tag.as_str()), &found);
        let meta = &mut doc.meta;
        meta.insert("lang_confidence".into(), round(found.confidence));
        if found.lang != decision.lang {
            meta.insert("lang_identified".into(), Value::from(found.lang.clone()));
        }
        if let Some((tag, source)) = &declared {
            let mut note = Map::new();
            note.insert("lang".into(), Value::from(tag.clone()));
            note.insert("source".into(), Value::from(*source));
            meta.insert("lang_declared".into(), Value::Object(note));
            if decision.overruled {
                push_warning(
                    meta,
                    format!(
                        "language: declared `{tag}` ({source}) but the text reads as `{}` \
                         (confidence {:.2}); using `{}`",
                        found.lang, found.confidence, found.lang
                    ),
                );
            }
        }
        doc.lang = Some(decision.lang);
    }
}

impl Stage for LanguageStage {
    fn name(&self) -> &str {
        KIND
    }

    fn process(&self, doc: &mut Document) -> Result<(), StageError> {
        // A second language stage after the sentence stage, there for sentence languages,
        // leaves the document's language as the first one set it: taking that `lang` for a
        // declared one would record a declaration the input never made.
        let identified_before = doc.lang.is_some() && doc.meta.contains_key("lang_confidence");
        if !(self.config.sentences && identified_before) {
            self.set_document_language(doc);
        }
        let mut extra = Map::new();
        if self.config.blocks {
            extra.insert("blocks".into(), self.block_languages(&doc.text).into());
        }
        if self.config.sentences {
            match self.sentence_languages(doc) {
                Some(sentences) => {
                    extra.insert("sentences".into(), sentences.into());
                }
                None => doc.skipped.push(SkipNote {
                    stage: KIND.to_string(),
                    reason: NO_SENTENCES_REASON.to_string(),
                    lang: None,
                }),
            }
        }
        if !extra.is_empty() {
            doc.ext.insert(KIND.into(), Value::Object(extra));
        }
        Ok(())
    }
}

fn push_warning(meta: &mut Map<String, Value>, warning: String) {
    let warnings = meta
        .entry("warnings")
        .or_insert_with(|| Value::Array(Vec::new()));
    if let Value::Array(list) = warnings {
        list.push(Value::String(warning));
    }
}

impl StageFactory for LanguageFactory {
    fn kind(&self) -> &str {
        KIND
    }

    fn summary(&self) -> &str {
        "Sets the document's language (lang, ISO 639-1 with script where it matters) and its \
         confidence, checking a declared language against the text"
    }

    fn config_schema(&self) -> Value {
        json!({
            "type": "object",
            "properties": {
                "declared": {
                    "type": "string",
                    "enum": ["check", "trust", "ignore"],
                    "default": "check",
                    "description": "A language the input declares (its `lang` field, \
                        `meta.lang`, the HTML's `<html lang>`): `check` keeps it unless the \
                        text clearly reads as another language, `trust` always keeps it, \
                        `ignore` identifies every document from its text."
                },
                "override_confidence": {
                    "type": "number",
                    "minimum": 0.0,
                    "maximum": 1.0,
                    "default": 0.99,
                    "description": "How confident identification must be (0 to 1) to \
                        overrule a declared language; texts under 60 letters never do."
                },
                "blocks": {
                    "type": "boolean",
                    "default": false,
                    "description": "Also identify each paragraph (text between blank lines) \
                        of 60 letters or more into `ext.language.blocks` as `{start, end, \
                        lang, confidence}` (byte offsets), for pages that mix languages."
                },
                "sentences": {
                    "type": "boolean",
                    "default": false,
                    "description": "Also identify each sentence of the `sentences` layer \
                        into `ext.language.sentences`, one `{start, end, lang, confidence}` \
                        per sentence in order; the stage must then run after `sentences` (a \
                        document without the layer gets a skip note)."
                }
            }
        })
    }

    fn example(&self) -> Value {
        json!({"declared": "check", "override_confidence": 0.99, "blocks": false, "sentences": false})
    }

    fn languages(&self) -> Option<Vec<String>> {
        Some(LanguageIdentifier::new().languages())
    }

    fn build(
        &self,
        config: &Value,
        _ctx: &BuildContext,
    ) -> Result<Box<dyn Stage>, Vec<ConfigError>> {
        let config: LanguageConfig = parse_config(config)?;
        if !(0.0..=1.0).contains(&config.override_confidence) {
            return Err(vec![ConfigError::at(
                &["override_confidence"],
                "must be between 0 and 1",
            )]);
        }
        Ok(Box::new(LanguageStage::new(config)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use textpipe_core::Span;

    const ENGLISH: &str = "The city council approved the new budget on Tuesday after a long \
        debate about schools, roads and the cost of public transport for the coming year.";
    const GERMAN: &str = "Der Stadtrat hat am Dienstag nach einer langen Debatte über Schulen, \
        Straßen und die Kosten des öffentlichen Nahverkehrs den neuen Haushalt beschlossen.";

    fn run(stage: &LanguageStage, doc: &mut Document) {
        stage.process(doc).unwrap();
        doc.check_spans().unwrap();
    }

    fn with_lang(text: &str, lang: &str) -> Document {
        let mut doc = Document::new("d", text);
        doc.lang = Some(lang.into());
        doc
    }

    #[test]
    fn factory_passes_the_compliance_checks() {
        textpipe_testkit::check_factory(&LanguageFactory);
        let defaults = serde_json::to_value(LanguageConfig::default()).unwrap();
        textpipe_testkit::check_schema_keys(&LanguageFactory, defaults);
        let languages = LanguageFactory.languages().unwrap();
        for lang in [
            "en", "de", "sr-Latn", "sr-Cyrl", "zh-Hans", "zh-Hant", "ja", "ar",
        ] {
            assert!(languages.iter().any(|l| l == lang), "{lang}");
        }
    }

    #[test]
    fn stage_keeps_the_span_invariants_and_adds_no_layer() {
        let stage = LanguageStage::default();
        textpipe_testkit::check_stage_on_awkward_texts(&stage, |_| {});
        assert!(stage.provides().is_empty());
        let mut doc = Document::new("d", GERMAN);
        run(&stage, &mut doc);
        assert!(doc.sentences.is_none() && doc.entities.is_none() && doc.summary.is_none());
        assert!(doc.skipped.is_empty());
    }

    #[test]
    fn config_mistakes_are_reported() {
        let ctx = BuildContext::new(".");
        let errors = LanguageFactory
            .build(&json!({"override_confidence": 2.0}), &ctx)
            .err()
            .unwrap();
        assert_eq!(errors[0].path, ["override_confidence"]);
        let errors = LanguageFactory
            .build(&json!({"declare": "trust"}), &ctx)
            .err()
            .unwrap();
        assert_eq!(errors[0].suggestion.as_deref(), Some("declared"));
    }

    #[test]
    fn a_short_english_headline_is_english_not_undetermined() {
        let mut doc = Document::new("d", "Apple hired Tim Cook in Cupertino.");
        run(&LanguageStage::default(), &mut doc);
        assert_eq!(doc.lang.as_deref(), Some("en"));
        assert!(doc.meta["lang_confidence"].as_f64().unwrap() > 0.5);
    }

    #[test]
    fn text_without_enough_letters_is_undetermined() {
        for text in ["", "12:30", "!!! ---", "OK", "→ 42 %"] {
            let mut doc = Document::new("d", text);
            run(&LanguageStage::default(), &mut doc);
            assert_eq!(doc.lang.as_deref(), Some(UNDETERMINED), "{text:?}");
            assert_eq!(doc.meta["lang_confidence"], 0.0);
        }
    }

    #[test]
    fn a_declared_language_the_text_agrees_with_is_kept_normalized() {
        let mut doc = with_lang(GERMAN, "de-DE");
        run(&LanguageStage::default(), &mut doc);
        assert_eq!(doc.lang.as_deref(), Some("de"));
        assert_eq!(
            doc.meta["lang_declared"],
            json!({"lang": "de", "source": "lang"})
        );
        assert!(!doc.meta.contains_key("warnings"));
    }

    #[test]
    fn a_declared_language_the_text_contradicts_is_overruled_with_a_warning() {
        let mut doc = with_lang(ENGLISH, "de");
        run(&LanguageStage::default(), &mut doc);
        assert_eq!(doc.lang.as_deref(), Some("en"));
        let warning = doc.meta["warnings"][0].as_str().unwrap();
        assert!(warning.contains("declared `de` (lang)"), "{warning}");
        assert_eq!(doc.meta["lang_declared"]["lang"], "de");
    }

    #[test]
    fn a_short_text_cannot_overrule_a_declared_language() {
        let mut doc = with_lang("Apple hired Tim Cook.", "de");
        run(&LanguageStage::default(), &mut doc);
        assert_eq!(doc.lang.as_deref(), Some("de"));
        assert_eq!(doc.meta["lang_identified"], "en");
    }

    #[test]
    fn meta_lang_is_read_when_there_is_no_lang_field() {
        let mut doc = Document::new("d", GERMAN);
        doc.meta.insert("lang".into(), json!("DE"));
        run(&LanguageStage::default(), &mut doc);
        assert_eq!(doc.lang.as_deref(), Some("de"));
        assert_eq!(doc.meta["lang_declared"]["source"], "meta.lang");
    }

    #[test]
    fn the_html_lang_attribute_is_checked_against_the_visible_text() {
        let stage = LanguageStage::default();
        // Declared and agreeing, identified from the page itself (no text yet).
        let mut doc = Document::new("d", "");
        doc.html = Some(format!(
            "<html lang=\"de-AT\"><body><p>{GERMAN}</p></body></html>"
        ));
        run(&stage, &mut doc);
        assert_eq!(doc.lang.as_deref(), Some("de"));
        assert_eq!(doc.meta["lang_declared"]["source"], "html");
        // Declared wrongly: a German page marked as English.
        let mut doc = Document::new("d", "");
        doc.html = Some(format!(
            "<html lang=en><script>var english = 1;</script><p>{GERMAN}</p>"
        ));
        run(&stage, &mut doc);
        assert_eq!(doc.lang.as_deref(), Some("de"));
        assert!(doc.meta["warnings"][0].as_str().unwrap().contains("(html)"));
        // Declared, and too little text to say otherwise.
        let mut doc = Document::new("d", "");
        doc.html = Some("<html lang=fr><title>Apple hired Tim Cook.</title></html>".into());
        run(&stage, &mut doc);
        assert_eq!(doc.lang.as_deref(), Some("fr"));
    }

    #[test]
    fn the_lang_field_wins_over_the_html_declaration() {
        let mut doc = with_lang(GERMAN, "de");
        doc.html = Some("<html lang=en></html>".into());
        run(&LanguageStage::default(), &mut doc);
        assert_eq!(doc.meta["lang_declared"]["source"], "lang");
        assert_eq!(doc.lang.as_deref(), Some("de"));
    }

    #[test]
    fn a_declared_chinese_or_serbian_gets_the_script_of_its_text() {
        let mut doc = with_lang("這個國家的經濟發展很快，他們說會繼續。", "zh");
        run(&LanguageStage::default(), &mut doc);
        assert_eq!(doc.lang.as_deref(), Some("zh-Hant"));
        let mut doc = with_lang("Влада Србије је данас усвојила нови закон о држави.", "sr");
        run(&LanguageStage::default(), &mut doc);
        assert_eq!(doc.lang.as_deref(), Some("sr-Cyrl"));
    }

    #[test]
    fn close_languages_and_languages_without_a_model_keep_their_declaration() {
        let serbian = "Vlada Srbije je danas usvojila novi zakon o budžetu, a ministar finansija \
            rekao je da će reforme nastaviti i sledeće godine uprkos krizi.";
        let mut doc = with_lang(serbian, "hr");
        run(&LanguageStage::default(), &mut doc);
        assert_eq!(doc.lang.as_deref(), Some("hr"));
        let finnish = "Kaupunginvaltuusto hyväksyi tiistaina uuden talousarvion pitkän \
            keskustelun jälkeen kouluista, teistä ja joukkoliikenteen kustannuksista.";
        let mut doc = with_lang(finnish, "fi");
        run(&LanguageStage::default(), &mut doc);
        assert_eq!(doc.lang.as_deref(), Some("fi"));
    }

    #[test]
    fn policies_trust_and_ignore() {
        let trusting = LanguageStage::new(LanguageConfig {
            declared: DeclaredPolicy::Trust,
            ..LanguageConfig::default()
        });
        let mut doc = with_lang(ENGLISH, "de");
        run(&trusting, &mut doc);
        assert_eq!(doc.lang.as_deref(), Some("de"));
        let ignoring = LanguageStage::new(LanguageConfig {
            declared: DeclaredPolicy::Ignore,
            ..LanguageConfig::default()
        });
        let mut doc = with_lang("Apple hired Tim Cook.", "de");
        run(&ignoring, &mut doc);
        assert_eq!(doc.lang.as_deref(), Some("en"));
        assert!(!doc.meta.contains_key("warnings"));
    }

    #[test]
    fn blocks_of_a_mixed_page_get_their_own_language() {
        let stage = LanguageStage::new(LanguageConfig {
            blocks: true,
            ..LanguageConfig::default()
        });
        let text = format!("  {GERMAN}\n\nShort.\n\n{ENGLISH}\n\n");
        let mut doc = Document::new("d", text.clone());
        run(&stage, &mut doc);
        let blocks = doc.ext["language"]["blocks"].as_array().unwrap();
        let found: Vec<(&str, &str)> = blocks
            .iter()
            .map(|b| {
                let (start, end) = (b["start"].as_u64().unwrap(), b["end"].as_u64().unwrap());
                (
                    &text[start as usize..end as usize],
                    b["lang"].as_str().unwrap(),
                )
            })
            .collect();
        assert_eq!(found, [(GERMAN, "de"), (ENGLISH, "en")]);
        let mut plain = Document::new("d", text);
        run(&LanguageStage::default(), &mut plain);
        assert!(plain.ext.is_empty());
    }

    #[test]
    fn sentences_of_a_mixed_page_get_their_own_language() {
        let stage = LanguageStage::new(LanguageConfig {
            sentences: true,
            blocks: true,
            ..LanguageConfig::default()
        });
        let text = format!("{GERMAN} {ENGLISH} OK.");
        let mut doc = Document::new("d", text.clone());
        let german_end = GERMAN.len();
        let english_end = german_end + 1 + ENGLISH.len();
        doc.sentences = Some(vec![
            Span::new(0, german_end),
            Span::new(german_end + 1, english_end),
            Span::new(english_end + 1, text.len()),
        ]);
        run(&stage, &mut doc);
        let sentences = doc.ext["language"]["sentences"].as_array().unwrap();
        let found: Vec<(u64, u64, &str)> = sentences
            .iter()
            .map(|s| {
                let span = (s["start"].as_u64().unwrap(), s["end"].as_u64().unwrap());
                (span.0, span.1, s["lang"].as_str().unwrap())
            })
            .collect();
        let (german_end, english_end) = (german_end as u64, english_end as u64);
        assert_eq!(
            found,
            [
                (0, german_end, "de"),
                (german_end + 1, english_end, "en"),
                (english_end + 1, text.len() as u64, UNDETERMINED),
            ]
        );
        // Both options write into the one `ext.language` object; the document's language
        // and its layers are untouched.
        assert_eq!(doc.ext["language"]["blocks"].as_array().unwrap().len(), 1);
        assert_eq!(doc.sentences.as_ref().unwrap().len(), 3);
        assert!(doc.skipped.is_empty());
    }

    #[test]
    fn a_second_stage_for_sentence_languages_keeps_the_first_ones_language() {
        let mut doc = Document::new("d", format!("{GERMAN} {ENGLISH}"));
        run(&LanguageStage::default(), &mut doc);
        let after_first = doc.clone();
        doc.sentences = Some(vec![Span::new(0, GERMAN.len())]);
        let second = LanguageStage::new(LanguageConfig {
            sentences: true,
            ..LanguageConfig::default()
        });
        run(&second, &mut doc);
        assert_eq!(doc.lang, after_first.lang);
        assert_eq!(doc.meta, after_first.meta, "no declaration recorded");
        assert_eq!(doc.ext["language"]["sentences"][0]["lang"], "de");
    }

    #[test]
    fn sentence_languages_without_sentences_leave_a_skip_note() {
        let stage = LanguageStage::new(LanguageConfig {
            sentences: true,
            ..LanguageConfig::default()
        });
        let mut doc = Document::new("d", ENGLISH);
        run(&stage, &mut doc);
        assert_eq!(doc.lang.as_deref(), Some("en"));
        assert!(doc.ext.is_empty());
        assert_eq!(doc.skipped.len(), 1);
        assert_eq!(doc.skipped[0].stage, KIND);
        // A span that does not slice the text (from a hand-made input) is no panic.
        doc.skipped.clear();
        doc.sentences = Some(vec![Span::new(0, ENGLISH.len() + 40)]);
        stage.process(&mut doc).unwrap();
        assert_eq!(doc.ext["language"]["sentences"][0]["lang"], UNDETERMINED);
    }

    #[test]
    fn paragraph_spans_are_trimmed_and_on_char_boundaries() {
        let text = "\u{a0}Ünï\n  çödé \r\n\n\n😀 x\n";
        for (start, end) in paragraph_spans(text) {
            assert!(text.is_char_boundary(start) && text.is_char_boundary(end));
        }
        let spans: Vec<&str> = paragraph_spans(text)
            .iter()
            .map(|&(s, e)| &text[s..e])
            .collect();
        assert_eq!(spans, ["Ünï\n  çödé", "😀 x"]);
    }

    #[test]
    fn undeclared_languages_are_identified_with_their_script() {
        let cases = [
            (GERMAN, "de"),
            ("这个国家的经济发展很快，他们说会继续。", "zh-Hans"),
            ("東京都は新しい計画を発表しました。", "ja"),
            ("قالت الحكومة إن المفاوضات مستمرة في القاهرة", "ar"),
            ("Η κυβέρνηση ανακοίνωσε νέα μέτρα.", "el"),
            ("정부는 새로운 계획을 발표했다.", "ko"),
        ];
        for (text, lang) in cases {
            let mut doc = Document::new("d", text);
            run(&LanguageStage::default(), &mut doc);
            assert_eq!(doc.lang.as_deref(), Some(lang), "{text}");
        }
    }
}
