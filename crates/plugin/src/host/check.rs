//! `textpipe plugin check PATH`: load a plugin, describe it, and run sample documents through
//! each of its stages, so a team sees at once whether their build works with this textpipe.
//!
//! One friendly sample document proves little: the stages that take a corpus run down are the
//! ones that loop on an empty text, split a multi-byte character, or go quadratic on a long
//! page. So after the sample, each stage gets the [`hostile_documents`] (empty, multi-byte,
//! huge, without layers), each under a timeout, and the check names the document that broke
//! it. A document without the layers a stage requires may be refused with an error (a
//! pipeline never sends one), but it must not hang the stage or make it write a broken span.
//! A stage that crashes the process cannot be reported after the fact: [`check_plugin_with`]
//! announces every document before it runs, so the last announcement names the culprit.

use std::path::{Path, PathBuf};
use std::sync::{mpsc, Arc};
use std::time::{Duration, Instant};

use serde::Serialize;
use serde_json::Value;
use textpipe_core::{BuildContext, Document, Entity, Layer, Span, Stage};

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
    /// How the stage fared on each of the [`hostile_documents`].
    pub hostile: Vec<HostileOutcome>,
}

/// How a stage fared on one hostile document (it passed, or the check would have failed).
#[derive(Debug, Clone, Serialize)]
pub struct HostileOutcome {
    /// The document's name (`empty`, `multi-byte`, `huge`, `no-layers`).
    pub document: &'static str,
    /// Its text's size in bytes.
    pub bytes: usize,
    /// How long the stage took on it.
    pub seconds: f64,
    /// The stage's error, when it refused a document that lacks layers it requires.
    pub refused: Option<String>,
}

/// How `check_plugin_with` runs.
#[derive(Debug, Clone)]
pub struct CheckOptions {
    /// The longest a stage may take on one document before the check fails. A stage that
    /// exceeds it keeps running on its thread until the process ends: a check is a one-off.
    pub timeout: Duration,
}

impl Default for CheckOptions {
    fn default() -> Self {
        // The huge document is 4 MiB: a linear stage does it in well under a second even in a
        // debug build, a quadratic one never finishes.
        CheckOptions {
            timeout: Duration::from_secs(10),
        }
    }
}

/// A step of a check, announced before it runs.
#[derive(Debug, Clone, Copy)]
pub struct CheckStep<'a> {
    /// The stage kind.
    pub stage: &'a str,
    /// The document about to go through it (`sample` or a hostile document's name).
    pub document: &'static str,
    /// Its text's size in bytes.
    pub bytes: usize,
}

impl std::fmt::Display for CheckStep<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "checking stage `{}` on document `{}` ({} bytes)",
            self.stage, self.document, self.bytes
        )
    }
}

/// Loads the plugin at `path`, builds each stage with its example config and runs
/// [`sample_document`] and the [`hostile_documents`] through it, with the default
/// [`CheckOptions`]. Fails on the first stage that does not build, fails a document, writes a
/// broken span or exceeds the timeout, naming the document.
pub fn check_plugin(path: impl AsRef<Path>) -> Result<PluginReport, PluginError> {
    check_plugin_with(path, &CheckOptions::default(), &mut |_| {})
}

/// [`check_plugin`] with options; `on_step` hears of every document before a stage gets it
/// (print it, so that a stage that crashes the process is named by the last line).
pub fn check_plugin_with(
    path: impl AsRef<Path>,
    options: &CheckOptions,
    on_step: &mut dyn FnMut(CheckStep<'_>),
) -> Result<PluginReport, PluginError> {
    let library = PluginLibrary::load(path.as_ref())?;
    let mut stages = Vec::new();
    for (factory, info) in library.factories().iter().zip(library.stages()) {
        let failed = |message: String| PluginError::CheckFailed {
            path: library.path().to_path_buf(),
            stage: info.kind.clone(),
            message,
        };
        let ctx = BuildContext::new(library.path().parent().unwrap_or(Path::new(".")));
        let stage: Arc<dyn Stage> = factory
            .build(&info.example, &ctx)
            .map_err(|errors| {
                let listed: Vec<String> = errors.iter().map(ToString::to_string).collect();
                failed(format!(
                    "the example config is refused: {}",
                    listed.join("; ")
                ))
            })?
            .into();
        let announce = |on_step: &mut dyn FnMut(CheckStep<'_>), document, doc: &Document| {
            on_step(CheckStep {
                stage: &info.kind,
                document,
                bytes: doc.text.len(),
            })
        };
        let sample = sample_document();
        announce(on_step, "sample", &sample);
        let (sample_output, result, _) = run_with_timeout(&stage, sample, options.timeout)
            .map_err(|message| failed(format!("the sample document {message}")))?;
        result.map_err(|e| failed(format!("the sample document failed: {e}")))?;
        let mut hostile = Vec::new();
        for (name, doc) in hostile_documents() {
            let bytes = doc.text.len();
            let lacks_required = info.requires.iter().any(|&layer| !has_layer(&doc, layer));
            announce(on_step, name, &doc);
            let (output, result, elapsed) = run_with_timeout(&stage, doc, options.timeout)
                .map_err(|message| failed(format!("the `{name}` document {message}")))?;
            let refused = match result {
                Ok(()) => None,
                Err(e) if lacks_required => Some(e.to_string()),
                Err(e) => return Err(failed(format!("the `{name}` document failed: {e}"))),
            };
            output.check_spans().map_err(|e| {
                failed(format!(
                    "the `{name}` document came out with a broken span: {e}"
                ))
            })?;
            hostile.push(HostileOutcome {
                document: name,
                bytes,
                seconds: elapsed.as_secs_f64(),
                refused,
            });
        }
        stages.push(StageReport {
            kind: info.kind.clone(),
            summary: info.summary.clone(),
            requires: info.requires.iter().map(|l| l.name()).collect(),
            provides: info.provides.iter().map(|l| l.name()).collect(),
            config_schema: info.config_schema.clone(),
            example: info.example.clone(),
            sample_output,
            hostile,
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

type StageRun = (Document, Result<(), textpipe_core::StageError>, Duration);

/// Runs `stage` on `doc` on its own thread and waits at most `timeout`. A stage that does not
/// return in time is left running (no thread can be stopped from outside); the message says
/// what happened, to follow "the `huge` document".
fn run_with_timeout(
    stage: &Arc<dyn Stage>,
    mut doc: Document,
    timeout: Duration,
) -> Result<StageRun, String> {
    let (sender, receiver) = mpsc::channel();
    let stage = Arc::clone(stage);
    let spawned = std::thread::Builder::new()
        .name("plugin-check".into())
        .spawn(move || {
            let started = Instant::now();
            let result = stage.process(&mut doc);
            let _ = sender.send((doc, result, started.elapsed()));
        });
    if let Err(e) = spawned {
        return Err(format!("could not be run: no thread for the stage: {e}"));
    }
    match receiver.recv_timeout(timeout) {
        Ok(run) => Ok(run),
        Err(mpsc::RecvTimeoutError::Timeout) => Err(format!(
            "did not finish within {:.1} s (timeout): the stage hangs or is too slow on it",
            timeout.as_secs_f64()
        )),
        Err(mpsc::RecvTimeoutError::Disconnected) => {
            Err("ended the stage's thread without a result".to_string())
        }
    }
}

fn has_layer(doc: &Document, layer: Layer) -> bool {
    match layer {
        Layer::Sentences => doc.sentences.is_some(),
        Layer::Entities => doc.entities.is_some(),
        Layer::Summary => doc.summary.is_some(),
        Layer::Removed => doc.removed.is_some(),
        // Text is always there; a layer added to core later is not checked here.
        _ => true,
    }
}

/// The documents that break careless stages, with their names: `empty` (no text, empty
/// layers), `multi-byte` (CJK, Arabic, combining marks, emoji sequences, a control character;
/// spans on character boundaries), `huge` (4 MiB of news text with ~40,000 sentences and
/// ~27,000 entities) and `no-layers` (the sample text with no layer at all).
pub fn hostile_documents() -> Vec<(&'static str, Document)> {
    let mut empty = Document::new("hostile-empty", "");
    empty.sentences = Some(Vec::new());
    empty.entities = Some(Vec::new());

    let mut multi_byte = LayeredText::new();
    multi_byte.sentence(&[
        ("Ébène ", None),
        ("Zoë Ångström", Some("PER")),
        (" a visité ", None),
        ("東京", Some("LOC")),
        (" 🇫🇷👩\u{200d}💻 hier.", None),
    ]);
    multi_byte.sentence(&[
        ("قالت ", None),
        ("ليلى", Some("PER")),
        (" إن المشروع سيبدأ. ", None),
    ]);
    multi_byte.sentence(&[
        ("Cafe\u{301} ", None),
        ("Zürich", Some("LOC")),
        (" \u{7}\tend 𝔘𝔫𝔦𝔠𝔬𝔡𝔢", None),
    ]);
    let multi_byte = multi_byte.into_document("hostile-multi-byte");

    let sample = sample_document();
    let mut huge = LayeredText::new();
    const HUGE_BYTES: usize = 4 << 20;
    while huge.text.len() < HUGE_BYTES {
        huge.sentence(&[
            ("The city council of ", None),
            ("Lyon", Some("LOC")),
            (" approved a new tram line on Monday, said ", None),
            ("Anne Dubois", Some("PER")),
            (". ", None),
        ]);
        huge.sentence(&[("The project will cost 120 million euros. ", None)]);
    }
    let huge = huge.into_document("hostile-huge");

    let no_layers = Document::new("hostile-no-layers", sample.text);
    vec![
        ("empty", empty),
        ("multi-byte", multi_byte),
        ("huge", huge),
        ("no-layers", no_layers),
    ]
}

/// Text built piece by piece, with a sentence span per call and an entity per labelled piece,
/// so every span is right by construction.
struct LayeredText {
    text: String,
    sentences: Vec<Span>,
    entities: Vec<(Span, &'static str)>,
}

impl LayeredText {
    fn new() -> Self {
        LayeredText {
            text: String::new(),
            sentences: Vec::new(),
            entities: Vec::new(),
        }
    }

    fn sentence(&mut self, pieces: &[(&str, Option<&'static str>)]) {
        let start = self.text.len();
        for (piece, label) in pieces {
            let piece_start = self.text.len();
            self.text.push_str(piece);
            if let Some(label) = label {
                self.entities
                    .push((Span::new(piece_start, self.text.len()), label));
            }
        }
        let trimmed = self.text.trim_end().len();
        self.sentences.push(Span::new(start, trimmed.max(start)));
    }

    fn into_document(self, id: &str) -> Document {
        let mut doc = Document::new(id, self.text);
        doc.entities = Some(
            self.entities
                .into_iter()
                .map(|(span, label)| Entity::new(&doc.text, span, label))
                .collect(),
        );
        doc.sentences = Some(self.sentences);
        doc
    }
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
            for outcome in &stage.hostile {
                let verdict = match &outcome.refused {
                    None => "ok".to_string(),
                    Some(error) => format!("refused (it lacks a required layer): {error}"),
                };
                writeln!(
                    f,
                    "  hostile document `{}` ({} bytes): {verdict} in {:.3} s",
                    outcome.document, outcome.bytes, outcome.seconds
                )?;
            }
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
    fn hostile_documents_have_valid_spans_and_are_what_they_say() {
        let documents = hostile_documents();
        let names: Vec<&str> = documents.iter().map(|(name, _)| *name).collect();
        assert_eq!(names, ["empty", "multi-byte", "huge", "no-layers"]);
        for (name, doc) in &documents {
            doc.check_spans().unwrap_or_else(|e| panic!("{name}: {e}"));
        }
        let text = |i: usize| &documents[i].1.text;
        assert!(text(0).is_empty());
        assert!(text(1).chars().any(|c| c.len_utf8() == 4) && text(1).contains('\u{301}'));
        assert_eq!(documents[1].1.entities.as_ref().unwrap()[2].text, "ليلى");
        assert!(text(2).len() >= 4 << 20);
        let no_layers = &documents[3].1;
        assert!(no_layers.sentences.is_none() && no_layers.entities.is_none());
    }

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
