//! Reports from saved `textpipe run` output (JSON Lines of documents and error records).

use std::io::{BufRead, Write};

use crate::html::{HtmlOptions, HtmlReport};
use textpipe_core::{ErrorRecord, Outcome, RunReport};

/// Why a report could not be written.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ReportError {
    /// Reading the input or writing the report failed.
    #[error("{context}: {source}")]
    Io {
        /// What was being read or written.
        context: String,
        /// The underlying error.
        source: std::io::Error,
    },
}

/// Renders JSON Lines output of `textpipe run` from `input` as an HTML report on `output`,
/// streaming: one line in memory at a time. A line that is neither a document nor an error
/// record becomes an error record of stage `input` naming `input_name` and the line, like
/// `textpipe run` does with unreadable input, so one bad line never loses a report.
///
/// Stage times are not in the saved output, so the summary has none.
pub fn render_saved_output(
    input: impl BufRead,
    input_name: &str,
    output: impl Write,
    title: &str,
    options: HtmlOptions,
) -> Result<RunReport, ReportError> {
    let write_failed = |source| ReportError::Io {
        context: "writing the report".into(),
        source,
    };
    let mut report = HtmlReport::with_options(output, title, options).map_err(write_failed)?;
    let mut run = RunReport::default();
    for (at, line) in input.lines().enumerate() {
        let line = line.map_err(|source| ReportError::Io {
            context: format!("reading {input_name}"),
            source,
        })?;
        if line.trim().is_empty() {
            continue;
        }
        run.read += 1;
        match Outcome::parse_line(&line) {
            Ok(Outcome::Done(doc)) => {
                run.written += 1;
                report.add(&doc).map_err(write_failed)?;
            }
            Ok(Outcome::Failed(record)) => {
                run.failed += 1;
                report.add_error(&record).map_err(write_failed)?;
            }
            Err(error) => {
                run.failed += 1;
                let record = ErrorRecord {
                    id: None,
                    line: Some(at + 1),
                    input: Some(input_name.to_string()),
                    stage: "input".into(),
                    message: format!("not a document or error record: {error}"),
                    stops_run: false,
                };
                report.add_error(&record).map_err(write_failed)?;
            }
        }
    }
    report.finish(&run).map_err(write_failed)?;
    Ok(run)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documents_errors_and_garbage_all_reach_the_report() {
        let input = concat!(
            r#"{"id":"a","text":"Hello there."}"#,
            "\n\n",
            r#"{"id":"b","error":{"stage":"entities","message":"boom"}}"#,
            "\n{not json\n"
        );
        let mut html = Vec::new();
        let run = render_saved_output(
            input.as_bytes(),
            "out.jsonl",
            &mut html,
            "t",
            HtmlOptions::default(),
        )
        .unwrap();
        assert_eq!((run.read, run.written, run.failed), (3, 1, 2));
        let html = String::from_utf8(html).unwrap();
        assert!(html.contains("Hello there."));
        assert!(html.contains("<strong>Failed</strong> b in stage <code>entities</code>: boom"));
        assert!(html.contains("out.jsonl, line 4 in stage <code>input</code>"));
    }
}
