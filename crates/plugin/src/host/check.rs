//! `textpipe plugin check PATH`: load a plugin, describe it, and run a sample document through
//! each of its stages, so a team sees at once whether their build works with this textpipe.

use std::path::{Path, PathBuf};

use serde::Serialize;
use serde_json::Value;
use textpipe_core::{BuildContext, Document, Entity, Span};

use crate::host::library::{PluginError, PluginLibrary};

/// What `check_plugin` found.
#[derive(Debug, Clone, Serialize)]
pub struct PluginReport {
    /// The library's path.
    pub path: PathBuf,
    /// The plugin's name.
    pub name: String,
    /// The plugin's own version.
    pub version: String,
    /// The ABI version it was built for.
    pub abi_version: u32,
    /// One entry per stage kind.
    pub stages: Vec<StageReport>,
}

/// One stage kind of a checked plugin.
#[derive(Debug, Clone, Serialize)]
pub struct StageReport {
    /// Kind name in pipeline files.
    pub kind: String,
    /// One line saying what it does.
    pub summary: String,
    /// Layer names it needs.
    pub requires: Vec<&'static str>,
    /// Layer names it writes.
    pub provides: Vec<&'static str>,
    /// JSON Schema of its config.
    pub config_schema: Value,
    /// The example config it was built with.
    pub example: Value,
    /// The sample document after the stage ran.
    pub sample_output: Document,
}

/// Loads the plugin at `path`, builds each stage with its example config and runs
/// [`sample_document`] through it. Fails on the first stage that does not build or run.
pub fn check_plugin(path: impl AsRef<Path>) -> Result<PluginReport, PluginError> {
    let library = PluginLibrary::load(path.as_ref())?;
    let mut stages = Vec::new();
    for (factory, info) in library.factories().iter().zip(library.stages()) {
        let failed = |message: String| PluginError::CheckFailed {
            path: library.path().to_path_buf(),
            stage: info.kind.clone(),
            message,
        };
        let ctx = BuildContext::new(library.path().parent().unwrap_or(Path::new(".")));
        let stage = factory.build(&info.example, &ctx).map_err(|errors| {
            let listed: Vec<String> = errors.iter().map(ToString::to_string).collect();
            failed(format!(
                "the example config is refused: {}",
                listed.join("; ")
            ))
        })?;
        let mut doc = sample_document();
        stage
            .process(&mut doc)
            .map_err(|e| failed(format!("the sample document failed: {e}")))?;
        stages.push(StageReport {
            kind: info.kind.clone(),
            summary: info.summary.clone(),
            requires: info.requires.iter().map(|l| l.name()).collect(),
            provides: info.provides.iter().map(|l| l.name()).collect(),
            config_schema: info.config_schema.clone(),
            example: info.example.clone(),
            sample_output: doc,
        });
    }
    Ok(PluginReport {
        path: library.path().to_path_buf(),
        name: library.name().to_string(),
        version: library.version().to_string(),
        abi_version: library.abi_version(),
        stages,
    })
}

/// A short news document with sentences and entities, so stages that require those layers can
/// be checked too.
pub fn sample_document() -> Document {
    let text = "The city council of Lyon approved a new tram line on Monday. \
                Mayor Anne Dubois said construction would start in March. \
                The project will cost 120 million euros, according to the council.";
    let mut doc = Document::new("sample", text);
    doc.meta
        .insert("title".into(), Value::from("Lyon approves new tram line"));
    let mut sentences = Vec::new();
    let mut start = 0;
    for (i, _) in text.match_indices(". ") {
        sentences.push(Span::new(start, i + 1));
        start = i + 2;
    }
    sentences.push(Span::new(start, text.len()));
    doc.sentences = Some(sentences);
    let entity = |name: &str, label: &str| {
        let start = text.find(name).unwrap_or(0);
        Entity::new(text, Span::new(start, start + name.len()), label)
    };
    doc.entities = Some(vec![entity("Lyon", "LOC"), entity("Anne Dubois", "PER")]);
    doc
}

impl std::fmt::Display for PluginReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(f, "plugin:  {} {}", self.name, self.version)?;
        writeln!(f, "file:    {}", self.path.display())?;
        writeln!(f, "ABI:     version {}", self.abi_version)?;
        for stage in &self.stages {
            writeln!(f, "\nstage `{}`: {}", stage.kind, stage.summary)?;
            writeln!(f, "  requires: {}", list(&stage.requires))?;
            writeln!(f, "  provides: {}", list(&stage.provides))?;
            writeln!(f, "  config schema: {}", stage.config_schema)?;
            writeln!(f, "  example config: {}", stage.example)?;
            let output =
                serde_json::to_string(&stage.sample_output).map_err(|_| std::fmt::Error)?;
            writeln!(f, "  sample document after the stage: {output}")?;
        }
        Ok(())
    }
}

fn list(names: &[&str]) -> String {
    if names.is_empty() {
        "(nothing)".to_string()
    } else {
        names.join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sample_document_has_valid_sentences_and_entities() {
        let doc = sample_document();
        doc.check_spans().unwrap();
        assert_eq!(doc.sentence_spans().len(), 3);
        assert_eq!(
            doc.sentence_text(1),
            Some("Mayor Anne Dubois said construction would start in March.")
        );
        assert_eq!(doc.entities.as_ref().unwrap()[1].text, "Anne Dubois");
    }
}
