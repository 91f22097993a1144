//! Stages to bench, built from pipeline-file snippets through a registry, exactly as a
//! pipeline file would build them (so a plugin is benched through the same loader and ABI
//! that `textpipe run` uses).

use std::path::Path;

use serde_json::Value;
use textpipe_core::{
    Layer, LoadError, Pipeline, PipelineFile, PipelineFormat, PluginLoader, Registry,
};

/// Why a snippet did not give a pipeline.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SnippetError {
    /// The snippet is not JSON.
    #[error("the bench snippet is not JSON: {0}")]
    Syntax(#[from] serde_json::Error),
    /// The snippet is neither a stage entry nor a pipeline file.
    #[error("the bench snippet must be a stage entry ({{\"stage\": ...}}) or a pipeline file ({{\"name\": ..., \"stages\": [...]}})")]
    Shape,
    /// The pipeline file layer refused it (unknown kind, bad config, plugin not loadable, ...).
    #[error("{0}")]
    Load(#[from] LoadError),
}

/// Builds the pipeline of `snippet`: one stage entry (`{"stage": "summarize", "with":
/// {"sentences": 3}}`, `{"stage": "x", "plugin": "target/release/libx.so"}`) or a whole
/// pipeline file (`{"name": ..., "stages": [...]}`). Paths resolve against the current folder
/// (for `cargo bench`, the package's root); use [`build_pipeline_in`] to choose another.
///
/// A single entry may require layers no stage before it provides: the fixture is assumed to
/// carry them (see [`crate::Fixture::prepared`]). A whole pipeline is checked as `textpipe run`
/// checks it.
///
/// ```
/// use std::sync::Arc;
/// # use textpipe_core::{BuildContext, ConfigError, Document, Stage, StageError, StageFactory};
/// # struct Upper;
/// # impl Stage for Upper {
/// #     fn name(&self) -> &str { "upper" }
/// #     fn process(&self, doc: &mut Document) -> Result<(), StageError> {
/// #         doc.text = doc.text.to_uppercase();
/// #         Ok(())
/// #     }
/// # }
/// # struct UpperFactory;
/// # impl StageFactory for UpperFactory {
/// #     fn kind(&self) -> &str { "upper" }
/// #     fn summary(&self) -> &str { "upper-cases the text" }
/// #     fn config_schema(&self) -> serde_json::Value { serde_json::json!({"type": "object", "properties": {}}) }
/// #     fn example(&self) -> serde_json::Value { serde_json::json!({}) }
/// #     fn build(&self, _: &serde_json::Value, _: &BuildContext) -> Result<Box<dyn Stage>, Vec<ConfigError>> {
/// #         Ok(Box::new(Upper))
/// #     }
/// # }
/// let mut registry = textpipe_core::Registry::new();
/// registry.register(Arc::new(UpperFactory));
/// let pipeline = textpipe_benchkit::build_pipeline(r#"{"stage": "upper"}"#, &registry, None).unwrap();
/// assert_eq!(pipeline.stages()[0].name(), "upper");
/// ```
pub fn build_pipeline(
    snippet: &str,
    registry: &Registry,
    plugins: Option<&dyn PluginLoader>,
) -> Result<Pipeline, SnippetError> {
    build_pipeline_in(snippet, Path::new("."), registry, plugins)
}

/// [`build_pipeline`] with relative paths (plugin libraries, config files) resolved against
/// `base_dir`.
pub fn build_pipeline_in(
    snippet: &str,
    base_dir: &Path,
    registry: &Registry,
    plugins: Option<&dyn PluginLoader>,
) -> Result<Pipeline, SnippetError> {
    let value: Value = serde_json::from_str(snippet)?;
    let (file_text, assumed): (String, &[Layer]) = match &value {
        Value::Object(map) if map.contains_key("stages") => (snippet.to_string(), &[]),
        Value::Object(map) if map.contains_key("stage") => {
            let name = map.get("stage").and_then(Value::as_str).unwrap_or("stage");
            let file = serde_json::json!({"name": format!("bench-{name}"), "stages": [value]});
            (file.to_string(), &EVERY_LAYER)
        }
        _ => return Err(SnippetError::Shape),
    };
    let file = PipelineFile::parse(
        &file_text,
        PipelineFormat::Json,
        "<bench snippet>",
        base_dir,
    )?;
    Ok(file.build(registry, plugins, assumed)?)
}

/// What a lone stage may find on fixture documents. Layers assumed present count as made by
/// the input, so even a text-rewriting stage (boilerplate removal) is accepted.
const EVERY_LAYER: [Layer; 4] = [
    Layer::Sentences,
    Layer::Entities,
    Layer::Summary,
    Layer::Removed,
];

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use serde_json::json;
    use textpipe_core::{BuildContext, ConfigError, Document, Stage, StageError, StageFactory};

    use super::*;

    /// Needs sentences, like `summarize`.
    struct CountSentences;

    impl Stage for CountSentences {
        fn name(&self) -> &str {
            "count-sentences"
        }

        fn process(&self, doc: &mut Document) -> Result<(), StageError> {
            let count = doc.sentence_spans().len();
            doc.ext.insert("count-sentences".into(), json!(count));
            Ok(())
        }

        fn requires(&self) -> &[Layer] {
            &[Layer::Sentences]
        }
    }

    struct CountSentencesFactory;

    impl StageFactory for CountSentencesFactory {
        fn kind(&self) -> &str {
            "count-sentences"
        }

        fn summary(&self) -> &str {
            "counts sentences"
        }

        fn config_schema(&self) -> Value {
            json!({"type": "object", "properties": {}})
        }

        fn example(&self) -> Value {
            json!({})
        }

        fn build(
            &self,
            config: &Value,
            _ctx: &BuildContext,
        ) -> Result<Box<dyn Stage>, Vec<ConfigError>> {
            match config {
                Value::Null => Ok(Box::new(CountSentences)),
                Value::Object(map) if map.is_empty() => Ok(Box::new(CountSentences)),
                _ => Err(vec![ConfigError::at(&[], "takes no options")]),
            }
        }
    }

    fn registry() -> Registry {
        let mut registry = Registry::new();
        registry.register(Arc::new(CountSentencesFactory));
        registry
    }

    #[test]
    fn a_lone_entry_may_require_layers_the_fixture_carries() {
        let pipeline =
            build_pipeline(r#"{"stage": "count-sentences"}"#, &registry(), None).unwrap();
        assert_eq!(pipeline.name(), "bench-count-sentences");
        assert_eq!(pipeline.stages().len(), 1);
    }

    #[test]
    fn a_whole_pipeline_is_checked_like_a_pipeline_file() {
        let snippet = r#"{"name": "p", "stages": [{"stage": "count-sentences"}]}"#;
        let error = build_pipeline(snippet, &registry(), None)
            .err()
            .expect("refused");
        assert!(error.to_string().contains("sentences"), "{error}");
    }

    #[test]
    fn unknown_kinds_bad_configs_and_odd_shapes_are_refused() {
        let error = build_pipeline(r#"{"stage": "count-sentence"}"#, &registry(), None)
            .err()
            .expect("refused");
        assert!(
            error.to_string().contains("did you mean `count-sentences`"),
            "{error}"
        );
        let error = build_pipeline(
            r#"{"stage": "count-sentences", "with": {"x": 1}}"#,
            &registry(),
            None,
        )
        .err()
        .expect("refused");
        assert!(error.to_string().contains("takes no options"), "{error}");
        assert!(matches!(
            build_pipeline("[1]", &registry(), None),
            Err(SnippetError::Shape)
        ));
        assert!(matches!(
            build_pipeline("{", &registry(), None),
            Err(SnippetError::Syntax(_))
        ));
    }

    #[test]
    fn plugin_entries_without_a_loader_are_refused() {
        let error = build_pipeline(r#"{"stage": "x", "plugin": "libx.so"}"#, &registry(), None)
            .err()
            .expect("refused");
        assert!(matches!(error, SnippetError::Load(_)), "{error}");
    }
}
