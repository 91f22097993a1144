//! A progress display on stderr, drawn only when stderr is a terminal.
//!
//! When the size of the input is known (every input is a file), it is a bar with the bytes
//! read of the total, the percentage and the time left; otherwise a spinner. Both show the
//! documents written and a whole-number rate of documents per second.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Instant;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// A progress display; a no-op when hidden.
pub struct Progress {
    bar: Option<ProgressBar>,
    bytes_read: Option<Arc<AtomicU64>>,
    started: Instant,
}

impl Progress {
    /// A spinner counting documents; `visible` is false under `--quiet` or when stderr is
    /// redirected, so logs and pipes never receive control characters.
    pub fn new(visible: bool) -> Self {
        Self::with_total(visible, None)
    }

    /// A bar over `total` input bytes, moved by `bytes_read`, when both are known; else a
    /// spinner.
    pub fn with_total(visible: bool, total: Option<(u64, Arc<AtomicU64>)>) -> Self {
        let started = Instant::now();
        if !visible {
            return Progress {
                bar: None,
                bytes_read: None,
                started,
            };
        }
        let (bar, template, bytes_read) = match total {
            Some((total, bytes_read)) => (
                ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr()),
                // The bar takes what the text leaves of the terminal's width, so the line
                // never wraps on a narrow terminal (a wrapped line is redrawn as two).
                "{wide_bar} {percent:>3}%  {bytes}/{total_bytes}  {eta} left  {msg}",
                Some(bytes_read),
            ),
            None => (
                ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr()),
                "{spinner} {msg}  {elapsed_precise}",
                None,
            ),
        };
        let style = ProgressStyle::with_template(template)
            .unwrap_or_else(|_| ProgressStyle::default_spinner());
        bar.set_style(style);
        Progress {
            bar: Some(bar),
            bytes_read,
            started,
        }
    }

    /// Documents done so far.
    pub fn set(&self, done: usize) {
        let Some(bar) = &self.bar else { return };
        let seconds = self.started.elapsed().as_secs_f64();
        let rate = if seconds > 0.0 {
            (done as f64 / seconds).round() as u64
        } else {
            0
        };
        bar.set_message(format!("{done} documents, {rate} docs/s"));
        match &self.bytes_read {
            Some(bytes) => bar.set_position(bytes.load(Ordering::Relaxed)),
            None => bar.set_position(done as u64),
        }
    }

    /// Removes the bar before the summary is printed.
    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
