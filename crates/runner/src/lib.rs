//! The run layer of textpipe: a [`Pipeline`] over a stream of documents on every core, with
//! output in input order, bounded memory, error records and a [`RunReport`].
//!
//! The command line, the Python package and Rust programs all run pipelines through [`run`]:
//!
//! ```text
//!  reader thread ──batches──▶ worker threads ──finished batches──▶ sink (calling thread)
//!        ▲                  (stages + rendering)                        │
//!        └────────────────────────── permits ◀──────────────────────────┘
//! ```
//!
//! Documents travel in batches (a few dozen, or about a MiB of text) so channel and
//! scheduling costs are paid per batch, and so stages that gain from batching (plugins) get
//! them. Each worker runs [`Pipeline::process_batch`], which times the stages, counts what
//! they did and turns failures (panics included) into error records of only the documents
//! concerned. Workers also render their output when the [`Sink`] names a renderer (JSON Lines,
//! text), which keeps the single writer cheap.
//!
//! Output stays in input order through a reorder buffer keyed by batch number. Its size, and
//! with it the memory of the whole run, is bounded by *permits*: the reader needs one to send
//! a batch, and the writer returns it only once that batch is written. A slow batch therefore
//! holds back at most `permits` batches, however large the corpus.
//!
//! With one thread everything runs inline on the calling thread: no channels, no copies,
//! which is also what the criterion bench measures as the runner's own overhead.
//!
//! ```
//! use textpipe_core::{Document, Outcome, Pipeline};
//! use textpipe_runner::{run, JsonLinesSink, RunOptions};
//!
//! let pipeline = Pipeline::new("nothing", vec![], &[]).unwrap();
//! let docs = vec![Outcome::from(Document::new("a", "Hello."))];
//! let mut sink = JsonLinesSink::new(Vec::new());
//! let report = run(&pipeline, docs, &mut sink, &RunOptions::default(), &mut |_| {}).unwrap();
//! assert_eq!(report.written, 1);
//! assert_eq!(sink.into_inner(), b"{\"id\":\"a\",\"text\":\"Hello.\"}\n");
//! ```
#![deny(missing_docs)]

mod sink;

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;
use std::time::Instant;

use crossbeam_channel::{bounded, unbounded};
use textpipe_core::{Outcome, Pipeline, RunReport, StageCounters};

pub use sink::{
    render_text, Batch, CollectSink, HtmlSink, JsonLinesSink, Renderer, Sink, TextSink,
};

/// How a run is carried out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunOptions {
    /// Worker threads (at least 1; 1 runs inline on the calling thread).
    pub threads: usize,
    /// Most documents per batch.
    pub batch_docs: usize,
    /// A batch is closed once its texts reach this many bytes.
    pub batch_bytes: usize,
    /// Stop at the first failed document (after writing its error record).
    pub fail_fast: bool,
}

impl Default for RunOptions {
    fn default() -> Self {
        RunOptions {
            threads: thread::available_parallelism().map_or(1, |n| n.get()),
            batch_docs: 64,
            batch_bytes: 1 << 20,
            fail_fast: false,
        }
    }
}

/// Why a run stopped before its end.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RunError {
    /// The sink could not write (a closed pipe, a full disk).
    #[error("cannot write output: {0}")]
    Write(#[from] std::io::Error),
}

/// A batch after processing, ready for the sink.
struct FinishedBatch {
    batch: Batch,
    read: usize,
    written: usize,
    failed: usize,
    /// The first failure: (its index in the batch, where its rendered bytes end). With
    /// `fail_fast` only the batch up to and including it is written.
    first_failure: Option<(usize, usize)>,
}

/// Runs `pipeline` over `items`, handing the outcomes to `sink` in input order. Items that
/// are already [`Outcome::Failed`] (unreadable input) pass through as error records.
/// `on_batch` is called after each written batch with the items written so far (for a
/// progress bar). The sink's `finish` is called with the report before it is returned.
pub fn run<I>(
    pipeline: &Pipeline,
    items: I,
    sink: &mut dyn Sink,
    options: &RunOptions,
    on_batch: &mut dyn FnMut(usize),
) -> Result<RunReport, RunError>
where
    I: IntoIterator<Item = Outcome>,
    I::IntoIter: Send,
{
    let started = Instant::now();
    let mut report = RunReport::for_stages(pipeline.stages().iter().map(|s| s.name()));
    let batches = Batches::new(items.into_iter(), options);
    let renderer = sink.renderer();
    if options.threads <= 1 {
        let mut counters = pipeline.new_counters();
        for batch in batches {
            let finished = process_batch(pipeline, batch, &mut counters, renderer);
            if write_batch(sink, finished, &mut report, options)? {
                break;
            }
            on_batch(report.written + report.failed);
        }
        report.add_stage_counters(&counters);
    } else {
        run_parallel(pipeline, batches, sink, options, &mut report, on_batch)?;
    }
    report.elapsed = started.elapsed();
    sink.finish(&report)?;
    Ok(report)
}

fn run_parallel(
    pipeline: &Pipeline,
    batches: Batches<impl Iterator<Item = Outcome> + Send>,
    sink: &mut dyn Sink,
    options: &RunOptions,
    report: &mut RunReport,
    on_batch: &mut dyn FnMut(usize),
) -> Result<(), RunError> {
    let renderer = sink.renderer();
    let permits = options.threads * 2 + 2;
    let (permit_tx, permit_rx) = bounded::<()>(permits);
    for _ in 0..permits {
        let _ = permit_tx.send(());
    }
    let (work_tx, work_rx) = bounded::<(usize, Vec<Outcome>)>(options.threads);
    let (done_tx, done_rx) = unbounded::<(usize, FinishedBatch)>();
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
                    let mut counters = pipeline.new_counters();
                    for (seq, batch) in work_rx {
                        let finished = process_batch(pipeline, batch, &mut counters, renderer);
                        if done_tx.send((seq, finished)).is_err() {
                            break;
                        }
                    }
                    counters
                })
            })
            .collect();
        drop((work_rx, done_tx));
        let written = write_in_order(done_rx, permit_tx, sink, options, report, on_batch);
        stop.store(true, Ordering::Relaxed);
        for worker in workers {
            // Stage panics are caught in `process_batch`; a worker itself does not panic.
            if let Ok(counters) = worker.join() {
                report.add_stage_counters(&counters);
            }
        }
        written
    })
}

/// The writer's loop: reorders finished batches, writes them, and hands permits back.
fn write_in_order(
    done: crossbeam_channel::Receiver<(usize, FinishedBatch)>,
    permits: crossbeam_channel::Sender<()>,
    sink: &mut dyn Sink,
    options: &RunOptions,
    report: &mut RunReport,
    on_batch: &mut dyn FnMut(usize),
) -> Result<(), RunError> {
    let mut waiting = BTreeMap::new();
    let mut next = 0;
    for (seq, finished) in done {
        waiting.insert(seq, finished);
        while let Some(finished) = waiting.remove(&next) {
            next += 1;
            if write_batch(sink, finished, report, options)? {
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
    sink: &mut dyn Sink,
    finished: FinishedBatch,
    report: &mut RunReport,
    options: &RunOptions,
) -> Result<bool, RunError> {
    report.read += finished.read;
    match finished.first_failure.filter(|_| options.fail_fast) {
        Some((index, bytes)) => {
            let cut = match finished.batch {
                Batch::Rendered(mut rendered) => {
                    rendered.truncate(bytes);
                    Batch::Rendered(rendered)
                }
                Batch::Outcomes(mut outcomes) => {
                    outcomes.truncate(index + 1);
                    Batch::Outcomes(outcomes)
                }
            };
            sink.write(cut)?;
            report.written += index;
            report.failed += 1;
            Ok(true)
        }
        None => {
            sink.write(finished.batch)?;
            report.written += finished.written;
            report.failed += finished.failed;
            Ok(false)
        }
    }
}

/// Runs the pipeline over a batch, then renders it when the sink has a renderer.
fn process_batch(
    pipeline: &Pipeline,
    mut outcomes: Vec<Outcome>,
    counters: &mut [StageCounters],
    renderer: Option<Renderer>,
) -> FinishedBatch {
    pipeline.process_batch(&mut outcomes, counters);
    let mut finished = FinishedBatch {
        batch: Batch::Rendered(Vec::new()),
        read: outcomes.len(),
        written: 0,
        failed: 0,
        first_failure: None,
    };
    let mut bytes = Vec::with_capacity(if renderer.is_some() {
        outcomes.len() * 512
    } else {
        0
    });
    for (index, outcome) in outcomes.iter().enumerate() {
        if let Some(render) = renderer {
            render(outcome, &mut bytes);
        }
        match outcome {
            Outcome::Done(_) => finished.written += 1,
            Outcome::Failed(_) => {
                finished.failed += 1;
                finished.first_failure.get_or_insert((index, bytes.len()));
            }
        }
    }
    finished.batch = match renderer {
        Some(_) => Batch::Rendered(bytes),
        None => Batch::Outcomes(outcomes),
    };
    finished
}

/// Groups items into batches by count and by text size.
struct Batches<I> {
    items: I,
    max_docs: usize,
    max_bytes: usize,
}

impl<I: Iterator<Item = Outcome>> Batches<I> {
    fn new(items: I, options: &RunOptions) -> Self {
        Batches {
            items,
            max_docs: options.batch_docs.max(1),
            max_bytes: options.batch_bytes.max(1),
        }
    }
}

impl<I: Iterator<Item = Outcome>> Iterator for Batches<I> {
    type Item = Vec<Outcome>;

    fn next(&mut self) -> Option<Vec<Outcome>> {
        let mut batch = Vec::with_capacity(self.max_docs.min(1024));
        let mut bytes = 0;
        while batch.len() < self.max_docs && bytes < self.max_bytes {
            let Some(item) = self.items.next() else {
                break;
            };
            if let Outcome::Done(doc) = &item {
                bytes += doc.text.len() + doc.html.as_ref().map_or(0, String::len);
            }
            batch.push(item);
        }
        (!batch.is_empty()).then_some(batch)
    }
}

#[cfg(test)]
mod tests;
