//! Blocks: the units the classifier keeps or drops.
//!
//! In plain-text mode a block is a non-blank line (flattened pages put one block-level element
//! per line). In HTML mode it is the text between two block-level tags, together with what the
//! markup says about it: the tags and class/id tokens around it and how much of it is link text.

use std::borrow::Cow;

/// Where a block sits in the markup, as bits: cheap to copy down a deep element stack.
pub mod context {
    /// Inside `<nav>` or an element whose role is navigation or menu.
    pub const NAV: u32 = 1 << 0;
    /// Inside `<header>`.
    pub const HEADER: u32 = 1 << 1;
    /// Inside `<footer>`.
    pub const FOOTER: u32 = 1 << 2;
    /// Inside `<aside>` or role=complementary.
    pub const ASIDE: u32 = 1 << 3;
    /// Inside `<article>`.
    pub const ARTICLE: u32 = 1 << 4;
    /// Inside `<main>` or role=main.
    pub const MAIN: u32 = 1 << 5;
    /// Inside `<form>`, `<button>`, `<label>` or `<select>`.
    pub const FORM: u32 = 1 << 6;
    /// Inside `<figure>` or `<figcaption>`.
    pub const FIGURE: u32 = 1 << 7;
    /// Inside a list item.
    pub const LIST: u32 = 1 << 8;
    /// Inside a table.
    pub const TABLE: u32 = 1 << 9;
    /// Inside `<blockquote>`.
    pub const QUOTE: u32 = 1 << 10;
    /// Inside `<pre>` or `<code>`.
    pub const CODE: u32 = 1 << 11;
    /// Inside an element marked `aria-hidden="true"`.
    pub const ARIA_HIDDEN: u32 = 1 << 12;
    /// Inside `<h1>`..`<h6>`.
    pub const HEADING: u32 = 1 << 13;
    /// Inside `<p>`.
    pub const PARAGRAPH: u32 = 1 << 14;
    /// Inside an element with `itemprop="articleBody"` or similar schema.org article markup.
    pub const ARTICLE_BODY: u32 = 1 << 15;
    /// Inside `<h1>` specifically.
    pub const H1: u32 = 1 << 16;
    /// Inside `<dialog>` or an element whose role is dialog or alertdialog.
    pub const DIALOG: u32 = 1 << 17;
    /// Inside an element hidden by an inline `display: none` / `visibility: hidden` style.
    /// Not skipped: collapsed accordions and tabs hold article text that readers expand, next
    /// to hidden menus that are boilerplate, so the classifier weighs it.
    pub const HIDDEN: u32 = 1 << 18;
    /// Inside an element whose class or id names comments (`comments`, `disqus`, `respond`,
    /// `kommentare`, ...), at any depth: comment threads nest deeper than the six ancestors
    /// whose tokens a block carries.
    pub const COMMENTS_MARKUP: u32 = 1 << 19;
    /// Inside an element whose class or id names teasers of other pages (`related`,
    /// `recommended`, `teaser`, `popular`, `outbrain`, ...), at any depth.
    pub const RELATED_MARKUP: u32 = 1 << 20;
    /// Inside an element whose class or id names a caption, credit or author box (`caption`,
    /// `credit`, `bio`, `byline`, ...), at any depth.
    pub const ASIDE_MARKUP: u32 = 1 << 21;
    /// Inside `<figcaption>` or an element whose class or id names a caption or a photo credit
    /// (`caption`, `wp-caption-text`, `credit`, `bildunterschrift`, ...), at any depth: the
    /// blocks that can go into `meta.captions` instead of the text.
    pub const CAPTION: u32 = 1 << 22;
    /// Number of context bits.
    pub const COUNT: usize = 23;
}

/// One unit of a page.
///
/// Its text is borrowed where the page's own text already holds it (a line of plain text):
/// only the blocks that end in the `removed` layer, which owns its texts, are copied, when they
/// are removed. One allocation per line, made and freed for every kept line, was a tenth of
/// splitting a page into lines.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Block<'a> {
    /// The block's text, whitespace collapsed to single spaces, trimmed.
    pub text: Cow<'a, str>,
    /// Bytes of `text` that came from inside links.
    pub link_bytes: usize,
    /// [`context`] bits of the element the text sits in.
    pub context: u32,
    /// Hashes of the markup around the block: tag names and class/id tokens of its nearest
    /// ancestors (empty in plain-text mode).
    pub markup: Vec<u64>,
    /// Depth of the element stack when the block started.
    pub depth: usize,
    /// Serial numbers of the nearest block-level ancestors that contain the block's own
    /// element, nearest first (0: none). Blocks that share one are siblings in a container.
    pub containers: [u32; CONTAINER_LEVELS],
    /// Serial number of the innermost list (`ul`, `ol`, `dl`) or table the block sits in (0:
    /// none): its items or cells are one unit, kept or dropped together.
    pub group: u32,
    /// Links and emphasis inside the block, in the order they closed (inner before outer).
    /// Recorded only when the page is parsed for Markdown
    /// ([`crate::html::parse_html_for_markdown`]); the classifier never reads them.
    pub inline: Vec<InlineMark>,
}

/// A run of a block's text that the page marked inline: a link or emphasis.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InlineMark {
    /// Byte range in the block's text (may start or end on a space; renderers trim it).
    pub range: std::ops::Range<usize>,
    /// What the markup made of it.
    pub kind: InlineKind,
}

/// What an inline mark is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InlineKind {
    /// `<a href>`, with the `href` as the page wrote it (made absolute against the page's
    /// canonical url when the extraction knows it).
    Link(String),
    /// `<em>` or `<i>`.
    Emphasis,
    /// `<strong>` or `<b>`.
    Strong,
}

/// How many enclosing containers a block remembers.
pub const CONTAINER_LEVELS: usize = 3;

impl<'a> Block<'a> {
    /// A plain-text block.
    pub fn plain(text: impl Into<Cow<'a, str>>) -> Self {
        Block {
            text: text.into(),
            ..Block::default()
        }
    }

    /// The block with a text of its own, no longer borrowed.
    pub fn into_owned(self) -> Block<'static> {
        Block {
            text: Cow::Owned(self.text.into_owned()),
            link_bytes: self.link_bytes,
            context: self.context,
            markup: self.markup,
            depth: self.depth,
            containers: self.containers,
            group: self.group,
            inline: self.inline,
        }
    }
}

/// The non-blank lines of `text` as blocks, each with its byte range in `text`.
pub fn lines_as_blocks(text: &str) -> Vec<(std::ops::Range<usize>, Block<'_>)> {
    non_blank_lines(text)
        .map(|(range, line)| (range, Block::plain(line)))
        .collect()
}

/// The non-blank lines of `text` as blocks: the blocks of [`lines_as_blocks`] without their
/// ranges. The vector is sized from a count of the newlines (a vectorised pass over the bytes):
/// a block is about a hundred bytes, and growing the vector line by line copied every page's
/// blocks several times over.
pub fn line_blocks(text: &str) -> Vec<Block<'_>> {
    let mut blocks = Vec::with_capacity(newline_count(text.as_bytes()) + 1);
    blocks.extend(non_blank_lines(text).map(|(_, line)| Block::plain(line)));
    blocks
}

/// The number of `\n` bytes in `bytes`, counted in chunks whose loop the compiler turns into
/// vector compares.
fn newline_count(bytes: &[u8]) -> usize {
    const CHUNK: usize = 64;
    let mut chunks = bytes.chunks_exact(CHUNK);
    let mut count = 0;
    for chunk in &mut chunks {
        let in_chunk: u8 = chunk.iter().map(|&byte| u8::from(byte == b'\n')).sum();
        count += usize::from(in_chunk);
    }
    count
        + chunks
            .remainder()
            .iter()
            .filter(|&&byte| byte == b'\n')
            .count()
}

/// The non-blank lines of `text`, trimmed, each with its byte range in `text`. Line ends are
/// found with `memchr` (vectorised), which a web page of short lines calls for every line.
fn non_blank_lines(text: &str) -> NonBlankLines<'_> {
    NonBlankLines { text, start: 0 }
}

/// The iterator of [`non_blank_lines`]: a loop of its own, where a chain of the newlines'
/// iterator, the text's end and a filter cost a few dozen instructions more per line.
struct NonBlankLines<'a> {
    text: &'a str,
    /// Where the next line starts.
    start: usize,
}

impl<'a> Iterator for NonBlankLines<'a> {
    type Item = (std::ops::Range<usize>, &'a str);

    fn next(&mut self) -> Option<Self::Item> {
        // A last line without a newline ends at the text's end; blank lines, and the empty
        // rest after a final newline, are left out.
        while self.start < self.text.len() {
            let line_start = self.start;
            let end = memchr::memchr(b'\n', &self.text.as_bytes()[line_start..])
                .map_or(self.text.len(), |newline| line_start + newline + 1);
            self.start = end;
            let line = &self.text[line_start..end];
            let trimmed = trimmed_range(line);
            if !trimmed.is_empty() {
                let range = line_start + trimmed.start..line_start + trimmed.end;
                return Some((range, &line[trimmed]));
            }
        }
        None
    }
}

/// Where `line.trim()` lies in `line`. Ends that are ASCII, those of nearly every line, are
/// trimmed byte by byte: `str::trim` decodes a char at each end through a generic pattern
/// search, which cost about a hundred and fifty instructions per line of a web page. At a
/// non-ASCII byte the rest is left to `trim_start` and `trim_end` (a no-break or ideographic
/// space is whitespace too).
#[inline]
fn trimmed_range(line: &str) -> std::ops::Range<usize> {
    // `char::is_whitespace` of an ASCII byte: tab, line feed, vertical tab, form feed,
    // carriage return and space.
    let blank = |byte: u8| matches!(byte, b'\t'..=b'\r' | b' ');
    let bytes = line.as_bytes();
    let mut start = 0;
    while start < bytes.len() && blank(bytes[start]) {
        start += 1;
    }
    if start < bytes.len() && !bytes[start].is_ascii() {
        start = line.len() - line[start..].trim_start().len();
    }
    let mut end = bytes.len();
    while end > start && blank(bytes[end - 1]) {
        end -= 1;
    }
    if end > start && !bytes[end - 1].is_ascii() {
        end = start + line[start..end].trim_end().len();
    }
    start..end
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_skip_blanks_and_keep_ranges() {
        let text = "  First line\r\n\n\nSecond\n   \n";
        let blocks = lines_as_blocks(text);
        assert_eq!(blocks.len(), 2);
        assert_eq!(&text[blocks[0].0.clone()], "First line");
        assert_eq!(blocks[1].1.text, "Second");
        let plain: Vec<Block> = blocks.into_iter().map(|(_, block)| block).collect();
        assert_eq!(line_blocks(text), plain);
        assert!(line_blocks("").is_empty() && line_blocks(" \n\t\n").is_empty());
    }

    /// The lines as `split_inclusive` and `trim` make them, the way the blocks were first made.
    fn lines_by_split(text: &str) -> Vec<(std::ops::Range<usize>, &str)> {
        let mut start = 0;
        let mut lines = Vec::new();
        for line in text.split_inclusive('\n') {
            let trimmed = line.trim();
            let begin = start + (line.len() - line.trim_start().len());
            if !trimmed.is_empty() {
                lines.push((begin..begin + trimmed.len(), trimmed));
            }
            start += line.len();
        }
        lines
    }

    proptest::proptest! {
        #[test]
        fn lines_are_those_of_split_inclusive(text in "([a-zé \t\r\x0b\x0c\u{a0}\u{2003}\u{3000}\u{85}]{0,6}\n?){0,70}") {
            let lines: Vec<_> = non_blank_lines(&text).collect();
            proptest::prop_assert_eq!(&lines, &lines_by_split(&text));
            let newlines = text.bytes().filter(|&byte| byte == b'\n').count();
            proptest::prop_assert_eq!(newline_count(text.as_bytes()), newlines);
        }

        #[test]
        fn trimmed_range_is_where_trim_leaves_the_line(line in "[ \t\r\n\x0b\x0c\u{a0}\u{3000}\u{85}\u{2003}a-zé]{0,12}|\\PC{0,12}") {
            let range = trimmed_range(&line);
            proptest::prop_assert_eq!(&line[range.clone()], line.trim());
            if !range.is_empty() {
                proptest::prop_assert_eq!(range.start, line.len() - line.trim_start().len());
            }
        }
    }
}
