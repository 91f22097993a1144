//! `textpipe bench`: what each stage of a pipeline costs on the user's own documents.
//!
//! One thread, every document through every stage in turn, each stage call timed on its own,
//! so the figures are per-stage costs rather than a parallel run's wall time (that is what
//! `textpipe run` reports). Documents are read into memory first so reading does not count,
//! which bounds the input to what fits in memory: this is for samples, not corpora.

use std::fmt;
use std::time::Duration;

use serde::Serialize;
use textpipe_core::{Document, Outcome, Pipeline};

/// The measured cost of one stage.
#[derive(Debug, Clone, Serialize)]
pub struct StageCost {
    /// The stage's name.
    pub stage: String,
    /// Documents per second through this stage alone.
    pub docs_per_sec: f64,
    /// Megabytes (10^6 bytes) of document text per second, text as it entered the stage.
    pub mb_per_sec: f64,
    /// Median time per document, in microseconds.
    pub p50_us: f64,
    /// 99th-percentile time per document, in microseconds.
    pub p99_us: f64,
    /// This stage's share of the pipeline's total time, in percent.
    pub share_percent: f64,
    /// Documents the stage failed on.
    pub failed: usize,
}

/// The result of `textpipe bench`.
#[derive(Debug, Clone, Serialize)]
pub struct BenchReport {
    /// Documents measured.
    pub documents: usize,
    /// Bytes of their text before the first stage.
    pub bytes: usize,
    /// One row per stage, in pipeline order.
    pub stages: Vec<StageCost>,
    /// The whole pipeline, as a last row named `total`.
    pub total: StageCost,
    /// Peak resident memory of the process in KiB, where the system tells it (Linux).
    pub peak_rss_kib: Option<u64>,
}

/// Runs every document through `pipeline` on this thread, timing each stage call.
pub fn bench(pipeline: &Pipeline, documents: Vec<Document>) -> BenchReport {
    let stage_count = pipeline.stages().len();
    let mut times: Vec<Vec<Duration>> = vec![Vec::with_capacity(documents.len()); stage_count];
    let mut bytes_in = vec![0usize; stage_count];
    let mut failed = vec![0usize; stage_count];
    let mut totals = Vec::with_capacity(documents.len());
    let bytes: usize = documents
        .iter()
        .map(|d| d.text.len().max(html_len(d)))
        .sum();
    let count = documents.len();
    // Stages load their models on the first document they meet (once per process): one
    // untimed pass of the first document, with counters of its own, keeps that load out of
    // the figures, which are about processing (a shipped entity model's 80 ms load made a
    // 275 KB bench three times slower).
    if let Some(first) = documents.first() {
        let mut warm_up = pipeline.new_counters();
        pipeline.process_batch(&mut [Outcome::from(first.clone())], &mut warm_up);
    }
    // One document at a time through the pipeline's own stage loop: the change in each
    // stage's counters is what that stage did with this document.
    let mut counters = pipeline.new_counters();
    for doc in documents {
        let before = counters.clone();
        pipeline.process_batch(&mut [Outcome::from(doc)], &mut counters);
        let mut total = Duration::ZERO;
        for (i, (now, then)) in counters.iter().zip(&before).enumerate() {
            if now.documents_in == then.documents_in {
                continue; // not reached: an earlier stage failed on the document
            }
            let took = now.time - then.time;
            total += took;
            times[i].push(took);
            bytes_in[i] += (now.bytes_in - then.bytes_in) as usize;
            failed[i] += now.failed - then.failed;
        }
        totals.push(total);
    }
    let grand_total: Duration = totals.iter().sum();
    let stages = pipeline
        .stages()
        .iter()
        .enumerate()
        .map(|(i, stage)| {
            cost(
                stage.name(),
                &mut times[i],
                bytes_in[i],
                grand_total,
                failed[i],
            )
        })
        .collect();
    let total = cost(
        "total",
        &mut totals,
        bytes,
        grand_total,
        failed.iter().sum(),
    );
    BenchReport {
        documents: count,
        bytes,
        stages,
        total,
        peak_rss_kib: peak_rss_kib(),
    }
}

/// HTML is what boilerplate removal reads when a document came from a page.
fn html_len(doc: &Document) -> usize {
    doc.html.as_ref().map_or(0, String::len)
}

fn cost(
    stage: &str,
    times: &mut [Duration],
    bytes: usize,
    grand_total: Duration,
    failed: usize,
) -> StageCost {
    times.sort_unstable();
    let total: Duration = times.iter().sum();
    let seconds = total.as_secs_f64().max(1e-9);
    let percentile = |p: f64| -> f64 {
        if times.is_empty() {
            return 0.0;
        }
        let at = ((times.len() as f64 - 1.0) * p).round() as usize;
        times[at].as_secs_f64() * 1e6
    };
    StageCost {
        stage: stage.to_string(),
        docs_per_sec: times.len() as f64 / seconds,
        mb_per_sec: bytes as f64 / 1e6 / seconds,
        p50_us: percentile(0.50),
        p99_us: percentile(0.99),
        share_percent: 100.0 * total.as_secs_f64() / grand_total.as_secs_f64().max(1e-9),
        failed,
    }
}

/// `VmHWM` from `/proc/self/status`: the peak resident set size so far.
fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

impl fmt::Display for BenchReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{} documents, {:.2} MB, one thread",
            self.documents,
            self.bytes as f64 / 1e6
        )?;
        writeln!(
            f,
            "{:<16} {:>11} {:>9} {:>10} {:>10} {:>7} {:>7}",
            "stage", "docs/s", "MB/s", "p50 µs", "p99 µs", "share", "failed"
        )?;
        for row in self.stages.iter().chain(std::iter::once(&self.total)) {
            writeln!(
                f,
                "{:<16} {:>11.0} {:>9.2} {:>10.1} {:>10.1} {:>6.1}% {:>7}",
                row.stage,
                row.docs_per_sec,
                row.mb_per_sec,
                row.p50_us,
                row.p99_us,
                row.share_percent,
                row.failed
            )?;
        }
        match self.peak_rss_kib {
            Some(kib) => writeln!(f, "peak RSS: {:.1} MiB", kib as f64 / 1024.0),
            None => writeln!(f, "peak RSS: not known on this system"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use textpipe_core::{Layer, Span, Stage, StageError};

    /// One sentence spanning the whole text; fails on an empty one. Counts its calls, as a
    /// stage that loads its model on the first document would notice.
    #[derive(Default)]
    struct WholeText {
        calls: std::sync::Arc<std::sync::atomic::AtomicUsize>,
    }
    impl Stage for WholeText {
        fn name(&self) -> &str {
            "whole-text"
        }
        fn process(&self, doc: &mut Document) -> Result<(), StageError> {
            self.calls
                .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            if doc.text.is_empty() {
                return Err(StageError::invalid("empty"));
            }
            doc.sentences = Some(vec![Span::new(0, doc.text.len())]);
            Ok(())
        }
        fn provides(&self) -> &[Layer] {
            &[Layer::Sentences]
        }
    }

    #[test]
    fn every_stage_gets_a_row_and_failures_are_counted() {
        let pipeline = Pipeline::new("p", vec![Box::new(WholeText::default())], &[]).unwrap();
        let docs = vec![Document::new("a", "Hello."), Document::new("b", "")];
        let report = bench(&pipeline, docs);
        assert_eq!(report.documents, 2);
        assert_eq!(report.bytes, 6);
        assert_eq!(report.stages.len(), 1);
        assert_eq!(report.stages[0].failed, 1);
        assert!((report.stages[0].share_percent - 100.0).abs() < 1e-6);
        assert!(report.to_string().contains("whole-text"));
    }

    #[test]
    fn the_first_document_warms_the_stages_up_untimed_and_uncounted() {
        let stage = WholeText::default();
        let calls = stage.calls.clone();
        let pipeline = Pipeline::new("p", vec![Box::new(stage)], &[]).unwrap();
        // The first document fails: its warm-up pass must not count as a second failure.
        let docs = vec![Document::new("a", ""), Document::new("b", "Hello.")];
        let report = bench(&pipeline, docs);
        assert_eq!(calls.load(std::sync::atomic::Ordering::Relaxed), 3);
        assert_eq!(report.documents, 2);
        assert_eq!(report.stages[0].failed, 1);
    }
}
