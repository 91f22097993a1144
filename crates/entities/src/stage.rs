//! The `entities` pipeline stage: model, gazetteers and rules behind one typed config.

use std::sync::Arc;

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use textpipe_core::{
    parse_config, BuildContext, ConfigError, Document, Entity, Layer, Span, Stage, StageError,
    StageFactory,
};

use crate::gazetteer::Gazetteer;
use crate::model::Model;
use crate::overlap::overlaps_any;
use crate::rules::{RuleLabel, Rules};
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
    /// A model file trained with the `train` example; the embedded model when absent.
    pub model: Option<String>,
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
}

impl Default for EntitiesConfig {
    fn default() -> Self {
        EntitiesConfig {
            model: None,
            labels: Label::ALL.iter().map(|l| l.name().to_string()).collect(),
            min_score: 0.0,
            gazetteers: Vec::new(),
            gazetteer_label: "MISC".to_string(),
            gazetteer_mode: GazetteerMode::Add,
            gazetteer_ignore_case: false,
            rules: Vec::new(),
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

    fn config_schema(&self) -> Value {
        let labels: Vec<&str> = Label::ALL.iter().map(|l| l.name()).collect();
        let rules: Vec<&str> = RuleLabel::ALL.iter().map(|l| l.name()).collect();
        json!({
            "type": "object",
            "properties": {
                "model": {"type": ["string", "null"], "default": null,
                    "description": "model file trained with `textpipe train entities`, relative to the pipeline file; the built-in model when null"},
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
                    "description": "rule-based labels to switch on"}
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

/// The `entities` stage.
#[derive(Debug, Clone)]
pub struct EntitiesStage {
    tagger: EntityTagger,
    labels: Vec<Label>,
    min_score: f32,
    gazetteer: Option<Gazetteer>,
    mode: GazetteerMode,
    rules: Rules,
}

impl EntitiesStage {
    /// Builds the stage, reading the model and lists; reports every problem at once.
    pub fn new(config: &EntitiesConfig, ctx: &BuildContext) -> Result<Self, Vec<ConfigError>> {
        let mut errors = Vec::new();
        let model = match &config.model {
            None => Some(Model::embedded()),
            Some(path) => match Model::load(&ctx.resolve(path)) {
                Ok(model) => Some(Arc::new(model)),
                Err(e) => {
                    errors.push(ConfigError::at(&["model"], e.to_string()));
                    None
                }
            },
        };
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
        let gazetteer = build_gazetteer(config, ctx, &mut errors);
        match model {
            Some(model) if errors.is_empty() => Ok(EntitiesStage {
                tagger: EntityTagger::new(model),
                labels,
                min_score: config.min_score,
                gazetteer,
                mode: config.gazetteer_mode,
                rules: Rules::new(&rules),
            }),
            _ => Err(errors),
        }
    }
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
        match std::fs::read_to_string(&resolved) {
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

impl Stage for EntitiesStage {
    fn name(&self) -> &str {
        "entities"
    }

    fn process(&self, doc: &mut Document) -> Result<(), StageError> {
        let text = doc.text.as_str();
        let mut entities: Vec<Entity> = self
            .tagger
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
            merge(&mut entities, matches, self.mode == GazetteerMode::Override);
        }
        if !self.rules.is_empty() {
            let matches = self
                .rules
                .find(text)
                .into_iter()
                .map(|(span, label)| Entity {
                    source: Some("rule".into()),
                    ..Entity::new(text, span, label.name())
                });
            merge(&mut entities, matches, false);
        }
        doc.entities = Some(entities);
        Ok(())
    }

    fn provides(&self) -> &[Layer] {
        &[Layer::Entities]
    }
}

/// Merges `extra` mentions (sorted, disjoint) into sorted, disjoint `entities`: an
/// overlapping extra mention either replaces what it overlaps (`override`) or is dropped.
fn merge(entities: &mut Vec<Entity>, extra: impl Iterator<Item = Entity>, override_: bool) {
    let extra: Vec<Entity> = extra.collect();
    if extra.is_empty() {
        return;
    }
    let spans = |list: &[Entity]| -> Vec<Span> { list.iter().map(Entity::span).collect() };
    if override_ {
        let clashes = overlaps_any(&spans(&extra), entities.iter().map(Entity::span));
        let mut clashes = clashes.into_iter();
        entities.retain(|_| !clashes.next().unwrap_or(false));
        entities.extend(extra);
    } else {
        let clashes = overlaps_any(&spans(entities), extra.iter().map(Entity::span));
        entities.extend(
            extra
                .into_iter()
                .zip(clashes)
                .filter(|(_, clash)| !clash)
                .map(|(e, _)| e),
        );
    }
    entities.sort_by_key(|e| (e.start, e.end));
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

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
