//! [`EntityTagger`]: text in, labelled byte spans out.

use std::cell::RefCell;
use std::sync::Arc;

use textpipe_core::Span;

use crate::decode::{decode_with_model, DocumentFeatures, Lattice};
use crate::document_pass::DocumentPass;
use crate::features::{History, PrehashedMap};
use crate::model::Model;
use crate::tags::{entities_of, Label, Tag};
use crate::tokenize::{tokenize, Token};

/// Document-level features look this far back at most. Long inputs are decoded in blocks of
/// whole sentences this size, which keeps memory flat and time linear for any input length.
const BLOCK_TOKENS: usize = 20_000;

/// A sentence longer than this is cut: features only look two tokens around, and text with
/// no sentence ends (a log file, a table) must not make one giant sentence.
const MAX_SENTENCE_TOKENS: usize = 300;

/// A mention the model found.
#[derive(Debug, Clone, PartialEq)]
pub struct TaggedSpan {
    /// Byte range in the text.
    pub span: Span,
    /// Its label.
    pub label: Label,
    /// Mean probability of the mention's token tags.
    pub confidence: f32,
}

/// Tags text with a trained [`Model`]. Cheap to clone; share one across threads.
#[derive(Debug, Clone)]
pub struct EntityTagger {
    model: Arc<Model>,
    pass: DocumentPass,
    /// Read Serbian Cyrillic letters as the Latin ones the Serbian model learned (see
    /// [`textpipe_core::serbian`]).
    serbian_cyrillic: bool,
}

/// Per-thread buffers, so tagging allocates only when a document is larger than any before.
#[derive(Default)]
struct Scratch {
    tokens: Vec<Token>,
    sentence_ends: Vec<usize>,
    doc: DocumentFeatures,
    history: PrehashedMap<History>,
    tags: Vec<Tag>,
    confidences: Vec<f32>,
    lattice: Lattice,
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

impl EntityTagger {
    /// A tagger over the model embedded in the crate.
    pub fn embedded() -> Self {
        EntityTagger::new(Model::embedded())
    }

    /// A tagger over `model`.
    pub fn new(model: Arc<Model>) -> Self {
        EntityTagger {
            model,
            pass: DocumentPass::default(),
            serbian_cyrillic: false,
        }
    }

    /// The same tagger reading text in Serbian Cyrillic letters: every token is read in
    /// the Latin letters the Serbian model learned ([`textpipe_core::serbian::to_latin`]), and the
    /// spans stay on the text's own bytes.
    pub fn reading_serbian_cyrillic(mut self, yes: bool) -> Self {
        self.serbian_cyrillic = yes;
        self
    }

    /// The same tagger with other document-level corrections (see [`DocumentPass`]).
    pub fn with_document_pass(mut self, pass: DocumentPass) -> Self {
        self.pass = pass;
        self
    }

    /// The model.
    pub fn model(&self) -> &Model {
        &self.model
    }

    /// Tags `text`. `sentences` are the document's sentence spans when a sentence stage ran
    /// (tokens are grouped by them); otherwise sentences are found from punctuation and line
    /// breaks. Mentions come out sorted and disjoint.
    ///
    /// ```
    /// use textpipe_entities::{EntityTagger, Label};
    /// let text = "Protesters attacked the US embassy in Baghdad on Tuesday.";
    /// let found = EntityTagger::embedded().tag(text, None);
    /// let baghdad = found.iter().find(|m| &text[m.span.start..m.span.end] == "Baghdad");
    /// assert_eq!(baghdad.map(|m| m.label), Some(Label::Loc));
    /// ```
    pub fn tag(&self, text: &str, sentences: Option<&[Span]>) -> Vec<TaggedSpan> {
        SCRATCH.with(|scratch| {
            let mut scratch = scratch.borrow_mut();
            self.tag_with(text, sentences, &mut scratch)
        })
    }

    fn tag_with(
        &self,
        text: &str,
        sentences: Option<&[Span]>,
        scratch: &mut Scratch,
    ) -> Vec<TaggedSpan> {
        let Scratch {
            tokens,
            sentence_ends,
            ..
        } = scratch;
        tokenize(text, tokens);
        sentence_ends.clear();
        match sentences {
            Some(spans) if !spans.is_empty() => group_by_spans(tokens, spans, sentence_ends),
            _ => group_by_punctuation(text, tokens, sentence_ends),
        }
        let mut found = Vec::new();
        let mut block_start_sentence = 0;
        let mut token_start = 0;
        for n in 0..scratch.sentence_ends.len() {
            let end = scratch.sentence_ends[n];
            let last = n + 1 == scratch.sentence_ends.len();
            if end - token_start >= BLOCK_TOKENS || last {
                let block = block_start_sentence..n + 1;
                self.tag_block(text, scratch, block, token_start, &mut found);
                block_start_sentence = n + 1;
                token_start = end;
            }
        }
        found
    }

    /// Decodes the sentences `block` (indices into `sentence_ends`) whose first token is
    /// `first_token`, appending mentions to `found`.
    fn tag_block(
        &self,
        text: &str,
        scratch: &mut Scratch,
        block: std::ops::Range<usize>,
        first_token: usize,
        found: &mut Vec<TaggedSpan>,
    ) {
        let Scratch {
            tokens,
            sentence_ends,
            doc,
            history,
            tags,
            confidences,
            lattice,
        } = scratch;
        doc.clear();
        doc.keep_stems(&self.model.lexicon);
        // The block's tokens are known: one allocation, where growing by doubling copied
        // the summaries of a long first document several times over.
        let block_end = sentence_ends[block.end - 1];
        doc.tokens.reserve(block_end - first_token);
        let mut start = first_token;
        for &end in &sentence_ends[block] {
            let words = tokens[start..end].iter().map(|t| t.text(text));
            if self.serbian_cyrillic {
                doc.push_sentence(words.map(textpipe_core::serbian::to_latin));
            } else {
                doc.push_sentence(words);
            }
            start = end;
        }
        doc.annotate(&self.model.lexicon, self.model.word_tables());
        self.model.feature_groups().annotate(doc);
        decode_with_model(doc, &self.model, history, lattice, tags, confidences);
        let block_tokens = &tokens[first_token..start];
        self.pass.apply(doc, tags, confidences);
        for range in &doc.sentences {
            for entity in entities_of(&tags[range.clone()]) {
                let (first, last) = (range.start + entity.start, range.start + entity.end);
                let confidence =
                    confidences[first..last].iter().sum::<f32>() / (last - first) as f32;
                found.push(TaggedSpan {
                    span: Span::new(block_tokens[first].start, block_tokens[last - 1].end),
                    label: entity.label,
                    confidence,
                });
            }
        }
    }
}

/// Sentence ends (token indices, exclusive) from the document's sentence layer: a token
/// belongs to the sentence its first byte falls in.
fn group_by_spans(tokens: &[Token], spans: &[Span], ends: &mut Vec<usize>) {
    let mut sentence = 0;
    let mut length = 0;
    for (i, token) in tokens.iter().enumerate() {
        let mut moved = false;
        while sentence < spans.len() && token.start >= spans[sentence].end {
            sentence += 1;
            moved = true;
        }
        if (moved && i > 0) || length >= MAX_SENTENCE_TOKENS {
            push_end(ends, i);
            length = 0;
        }
        length += 1;
    }
    push_end(ends, tokens.len());
}

/// Sentence ends found from the tokens: after `.`, `!` or `?` (and closing quotes or
/// brackets) before a capitalized word, a digit or an opening quote, and at line breaks.
fn group_by_punctuation(text: &str, tokens: &[Token], ends: &mut Vec<usize>) {
    let mut length = 0;
    for i in 0..tokens.len() {
        length += 1;
        let Some(next) = tokens.get(i + 1) else {
            break;
        };
        let gap = &text[tokens[i].end..next.start];
        let line_break = gap.contains('\n');
        if line_break || length >= MAX_SENTENCE_TOKENS || ends_sentence(text, tokens, i) {
            push_end(ends, i + 1);
            length = 0;
        }
    }
    push_end(ends, tokens.len());
}

fn ends_sentence(text: &str, tokens: &[Token], i: usize) -> bool {
    let word = tokens[i].text(text);
    // Every stop, quote and bracket below starts with one of these bytes (the full-width
    // and typographic ones with E2, E3 or EF), and most tokens, words and ideographs, with
    // none of them.
    if !matches!(
        word.as_bytes()[0],
        b'.' | b'!' | b'?' | b'"' | b'\'' | b')' | b']' | 0xE2 | 0xE3 | 0xEF
    ) {
        return false;
    }
    // Full-width stops end a sentence whatever follows (no case and no space in CJK text),
    // unless a closing quote still belongs to it.
    if matches!(word, "。" | "！" | "？" | "」" | "』" | "”") {
        let next = tokens[i + 1].text(text);
        let previous_stops = i > 0 && matches!(tokens[i - 1].text(text), "。" | "！" | "？");
        let closes = matches!(word, "」" | "』" | "”");
        if (!closes || previous_stops) && !matches!(next, "」" | "』" | "”" | "。" | "！" | "？")
        {
            return true;
        }
    }
    let closing = matches!(word, "\"" | "'" | "”" | "’" | ")" | "]");
    let terminal = |w: &str| w.starts_with(['.', '!', '?']) && w.chars().all(|c| ".!?".contains(c));
    let after_terminal = terminal(word) || (closing && i > 0 && terminal(tokens[i - 1].text(text)));
    if !after_terminal {
        return false;
    }
    let next = tokens[i + 1].text(text);
    let next_closes = matches!(next, "\"" | "'" | "”" | "’" | ")" | "]");
    !next_closes
        && next
            .chars()
            .next()
            .is_some_and(|c| c.is_uppercase() || c.is_numeric() || "\"“‘'(".contains(c))
}

fn push_end(ends: &mut Vec<usize>, end: usize) {
    if ends.last().map_or(end > 0, |&last| end > last) {
        ends.push(end);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sentences(text: &str) -> Vec<String> {
        let mut tokens = Vec::new();
        tokenize(text, &mut tokens);
        let mut ends = Vec::new();
        group_by_punctuation(text, &tokens, &mut ends);
        let mut start = 0;
        ends.iter()
            .map(|&end| {
                let s = text[tokens[start].start..tokens[end - 1].end].to_string();
                start = end;
                s
            })
            .collect()
    }

    #[test]
    fn finds_sentences_without_a_sentence_layer() {
        assert_eq!(
            sentences("He said \"no.\" Then Mr. Smith left the U.S. embassy.\nNew line here"),
            [
                "He said \"no.\"",
                "Then Mr. Smith left the U.S. embassy.",
                "New line here"
            ]
        );
    }

    #[test]
    fn full_width_stops_end_chinese_sentences() {
        assert_eq!(
            sentences("他说：「走吧。」我们走了。北京很大！"),
            ["他说：「走吧。」", "我们走了。", "北京很大！"]
        );
    }

    #[test]
    fn follows_a_sentence_layer() {
        let text = "One two. Three four";
        let mut tokens = Vec::new();
        tokenize(text, &mut tokens);
        let mut ends = Vec::new();
        group_by_spans(&tokens, &[Span::new(0, 8), Span::new(9, 19)], &mut ends);
        assert_eq!(ends, [3, 5]);
    }
}
