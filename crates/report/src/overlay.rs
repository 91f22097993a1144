//! The sentence and entity layers laid over the text as one flat run of segments.
//!
//! HTML needs properly nested tags, a terminal needs colour switches at the right bytes, and
//! both need to survive layers that break the rules (spans outside the text, inside a
//! character, overlapping, unsorted). Resolving all of that once, here, gives each renderer a
//! trivial job: walk [`Segment`]s in order and open or close a sentence or an entity whenever
//! the segment's sentence or entity differs from the previous one.
//!
//! Entities nest inside sentences. The rare entity that crosses a sentence boundary is cut at
//! the boundary and continues in the next segment (a renderer marks the continuation), so the
//! markup stays well nested without losing either layer.

use textpipe_core::{Document, Span};

/// A run of text covered by the same sentence and the same entity (either may be absent).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Segment {
    /// The bytes of `doc.text`, on char boundaries.
    pub span: Span,
    /// Index into `doc.sentences` of the sentence covering these bytes.
    pub sentence: Option<usize>,
    /// Index into `doc.entities` of the entity covering these bytes.
    pub entity: Option<usize>,
}

/// A document's text cut into [`Segment`]s, with the count of spans that could not be shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Overlay {
    /// Segments in text order; together they cover the whole text exactly once.
    pub segments: Vec<Segment>,
    /// Sentence and entity spans left out: invalid for the text, empty, or overlapping an
    /// earlier span of the same layer.
    pub dropped: usize,
}

impl Overlay {
    /// Lays `doc`'s sentences and entities over its text. Never panics, whatever the layers.
    pub fn new(doc: &Document) -> Self {
        let text = &doc.text;
        let sentence_spans = doc.sentence_spans().iter().copied();
        let entity_spans = doc.entities.iter().flatten().map(|e| e.span());
        let (sentences, dropped_sentences) = usable_spans(text, sentence_spans);
        let (entities, dropped_entities) = usable_spans(text, entity_spans);

        let mut cuts: Vec<usize> = vec![0, text.len()];
        for (span, _) in sentences.iter().chain(&entities) {
            cuts.extend([span.start, span.end]);
        }
        cuts.sort_unstable();
        cuts.dedup();

        let mut sentence_cursor = LayerCursor::new(&sentences);
        let mut entity_cursor = LayerCursor::new(&entities);
        let segments = cuts
            .windows(2)
            .map(|pair| Segment {
                span: Span::new(pair[0], pair[1]),
                sentence: sentence_cursor.covering(pair[0]),
                entity: entity_cursor.covering(pair[0]),
            })
            .collect();
        Overlay {
            segments,
            dropped: dropped_sentences + dropped_entities,
        }
    }
}

/// The spans of one layer that can be shown, with their index in the layer, sorted and
/// disjoint; and how many were left out. The first of two overlapping spans wins.
fn usable_spans(text: &str, spans: impl Iterator<Item = Span>) -> (Vec<(Span, usize)>, usize) {
    let mut total = 0;
    let mut valid: Vec<(Span, usize)> = spans
        .enumerate()
        .inspect(|_| total += 1)
        .map(|(index, span)| (span, index))
        .filter(|(span, _)| !span.is_empty() && span.check(text).is_ok())
        .collect();
    valid.sort_unstable();
    let mut kept: Vec<(Span, usize)> = Vec::with_capacity(valid.len());
    for (span, index) in valid {
        let overlaps_previous = kept.last().is_some_and(|(last, _)| span.start < last.end);
        if !overlaps_previous {
            kept.push((span, index));
        }
    }
    let dropped = total - kept.len();
    (kept, dropped)
}

/// Walks a sorted, disjoint layer alongside increasing text positions.
struct LayerCursor<'a> {
    spans: &'a [(Span, usize)],
    next: usize,
}

impl<'a> LayerCursor<'a> {
    fn new(spans: &'a [(Span, usize)]) -> Self {
        LayerCursor { spans, next: 0 }
    }

    /// The layer index of the span covering byte `at`; `at` must not decrease between calls.
    fn covering(&mut self, at: usize) -> Option<usize> {
        while self
            .spans
            .get(self.next)
            .is_some_and(|(span, _)| span.end <= at)
        {
            self.next += 1;
        }
        let (span, index) = self.spans.get(self.next)?;
        (span.start <= at).then_some(*index)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use textpipe_core::Entity;

    fn entity(text: &str, start: usize, end: usize) -> Entity {
        Entity::new(text, Span::new(start, end), "LOC")
    }

    #[test]
    fn segments_follow_sentences_and_entities() {
        let mut doc = Document::new("d", "Rain in Oslo. Sun in Rome.");
        doc.sentences = Some(vec![Span::new(0, 13), Span::new(14, 26)]);
        doc.entities = Some(vec![entity(&doc.text, 8, 12), entity(&doc.text, 21, 25)]);
        let overlay = Overlay::new(&doc);
        let described: Vec<(&str, Option<usize>, Option<usize>)> = overlay
            .segments
            .iter()
            .map(|s| (&doc.text[s.span.start..s.span.end], s.sentence, s.entity))
            .collect();
        assert_eq!(
            described,
            vec![
                ("Rain in ", Some(0), None),
                ("Oslo", Some(0), Some(0)),
                (".", Some(0), None),
                (" ", None, None),
                ("Sun in ", Some(1), None),
                ("Rome", Some(1), Some(1)),
                (".", Some(1), None),
            ]
        );
        assert_eq!(overlay.dropped, 0);
    }

    #[test]
    fn an_entity_across_a_sentence_boundary_is_cut_there() {
        let mut doc = Document::new("d", "Go to St. Louis now.");
        doc.sentences = Some(vec![Span::new(0, 9), Span::new(10, 20)]);
        doc.entities = Some(vec![entity(&doc.text, 6, 15)]);
        let overlay = Overlay::new(&doc);
        let entity_parts: Vec<(Span, Option<usize>)> = overlay
            .segments
            .iter()
            .filter(|s| s.entity.is_some())
            .map(|s| (s.span, s.sentence))
            .collect();
        assert_eq!(
            entity_parts,
            vec![
                (Span::new(6, 9), Some(0)),
                (Span::new(9, 10), None),
                (Span::new(10, 15), Some(1))
            ]
        );
    }

    #[test]
    fn broken_spans_are_dropped_and_counted() {
        let mut doc = Document::new("d", "Köln und Bonn.");
        doc.sentences = Some(vec![
            Span::new(0, 15),
            Span::new(5, 3),   // reversed
            Span::new(0, 99),  // out of bounds
            Span::new(2, 4),   // inside `ö`, and overlapping
            Span::new(15, 15), // empty
        ]);
        doc.entities = Some(vec![entity(&doc.text, 0, 5), entity(&doc.text, 1, 5)]);
        let overlay = Overlay::new(&doc);
        assert_eq!(overlay.dropped, 5);
        assert!(overlay.segments.iter().all(|s| s.sentence == Some(0)));
    }

    fn any_layers() -> impl Strategy<Value = Document> {
        let span = (0usize..40, 0usize..40).prop_map(|(a, b)| Span::new(a, b));
        (
            "\\PC{0,30}",
            proptest::collection::vec(span.clone(), 0..8),
            proptest::collection::vec(span, 0..8),
        )
            .prop_map(|(text, sentences, entities)| {
                let mut doc = Document::new("d", text);
                doc.sentences = Some(sentences);
                doc.entities = Some(
                    entities
                        .into_iter()
                        .map(|span| Entity {
                            start: span.start,
                            end: span.end,
                            label: "X".into(),
                            text: String::new(),
                            source: None,
                            score: None,
                        })
                        .collect(),
                );
                doc
            })
    }

    proptest! {
        #[test]
        fn segments_tile_the_text_on_char_boundaries(doc in any_layers()) {
            let overlay = Overlay::new(&doc);
            let mut at = 0;
            for segment in &overlay.segments {
                prop_assert_eq!(segment.span.start, at);
                prop_assert!(segment.span.check(&doc.text).is_ok());
                prop_assert!(!segment.span.is_empty());
                at = segment.span.end;
            }
            prop_assert_eq!(at, doc.text.len());
        }
    }
}
