//! An ordered chain of stages, checked before it runs.

use std::time::{Duration, Instant};

use crate::document::Document;
use crate::stage::{Layer, Stage, StageError};

/// A chain of stages whose order has been checked.
pub struct Pipeline {
    name: String,
    stages: Vec<Box<dyn Stage>>,
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

/// A document that failed in a stage.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("stage `{stage}`: {error}")]
pub struct PipelineError {
    /// The failing stage's name.
    pub stage: String,
    /// What went wrong.
    pub error: StageError,
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

    /// Runs every stage on `doc`, adding each stage's time to `timings` (one slot per stage).
    pub fn run(&self, doc: &mut Document, timings: &mut [Duration]) -> Result<(), PipelineError> {
        for (stage, slot) in self.stages.iter().zip(timings.iter_mut()) {
            let started = Instant::now();
            let result = stage.process(doc);
            *slot += started.elapsed();
            result.map_err(|error| PipelineError {
                stage: stage.name().to_string(),
                error,
            })?;
        }
        Ok(())
    }
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

    #[test]
    fn assumed_layers_satisfy_requirements() {
        let stages = vec![fake("summarize", &[Layer::Sentences], &[Layer::Summary])];
        assert!(Pipeline::new("p", stages, &[Layer::Sentences]).is_ok());
    }
}
