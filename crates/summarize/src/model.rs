//! The learned mix: a linear model over the sentence features.
//!
//! Weights are fitted to greedy-oracle labels (the sentences that, added one by one, raise
//! ROUGE against the reference most) with a listwise softmax loss per document, by full-batch
//! gradient descent with an L2 penalty. A
//! linear model is enough here: the features already encode what matters, the data is small
//! (about a thousand articles), and its weights can be read and argued about. The shipped
//! weights live in `weights/default.json` (written by `examples/train_summaries.rs`) and are compiled
//! in; a config may point at another file of the same form.

use serde::{Deserialize, Serialize};

use crate::features::{FeatureRow, FEATURE_COUNT, FEATURE_NAMES, FIRST_SHARE_FEATURE};
use crate::SummarizeError;

/// The weights compiled into the crate: fitted on news (CNN/DailyMail highlights).
pub const DEFAULT_WEIGHTS_JSON: &str = include_str!("../weights/default.json");

/// Weights fitted on BBC News extractive references, shipped as a file for configs that
/// summarize in that style (`"weights": "weights/bbc.json"` relative to the crate).
pub const BBC_WEIGHTS_JSON: &str = include_str!("../weights/bbc.json");

/// A linear scorer; `sigmoid(bias + weights · features)` is reported as the sentence score.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LinearModel {
    /// What the weights were trained on and how to retrain them.
    #[serde(default)]
    pub description: String,
    /// Feature names, which must equal [`FEATURE_NAMES`]: a file made for another feature
    /// set is refused rather than silently misread.
    pub features: Vec<String>,
    /// Intercept.
    pub bias: f32,
    /// One weight per feature.
    pub weights: Vec<f32>,
    /// The `l2` pull toward lead the weights were fitted with, so evaluation can
    /// cross-validate the same fit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub l2: Option<f32>,
}

impl LinearModel {
    /// The weights shipped with the crate.
    pub fn shipped() -> Self {
        LinearModel::from_json(DEFAULT_WEIGHTS_JSON)
            .expect("the shipped weights match the feature set (checked by a test)")
    }

    /// The lead baseline as a model ([`LEAD_PRIOR`]): what training starts from.
    pub fn lead() -> Self {
        LinearModel {
            description: "lead prior".into(),
            features: FEATURE_NAMES.iter().map(|s| s.to_string()).collect(),
            bias: 0.0,
            weights: LEAD_PRIOR.to_vec(),
            l2: None,
        }
    }

    /// Parses and checks a weights file's content.
    pub fn from_json(json: &str) -> Result<Self, SummarizeError> {
        let model: LinearModel = serde_json::from_str(json)
            .map_err(|e| SummarizeError::Weights(format!("not a weights file: {e}")))?;
        if model.features != FEATURE_NAMES || model.weights.len() != FEATURE_COUNT {
            return Err(SummarizeError::Weights(format!(
                "the weights are for features {:?}, this version uses {FEATURE_NAMES:?}",
                model.features
            )));
        }
        if !model.bias.is_finite() || model.weights.iter().any(|w| !w.is_finite()) {
            return Err(SummarizeError::Weights("a weight is not finite".into()));
        }
        Ok(model)
    }

    /// The score of a sentence with these features, in `(0, 1)`.
    pub fn score(&self, row: &FeatureRow) -> f32 {
        sigmoid(self.logit(row))
    }

    fn logit(&self, row: &FeatureRow) -> f32 {
        self.bias
            + self
                .weights
                .iter()
                .zip(row)
                .map(|(w, x)| w * x)
                .sum::<f32>()
    }
}

fn sigmoid(x: f32) -> f32 {
    1.0 / (1.0 + (-x).exp())
}

/// One training sentence.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Example {
    /// Its features.
    pub row: FeatureRow,
    /// Whether the oracle picked it.
    pub positive: bool,
    /// How much it counts (used to give each data set an equal say).
    pub weight: f32,
}

/// Settings of [`fit_listwise`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FitOptions {
    /// Gradient descent steps over the whole data.
    pub epochs: usize,
    /// Step size.
    pub learning_rate: f32,
    /// L2 penalty on the distance of the weights from `prior`.
    pub l2: f32,
    /// Weights the fit starts from and is pulled back to: with a large `l2` the model stays
    /// the prior, with a small one the data decides.
    pub prior: FeatureRow,
    /// Per-feature factor on `l2` (see [`PULLED_TOWARD_PRIOR`]).
    pub l2_scale: FeatureRow,
}

/// The lead baseline as weights: only `inverse_position` counts. Shrinking toward it means a
/// learned model departs from lead-k only where the data consistently says so.
pub const LEAD_PRIOR: FeatureRow = {
    let mut prior = [0.0; FEATURE_COUNT];
    prior[1] = 8.0;
    prior
};

/// Which features `l2` pulls toward the prior (1) and which it leaves to the data (0): the
/// `_x_share` features only matter for long summaries, where lead-k has no claim to be right
/// (it scores 52 ROUGE-2 on BBC's 40%-of-the-article references, centrality 82), so holding
/// them at lead's zero would only keep the model lead-like where lead is weak. At a news
/// teaser's budget they are small (the share is squared), and there the pull on the
/// other features keeps the model close to lead.
pub const PULLED_TOWARD_PRIOR: FeatureRow = {
    let mut scale = [1.0; FEATURE_COUNT];
    let mut i = FIRST_SHARE_FEATURE;
    while i < FEATURE_COUNT {
        scale[i] = 0.0;
        i += 1;
    }
    scale
};

impl Default for FitOptions {
    fn default() -> Self {
        FitOptions {
            epochs: 1500,
            learning_rate: 1.0,
            l2: 1e-3,
            prior: LEAD_PRIOR,
            l2_scale: PULLED_TOWARD_PRIOR,
        }
    }
}

/// Fits the weights with a listwise objective: within each document, a softmax over the
/// sentences' scores should put its mass on the oracle's sentences. Only the order of
/// sentences inside a document matters for choosing them, and this loss cares about exactly
/// that (a pointwise logistic loss also spends effort on scores across documents). Each
/// document counts with the weight of its examples; documents without a positive are skipped.
pub fn fit_listwise(
    documents: &[Vec<Example>],
    options: &FitOptions,
    description: &str,
) -> LinearModel {
    let documents: Vec<&Vec<Example>> = documents
        .iter()
        .filter(|d| d.iter().any(|e| e.positive))
        .collect();
    let total: f32 = documents
        .iter()
        .map(|d| d[0].weight)
        .sum::<f32>()
        .max(f32::MIN_POSITIVE);
    let mut weights = options.prior;
    let mut logits = Vec::new();
    for _ in 0..options.epochs {
        let mut gradient = [0f32; FEATURE_COUNT];
        for document in &documents {
            logits.clear();
            logits.extend(document.iter().map(|e| dot(&weights, &e.row)));
            let max = logits.iter().copied().fold(f32::NEG_INFINITY, f32::max);
            let norm: f32 = logits.iter().map(|l| (l - max).exp()).sum();
            let positives = document.iter().filter(|e| e.positive).count() as f32;
            for (example, logit) in document.iter().zip(&logits) {
                let p = (logit - max).exp() / norm;
                let target = f32::from(example.positive) / positives;
                let error = (p - target) * example.weight;
                for (g, x) in gradient.iter_mut().zip(&example.row) {
                    *g += error * x;
                }
            }
        }
        for (((w, g), p), scale) in weights
            .iter_mut()
            .zip(gradient)
            .zip(options.prior)
            .zip(options.l2_scale)
        {
            *w -= options.learning_rate * (g / total + options.l2 * scale * (*w - p));
        }
    }
    LinearModel {
        description: description.to_string(),
        features: FEATURE_NAMES.iter().map(|s| s.to_string()).collect(),
        bias: 0.0,
        weights: weights.to_vec(),
        l2: Some(options.l2),
    }
}

fn dot(weights: &[f32; FEATURE_COUNT], row: &FeatureRow) -> f32 {
    weights.iter().zip(row).map(|(w, x)| w * x).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_weights_load() {
        let model = LinearModel::shipped();
        assert_eq!(model.weights.len(), FEATURE_COUNT);
        assert!(LinearModel::from_json(BBC_WEIGHTS_JSON).is_ok());
    }

    #[test]
    fn weights_for_another_feature_set_are_refused() {
        let json = r#"{"features": ["position"], "bias": 0, "weights": [1]}"#;
        assert!(matches!(
            LinearModel::from_json(json),
            Err(SummarizeError::Weights(_))
        ));
    }

    #[test]
    fn fitting_learns_a_separating_feature() {
        let mut documents = Vec::new();
        for i in 0..40 {
            let mut row = [0f32; FEATURE_COUNT];
            row[0] = (i % 2) as f32;
            row[1] = (i % 3) as f32 / 3.0;
            let example = |positive: bool, x: f32| {
                let mut features = [0f32; FEATURE_COUNT];
                features[0] = x;
                features[1] = row[1];
                Example {
                    row: features,
                    positive,
                    weight: 1.0,
                }
            };
            documents.push(vec![
                example(false, 0.0),
                example(true, 1.0),
                example(false, 0.2),
            ]);
        }
        let options = FitOptions {
            prior: [0.0; FEATURE_COUNT],
            ..FitOptions::default()
        };
        let model = fit_listwise(&documents, &options, "test");
        assert!(model.weights[0] > 2.0, "{model:?}");
        assert!(model.weights[1].abs() < model.weights[0]);
    }
}
