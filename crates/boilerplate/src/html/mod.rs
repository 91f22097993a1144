//! HTML to blocks: one streaming pass over html5gum's WHATWG tokenizer.
//!
//! We do not build a DOM. A tree builder costs more than the whole rest of the stage (html5ever
//! parses at a fraction of the speed we need), and the classifier only needs, for each run of
//! text, the tags and class/id tokens of its nearest ancestors. So the tokenizer's events drive
//! an explicit element stack:
//!
//! - start tags push an element whose [`context`] bits are its parent's plus its own, so a
//!   block's context costs O(1) however deep it sits; void elements are never pushed;
//! - end tags pop down to the matching element when one is open (a per-name count of open
//!   elements makes "is one open?" O(1), so stray end tags in a 100,000-deep page stay linear);
//! - block-level tags end the current block; inline tags (links, emphasis) do not;
//! - `script`, `style`, `svg`, `template` and elements with the `hidden` attribute (modals,
//!   templates) are skipped whole, except React's streamed boundaries (`<div hidden
//!   id="S:0">`), which a script reveals and which often hold the article; elements hidden by an
//!   inline style are read but marked [`context::HIDDEN`], because collapsed accordions and
//!   tabs hold article text (cross-validated, reading them scores better than skipping them).
//!
//! For Markdown ([`parse_html_for_markdown`]) the same pass also records links (with their
//! `href`) and emphasis as [`InlineMark`]s on each block: an open mark is tied to its element,
//! so it closes when the element is popped, however the markup ends it, and a block boundary
//! inside it splits it in two. Without Markdown no `href` byte is copied.
//!
//! Nothing recurses, so no input can overflow the stack. Metadata (title, author, date,
//! canonical url, language) is collected from `<title>`, `<meta>`, `<link>` and `<html lang>` on
//! the way.

mod emitter;

use rustc_hash::FxHashMap as HashMap;

use html5gum::Tokenizer;

use crate::block::{context, Block, InlineKind, InlineMark};
use crate::words::{combine, fnv, fnv_extend};
use emitter::PageEmitter;

/// How many ancestors' tag names and class/id tokens describe a block.
const MARKUP_ANCESTORS: usize = 6;
/// How many ancestors' tag names make the tag-path tokens of a block (one token per prefix).
const PATH_ANCESTORS: usize = 3;
/// Class/id tokens kept per element: the rest are rarely informative and cost time.
const TOKENS_PER_ELEMENT: usize = 6;
/// Inline marks open at once: deeper nesting means nothing to a reader, and every block
/// boundary visits the open marks, so a page of unclosed `<b>` tags must not make that
/// quadratic.
const MAX_OPEN_MARKS: usize = 16;

/// What the page says about itself.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PageMeta {
    /// `og:title`, else `<title>`.
    pub title: Option<String>,
    /// `<meta name=author>` and its variants.
    pub author: Option<String>,
    /// Publication date as the page writes it.
    pub date: Option<String>,
    /// `<link rel=canonical>`, else `og:url`.
    pub url: Option<String>,
    /// `<html lang>`, else a content-language meta tag.
    pub language: Option<String>,
}

/// A page split into blocks.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ParsedPage {
    /// Blocks in reading (source) order.
    pub blocks: Vec<Block<'static>>,
    /// Metadata found in the head.
    pub meta: PageMeta,
}

/// Parses `html` into blocks and metadata.
///
/// ```
/// use textpipe_boilerplate::html::parse_html;
/// let page = parse_html("<title>T</title><nav><a href=/>Home</a></nav><p>Body <b>text</b>.</p>");
/// let texts: Vec<&str> = page.blocks.iter().map(|b| &*b.text).collect();
/// assert_eq!(texts, ["Home", "Body text."]);
/// assert_eq!(page.meta.title.as_deref(), Some("T"));
/// ```
pub fn parse_html(html: &str) -> ParsedPage {
    let mut builder = PageBuilder::default();
    Tokenizer::new_with_emitter(html, PageEmitter::new(&mut builder)).for_each(drop);
    builder.finish()
}

/// Parses `html` like [`parse_html`] and also records each block's links and emphasis
/// ([`Block::inline`]), which Markdown output shows.
///
/// ```
/// use textpipe_boilerplate::block::InlineKind;
/// use textpipe_boilerplate::html::parse_html_for_markdown;
/// let page = parse_html_for_markdown("<p>Read <a href=/a>the <b>full</b> story</a>.</p>");
/// let block = &page.blocks[0];
/// assert_eq!(block.text, "Read the full story.");
/// assert_eq!(block.inline[0].kind, InlineKind::Strong);
/// assert_eq!(&block.text[block.inline[1].range.clone()], "the full story");
/// assert_eq!(block.inline[1].kind, InlineKind::Link("/a".into()));
/// ```
pub fn parse_html_for_markdown(html: &str) -> ParsedPage {
    let mut builder = PageBuilder {
        inline_marks: true,
        ..PageBuilder::default()
    };
    Tokenizer::new_with_emitter(html, PageEmitter::new(&mut builder)).for_each(drop);
    builder.finish()
}

/// An open element.
#[derive(Debug, Clone, Copy)]
struct Element {
    name: u64,
    context: u32,
    /// Range of this element's own markup tokens in [`PageBuilder::tokens`].
    tokens: (u32, u32),
    skipped: bool,
    /// The element is `<head>`.
    head: bool,
    link: bool,
    block_level: bool,
    serial: u32,
    /// The element opened an inline mark (only when marks are recorded).
    mark: bool,
    /// Serial of the innermost list or table this element is or sits in (0: none).
    group: u32,
}

/// The start tag being read: the attributes we care about.
#[derive(Debug, Default)]
struct PendingTag {
    class_tokens: Vec<u64>,
    context: u32,
    hidden: bool,
    /// The element is a React streaming boundary (`<div hidden id="S:0">`): hidden in the HTML,
    /// but a script moves it into the page, and it often holds the whole article.
    streamed: bool,
    /// Attributes of `meta`, `link` and `html`, which carry metadata.
    values: Vec<(String, String)>,
    /// The `href` of an `<a>`, read only when inline marks are recorded.
    href: Option<String>,
}

/// A link or emphasis whose element is open: its kind and where it starts in the current
/// block's text.
#[derive(Debug)]
struct OpenMark {
    kind: InlineKind,
    start: usize,
}

#[derive(Debug, Default)]
struct PageBuilder {
    stack: Vec<Element>,
    serials: u32,
    open_by_name: HashMap<u64, u32>,
    tokens: Vec<u64>,
    skipped_open: usize,
    /// Open `<head>` elements: asked at every start tag, so counted rather than looked up.
    heads_open: usize,
    links_open: usize,
    tag: PendingTag,
    block: Block<'static>,
    blocks: Vec<Block<'static>>,
    in_title: bool,
    title: String,
    meta: PageMeta,
    og_title: Option<String>,
    og_url: Option<String>,
    /// Record links and emphasis on the blocks (for Markdown).
    inline_marks: bool,
    open_marks: Vec<OpenMark>,
}

fn tag_hash(name: &[u8]) -> u64 {
    fnv(name)
}

/// What the parser needs to know of a tag name, from one `match` per tag: whether the element
/// is void, skipped, allowed in `<head>`, block-level, implicitly closed by its own kind, a
/// list or table (whose items are one unit), and the [`context`] bits it sets. (Seven separate
/// matches on the name, one per question, cost about as much as the rest of a start tag.)
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct TagKind {
    flags: u8,
    context: u32,
}

impl TagKind {
    /// Never has content (`<br>`, `<img>`): not pushed on the element stack.
    const VOID: u8 = 1;
    /// Its content is never article text (`<script>`, `<svg>`, `<head>`).
    const SKIPPED: u8 = 2;
    /// May appear in `<head>`; any other start tag ends an unclosed head.
    const IN_HEAD: u8 = 4;
    /// Starts and ends a block.
    const BLOCK: u8 = 8;
    /// A new start tag of the same name closes it (`<p>a<p>b`, `<li>a<li>b`).
    const CLOSES_ITS_KIND: u8 = 16;
    /// A list or table: its items or cells are one unit.
    const GROUP: u8 = 32;

    fn of(name: &[u8]) -> Self {
        let (flags, context) = match name {
            b"address" => (TagKind::BLOCK, 0),
            b"area" => (TagKind::VOID, 0),
            b"article" => (TagKind::BLOCK, context::ARTICLE),
            b"aside" => (TagKind::BLOCK, context::ASIDE),
            b"base" => (TagKind::VOID | TagKind::IN_HEAD, 0),
            b"blockquote" => (TagKind::BLOCK, context::QUOTE),
            b"body" => (TagKind::BLOCK, 0),
            b"br" => (TagKind::VOID | TagKind::BLOCK, 0),
            b"button" => (TagKind::BLOCK, context::FORM),
            b"canvas" => (TagKind::SKIPPED, 0),
            b"caption" => (TagKind::BLOCK, 0),
            b"center" => (TagKind::BLOCK, 0),
            b"code" => (0, context::CODE),
            b"col" => (TagKind::VOID, 0),
            b"dd" => (TagKind::BLOCK | TagKind::CLOSES_ITS_KIND, context::LIST),
            b"details" => (TagKind::BLOCK, 0),
            b"dialog" => (TagKind::BLOCK, context::DIALOG),
            b"div" => (TagKind::BLOCK, 0),
            b"dl" => (TagKind::BLOCK | TagKind::GROUP, 0),
            b"dt" => (TagKind::BLOCK | TagKind::CLOSES_ITS_KIND, context::LIST),
            b"embed" => (TagKind::VOID, 0),
            b"fieldset" => (TagKind::BLOCK, 0),
            b"figcaption" => (TagKind::BLOCK, context::FIGURE | context::CAPTION),
            b"figure" => (TagKind::BLOCK, context::FIGURE),
            b"footer" => (TagKind::BLOCK, context::FOOTER),
            b"form" => (TagKind::BLOCK, context::FORM),
            b"h1" => (TagKind::BLOCK, context::HEADING | context::H1),
            b"h2" => (TagKind::BLOCK, context::HEADING),
            b"h3" => (TagKind::BLOCK, context::HEADING),
            b"h4" => (TagKind::BLOCK, context::HEADING),
            b"h5" => (TagKind::BLOCK, context::HEADING),
            b"h6" => (TagKind::BLOCK, context::HEADING),
            b"head" => (TagKind::SKIPPED | TagKind::IN_HEAD, 0),
            b"header" => (TagKind::BLOCK, context::HEADER),
            b"hr" => (TagKind::VOID | TagKind::BLOCK, 0),
            b"html" => (TagKind::BLOCK, 0),
            b"iframe" => (TagKind::SKIPPED, 0),
            b"img" => (TagKind::VOID, 0),
            b"input" => (TagKind::VOID, context::FORM),
            b"label" => (TagKind::BLOCK, context::FORM),
            b"legend" => (TagKind::BLOCK, 0),
            b"li" => (TagKind::BLOCK | TagKind::CLOSES_ITS_KIND, context::LIST),
            b"link" => (TagKind::VOID | TagKind::IN_HEAD, 0),
            b"main" => (TagKind::BLOCK, context::MAIN),
            b"math" => (TagKind::SKIPPED, 0),
            b"menu" => (TagKind::BLOCK, context::NAV),
            b"meta" => (TagKind::VOID | TagKind::IN_HEAD, 0),
            b"nav" => (TagKind::BLOCK, context::NAV),
            b"noscript" => (TagKind::SKIPPED | TagKind::IN_HEAD, 0),
            b"object" => (TagKind::SKIPPED, 0),
            b"ol" => (TagKind::BLOCK | TagKind::GROUP, 0),
            b"option" => (TagKind::CLOSES_ITS_KIND, 0),
            b"p" => (
                TagKind::BLOCK | TagKind::CLOSES_ITS_KIND,
                context::PARAGRAPH,
            ),
            b"param" => (TagKind::VOID, 0),
            b"pre" => (TagKind::BLOCK, context::CODE),
            b"script" => (TagKind::SKIPPED | TagKind::IN_HEAD, 0),
            b"section" => (TagKind::BLOCK, 0),
            b"select" => (TagKind::SKIPPED, 0),
            b"source" => (TagKind::VOID, 0),
            b"style" => (TagKind::SKIPPED | TagKind::IN_HEAD, 0),
            b"summary" => (TagKind::BLOCK, 0),
            b"svg" => (TagKind::SKIPPED, 0),
            b"table" => (TagKind::BLOCK | TagKind::GROUP, context::TABLE),
            b"tbody" => (TagKind::BLOCK, 0),
            b"td" => (TagKind::BLOCK | TagKind::CLOSES_ITS_KIND, 0),
            b"template" => (TagKind::SKIPPED | TagKind::IN_HEAD, 0),
            b"textarea" => (TagKind::SKIPPED, 0),
            b"tfoot" => (TagKind::BLOCK, 0),
            b"th" => (TagKind::BLOCK | TagKind::CLOSES_ITS_KIND, 0),
            b"thead" => (TagKind::BLOCK, 0),
            b"title" => (TagKind::IN_HEAD, 0),
            b"tr" => (TagKind::BLOCK | TagKind::CLOSES_ITS_KIND, 0),
            b"track" => (TagKind::VOID, 0),
            b"ul" => (TagKind::BLOCK | TagKind::GROUP, 0),
            b"wbr" => (TagKind::VOID, 0),
            _ => (0, 0),
        };
        TagKind { flags, context }
    }

    fn is(self, flag: u8) -> bool {
        self.flags & flag != 0
    }
}

fn context_of_role(role: &[u8]) -> u32 {
    match role {
        b"navigation" | b"menu" | b"menubar" => context::NAV,
        b"banner" => context::HEADER,
        b"contentinfo" => context::FOOTER,
        b"complementary" => context::ASIDE,
        b"main" => context::MAIN,
        b"article" => context::ARTICLE,
        b"dialog" | b"alertdialog" => context::DIALOG,
        _ => 0,
    }
}

/// Hashes of the informative tokens of a class or id value: `post-body__text js-2` gives
/// `post`, `body`, `text` (pure numbers and one-letter tokens carry no meaning). Returns the
/// [`context`] bits the tokens name ([`class_token_context`]).
///
/// Each token's end is found first, so only tokens that count (two to 24 letters) are
/// lowercased and hashed. (Keeping each class value's tokens per page, since pages repeat a
/// few class strings on hundreds of elements, was tried: the hash map and the copies cost more
/// than they saved.)
fn push_class_tokens(value: &[u8], out: &mut Vec<u64>) -> u32 {
    const LONGEST: usize = 24;
    let mut bits = 0;
    let mut lower = [0u8; LONGEST];
    let mut rest = value;
    while !rest.is_empty() {
        let start = (rest.iter().position(u8::is_ascii_alphabetic)).unwrap_or(rest.len());
        let letters = &rest[start..];
        let len = (letters.iter().position(|b| !b.is_ascii_alphabetic())).unwrap_or(letters.len());
        let (token, after) = letters.split_at(len);
        rest = after;
        if !(2..=LONGEST).contains(&len) {
            continue;
        }
        if out.len() >= TOKENS_PER_ELEMENT {
            break;
        }
        let mut hash = fnv(b"");
        for (slot, &byte) in lower.iter_mut().zip(token) {
            *slot = byte.to_ascii_lowercase();
            hash = fnv_extend(hash, &[*slot]);
        }
        bits |= class_token_context(&lower[..len]);
        out.push(combine(fnv(b"class"), hash));
    }
    bits
}

/// The [`context`] bits a lowercase class or id token names: comment threads, teasers of other
/// pages, captions and author boxes, which sit inside the article's container on many pages.
/// Marked on every element below, however deep, unlike the hashed tokens of the nearest six
/// ancestors.
fn class_token_context(token: &[u8]) -> u32 {
    match token {
        b"comment" | b"comments" | b"commentlist" | b"disqus" | b"respond" | b"replies"
        | b"reply" | b"discussion" | b"kommentar" | b"kommentare" | b"commentaires"
        | b"comentarios" | b"komentarze" | b"reactions" => context::COMMENTS_MARKUP,
        b"related" | b"recommended" | b"recommendations" | b"recirculation" | b"teaser"
        | b"teasers" | b"popular" | b"trending" | b"outbrain" | b"taboola" | b"readmore"
        | b"morestories" | b"promo" | b"promoted" | b"sponsored" | b"empfehlungen"
        | b"verwandte" => context::RELATED_MARKUP,
        b"caption" | b"figcaption" | b"credit" | b"credits" | b"bildunterschrift" | b"legende"
        | b"leyenda" | b"didascalia" => context::ASIDE_MARKUP | context::CAPTION,
        b"bio" | b"biography" | b"byline" | b"authorbox" | b"profile" => context::ASIDE_MARKUP,
        _ => 0,
    }
}

fn is_hiding_style(style: &[u8]) -> bool {
    let compact: Vec<u8> = style
        .iter()
        .filter(|b| !b.is_ascii_whitespace())
        .map(u8::to_ascii_lowercase)
        .collect();
    let has = |needle: &[u8]| compact.windows(needle.len()).any(|w| w == needle);
    has(b"display:none") || has(b"visibility:hidden")
}

impl PageBuilder {
    /// Whether the value of attribute `name` of a `tag` start tag is read at all: most
    /// attribute bytes (`href`, `src`, `data-*`) are not, and are never copied; a link's
    /// `href` only when Markdown wants it.
    fn wants_attribute(&self, tag: &[u8], name: &[u8]) -> bool {
        matches!(
            name,
            b"class" | b"id" | b"role" | b"aria-hidden" | b"itemprop" | b"style" | b"hidden"
        ) || matches!(tag, b"meta" | b"link" | b"html")
            || (self.inline_marks && tag == b"a" && name == b"href")
    }

    /// True while text is thrown away (inside `script`, `style`, hidden elements...).
    fn discards_text(&self) -> bool {
        self.skipped_open > 0 && !self.in_title
    }

    fn begin_start_tag(&mut self) {
        self.tag.class_tokens.clear();
        self.tag.values.clear();
        self.tag.context = 0;
        self.tag.hidden = false;
        self.tag.streamed = false;
        self.tag.href = None;
    }

    fn on_attribute(&mut self, tag_name: &[u8], name: &[u8], value: &[u8]) {
        let tag = &mut self.tag;
        match name {
            b"hidden" => tag.hidden = true,
            b"id" if value.starts_with(b"S:") => tag.streamed = true,
            b"class" | b"id" => tag.context |= push_class_tokens(value, &mut tag.class_tokens),
            b"role" => tag.context |= context_of_role(&value.to_ascii_lowercase()),
            b"aria-hidden" if value.eq_ignore_ascii_case(b"true") => {
                tag.context |= context::ARIA_HIDDEN
            }
            b"itemprop" if value.eq_ignore_ascii_case(b"articlebody") => {
                tag.context |= context::ARTICLE_BODY
            }
            b"style" if is_hiding_style(value) => tag.context |= context::HIDDEN,
            b"href" if tag_name == b"a" => {
                tag.href = Some(String::from_utf8_lossy(value).trim().to_string())
            }
            _ => {}
        }
        if matches!(tag_name, b"meta" | b"link" | b"html") {
            let name = String::from_utf8_lossy(name).to_ascii_lowercase();
            let value = String::from_utf8_lossy(value).trim().to_string();
            tag.values.push((name, value));
        }
    }

    fn on_start_tag(&mut self, name: &[u8], self_closing: bool) {
        let kind = TagKind::of(name);
        if self.heads_open > 0 && !kind.is(TagKind::IN_HEAD) {
            // A page that never closes `<head>` (it happens) would otherwise skip everything:
            // like a browser, let the first body element end the head.
            self.on_end_tag(b"head");
        }
        match name {
            b"meta" => self.read_meta_tag(),
            b"link" => self.read_link_tag(),
            b"html" => self.read_html_tag(),
            b"title" => self.in_title = true,
            _ => {}
        }
        if kind.is(TagKind::BLOCK) {
            self.end_block();
        }
        if kind.is(TagKind::VOID) || self_closing {
            return;
        }
        let hash = tag_hash(name);
        if kind.is(TagKind::CLOSES_ITS_KIND)
            && self.stack.last().is_some_and(|top| top.name == hash)
        {
            self.pop();
        }
        let parent = self.stack.last().copied();
        let start = self.tokens.len() as u32;
        self.tokens.push(combine(fnv(b"tag"), hash));
        self.tokens.extend_from_slice(&self.tag.class_tokens);
        let skipped = kind.is(TagKind::SKIPPED) || (self.tag.hidden && !self.tag.streamed);
        let link = name == b"a";
        let mark = self.inline_marks && self.open_mark(name);
        self.serials = self.serials.wrapping_add(1).max(1);
        let group = if kind.is(TagKind::GROUP) {
            self.serials
        } else {
            parent.map_or(0, |p| p.group)
        };
        let element = Element {
            group,
            block_level: kind.is(TagKind::BLOCK),
            serial: self.serials,
            name: hash,
            context: parent.map_or(0, |p| p.context) | kind.context | self.tag.context,
            tokens: (start, self.tokens.len() as u32),
            skipped,
            head: name == b"head",
            link,
            mark,
        };
        self.skipped_open += usize::from(skipped);
        self.heads_open += usize::from(element.head);
        self.links_open += usize::from(link);
        *self.open_by_name.entry(hash).or_insert(0) += 1;
        self.stack.push(element);
    }

    fn on_end_tag(&mut self, name: &[u8]) {
        if name == b"title" {
            self.in_title = false;
        }
        if TagKind::of(name).is(TagKind::BLOCK) {
            self.end_block();
        }
        let hash = tag_hash(name);
        if self.open_by_name.get(&hash).copied().unwrap_or(0) == 0 {
            return;
        }
        while let Some(element) = self.pop() {
            if element.name == hash {
                break;
            }
        }
    }

    fn pop(&mut self) -> Option<Element> {
        let element = self.stack.pop()?;
        if element.mark {
            self.close_mark();
        }
        self.tokens.truncate(element.tokens.0 as usize);
        self.skipped_open -= usize::from(element.skipped);
        self.heads_open -= usize::from(element.head);
        self.links_open -= usize::from(element.link);
        if let Some(count) = self.open_by_name.get_mut(&element.name) {
            *count = count.saturating_sub(1);
        }
        Some(element)
    }

    fn on_text(&mut self, value: &[u8]) {
        // The tokenizer reads a `&str` and decodes entities to UTF-8, so this is valid UTF-8
        // but for a chunk boundary inside a character, which the lossy path tolerates.
        let text = match std::str::from_utf8(value) {
            Ok(text) => std::borrow::Cow::Borrowed(text),
            Err(_) => String::from_utf8_lossy(value),
        };
        if self.in_title {
            self.title.push_str(&text);
            return;
        }
        if self.skipped_open > 0 {
            return;
        }
        let before = self.block.text.len();
        if before == 0 && text.trim().is_empty() {
            return;
        }
        if before == 0 {
            self.start_block();
        }
        push_collapsed(self.block.text.to_mut(), &text);
        if self.links_open > 0 {
            self.block.link_bytes += self.block.text.len() - before;
        }
    }

    /// Records where the block's first text sits.
    fn start_block(&mut self) {
        let Some(top) = self.stack.last() else {
            return;
        };
        self.block.context = top.context;
        self.block.group = top.group;
        self.block.depth = self.stack.len();
        self.block.markup.clear();
        // Its markup tokens are known now: one allocation instead of the vector's regrowths.
        let tokens: usize = (self.stack.iter().rev().take(MARKUP_ANCESTORS))
            .map(|e| (e.tokens.1 - e.tokens.0) as usize)
            .sum();
        self.block.markup.reserve_exact(tokens + PATH_ANCESTORS);
        // The block's own element is the nearest block-level one; its containers are the
        // block-level elements above it. Bounded walk: inline soup cannot make it quadratic.
        let mut containers = self
            .stack
            .iter()
            .rev()
            .take(64)
            .filter(|e| e.block_level)
            .skip(1)
            .map(|e| e.serial);
        self.block.containers = std::array::from_fn(|_| containers.next().unwrap_or(0));
        let mut path = fnv(b"path");
        for (level, element) in self.stack.iter().rev().take(MARKUP_ANCESTORS).enumerate() {
            let (start, end) = element.tokens;
            self.block
                .markup
                .extend_from_slice(&self.tokens[start as usize..end as usize]);
            // The tag path (`p < div < article`) says what a bag of tag names cannot: which
            // element sits in which.
            if level < PATH_ANCESTORS {
                path = combine(path, element.name);
                self.block.markup.push(path);
            }
        }
    }

    /// Opens the inline mark a start tag `name` makes, if any; true when it did.
    fn open_mark(&mut self, name: &[u8]) -> bool {
        if self.open_marks.len() >= MAX_OPEN_MARKS {
            return false;
        }
        let kind = match name {
            b"a" => match self.tag.href.take() {
                Some(href) => InlineKind::Link(href),
                None => return false,
            },
            b"em" | b"i" => InlineKind::Emphasis,
            b"strong" | b"b" => InlineKind::Strong,
            _ => return false,
        };
        self.open_marks.push(OpenMark {
            kind,
            start: self.block.text.len(),
        });
        true
    }

    /// Closes the innermost open mark on the current block (its element was popped).
    fn close_mark(&mut self) {
        if let Some(mark) = self.open_marks.pop() {
            let end = self.block.text.trim_end().len();
            if end > mark.start {
                self.block.inline.push(InlineMark {
                    range: mark.start..end,
                    kind: mark.kind,
                });
            }
        }
    }

    fn end_block(&mut self) {
        // Most block-level tags end a block that has no text yet; such a block is still as
        // `Block::default()` made it (its fields are set when its first text arrives), and its
        // open marks all start at 0.
        if self.block.text.is_empty() {
            return;
        }
        let trimmed_len = self.block.text.trim_end().len();
        self.block.text.to_mut().truncate(trimmed_len);
        // A block boundary inside an open mark (`<a><div>..</div></a>`) splits the mark: its
        // part so far belongs to this block, the rest starts the next one.
        for mark in self.open_marks.iter_mut().rev() {
            if trimmed_len > mark.start {
                self.block.inline.push(InlineMark {
                    range: mark.start..trimmed_len,
                    kind: mark.kind.clone(),
                });
            }
            mark.start = 0;
        }
        if !self.block.text.is_empty() {
            self.block.link_bytes = self.block.link_bytes.min(self.block.text.len());
            self.blocks.push(std::mem::take(&mut self.block));
        } else {
            self.block = Block::default();
        }
    }

    fn value_of(&self, attribute: &str) -> Option<&str> {
        self.tag
            .values
            .iter()
            .find(|(name, _)| name == attribute)
            .map(|(_, value)| value.as_str())
            .filter(|value| !value.is_empty())
    }

    fn read_meta_tag(&mut self) {
        let key = self
            .value_of("property")
            .or_else(|| self.value_of("name"))
            .or_else(|| self.value_of("itemprop"))
            .or_else(|| self.value_of("http-equiv"))
            .map(str::to_ascii_lowercase);
        let (Some(key), Some(content)) = (key, self.value_of("content").map(str::to_string)) else {
            return;
        };
        let slot = match key.as_str() {
            "og:title" | "twitter:title" => &mut self.og_title,
            "author" | "article:author" | "byl" | "dc.creator" | "parsely-author" => {
                &mut self.meta.author
            }
            "article:published_time"
            | "datepublished"
            | "date"
            | "pubdate"
            | "dc.date"
            | "publish-date"
            | "parsely-pub-date"
            | "og:published_time" => &mut self.meta.date,
            "og:url" => &mut self.og_url,
            "content-language" | "og:locale" | "language" => &mut self.meta.language,
            _ => return,
        };
        if slot.is_none() {
            *slot = Some(content);
        }
    }

    fn read_link_tag(&mut self) {
        let canonical = self
            .value_of("rel")
            .is_some_and(|rel| rel.eq_ignore_ascii_case("canonical"));
        if canonical && self.meta.url.is_none() {
            self.meta.url = self.value_of("href").map(str::to_string);
        }
    }

    fn read_html_tag(&mut self) {
        if let Some(lang) = self.value_of("lang").map(str::to_string) {
            self.meta.language = Some(lang);
        }
    }

    fn finish(mut self) -> ParsedPage {
        self.end_block();
        let title = collapse(&self.title);
        self.meta.title = self
            .og_title
            .take()
            .map(|t| collapse(&t))
            .filter(|t| !t.is_empty())
            .or((!title.is_empty()).then_some(title));
        if self.meta.url.is_none() {
            self.meta.url = self.og_url.take();
        }
        ParsedPage {
            blocks: self.blocks,
            meta: self.meta,
        }
    }
}

/// Appends `text` to `out` with runs of whitespace made one space (none at the start).
///
/// Only bytes that may start whitespace are looked at one by one, and only non-ASCII ones are
/// decoded. A single `' '` between two other ASCII characters is already what the output
/// wants, so it stays inside the run being copied: a text node of ordinary prose is one tight
/// scan and one copy (one copy per word was a tenth of the HTML parse).
fn push_collapsed(out: &mut String, text: &str) {
    /// ASCII that is not whitespace (nor control characters like it): `!` to DEL.
    fn is_plain(byte: u8) -> bool {
        (0x21..0x80).contains(&byte)
    }
    out.reserve(text.len());
    // Whether the output, with the pending run, ends with a space (or is empty).
    let mut last_space = out.is_empty() || out.ends_with(' ');
    let bytes = text.as_bytes();
    let mut run_start = None;
    let mut i = 0;
    while i < bytes.len() {
        let byte = bytes[i];
        if is_plain(byte) {
            run_start.get_or_insert(i);
            last_space = false;
            // The rest of the run: plain bytes, and single spaces between them.
            i += 1;
            loop {
                // Seven bytes at a time while eight can be read: a text node's run is most
                // often a whole sentence.
                while let Some(chunk) = bytes.get(i..i + 8) {
                    let run = continuing_bytes(u64::from_le_bytes(
                        chunk.try_into().expect("a slice of eight bytes"),
                    ));
                    i += run;
                    if run < 7 {
                        break;
                    }
                }
                while i < bytes.len() && is_plain(bytes[i]) {
                    i += 1;
                }
                if i + 1 < bytes.len() && bytes[i] == b' ' && is_plain(bytes[i + 1]) {
                    i += 2;
                } else {
                    break;
                }
            }
            continue;
        }
        let (is_space, len) = if byte < 0x80 {
            (byte.is_ascii_whitespace() || byte == 0x0b, 1)
        } else {
            let c = text[i..].chars().next().unwrap_or(' ');
            (c.is_whitespace(), c.len_utf8())
        };
        if is_space {
            if byte == b' ' && !last_space && run_start.is_some() {
                last_space = true;
            } else {
                if let Some(start) = run_start.take() {
                    out.push_str(&text[start..i]);
                }
                if !last_space {
                    out.push(' ');
                    last_space = true;
                }
            }
        } else {
            if run_start.is_none() {
                run_start = Some(i);
            }
            last_space = false;
        }
        i += len;
    }
    if let Some(start) = run_start {
        out.push_str(&text[start..]);
    }
}

/// Of eight bytes read as a little-endian `u64`, how many of the first seven continue a run
/// that [`push_collapsed`] copies as it is: a plain byte (ASCII `!` to DEL), or a single space
/// before a plain byte (the eighth byte only tells whether the seventh, a space, continues).
/// Bit-parallel over the bytes (SWAR): a few operations for seven bytes.
fn continuing_bytes(bytes: u64) -> usize {
    const HIGH: u64 = 0x8080_8080_8080_8080;
    const LOW: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    const ONES: u64 = 0x0101_0101_0101_0101;
    // Per byte, the top bit of its lane: set when the byte is plain, respectively a space.
    // Adding to seven-bit lanes never carries into the next lane.
    let lanes = bytes & LOW;
    let plain = (lanes + ONES * (0x80 - 0x21)) & !bytes & HIGH;
    let spaces_cleared = bytes ^ (ONES * 0x20);
    let not_space = (((spaces_cleared & LOW) + LOW) | spaces_cleared) & HIGH;
    let space = !not_space & HIGH;
    let continues = plain | (space & (plain >> 8));
    // The first seven lanes: the eighth's continuation depends on a byte not read.
    let stops = !continues & (HIGH >> 8);
    (stops.trailing_zeros() / 8).min(7) as usize
}

fn collapse(text: &str) -> String {
    let mut out = String::new();
    push_collapsed(&mut out, text);
    out.trim_end().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(page: &ParsedPage) -> Vec<&str> {
        page.blocks.iter().map(|b| &*b.text).collect()
    }

    /// `push_collapsed` written the obvious way, one char at a time.
    fn collapsed_char_by_char(out: &str, text: &str) -> String {
        let mut result = out.to_string();
        for c in text.chars() {
            if !c.is_whitespace() {
                result.push(c);
            } else if !result.is_empty() && !result.ends_with(' ') {
                result.push(' ');
            }
        }
        result
    }

    #[test]
    fn whitespace_runs_collapse_to_one_space_whatever_the_output_ends_with() {
        let texts = [
            "",
            " ",
            "one two  three",
            "  lead and trail  ",
            "tab\tnew\nline\r\n end",
            "a \n b",
            "no\u{a0}break\u{3000}wide \u{2003} em",
            "Größe  über\u{85}next",
            "x",
            "a b c d  e f",
            "trailing space ",
            " lead",
            "x\u{1}y z\u{7f} w",
            "one\u{a0}two three",
            "Ünïcode wörds and ASCII ones",
        ];
        for out in ["", "word", "word ", "ends\n"] {
            for text in texts {
                let mut pushed = out.to_string();
                push_collapsed(&mut pushed, text);
                assert_eq!(
                    pushed,
                    collapsed_char_by_char(out, text),
                    "{out:?} + {text:?}"
                );
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn collapsing_matches_the_char_by_char_version(
            out in "|word|word |ends\n",
            text in "[a-z .,\t\n\u{a0}é\u{1}]{0,60}|\\PC{0,40}",
        ) {
            let mut pushed = out.clone();
            push_collapsed(&mut pushed, &text);
            proptest::prop_assert_eq!(pushed, collapsed_char_by_char(&out, &text));
        }
    }

    #[test]
    fn continuing_bytes_of_every_kind_of_lane() {
        let run = |eight: &[u8; 8]| continuing_bytes(u64::from_le_bytes(*eight));
        assert_eq!(run(b"abcdefgh"), 7);
        assert_eq!(run(b"ab cd ef"), 7);
        assert_eq!(run(b"abc  def"), 3);
        assert_eq!(run(b"abcdef \n"), 6);
        assert_eq!(run(b"abcdef h"), 7);
        assert_eq!(run(b" abcdefg"), 7);
        assert_eq!(run(b"\tabcdefg"), 0);
        assert_eq!(run(b"ab\xc3\xa9cdef"), 2);
        assert_eq!(run(b"a\x7f~!\x01bcd"), 4);
    }

    /// `push_class_tokens` written the obvious way: split, then lowercase and hash each token.
    fn class_tokens_split_apart(value: &[u8], out: &mut Vec<u64>) -> u32 {
        let mut bits = 0;
        for token in value.split(|b| !b.is_ascii_alphabetic()) {
            if out.len() >= TOKENS_PER_ELEMENT {
                break;
            }
            if token.len() < 2 || token.len() > 24 {
                continue;
            }
            let lower = token.to_ascii_lowercase();
            bits |= class_token_context(&lower);
            out.push(combine(fnv(b"class"), fnv(&lower)));
        }
        bits
    }

    #[test]
    fn class_tokens_in_one_pass_match_the_split_version() {
        let values: [&[u8]; 9] = [
            b"",
            b"nav-link text-uppercase font-weight-bold",
            b"post-body__text js-2 Comments",
            b"a b c RELATED teaser x1y2",
            b"wp-caption-text abcdefghijklmnopqrstuvwxyz abcdefghijklmnopqrstuvwx end",
            b"one two three four five six seven eight",
            "Bildunterschrift bildüber Kommentare".as_bytes(),
            b"--__--",
            b"Disqus_thread",
        ];
        for already in [0, 3, TOKENS_PER_ELEMENT] {
            for value in values {
                let (mut fused, mut split) = (vec![1; already], vec![1; already]);
                let bits = push_class_tokens(value, &mut fused);
                assert_eq!(bits, class_tokens_split_apart(value, &mut split));
                assert_eq!(fused, split, "{:?}", String::from_utf8_lossy(value));
            }
        }
    }

    // The questions `TagKind::of` answers, one match each, as they were first written.
    fn is_void(name: &[u8]) -> bool {
        matches!(
            name,
            b"area"
                | b"base"
                | b"br"
                | b"col"
                | b"embed"
                | b"hr"
                | b"img"
                | b"input"
                | b"link"
                | b"meta"
                | b"param"
                | b"source"
                | b"track"
                | b"wbr"
        )
    }

    /// Elements whose content is never article text.
    fn is_skipped(name: &[u8]) -> bool {
        matches!(
            name,
            b"script"
                | b"style"
                | b"noscript"
                | b"template"
                | b"svg"
                | b"math"
                | b"iframe"
                | b"object"
                | b"canvas"
                | b"select"
                | b"textarea"
                | b"head"
        )
    }

    /// Elements that may appear in `<head>`; any other start tag ends it.
    fn belongs_in_head(name: &[u8]) -> bool {
        matches!(
            name,
            b"head"
                | b"meta"
                | b"link"
                | b"title"
                | b"style"
                | b"script"
                | b"noscript"
                | b"base"
                | b"template"
        )
    }

    /// Elements that start and end a block.
    fn is_block_level(name: &[u8]) -> bool {
        matches!(
            name,
            b"address"
                | b"article"
                | b"aside"
                | b"blockquote"
                | b"body"
                | b"br"
                | b"caption"
                | b"center"
                | b"dd"
                | b"details"
                | b"dialog"
                | b"div"
                | b"dl"
                | b"dt"
                | b"fieldset"
                | b"figcaption"
                | b"figure"
                | b"footer"
                | b"form"
                | b"h1"
                | b"h2"
                | b"h3"
                | b"h4"
                | b"h5"
                | b"h6"
                | b"header"
                | b"hr"
                | b"html"
                | b"legend"
                | b"li"
                | b"main"
                | b"menu"
                | b"nav"
                | b"ol"
                | b"p"
                | b"pre"
                | b"section"
                | b"summary"
                | b"table"
                | b"tbody"
                | b"td"
                | b"tfoot"
                | b"th"
                | b"thead"
                | b"tr"
                | b"ul"
                | b"button"
                | b"label"
        )
    }

    /// Elements a new start tag of the same name implicitly closes (`<p>a<p>b`, `<li>a<li>b`).
    fn closes_its_kind(name: &[u8]) -> bool {
        matches!(
            name,
            b"p" | b"li" | b"dt" | b"dd" | b"tr" | b"td" | b"th" | b"option"
        )
    }

    fn context_of_tag(name: &[u8]) -> u32 {
        match name {
            b"nav" | b"menu" => context::NAV,
            b"header" => context::HEADER,
            b"footer" => context::FOOTER,
            b"aside" => context::ASIDE,
            b"article" => context::ARTICLE,
            b"main" => context::MAIN,
            b"form" | b"button" | b"label" | b"input" => context::FORM,
            b"figure" => context::FIGURE,
            b"figcaption" => context::FIGURE | context::CAPTION,
            b"li" | b"dd" | b"dt" => context::LIST,
            b"table" => context::TABLE,
            b"blockquote" => context::QUOTE,
            b"pre" | b"code" => context::CODE,
            b"h1" => context::HEADING | context::H1,
            b"h2" | b"h3" | b"h4" | b"h5" | b"h6" => context::HEADING,
            b"p" => context::PARAGRAPH,
            b"dialog" => context::DIALOG,
            _ => 0,
        }
    }

    #[test]
    fn one_match_per_tag_answers_what_one_match_per_question_did() {
        let names = [
            "a",
            "abbr",
            "address",
            "area",
            "article",
            "aside",
            "b",
            "base",
            "blockquote",
            "body",
            "br",
            "button",
            "canvas",
            "caption",
            "center",
            "code",
            "col",
            "dd",
            "details",
            "dialog",
            "div",
            "dl",
            "dt",
            "em",
            "embed",
            "fieldset",
            "figcaption",
            "figure",
            "footer",
            "form",
            "h1",
            "h2",
            "h3",
            "h4",
            "h5",
            "h6",
            "head",
            "header",
            "hr",
            "html",
            "i",
            "iframe",
            "img",
            "input",
            "label",
            "legend",
            "li",
            "link",
            "main",
            "math",
            "menu",
            "meta",
            "nav",
            "noscript",
            "object",
            "ol",
            "option",
            "p",
            "param",
            "pre",
            "script",
            "section",
            "select",
            "source",
            "span",
            "style",
            "summary",
            "svg",
            "table",
            "tbody",
            "td",
            "template",
            "textarea",
            "tfoot",
            "th",
            "thead",
            "title",
            "tr",
            "track",
            "ul",
            "wbr",
            "my-widget",
            "",
            "P",
            "h7",
        ];
        for name in names.map(str::as_bytes) {
            let kind = TagKind::of(name);
            let each = [
                (TagKind::VOID, is_void(name)),
                (TagKind::SKIPPED, is_skipped(name)),
                (TagKind::IN_HEAD, belongs_in_head(name)),
                (TagKind::BLOCK, is_block_level(name)),
                (TagKind::CLOSES_ITS_KIND, closes_its_kind(name)),
                (
                    TagKind::GROUP,
                    matches!(name, b"ul" | b"ol" | b"dl" | b"table"),
                ),
            ];
            for (flag, expected) in each {
                assert_eq!(
                    kind.is(flag),
                    expected,
                    "{flag} of {:?}",
                    String::from_utf8_lossy(name)
                );
            }
            assert_eq!(kind.context, context_of_tag(name));
        }
    }

    #[test]
    fn skips_scripts_and_styles_and_marks_hidden_elements() {
        let page = parse_html(
            "<html lang=en><head><style>p{}</style><script>var x='<p>no</p>';</script></head>\
             <body><div hidden>secret</div><div style='display: none'>gone</div>\
             <p>Kept &amp; decoded</p><noscript>Enable JS</noscript></body></html>",
        );
        assert_eq!(texts(&page), ["gone", "Kept & decoded"]);
        assert_ne!(page.blocks[0].context & context::HIDDEN, 0);
        assert_eq!(page.blocks[1].context & context::HIDDEN, 0);
        assert_eq!(page.meta.language.as_deref(), Some("en"));
    }

    #[test]
    fn an_unclosed_head_ends_at_the_body_and_react_boundaries_are_read() {
        let page = parse_html(
            "<html><head><title>T</title><body><p>Body text</p>\
             <div hidden id=\"S:0\"><p>Streamed article</p></div><div hidden><p>Modal</p></div>",
        );
        assert_eq!(texts(&page), ["Body text", "Streamed article"]);
    }

    #[test]
    fn inline_tags_stay_in_the_block_and_links_are_counted() {
        let page = parse_html("<p>Read <a href=x>the   full</a> <em>story</em></p><p>Next</p>");
        assert_eq!(texts(&page), ["Read the full story", "Next"]);
        assert_eq!(page.blocks[0].link_bytes, "the full".len());
    }

    #[test]
    fn context_bits_follow_the_element_stack() {
        let page = parse_html(
            "<nav><ul><li><a>Home</a></li></ul></nav><article><h1>Title</h1><p>Body</p></article>\
             <footer>Foot</footer>",
        );
        let b = &page.blocks;
        assert_ne!(b[0].context & context::NAV, 0);
        assert_ne!(b[0].context & context::LIST, 0);
        assert_ne!(b[1].context & context::H1, 0);
        assert_ne!(b[2].context & context::ARTICLE, 0);
        assert_eq!(b[2].context & context::NAV, 0);
        assert_ne!(b[3].context & context::FOOTER, 0);
    }

    #[test]
    fn implied_paragraph_ends_and_stray_end_tags() {
        let page = parse_html("<div><p>One<p>Two</span></div></div></p><p>Three");
        assert_eq!(texts(&page), ["One", "Two", "Three"]);
        assert_eq!(page.blocks[2].depth, 1);
    }

    #[test]
    fn metadata_from_the_head() {
        let page = parse_html(
            r#"<head><title> Page | Site </title><meta property="og:title" content="Page">
            <meta name="author" content="A. Writer"><meta property="article:published_time"
            content="2025-01-02"><link rel="canonical" href="https://example.org/a"></head>"#,
        );
        assert_eq!(
            page.meta,
            PageMeta {
                title: Some("Page".into()),
                author: Some("A. Writer".into()),
                date: Some("2025-01-02".into()),
                url: Some("https://example.org/a".into()),
                language: None,
            }
        );
    }

    #[test]
    fn deep_nesting_is_linear_and_does_not_overflow() {
        let depth = 100_000;
        let html = format!(
            "{}text{}",
            "<div><span>".repeat(depth),
            "</b>".repeat(depth)
        );
        let page = parse_html(&html);
        assert_eq!(texts(&page), ["text"]);
        assert_eq!(page.blocks[0].depth, 2 * depth);
    }

    #[test]
    fn inline_marks_are_recorded_only_for_markdown_and_split_at_block_boundaries() {
        let html = "<p>See <a href='/x'>the <em>map</em><div>and the table</div></a> below</p>\
                    <p><b>Unclosed bold <i>and italic";
        assert!(parse_html(html).blocks.iter().all(|b| b.inline.is_empty()));
        let page = parse_html_for_markdown(html);
        assert_eq!(
            texts(&page),
            [
                "See the map",
                "and the table",
                "below",
                "Unclosed bold and italic"
            ]
        );
        let marks = |i: usize| -> Vec<(&str, InlineKind)> {
            let block = &page.blocks[i];
            block
                .inline
                .iter()
                .map(|m| (&block.text[m.range.clone()], m.kind.clone()))
                .collect()
        };
        let link = InlineKind::Link("/x".into());
        assert_eq!(
            marks(0),
            [("map", InlineKind::Emphasis), ("the map", link.clone())]
        );
        assert_eq!(marks(1), [("and the table", link)]);
        assert!(marks(2).is_empty());
        assert_eq!(
            marks(3),
            [
                ("and italic", InlineKind::Emphasis),
                ("Unclosed bold and italic", InlineKind::Strong)
            ]
        );
    }

    #[test]
    fn unclosed_inline_tags_stay_linear_with_marks() {
        let html = format!("{}{}", "<b>".repeat(50_000), "<p>x</p>".repeat(50_000));
        let page = parse_html_for_markdown(&html);
        assert_eq!(page.blocks.len(), 50_000);
        assert!(page.blocks.iter().all(|b| b.inline.len() <= MAX_OPEN_MARKS));
    }

    #[test]
    fn class_names_of_comments_teasers_and_captions_mark_everything_below() {
        let page = parse_html(
            "<section id='comments'><div><div><div><div><div><div><p>Deep reply</p>\
             </div></div></div></div></div></div></section>\
             <ul class='c-related-posts'><li>Teaser</li></ul>\
             <figure><span class='img__Credit'>Photo: AP</span></figure>\
             <p class='commentary'>Not a comment box</p>",
        );
        let bits = |i: usize| page.blocks[i].context;
        assert_ne!(bits(0) & context::COMMENTS_MARKUP, 0);
        assert_ne!(bits(1) & context::RELATED_MARKUP, 0);
        assert_ne!(bits(2) & context::ASIDE_MARKUP, 0);
        assert_ne!(bits(2) & context::CAPTION, 0);
        let hints = context::COMMENTS_MARKUP | context::RELATED_MARKUP | context::ASIDE_MARKUP;
        assert_eq!(bits(3) & hints, 0);
    }
}
