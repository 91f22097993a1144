//! What a run did: counters per stage, like a metrics system's per-component counters.

use std::collections::BTreeMap;
use std::fmt;
use std::time::Duration;

use serde::Serialize;

/// Counters of one stage over a run (or over one worker's share of it).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct StageCounters {
    /// The stage's name.
    pub stage: String,
    /// Documents handed to the stage.
    pub documents_in: usize,
    /// Documents the stage passed on.
    pub documents_out: usize,
    /// Bytes of the documents handed to the stage: each one's text, or its HTML when that is
    /// longer (what boilerplate removal reads), so that a stage's throughput can be told.
    pub bytes_in: u64,
    /// Documents the stage failed (each became an error record).
    pub failed: usize,
    /// Documents the stage passed on without its layer (a language it has no model for).
    pub skipped: usize,
    /// Of `skipped`, how many per language.
    pub skipped_by_language: BTreeMap<String, usize>,
    /// Time spent in the stage, summed over threads.
    #[serde(serialize_with = "seconds")]
    pub time: Duration,
}

impl StageCounters {
    /// Zeroed counters for the stage called `stage`.
    pub fn new(stage: impl Into<String>) -> Self {
        StageCounters {
            stage: stage.into(),
            ..StageCounters::default()
        }
    }

    /// Adds another share of the same stage's counters.
    pub fn add(&mut self, other: &StageCounters) {
        self.documents_in += other.documents_in;
        self.documents_out += other.documents_out;
        self.bytes_in += other.bytes_in;
        self.failed += other.failed;
        self.skipped += other.skipped;
        for (lang, count) in &other.skipped_by_language {
            *self.skipped_by_language.entry(lang.clone()).or_default() += count;
        }
        self.time += other.time;
    }
}

/// What a run did: items read, documents written, error records, and each stage's counters.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct RunReport {
    /// Input items read (documents and unreadable items).
    pub read: usize,
    /// Documents every stage ran on, written to the output.
    pub written: usize,
    /// Error records written (unreadable items and stage failures).
    pub failed: usize,
    /// Counters of each stage, in pipeline order; empty when not known (a report made from
    /// saved output).
    pub stages: Vec<StageCounters>,
    /// Wall-clock time of the run; zero when not known.
    #[serde(serialize_with = "seconds")]
    pub elapsed: Duration,
    /// The stage that stopped the run by giving up ([`StageError::Fatal`](crate::StageError::Fatal)),
    /// when one did: documents after its batch were not written.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stopped_by: Option<String>,
}

fn seconds<S: serde::Serializer>(time: &Duration, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_f64(time.as_secs_f64())
}

impl RunReport {
    /// An empty report for stages with these names.
    pub fn for_stages<'a>(names: impl IntoIterator<Item = &'a str>) -> Self {
        RunReport {
            stages: names.into_iter().map(StageCounters::new).collect(),
            ..RunReport::default()
        }
    }

    /// Adds one worker's stage counters (same stages, same order).
    pub fn add_stage_counters(&mut self, counters: &[StageCounters]) {
        for (total, share) in self.stages.iter_mut().zip(counters) {
            total.add(share);
        }
    }

    /// Each stage's name and time, in pipeline order.
    pub fn stage_times(&self) -> impl Iterator<Item = (&str, Duration)> {
        self.stages.iter().map(|c| (c.stage.as_str(), c.time))
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
        let total: Duration = self.stages.iter().map(|c| c.time).sum();
        for counters in &self.stages {
            let share = if total.is_zero() {
                0.0
            } else {
                100.0 * counters.time.as_secs_f64() / total.as_secs_f64()
            };
            write!(
                f,
                "  {:<16} {:>10.1} ms  {share:>5.1}%",
                counters.stage,
                counters.time.as_secs_f64() * 1000.0
            )?;
            if counters.failed > 0 {
                write!(f, "  {} failed", counters.failed)?;
            }
            if counters.skipped > 0 {
                let languages: Vec<String> = counters
                    .skipped_by_language
                    .iter()
                    .map(|(lang, n)| format!("{lang} {n}"))
                    .collect();
                write!(
                    f,
                    "  {} skipped (no model: {})",
                    counters.skipped,
                    languages.join(", ")
                )?;
            }
            writeln!(f)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_summary_counts_skips_per_stage_and_language() {
        let mut report = RunReport::for_stages(["sentences", "entities"]);
        let mut share = vec![
            StageCounters::new("sentences"),
            StageCounters::new("entities"),
        ];
        share[1].skipped = 3;
        share[1].skipped_by_language.insert("fi".into(), 2);
        share[1].skipped_by_language.insert("ko".into(), 1);
        report.add_stage_counters(&share);
        report.add_stage_counters(&share);
        report.read = 6;
        report.written = 6;
        let text = report.to_string();
        assert!(
            text.contains("entities") && text.contains("6 skipped (no model: fi 4, ko 2)"),
            "{text}"
        );
    }
}
