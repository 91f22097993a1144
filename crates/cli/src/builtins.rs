//! The stage kinds that ship with textpipe, and the pipeline used when none is given.

use std::path::Path;

use std::sync::Arc;

use textpipe_core::{
    Layer, LoadError, Pipeline, PipelineFile, PipelineFormat, PluginLoader, Registry, StageFactory,
};

/// The pipeline `textpipe run` uses without `--pipeline`: boilerplate removal, sentences,
/// entities and a three-sentence summary. Compiled in, so the main job needs no file.
pub const DEFAULT_PIPELINE: &str = include_str!("default_pipeline.json");

/// How the default pipeline is named in messages.
pub const DEFAULT_PIPELINE_ORIGIN: &str = "<default pipeline>";

/// A registry holding every built-in stage kind.
///
/// Each stage crate exports one factory; wiring a new one is one `register` line.
pub fn builtin_registry() -> Registry {
    let mut registry = Registry::new();
    registry.register(Arc::new(textpipe_boilerplate::BoilerplateFactory));
    registry.register(Arc::new(textpipe_sentences::SentencesFactory));
    registry.register(Arc::new(textpipe_entities::EntitiesFactory));
    registry.register(Arc::new(textpipe_summarize::SummarizeFactory));
    registry
}

/// The pipeline file at `path`, or the embedded default pipeline when `path` is `None`.
pub fn pipeline_file(path: Option<&Path>) -> Result<PipelineFile, LoadError> {
    match path {
        Some(path) => PipelineFile::read(path),
        None => PipelineFile::parse(
            DEFAULT_PIPELINE,
            PipelineFormat::Json,
            DEFAULT_PIPELINE_ORIGIN,
            Path::new("."),
        ),
    }
}

/// Reads and builds a pipeline against the built-in registry, loading the plugin libraries it
/// names (see [`pipeline_file`]). `assumed` are layers the input documents already carry.
pub fn load_pipeline(path: Option<&Path>, assumed: &[Layer]) -> Result<Pipeline, LoadError> {
    pipeline_file(path)?.build(&builtin_registry(), Some(&SharedLibraryPlugins), assumed)
}

/// Plugin entries of pipeline files, loaded as shared libraries by `textpipe-plugin`.
#[derive(Debug, Clone, Copy, Default)]
pub struct SharedLibraryPlugins;

impl PluginLoader for SharedLibraryPlugins {
    fn load(&self, path: &Path) -> Result<Vec<Arc<dyn StageFactory>>, String> {
        textpipe_plugin::HostPluginLoader.load(path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_builtin_kind_passes_the_compliance_check() {
        let registry = builtin_registry();
        let kinds: Vec<&str> = registry.kinds().map(|f| f.kind()).collect();
        assert_eq!(kinds, ["boilerplate", "entities", "sentences", "summarize"]);
        for factory in registry.kinds() {
            textpipe_testkit::check_factory(factory.as_ref());
        }
    }

    #[test]
    fn the_default_pipeline_builds() {
        let pipeline = load_pipeline(None, &[]).unwrap();
        let names: Vec<&str> = pipeline.stages().iter().map(|s| s.name()).collect();
        assert_eq!(names, ["boilerplate", "sentences", "entities", "summarize"]);
    }
}
