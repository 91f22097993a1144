//! The bridge from html5gum's tokenizer to [`PageBuilder`]: an [`Emitter`] that keeps only
//! what block extraction reads.
//!
//! html5gum's ready-made emitters build tokens (or callback events) for everything: every
//! attribute value, every comment, the doctype, and a parse error check on every input byte.
//! On real pages most bytes are attribute values nobody here reads (`href`, `src`, `srcset`,
//! `data-*`, inline JSON), scripts and styles. So this emitter:
//!
//! - reports no parse errors ([`Emitter::should_emit_errors`] is false), which turns off the
//!   tokenizer's per-byte character validation;
//! - decides once an attribute's name is complete whether its value matters
//!   ([`PageBuilder::wants_attribute`]) and drops the bytes of those that do not;
//! - drops text while the builder skips content (inside `script`, `style`, hidden elements);
//! - ignores comments and doctypes.
//!
//! It switches the tokenizer into raw-text states after `script`, `style`, `title` and the like
//! the way a tree builder would ([`naive_next_state`]), so a `<p>` inside a script is script.

use std::convert::Infallible;

use html5gum::{naive_next_state, Emitter, Error, State};

use super::PageBuilder;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TagKind {
    None,
    Start,
    End,
}

/// Feeds one page's tokens into a [`PageBuilder`].
pub(super) struct PageEmitter<'b> {
    builder: &'b mut PageBuilder,
    tag: TagKind,
    tag_name: Vec<u8>,
    self_closing: bool,
    /// The last start tag's name: the end tag that leaves a raw-text state must match it.
    last_start_tag: Vec<u8>,
    attribute_name: Vec<u8>,
    attribute_value: Vec<u8>,
    /// Whether the current attribute's value is kept; decided at its first value byte.
    keep_value: Option<bool>,
    text: Vec<u8>,
}

impl<'b> PageEmitter<'b> {
    pub(super) fn new(builder: &'b mut PageBuilder) -> Self {
        PageEmitter {
            builder,
            tag: TagKind::None,
            tag_name: Vec::new(),
            self_closing: false,
            last_start_tag: Vec::new(),
            attribute_name: Vec::new(),
            attribute_value: Vec::new(),
            keep_value: None,
            text: Vec::new(),
        }
    }

    fn flush_text(&mut self) {
        if !self.text.is_empty() {
            self.builder.on_text(&self.text);
            self.text.clear();
        }
    }

    fn finish_attribute(&mut self) {
        if self.tag == TagKind::Start && !self.attribute_name.is_empty() {
            self.builder
                .on_attribute(&self.tag_name, &self.attribute_name, &self.attribute_value);
        }
        self.attribute_name.clear();
        self.attribute_value.clear();
        self.keep_value = None;
    }
}

impl Emitter for PageEmitter<'_> {
    type Token = Infallible;

    fn set_last_start_tag(&mut self, last_start_tag: Option<&[u8]>) {
        self.last_start_tag.clear();
        self.last_start_tag
            .extend_from_slice(last_start_tag.unwrap_or_default());
    }

    fn emit_eof(&mut self) {
        self.flush_text();
    }

    fn emit_error(&mut self, _: Error) {}

    #[inline]
    fn should_emit_errors(&mut self) -> bool {
        false
    }

    fn pop_token(&mut self) -> Option<Infallible> {
        None
    }

    fn emit_string(&mut self, s: &[u8]) {
        if !self.builder.discards_text() {
            self.text.extend_from_slice(s);
        }
    }

    fn init_start_tag(&mut self) {
        self.tag = TagKind::Start;
        self.tag_name.clear();
        self.self_closing = false;
        self.builder.begin_start_tag();
    }

    fn init_end_tag(&mut self) {
        self.tag = TagKind::End;
        self.tag_name.clear();
    }

    fn init_comment(&mut self) {}

    fn emit_current_tag(&mut self) -> Option<State> {
        self.finish_attribute();
        // Text before the tag belongs to the blocks as they were before it.
        self.flush_text();
        let next = match self.tag {
            TagKind::Start => {
                self.builder.on_start_tag(&self.tag_name, self.self_closing);
                self.last_start_tag.clear();
                self.last_start_tag.extend_from_slice(&self.tag_name);
                naive_next_state(&self.tag_name)
            }
            TagKind::End => {
                self.builder.on_end_tag(&self.tag_name);
                self.last_start_tag.clear();
                None
            }
            TagKind::None => None,
        };
        self.tag = TagKind::None;
        next
    }

    fn emit_current_comment(&mut self) {}

    fn emit_current_doctype(&mut self) {}

    fn set_self_closing(&mut self) {
        if self.tag == TagKind::Start {
            self.self_closing = true;
        }
    }

    fn set_force_quirks(&mut self) {}

    fn push_tag_name(&mut self, s: &[u8]) {
        self.tag_name.extend_from_slice(s);
    }

    fn push_comment(&mut self, _: &[u8]) {}

    fn push_doctype_name(&mut self, _: &[u8]) {}

    fn init_doctype(&mut self) {}

    fn init_attribute(&mut self) {
        self.finish_attribute();
    }

    fn push_attribute_name(&mut self, s: &[u8]) {
        self.attribute_name.extend_from_slice(s);
    }

    fn push_attribute_value(&mut self, s: &[u8]) {
        let keep = *self.keep_value.get_or_insert_with(|| {
            self.tag == TagKind::Start
                && self
                    .builder
                    .wants_attribute(&self.tag_name, &self.attribute_name)
        });
        if keep {
            self.attribute_value.extend_from_slice(s);
        }
    }

    fn set_doctype_public_identifier(&mut self, _: &[u8]) {}

    fn set_doctype_system_identifier(&mut self, _: &[u8]) {}

    fn push_doctype_public_identifier(&mut self, _: &[u8]) {}

    fn push_doctype_system_identifier(&mut self, _: &[u8]) {}

    fn current_is_appropriate_end_tag_token(&mut self) -> bool {
        self.tag == TagKind::End
            && !self.last_start_tag.is_empty()
            && self.last_start_tag == self.tag_name
    }
}
