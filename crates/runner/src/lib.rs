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
//! text), which keeps the single writer cheap; a lone worker leaves rendering to the writer,
//! which would otherwise wait while it renders.
//!
//! Output stays in input order through a reorder buffer keyed by batch number. Its size, and
//! with it the memory of the whole run, is bounded by *permits*: the reader needs one to send
//! a batch, and the writer returns it only once that batch is written. A slow batch therefore
//! holds back at most `permits` batches, however large the corpus.
//!
//! With one thread everything runs inline on the calling thread: no channels, no copies,
//! which is also what the criterion bench measures as the runner's own overhead.
//!
//! # Finished output is never lost
//!
//! The writer flushes the sink ([`Sink::flush`]) each time it has written every batch that is
//! ready, before it waits for the next one. A run killed at any moment (`SIGKILL`, an
//! out-of-memory kill, a preempted machine) has handed every finished batch to the operating
//! system: what is lost is the documents still in flight, and at most the end of the one line
//! being written when the kill came.
//!
//! # Time per document
//!
//! [`RunOptions::document_timeout`] bounds how long the output waits for one document: an
//! overdue document becomes an error record in its place and the run goes on. Code cannot be
//! preempted, so the stuck call keeps its thread until it returns; the watchdog module says
//! exactly what is and is not bounded. With one thread and a timeout the work moves to a worker
//! thread under the watchdog; over 1,200 plain-text pages through the boilerplate stage that
//! cost no measurable CPU time against the inline run (user and system time alike, five runs
//! each; the boilerplate crate's README has the figures).
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

mod address_space;
mod markdown;
mod sink;
mod watchdog;

use std::collections::BTreeMap;
use std::ops::Deref;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::thread;
use std::time::{Duration, Instant};

use crossbeam_channel::{bounded, unbounded, Receiver, RecvTimeoutError, Sender};
use textpipe_core::{Outcome, Pipeline, RunReport, StageCounters};

pub use markdown::{ask_for_markdown, render_markdown_document, MarkdownSink};
pub use sink::{
    render_text, Batch, CollectSink, HtmlSink, JsonLinesSink, Renderer, Sink, TextSink,
};
use watchdog::{SharedBatch, Watchdog, WorkerSlot};

/// The most worker threads a run starts: past a few hundred they only cost memory, and tens
/// of thousands exhaust the kernel's memory maps, which aborts a process instead of failing a
/// thread start.
pub const MAX_THREADS: usize = 1024;

/// How a run is carried out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunOptions {
    /// Worker threads (1 to [`MAX_THREADS`]; 1 runs inline on the calling thread unless a
    /// document timeout is set).
    pub threads: usize,
    /// Most documents per batch.
    pub batch_docs: usize,
    /// A batch is closed once its texts reach this many bytes.
    pub batch_bytes: usize,
    /// Stop at the first failed document (after writing its error record).
    pub fail_fast: bool,
    /// The time one document may spend in the pipeline. A document over it becomes an error
    /// record in its place and the run goes on (see the crate's *Time per document*).
    /// `None` (the library's default) sets no limit; the command line's default is 5 minutes.
    pub document_timeout: Option<Duration>,
}

impl Default for RunOptions {
    fn default() -> Self {
        RunOptions {
            threads: thread::available_parallelism().map_or(1, |n| n.get()),
            batch_docs: 64,
            batch_bytes: 1 << 20,
            fail_fast: false,
            document_timeout: None,
        }
    }
}

/// Why a run stopped before its end.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RunError {
    /// The sink could not write (a closed pipe, a full disk). The OS error is part of the
    /// message, not a separate source, so it is printed once.
    #[error("cannot write output: {0}")]
    Write(std::io::Error),
    /// More worker threads were asked for than a run starts.
    #[error("{requested} worker threads asked for; a run uses at most {MAX_THREADS}")]
    TooManyThreads {
        /// The number asked for.
        requested: usize,
    },
    /// The threads asked for do not fit under the process's address-space limit, so none was
    /// started: starting them until the system refused one could abort the process instead.
    #[error(
        "cannot start a thread for each of the {wanted} the run needs: their stacks need about \
         {needed_mb} MB of address space and the limit (ulimit -v) leaves {left_mb} MB; ask for \
         fewer threads"
    )]
    AddressSpace {
        /// Threads the run wanted (workers and the reader).
        wanted: usize,
        /// Megabytes of address space they need, with room for the run itself.
        needed_mb: u64,
        /// Megabytes the limit leaves.
        left_mb: u64,
    },
    /// The system refused to start a thread (a memory or process limit).
    #[error("cannot start a thread ({running} of {wanted} running): {error}")]
    Threads {
        /// Threads the run wanted (workers and the reader).
        wanted: usize,
        /// Threads already running.
        running: usize,
        /// The system's reason.
        error: std::io::Error,
    },
}

impl From<std::io::Error> for RunError {
    fn from(error: std::io::Error) -> Self {
        RunError::Write(error)
    }
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
    /// The stage that gave up in this batch ([`StageError::Fatal`]): the run stops after it.
    ///
    /// [`StageError::Fatal`]: textpipe_core::StageError::Fatal
    stopped_by: Option<String>,
}

/// Runs `pipeline` over `items`, handing the outcomes to `sink` in input order. Items that
/// are already [`Outcome::Failed`] (unreadable input) pass through as error records.
/// `on_batch` is called after each written batch with the items written so far (for a
/// progress bar). The sink's `finish` is called with the report before it is returned.
///
/// With a [`RunOptions::document_timeout`], an overdue document's error record is written
/// and the run goes on at once, but `run` itself returns only once the stuck stage call has
/// come back (its thread borrows `pipeline`); [`run_shared`] returns without waiting.
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
    run_with(
        PipelineHandle::Borrowed(pipeline),
        items,
        sink,
        options,
        on_batch,
    )
}

/// [`run`] over a shared pipeline: a worker stuck past the document timeout is left behind
/// (its thread keeps the pipeline alive) and the run returns as soon as every other document
/// is written. This is what the command line uses.
pub fn run_shared<I>(
    pipeline: Arc<Pipeline>,
    items: I,
    sink: &mut dyn Sink,
    options: &RunOptions,
    on_batch: &mut dyn FnMut(usize),
) -> Result<RunReport, RunError>
where
    I: IntoIterator<Item = Outcome>,
    I::IntoIter: Send,
{
    run_with(
        PipelineHandle::Shared(pipeline),
        items,
        sink,
        options,
        on_batch,
    )
}

/// How the workers hold the pipeline: borrowed (scoped threads, joined at the end) or shared
/// (detached threads, so a stuck one need not be waited for).
#[derive(Clone)]
enum PipelineHandle<'p> {
    Borrowed(&'p Pipeline),
    Shared(Arc<Pipeline>),
}

impl Deref for PipelineHandle<'_> {
    type Target = Pipeline;

    fn deref(&self) -> &Pipeline {
        match self {
            PipelineHandle::Borrowed(pipeline) => pipeline,
            PipelineHandle::Shared(pipeline) => pipeline,
        }
    }
}

fn run_with<I>(
    pipeline: PipelineHandle<'_>,
    items: I,
    sink: &mut dyn Sink,
    options: &RunOptions,
    on_batch: &mut dyn FnMut(usize),
) -> Result<RunReport, RunError>
where
    I: IntoIterator<Item = Outcome>,
    I::IntoIter: Send,
{
    if options.threads > MAX_THREADS {
        return Err(RunError::TooManyThreads {
            requested: options.threads,
        });
    }
    let started = Instant::now();
    let mut report = RunReport::for_stages(pipeline.stages().iter().map(|s| s.name()));
    let batches = Batches::new(items.into_iter(), options);
    let renderer = sink.renderer();
    if options.threads <= 1 && options.document_timeout.is_none() {
        let mut counters = pipeline.new_counters();
        for batch in batches {
            let finished = process_batch(&pipeline, batch, &mut counters, renderer);
            let stop = write_batch(sink, finished, &mut report, options)?;
            sink.flush()?;
            if stop {
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

/// What workers send to the writer.
enum Message {
    /// Batch `seq` is processed.
    Finished(usize, FinishedBatch),
    /// The reader has sent all its batches, this many.
    ReaderEnded(usize),
}

/// Tells the writer how many batches the reader sent, when the reader ends for any reason.
struct ReaderEnd {
    done: Sender<Message>,
    batches: usize,
}

impl Drop for ReaderEnd {
    fn drop(&mut self) {
        let _ = self.done.send(Message::ReaderEnded(self.batches));
    }
}

/// Holds each started worker before its first allocation until every thread of the run has
/// started. A start that fails then leaves no worker mapping memory at the same time, and the
/// workers started before it end without touching the allocator.
#[derive(Default)]
struct StartGate {
    state: Mutex<GateState>,
    changed: Condvar,
}

#[derive(Default)]
struct GateState {
    arrived: usize,
    /// `Some(true)` once the run goes ahead, `Some(false)` once it will not.
    open: Option<bool>,
}

impl StartGate {
    fn lock(&self) -> MutexGuard<'_, GateState> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Waits while `waiting` holds of the gate's state, and returns the state after.
    fn wait_while(&self, waiting: impl FnMut(&mut GateState) -> bool) -> MutexGuard<'_, GateState> {
        self.changed
            .wait_while(self.lock(), waiting)
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// Called by a worker before anything else: counts it in and waits for the verdict.
    fn arrive(&self) -> bool {
        self.lock().arrived += 1;
        self.changed.notify_all();
        self.wait_while(|state| state.open.is_none()).open == Some(true)
    }

    /// Waits until `count` workers have arrived, so the next start has the machine to itself.
    fn wait_for_arrivals(&self, count: usize) {
        drop(self.wait_while(|state| state.arrived < count));
    }

    fn open(&self, go: bool) {
        let mut state = self.lock();
        if state.open.is_none() {
            state.open = Some(go);
        }
        self.changed.notify_all();
    }
}

/// Opens the gate with "stop" when dropped, which does nothing once the run went ahead.
struct GateGuard<'g>(&'g StartGate);

impl Drop for GateGuard<'_> {
    fn drop(&mut self) {
        self.0.open(false);
    }
}

/// What one worker thread needs; all of it owned, so a worker may outlive the run.
struct Worker {
    work: Receiver<Arc<SharedBatch>>,
    done: Sender<Message>,
    counters: Sender<Vec<StageCounters>>,
    slot: Arc<WorkerSlot>,
    renderer: Option<Renderer>,
    per_document: bool,
    gate: Arc<StartGate>,
}

impl Worker {
    /// Processes batches until the work queue closes, then hands back its counters. A worker
    /// the watchdog gave up on stops after its stuck call and hands back nothing.
    fn work(self, pipeline: &Pipeline) {
        if !self.gate.arrive() {
            return;
        }
        let mut counters = pipeline.new_counters();
        for batch in &self.work {
            let finished = if self.per_document {
                batch.process_each(pipeline, &mut counters, &self.slot, self.renderer)
            } else {
                batch.process_whole(pipeline, &mut counters, self.renderer)
            };
            match finished {
                Err(watchdog::Abandoned) => return,
                Ok(Some(finished)) => {
                    if self
                        .done
                        .send(Message::Finished(batch.seq, finished))
                        .is_err()
                    {
                        break;
                    }
                }
                Ok(None) => {}
            }
        }
        let _ = self.counters.send(counters);
    }
}

fn run_parallel(
    pipeline: PipelineHandle<'_>,
    batches: Batches<impl Iterator<Item = Outcome> + Send>,
    sink: &mut dyn Sink,
    options: &RunOptions,
    report: &mut RunReport,
    on_batch: &mut dyn FnMut(usize),
) -> Result<(), RunError> {
    let threads = options.threads.max(1);
    // Rendering is most of a writer's work. Several workers render their batches side by
    // side; a lone worker would render each batch after processing it while this thread, the
    // writer, waits, so with one worker the writer renders and the two overlap.
    let renderer = if threads == 1 { None } else { sink.renderer() };
    let permits = threads * 2 + 2;
    let (permit_tx, permit_rx) = bounded::<()>(permits);
    for _ in 0..permits {
        let _ = permit_tx.send(());
    }
    // Unbounded, since permits already bound the batches in flight; the watchdog puts the rest
    // of an overdue batch back on it without blocking.
    let (work_tx, work_rx) = unbounded::<Arc<SharedBatch>>();
    let (done_tx, done_rx) = unbounded::<Message>();
    let (counters_tx, counters_rx) = unbounded::<Vec<StageCounters>>();
    let stop = AtomicBool::new(false);
    let per_document = options.document_timeout.is_some();
    let stack = address_space::thread_stack_bytes();
    if let Err(shortfall) = address_space::prepare_threads(threads + 1, stack) {
        return Err(RunError::AddressSpace {
            wanted: threads + 1,
            needed_mb: shortfall.needed >> 20,
            left_mb: shortfall.left >> 20,
        });
    }
    let gate = Arc::new(StartGate::default());
    thread::scope(|scope| {
        // Opens the gate with "stop" on every early return, before the scope waits for its
        // threads, so no started worker waits forever.
        let _stop_unless_opened = GateGuard(&gate);
        let spawn_worker = |slot: Arc<WorkerSlot>| -> std::io::Result<()> {
            let worker = Worker {
                work: work_rx.clone(),
                done: done_tx.clone(),
                counters: counters_tx.clone(),
                slot,
                renderer,
                per_document,
                gate: Arc::clone(&gate),
            };
            let builder = thread::Builder::new()
                .name("textpipe-worker".into())
                .stack_size(stack);
            match &pipeline {
                PipelineHandle::Borrowed(pipeline) => {
                    let pipeline: &Pipeline = pipeline;
                    builder.spawn_scoped(scope, move || worker.work(pipeline))?;
                }
                PipelineHandle::Shared(pipeline) => {
                    let pipeline = Arc::clone(pipeline);
                    builder.spawn(move || worker.work(&pipeline))?;
                }
            }
            Ok(())
        };
        // One thread at a time, each after the last has started and while no other thread
        // allocates: a start the address space cannot hold fails here, in this thread, as an
        // error, and not inside a started thread as an abort.
        let start_refused = |running: usize, error: std::io::Error| RunError::Threads {
            wanted: threads + 1,
            running,
            error,
        };
        let mut slots = Vec::with_capacity(threads);
        for running in 0..threads {
            address_space::reserve_for_thread(stack).map_err(|e| start_refused(running, e))?;
            let slot = Arc::new(WorkerSlot::default());
            spawn_worker(Arc::clone(&slot)).map_err(|e| start_refused(running, e))?;
            gate.wait_for_arrivals(running + 1);
            slots.push(slot);
        }
        let stop = &stop;
        let reader_work = work_tx.clone();
        let reader_done = done_tx.clone();
        address_space::reserve_for_thread(stack).map_err(|e| start_refused(threads, e))?;
        thread::Builder::new()
            .name("textpipe-reader".into())
            .stack_size(stack)
            .spawn_scoped(scope, move || {
                // Sent on drop, so the writer learns the count even if the input panics.
                let mut sent = ReaderEnd {
                    done: reader_done,
                    batches: 0,
                };
                for (seq, batch) in batches.enumerate() {
                    if permit_rx.recv().is_err() || stop.load(Ordering::Relaxed) {
                        break;
                    }
                    if reader_work.send(SharedBatch::new(seq, batch)).is_err() {
                        break;
                    }
                    sent.batches = seq + 1;
                }
            })
            .map_err(|e| start_refused(threads, e))?;
        gate.open(true);
        let mut watchdog = options.document_timeout.map(|timeout| Watchdog {
            timeout,
            stage_names: pipeline
                .stages()
                .iter()
                .map(|stage| stage.name().to_string())
                .collect(),
            slots,
            work: work_tx.clone(),
            renderer,
        });
        let written = write_in_order(
            &done_rx,
            permit_tx,
            sink,
            options,
            report,
            on_batch,
            watchdog.as_mut(),
            &spawn_worker,
        );
        stop.store(true, Ordering::Relaxed);
        drop(work_tx);
        drop(watchdog);
        // Every live worker (one replaced each one left behind) hands back its counters once
        // the queue is closed; a worker left behind never does.
        for _ in 0..threads {
            let counters = match options.document_timeout {
                Some(timeout) => counters_rx.recv_timeout(timeout).ok(),
                None => counters_rx.recv().ok(),
            };
            let Some(counters) = counters else { break };
            report.add_stage_counters(&counters);
        }
        written
    })
}

/// The writer's loop: reorders finished batches, writes them, hands permits back, and
/// flushes the sink before it waits, so a killed run loses only the documents in flight.
#[allow(clippy::too_many_arguments)]
fn write_in_order(
    done: &Receiver<Message>,
    permits: Sender<()>,
    sink: &mut dyn Sink,
    options: &RunOptions,
    report: &mut RunReport,
    on_batch: &mut dyn FnMut(usize),
    mut watchdog: Option<&mut Watchdog>,
    spawn_worker: &dyn Fn(Arc<WorkerSlot>) -> std::io::Result<()>,
) -> Result<(), RunError> {
    let mut waiting = BTreeMap::new();
    let mut next = 0;
    let mut total = None;
    let tick = options
        .document_timeout
        .map(|timeout| (timeout / 8).clamp(Duration::from_millis(1), Duration::from_secs(1)));
    while total != Some(next) {
        let message = match tick {
            Some(tick) => done.recv_timeout(tick),
            None => done.recv().map_err(|_| RecvTimeoutError::Disconnected),
        };
        match message {
            Ok(Message::Finished(seq, finished)) => {
                waiting.insert(seq, finished);
            }
            Ok(Message::ReaderEnded(count)) => total = Some(count),
            Err(RecvTimeoutError::Timeout) => {}
            // Every worker is gone (none can be: the watchdog holds a sender until the end).
            Err(RecvTimeoutError::Disconnected) => break,
        }
        if let Some(watchdog) = watchdog.as_deref_mut() {
            for (seq, finished) in watchdog.check(spawn_worker)? {
                waiting.insert(seq, finished);
            }
        }
        let mut wrote = false;
        while let Some(finished) = waiting.remove(&next) {
            next += 1;
            wrote = true;
            if write_batch(sink, finished, report, options)? {
                sink.flush()?;
                return Ok(());
            }
            on_batch(report.written + report.failed);
            let _ = permits.send(());
        }
        if wrote {
            sink.flush()?;
        }
    }
    Ok(())
}

/// Writes one batch; returns true when the run must stop (fail-fast met a failure, or a stage
/// gave up).
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
            // A stage that gave up fails every document it meets: stop here, with this
            // batch (and everything before it) written, as fail-fast would.
            report.stopped_by = finished.stopped_by;
            Ok(report.stopped_by.is_some())
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
    finish_batch(outcomes, renderer)
}

/// Counts a processed batch and renders it when the sink has a renderer.
fn finish_batch(outcomes: Vec<Outcome>, renderer: Option<Renderer>) -> FinishedBatch {
    let mut finished = FinishedBatch {
        batch: Batch::Rendered(Vec::new()),
        read: outcomes.len(),
        written: 0,
        failed: 0,
        first_failure: None,
        stopped_by: None,
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
            Outcome::Failed(record) => {
                finished.failed += 1;
                finished.first_failure.get_or_insert((index, bytes.len()));
                if record.stops_run && finished.stopped_by.is_none() {
                    finished.stopped_by = Some(record.stage.clone());
                }
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
