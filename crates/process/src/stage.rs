//! A stage program as an ordinary [`StageFactory`] and [`Stage`]: a pool of worker processes,
//! restarted when one crashes or hangs, with the same checks as native plugins.

use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::Value;
use textpipe_core::{
    language_gate, primary_language, BuildContext, ConfigError, Document, LanguageFallback, Layer,
    Stage, StageError, StageFactory,
};
use textpipe_plugin::patch::DocumentPatch;

use crate::protocol::{parse_layers, AnswerLine, Hello};
use crate::worker::{clip, Launch, Received, Worker, WorkerError};
use textpipe_plugin::fields::{write_document, Fields};

/// The per-document time limit when an entry sets no `timeout`.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);
/// Restarts of crashed or stuck workers a stage survives when an entry sets no `max_restarts`.
pub const DEFAULT_MAX_RESTARTS: u32 = 10;

/// What every worker of a stage shares: how to start it, what it said, its limits.
#[derive(Debug)]
struct StageSpec {
    launch: Launch,
    hello: Hello,
    requires: Vec<Layer>,
    provides: Vec<Layer>,
    reads: Fields,
    timeout: Duration,
    max_restarts: u32,
}

/// Builds stages of a kind served by a program; made by [`crate::StageLoader`].
pub struct ProcessFactory {
    spec: Arc<StageSpec>,
    /// The worker that answered the hello, handed to the first stage built.
    first_worker: Mutex<Option<Worker>>,
}

impl ProcessFactory {
    /// Starts the program once to learn its kind, schema and layers.
    pub fn start(
        launch: Launch,
        timeout: Duration,
        max_restarts: u32,
    ) -> Result<ProcessFactory, WorkerError> {
        let (worker, hello) = Worker::spawn(&launch)?;
        let protocol = |message: String| WorkerError::Protocol {
            command: launch.display(),
            message,
        };
        if hello.stage != launch.kind {
            return Err(protocol(format!(
                "it serves the stage `{}`, but the entry names `{}`",
                hello.stage, launch.kind
            )));
        }
        let layers = |names: &[String], key: &str| {
            parse_layers(names).map_err(|name| {
                protocol(format!(
                    "its hello names an unknown layer `{name}` in `{key}` (layers: text, \
                     sentences, entities, summary, removed)"
                ))
            })
        };
        let requires = layers(&hello.requires, "requires")?;
        let provides = layers(&hello.provides, "provides")?;
        let read_names = hello.reads.as_ref().unwrap_or(&hello.requires);
        let mut reads =
            Fields::from_names(read_names.iter().map(String::as_str)).map_err(|name| {
                protocol(format!(
                    "its hello names an unknown field `{name}` in `reads` (fields: {})",
                    Fields::names().join(", ")
                ))
            })?;
        // The protocol sends every stage the document's language: stages choose by it.
        reads.lang = true;
        Ok(ProcessFactory {
            spec: Arc::new(StageSpec {
                launch,
                hello,
                requires,
                provides,
                reads,
                timeout,
                max_restarts,
            }),
            first_worker: Mutex::new(Some(worker)),
        })
    }
}

impl StageFactory for ProcessFactory {
    fn kind(&self) -> &str {
        &self.spec.hello.stage
    }

    fn summary(&self) -> &str {
        &self.spec.hello.summary
    }

    fn config_schema(&self) -> Value {
        self.spec.hello.config_schema.clone()
    }

    fn example(&self) -> Value {
        self.spec.hello.example.clone()
    }

    fn languages(&self) -> Option<Vec<String>> {
        self.spec.hello.languages.clone()
    }

    fn build(&self, config: &Value, _: &BuildContext) -> Result<Box<dyn Stage>, Vec<ConfigError>> {
        let reused = self
            .first_worker
            .lock()
            .map(|mut w| w.take())
            .unwrap_or(None);
        let worker = match reused {
            Some(worker) => worker,
            None => Worker::spawn(&self.spec.launch)
                .map(|(worker, _)| worker)
                .map_err(|e| vec![ConfigError::at(&[], e.to_string())])?,
        };
        // The SDK accepts `fallback` when the stage states languages; the host applies it.
        let fallback = config
            .get("fallback")
            .and_then(|f| serde_json::from_value(f.clone()).ok())
            .unwrap_or_default();
        let stage = ProcessStage {
            spec: self.spec.clone(),
            config: config.clone(),
            fallback,
            idle: Mutex::new(Vec::new()),
            failures: AtomicU32::new(0),
            stopped: AtomicBool::new(false),
        };
        let worker = stage.configure(worker)?;
        stage.give_back(worker);
        Ok(Box::new(stage))
    }
}

/// A stage served by worker processes: one per thread that needs one, started on demand.
pub struct ProcessStage {
    spec: Arc<StageSpec>,
    config: Value,
    /// What to do with a document in a language the stage has no model for (`with.fallback`,
    /// when the stage states its `languages`).
    fallback: LanguageFallback,
    idle: Mutex<Vec<Worker>>,
    /// Workers lost to a crash, a kill or a timeout so far.
    failures: AtomicU32,
    /// Set once `failures` passed the limit: every later document fails at once.
    stopped: AtomicBool,
}

/// Why a worker was lost while a document was in flight.
enum Lost {
    TimedOut,
    Ended,
    Garbled(String),
}

impl ProcessStage {
    fn configure(&self, mut worker: Worker) -> Result<Worker, Vec<ConfigError>> {
        let startup = self.spec.launch.startup_timeout;
        match worker.configure(&self.config, startup) {
            Ok(Ok(())) => Ok(worker),
            Ok(Err(errors)) => Err(errors),
            Err(error) => Err(vec![ConfigError::at(&[], error.to_string())]),
        }
    }

    fn give_back(&self, worker: Worker) {
        if let Ok(mut idle) = self.idle.lock() {
            idle.push(worker);
        }
    }

    /// An idle worker, or a new one.
    fn take_worker(&self) -> Result<Worker, String> {
        if let Some(worker) = self.idle.lock().ok().and_then(|mut idle| idle.pop()) {
            return Ok(worker);
        }
        let (worker, _) = Worker::spawn(&self.spec.launch).map_err(|e| e.to_string())?;
        self.configure(worker).map_err(|errors| {
            let messages: Vec<String> = errors.iter().map(|e| e.message.clone()).collect();
            format!("a new worker refused the config: {}", messages.join("; "))
        })
    }

    fn failure(&self, message: impl std::fmt::Display) -> StageError {
        StageError::Failed(format!("{}: {message}", self.spec.launch.label))
    }

    /// Counts a lost worker; past the limit the stage stops, and says so once on stderr.
    fn count_failure(&self) -> String {
        let failures = self.failures.fetch_add(1, Ordering::SeqCst) + 1;
        let limit = self.spec.max_restarts;
        if failures > limit {
            if !self.stopped.swap(true, Ordering::SeqCst) {
                eprintln!(
                    "textpipe: stage `{}` stopped: its worker process failed {failures} times \
                     (`max_restarts` is {limit}); the run stops after the documents before it",
                    self.spec.hello.stage
                );
            }
            format!("failure {failures}, over the limit of {limit} restarts: the stage stopped")
        } else {
            format!("restarted (failure {failures} of at most {limit})")
        }
    }

    /// The error of a document not run because the stage stopped: fatal, so the run stops
    /// instead of failing every later document one by one.
    fn stopped_error(&self) -> StageError {
        StageError::Fatal(format!(
            "{}: not run: the stage stopped after its worker process failed more than {} \
             times (`max_restarts`)",
            self.spec.launch.label, self.spec.max_restarts
        ))
    }

    /// The error of a document whose worker was lost: fatal when that loss was one too many.
    fn lost_error(&self, message: String) -> StageError {
        match self.failure(message) {
            StageError::Failed(message) if self.stopped.load(Ordering::SeqCst) => {
                StageError::Fatal(message)
            }
            error => error,
        }
    }

    /// Applies one answer line to its document, refusing what would break it.
    fn apply(&self, line: &str, doc: &mut Document) -> Result<Result<(), StageError>, Lost> {
        let answer: AnswerLine = serde_json::from_str(line).map_err(|e| {
            Lost::Garbled(format!(
                "answered a line that is not an answer ({e}): {}",
                clip(line)
            ))
        })?;
        let patch = match (answer.patch, answer.error) {
            (_, Some(message)) => return Ok(Err(self.failure(message))),
            (Some(patch), None) => patch,
            (None, None) => {
                return Err(Lost::Garbled(format!(
                    "answered neither `patch` nor `error`: {}",
                    clip(line)
                )))
            }
        };
        Ok(self.apply_patch(patch, doc))
    }

    fn apply_patch(&self, patch: DocumentPatch, doc: &mut Document) -> Result<(), StageError> {
        if patch.id.as_ref().is_some_and(|id| *id != doc.id) {
            return Err(self.failure("the stage changed the document id"));
        }
        if let Some(layer) = undeclared_change(&patch, doc, &self.spec.provides) {
            return Err(self.failure(format_args!(
                "the stage changed `{layer}` but does not declare that it provides it"
            )));
        }
        let touches_spans = patch.touches_spans();
        let undo = patch.apply(doc);
        if touches_spans {
            if let Err(error) = doc.check_spans() {
                undo.apply(doc);
                return Err(self.failure(format_args!("the stage wrote a broken span: {error}")));
            }
        }
        Ok(())
    }

    /// Sends `docs` to one worker and applies the answers as they come. Returns how many
    /// documents got a result, and the worker when it is still healthy.
    fn run_on_worker(
        &self,
        worker: Worker,
        docs: &mut [Document],
        results: &mut Vec<Result<(), StageError>>,
    ) -> Option<Worker> {
        let mut batch = Vec::with_capacity(docs.iter().map(|d| d.text.len() + 64).sum());
        for doc in docs.iter() {
            write_document(doc, self.spec.reads, &mut batch);
            batch.push(b'\n');
        }
        worker.send(batch);
        for doc in docs.iter_mut() {
            let lost = match worker.receive(self.spec.timeout) {
                Received::Line(line) => match self.apply(&line, doc) {
                    Ok(result) => {
                        results.push(result);
                        continue;
                    }
                    Err(lost) => lost,
                },
                Received::TimedOut => Lost::TimedOut,
                Received::Ended => Lost::Ended,
            };
            let message = match lost {
                Lost::TimedOut => {
                    worker.kill();
                    format!(
                        "timed out: no answer within {} s (the entry's `timeout`); the worker \
                         process was killed and {}",
                        self.spec.timeout.as_secs_f64(),
                        self.count_failure()
                    )
                }
                Lost::Ended => {
                    let status = worker.ended();
                    let limit = match self.spec.launch.max_memory {
                        Some(bytes) => format!(
                            " (its memory is capped at {} MiB by `max_memory`; a stage over \
                             the cap fails to allocate and usually aborts)",
                            bytes >> 20
                        ),
                        None => String::new(),
                    };
                    format!(
                        "the worker process {status} while processing this document{limit}; {}",
                        self.count_failure()
                    )
                }
                Lost::Garbled(message) => {
                    let status = worker.kill();
                    format!(
                        "the worker process {message}; it was killed ({status}) and {}",
                        self.count_failure()
                    )
                }
            };
            results.push(Err(self.lost_error(message)));
            return None;
        }
        Some(worker)
    }
}

/// The first layer `patch` changes that the stage did not declare in `provides`.
fn undeclared_change(patch: &DocumentPatch, doc: &Document, provides: &[Layer]) -> Option<Layer> {
    let changes = [
        (Layer::Text, patch.rewrites_text(doc)),
        (
            Layer::Text,
            patch.html.as_ref().is_some_and(|h| *h != doc.html),
        ),
        (
            Layer::Sentences,
            patch
                .sentences
                .as_ref()
                .is_some_and(|s| *s != doc.sentences),
        ),
        (
            Layer::Entities,
            patch.entities.as_ref().is_some_and(|e| *e != doc.entities),
        ),
        (
            Layer::Summary,
            patch.summary.as_ref().is_some_and(|s| *s != doc.summary),
        ),
        (
            Layer::Removed,
            patch.removed.as_ref().is_some_and(|r| *r != doc.removed),
        ),
    ];
    changes
        .into_iter()
        .find(|(layer, changed)| *changed && !provides.contains(layer))
        .map(|(layer, _)| layer)
}

impl Stage for ProcessStage {
    fn name(&self) -> &str {
        &self.spec.hello.stage
    }

    fn process(&self, doc: &mut Document) -> Result<(), StageError> {
        self.process_batch(std::slice::from_mut(doc))
            .pop()
            .unwrap_or_else(|| Err(self.failure("no result")))
    }

    /// Sends the batch to a worker; when the worker crashes, hangs or garbles its answer, the
    /// document in flight fails and the rest of the batch goes to a fresh worker. A stage that
    /// states its languages is sent only documents it has a model for (see [`language_gate`]).
    fn process_batch(&self, docs: &mut [Document]) -> Vec<Result<(), StageError>> {
        match &self.spec.hello.languages {
            None => self.process_all(docs),
            Some(languages) => self.process_gated(docs, languages),
        }
    }

    fn requires(&self) -> &[Layer] {
        &self.spec.requires
    }

    fn provides(&self) -> &[Layer] {
        &self.spec.provides
    }
}

impl ProcessStage {
    /// Runs the documents in a language the stage has a model for (or, under the `english`
    /// fallback, the others as English: they are sent with `lang` = `en`, restored after);
    /// the others are skipped with a note, or fail under the `error` fallback.
    fn process_gated(
        &self,
        docs: &mut [Document],
        languages: &[String],
    ) -> Vec<Result<(), StageError>> {
        let supported = |lang: &str| languages.iter().any(|l| primary_language(l) == lang);
        let mut results: Vec<Option<Result<(), StageError>>> = Vec::with_capacity(docs.len());
        let (mut positions, mut sent, mut original_langs) = (Vec::new(), Vec::new(), Vec::new());
        for (position, doc) in docs.iter_mut().enumerate() {
            match language_gate(doc, self.name(), &supported, self.fallback) {
                Ok(Some(lang)) => {
                    let original = doc.lang.clone();
                    if !supported(&primary_language(original.as_deref().unwrap_or(&lang))) {
                        doc.lang = Some(lang);
                    }
                    positions.push(position);
                    original_langs.push(original);
                    sent.push(std::mem::take(doc));
                    results.push(None);
                }
                Ok(None) => results.push(Some(Ok(()))),
                Err(error) => results.push(Some(Err(error))),
            }
        }
        let answers = self.process_all(&mut sent);
        for (((position, mut doc), lang), answer) in positions
            .into_iter()
            .zip(sent)
            .zip(original_langs)
            .zip(answers)
        {
            doc.lang = lang;
            docs[position] = doc;
            results[position] = Some(answer);
        }
        results
            .into_iter()
            .map(|r| r.unwrap_or_else(|| Err(self.failure("no result"))))
            .collect()
    }

    fn process_all(&self, docs: &mut [Document]) -> Vec<Result<(), StageError>> {
        let mut results = Vec::with_capacity(docs.len());
        while results.len() < docs.len() {
            if self.stopped.load(Ordering::SeqCst) {
                results.push(Err(self.stopped_error()));
                continue;
            }
            let worker = match self.take_worker() {
                Ok(worker) => worker,
                Err(message) => {
                    let message = format!("{message}; {}", self.count_failure());
                    results.push(Err(self.lost_error(message)));
                    continue;
                }
            };
            let start = results.len();
            if let Some(worker) = self.run_on_worker(worker, &mut docs[start..], &mut results) {
                self.give_back(worker);
            }
        }
        results
    }
}
