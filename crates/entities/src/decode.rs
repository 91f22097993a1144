//! Greedy left-to-right decoding of a document, shared by the tagger and the trainer.
//!
//! The tagger takes the best tag of each token in turn, with the two previous tags and the
//! labels it gave earlier mentions of the same word in the document as features. Greedy
//! decoding costs one row lookup per feature per token and nothing per tag pair, which is
//! what makes the stage fast; the document history recovers most of what a global decoder
//! would add (Ratinov & Roth 2009 found greedy with history as good as Viterbi for NER).

use std::ops::Range;
use std::sync::OnceLock;

use crate::features::{
    doc_case, extract, flag, mark_sentence, FeatureBuf, History, PrehashedMap, TokenFeatures,
};
use crate::model::Model;
use crate::tags::{Tag, NUM_TAGS};

/// The tokens of a document, summarised and annotated, ready to decode.
#[derive(Debug, Clone, Default)]
pub struct DocumentFeatures {
    /// Every token of the document in order.
    pub tokens: Vec<TokenFeatures>,
    /// Each sentence's token range.
    pub sentences: Vec<Range<usize>>,
}

impl DocumentFeatures {
    /// Clears the document for reuse, keeping its buffers.
    pub fn clear(&mut self) {
        self.tokens.clear();
        self.sentences.clear();
    }

    /// Appends one sentence.
    pub fn push_sentence<'a>(&mut self, words: impl IntoIterator<Item = &'a str>) {
        let start = self.tokens.len();
        self.tokens.extend(words.into_iter().map(TokenFeatures::of));
        let range = start..self.tokens.len();
        mark_sentence(&mut self.tokens[range.clone()]);
        self.sentences.push(range);
    }

    /// Looks up the model's tables and the document's own evidence for every token. Call
    /// once after the last sentence is pushed.
    pub fn annotate(
        &mut self,
        lexicon: &crate::lexicon::Lexicon,
        words: &crate::word_tables::WordTables,
    ) {
        for range in &self.sentences {
            lexicon.annotate(&mut self.tokens[range.clone()]);
        }
        words.annotate(&mut self.tokens);
        self.annotate_document_case();
        self.annotate_register();
    }

    /// Marks every token of a document written in the first or second person (more than one
    /// token in forty is "I", "you", "my", ...): web text, e-mail and reviews, as opposed to
    /// news reports, which use them only in quotes.
    fn annotate_register(&mut self) {
        static PERSONAL: OnceLock<Vec<u64>> = OnceLock::new();
        let personal = PERSONAL.get_or_init(|| {
            ["i", "you", "my", "me", "your", "we", "our", "'m", "i'm"]
                .iter()
                .map(|w| TokenFeatures::of(w).lower)
                .collect()
        });
        let count = self
            .tokens
            .iter()
            .filter(|t| personal.contains(&t.lower))
            .count();
        if count * 40 > self.tokens.len() {
            for token in &mut self.tokens {
                token.flags |= flag::INFORMAL;
            }
        }
    }

    /// How each word is written elsewhere in the document: a capitalized sentence-initial
    /// word that also appears capitalized mid-sentence is likely a name.
    fn annotate_document_case(&mut self) {
        let mut seen: PrehashedMap<u8> = PrehashedMap::default();
        for token in &self.tokens {
            let headline = token.flags & (flag::CAPS_SENTENCE | flag::FIRST) != 0;
            let mut bits = 0;
            if token.flags & flag::LOWER != 0 {
                bits |= doc_case::LOWERCASE;
            } else if token.is_capitalized() && !headline {
                bits |= doc_case::CAPITALIZED_INSIDE;
            }
            if bits != 0 {
                *seen.entry(token.lower).or_default() |= bits;
            }
        }
        for token in &mut self.tokens {
            token.doc_case = seen.get(&token.lower).copied().unwrap_or(0);
        }
    }
}

/// Chooses the tag of each position; the trainer's implementation also learns from it.
pub trait Chooser {
    /// The tag of document position `position`, given its features and the previous tag.
    fn choose(&mut self, position: usize, features: &FeatureBuf, previous: Tag) -> Tag;
}

/// Decodes `doc` greedily, writing one tag per token into `tags`.
pub fn decode(
    doc: &DocumentFeatures,
    chooser: &mut impl Chooser,
    history: &mut PrehashedMap<History>,
    tags: &mut Vec<Tag>,
) {
    tags.clear();
    tags.resize(doc.tokens.len(), Tag::O);
    history.clear();
    let mut features = FeatureBuf::default();
    for range in &doc.sentences {
        let sentence = &doc.tokens[range.clone()];
        let mut previous = [Tag::O; 2];
        for (i, token) in sentence.iter().enumerate() {
            let seen = history.get(&token.lower).copied();
            extract(sentence, i, previous, seen, &mut features);
            let tag = chooser.choose(range.start + i, &features, previous[0]);
            tags[range.start + i] = tag;
            // Only words that can be names feed the history; "the" tagged O says nothing, nor
            // does a capitalized first word tagged O ("However", but also a missed "Miramar ?"
            // title line that would otherwise talk every later "Miramar" out of being a name).
            let first_and_o = token.flags & flag::FIRST != 0 && tag == Tag::O;
            if token.flags & (flag::INIT_CAP | flag::ALL_CAPS) != 0 && !first_and_o {
                history.entry(token.lower).or_default().record(tag);
            }
            previous = [tag, previous[0]];
        }
    }
}

/// Picks the best-scoring tag with a trained model, keeping each token's confidence.
pub struct ModelChooser<'m> {
    model: &'m Model,
    /// Softmax probability of the chosen tag, per position.
    pub confidences: Vec<f32>,
}

impl<'m> ModelChooser<'m> {
    /// A chooser over `model`.
    pub fn new(model: &'m Model) -> Self {
        ModelChooser {
            model,
            confidences: Vec::new(),
        }
    }
}

impl Chooser for ModelChooser<'_> {
    fn choose(&mut self, position: usize, features: &FeatureBuf, previous: Tag) -> Tag {
        let scores = crate::features::score(self.model, features);
        let tag = crate::features::best_tag(&scores, previous);
        // The softmax mass of the chosen label (its `B-` and `I-` tags together) among the
        // tags that may follow the previous one: a forbidden `I-` tag can outscore every
        // allowed one, and counting it would call a sure mention a doubtful one. Perceptron
        // scores are margins, so this ranks confidence more than it gives a calibrated chance.
        let allowed = |n: usize| Tag(n as u8).may_follow(previous);
        let top = (0..NUM_TAGS)
            .filter(|&n| allowed(n))
            .fold(f32::NEG_INFINITY, |m, n| m.max(scores[n]));
        let (mut label_mass, mut total) = (0f32, 0f32);
        for (n, &s) in scores.iter().enumerate().filter(|&(n, _)| allowed(n)) {
            let mass = (s - top).exp();
            total += mass;
            if Tag(n as u8).label() == tag.label() {
                label_mass += mass;
            }
        }
        let confidence = label_mass / total.max(f32::MIN_POSITIVE);
        if self.confidences.len() <= position {
            self.confidences.resize(position + 1, 0.0);
        }
        self.confidences[position] = confidence;
        tag
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lexicon::Lexicon;
    use crate::tags::Label;
    use crate::word_tables::WordTables;

    #[test]
    fn confidence_ignores_tags_that_could_not_follow() {
        // Every row favours I-ORG, which cannot follow O, then B-LOC.
        let mut row = [0f32; NUM_TAGS];
        row[Tag::inside(Label::Org).0 as usize] = 10.0;
        row[Tag::begin(Label::Loc).0 as usize] = 5.0;
        let weights: Vec<f32> = (0..1 << 4).flat_map(|_| row).collect();
        let model = Model::from_weights(4, &weights, Lexicon::new(), WordTables::default());
        let mut features = FeatureBuf::default();
        features.push(1, 0);
        let mut chooser = ModelChooser::new(&model);
        let tag = chooser.choose(0, &features, Tag::O);
        assert_eq!(tag, Tag::begin(Label::Loc));
        assert!(chooser.confidences[0] > 0.9, "{:?}", chooser.confidences);
    }
}
