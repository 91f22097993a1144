//! [`Pipeline`]: building pipelines, `nlp(text)` and the `nlp.pipe(items)` stream
//! ([`PipeIter`]).

use std::collections::VecDeque;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use pyo3::exceptions::{PyRuntimeError, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyIterator, PyString};
use serde_json::{Map, Value};
use textpipe_core::json_line::{document_from_dataset_value, JsonFields};
use textpipe_core::{Document, ErrorRecord, LoadError, Outcome, PipelineFile, PipelineFormat};
use textpipe_runner::{run, CollectSink, RunOptions};

use crate::convert::to_json_map;
use crate::doc::{Doc, PyErrorRecord};
use crate::PipelineError;

/// How a pipeline built from a dict is named in messages.
const DICT_ORIGIN: &str = "<dict>";

/// How many batches per worker a `pipe` chunk holds, so no worker waits for the next chunk
/// while others still have work.
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
        Ok(PipeIter {
            fields: Arc::new(JsonFields {
                text: text_field,
                id: id_field,
                html: html_field,
            }),
            pipeline: Arc::clone(&self.inner),
            source: Some(items.try_iter()?.unbind()),
            ready: VecDeque::new(),
            read: 0,
            chunk: options.threads * batch_size * BATCHES_PER_THREAD,
            options,
            raise_errors,
            running: None,
            failed: None,
        })
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
#[pyclass(name = "PipeIter", module = "textpipe")]
pub struct PipeIter {
    pipeline: Arc<textpipe_core::Pipeline>,
    /// Where dict items keep their text, id and HTML.
    fields: Arc<JsonFields>,
    /// The items still to read; `None` once exhausted.
    source: Option<Py<PyIterator>>,
    /// Outcomes of the current chunk not yet yielded.
    ready: VecDeque<Outcome>,
    /// Items read so far, for default ids.
    read: usize,
    chunk: usize,
    options: RunOptions,
    raise_errors: bool,
    /// The chunk being run while the previous one is yielded.
    running: Option<std::thread::JoinHandle<Result<ChunkResult, String>>>,
    /// What the items' iterator raised, kept until the documents read before it are out.
    failed: Option<PyErr>,
}

impl PipeIter {
    /// Reads the next chunk of items from Python (with the GIL).
    fn read_chunk(&mut self, py: Python<'_>) -> PyResult<Vec<PendingItem>> {
        let mut items = Vec::new();
        let Some(source) = &self.source else {
            return Ok(items);
        };
        let mut source = source.bind(py).clone();
        // Where a dict keeps its id, for naming the error record of one that is not a document.
        let fields = Arc::clone(&self.fields);
        let id_field = fields.id.as_deref().unwrap_or("id");
        items.reserve(self.chunk.min(1 << 16));
        while items.len() < self.chunk {
            let Some(item) = source.next() else {
                self.source = None;
                break;
            };
            items.push(outcome_of_item(&item?, self.read, id_field)?);
            self.read += 1;
        }
        Ok(items)
    }

    /// Starts running a chunk on a thread of its own, which needs no GIL.
    fn start(&mut self, items: Vec<PendingItem>) {
        if items.is_empty() {
            return;
        }
        let pipeline = Arc::clone(&self.pipeline);
        let fields = Arc::clone(&self.fields);
        let options = self.options.clone();
        self.running = Some(std::thread::spawn(move || {
            let mut sink = CollectSink::default();
            // Dict items are parsed here, on the run's reader thread, not under the GIL.
            let outcomes = items.into_iter().map(|item| item.into_outcome(&fields));
            run(&pipeline, outcomes, &mut sink, &options, &mut |_| {})
                .map(|report| (sink.outcomes, report.stopped_by))
                .map_err(|error| error.to_string())
        }));
    }

    /// Reads the next chunk from Python while the current one runs, then waits (without the
    /// GIL) for the current one, starts the next so the workers never wait for Python, and
    /// queues the results.
    fn fill(&mut self, py: Python<'_>) -> PyResult<()> {
        if self.running.is_none() {
            let items = self.read_chunk(py)?;
            self.start(items);
        }
        let Some(running) = self.running.take() else {
            return Ok(());
        };
        let next = self.read_chunk(py);
        let outcomes = match py.detach(move || running.join()) {
            Ok(Ok((outcomes, None))) => outcomes,
            // A stage gave up (a process stage past `max_restarts`): what it finished comes
            // out, then the error, and the stream ends, as the command line stops the run.
            Ok(Ok((outcomes, Some(stage)))) => {
                self.ready.extend(outcomes);
                self.source = None;
                self.failed = Some(PyRuntimeError::new_err(format!(
                    "stage `{stage}` gave up (its worker kept failing past `max_restarts`): \
                     the run stopped"
                )));
                return Ok(());
            }
            // A collecting sink cannot fail to write, and stage panics are caught per
            // document; this is a bug in the run layer.
            Ok(Err(message)) => return Err(PyRuntimeError::new_err(message)),
            Err(_) => return Err(PyRuntimeError::new_err("the run thread panicked")),
        };
        self.ready.extend(outcomes);
        match next {
            Ok(items) => self.start(items),
            // The items' iterator raised: the documents before it are yielded first, then
            // the error, and the stream ends.
            Err(error) => {
                self.source = None;
                self.failed = Some(error);
            }
        }
        Ok(())
    }
}

#[pymethods]
impl PipeIter {
    fn __iter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    fn __next__(&mut self, py: Python<'_>) -> PyResult<Option<Py<PyAny>>> {
        if self.ready.is_empty() {
            if let Some(error) = self.failed.take() {
                return Err(error);
            }
            self.fill(py)?;
        }
        match self.ready.pop_front() {
            None => Ok(None),
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

/// What a chunk's run gives back: its outcomes, and the stage that gave up, if one did.
type ChunkResult = (Vec<Outcome>, Option<String>);

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
