//! The report's index: what the run did, time per stage, and one row per document.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::time::Duration;

use super::document::{count_of, write_chip, DocumentCounts};
use super::stored::{close_stored, open_stored};
use super::HtmlOptions;
use crate::escape::escape_html;
use textpipe_core::RunReport;

/// What the index keeps of one document: small, so ten thousand of them cost little.
pub(crate) struct IndexRow {
    pub name: String,
    pub outcome: RowOutcome,
}

pub(crate) enum RowOutcome {
    Processed(DocumentCounts),
    Failed { stage: String },
}

pub(crate) fn write_index(
    out: &mut String,
    run: &RunReport,
    rows: &[IndexRow],
    options: &HtmlOptions,
) {
    out.push_str("<section class=\"index\">\n<h2>Run</h2>\n");
    let _ = write!(
        out,
        "<p>{} read \u{b7} {} written \u{b7} {} failed",
        run.read, run.written, run.failed
    );
    if !run.elapsed.is_zero() {
        let _ = write!(out, " \u{b7} {:.2} s", run.elapsed.as_secs_f64());
    }
    out.push_str("</p>\n");
    let stage_times: Vec<(&str, Duration)> = run.stage_times().collect();
    write_stage_times(out, &stage_times);
    let labels = label_totals(rows);
    if !labels.is_empty() {
        out.push_str("<h3>Entities by label</h3><p class=\"legend\">");
        for (label, count) in &labels {
            write_chip(out, label, *count);
        }
        out.push_str("</p>\n");
    }
    if rows.len() > 1 {
        write_document_table(out, rows, &labels, options);
    }
    out.push_str("</section>\n");
}

fn write_stage_times(out: &mut String, stage_times: &[(&str, Duration)]) {
    if stage_times.is_empty() {
        out.push_str("<p class=\"note\">Stage times were not recorded for this report.</p>\n");
        return;
    }
    let total: f64 = stage_times.iter().map(|(_, t)| t.as_secs_f64()).sum();
    out.push_str("<table class=\"timings\"><thead><tr><th>stage</th><th>time</th>");
    out.push_str("<th>share</th></tr></thead><tbody>");
    for (stage, time) in stage_times {
        let share = if total > 0.0 {
            100.0 * time.as_secs_f64() / total
        } else {
            0.0
        };
        out.push_str("<tr><td class=\"stage-cell\">");
        escape_html(stage, out);
        let _ = write!(
            out,
            "</td><td>{:.1} ms</td><td><span class=\"bar\" style=\"width:{:.1}px\"></span>\
             {share:.1}%</td></tr>",
            time.as_secs_f64() * 1000.0,
            share * 1.5
        );
    }
    out.push_str("</tbody></table>\n");
}

fn label_totals(rows: &[IndexRow]) -> BTreeMap<String, usize> {
    let mut totals = BTreeMap::new();
    for row in rows {
        if let RowOutcome::Processed(DocumentCounts {
            entities: Some(by_label),
            ..
        }) = &row.outcome
        {
            for (label, count) in by_label {
                *totals.entry(label.clone()).or_insert(0) += count;
            }
        }
    }
    totals
}

fn write_document_table(
    out: &mut String,
    rows: &[IndexRow],
    labels: &BTreeMap<String, usize>,
    options: &HtmlOptions,
) {
    let failed = rows
        .iter()
        .filter(|r| matches!(r.outcome, RowOutcome::Failed { .. }))
        .count();
    let mut label = format!("Index of {}", count_of(rows.len(), "document", "documents"));
    if failed > 0 {
        let _ = write!(label, ", {failed} failed");
    }
    // A long table is stored and built on opening: thousands of rows cost a browser about a
    // second to lay out even when nobody looks at them.
    let stored = rows.len() > options.open_index_rows;
    if stored {
        open_stored(out, "class=\"doc-index\"");
    } else {
        let _ = writeln!(
            out,
            "<details class=\"doc-index\" open><summary>{label}</summary>"
        );
    }
    out.push_str("<table><thead><tr><th>#</th><th class=\"name-cell\">document</th>");
    out.push_str("<th>sentences</th>");
    for label in labels.keys() {
        out.push_str("<th>");
        escape_html(label, out);
        out.push_str("</th>");
    }
    out.push_str("<th>removed</th><th>summary</th></tr></thead><tbody>\n");
    for (at, row) in rows.iter().enumerate() {
        write_row(out, at + 1, row, labels);
    }
    out.push_str("</tbody></table>");
    if stored {
        close_stored(out, &label);
    } else {
        out.push_str("</details>\n");
    }
}

fn write_row(out: &mut String, number: usize, row: &IndexRow, labels: &BTreeMap<String, usize>) {
    let class = match row.outcome {
        RowOutcome::Failed { .. } => " class=\"failed\"",
        RowOutcome::Processed(_) => "",
    };
    let _ = write!(
        out,
        "<tr{class}><td>{number}</td><td class=\"name-cell\"><a href=\"#doc-{number}\">"
    );
    escape_html(&row.name, out);
    out.push_str("</a></td>");
    match &row.outcome {
        RowOutcome::Processed(counts) => {
            write_count_cell(out, counts.sentences);
            for label in labels.keys() {
                let count = counts
                    .entities
                    .as_ref()
                    .map(|m| *m.get(label).unwrap_or(&0));
                write_count_cell(out, count);
            }
            write_count_cell(out, counts.removed);
            write_count_cell(out, counts.summary);
        }
        RowOutcome::Failed { stage } => {
            let _ = write!(out, "<td colspan=\"{}\">failed in ", labels.len() + 3);
            escape_html(stage, out);
            out.push_str("</td>");
        }
    }
    out.push_str("</tr>\n");
}

/// A count, or a dash when the layer is absent.
fn write_count_cell(out: &mut String, count: Option<usize>) {
    match count {
        Some(n) => {
            let _ = write!(out, "<td>{n}</td>");
        }
        None => out.push_str("<td>\u{2013}</td>"),
    }
}
