//! The kept content as Markdown: headings, list items, quotes, code and tables keep the shape
//! the page gave them, for readers and for tools that want structure rather than lines.
//!
//! It is rendered from the kept blocks and what the markup said about each ([`context`] bits
//! and the table row a cell sits in), so it costs one pass over the kept text and needs no
//! second parse. The plain `text` stays the reference that sentence and entity spans point
//! into; the Markdown is a view of the same blocks. Links and emphasis are not rendered: the
//! streaming parser never copies `href` values or keeps inline tags, which is what keeps HTML
//! mode fast.

use std::ops::Range;

use crate::block::context;

/// One kept block: where its text sits in the extracted text and where it sat in the page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeptBlock {
    /// Byte range of the block in [`crate::Extraction::text`].
    pub range: Range<usize>,
    /// The block's [`context`] bits (0 in plain-text mode).
    pub context: u32,
    /// The element that holds the block (for a table cell, its row); 0 when unknown.
    pub parent: u32,
}

/// Escapes the characters Markdown would read as markup inside a line of text.
fn escape_inline(text: &str, out: &mut String) {
    for c in text.chars() {
        if matches!(c, '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|') {
            out.push('\\');
        }
        out.push(c);
    }
}

/// Escapes a paragraph: inline markup, and a start that would open a heading, a quote, a
/// list item or a numbered item ("2026. The year ..." is not a list).
fn escape_paragraph(text: &str, out: &mut String) {
    let first = text.chars().next();
    if matches!(first, Some('#' | '+' | '-' | '=')) {
        out.push('\\');
    } else if let Some(digits) = text.find(|c: char| !c.is_ascii_digit()) {
        if digits > 0 && matches!(text[digits..].chars().next(), Some('.' | ')')) {
            escape_inline(&text[..digits], out);
            out.push('\\');
            escape_inline(&text[digits..], out);
            return;
        }
    }
    escape_inline(text, out);
}

/// Renders the kept blocks of an extraction as Markdown.
///
/// ```
/// use textpipe_boilerplate::block::context;
/// use textpipe_boilerplate::markdown::{render_markdown, KeptBlock};
/// let text = "Results\n\nLibrary: open\n\nPool: closed";
/// let kept = [
///     KeptBlock { range: 0..7, context: context::HEADING | context::H1, parent: 1 },
///     KeptBlock { range: 9..22, context: context::LIST, parent: 2 },
///     KeptBlock { range: 24..36, context: context::LIST, parent: 2 },
/// ];
/// assert_eq!(render_markdown(text, &kept), "# Results\n\n- Library: open\n- Pool: closed");
/// ```
pub fn render_markdown(text: &str, kept: &[KeptBlock]) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    let mut previous_kind: Option<Kind> = None;
    let mut table = TableState::default();
    for block in kept {
        let Some(content) = text.get(block.range.clone()) else {
            continue;
        };
        let kind = kind_of(block.context);
        if kind == Kind::Cell && table.rows > 0 {
            if block.parent == table.parent {
                out.push_str(" | ");
            } else {
                table.end_row(&mut out);
                out.push_str("\n| ");
                table.start_row(block.parent);
            }
            escape_inline(content, &mut out);
            table.columns += 1;
            continue;
        }
        if table.rows > 0 {
            table.end_row(&mut out);
            table = TableState::default();
        }
        if !out.is_empty() {
            // Items of one list and lines of one quote stay together; anything else is a
            // paragraph of its own.
            let continues = previous_kind == Some(kind) && matches!(kind, Kind::Item | Kind::Quote);
            out.push_str(if continues { "\n" } else { "\n\n" });
        }
        match kind {
            Kind::Heading => {
                let h1 = block.context & context::H1 != 0;
                out.push_str(if h1 { "# " } else { "## " });
                escape_inline(content, &mut out);
            }
            Kind::Item => {
                out.push_str("- ");
                escape_inline(content, &mut out);
            }
            Kind::Quote => {
                out.push_str("> ");
                escape_paragraph(content, &mut out);
            }
            Kind::Code => {
                let fence = if content.contains("```") {
                    "~~~"
                } else {
                    "```"
                };
                out.push_str(fence);
                out.push('\n');
                out.push_str(content);
                out.push('\n');
                out.push_str(fence);
            }
            Kind::Cell => {
                out.push_str("| ");
                escape_inline(content, &mut out);
                table.start_row(block.parent);
                table.columns = 1;
            }
            Kind::Paragraph => escape_paragraph(content, &mut out),
        }
        previous_kind = Some(kind);
    }
    if table.rows > 0 {
        table.end_row(&mut out);
    }
    out
}

/// The table being written: its row so far and how many rows it has.
#[derive(Debug, Default)]
struct TableState {
    /// Rows started, the current one included.
    rows: usize,
    /// Cells in the current row.
    columns: usize,
    /// The element of the current row.
    parent: u32,
}

impl TableState {
    fn start_row(&mut self, parent: u32) {
        self.rows += 1;
        self.columns = 0;
        self.parent = parent;
    }

    /// Closes the current row; the first row is the header, which Markdown marks with a rule.
    fn end_row(&mut self, out: &mut String) {
        out.push_str(" |");
        if self.rows == 1 {
            out.push_str("\n|");
            for _ in 0..self.columns {
                out.push_str(" --- |");
            }
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Heading,
    Item,
    Quote,
    Code,
    Cell,
    Paragraph,
}

fn kind_of(bits: u32) -> Kind {
    if bits & context::HEADING != 0 {
        Kind::Heading
    } else if bits & context::CODE != 0 {
        Kind::Code
    } else if bits & context::TABLE != 0 {
        Kind::Cell
    } else if bits & context::LIST != 0 {
        Kind::Item
    } else if bits & context::QUOTE != 0 {
        Kind::Quote
    } else {
        Kind::Paragraph
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn blocks(parts: &[(&str, u32, u32)]) -> (String, Vec<KeptBlock>) {
        let mut text = String::new();
        let mut kept = Vec::new();
        for &(content, bits, parent) in parts {
            if !text.is_empty() {
                text.push_str("\n\n");
            }
            let start = text.len();
            text.push_str(content);
            kept.push(KeptBlock {
                range: start..text.len(),
                context: bits,
                parent,
            });
        }
        (text, kept)
    }

    #[test]
    fn headings_lists_quotes_and_paragraphs() {
        let (text, kept) = blocks(&[
            ("Flood warning", context::HEADING | context::H1, 1),
            ("The river rose *fast* on Sunday.", context::PARAGRAPH, 2),
            ("What next", context::HEADING, 3),
            ("Sandbags", context::LIST, 4),
            ("Pumps", context::LIST, 4),
            ("We were lucky", context::QUOTE, 5),
            ("2026. A year of floods.", 0, 6),
        ]);
        assert_eq!(
            render_markdown(&text, &kept),
            "# Flood warning\n\nThe river rose \\*fast\\* on Sunday.\n\n## What next\n\n\
             - Sandbags\n- Pumps\n\n> We were lucky\n\n2026\\. A year of floods."
        );
    }

    #[test]
    fn table_cells_become_rows_with_a_header_rule() {
        let (text, kept) = blocks(&[
            ("Team", context::TABLE, 10),
            ("Points", context::TABLE, 10),
            ("Rovers", context::TABLE, 11),
            ("42", context::TABLE, 11),
            ("United", context::TABLE, 12),
            ("40", context::TABLE, 12),
            ("Standings after 30 games.", context::PARAGRAPH, 13),
        ]);
        assert_eq!(
            render_markdown(&text, &kept),
            "| Team | Points |\n| --- | --- |\n| Rovers | 42 |\n| United | 40 |\n\n\
             Standings after 30 games."
        );
    }

    #[test]
    fn plain_text_blocks_are_paragraphs_and_nothing_is_out_of_range() {
        let (text, mut kept) = blocks(&[("# not a heading", 0, 0), ("- nor an item", 0, 0)]);
        assert_eq!(
            render_markdown(&text, &kept),
            "\\# not a heading\n\n\\- nor an item"
        );
        kept.push(KeptBlock {
            range: 1000..1001,
            context: 0,
            parent: 0,
        });
        assert_eq!(render_markdown(&text, &kept).lines().count(), 3);
    }
}
