//! An ordered chain of stages, checked before it runs.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::time::Instant;

use crate::document::Document;
use crate::record::{ErrorRecord, Outcome};
use crate::run_report::StageCounters;
use crate::stage::{Layer, Stage, StageError};

/// A chain of stages whose order has been checked.
pub struct Pipeline {
    name: String,
    stages: Vec<Box<dyn Stage>>,
    /// Per stage, the layers it requires that come from the input documents (no earlier
    /// stage makes them): a document without one fails at that stage, with the layer named.
    from_input: Vec<Vec<Layer>>,
}

/// Why a chain of stages cannot work, found before any document is read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum OrderError {
    /// A stage needs a layer that no earlier stage makes.
    #[error("stage {index} (`{stage}`) needs `{layer}`, which no earlier stage provides; add a stage that provides it before this one")]
    MissingLayer {
        /// Position of the stage in the pipeline (0-based).
        index: usize,
        /// The stage's name.
        stage: String,
        /// The missing layer.
        layer: Layer,
    },
    /// A stage rewrites the text after another stage made spans into it.
    #[error("stage {index} (`{stage}`) rewrites the text, which would invalidate the `{layer}` made by `{by}` before it; move `{stage}` earlier")]
    TextRewrittenAfterSpans {
        /// Position of the rewriting stage.
        index: usize,
        /// The rewriting stage.
        stage: String,
        /// The span layer it would invalidate.
        layer: Layer,
        /// The stage that made that layer.
        by: String,
    },
}

impl Pipeline {
    /// Checks the order of `stages` and makes a pipeline. `assumed` are layers the input
    /// documents already carry. Every problem is reported, not only the first.
    pub fn new(
        name: impl Into<String>,
        stages: Vec<Box<dyn Stage>>,
        assumed: &[Layer],
    ) -> Result<Self, Vec<OrderError>> {
        let errors = check_order(&stages, assumed);
        if errors.is_empty() {
            Ok(Pipeline {
                name: name.into(),
                from_input: layers_from_input(&stages),
                stages,
            })
        } else {
            Err(errors)
        }
    }

    /// The pipeline's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The stages, in order.
    pub fn stages(&self) -> &[Box<dyn Stage>] {
        &self.stages
    }

    /// Fresh counters for this pipeline's stages, one per stage, for [`Pipeline::process_batch`].
    pub fn new_counters(&self) -> Vec<StageCounters> {
        self.stages
            .iter()
            .map(|stage| StageCounters::new(stage.name()))
            .collect()
    }

    /// Runs every stage over a batch, in place: the one stage loop of textpipe, used by the
    /// runner, `textpipe bench`, the benchmarks and the language bindings.
    ///
    /// Each stage sees the documents that have not failed yet as one slice (its
    /// `process_batch`). A stage failure turns only the documents it concerns into error
    /// records naming the stage, and a panic is narrowed down to the document that caused it,
    /// so one bad document never loses the others. Time, documents in and out, failures and
    /// skips (notes a stage added to `skipped`) are added to `counters`, one per stage (from
    /// [`Pipeline::new_counters`]).
    pub fn process_batch(&self, outcomes: &mut [Outcome], counters: &mut [StageCounters]) {
        self.process_batch_observed(outcomes, counters, &mut |_| {});
    }

    /// [`Pipeline::process_batch`], calling `entering(i)` before stage `i` runs, so that a
    /// watchdog can say which stage a document was stuck in.
    pub fn process_batch_observed(
        &self,
        outcomes: &mut [Outcome],
        counters: &mut [StageCounters],
        entering: &mut dyn FnMut(usize),
    ) {
        for (index, ((stage, counters), from_input)) in self
            .stages
            .iter()
            .zip(counters.iter_mut())
            .zip(&self.from_input)
            .enumerate()
        {
            entering(index);
            let started = Instant::now();
            fail_documents_without(from_input, stage.name(), outcomes, counters);
            run_stage(stage.as_ref(), outcomes, counters);
            counters.time += started.elapsed();
        }
    }

    /// Runs every stage on one document: the document with its layers, or the error record of
    /// the stage that failed on it.
    ///
    /// ```
    /// use textpipe_core::{Document, Outcome, Pipeline};
    /// let pipeline = Pipeline::new("empty", vec![], &[]).unwrap();
    /// let outcome = pipeline.process(Document::new("a", "Hi."));
    /// assert_eq!(outcome.document().map(|d| d.text.as_str()), Some("Hi."));
    /// ```
    pub fn process(&self, doc: Document) -> Outcome {
        let mut outcomes = [Outcome::Done(Box::new(doc))];
        self.process_batch(&mut outcomes, &mut self.new_counters());
        let [outcome] = outcomes;
        outcome
    }
}

/// Per stage, the layers it requires that no earlier stage provides: the order check let them
/// through because the input documents are said to carry them.
fn layers_from_input(stages: &[Box<dyn Stage>]) -> Vec<Vec<Layer>> {
    let mut made = vec![Layer::Text];
    stages
        .iter()
        .map(|stage| {
            let needed = stage
                .requires()
                .iter()
                .copied()
                .filter(|layer| !made.contains(layer))
                .collect();
            made.extend_from_slice(stage.provides());
            needed
        })
        .collect()
}

/// Turns the documents that lack one of `layers` (layers the input should have carried) into
/// error records of `stage`, before it runs: a stage is never handed a document without a
/// layer it requires.
fn fail_documents_without(
    layers: &[Layer],
    stage: &str,
    outcomes: &mut [Outcome],
    counters: &mut StageCounters,
) {
    if layers.is_empty() {
        return;
    }
    for outcome in outcomes.iter_mut() {
        let Outcome::Done(doc) = outcome else {
            continue;
        };
        let Some(missing) = layers.iter().find(|&&layer| !doc.carries(layer)) else {
            continue;
        };
        counters.documents_in += 1;
        counters.failed += 1;
        let message = format!(
            "needs `{missing}`, which no earlier stage provides and this input document does not carry"
        );
        *outcome = Outcome::Failed(ErrorRecord::stage_failed(doc.id.clone(), stage, message));
    }
}

/// Runs one stage over the documents of a batch that have not failed yet.
fn run_stage(stage: &dyn Stage, outcomes: &mut [Outcome], counters: &mut StageCounters) {
    let mut positions = Vec::new();
    let mut docs: Vec<Document> = Vec::new();
    for (i, outcome) in outcomes.iter_mut().enumerate() {
        if let Outcome::Done(doc) = outcome {
            positions.push(i);
            docs.push(std::mem::take(doc.as_mut()));
        }
    }
    if docs.is_empty() {
        return;
    }
    counters.documents_in += docs.len();
    counters.bytes_in += docs
        .iter()
        .map(|d| d.text.len().max(d.html.as_ref().map_or(0, String::len)) as u64)
        .sum::<u64>();
    let notes_before: Vec<usize> = docs.iter().map(|d| d.skipped.len()).collect();
    let results =
        catch_unwind(AssertUnwindSafe(|| stage.process_batch(&mut docs))).unwrap_or_else(|_| {
            // The panic came from one document, but the batch call cannot say which: run the
            // batch again one document at a time so that only the culprit fails. Stages write
            // their layers by assignment, so a document the batch call already finished is
            // simply processed again (its skip notes are reset to what they were).
            docs.iter_mut()
                .zip(&notes_before)
                .map(|(doc, &notes)| {
                    doc.skipped.truncate(notes);
                    catch_unwind(AssertUnwindSafe(|| stage.process(doc))).unwrap_or_else(|panic| {
                        Err(StageError::Failed(panic_message(panic.as_ref())))
                    })
                })
                .collect()
        });
    for (((doc, position), result), notes) in docs
        .into_iter()
        .zip(positions)
        .zip(results)
        .zip(notes_before)
    {
        outcomes[position] = match result {
            Ok(()) => {
                counters.documents_out += 1;
                count_skip(&doc, notes, stage.name(), counters);
                Outcome::Done(Box::new(doc))
            }
            Err(error) => {
                counters.failed += 1;
                let mut record = ErrorRecord::stage_failed(doc.id, stage.name(), error.to_string());
                record.stops_run = matches!(error, StageError::Fatal(_));
                Outcome::Failed(record)
            }
        };
    }
}

/// Counts a skip note the stage added to `doc` (beyond its first `notes_before`).
fn count_skip(doc: &Document, notes_before: usize, stage: &str, counters: &mut StageCounters) {
    let Some(note) = doc.skipped[notes_before.min(doc.skipped.len())..]
        .iter()
        .find(|note| note.stage == stage)
    else {
        return;
    };
    counters.skipped += 1;
    let lang = note.lang.clone().unwrap_or_else(|| "?".into());
    *counters.skipped_by_language.entry(lang).or_default() += 1;
}

fn panic_message(panic: &(dyn std::any::Any + Send)) -> String {
    let detail = panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown cause".into());
    format!("the stage panicked: {detail}")
}

fn check_order(stages: &[Box<dyn Stage>], assumed: &[Layer]) -> Vec<OrderError> {
    let mut errors = Vec::new();
    // Which stage made each layer so far (None: the input carried it).
    let mut made: Vec<(Layer, Option<String>)> = assumed.iter().map(|&l| (l, None)).collect();
    made.push((Layer::Text, None));
    for (index, stage) in stages.iter().enumerate() {
        for &layer in stage.requires() {
            if !made.iter().any(|(l, _)| *l == layer) {
                errors.push(OrderError::MissingLayer {
                    index,
                    stage: stage.name().to_string(),
                    layer,
                });
            }
        }
        if stage.provides().contains(&Layer::Text) {
            for (layer, by) in &made {
                if let (true, Some(by)) = (Layer::SPAN_LAYERS.contains(layer), by) {
                    errors.push(OrderError::TextRewrittenAfterSpans {
                        index,
                        stage: stage.name().to_string(),
                        layer: *layer,
                        by: by.clone(),
                    });
                }
            }
        }
        for &layer in stage.provides() {
            made.push((layer, Some(stage.name().to_string())));
        }
    }
    errors
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Fake {
        name: &'static str,
        requires: Vec<Layer>,
        provides: Vec<Layer>,
    }

    impl Stage for Fake {
        fn name(&self) -> &str {
            self.name
        }
        fn process(&self, _: &mut Document) -> Result<(), StageError> {
            Ok(())
        }
        fn requires(&self) -> &[Layer] {
            &self.requires
        }
        fn provides(&self) -> &[Layer] {
            &self.provides
        }
    }

    fn fake(name: &'static str, requires: &[Layer], provides: &[Layer]) -> Box<dyn Stage> {
        Box::new(Fake {
            name,
            requires: requires.to_vec(),
            provides: provides.to_vec(),
        })
    }

    #[test]
    fn summarize_before_sentences_is_refused() {
        let stages = vec![
            fake("summarize", &[Layer::Sentences], &[Layer::Summary]),
            fake("sentences", &[], &[Layer::Sentences]),
        ];
        let errors = Pipeline::new("p", stages, &[]).err().unwrap();
        assert!(matches!(
            errors[0],
            OrderError::MissingLayer { index: 0, .. }
        ));
    }

    #[test]
    fn every_problem_is_reported() {
        let stages = vec![
            fake("sentences", &[], &[Layer::Sentences]),
            fake("boilerplate", &[], &[Layer::Text, Layer::Removed]),
            fake("summarize", &[Layer::Entities], &[Layer::Summary]),
        ];
        let errors = Pipeline::new("p", stages, &[]).err().unwrap();
        assert_eq!(errors.len(), 2, "{errors:?}");
    }

    /// Fails on documents whose text is `fail`, panics on `panic`, skips `skip`.
    struct Picky;

    impl Stage for Picky {
        fn name(&self) -> &str {
            "picky"
        }
        fn process(&self, doc: &mut Document) -> Result<(), StageError> {
            match doc.text.as_str() {
                "fail" => Err(StageError::invalid("no thanks")),
                "panic" => panic!("boom"),
                "skip" => {
                    doc.lang = Some("fi".into());
                    crate::language_gate(doc, "picky", &|l| l == "en", Default::default())
                        .map(|_| ())
                }
                _ => {
                    doc.ext.insert("picky".into(), true.into());
                    Ok(())
                }
            }
        }
    }

    #[test]
    fn failures_and_panics_fail_only_their_document_and_are_counted() {
        let pipeline = Pipeline::new("p", vec![Box::new(Picky)], &[]).unwrap();
        let mut outcomes: Vec<Outcome> = ["ok", "fail", "panic", "skip", "ok"]
            .iter()
            .enumerate()
            .map(|(i, text)| Document::new(i.to_string(), *text).into())
            .collect();
        outcomes.push(Outcome::Failed(ErrorRecord::unreadable(
            None,
            Some("in".into()),
            Some(6),
            "bad",
        )));
        let mut counters = pipeline.new_counters();
        pipeline.process_batch(&mut outcomes, &mut counters);
        let stages: Vec<Option<&str>> = outcomes
            .iter()
            .map(|o| match o {
                Outcome::Done(_) => None,
                Outcome::Failed(record) => Some(record.stage.as_str()),
            })
            .collect();
        assert_eq!(
            stages,
            [
                None,
                Some("picky"),
                Some("picky"),
                None,
                None,
                Some("input")
            ]
        );
        let Outcome::Failed(panicked) = &outcomes[2] else {
            unreachable!()
        };
        assert_eq!(panicked.id.as_deref(), Some("2"));
        assert!(panicked.message.contains("boom"), "{}", panicked.message);
        // The documents the panicking batch call had already finished were processed again.
        assert!(outcomes[4].document().unwrap().ext.contains_key("picky"));
        assert_eq!(outcomes[3].document().unwrap().skipped.len(), 1);
        let c = &counters[0];
        assert_eq!(
            (c.documents_in, c.documents_out, c.failed, c.skipped),
            (5, 3, 2, 1)
        );
        assert_eq!(c.skipped_by_language.get("fi"), Some(&1));
    }

    #[test]
    fn a_document_without_a_layer_the_input_should_carry_fails_at_the_stage_needing_it() {
        let stages = vec![
            fake("tagger", &[], &[Layer::Entities]),
            fake("linker", &[Layer::Sentences, Layer::Entities], &[]),
        ];
        let pipeline = Pipeline::new("p", stages, &[Layer::Sentences]).unwrap();
        let mut annotated = Document::new("annotated", "A b.");
        annotated.sentences = Some(vec![crate::Span::new(0, 4)]);
        let mut outcomes = [
            Outcome::Done(Box::new(annotated)),
            Outcome::Done(Box::new(Document::new("bare", "A b."))),
        ];
        let mut counters = pipeline.new_counters();
        pipeline.process_batch(&mut outcomes, &mut counters);
        assert!(outcomes[0].document().is_some());
        let Outcome::Failed(record) = &outcomes[1] else {
            panic!("the document without sentences went through");
        };
        let line = serde_json::to_string(record).unwrap();
        assert!(
            line.contains("linker") && line.contains("needs `sentences`"),
            "{line}"
        );
        assert_eq!((counters[1].failed, counters[1].documents_out), (1, 1));
    }

    #[test]
    fn assumed_layers_satisfy_requirements() {
        let stages = vec![fake("summarize", &[Layer::Sentences], &[Layer::Summary])];
        assert!(Pipeline::new("p", stages, &[Layer::Sentences]).is_ok());
    }
}
