//! The end-of-run summary: documents read, written and failed, and time per stage.

use std::fmt;
use std::time::Duration;

use textpipe_core::Pipeline;

/// What a run did.
#[derive(Debug, Clone, PartialEq)]
pub struct RunReport {
    /// Input items read (documents and unreadable items).
    pub read: usize,
    /// Documents every stage ran on, written to the output.
    pub written: usize,
    /// Error records written (unreadable items and stage failures).
    pub failed: usize,
    /// Each stage's name and its time summed over all threads.
    pub stage_times: Vec<(String, Duration)>,
    /// Wall-clock time of the run.
    pub elapsed: Duration,
}

impl RunReport {
    /// An empty report for `pipeline`'s stages.
    pub fn new(pipeline: &Pipeline) -> Self {
        RunReport {
            read: 0,
            written: 0,
            failed: 0,
            stage_times: pipeline
                .stages()
                .iter()
                .map(|stage| (stage.name().to_string(), Duration::ZERO))
                .collect(),
            elapsed: Duration::ZERO,
        }
    }

    /// Adds one thread's stage times.
    pub fn add_timings(&mut self, timings: &[Duration]) {
        for ((_, total), time) in self.stage_times.iter_mut().zip(timings) {
            *total += *time;
        }
    }
}

impl fmt::Display for RunReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let seconds = self.elapsed.as_secs_f64();
        let rate = if seconds > 0.0 {
            (self.written + self.failed) as f64 / seconds
        } else {
            0.0
        };
        writeln!(
            f,
            "textpipe: {} read, {} written, {} failed in {seconds:.2} s ({rate:.0} docs/s)",
            self.read, self.written, self.failed
        )?;
        let total: Duration = self.stage_times.iter().map(|(_, t)| *t).sum();
        for (name, time) in &self.stage_times {
            let share = if total.is_zero() {
                0.0
            } else {
                100.0 * time.as_secs_f64() / total.as_secs_f64()
            };
            writeln!(
                f,
                "  {name:<16} {:>10.1} ms  {share:>5.1}%",
                time.as_secs_f64() * 1000.0
            )?;
        }
        Ok(())
    }
}
