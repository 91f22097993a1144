//! [`Pipeline`]: building pipelines, `nlp(text)` and the `nlp.pipe(items)` stream
//! ([`PipeIter`]).

use std::collections::VecDeque;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::thread::JoinHandle;

use crossbeam_channel::{Receiver, Sender};
use pyo3::exceptions::{PyRuntimeError, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyIterator, PyString};
use serde_json::{Map, Value};
use textpipe_core::json_line::{document_from_dataset_value, JsonFields};
use textpipe_core::{Document, ErrorRecord, LoadError, Outcome, PipelineFile, PipelineFormat};
use textpipe_runner::{run_shared, Batch, RunOptions, Sink};

use crate::convert::to_json_map;
use crate::doc::{Doc, PyErrorRecord};
use crate::PipelineError;

/// How a pipeline built from a dict is named in messages.
const DICT_ORIGIN: &str = "<dict>";

/// How many batches per worker may be between Python and the run at once: enough that no
/// worker waits for Python, few enough to bound memory.
const BATCHES_PER_THREAD: usize = 4;

/// A chain of stages, built once and used for any number of documents from any thread.
#[pyclass(name = "Pipeline", module = "textpipe", frozen)]
pub struct Pipeline {
    inner: Arc<textpipe_core::Pipeline>,
}

fn load_error(error: LoadError) -> PyErr {
    PipelineError::new_err(error.to_string())
}

#[pymethods]
impl Pipeline {
    /// The default pipeline (language, boilerplate, sentences, entities, summarize).
    #[new]
    fn new(py: Python<'_>) -> Self {
        let inner = py.detach(textpipe::default_pipeline);
        Pipeline {
            inner: Arc::new(inner),
        }
    }

    /// The pipeline file at `path` (JSON, or TOML by extension), as `textpipe run
    /// --pipeline` reads it: relative paths resolve against the file's folder, plugins load.
    #[staticmethod]
    fn from_file(py: Python<'_>, path: PathBuf) -> PyResult<Self> {
        let inner = py
            .detach(|| textpipe::load_pipeline(Some(&path), &[]))
            .map_err(load_error)?;
        Ok(Pipeline {
            inner: Arc::new(inner),
        })
    }

    /// A pipeline from a dict of the pipeline-file schema
    /// (`{"name": ..., "stages": [{"stage": ..., "with": {...}}]}`, `"extends": "default"`,
    /// plugins and `command` stages included); relative paths resolve against the current
    /// directory.
    #[staticmethod]
    fn from_dict(py: Python<'_>, spec: &Bound<'_, PyDict>) -> PyResult<Self> {
        let json = Value::Object(to_json_map(spec)?).to_string();
        let inner = py
            .detach(|| {
                let file =
                    PipelineFile::parse(&json, PipelineFormat::Json, DICT_ORIGIN, Path::new("."))?;
                textpipe::BUILTINS.build(&textpipe::BUILTINS.expand(file)?, &[])
            })
            .map_err(load_error)?;
        Ok(Pipeline {
            inner: Arc::new(inner),
        })
    }

    /// The pipeline's name.
    #[getter]
    fn name(&self) -> &str {
        self.inner.name()
    }

    /// The names of the stages, in order.
    #[getter]
    fn stages(&self) -> Vec<String> {
        self.inner
            .stages()
            .iter()
            .map(|s| s.name().to_string())
            .collect()
    }

    /// Processes one text, or one HTML page: text that starts with `<` and a letter, `!`,
    /// `/` or `?` after leading whitespace is taken as HTML. Raises `DocumentError` when a
    /// stage fails.
    #[pyo3(signature = (text, id=None, meta=None, lang=None))]
    fn __call__(
        &self,
        py: Python<'_>,
        text: String,
        id: Option<String>,
        meta: Option<&Bound<'_, PyDict>>,
        lang: Option<String>,
    ) -> PyResult<Doc> {
        let meta = meta.map(to_json_map).transpose()?;
        let doc = document_from_text(text, id.unwrap_or_else(|| "0".into()), meta, lang);
        let pipeline = &self.inner;
        match py.detach(|| pipeline.process(doc)) {
            Outcome::Done(doc) => Ok(Doc::new(*doc)),
            Outcome::Failed(record) => Err(PyErrorRecord::new(record).into_error(py)),
        }
    }

    /// Streams `items` (strings, or dicts with the fields of a JSON Lines line) through the
    /// pipeline on `threads` workers (default: every core), yielding a `Doc` or an
    /// `ErrorRecord` per item, in input order. `text_field`, `id_field` and `html_field` name
    /// a dataset's own fields for the text, id and HTML of dict items (as `textpipe run
    /// --text-field` does); a dict field named like a layer without a layer's shape (a
    /// `"summary"` string) is kept in `meta`.
    #[pyo3(signature = (items, threads=None, batch_size=64, on_error="record", text_field=None, id_field=None, html_field=None))]
    #[allow(clippy::too_many_arguments)]
    fn pipe(
        &self,
        items: &Bound<'_, PyAny>,
        threads: Option<usize>,
        batch_size: usize,
        on_error: &str,
        text_field: Option<String>,
        id_field: Option<String>,
        html_field: Option<String>,
    ) -> PyResult<PipeIter> {
        let raise_errors = match on_error {
            "record" => false,
            "raise" => true,
            other => {
                return Err(PyValueError::new_err(format!(
                    "on_error must be \"record\" or \"raise\", not {other:?}"
                )))
            }
        };
        if batch_size == 0 || threads == Some(0) {
            return Err(PyValueError::new_err(
                "threads and batch_size must be at least 1",
            ));
        }
        let mut options = RunOptions {
            batch_docs: batch_size,
            ..RunOptions::default()
        };
        if let Some(threads) = threads {
            options.threads = threads;
        }
        let fields = JsonFields {
            text: text_field,
            id: id_field,
            html: html_field,
        };
        let source = items.try_iter()?.unbind();
        Ok(PipeIter::start(
            Arc::clone(&self.inner),
            fields,
            source,
            options,
            raise_errors,
        ))
    }

    fn __repr__(&self) -> String {
        format!(
            "<Pipeline {:?}: {}>",
            self.inner.name(),
            self.stages().join(" → ")
        )
    }
}

/// A document from a string: HTML when it looks like markup, else text.
fn document_from_text(
    text: String,
    id: String,
    meta: Option<Map<String, Value>>,
    lang: Option<String>,
) -> Document {
    let mut doc = Document::new(id, String::new());
    if looks_like_html(&text) {
        doc.html = Some(text);
        // As the command line marks an HTML input.
        doc.meta.insert("format".into(), Value::from("html"));
    } else {
        doc.text = text;
    }
    if let Some(meta) = meta {
        doc.meta.extend(meta);
    }
    doc.lang = lang.filter(|l| !l.is_empty());
    doc
}

/// The command line sniffs stdin as HTML when it opens with `<`; a string also needs a tag,
/// comment, doctype or declaration to follow, so `<3 Rome` stays text.
fn looks_like_html(text: &str) -> bool {
    let mut chars = text.trim_start().chars();
    chars.next() == Some('<')
        && chars
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || matches!(c, '!' | '/' | '?'))
}

/// The iterator `Pipeline.pipe` returns.
///
/// One run streams all the items: the Python thread feeds them to the run through a channel
/// and takes finished documents from another, so the workers never wait at a chunk's end for
/// the slowest batch (a run per chunk left a core idle for part of every chunk). At most
/// `in_flight_limit` items are between the two, which bounds memory.
#[pyclass(name = "PipeIter", module = "textpipe")]
pub struct PipeIter {
    /// Where dict items keep their id, for naming the error record of one that is not a
    /// document.
    id_field: String,
    /// The items still to read; `None` once exhausted (or once it raised).
    source: Option<Py<PyIterator>>,
    /// Items to the run; dropped when the source ends, which ends the run.
    to_run: Option<Sender<Vec<PendingItem>>>,
    /// Finished batches from the run, in input order.
    from_run: Receiver<Vec<Outcome>>,
    /// The run's thread: the stage that gave up, if one did, or why the run failed.
    run: Option<JoinHandle<Result<Option<String>, String>>>,
    /// Outcomes received and not yet yielded.
    ready: VecDeque<Outcome>,
    /// Items sent to the run whose outcomes have not been received.
    in_flight: usize,
    in_flight_limit: usize,
    /// Items sent to the run at a time.
    feed_size: usize,
    /// Items read so far, for default ids.
    read: usize,
    raise_errors: bool,
    /// What the items' iterator raised, kept until the documents read before it are out.
    failed: Option<PyErr>,
}

impl PipeIter {
    fn start(
        pipeline: Arc<textpipe_core::Pipeline>,
        fields: JsonFields,
        source: Py<PyIterator>,
        options: RunOptions,
        raise_errors: bool,
    ) -> Self {
        let in_flight_limit = options.threads * options.batch_docs * BATCHES_PER_THREAD;
        let feed_size = options.batch_docs;
        let id_field = fields.id.clone().unwrap_or_else(|| "id".into());
        // Both channels hold at most `in_flight_limit` items between them, so neither side
        // ever blocks on a full channel: the run waits only for items, Python only for
        // outcomes.
        let (to_run, items) = crossbeam_channel::unbounded::<Vec<PendingItem>>();
        let (finished, from_run) = crossbeam_channel::unbounded();
        let run = std::thread::spawn(move || {
            // Dict items are read into documents here, on the run's reader thread, not under
            // the GIL.
            let outcomes = items
                .into_iter()
                .flatten()
                .map(move |item| item.into_outcome(&fields));
            let mut sink = ChannelSink { finished };
            run_shared(pipeline, outcomes, &mut sink, &options, &mut |_| {})
                .map(|report| report.stopped_by)
                .map_err(|error| error.to_string())
        });
        PipeIter {
            id_field,
            source: Some(source),
            to_run: Some(to_run),
            from_run,
            run: Some(run),
            ready: VecDeque::new(),
            in_flight: 0,
            in_flight_limit,
            feed_size,
            read: 0,
            raise_errors,
            failed: None,
        }
    }

    /// Reads up to `feed_size` items from Python (with the GIL) and sends them to the run;
    /// ends the run's input when the items end or raise.
    fn feed(&mut self, py: Python<'_>) -> PyResult<()> {
        let Some(source) = &self.source else {
            return Ok(());
        };
        let mut source = source.bind(py).clone();
        let room = self.in_flight_limit - self.in_flight;
        let mut items = Vec::with_capacity(self.feed_size.min(room));
        let mut ended = false;
        while items.len() < self.feed_size.min(room) {
            match source.next() {
                None => {
                    ended = true;
                    break;
                }
                Some(Err(error)) => {
                    // The documents before it are yielded first, then the error.
                    self.failed = Some(error);
                    ended = true;
                    break;
                }
                Some(Ok(item)) => match outcome_of_item(&item, self.read, &self.id_field) {
                    Ok(pending) => {
                        items.push(pending);
                        self.read += 1;
                    }
                    // An item that is neither str nor dict ends the stream like an error of
                    // the iterator: the documents before it come out first.
                    Err(error) => {
                        self.failed = Some(error);
                        ended = true;
                        break;
                    }
                },
            }
        }
        self.in_flight += items.len();
        if !items.is_empty() {
            if let Some(to_run) = &self.to_run {
                // A run that stopped early (a stage gave up) no longer reads: its outcomes
                // and the reason come through `from_run`.
                let _ = to_run.send(items);
            }
        }
        if ended {
            self.source = None;
            self.to_run = None;
        }
        Ok(())
    }

    /// Waits (without the GIL) for the next finished batch; `false` once the run has ended,
    /// after turning a stop or failure of the run into `failed`.
    fn receive(&mut self, py: Python<'_>) -> PyResult<bool> {
        let from_run = &self.from_run;
        if let Ok(outcomes) = py.detach(|| from_run.recv()) {
            self.take(outcomes);
            return Ok(true);
        }
        // The run has ended: every outcome it made has been received.
        self.source = None;
        self.to_run = None;
        let Some(run) = self.run.take() else {
            return Ok(false);
        };
        match py.detach(move || run.join()) {
            Ok(Ok(None)) => {}
            // A stage gave up (a process stage past `max_restarts`): what it finished has
            // come out, then the error, and the stream ends, as the command line stops the
            // run.
            Ok(Ok(Some(stage))) => {
                self.failed = Some(PyRuntimeError::new_err(format!(
                    "stage `{stage}` gave up (its worker kept failing past `max_restarts`): \
                     the run stopped"
                )));
            }
            // A channel sink fails only when this iterator is gone, and stage panics are
            // caught per document; this is a bug in the run layer.
            Ok(Err(message)) => return Err(PyRuntimeError::new_err(message)),
            Err(_) => return Err(PyRuntimeError::new_err("the run thread panicked")),
        }
        Ok(false)
    }

    /// The next outcome in input order, feeding the run as it goes; `None` at the end.
    fn next_outcome(&mut self, py: Python<'_>) -> PyResult<Option<Outcome>> {
        loop {
            if let Some(outcome) = self.ready.pop_front() {
                return Ok(Some(outcome));
            }
            // Keep the run fed before waiting on it.
            while self.source.is_some() && self.in_flight < self.in_flight_limit {
                self.feed(py)?;
                // Take what is already finished without waiting.
                while let Ok(outcomes) = self.from_run.try_recv() {
                    self.take(outcomes);
                }
                if !self.ready.is_empty() {
                    break;
                }
            }
            // Nothing ready: wait for the run (once the items have ended, `feed` has closed
            // its input, so it ends after the last batch and `receive` reports how).
            if self.ready.is_empty() && !self.receive(py)? {
                return Ok(None);
            }
        }
    }

    /// Queues a finished batch.
    fn take(&mut self, outcomes: Vec<Outcome>) {
        self.in_flight -= outcomes.len();
        self.ready.extend(outcomes);
    }
}

/// Hands each finished batch to the Python thread.
struct ChannelSink {
    finished: Sender<Vec<Outcome>>,
}

impl Sink for ChannelSink {
    fn write(&mut self, batch: Batch) -> std::io::Result<()> {
        let Batch::Outcomes(outcomes) = batch else {
            return Err(std::io::Error::other(
                "the Python stream takes outcomes, not bytes",
            ));
        };
        self.finished.send(outcomes).map_err(|_| {
            // The iterator was dropped before the end: nobody reads the rest.
            std::io::Error::new(std::io::ErrorKind::BrokenPipe, "the stream was closed")
        })
    }
}

#[pymethods]
impl PipeIter {
    fn __iter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    fn __next__(&mut self, py: Python<'_>) -> PyResult<Option<Py<PyAny>>> {
        match self.next_outcome(py)? {
            None => match self.failed.take() {
                Some(error) => Err(error),
                None => Ok(None),
            },
            Some(Outcome::Done(doc)) => Ok(Some(Py::new(py, Doc::new(*doc))?.into_any())),
            Some(Outcome::Failed(record)) if self.raise_errors => {
                Err(PyErrorRecord::new(record).into_error(py))
            }
            Some(Outcome::Failed(record)) => {
                Ok(Some(Py::new(py, PyErrorRecord::new(record))?.into_any()))
            }
        }
    }
}

/// A stream item taken from Python: a document, or a dict as JSON, read into a document once
/// the GIL is released.
enum PendingItem {
    Ready(Outcome),
    Dict {
        value: Value,
        fallback_id: String,
        /// How the error record names the item if the line is not a document.
        record_id: String,
    },
}

impl PendingItem {
    fn into_outcome(self, fields: &JsonFields) -> Outcome {
        match self {
            PendingItem::Ready(outcome) => outcome,
            PendingItem::Dict {
                value,
                fallback_id,
                record_id,
            } => match document_from_dataset_value(value, &fallback_id, fields) {
                Ok(doc) => Outcome::from(doc),
                Err(message) => Outcome::Failed(ErrorRecord::unreadable(
                    Some(record_id),
                    None,
                    None,
                    message,
                )),
            },
        }
    }
}

/// One stream item as a document, or as the error record of an unreadable dict. `index` is
/// the item's place in the stream, its id when it has none.
fn outcome_of_item(item: &Bound<'_, PyAny>, index: usize, id_field: &str) -> PyResult<PendingItem> {
    if let Ok(text) = item.cast::<PyString>() {
        let doc = document_from_text(text.to_cow()?.into_owned(), index.to_string(), None, None);
        return Ok(PendingItem::Ready(Outcome::from(doc)));
    }
    let Ok(dict) = item.cast::<PyDict>() else {
        return Err(PyTypeError::new_err(format!(
            "pipe items must be str or dict, not {}",
            item.get_type().name()?
        )));
    };
    let fallback_id = index.to_string();
    // The error record of a dict that is not a document is named by its id when it has one.
    let record_id = dict
        .get_item(id_field)
        .ok()
        .flatten()
        .and_then(|id| id.str().ok().map(|s| s.to_string()))
        .unwrap_or_else(|| fallback_id.clone());
    Ok(match to_json_map(dict) {
        Ok(value) => PendingItem::Dict {
            value: Value::Object(value),
            fallback_id,
            record_id,
        },
        Err(error) => {
            let message = error.value(item.py()).to_string();
            PendingItem::Ready(Outcome::Failed(ErrorRecord::unreadable(
                Some(record_id),
                None,
                None,
                message,
            )))
        }
    })
}
