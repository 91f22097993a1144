//! The time budget per document ([`RunOptions::document_timeout`](crate::RunOptions)).
//!
//! Rust code cannot be interrupted from outside: a stage that takes an hour on one document
//! keeps its thread for that hour. What the runner can do is stop *waiting* for it. With a
//! budget set, workers take documents one at a time from a shared batch and note in their
//! [`WorkerSlot`] which document they are on and since when. The writer, which wakes at
//! least every eighth of the budget, checks the slots: a document over the budget becomes an
//! error record in its place, the rest of its batch goes back on the queue for the other
//! workers, the stuck worker is left behind (whatever it returns later is dropped) and a new
//! worker takes its place, so the ordered output moves on.
//!
//! What this bounds: how long the output waits for one document, and so the run's progress.
//! What it does not: the CPU and memory the stuck call goes on using until it returns (one
//! core per stuck document), and a stage that never returns keeps its thread until the
//! process ends. Documents go through the pipeline one at a time in this mode, so stages
//! that batch (plugins) get batches of one.

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use crossbeam_channel::Sender;
use textpipe_core::{ErrorRecord, Outcome, Pipeline, StageCounters};

use crate::{finish_batch, FinishedBatch, Renderer, RunError};

/// The stage name of the error record of a document over its time budget when no stage had
/// started on it yet.
pub const TIMEOUT_STAGE: &str = "pipeline";

/// A batch that several workers may work on, one document at a time.
pub(crate) struct SharedBatch {
    /// Its place in the input order.
    pub seq: usize,
    state: Mutex<BatchState>,
}

struct BatchState {
    /// `None` while a worker holds the outcome.
    outcomes: Vec<Option<Outcome>>,
    /// The next outcome no worker has taken yet.
    next: usize,
    /// Outcomes not back yet.
    left: usize,
}

/// The worker was given up on while it processed a document; it must stop.
#[derive(Debug)]
pub(crate) struct Abandoned;

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    // A poisoned lock only means another thread panicked while holding it; the data (plain
    // bookkeeping) is still whole.
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

impl SharedBatch {
    pub fn new(seq: usize, outcomes: Vec<Outcome>) -> Arc<Self> {
        let left = outcomes.len();
        Arc::new(SharedBatch {
            seq,
            state: Mutex::new(BatchState {
                outcomes: outcomes.into_iter().map(Some).collect(),
                next: 0,
                left,
            }),
        })
    }

    /// The whole batch through the pipeline in one call (no time budget).
    pub fn process_whole(
        &self,
        pipeline: &Pipeline,
        counters: &mut [StageCounters],
        renderer: Option<Renderer>,
    ) -> Result<Option<FinishedBatch>, Abandoned> {
        let mut outcomes: Vec<Outcome> = {
            let mut state = lock(&self.state);
            state.next = state.outcomes.len();
            state.left = 0;
            state.outcomes.drain(..).flatten().collect()
        };
        if outcomes.is_empty() {
            return Ok(None);
        }
        pipeline.process_batch(&mut outcomes, counters);
        Ok(Some(finish_batch(outcomes, renderer)))
    }

    /// Takes documents one at a time until none is left; returns the finished batch when this
    /// worker brought back its last outcome.
    pub fn process_each(
        self: &Arc<Self>,
        pipeline: &Pipeline,
        counters: &mut [StageCounters],
        slot: &WorkerSlot,
        renderer: Option<Renderer>,
    ) -> Result<Option<FinishedBatch>, Abandoned> {
        loop {
            let (index, outcome) = {
                let mut state = lock(&self.state);
                let index = state.next;
                let Some(outcome) = state.outcomes.get_mut(index).and_then(Option::take) else {
                    return Ok(None);
                };
                state.next += 1;
                (index, outcome)
            };
            let id = outcome.document().map(|doc| doc.id.clone());
            slot.begin(InFlight {
                batch: Arc::clone(self),
                index,
                id,
                started: Instant::now(),
                stage: None,
            });
            let mut one = [outcome];
            pipeline
                .process_batch_observed(&mut one, counters, &mut |stage| slot.enter_stage(stage));
            let [outcome] = one;
            if !slot.end() {
                return Err(Abandoned);
            }
            if let Some(finished) = self.put_back(index, outcome, renderer) {
                return Ok(Some(finished));
            }
        }
    }

    /// Puts an outcome in its place; the whole batch, finished, when it was the last one out.
    fn put_back(
        &self,
        index: usize,
        outcome: Outcome,
        renderer: Option<Renderer>,
    ) -> Option<FinishedBatch> {
        let outcomes: Vec<Outcome> = {
            let mut state = lock(&self.state);
            state.outcomes[index] = Some(outcome);
            state.left -= 1;
            if state.left > 0 {
                return None;
            }
            state.outcomes.drain(..).flatten().collect()
        };
        Some(finish_batch(outcomes, renderer))
    }

    /// Whether some documents were not taken by any worker yet.
    fn has_untaken(&self) -> bool {
        let state = lock(&self.state);
        state.next < state.outcomes.len()
    }
}

/// The document a worker is on.
struct InFlight {
    batch: Arc<SharedBatch>,
    index: usize,
    id: Option<String>,
    started: Instant,
    /// The index of the stage it is in, once one started.
    stage: Option<usize>,
}

/// What the watchdog knows of one worker.
#[derive(Default)]
pub(crate) struct WorkerSlot {
    state: Mutex<SlotState>,
}

#[derive(Default)]
struct SlotState {
    current: Option<InFlight>,
    abandoned: bool,
}

impl WorkerSlot {
    fn begin(&self, in_flight: InFlight) {
        lock(&self.state).current = Some(in_flight);
    }

    /// Notes the stage the worker's document has entered.
    fn enter_stage(&self, stage: usize) {
        if let Some(current) = lock(&self.state).current.as_mut() {
            current.stage = Some(stage);
        }
    }

    /// Clears the document; false when the watchdog gave up on it meanwhile.
    fn end(&self) -> bool {
        let mut state = lock(&self.state);
        state.current = None;
        !state.abandoned
    }

    /// Gives up on the document when it is over `timeout`.
    fn expire(&self, timeout: Duration) -> Option<InFlight> {
        let mut state = lock(&self.state);
        if state.abandoned || state.current.as_ref()?.started.elapsed() <= timeout {
            return None;
        }
        state.abandoned = true;
        state.current.take()
    }
}

/// The writer's view of the workers under a time budget.
pub(crate) struct Watchdog {
    pub timeout: Duration,
    /// The pipeline's stage names, to name the stage a document was stuck in.
    pub stage_names: Vec<String>,
    pub slots: Vec<Arc<WorkerSlot>>,
    pub work: Sender<Arc<SharedBatch>>,
    pub renderer: Option<Renderer>,
}

impl Watchdog {
    /// Turns every document over the budget into an error record and replaces its worker;
    /// returns the batches that this completed.
    pub fn check(
        &mut self,
        spawn_worker: &dyn Fn(Arc<WorkerSlot>) -> std::io::Result<()>,
    ) -> Result<Vec<(usize, FinishedBatch)>, RunError> {
        let mut finished = Vec::new();
        let workers = self.slots.len();
        for slot in &mut self.slots {
            let Some(stuck) = slot.expire(self.timeout) else {
                continue;
            };
            let message = format!(
                "took longer than the {} s a document may take (the document timeout); \
                 it was given up on and the run went on",
                self.timeout.as_secs_f64()
            );
            let stage = stuck
                .stage
                .and_then(|i| self.stage_names.get(i))
                .map_or(TIMEOUT_STAGE, String::as_str);
            let record = ErrorRecord::stage_failed(stuck.id.unwrap_or_default(), stage, message);
            let batch = stuck.batch;
            match batch.put_back(stuck.index, Outcome::Failed(record), self.renderer) {
                Some(done) => finished.push((batch.seq, done)),
                None if batch.has_untaken() => {
                    let _ = self.work.send(Arc::clone(&batch));
                }
                None => {}
            }
            let replacement = Arc::new(WorkerSlot::default());
            spawn_worker(Arc::clone(&replacement)).map_err(|error| RunError::Threads {
                wanted: workers,
                running: workers - 1,
                error,
            })?;
            *slot = replacement;
        }
        Ok(finished)
    }
}
