//! The Python view of a processed document ([`Doc`]), of its spans ([`PySpan`],
//! [`PyEntity`]) and of a failure ([`PyErrorRecord`]).

use std::sync::OnceLock;

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use textpipe_core::{Document, ErrorRecord, OffsetConverter, RunReport, Span};
use textpipe_report::HtmlReport;

use crate::convert::to_python;
use crate::DocumentError;

/// A processed document. Layers are read from the Rust document when asked for.
#[pyclass(name = "Doc", module = "textpipe", frozen)]
pub struct Doc {
    doc: Document,
    /// Byte → character offsets, built on the first span read.
    offsets: OnceLock<OffsetConverter>,
}

impl Doc {
    pub fn new(doc: Document) -> Self {
        Doc {
            doc,
            offsets: OnceLock::new(),
        }
    }

    fn offsets(&self) -> &OffsetConverter {
        self.offsets
            .get_or_init(|| OffsetConverter::new(&self.doc.text))
    }

    /// A byte span as (character start, character end, text).
    fn resolve(&self, span: Span) -> PyResult<(usize, usize, &str)> {
        let chars = self.offsets().char_span(span);
        let text = self.doc.text.get(span.start..span.end);
        match (chars, text) {
            (Some((start, end)), Some(text)) => Ok((start, end, text)),
            // Pipelines check spans, so only a document built by hand could get here.
            _ => Err(PyValueError::new_err(format!(
                "span {}..{} does not fit the text of document {}",
                span.start, span.end, self.doc.id
            ))),
        }
    }

    fn json(&self) -> String {
        // Our own types serialize to memory without fail: their maps have string keys.
        serde_json::to_string(&self.doc).expect("documents serialize to JSON")
    }
}

#[pymethods]
impl Doc {
    /// The document's id.
    #[getter]
    fn id(&self) -> &str {
        &self.doc.id
    }

    /// The (cleaned) text the layers point into.
    #[getter]
    fn text(&self) -> &str {
        &self.doc.text
    }

    /// The HTML the document was made from, if any.
    #[getter]
    fn html(&self) -> Option<&str> {
        self.doc.html.as_deref()
    }

    /// The document's language tag (ISO 639-1, e.g. `en`, `zh-Hans`), if known.
    #[getter]
    fn lang(&self) -> Option<&str> {
        self.doc.lang.as_deref()
    }

    /// The sentences as spans, or `None` when no stage made them.
    #[getter]
    fn sentences(&self) -> PyResult<Option<Vec<PySpan>>> {
        let Some(sentences) = &self.doc.sentences else {
            return Ok(None);
        };
        sentences
            .iter()
            .map(|&span| {
                let (start, end, text) = self.resolve(span)?;
                Ok(PySpan {
                    start,
                    end,
                    start_byte: span.start,
                    end_byte: span.end,
                    text: text.to_owned(),
                })
            })
            .collect::<PyResult<Vec<_>>>()
            .map(Some)
    }

    /// The entities, or `None` when no stage made them.
    #[getter]
    fn entities(&self) -> PyResult<Option<Vec<PyEntity>>> {
        let Some(entities) = &self.doc.entities else {
            return Ok(None);
        };
        entities
            .iter()
            .map(|entity| {
                let (start, end, text) = self.resolve(entity.span())?;
                Ok(PyEntity {
                    start,
                    end,
                    start_byte: entity.start,
                    end_byte: entity.end,
                    text: text.to_owned(),
                    label: entity.label.clone(),
                    score: entity.score,
                    source: entity.source.clone(),
                })
            })
            .collect::<PyResult<Vec<_>>>()
            .map(Some)
    }

    /// The summary's text, or `None`.
    #[getter]
    fn summary(&self) -> Option<&str> {
        self.doc.summary.as_ref().map(|s| s.text.as_str())
    }

    /// The indexes of the sentences the summary picked, or `None`.
    #[getter]
    fn summary_sentences(&self) -> Option<Vec<usize>> {
        self.doc.summary.as_ref().map(|s| s.sentences.clone())
    }

    /// What boilerplate removal dropped: dicts with `text`, `reason`, `position`, `score`.
    #[getter]
    fn removed<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_python(py, &self.doc.removed)
    }

    /// Metadata carried from the input (a new dict on each read).
    #[getter]
    fn meta<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_python(py, &self.doc.meta)
    }

    /// Layers of stages outside the core schema, by stage (a new dict on each read).
    #[getter]
    fn ext<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_python(py, &self.doc.ext)
    }

    /// Stages that skipped the document: dicts with `stage`, `reason` and maybe `lang`.
    #[getter]
    fn skipped<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_python(py, &self.doc.skipped)
    }

    /// The document as `json.loads(self.to_json())`: byte offsets, as in the output contract.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        crate::convert::json_to_python(py, &self.json())
    }

    /// The JSON line `textpipe run` writes for this document, without the newline.
    fn to_json(&self) -> String {
        self.json()
    }

    /// The document as the HTML report shows it (for notebooks).
    fn _repr_html_(&self) -> PyResult<String> {
        let mut report = HtmlReport::new(Vec::new(), &self.doc.id).map_err(to_value_error)?;
        report.add(&self.doc).map_err(to_value_error)?;
        let bytes = report
            .finish(&RunReport::default())
            .map_err(to_value_error)?;
        String::from_utf8(bytes).map_err(to_value_error)
    }

    fn __repr__(&self) -> String {
        let count = |n: Option<usize>| n.map_or_else(|| "-".to_string(), |n| n.to_string());
        format!(
            "<Doc id={:?} lang={} chars={} sentences={} entities={}>",
            self.doc.id,
            self.doc.lang.as_deref().unwrap_or("-"),
            self.offsets().char_offset(self.doc.text.len()).unwrap_or(0),
            count(self.doc.sentences.as_ref().map(Vec::len)),
            count(self.doc.entities.as_ref().map(Vec::len)),
        )
    }

    fn __len__(&self) -> usize {
        self.offsets().char_offset(self.doc.text.len()).unwrap_or(0)
    }
}

fn to_value_error(error: impl std::fmt::Display) -> PyErr {
    PyValueError::new_err(error.to_string())
}

/// A sentence: `start`/`end` in characters (Python string indexes), `start_byte`/`end_byte`
/// in UTF-8 bytes (the output contract's offsets).
#[pyclass(name = "Span", module = "textpipe", frozen, eq, get_all)]
#[derive(Debug, Clone, PartialEq)]
pub struct PySpan {
    start: usize,
    end: usize,
    start_byte: usize,
    end_byte: usize,
    text: String,
}

#[pymethods]
impl PySpan {
    fn __repr__(&self) -> String {
        format!("<Span {}..{} {:?}>", self.start, self.end, self.text)
    }
}

/// An entity: a span with a `label`, and the `score` and `source` the stage gave it.
#[pyclass(name = "Entity", module = "textpipe", frozen, eq, get_all)]
#[derive(Debug, Clone, PartialEq)]
pub struct PyEntity {
    start: usize,
    end: usize,
    start_byte: usize,
    end_byte: usize,
    text: String,
    label: String,
    score: Option<f32>,
    source: Option<String>,
}

#[pymethods]
impl PyEntity {
    fn __repr__(&self) -> String {
        format!(
            "<Entity {} {}..{} {:?}>",
            self.label, self.start, self.end, self.text
        )
    }
}

/// A document that could not be read or that a stage failed on, at its place in the stream.
#[pyclass(name = "ErrorRecord", module = "textpipe", frozen)]
pub struct PyErrorRecord {
    record: ErrorRecord,
}

impl PyErrorRecord {
    pub fn new(record: ErrorRecord) -> Self {
        PyErrorRecord { record }
    }

    /// The record as a `DocumentError` to raise, with the record attached as `.record`.
    pub fn into_error(self, py: Python<'_>) -> PyErr {
        let error = DocumentError::new_err(self.record.to_string());
        // Setting an attribute on a fresh exception object only fails out of memory; the
        // message already names the document and the stage.
        if let Ok(record) = Py::new(py, self) {
            let _ = error.value(py).setattr("record", record);
        }
        error
    }
}

#[pymethods]
impl PyErrorRecord {
    /// The document's id, when it has one.
    #[getter]
    fn id(&self) -> Option<&str> {
        self.record.id.as_deref()
    }

    /// The failing stage, or `input` when the item could not be read.
    #[getter]
    fn stage(&self) -> &str {
        &self.record.stage
    }

    /// What went wrong.
    #[getter]
    fn message(&self) -> &str {
        &self.record.message
    }

    /// The error record as the output contract writes it:
    /// `{"id", "error": {"stage", "message"}}`.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_python(py, &self.record)
    }

    /// The JSON line `textpipe run` writes for this record, without the newline.
    fn to_json(&self) -> String {
        serde_json::to_string(&self.record).expect("error records serialize to JSON")
    }

    fn __repr__(&self) -> String {
        format!(
            "<ErrorRecord id={:?} stage={:?} message={:?}>",
            self.record.name(),
            self.record.stage,
            self.record.message
        )
    }

    fn __str__(&self) -> String {
        self.record.to_string()
    }

    /// False, so `if item:` tells documents from failures in a stream.
    fn __bool__(&self) -> bool {
        false
    }
}
