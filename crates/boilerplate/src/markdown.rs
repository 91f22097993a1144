//! The kept content as Markdown: headings, list items, quotes, code and tables keep the shape
//! the page gave them, for readers and for tools that want structure rather than lines.
//!
//! It is rendered from the kept blocks and what the markup said about each ([`context`] bits,
//! the table row a cell sits in, and its links and emphasis as [`InlineMark`]s), so it costs
//! one pass over the kept text and needs no second parse. The plain `text` stays the reference
//! that sentence and entity spans point into; the Markdown is a view of the same blocks. Links
//! and emphasis are only known when the page was parsed for Markdown
//! ([`crate::html::parse_html_for_markdown`]): copying every `href` costs HTML mode time that
//! a run without Markdown should not pay.

use std::ops::Range;

use crate::block::{context, InlineKind, InlineMark};

/// One kept block: where its text sits in the extracted text and where it sat in the page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeptBlock {
    /// Byte range of the block in [`crate::Extraction::text`].
    pub range: Range<usize>,
    /// The block's [`context`] bits (0 in plain-text mode).
    pub context: u32,
    /// The element that holds the block (for a table cell, its row); 0 when unknown.
    pub parent: u32,
    /// Links and emphasis, as byte ranges of the block's own text (see [`InlineMark`]).
    pub marks: Vec<InlineMark>,
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
///     KeptBlock { range: 0..7, context: context::HEADING | context::H1, parent: 1, marks: vec![] },
///     KeptBlock { range: 9..22, context: context::LIST, parent: 2, marks: vec![] },
///     KeptBlock { range: 24..36, context: context::LIST, parent: 2, marks: vec![] },
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
            write_marked(content, &block.marks, Escape::Inline, &mut out);
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
                write_marked(content, &block.marks, Escape::Inline, &mut out);
            }
            Kind::Item => {
                out.push_str("- ");
                write_marked(content, &block.marks, Escape::Inline, &mut out);
            }
            Kind::Quote => {
                out.push_str("> ");
                write_marked(content, &block.marks, Escape::Paragraph, &mut out);
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
                write_marked(content, &block.marks, Escape::Inline, &mut out);
                table.start_row(block.parent);
                table.columns = 1;
            }
            Kind::Paragraph => write_marked(content, &block.marks, Escape::Paragraph, &mut out),
        }
        previous_kind = Some(kind);
    }
    if table.rows > 0 {
        table.end_row(&mut out);
    }
    out
}

/// How the start of a block's text is escaped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Escape {
    /// Only inline markup (after a `#`, `-` or `|` the line's kind is already fixed).
    Inline,
    /// Inline markup and a start that would open a heading, quote or list item.
    Paragraph,
}

/// Writes one block's text with its links and emphasis, escaping the text between them.
///
/// Marks are trimmed to the words they cover (`*word*`, not `* word*`, which Markdown does not
/// read as emphasis); a mark that crosses another, a link inside a link and emphasis inside
/// the same emphasis are left out, and links that lead nowhere (`#top`, `javascript:`) are
/// written as their text.
fn write_marked(content: &str, marks: &[InlineMark], escape: Escape, out: &mut String) {
    let mut spans: Vec<(usize, usize, usize)> = marks
        .iter()
        .enumerate()
        .filter(|(_, mark)| match &mark.kind {
            InlineKind::Link(href) => leads_somewhere(href),
            _ => true,
        })
        .filter_map(|(index, mark)| {
            let covered = content.get(mark.range.clone())?;
            let start = mark.range.start + (covered.len() - covered.trim_start().len());
            let end = mark.range.start + covered.trim_end().len();
            (end > start).then_some((start, end, index))
        })
        .collect();
    // Outer before inner: by start, then the longer first, then the later-closed first (an
    // outer element closes after the inner one over the same text).
    spans.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)).then(b.2.cmp(&a.2)));
    let mut open: Vec<(usize, usize)> = Vec::new(); // (end, mark index)
    let mut written = 0;
    let text = |out: &mut String, upto: usize, written: &mut usize| {
        if upto > *written {
            let part = &content[*written..upto];
            if *written == 0 && escape == Escape::Paragraph {
                escape_paragraph(part, out);
            } else {
                escape_inline(part, out);
            }
            *written = upto;
        }
    };
    for (start, end, index) in spans {
        while let Some(&(top_end, top)) = open.last() {
            if top_end > start {
                break;
            }
            text(out, top_end, &mut written);
            close_mark(&marks[top].kind, out);
            open.pop();
        }
        let crosses = open.last().is_some_and(|&(top_end, _)| top_end < end);
        let repeats = open
            .iter()
            .any(|&(_, other)| same_kind(&marks[other].kind, &marks[index].kind));
        if crosses || repeats {
            continue;
        }
        text(out, start, &mut written);
        open_mark(&marks[index].kind, out);
        open.push((end, index));
    }
    while let Some((end, index)) = open.pop() {
        text(out, end, &mut written);
        close_mark(&marks[index].kind, out);
    }
    text(out, content.len(), &mut written);
}

fn same_kind(a: &InlineKind, b: &InlineKind) -> bool {
    std::mem::discriminant(a) == std::mem::discriminant(b)
}

/// False for links that go nowhere a reader of the Markdown can follow.
fn leads_somewhere(href: &str) -> bool {
    let lower = href
        .trim_start()
        .get(..11)
        .unwrap_or(href)
        .to_ascii_lowercase();
    !(href.is_empty() || href.starts_with('#') || lower.starts_with("javascript:"))
}

fn open_mark(kind: &InlineKind, out: &mut String) {
    out.push_str(match kind {
        InlineKind::Link(_) => "[",
        InlineKind::Emphasis => "*",
        InlineKind::Strong => "**",
    });
}

fn close_mark(kind: &InlineKind, out: &mut String) {
    match kind {
        InlineKind::Link(href) => {
            out.push_str("](");
            // Characters that would end the destination or break the line are escaped as in
            // a URL, so any href stays one link.
            for c in href.chars() {
                match c {
                    ' ' => out.push_str("%20"),
                    '(' => out.push_str("%28"),
                    ')' => out.push_str("%29"),
                    '<' => out.push_str("%3C"),
                    '>' => out.push_str("%3E"),
                    '\\' => out.push_str("%5C"),
                    c if c.is_control() => {}
                    c => out.push(c),
                }
            }
            out.push(')');
        }
        InlineKind::Emphasis => out.push('*'),
        InlineKind::Strong => out.push_str("**"),
    }
}

/// Makes a link's `href` absolute against the page's url, so Markdown read away from the page
/// still leads there: `/a` and `a` take the page's origin and folder, `//host/a` its scheme.
/// Hrefs with a scheme, and every href of a page without a usable url, stay as written.
///
/// ```
/// use textpipe_boilerplate::markdown::resolve_href;
/// let base = Some("https://news.example/world/story.html");
/// assert_eq!(resolve_href(base, "/sport"), "https://news.example/sport");
/// assert_eq!(resolve_href(base, "next.html"), "https://news.example/world/next.html");
/// assert_eq!(resolve_href(base, "//cdn.example/x"), "https://cdn.example/x");
/// assert_eq!(resolve_href(base, "mailto:desk@news.example"), "mailto:desk@news.example");
/// assert_eq!(resolve_href(None, "/sport"), "/sport");
/// ```
pub fn resolve_href(base: Option<&str>, href: &str) -> String {
    let has_scheme = |s: &str| {
        s.find(':').is_some_and(|colon| {
            colon > 0
                && s[..colon]
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'))
                && s.as_bytes()[0].is_ascii_alphabetic()
        })
    };
    let Some(base) = base.filter(|b| has_scheme(b) && b.contains("://")) else {
        return href.to_string();
    };
    if has_scheme(href) || href.is_empty() || href.starts_with('#') {
        return href.to_string();
    }
    let scheme_end = base.find("://").unwrap_or(0) + 3;
    let origin_end = base[scheme_end..]
        .find(['/', '?', '#'])
        .map_or(base.len(), |i| scheme_end + i);
    if let Some(rest) = href.strip_prefix("//") {
        return format!("{}//{rest}", &base[..scheme_end - 2]);
    }
    if href.starts_with('/') {
        return format!("{}{href}", &base[..origin_end]);
    }
    let path_end = base[origin_end..]
        .find(['?', '#'])
        .map_or(base.len(), |i| origin_end + i);
    let folder_end = base[origin_end..path_end]
        .rfind('/')
        .map_or(origin_end, |i| origin_end + i + 1);
    if folder_end == origin_end {
        format!("{}/{href}", &base[..origin_end])
    } else {
        format!("{}{href}", &base[..folder_end])
    }
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
                marks: Vec::new(),
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
            marks: Vec::new(),
        });
        assert_eq!(render_markdown(&text, &kept).lines().count(), 3);
    }

    fn mark(range: Range<usize>, kind: InlineKind) -> InlineMark {
        InlineMark { range, kind }
    }

    #[test]
    fn links_and_emphasis_nest_and_are_trimmed_to_their_words() {
        let text = "Read the full story* now";
        let link = || InlineKind::Link("https://x.example/a b(1)".into());
        let kept = [KeptBlock {
            range: 0..text.len(),
            context: context::PARAGRAPH,
            parent: 1,
            // Closed inner first: the bold " full" inside the link " the full story".
            marks: vec![
                mark(8..13, InlineKind::Strong),
                mark(4..19, link()),
                mark(20..24, InlineKind::Emphasis),
            ],
        }];
        assert_eq!(
            render_markdown(text, &kept),
            "Read [the **full** story](https://x.example/a%20b%281%29)\\* *now*"
        );
    }

    #[test]
    fn crossing_repeated_and_dead_marks_are_left_out() {
        let text = "one two three";
        let block = |marks| KeptBlock {
            range: 0..text.len(),
            context: 0,
            parent: 0,
            marks,
        };
        let crossing = block(vec![
            mark(0..7, InlineKind::Strong),
            mark(4..13, InlineKind::Emphasis),
        ]);
        assert_eq!(render_markdown(text, &[crossing]), "**one two** three");
        let nested_links = block(vec![
            mark(4..7, InlineKind::Link("/b".into())),
            mark(0..13, InlineKind::Link("/a".into())),
        ]);
        assert_eq!(
            render_markdown(text, &[nested_links]),
            "[one two three](/a)"
        );
        let dead = block(vec![
            mark(0..3, InlineKind::Link("#top".into())),
            mark(4..7, InlineKind::Link("JavaScript:void(0)".into())),
            mark(8..13, InlineKind::Link(String::new())),
        ]);
        assert_eq!(render_markdown(text, &[dead]), "one two three");
        // A mark past the end or off a char boundary is ignored, never a panic.
        let odd = KeptBlock {
            range: 0..6,
            context: 0,
            parent: 0,
            marks: vec![
                mark(1..2, InlineKind::Strong),
                mark(3..40, InlineKind::Strong),
            ],
        };
        assert_eq!(render_markdown("é ok!", &[odd]), "é ok!");
    }

    #[test]
    fn a_paragraph_that_starts_with_a_mark_is_still_escaped_after_it() {
        let text = "1. Lauf: Sieg";
        let kept = [KeptBlock {
            range: 0..text.len(),
            context: 0,
            parent: 0,
            marks: vec![mark(3..7, InlineKind::Strong)],
        }];
        assert_eq!(render_markdown(text, &kept), "1\\. **Lauf**: Sieg");
    }
}
