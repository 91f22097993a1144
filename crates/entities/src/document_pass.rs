//! Corrections made after a whole document is tagged, over its tag sequence.
//!
//! The tagger decides token by token with features of what came before, so a name it tagged
//! confidently in one sentence can get another label, or none, a few sentences later: a
//! club called after its city reads as `ORG` in the standings and `LOC` in the report, a
//! surname alone loses its person. Two passes fix what the model's own document features
//! miss:
//!
//! - **Consistency** ([`DocumentPass::consistency`]): a mention the model labelled with a
//!   confidence of at least [`DocumentPass::min_confidence`] makes every exact occurrence of
//!   the same token sequence in the document a mention of that label, relabelling a mention
//!   with the same span and tagging an occurrence the model left untagged. An occurrence that
//!   overlaps a mention of another span is left alone (the model saw a longer or shorter name
//!   there), and a string the document gives two confident labels is not spread at all. A
//!   confident person's name of two or more capitalized tokens also makes later occurrences
//!   of its last token alone (the surname) a person.
//! - **All-caps sentences** ([`DocumentPass::caps_min_confidence`]): in a sentence whose
//!   cased words are all upper case (headlines, standings headers, scorecards), case says
//!   nothing about names, and the model's guesses there are the least reliable; mentions
//!   below the threshold are dropped.
//!
//! Consistency spreads only names whose first word is capitalized: in a script without
//! case (Chinese, tagged per character) an equal run of characters need not be the same
//! word.
//!
//! Both passes look tokens up by their hashed exact form ([`TokenFeatures::word`]), so they
//! allocate only a table per document and take time linear in it: every position is tried
//! against at most [`MAX_TOKENS`] lengths.

use std::ops::Range;

use crate::decode::DocumentFeatures;
use crate::features::{flag, PrehashedMap, TokenFeatures};
use crate::tags::{entities_of, Label, Tag};

/// Mentions longer than this many tokens are not spread (long names recur verbatim rarely,
/// and the bound keeps the lookup per position constant).
pub const MAX_TOKENS: usize = 6;

/// Which document-level corrections run, and their thresholds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DocumentPass {
    /// Spread confident labels to the other exact occurrences of the same string.
    pub consistency: bool,
    /// The mean token confidence a mention needs to be spread.
    pub min_confidence: f32,
    /// Mentions in all-caps sentences with a lower confidence are dropped (0 keeps all).
    pub caps_min_confidence: f32,
}

impl Default for DocumentPass {
    /// What the `entities` stage does unless configured otherwise.
    fn default() -> Self {
        DocumentPass {
            consistency: true,
            min_confidence: 0.9,
            caps_min_confidence: 0.0,
        }
    }
}

impl DocumentPass {
    /// No correction: the model's tags as decoded.
    pub const OFF: DocumentPass = DocumentPass {
        consistency: false,
        min_confidence: 1.0,
        caps_min_confidence: 0.0,
    };

    /// Corrects `tags` (one per token of `doc`, as decoded) in place;
    /// `confidences` of tokens given a new label take the confidence of the mention it came
    /// from.
    pub fn apply(&self, doc: &DocumentFeatures, tags: &mut [Tag], confidences: &mut [f32]) {
        if self.consistency {
            spread_confident_labels(doc, tags, confidences, self.min_confidence);
        }
        if self.caps_min_confidence > 0.0 {
            for range in &doc.sentences {
                if is_all_caps(&doc.tokens[range.clone()]) {
                    drop_unconfident(
                        &mut tags[range.clone()],
                        &confidences[range.clone()],
                        self.caps_min_confidence,
                    );
                }
            }
        }
    }
}

/// Whether every cased word of the sentence is upper case (and there is one).
pub fn is_all_caps(sentence: &[TokenFeatures]) -> bool {
    let mut caps = 0;
    for token in sentence {
        if token.flags & flag::ALL_CAPS != 0 {
            caps += 1;
        } else if token.flags & (flag::LOWER | flag::INIT_CAP) != 0 {
            return false;
        }
    }
    caps > 0
}

fn mean(values: &[f32]) -> f32 {
    values.iter().sum::<f32>() / values.len().max(1) as f32
}

fn drop_unconfident(tags: &mut [Tag], confidences: &[f32], threshold: f32) {
    for entity in entities_of(tags) {
        if mean(&confidences[entity.start..entity.end]) < threshold {
            tags[entity.start..entity.end].fill(Tag::O);
        }
    }
}

/// A string's label, `None` once two confident mentions disagree.
#[derive(Debug, Clone, Copy)]
struct Known {
    label: Option<Label>,
    confidence: f32,
    /// Surname entries apply only after this token (the end of the full name's first mention).
    after: usize,
}

fn sequence_key(tokens: &[TokenFeatures]) -> u64 {
    tokens.iter().fold(0xcbf2_9ce4_8422_2325u64, |key, t| {
        (key.rotate_left(23) ^ t.word).wrapping_mul(0x9E37_79B9_7F4A_7C15)
    })
}

fn remember(
    table: &mut PrehashedMap<Known>,
    key: u64,
    label: Label,
    confidence: f32,
    after: usize,
) {
    table
        .entry(key)
        .and_modify(|known| {
            if known.label != Some(label) {
                known.label = None;
            }
            known.confidence = known.confidence.max(confidence);
            known.after = known.after.min(after);
        })
        .or_insert(Known {
            label: Some(label),
            confidence,
            after,
        });
}

fn spread_confident_labels(
    doc: &DocumentFeatures,
    tags: &mut [Tag],
    confidences: &mut [f32],
    min_confidence: f32,
) {
    // Exact strings, and surnames apart because they apply only after the full name. The
    // keys are already hashes, and every token of the document is looked up here at least
    // once, so the tables do not hash them again.
    let mut strings: PrehashedMap<Known> = PrehashedMap::default();
    let mut surnames: PrehashedMap<Known> = PrehashedMap::default();
    // Bit `n - 1` of a first word's entry: some known string of `n` tokens starts with it.
    let mut lengths: PrehashedMap<u8> = PrehashedMap::default();
    for range in &doc.sentences {
        for entity in entities_of(&tags[range.clone()]) {
            let span = range.start + entity.start..range.start + entity.end;
            let length = span.len();
            let confidence = mean(&confidences[span.clone()]);
            let tokens = &doc.tokens[span.clone()];
            // Only names written with capitals: in scripts without case (Chinese is tagged
            // per character) an equal string of characters need not be the same word.
            let cased = tokens[0].flags & (flag::INIT_CAP | flag::ALL_CAPS) != 0;
            if length > MAX_TOKENS || confidence < min_confidence || !cased {
                continue;
            }
            remember(
                &mut strings,
                sequence_key(tokens),
                entity.label,
                confidence,
                0,
            );
            *lengths.entry(tokens[0].word).or_default() |= 1 << (length - 1);
            let capitalized = tokens.iter().all(|t| t.flags & flag::INIT_CAP != 0);
            if entity.label == Label::Per && length >= 2 && capitalized {
                let surname = &tokens[length - 1..];
                remember(
                    &mut surnames,
                    sequence_key(surname),
                    Label::Per,
                    confidence,
                    span.end,
                );
            }
        }
    }
    if strings.is_empty() {
        return;
    }
    for range in &doc.sentences {
        let mut i = range.start;
        while i < range.end {
            i += spread_at(
                doc,
                range,
                i,
                tags,
                confidences,
                &strings,
                &surnames,
                &lengths,
            )
            .max(1);
        }
    }
}

/// Applies the longest known string starting at token `i`; returns how many tokens it
/// covered (0 when none applied).
#[allow(clippy::too_many_arguments)]
fn spread_at(
    doc: &DocumentFeatures,
    sentence: &Range<usize>,
    i: usize,
    tags: &mut [Tag],
    confidences: &mut [f32],
    strings: &PrehashedMap<Known>,
    surnames: &PrehashedMap<Known>,
    lengths: &PrehashedMap<u8>,
) -> usize {
    let word = doc.tokens[i].word;
    let string_lengths = lengths.get(&word).copied().unwrap_or(0);
    // Most positions start no known string of most lengths: only the lengths some string of
    // this first word has, and a single token (which may be a surname), are looked up,
    // longest first, taken from a bit set rather than tried one length after another.
    let fits = (1u32 << MAX_TOKENS.min(sentence.end - i)) - 1;
    let mut candidates = (string_lengths as u32 | 1) & fits;
    while candidates != 0 {
        let length = (u32::BITS - candidates.leading_zeros()) as usize;
        candidates &= !(1 << (length - 1));
        let listed = string_lengths & (1 << (length - 1)) != 0;
        if !listed && surnames.is_empty() {
            continue;
        }
        let key = sequence_key(&doc.tokens[i..i + length]);
        let mut known = None;
        if listed {
            known = strings.get(&key).copied();
        }
        if known.is_none() && length == 1 {
            known = surnames
                .get(&key)
                .filter(|k| i >= k.after && !strings.contains_key(&key))
                .copied();
        }
        let Some(Known {
            label: Some(label),
            confidence,
            ..
        }) = known
        else {
            continue;
        };
        if relabel(
            sentence,
            i..i + length,
            label,
            confidence,
            tags,
            confidences,
        ) {
            return length;
        }
    }
    0
}

/// Makes tokens `span` one mention of `label` when they are exactly one mention now or all
/// untagged (and the next token does not continue a mention into them); false otherwise.
fn relabel(
    sentence: &Range<usize>,
    span: Range<usize>,
    label: Label,
    confidence: f32,
    tags: &mut [Tag],
    confidences: &mut [f32],
) -> bool {
    let starts_here = !tags[span.start].is_inside() && tags[span.start].label().is_some();
    let one_mention = starts_here
        && tags[span.start + 1..span.end]
            .iter()
            .all(|t| t.is_inside() && t.label() == tags[span.start].label());
    let untagged = tags[span.clone()].iter().all(|&t| t == Tag::O);
    let next_continues = span.end < sentence.end && tags[span.end].is_inside();
    if next_continues || !(one_mention || untagged) {
        return false;
    }
    if one_mention && tags[span.start].label() == Some(label) {
        return true;
    }
    tags[span.start] = Tag::begin(label);
    tags[span.start + 1..span.end].fill(Tag::inside(label));
    confidences[span].fill(confidence);
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Tags a document given as sentences of `word/TAG@confidence` items (`O` without one).
    fn run(pass: DocumentPass, sentences: &[&str]) -> Vec<String> {
        let mut doc = DocumentFeatures::default();
        let (mut tags, mut confidences) = (Vec::new(), Vec::new());
        let mut words = Vec::new();
        for sentence in sentences {
            let items: Vec<&str> = sentence.split(' ').collect();
            let mut forms = Vec::new();
            for item in &items {
                let (form, rest) = item.split_once('/').unwrap_or((item, "O@1"));
                let (tag, confidence) = rest.split_once('@').unwrap_or((rest, "1"));
                forms.push(form);
                words.push(form.to_string());
                tags.push(Tag::parse(tag));
                confidences.push(confidence.parse::<f32>().unwrap());
            }
            doc.push_sentence(forms);
        }
        pass.apply(&doc, &mut tags, &mut confidences);
        doc.sentences
            .iter()
            .map(|range| {
                range
                    .clone()
                    .map(|i| format!("{}/{}", words[i], tags[i].name()))
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect()
    }

    const ON: DocumentPass = DocumentPass {
        consistency: true,
        min_confidence: 0.9,
        caps_min_confidence: 0.0,
    };

    #[test]
    fn a_confident_label_reaches_other_and_untagged_occurrences() {
        let out = run(
            ON,
            &[
                "Leeds/B-ORG@0.95 beat Everton/B-ORG@0.97 .",
                "In Leeds/B-LOC@0.6 , fans of Everton cheered .",
            ],
        );
        assert_eq!(
            out[1],
            "In/O Leeds/B-ORG ,/O fans/O of/O Everton/B-ORG cheered/O ./O"
        );
    }

    #[test]
    fn the_confidence_of_untagged_tokens_is_never_read() {
        // The decoders skip computing it (see `decode::UNREAD_CONFIDENCE`).
        let document = |untagged: &str| {
            [
                "Leeds/B-ORG@0.95 beat Everton/B-ORG@0.97 .",
                "In Leeds/B-LOC@0.6 , fans of Everton/O@X cheered .",
                "LEEDS/B-ORG@0.5 WIN/O@X",
            ]
            .map(|s| s.replace('X', untagged))
        };
        for pass in [
            ON,
            DocumentPass {
                caps_min_confidence: 0.4,
                ..ON
            },
        ] {
            let low = document("0");
            let high = document("1");
            let low: Vec<&str> = low.iter().map(String::as_str).collect();
            let high: Vec<&str> = high.iter().map(String::as_str).collect();
            assert_eq!(run(pass, &low), run(pass, &high));
        }
    }

    #[test]
    fn unconfident_or_disputed_strings_are_not_spread() {
        let out = run(
            ON,
            &[
                "Jordan/B-PER@0.8 said .",
                "Jordan/B-LOC@0.95 and Jordan/B-PER@0.95 .",
                "Jordan left Paris/B-LOC@0.5 for Paris .",
            ],
        );
        assert_eq!(out[2], "Jordan/O left/O Paris/B-LOC for/O Paris/O ./O");
    }

    #[test]
    fn overlapping_mentions_are_left_alone() {
        let out = run(
            ON,
            &[
                "New/B-LOC@0.95 York/I-LOC@0.95 is big .",
                "The New/B-ORG@0.7 York/I-ORG@0.7 Knicks/I-ORG@0.7 won .",
            ],
        );
        assert_eq!(out[1], "The/O New/B-ORG York/I-ORG Knicks/I-ORG won/O ./O");
    }

    #[test]
    fn a_surname_after_the_full_name_is_the_person() {
        let out = run(
            ON,
            &[
                "Smith said .",
                "John/B-PER@0.95 Smith/I-PER@0.95 arrived .",
                "Smith/B-ORG@0.5 left , then Smith waved .",
            ],
        );
        assert_eq!(out[0], "Smith/O said/O ./O");
        assert_eq!(
            out[2],
            "Smith/B-PER left/O ,/O then/O Smith/B-PER waved/O ./O"
        );
    }

    #[test]
    fn strings_without_capitals_are_not_spread() {
        let out = run(ON, &["北/B-LOC@0.95 京/I-LOC@0.95 大 。", "北 京 人 。"]);
        assert_eq!(out[1], "北/O 京/O 人/O 。/O");
    }

    #[test]
    fn switched_off_changes_nothing() {
        let sentences = ["Leeds/B-ORG@0.95 won .", "Leeds lost ."];
        assert_eq!(run(DocumentPass::OFF, &sentences)[1], "Leeds/O lost/O ./O");
    }

    #[test]
    fn unconfident_mentions_in_all_caps_sentences_are_dropped() {
        let pass = DocumentPass {
            caps_min_confidence: 0.8,
            ..DocumentPass::OFF
        };
        let out = run(
            pass,
            &[
                "EASTERN/B-MISC@0.5 CONFERENCE/I-MISC@0.5",
                "NEW/B-LOC@0.9 YORK/I-LOC@0.9 3 2",
                "Eastern/B-MISC@0.5 Europe/I-MISC@0.5 grew .",
            ],
        );
        assert_eq!(out[0], "EASTERN/O CONFERENCE/O");
        assert_eq!(out[1], "NEW/B-LOC YORK/I-LOC 3/O 2/O");
        assert_eq!(out[2], "Eastern/B-MISC Europe/I-MISC grew/O ./O");
    }
}
