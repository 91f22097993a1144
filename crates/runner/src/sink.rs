//! Where a run's outcomes go: the [`Sink`] trait and the writers that implement it.
//!
//! A sink is fed finished batches in input order. Serializing is most of a writer's work, so a
//! sink may name a [`Renderer`]: the worker threads then turn each outcome into bytes in
//! parallel and the sink only copies bytes ([`Batch::Rendered`]). A sink that needs the
//! documents themselves (the HTML report, a program collecting them) names none and receives
//! [`Batch::Outcomes`]. Every sink accepts both, so a caller may feed one either way.

use std::io::{self, Write};

use textpipe_core::{Outcome, RunReport};
use textpipe_report::HtmlReport;

/// Turns one outcome into output bytes; runs on worker threads.
pub type Renderer = fn(&Outcome, &mut Vec<u8>);

/// One finished batch, in input order.
#[derive(Debug)]
pub enum Batch {
    /// The outcomes, rendered by the sink's [`Renderer`].
    Rendered(Vec<u8>),
    /// The outcomes themselves.
    Outcomes(Vec<Outcome>),
}

/// A destination for a run's outcomes.
pub trait Sink {
    /// How workers prepare outcomes for this sink; `None` hands over the outcomes.
    fn renderer(&self) -> Option<Renderer> {
        None
    }

    /// Writes one batch.
    fn write(&mut self, batch: Batch) -> io::Result<()>;

    /// Hands what was written so far to the operating system. The runner calls it whenever
    /// it has written every batch that is ready and is about to wait, so a run killed at any
    /// moment has lost only the documents still in flight.
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }

    /// Called once after the last batch with what the run did.
    fn finish(&mut self, report: &RunReport) -> io::Result<()> {
        let _ = report;
        Ok(())
    }
}

/// The output contract: one JSON document or error record per line.
pub struct JsonLinesSink<W: Write> {
    out: W,
}

impl<W: Write> JsonLinesSink<W> {
    /// JSON Lines on `out`.
    pub fn new(out: W) -> Self {
        JsonLinesSink { out }
    }

    /// The inner writer.
    pub fn into_inner(self) -> W {
        self.out
    }
}

impl<W: Write> Sink for JsonLinesSink<W> {
    fn renderer(&self) -> Option<Renderer> {
        Some(Outcome::write_json_line)
    }

    fn write(&mut self, batch: Batch) -> io::Result<()> {
        write_rendered(&mut self.out, batch, Outcome::write_json_line)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }

    fn finish(&mut self, _: &RunReport) -> io::Result<()> {
        self.out.flush()
    }
}

/// The plain view for people: cleaned text one sentence per line, entities marked like
/// `[Oslo](LOC)`, the summary, what was removed; error records as `FAILED in stage: ...`.
/// Everything that comes from the input is escaped, so a document cannot drive the terminal.
pub struct TextSink<W: Write> {
    out: W,
}

impl<W: Write> TextSink<W> {
    /// The plain view on `out`.
    pub fn new(out: W) -> Self {
        TextSink { out }
    }

    /// The inner writer.
    pub fn into_inner(self) -> W {
        self.out
    }
}

/// Renders an outcome as [`TextSink`] writes it.
pub fn render_text(outcome: &Outcome, out: &mut Vec<u8>) {
    match outcome {
        Outcome::Done(doc) => out.extend(textpipe_report::render_plain(doc).into_bytes()),
        Outcome::Failed(record) => {
            // Ids and messages quote the input, which is untrusted: escape like the text.
            let mut text = String::new();
            textpipe_report::escape_terminal(
                &format!(
                    "=== {} ===\nFAILED in {}: {}\n\n",
                    record.name(),
                    record.stage,
                    record.message
                ),
                &mut text,
            );
            out.extend(text.into_bytes());
        }
    }
}

impl<W: Write> Sink for TextSink<W> {
    fn renderer(&self) -> Option<Renderer> {
        Some(render_text)
    }

    fn write(&mut self, batch: Batch) -> io::Result<()> {
        write_rendered(&mut self.out, batch, render_text)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }

    fn finish(&mut self, _: &RunReport) -> io::Result<()> {
        self.out.flush()
    }
}

fn write_rendered(out: &mut impl Write, batch: Batch, renderer: Renderer) -> io::Result<()> {
    match batch {
        Batch::Rendered(bytes) => out.write_all(&bytes),
        Batch::Outcomes(outcomes) => {
            let mut bytes = Vec::new();
            for outcome in &outcomes {
                renderer(outcome, &mut bytes);
            }
            out.write_all(&bytes)
        }
    }
}

/// One self-contained HTML report of the whole run (see [`HtmlReport`]), built from the
/// documents as they arrive; the index with the run's counts is written by `finish`.
pub struct HtmlSink<W: Write> {
    report: Option<HtmlReport<W>>,
    finished: Option<W>,
}

impl<W: Write> HtmlSink<W> {
    /// Starts a report titled `title` on `out`.
    pub fn new(out: W, title: &str) -> io::Result<Self> {
        Ok(HtmlSink {
            report: Some(HtmlReport::new(out, title)?),
            finished: None,
        })
    }

    /// The inner writer, once the sink is finished.
    pub fn into_inner(self) -> Option<W> {
        self.finished
    }
}

impl<W: Write> Sink for HtmlSink<W> {
    fn write(&mut self, batch: Batch) -> io::Result<()> {
        let report = self
            .report
            .as_mut()
            .ok_or_else(|| io::Error::other("the HTML report is already finished"))?;
        let Batch::Outcomes(outcomes) = batch else {
            return Err(io::Error::other(
                "the HTML report takes outcomes, not bytes",
            ));
        };
        for outcome in &outcomes {
            match outcome {
                Outcome::Done(doc) => report.add(doc)?,
                Outcome::Failed(record) => report.add_error(record)?,
            }
        }
        Ok(())
    }

    fn finish(&mut self, run: &RunReport) -> io::Result<()> {
        if let Some(report) = self.report.take() {
            let mut out = report.finish(run)?;
            out.flush()?;
            self.finished = Some(out);
        }
        Ok(())
    }
}

/// Keeps every outcome in memory, in input order: for programs that want the results
/// themselves (the language bindings, tests). Bound the input: this holds all of it.
#[derive(Debug, Default)]
pub struct CollectSink {
    /// The outcomes so far.
    pub outcomes: Vec<Outcome>,
}

impl Sink for CollectSink {
    fn write(&mut self, batch: Batch) -> io::Result<()> {
        match batch {
            Batch::Outcomes(outcomes) => self.outcomes.extend(outcomes),
            Batch::Rendered(_) => {
                return Err(io::Error::other(
                    "a collecting sink takes outcomes, not bytes",
                ))
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use textpipe_core::{Document, ErrorRecord};

    #[test]
    fn failures_in_the_text_format_cannot_send_escape_sequences() {
        let mut out = Vec::new();
        let record = ErrorRecord::stage_failed("\u{1b}[2J", "x", "bad \u{7}");
        render_text(&Outcome::Failed(record), &mut out);
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "=== ␛[2J ===\nFAILED in x: bad ␇\n\n"
        );
    }

    #[test]
    fn the_html_sink_escapes_documents_and_lists_errors() {
        let mut sink = HtmlSink::new(Vec::new(), "t").unwrap();
        let outcomes = vec![
            Outcome::from(Document::new("a", "<script>x</script>")),
            Outcome::Failed(ErrorRecord::unreadable(None, None, Some(3), "bad")),
        ];
        sink.write(Batch::Outcomes(outcomes)).unwrap();
        sink.finish(&RunReport::default()).unwrap();
        let html = String::from_utf8(sink.into_inner().unwrap()).unwrap();
        assert!(html.contains("&lt;script&gt;x&lt;/script&gt;"));
        assert!(!html.contains("<script>x</script>"));
        assert!(html.contains("bad"));
    }

    #[test]
    fn json_lines_sink_writes_the_same_bytes_either_way() {
        let outcomes = vec![Outcome::from(Document::new("a", "Hi."))];
        let mut rendered = Vec::new();
        Outcome::write_json_line(&outcomes[0], &mut rendered);
        let mut one = JsonLinesSink::new(Vec::new());
        one.write(Batch::Rendered(rendered)).unwrap();
        let mut two = JsonLinesSink::new(Vec::new());
        two.write(Batch::Outcomes(outcomes)).unwrap();
        assert_eq!(one.into_inner(), two.into_inner());
    }
}
