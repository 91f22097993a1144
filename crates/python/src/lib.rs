//! textpipe for Python: the `textpipe` package's compiled core (`textpipe._textpipe`).
//!
//! The package gives Python what the command line gives a shell, with the same pipelines and
//! the same output: `Pipeline()` is the compiled-in default, `Pipeline.from_file` and
//! `Pipeline.from_dict` read pipeline files (plugins included) exactly as `textpipe run
//! --pipeline` does, `nlp(text)` processes one text and `nlp.pipe(items)` streams many on
//! every core, in input order. `Doc.to_json()` is byte for byte the line `textpipe run`
//! prints for the same document.
//!
//! # Design
//!
//! - **Documents stay in Rust.** A [`Doc`] wraps the processed [`textpipe_core::Document`];
//!   Python objects (spans, entities, dicts) are made only when an attribute is read. A
//!   stream that only writes `to_json()` never builds them.
//! - **Offsets in characters and bytes.** Layers hold UTF-8 byte ranges; Python strings are
//!   indexed by code point. Every span carries both (`start`/`end` in characters, so
//!   `doc.text[e.start:e.end] == e.text`, and `start_byte`/`end_byte`), converted with one
//!   [`textpipe_core::OffsetConverter`] per document, built on first use.
//! - **The GIL is released while stages run.** `nlp(text)` detaches from the interpreter
//!   around the pipeline; `pipe` pulls a chunk of items from the Python iterator (converting
//!   them needs the GIL), then runs the chunk through [`textpipe_runner::run`] on its worker
//!   threads with the GIL released, and yields the chunk's outcomes in order. Chunks are
//!   `threads × batch_size × 4` items, enough batches for every worker to stay busy.
//! - **Failures in place.** A document a stage fails on comes back as an [`PyErrorRecord`] at
//!   its place in the stream (`on_error="record"`), or raises `DocumentError` naming the
//!   document and the stage (`on_error="raise"`). Dict items are read by the same code as
//!   JSON Lines lines (`textpipe_core::document_from_json_line`), so a dict without
//!   `text` or `html` is an error record of stage `input`, as a bad line would be.
#![deny(missing_docs)]

mod convert;
mod doc;
mod pipeline;

use pyo3::create_exception;
use pyo3::exceptions::{PyException, PyValueError};
use pyo3::prelude::*;

create_exception!(
    textpipe,
    DocumentError,
    PyException,
    "A stage failed on a document (raised by `nlp(...)`, and by `nlp.pipe(...)` with \
     `on_error=\"raise\"`). Its `record` attribute is the `ErrorRecord`."
);
create_exception!(
    textpipe,
    PipelineError,
    PyValueError,
    "A pipeline file or dict that cannot be built: every problem, with where it is."
);

/// The compiled core of the `textpipe` package.
#[pymodule]
fn _textpipe(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add_class::<pipeline::Pipeline>()?;
    m.add_class::<pipeline::PipeIter>()?;
    m.add_class::<doc::Doc>()?;
    m.add_class::<doc::PySpan>()?;
    m.add_class::<doc::PyEntity>()?;
    m.add_class::<doc::PyErrorRecord>()?;
    m.add("DocumentError", py.get_type::<DocumentError>())?;
    m.add("PipelineError", py.get_type::<PipelineError>())?;
    m.add("DEFAULT_PIPELINE", textpipe::DEFAULT_PIPELINE)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
