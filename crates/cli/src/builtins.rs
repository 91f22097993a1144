//! What the command line is built with: the stage kinds and the default pipeline, handed in
//! by the `textpipe` facade (which fills the built-in registry), plus loading pipelines
//! against them with plugin libraries.

use std::path::Path;

use textpipe_core::{Layer, LoadError, Pipeline, PipelineFile, PipelineFormat, Registry};

/// How the default pipeline is named in messages.
pub const DEFAULT_PIPELINE_ORIGIN: &str = "<default pipeline>";

/// The stage kinds and default pipeline a front-end offers.
#[derive(Debug, Clone, Copy)]
pub struct Builtins {
    /// Makes a registry holding every built-in stage kind.
    pub registry: fn() -> Registry,
    /// The pipeline used without `--pipeline`, as JSON: compiled in, so the main job needs no
    /// file and no download.
    pub default_pipeline: &'static str,
}

impl Builtins {
    /// The pipeline file at `path`, or the default pipeline when `path` is `None`.
    pub fn pipeline_file(&self, path: Option<&Path>) -> Result<PipelineFile, LoadError> {
        match path {
            Some(path) => self.expand(PipelineFile::read(path)?),
            None => PipelineFile::parse(
                self.default_pipeline,
                PipelineFormat::Json,
                DEFAULT_PIPELINE_ORIGIN,
                Path::new("."),
            ),
        }
    }

    /// `file` laid over the default pipeline when it says `"extends": "default"`, else as
    /// it is. A pipeline file that comes from elsewhere than disk (a Python dict) goes
    /// through here as a file read from disk does.
    pub fn expand(&self, mut file: PipelineFile) -> Result<PipelineFile, LoadError> {
        if file.extends() == Some("default") {
            file.extend(&self.pipeline_file(None)?);
        }
        Ok(file)
    }

    /// Builds `file` against the built-in registry, loading the plugin libraries and
    /// process stages it names. `assumed` are layers the input documents already carry.
    pub fn build(&self, file: &PipelineFile, assumed: &[Layer]) -> Result<Pipeline, LoadError> {
        file.build(
            &(self.registry)(),
            Some(&textpipe_process::StageLoader),
            assumed,
        )
    }

    /// Reads and builds a pipeline (the default one when `path` is `None`) as
    /// [`Builtins::build`] does.
    pub fn load_pipeline(
        &self,
        path: Option<&Path>,
        assumed: &[Layer],
    ) -> Result<Pipeline, LoadError> {
        self.build(&self.pipeline_file(path)?, assumed)
    }
}
