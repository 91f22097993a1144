//! Plugin stages for testing the plugin host: `identity` (the overhead bench),
//! `panic-on-marker` (a stage that panics on purpose, to check panic isolation) and
//! `fields-seen` (records which document fields crossed the boundary to it).
//!
//! Both are ordinary `StageFactory` / `Stage` pairs exported with
//! `textpipe_plugin::export_plugin!`, exactly as a team's stage would be: what the host tests
//! observe is what a real plugin gets.
#![deny(missing_docs)]

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use textpipe_core::{
    parse_config, BuildContext, ConfigError, Document, Stage, StageError, StageFactory,
};

/// Builds `identity` stages.
#[derive(Debug, Default)]
pub struct IdentityFactory;

/// `identity` takes no options.
#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct IdentityConfig {}

impl StageFactory for IdentityFactory {
    fn kind(&self) -> &str {
        "identity"
    }

    fn summary(&self) -> &str {
        "Changes nothing; measures the cost of the plugin boundary"
    }

    fn config_schema(&self) -> Value {
        json!({"type": "object", "properties": {}})
    }

    fn example(&self) -> Value {
        json!({})
    }

    fn build(&self, config: &Value, _: &BuildContext) -> Result<Box<dyn Stage>, Vec<ConfigError>> {
        let IdentityConfig {} = parse_config(config)?;
        Ok(Box::new(Identity))
    }
}

/// The `identity` stage.
#[derive(Debug)]
pub struct Identity;

impl Stage for Identity {
    fn name(&self) -> &str {
        "identity"
    }

    fn process(&self, _doc: &mut Document) -> Result<(), StageError> {
        Ok(())
    }
}

/// Options of `panic-on-marker`.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct PanicOnMarkerConfig {
    /// The stage panics on documents whose text contains this.
    pub marker: String,
}

impl Default for PanicOnMarkerConfig {
    fn default() -> Self {
        PanicOnMarkerConfig {
            marker: "PANIC".to_string(),
        }
    }
}

/// Builds `panic-on-marker` stages.
#[derive(Debug, Default)]
pub struct PanicOnMarkerFactory;

impl StageFactory for PanicOnMarkerFactory {
    fn kind(&self) -> &str {
        "panic-on-marker"
    }

    fn summary(&self) -> &str {
        "Panics on documents containing a marker (tests panic isolation); counts chars of others"
    }

    fn config_schema(&self) -> Value {
        json!({"type": "object", "properties": {
            "marker": {"type": "string", "default": "PANIC",
                       "description": "The stage panics on documents whose text contains this"}
        }})
    }

    fn example(&self) -> Value {
        json!({"marker": "PANIC"})
    }

    fn build(&self, config: &Value, _: &BuildContext) -> Result<Box<dyn Stage>, Vec<ConfigError>> {
        let config: PanicOnMarkerConfig = parse_config(config)?;
        if config.marker.is_empty() {
            return Err(vec![ConfigError::at(
                &["marker"],
                "must not be empty: every document would panic",
            )]);
        }
        Ok(Box::new(PanicOnMarker {
            marker: config.marker,
        }))
    }
}

/// The `panic-on-marker` stage.
#[derive(Debug)]
pub struct PanicOnMarker {
    marker: String,
}

impl Stage for PanicOnMarker {
    fn name(&self) -> &str {
        "panic-on-marker"
    }

    fn process(&self, doc: &mut Document) -> Result<(), StageError> {
        if doc.text.contains(&self.marker) {
            panic!(
                "document `{}` contains the marker `{}`",
                doc.id, self.marker
            );
        }
        doc.ext.insert(
            "panic-on-marker".into(),
            json!({"chars": doc.text.chars().count()}),
        );
        Ok(())
    }
}

/// Builds `fields-seen` stages.
#[derive(Debug, Default)]
pub struct FieldsSeenFactory;

impl StageFactory for FieldsSeenFactory {
    fn kind(&self) -> &str {
        "fields-seen"
    }

    fn summary(&self) -> &str {
        "Lists the document fields it received in ext.fields-seen (tests what crosses the boundary)"
    }

    fn config_schema(&self) -> Value {
        json!({"type": "object", "properties": {}})
    }

    fn example(&self) -> Value {
        json!({})
    }

    fn build(&self, config: &Value, _: &BuildContext) -> Result<Box<dyn Stage>, Vec<ConfigError>> {
        let IdentityConfig {} = parse_config(config)?;
        Ok(Box::new(FieldsSeen))
    }
}

/// The `fields-seen` stage: requires and provides no layer, so it should get only `id`,
/// `text`, `lang`, `meta` and `ext`.
#[derive(Debug)]
pub struct FieldsSeen;

impl Stage for FieldsSeen {
    fn name(&self) -> &str {
        "fields-seen"
    }

    fn process(&self, doc: &mut Document) -> Result<(), StageError> {
        let present = [
            ("lang", doc.lang.is_some()),
            ("meta", !doc.meta.is_empty()),
            ("html", doc.html.is_some()),
            ("sentences", doc.sentences.is_some()),
            ("entities", doc.entities.is_some()),
            ("summary", doc.summary.is_some()),
            ("removed", doc.removed.is_some()),
            ("ext", !doc.ext.is_empty()),
        ];
        let seen: Vec<&str> = present
            .iter()
            .filter(|(_, here)| *here)
            .map(|(name, _)| *name)
            .collect();
        doc.ext.insert("fields-seen".into(), json!(seen));
        Ok(())
    }
}

textpipe_plugin::export_plugin! {
    name: "textpipe-plugin-testing",
    version: env!("CARGO_PKG_VERSION"),
    stages: [IdentityFactory, PanicOnMarkerFactory, FieldsSeenFactory],
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn factories_comply() {
        textpipe_testkit::check_factory(&IdentityFactory);
        textpipe_testkit::check_factory(&PanicOnMarkerFactory);
        textpipe_testkit::check_factory(&FieldsSeenFactory);
    }

    #[test]
    fn schemas_match_configs() {
        let keys = |v: Value| v.as_object().unwrap().keys().cloned().collect::<Vec<_>>();
        assert_eq!(
            keys(PanicOnMarkerFactory.config_schema()["properties"].clone()),
            keys(serde_json::to_value(PanicOnMarkerConfig::default()).unwrap())
        );
        assert_eq!(
            keys(IdentityFactory.config_schema()["properties"].clone()),
            keys(serde_json::to_value(IdentityConfig::default()).unwrap())
        );
    }

    #[test]
    fn panics_only_on_the_marker() {
        let stage = PanicOnMarkerFactory
            .build(&Value::Null, &BuildContext::default())
            .unwrap();
        let mut calm = Document::new("1", "fine");
        stage.process(&mut calm).unwrap();
        assert_eq!(calm.ext["panic-on-marker"], json!({"chars": 4}));
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            stage.process(&mut Document::new("2", "PANIC now")).ok();
        }));
        assert!(outcome.is_err());
    }

    #[test]
    fn empty_marker_is_refused() {
        assert!(PanicOnMarkerFactory
            .build(&json!({"marker": ""}), &BuildContext::default())
            .is_err());
    }
}
