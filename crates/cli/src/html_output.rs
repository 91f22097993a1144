//! `--format html`: the run's JSON Lines, turned into one self-contained HTML report as they
//! are written.
//!
//! Workers render every outcome as a JSON line (the output contract), exactly as for
//! `--format jsonl`; this writer sits where the output file would be, parses each complete line
//! back and hands it to [`HtmlReport`]. Going through the contract keeps one rendering path
//! for workers and lets the report stream: only the current line is held in memory.

use std::io::{self, Write};
use std::time::Duration;

use textpipe_report::{HtmlReport, OutputLine, RunSummary};

/// A `Write` that turns JSON Lines into an HTML report on the inner writer.
pub struct HtmlSink<W: Write> {
    report: HtmlReport<W>,
    pending: Vec<u8>,
}

impl<W: Write> HtmlSink<W> {
    /// Starts a report titled `title` on `out`.
    pub fn new(out: W, title: &str) -> io::Result<Self> {
        Ok(HtmlSink {
            report: HtmlReport::new(out, title)?,
            pending: Vec::new(),
        })
    }

    fn add_line(&mut self, line: &[u8]) -> io::Result<()> {
        let line = std::str::from_utf8(line).map_err(|e| io::Error::other(e.to_string()))?;
        if line.trim().is_empty() {
            return Ok(());
        }
        match OutputLine::parse(line).map_err(|e| io::Error::other(e.to_string()))? {
            OutputLine::Document(doc) => self.report.add(&doc),
            OutputLine::Error(record) => self.report.add_error(&record),
        }
    }

    /// Writes the index with the run's counts and stage times and returns the inner writer.
    pub fn finish(
        mut self,
        counts: (usize, usize, usize),
        stage_times: Vec<(String, Duration)>,
        elapsed: Duration,
    ) -> io::Result<W> {
        let rest = std::mem::take(&mut self.pending);
        self.add_line(&rest)?;
        let (read, written, failed) = counts;
        self.report.finish(&RunSummary {
            read,
            written,
            failed,
            stage_times,
            elapsed: Some(elapsed),
        })
    }
}

impl<W: Write> Write for HtmlSink<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.pending.extend_from_slice(buf);
        while let Some(end) = memchr_newline(&self.pending) {
            let line: Vec<u8> = self.pending.drain(..=end).collect();
            self.add_line(&line[..end])?;
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

fn memchr_newline(bytes: &[u8]) -> Option<usize> {
    bytes.iter().position(|&b| b == b'\n')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_split_across_writes_become_one_document_each() {
        let mut sink = HtmlSink::new(Vec::new(), "t").unwrap();
        sink.write_all(br#"{"id":"a","text":"<script>x</script>"}"#)
            .unwrap();
        sink.write_all(b"\n{\"id\":\"b\",\"te").unwrap();
        sink.write_all(
            b"xt\":\"Hello\"}\n{\"line\":3,\"error\":{\"stage\":\"input\",\"message\":\"bad\"}}\n",
        )
        .unwrap();
        let html = sink.finish((3, 2, 1), vec![], Duration::ZERO).unwrap();
        let html = String::from_utf8(html).unwrap();
        assert!(html.contains("&lt;script&gt;x&lt;/script&gt;"));
        assert!(!html.contains("<script>x</script>"));
        assert!(html.contains("Hello"));
        assert!(html.contains("bad"));
    }
}
