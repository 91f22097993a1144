//! The runner: ordered, parallel, streaming, with bounded memory.
//!
//! ```text
//!  reader thread ──batches──▶ worker threads ──rendered batches──▶ writer (calling thread)
//!        ▲                     (stages + serialization)                   │
//!        └────────────────────────── permits ◀────────────────────────────┘
//! ```
//!
//! Documents travel in batches (a few dozen, or about a MiB of text) so channel and
//! scheduling costs are paid per batch, and so stages that gain from batching (plugins) get
//! them. Workers also serialize their output, which keeps the single writer thread cheap.
//!
//! Output stays in input order through a reorder buffer keyed by batch number. Its size, and
//! with it the memory of the whole run, is bounded by *permits*: the reader needs one to send
//! a batch, and the writer returns it only once that batch is written. A slow batch therefore
//! holds back at most `permits` batches, however large the corpus.
//!
//! With one thread everything runs inline on the calling thread: no channels, no copies,
//! which is also what the criterion bench measures as the runner's own overhead.

use std::collections::BTreeMap;
use std::io::Write;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use crossbeam_channel::{bounded, unbounded};
use textpipe_core::{Document, Pipeline, Stage};

use crate::input::Record;
use crate::output::{render, FailureRecord, Outcome, OutputFormat};
use crate::report::RunReport;

/// How a run is carried out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunOptions {
    /// Worker threads (at least 1; 1 runs inline on the calling thread).
    pub threads: usize,
    /// Most documents per batch.
    pub batch_docs: usize,
    /// A batch is closed once its texts reach this many bytes.
    pub batch_bytes: usize,
    /// Stop at the first failed document.
    pub fail_fast: bool,
    /// How results are written.
    pub format: OutputFormat,
}

impl Default for RunOptions {
    fn default() -> Self {
        RunOptions {
            threads: thread::available_parallelism().map_or(1, |n| n.get()),
            batch_docs: 64,
            batch_bytes: 1 << 20,
            fail_fast: false,
            format: OutputFormat::Jsonl,
        }
    }
}

/// Why a run stopped before its end.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RunError {
    /// The output could not be written (a closed pipe, a full disk).
    #[error("cannot write output: {0}")]
    Write(#[from] std::io::Error),
}

/// A batch after processing: its rendered bytes and what it held.
struct RenderedBatch {
    bytes: Vec<u8>,
    written: usize,
    failed: usize,
    /// Where the first failure ends: (bytes up to and including it, documents before it).
    /// With `fail_fast` only that much is written.
    cut_at_failure: Option<(usize, usize)>,
}

/// Runs `pipeline` over `records`, writing results in input order to `out`. `on_batch` is
/// called after each written batch with the documents written so far (for a progress bar).
pub fn run(
    pipeline: &Pipeline,
    records: impl Iterator<Item = Record> + Send,
    out: &mut dyn Write,
    options: &RunOptions,
    on_batch: &mut dyn FnMut(usize),
) -> Result<RunReport, RunError> {
    let started = Instant::now();
    let mut report = RunReport::new(pipeline);
    let batches = Batches::new(records, options);
    if options.threads <= 1 {
        let mut timings = vec![Duration::ZERO; pipeline.stages().len()];
        for batch in batches {
            report.read += batch.len();
            let rendered = process_batch(pipeline, batch, &mut timings, options);
            if write_batch(out, rendered, &mut report, options)? {
                break;
            }
            on_batch(report.written + report.failed);
        }
        report.add_timings(&timings);
    } else {
        run_parallel(pipeline, batches, out, options, &mut report, on_batch)?;
    }
    out.flush()?;
    report.elapsed = started.elapsed();
    Ok(report)
}

fn run_parallel(
    pipeline: &Pipeline,
    batches: Batches<impl Iterator<Item = Record> + Send>,
    out: &mut dyn Write,
    options: &RunOptions,
    report: &mut RunReport,
    on_batch: &mut dyn FnMut(usize),
) -> Result<(), RunError> {
    let permits = options.threads * 2 + 2;
    let (permit_tx, permit_rx) = bounded::<()>(permits);
    for _ in 0..permits {
        let _ = permit_tx.send(());
    }
    let (work_tx, work_rx) = bounded::<(usize, Vec<Record>)>(options.threads);
    let (done_tx, done_rx) = unbounded::<(usize, usize, RenderedBatch)>();
    let stop = AtomicBool::new(false);
    thread::scope(|scope| {
        let stop = &stop;
        scope.spawn(move || {
            for (seq, batch) in batches.enumerate() {
                if permit_rx.recv().is_err() || stop.load(Ordering::Relaxed) {
                    break;
                }
                if work_tx.send((seq, batch)).is_err() {
                    break;
                }
            }
        });
        let workers: Vec<_> = (0..options.threads)
            .map(|_| {
                let (work_rx, done_tx) = (work_rx.clone(), done_tx.clone());
                scope.spawn(move || {
                    let mut timings = vec![Duration::ZERO; pipeline.stages().len()];
                    for (seq, batch) in work_rx {
                        let read = batch.len();
                        let rendered = process_batch(pipeline, batch, &mut timings, options);
                        if done_tx.send((seq, read, rendered)).is_err() {
                            break;
                        }
                    }
                    timings
                })
            })
            .collect();
        drop((work_rx, done_tx));
        let written = write_in_order(done_rx, permit_tx, out, options, report, on_batch);
        stop.store(true, Ordering::Relaxed);
        for worker in workers {
            // A worker only panics if a stage panics outside `catch_unwind`'s reach.
            if let Ok(timings) = worker.join() {
                report.add_timings(&timings);
            }
        }
        written
    })
}

/// The writer's loop: reorders finished batches, writes them, and hands permits back.
fn write_in_order(
    done: crossbeam_channel::Receiver<(usize, usize, RenderedBatch)>,
    permits: crossbeam_channel::Sender<()>,
    out: &mut dyn Write,
    options: &RunOptions,
    report: &mut RunReport,
    on_batch: &mut dyn FnMut(usize),
) -> Result<(), RunError> {
    let mut waiting = BTreeMap::new();
    let mut next = 0;
    for (seq, read, rendered) in done {
        waiting.insert(seq, (read, rendered));
        while let Some((read, rendered)) = waiting.remove(&next) {
            next += 1;
            report.read += read;
            if write_batch(out, rendered, report, options)? {
                return Ok(());
            }
            on_batch(report.written + report.failed);
            let _ = permits.send(());
        }
    }
    Ok(())
}

/// Writes one batch; returns true when the run must stop (fail-fast met a failure).
fn write_batch(
    out: &mut dyn Write,
    rendered: RenderedBatch,
    report: &mut RunReport,
    options: &RunOptions,
) -> Result<bool, RunError> {
    match rendered.cut_at_failure.filter(|_| options.fail_fast) {
        Some((bytes, written)) => {
            out.write_all(&rendered.bytes[..bytes])?;
            report.written += written;
            report.failed += 1;
            Ok(true)
        }
        None => {
            out.write_all(&rendered.bytes)?;
            report.written += rendered.written;
            report.failed += rendered.failed;
            Ok(false)
        }
    }
}

/// Runs every stage over a batch, then renders it.
fn process_batch(
    pipeline: &Pipeline,
    batch: Vec<Record>,
    timings: &mut [Duration],
    options: &RunOptions,
) -> RenderedBatch {
    let mut outcomes: Vec<Outcome> = batch
        .into_iter()
        .map(|record| match record {
            Record::Document(doc) => Outcome::Done(doc),
            Record::Unreadable(failure) => Outcome::Failed(FailureRecord::unreadable(failure)),
        })
        .collect();
    for (stage, time) in pipeline.stages().iter().zip(timings.iter_mut()) {
        let started = Instant::now();
        run_stage(stage.as_ref(), &mut outcomes);
        *time += started.elapsed();
    }
    let mut rendered = RenderedBatch {
        bytes: Vec::with_capacity(outcomes.len() * 512),
        written: 0,
        failed: 0,
        cut_at_failure: None,
    };
    for outcome in &outcomes {
        render(outcome, options.format, &mut rendered.bytes);
        match outcome {
            Outcome::Done(_) => rendered.written += 1,
            Outcome::Failed(_) => {
                rendered.failed += 1;
                let cut = (rendered.bytes.len(), rendered.written);
                rendered.cut_at_failure.get_or_insert(cut);
            }
        }
    }
    rendered
}

/// Runs one stage over the documents of a batch that have not failed yet. The stage sees
/// them as one slice (its `process_batch`); a failure fails only the documents it concerns,
/// and a panic is narrowed down to the document that caused it, so one bad document never
/// loses the others.
fn run_stage(stage: &dyn Stage, outcomes: &mut [Outcome]) {
    let mut positions = Vec::new();
    let mut docs: Vec<Document> = Vec::new();
    for (i, outcome) in outcomes.iter_mut().enumerate() {
        if let Outcome::Done(doc) = outcome {
            positions.push(i);
            docs.push(std::mem::take(doc.as_mut()));
        }
    }
    if docs.is_empty() {
        return;
    }
    let results =
        catch_unwind(AssertUnwindSafe(|| stage.process_batch(&mut docs))).unwrap_or_else(|_| {
            // The panic came from one document, but the batch call cannot say which: run the
            // batch again one document at a time so that only the culprit fails. Stages write
            // their layers by assignment, so a document the batch call already finished is
            // simply processed again.
            docs.iter_mut()
                .map(|doc| {
                    catch_unwind(AssertUnwindSafe(|| stage.process(doc))).unwrap_or_else(|panic| {
                        Err(textpipe_core::StageError::Failed(panic_message(
                            panic.as_ref(),
                        )))
                    })
                })
                .collect()
        });
    for ((doc, position), result) in docs.into_iter().zip(positions).zip(results) {
        outcomes[position] = match result {
            Ok(()) => Outcome::Done(Box::new(doc)),
            Err(error) => Outcome::Failed(FailureRecord::stage_failed(
                doc.id,
                stage.name(),
                error.to_string(),
            )),
        };
    }
}

fn panic_message(panic: &(dyn std::any::Any + Send)) -> String {
    let detail = panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown cause".into());
    format!("the stage panicked: {detail}")
}

/// Groups records into batches by count and by text size.
struct Batches<I> {
    records: I,
    max_docs: usize,
    max_bytes: usize,
}

impl<I: Iterator<Item = Record>> Batches<I> {
    fn new(records: I, options: &RunOptions) -> Self {
        Batches {
            records,
            max_docs: options.batch_docs.max(1),
            max_bytes: options.batch_bytes.max(1),
        }
    }
}

impl<I: Iterator<Item = Record>> Iterator for Batches<I> {
    type Item = Vec<Record>;

    fn next(&mut self) -> Option<Vec<Record>> {
        let mut batch = Vec::with_capacity(self.max_docs.min(1024));
        let mut bytes = 0;
        while batch.len() < self.max_docs && bytes < self.max_bytes {
            let Some(record) = self.records.next() else {
                break;
            };
            if let Record::Document(doc) = &record {
                bytes += doc.text.len() + doc.html.as_ref().map_or(0, String::len);
            }
            batch.push(record);
        }
        (!batch.is_empty()).then_some(batch)
    }
}

#[cfg(test)]
mod tests;
