//! The `entities` pipeline stage: model, gazetteers and rules behind one typed config.
//!
//! The stage picks the model by the document's language (`lang`, English when absent) through
//! [`textpipe_core::language_gate`]: a document in a language without a model gets no
//! `entities` layer and a skip note, unless the `fallback` key says to use the English model
//! or to fail the document. Shipped models are decoded on the first document in their
//! language (see [`crate::languages`]).

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use textpipe_core::checked_file::{read_to_string_checked, MAX_CONFIG_FILE_BYTES};
use textpipe_core::{
    language_gate, parse_config, BuildContext, ConfigError, Document, Entity, LanguageFallback,
    Layer, SkipNote, Stage, StageError, StageFactory, DEFAULT_LANGUAGE,
};

use crate::document_pass::DocumentPass;
use crate::gazetteer::Gazetteer;
use crate::languages::{DataTerms, ShippedModel, SHIPPED_MODELS};
use crate::model::Model;
use crate::rules::{RuleLabel, RuleLanguage, Rules};
use crate::tagger::EntityTagger;
use crate::tags::Label;

/// Whether gazetteer matches replace the model's mentions or only fill gaps.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum GazetteerMode {
    /// A match is added only where the model found nothing.
    #[default]
    Add,
    /// A match replaces every model mention it overlaps.
    Override,
}

/// The `with` object of the `entities` stage.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct EntitiesConfig {
    /// A model file for English documents trained with the `train` example; the shipped
    /// English model when absent. The same as `models.en`.
    pub model: Option<String>,
    /// Model files by language (`{"de": "models/de.model"}`), used instead of the shipped
    /// model of that language or for a language that has none.
    pub models: BTreeMap<String, String>,
    /// What to do with a document in a language without a model.
    pub fallback: LanguageFallback,
    /// Whether to use shipped models trained on data licensed for research or
    /// non-commercial use only (English, German, Spanish, Dutch, French, Russian).
    pub research_only_models: bool,
    /// The model labels to keep.
    pub labels: Vec<String>,
    /// Model mentions with a lower confidence are dropped.
    pub min_score: f32,
    /// Name list files: `name<TAB>LABEL` lines or one name per line.
    pub gazetteers: Vec<String>,
    /// The label of list lines without one.
    pub gazetteer_label: String,
    /// `add` or `override`.
    pub gazetteer_mode: GazetteerMode,
    /// Match list names ignoring ASCII case.
    pub gazetteer_ignore_case: bool,
    /// Rule labels to switch on.
    pub rules: Vec<String>,
    /// Give a string the model labelled confidently the same label at its other exact
    /// occurrences in the document (see [`crate::document_pass`]).
    pub document_consistency: bool,
    /// In sentences whose cased words are all upper case, drop model mentions with a lower
    /// confidence (0 keeps them all).
    pub caps_min_score: f32,
}

impl Default for EntitiesConfig {
    fn default() -> Self {
        EntitiesConfig {
            model: None,
            models: BTreeMap::new(),
            fallback: LanguageFallback::Skip,
            research_only_models: true,
            labels: Label::ALL.iter().map(|l| l.name().to_string()).collect(),
            min_score: 0.0,
            gazetteers: Vec::new(),
            gazetteer_label: "MISC".to_string(),
            gazetteer_mode: GazetteerMode::Add,
            gazetteer_ignore_case: false,
            rules: Vec::new(),
            document_consistency: DocumentPass::default().consistency,
            caps_min_score: DocumentPass::default().caps_min_confidence,
        }
    }
}

/// Builds `entities` stages.
pub struct EntitiesFactory;

impl StageFactory for EntitiesFactory {
    fn kind(&self) -> &str {
        "entities"
    }

    fn summary(&self) -> &str {
        "tags people, organizations, locations and other names (PER/ORG/LOC/MISC), plus \
         optional gazetteer names and rule-based dates, times, amounts, e-mails and URLs"
    }

    fn languages(&self) -> Option<Vec<String>> {
        Some(
            crate::languages::shipped_languages()
                .map(str::to_string)
                .collect(),
        )
    }

    fn config_schema(&self) -> Value {
        let labels: Vec<&str> = Label::ALL.iter().map(|l| l.name()).collect();
        let rules: Vec<&str> = RuleLabel::ALL.iter().map(|l| l.name()).collect();
        json!({
            "type": "object",
            "properties": {
                "model": {"type": ["string", "null"], "default": null,
                    "description": "model file for English trained with `textpipe train entities`, relative to the pipeline file; the built-in model when null (the same as `models.en`)"},
                "models": {"type": "object", "additionalProperties": {"type": "string"}, "default": {},
                    "description": "model files by language (ISO 639-1: `{\"de\": \"de.model\"}`), replacing the built-in model of that language or adding one"},
                "fallback": {"enum": LanguageFallback::NAMES, "default": "skip",
                    "description": "a document in a language without a model: `skip` leaves the layer out with a note in `skipped`, `english` tags it with the English model, `error` fails it"},
                "research_only_models": {"type": "boolean", "default": true,
                    "description": "use built-in models trained on data licensed for research or non-commercial use only (en, de, es, nl, fr, ru); false treats those languages as having no model"},
                "labels": {"type": "array", "items": {"enum": labels}, "default": labels,
                    "description": "model labels to keep"},
                "min_score": {"type": "number", "default": 0.0,
                    "description": "drop model mentions whose confidence (0-1) is lower"},
                "gazetteers": {"type": "array", "items": {"type": "string"}, "default": [],
                    "description": "name list files: `name<TAB>LABEL` lines, or one name per line with `gazetteer_label`"},
                "gazetteer_label": {"type": "string", "default": "MISC",
                    "description": "label of list lines that have none"},
                "gazetteer_mode": {"enum": ["add", "override"], "default": "add",
                    "description": "`override`: list matches replace overlapping model mentions; `add`: they fill only gaps"},
                "gazetteer_ignore_case": {"type": "boolean", "default": false,
                    "description": "match list names ignoring ASCII case"},
                "rules": {"type": "array", "items": {"enum": rules}, "default": [],
                    "description": "rule-based labels to switch on"},
                "document_consistency": {"type": "boolean", "default": DocumentPass::default().consistency,
                    "description": "give a name the model labelled with confidence at least 0.9 the same label at its other exact occurrences in the document (untagged ones included) and a confident person's surname alone after the full name"},
                "caps_min_score": {"type": "number", "default": DocumentPass::default().caps_min_confidence,
                    "description": "in sentences written all in upper case (headlines, standings, scorecards), drop model mentions whose confidence (0-1) is lower"}
            }
        })
    }

    fn example(&self) -> Value {
        json!({"labels": ["PER", "ORG", "LOC"], "min_score": 0.5, "gazetteer_mode": "override",
               "rules": ["DATE", "MONEY", "PERCENT"]})
    }

    fn build(
        &self,
        config: &Value,
        ctx: &BuildContext,
    ) -> Result<Box<dyn Stage>, Vec<ConfigError>> {
        let config: EntitiesConfig = parse_config(config)?;
        Ok(Box::new(EntitiesStage::new(&config, ctx)?))
    }
}

/// Where a language's model comes from.
#[derive(Debug, Clone)]
enum ModelSource {
    /// Embedded in the crate; decoded on first use.
    Shipped(&'static ShippedModel),
    /// Read from a file when the stage was built.
    File(Arc<Model>),
}

impl ModelSource {
    fn model(&self) -> Arc<Model> {
        match self {
            ModelSource::Shipped(shipped) => shipped.load(),
            ModelSource::File(model) => model.clone(),
        }
    }
}

/// The `entities` stage.
#[derive(Debug, Clone)]
pub struct EntitiesStage {
    /// The model of each language (primary subtag) the stage tags.
    models: BTreeMap<String, ModelSource>,
    fallback: LanguageFallback,
    labels: Vec<Label>,
    min_score: f32,
    gazetteer: Option<Gazetteer>,
    mode: GazetteerMode,
    /// The document-level corrections of the model's tags.
    pass: DocumentPass,
    /// The switched-on rules compiled for each language they read.
    rules: BTreeMap<&'static str, Rules>,
    /// The language-free rules (addresses), for every other language.
    language_free_rules: Rules,
}

impl EntitiesStage {
    /// Builds the stage, reading the model and lists; reports every problem at once.
    pub fn new(config: &EntitiesConfig, ctx: &BuildContext) -> Result<Self, Vec<ConfigError>> {
        let mut errors = Vec::new();
        let models = build_models(config, ctx, &mut errors);
        let mut labels = Vec::new();
        for (n, name) in config.labels.iter().enumerate() {
            match Label::from_name(name) {
                Some(label) => labels.push(label),
                None => errors.push(ConfigError::at(
                    &["labels", &n.to_string()],
                    format!("unknown label {name:?}; the model knows PER, ORG, LOC, MISC"),
                )),
            }
        }
        let mut rules = Vec::new();
        for (n, name) in config.rules.iter().enumerate() {
            match RuleLabel::from_name(name) {
                Some(rule) => rules.push(rule),
                None => errors.push(ConfigError::at(
                    &["rules", &n.to_string()],
                    format!("unknown rule {name:?}; rules: DATE, TIME, MONEY, PERCENT, QUANTITY, EMAIL, URL"),
                )),
            }
        }
        if !(0.0..=1.0).contains(&config.min_score) {
            errors.push(ConfigError::at(&["min_score"], "must be between 0 and 1"));
        }
        if !(0.0..=1.0).contains(&config.caps_min_score) {
            errors.push(ConfigError::at(
                &["caps_min_score"],
                "must be between 0 and 1",
            ));
        }
        let gazetteer = build_gazetteer(config, ctx, &mut errors);
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(EntitiesStage {
            models,
            fallback: config.fallback,
            labels,
            min_score: config.min_score,
            gazetteer,
            mode: config.gazetteer_mode,
            pass: DocumentPass {
                consistency: config.document_consistency,
                caps_min_confidence: config.caps_min_score,
                ..DocumentPass::default()
            },
            rules: RuleLanguage::ALL
                .into_iter()
                .map(|lang| (lang.code(), Rules::new(&rules, Some(lang))))
                .collect(),
            language_free_rules: Rules::new(&rules, None),
        })
    }

    /// The languages this stage has a model for, as configured.
    pub fn languages(&self) -> impl Iterator<Item = &str> {
        self.models.keys().map(String::as_str)
    }
}

/// The model of every language: the shipped ones the config allows, then the files it names
/// (read now, so a bad file is a config error, not a failure on the first document).
fn build_models(
    config: &EntitiesConfig,
    ctx: &BuildContext,
    errors: &mut Vec<ConfigError>,
) -> BTreeMap<String, ModelSource> {
    let mut models: BTreeMap<String, ModelSource> = SHIPPED_MODELS
        .iter()
        .filter(|m| config.research_only_models || m.terms == DataTerms::Open)
        .map(|m| (m.lang.to_string(), ModelSource::Shipped(m)))
        .collect();
    let mut files: Vec<(Vec<String>, &str, &str)> = config
        .models
        .iter()
        .map(|(lang, path)| {
            (
                vec!["models".into(), lang.clone()],
                lang.as_str(),
                path.as_str(),
            )
        })
        .collect();
    if let Some(path) = &config.model {
        if config.models.contains_key(DEFAULT_LANGUAGE) {
            errors.push(ConfigError::at(
                &["model"],
                "`model` is the English model: give it either here or as `models.en`, not both",
            ));
        }
        files.push((vec!["model".into()], DEFAULT_LANGUAGE, path.as_str()));
    }
    for (at, lang, path) in files {
        let at: Vec<&str> = at.iter().map(String::as_str).collect();
        let valid_tag =
            (2..=3).contains(&lang.len()) && lang.chars().all(|c| c.is_ascii_lowercase());
        if !valid_tag {
            errors.push(ConfigError::at(
                &at,
                format!(
                    "{lang:?} is not a language code: use a lowercase ISO 639-1 code such as `de`"
                ),
            ));
            continue;
        }
        match Model::load(&ctx.resolve(path)) {
            Ok(model) => {
                models.insert(lang.to_string(), ModelSource::File(Arc::new(model)));
            }
            Err(e) => errors.push(ConfigError::at(&at, e.to_string())),
        }
    }
    models
}

fn build_gazetteer(
    config: &EntitiesConfig,
    ctx: &BuildContext,
    errors: &mut Vec<ConfigError>,
) -> Option<Gazetteer> {
    if config.gazetteers.is_empty() {
        return None;
    }
    let mut contents = Vec::new();
    for (n, path) in config.gazetteers.iter().enumerate() {
        let resolved = ctx.resolve(path);
        match read_to_string_checked(&resolved, MAX_CONFIG_FILE_BYTES) {
            Ok(content) => contents.push(content),
            Err(e) => errors.push(ConfigError::at(
                &["gazetteers", &n.to_string()],
                format!("{}: {e}", resolved.display()),
            )),
        }
    }
    let lists = contents
        .iter()
        .map(|c| (c.as_str(), config.gazetteer_label.as_str()));
    match Gazetteer::new(lists, config.gazetteer_ignore_case) {
        Ok(gazetteer) => Some(gazetteer),
        Err(e) => {
            errors.push(ConfigError::at(&["gazetteers"], e.to_string()));
            None
        }
    }
}

/// Whether a document (one the language gate found Serbian) is written in Cyrillic letters:
/// its tag's script (`sr-Cyrl`) or, for a plain `sr`, the one most of its first letters are
/// written in. The Serbian model learned Latin letters (UNER Serbian-SET) and reads Cyrillic
/// through [`textpipe_core::serbian`].
fn written_in_cyrillic(doc: &Document) -> bool {
    let tag = doc.lang.as_deref().unwrap_or_default();
    let script = tag.split(['-', '_']).skip(1).find(|part| part.len() == 4);
    match script {
        Some(script) => script.eq_ignore_ascii_case("cyrl"),
        None => textpipe_core::serbian::mostly_cyrillic(&doc.text),
    }
}

impl Stage for EntitiesStage {
    fn name(&self) -> &str {
        "entities"
    }

    fn process(&self, doc: &mut Document) -> Result<(), StageError> {
        let supported = |lang: &str| self.models.contains_key(lang);
        let Some(lang) = language_gate(doc, "entities", &supported, self.fallback)? else {
            return Ok(());
        };
        let Some(source) = self.models.get(&lang) else {
            // `fallback: english` with the English model switched off: nothing to tag with.
            doc.skipped.push(SkipNote {
                stage: "entities".into(),
                reason: format!("no model for lang={lang}"),
                lang: Some(lang),
            });
            return Ok(());
        };
        let tagger = EntityTagger::new(source.model())
            .with_document_pass(self.pass)
            .reading_serbian_cyrillic(lang == "sr" && written_in_cyrillic(doc));
        let text = doc.text.as_str();
        let mut entities: Vec<Entity> = tagger
            .tag(text, doc.sentences.as_deref())
            .into_iter()
            .filter(|m| self.labels.contains(&m.label) && m.confidence >= self.min_score)
            .map(|m| Entity {
                source: Some("model".into()),
                score: Some(m.confidence),
                ..Entity::new(text, m.span, m.label.name())
            })
            .collect();
        if let Some(gazetteer) = &self.gazetteer {
            let matches = gazetteer
                .find(text)
                .into_iter()
                .map(|(span, label)| Entity {
                    source: Some("gazetteer".into()),
                    ..Entity::new(text, span, label)
                });
            let clash = if self.mode == GazetteerMode::Override {
                Clash::Replace
            } else {
                Clash::Yield
            };
            merge(&mut entities, matches, clash);
        }
        let rules = self
            .rules
            .get(lang.as_str())
            .unwrap_or(&self.language_free_rules);
        if !rules.is_empty() {
            let matches = rules.find(text).into_iter().map(|(span, label)| Entity {
                source: Some("rule".into()),
                ..Entity::new(text, span, label.name())
            });
            merge(&mut entities, matches, Clash::ReplaceEnclosed);
        }
        doc.entities = Some(entities);
        Ok(())
    }

    fn provides(&self) -> &[Layer] {
        &[Layer::Entities]
    }
}

/// What an added mention does where it overlaps mentions already found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Clash {
    /// It replaces them (gazetteers with `gazetteer_mode: "override"`).
    Replace,
    /// It is dropped (gazetteers with `gazetteer_mode: "add"`).
    Yield,
    /// It replaces them when it encloses each and is longer, else it is dropped (rules: an
    /// amount or a date that holds a name-like word, "12,5 Mio. €" with a model's `MISC` "€",
    /// is the amount or the date; a match that cuts across a mention yields, as the mention
    /// is the better judge of its own span).
    ReplaceEnclosed,
}

/// Merges `extra` mentions (sorted, disjoint) into sorted, disjoint `entities`, each that
/// overlaps some of them as `clash` says.
fn merge(entities: &mut Vec<Entity>, extra: impl Iterator<Item = Entity>, clash: Clash) {
    let mut replaced = vec![false; entities.len()];
    let mut added = Vec::new();
    for mention in extra {
        // Mentions are sorted and disjoint, so those a span overlaps are a run.
        let first = entities.partition_point(|e| e.end <= mention.start);
        let overlapped =
            first..first + entities[first..].partition_point(|e| e.start < mention.end);
        let wins = overlapped.is_empty()
            || match clash {
                Clash::Replace => true,
                Clash::Yield => false,
                Clash::ReplaceEnclosed => entities[overlapped.clone()].iter().all(|e| {
                    mention.start <= e.start
                        && e.end <= mention.end
                        && e.end - e.start < mention.end - mention.start
                }),
            };
        if wins {
            replaced[overlapped].fill(true);
            added.push(mention);
        }
    }
    let mut replaced = replaced.into_iter();
    entities.retain(|_| !replaced.next().unwrap_or(false));
    entities.extend(added);
    entities.sort_by_key(|e| (e.start, e.end));
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use textpipe_core::Span;

    fn stage(config: Value) -> Box<dyn Stage> {
        EntitiesFactory
            .build(&config, &BuildContext::new("."))
            .unwrap_or_else(|e| panic!("{e:?}"))
    }

    fn found(stage: &dyn Stage, text: &str) -> Vec<(String, String, String)> {
        let mut doc = Document::new("t", text);
        stage.process(&mut doc).unwrap();
        doc.check_spans().unwrap();
        doc.entities
            .unwrap()
            .into_iter()
            .map(|e| (e.text, e.label, e.source.unwrap_or_default()))
            .collect()
    }

    #[test]
    fn factory_passes_the_compliance_checks() {
        textpipe_testkit::check_factory(&EntitiesFactory);
    }

    #[test]
    fn schema_documents_exactly_the_config_keys() {
        let defaults = serde_json::to_value(EntitiesConfig::default()).unwrap();
        textpipe_testkit::check_schema_keys(&EntitiesFactory, defaults);
    }

    #[test]
    fn bad_configs_report_every_problem() {
        let errors = EntitiesFactory
            .build(
                &json!({"labels": ["PER", "PERSN"], "rules": ["DATES"], "min_score": 2.0,
                        "gazetteers": ["no/such/list.txt"]}),
                &BuildContext::new("."),
            )
            .err()
            .expect("invalid config");
        let paths: Vec<String> = errors.iter().map(|e| e.path.join(".")).collect();
        assert_eq!(paths, ["labels.1", "rules.0", "min_score", "gazetteers.0"]);
    }

    #[test]
    fn keeps_span_invariants_on_awkward_texts() {
        let stage = stage(
            json!({"rules": ["DATE", "TIME", "MONEY", "PERCENT", "QUANTITY", "EMAIL", "URL"]}),
        );
        textpipe_testkit::check_stage_on_awkward_texts(stage.as_ref(), |_| {});
        textpipe_testkit::check_stage_on_awkward_texts(stage.as_ref(), |doc| {
            doc.sentences = Some(vec![Span::new(0, doc.text.len())]);
        });
    }

    #[test]
    fn rules_are_off_by_default() {
        let plain = stage(Value::Null);
        let text = "On Friday Acme paid $5m to Jane Smith in Paris.";
        assert!(found(plain.as_ref(), text)
            .iter()
            .all(|(_, _, source)| source == "model"));
        let with_rules = stage(json!({"rules": ["MONEY", "DATE"]}));
        let labels: Vec<String> = found(with_rules.as_ref(), text)
            .into_iter()
            .map(|e| e.1)
            .collect();
        assert!(labels.contains(&"MONEY".to_string()) && labels.contains(&"DATE".to_string()));
    }

    #[test]
    fn gazetteers_add_or_override() {
        let dir =
            std::env::temp_dir().join(format!("textpipe-entities-gaz-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("names.txt"), "Paris Hilton\tPER\nwidget\n").unwrap();
        let ctx = BuildContext::new(&dir);
        let build = |mode: &str| {
            EntitiesFactory
                .build(&json!({"gazetteers": ["names.txt"], "gazetteer_mode": mode, "gazetteer_label": "PRODUCT"}), &ctx)
                .unwrap()
        };
        let text = "Paris Hilton bought a widget.";
        let over = found(build("override").as_ref(), text);
        assert!(
            over.contains(&("Paris Hilton".into(), "PER".into(), "gazetteer".into())),
            "{over:?}"
        );
        assert!(over.contains(&("widget".into(), "PRODUCT".into(), "gazetteer".into())));
        let added = found(build("add").as_ref(), text);
        assert!(added.contains(&("widget".into(), "PRODUCT".into(), "gazetteer".into())));
        assert!(added.iter().all(|(t, _, s)| !(t.contains("Paris")
            && s == "gazetteer"
            && added
                .iter()
                .any(|(u, _, m)| m == "model" && u.contains("Paris")))));
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn uses_the_sentence_layer_when_present() {
        let stage = stage(Value::Null);
        let text = "He met Angela Merkel in Berlin. Then he left.";
        let mut with_layer = Document::new("a", text);
        with_layer.sentences = Some(vec![Span::new(0, 31), Span::new(32, 45)]);
        let mut without = Document::new("b", text);
        stage.process(&mut with_layer).unwrap();
        stage.process(&mut without).unwrap();
        assert_eq!(with_layer.entities, without.entities);
        assert!(with_layer
            .entities
            .unwrap()
            .iter()
            .any(|e| e.text == "Berlin" && e.label == "LOC"));
    }

    fn document_in(lang: &str, text: &str) -> Document {
        let mut doc = Document::new("l", text);
        doc.lang = Some(lang.into());
        doc
    }

    #[test]
    fn no_layer_for_a_language_without_a_model() {
        let stage = stage(json!({"rules": ["DATE", "URL"]}));
        let mut doc = document_in("fi", "Sauli Niinistö vieraili Helsingissä 3. lokakuuta.");
        stage.process(&mut doc).unwrap();
        assert_eq!(doc.entities, None);
        assert_eq!(doc.skipped.len(), 1);
        assert_eq!(doc.skipped[0].stage, "entities");
        assert_eq!(doc.skipped[0].reason, "no model for lang=fi");
        assert_eq!(doc.skipped[0].lang.as_deref(), Some("fi"));
    }

    #[test]
    fn serbian_in_cyrillic_is_read_in_latin_letters_with_spans_on_its_own_bytes() {
        let stage = stage(Value::Null);
        let cyrillic = "Председник Александар Вучић посетио је Београд у понедељак.";
        let latin = "Predsednik Aleksandar Vučić posetio je Beograd u ponedeljak.";
        let mentions = |lang: &str, text: &str| {
            let mut doc = document_in(lang, text);
            stage.process(&mut doc).unwrap();
            assert!(doc.skipped.is_empty(), "{lang}: {:?}", doc.skipped);
            let entities = doc.entities.unwrap();
            for e in &entities {
                assert_eq!(&text[e.start..e.end], e.text, "{lang}");
            }
            entities
                .iter()
                .map(|e| (e.text.clone(), e.label.clone()))
                .collect::<Vec<_>>()
        };
        let in_latin = mentions("sr", latin);
        assert!(in_latin.contains(&("Beograd".to_string(), "LOC".to_string())));
        // The same mentions, with the Cyrillic text's spans, whether the tag names the
        // script or the letters tell it.
        for lang in ["sr-Cyrl", "sr_cyrl_RS", "sr"] {
            let in_cyrillic = mentions(lang, cyrillic);
            let transliterated: Vec<(String, String)> = in_cyrillic
                .iter()
                .map(|(text, label)| {
                    (
                        textpipe_core::serbian::to_latin(text).into_owned(),
                        label.clone(),
                    )
                })
                .collect();
            assert_eq!(transliterated, in_latin, "{lang}");
        }
    }

    #[test]
    fn fallback_english_tags_and_error_fails() {
        let text = "Angela Merkel visited Paris.";
        let english = stage(json!({"fallback": "english"}));
        let mut doc = document_in("fi", text);
        english.process(&mut doc).unwrap();
        assert!(doc.skipped.is_empty());
        let mut as_english = Document::new("e", text);
        english.process(&mut as_english).unwrap();
        assert_eq!(doc.entities, as_english.entities);
        let error = stage(json!({"fallback": "error"}));
        let mut doc = document_in("fi", text);
        let message = error.process(&mut doc).unwrap_err().to_string();
        assert!(message.contains("lang=fi"), "{message}");
        assert_eq!(doc.entities, None);
    }

    #[test]
    fn each_language_is_tagged_with_its_own_model() {
        let stage = stage(Value::Null);
        let text =
            "Statsminister Mette Frederiksen besøgte i går Aarhus og mødtes med Novo Nordisk.";
        for lang in crate::languages::shipped_languages() {
            let mut doc = document_in(lang, text);
            stage.process(&mut doc).unwrap();
            doc.check_spans().unwrap();
            let expected = EntityTagger::new(crate::languages::shipped_model(lang).unwrap().load())
                .tag(text, None);
            let spans: Vec<(usize, usize, String)> = doc
                .entities
                .unwrap()
                .iter()
                .map(|e| (e.start, e.end, e.label.clone()))
                .collect();
            let expected: Vec<(usize, usize, String)> = expected
                .iter()
                .map(|m| (m.span.start, m.span.end, m.label.name().to_string()))
                .collect();
            assert_eq!(spans, expected, "{lang}");
        }
        // A region subtag does not matter; the Danish model finds the Danish prime minister.
        let mut doc = document_in("da-DK", text);
        stage.process(&mut doc).unwrap();
        let entities = doc.entities.unwrap();
        assert!(
            entities
                .iter()
                .any(|e| e.text == "Mette Frederiksen" && e.label == "PER"),
            "{entities:?}"
        );
    }

    #[test]
    fn german_nouns_are_not_people_and_german_dates_are_dates() {
        let stage = stage(json!({"rules": ["DATE", "MONEY"]}));
        let text = "Die Lage im Kanzleramt ist ernst, sagte Bundeskanzler Olaf Scholz am \
                    3. Oktober 2024 in Berlin. Die Gespräche über 12,5 Mio. € für die \
                    Deutsche Bahn gehen weiter.";
        let mut doc = document_in("de", text);
        stage.process(&mut doc).unwrap();
        let found: Vec<(String, String)> = doc
            .entities
            .unwrap()
            .into_iter()
            .map(|e| (e.text, e.label))
            .collect();
        for noun in ["Lage", "Kanzleramt", "Gespräche"] {
            assert!(found.iter().all(|(t, _)| !t.contains(noun)), "{found:?}");
        }
        // The person is found; a German model may read the title into the name
        // ("Bundeskanzler Olaf Scholz", as the one trained on CoNLL-2003 German alone did).
        // Its "€" (`MISC`, as GermEval annotates currencies) gives way to the amount that
        // encloses it.
        assert!(
            found
                .iter()
                .any(|(t, l)| t.ends_with("Olaf Scholz") && l == "PER"),
            "{found:?}"
        );
        for expected in [
            ("Berlin", "LOC"),
            ("3. Oktober 2024", "DATE"),
            ("12,5 Mio. €", "MONEY"),
        ] {
            assert!(
                found.contains(&(expected.0.to_string(), expected.1.to_string())),
                "{expected:?} not in {found:?}"
            );
        }
    }

    #[test]
    fn a_rule_match_replaces_the_mentions_it_encloses_and_yields_to_those_it_cuts() {
        let text = "Sales of 12 Euro at Acme Corp rose 5 Acme";
        let mention = |start, end, label: &str| Entity {
            source: Some("model".into()),
            ..Entity::new(text, Span::new(start, end), label)
        };
        let rule = |start, end, label: &str| Entity {
            source: Some("rule".into()),
            ..Entity::new(text, Span::new(start, end), label)
        };
        let mut entities = vec![
            mention(12, 16, "MISC"), // "Euro", inside "12 Euro"
            mention(20, 29, "ORG"),  // "Acme Corp", cut by "Corp rose"
            mention(37, 41, "ORG"),  // "Acme", the same span as a rule match
        ];
        let matches = vec![
            rule(0, 5, "QUANTITY"),   // "Sales": overlaps nothing
            rule(9, 16, "MONEY"),     // "12 Euro": encloses "Euro"
            rule(25, 34, "QUANTITY"), // "Corp rose": cuts across "Acme Corp"
            rule(37, 41, "MONEY"),    // "Acme": not longer than the mention
        ];
        merge(&mut entities, matches.into_iter(), Clash::ReplaceEnclosed);
        let found: Vec<(&str, &str, &str)> = entities
            .iter()
            .map(|e| {
                (
                    e.text.as_str(),
                    e.label.as_str(),
                    e.source.as_deref().unwrap(),
                )
            })
            .collect();
        assert_eq!(
            found,
            [
                ("Sales", "QUANTITY", "rule"),
                ("12 Euro", "MONEY", "rule"),
                ("Acme Corp", "ORG", "model"),
                ("Acme", "ORG", "model"),
            ]
        );
    }

    #[test]
    fn chinese_is_tagged_per_character_without_spaces() {
        let stage = stage(Value::Null);
        let mut doc = document_in("zh-Hans", "上海交通大学位于上海市。北京很大。");
        stage.process(&mut doc).unwrap();
        doc.check_spans().unwrap();
        let found: Vec<(String, String)> = doc
            .entities
            .unwrap()
            .into_iter()
            .map(|e| (e.text, e.label))
            .collect();
        assert!(
            found.contains(&("上海市".into(), "LOC".into())),
            "{found:?}"
        );
        assert!(found.contains(&("北京".into(), "LOC".into())), "{found:?}");
    }

    #[test]
    fn research_only_models_can_be_refused() {
        let stage = stage(json!({"research_only_models": false}));
        let mut english = Document::new("e", "Angela Merkel visited Paris.");
        stage.process(&mut english).unwrap();
        assert_eq!(english.entities, None);
        assert_eq!(english.skipped[0].reason, "no model for lang=en");
        let mut danish = document_in("da", "Mette Frederiksen besøgte Aarhus.");
        stage.process(&mut danish).unwrap();
        assert!(danish.entities.is_some());
        let open: Vec<&str> = SHIPPED_MODELS
            .iter()
            .filter(|m| m.terms == DataTerms::Open)
            .map(|m| m.lang)
            .collect();
        let built = EntitiesStage::new(
            &EntitiesConfig {
                research_only_models: false,
                ..EntitiesConfig::default()
            },
            &BuildContext::new("."),
        )
        .unwrap();
        assert_eq!(built.languages().collect::<Vec<_>>().len(), open.len());
        // `fallback: english` cannot bring back a refused English model.
        let english_fallback =
            self::stage(json!({"research_only_models": false, "fallback": "english"}));
        let mut finnish = document_in("fi", "Sauli Niinistö.");
        english_fallback.process(&mut finnish).unwrap();
        assert_eq!(finnish.entities, None);
        assert_eq!(finnish.skipped[0].reason, "no model for lang=en");
    }

    #[test]
    fn date_and_amount_rules_run_only_in_languages_they_read() {
        let stage = stage(json!({"rules": ["DATE", "MONEY", "URL"], "labels": []}));
        let mut danish = document_in(
            "da",
            "Den 3. oktober 2024 betalte de 5 mio. kr, se https://example.dk",
        );
        stage.process(&mut danish).unwrap();
        let labels: Vec<&str> = danish
            .entities
            .as_ref()
            .unwrap()
            .iter()
            .map(|e| e.label.as_str())
            .collect();
        assert_eq!(labels, ["URL"]);
        let mut english = Document::new("e", "On 3 October 2024 they paid $5m.");
        stage.process(&mut english).unwrap();
        let labels: Vec<&str> = english
            .entities
            .as_ref()
            .unwrap()
            .iter()
            .map(|e| e.label.as_str())
            .collect();
        assert_eq!(labels, ["DATE", "MONEY"]);
    }

    #[test]
    fn document_pass_keys_reach_the_tagger() {
        let text = "LEEDS UNITED 3 ASTON VILLA 1\nLeeds United beat Aston Villa at Elland Road. \
                    Villa manager Brian Little said Leeds were better. Little left for Birmingham.";
        let model = crate::languages::shipped_model("en").unwrap().load();
        for (config, pass) in [
            (json!({}), DocumentPass::default()),
            (
                json!({"document_consistency": false}),
                DocumentPass {
                    consistency: false,
                    ..DocumentPass::default()
                },
            ),
            (
                json!({"caps_min_score": 0.99}),
                DocumentPass {
                    caps_min_confidence: 0.99,
                    ..DocumentPass::default()
                },
            ),
        ] {
            let stage = stage(config.clone());
            let mut doc = Document::new("c", text);
            stage.process(&mut doc).unwrap();
            let spans: Vec<(usize, usize, String)> = doc
                .entities
                .unwrap()
                .iter()
                .map(|e| (e.start, e.end, e.label.clone()))
                .collect();
            let expected: Vec<(usize, usize, String)> = EntityTagger::new(model.clone())
                .with_document_pass(pass)
                .tag(text, None)
                .iter()
                .map(|m| (m.span.start, m.span.end, m.label.name().to_string()))
                .collect();
            assert_eq!(spans, expected, "{config}");
        }
        let errors = EntitiesFactory
            .build(&json!({"caps_min_score": -1}), &BuildContext::new("."))
            .err()
            .expect("invalid config");
        assert_eq!(errors[0].path, ["caps_min_score"]);
    }

    #[test]
    fn model_files_by_language_are_checked_when_built() {
        let errors = EntitiesFactory
            .build(
                &json!({"models": {"de": "no/such.model", "German": "x.model"}, "model": "y.model"}),
                &BuildContext::new("."),
            )
            .err()
            .expect("invalid config");
        let paths: Vec<String> = errors.iter().map(|e| e.path.join(".")).collect();
        assert_eq!(paths, ["models.German", "models.de", "model"]);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        #[test]
        fn never_breaks_span_invariants(text in "\\PC{0,200}", cut in 0usize..200) {
            let stage = stage(json!({"rules": ["DATE", "TIME", "MONEY", "PERCENT", "QUANTITY", "EMAIL", "URL"]}));
            let mut doc = Document::new("p", text.clone());
            stage.process(&mut doc).unwrap();
            prop_assert!(doc.check_spans().is_ok());
            // An arbitrary sentence layer (on a char boundary) must be fine too.
            let mut cut = cut.min(text.len());
            while !text.is_char_boundary(cut) { cut -= 1; }
            let mut doc = Document::new("q", text.clone());
            doc.sentences = Some(vec![Span::new(0, cut), Span::new(cut, text.len())]);
            stage.process(&mut doc).unwrap();
            prop_assert!(doc.check_spans().is_ok());
        }

        #[test]
        fn words_and_punctuation_mixes_keep_invariants(
            words in proptest::collection::vec("[A-Z][a-z]{0,8}|[a-z]{1,8}|[.,'\"()$%-]|[0-9]{1,4}|\\PC", 0..60)
        ) {
            let text = words.join(" ");
            let stage = stage(json!({"rules": ["DATE", "MONEY", "QUANTITY"]}));
            let mut doc = Document::new("w", text);
            stage.process(&mut doc).unwrap();
            prop_assert!(doc.check_spans().is_ok());
        }
    }
}
