//! Training and cross-validated evaluation of the block classifier.
//!
//! Everything here is deterministic (fixed fold assignment, a seeded shuffle, no threads), so
//! `examples/train_boilerplate.rs` reproduces the shipped weights and their scores exactly.
//!
//! - [`train`] fits a [`BlockModel`]: the block model by logistic regression (AdaGrad SGD with
//!   L2) on all blocks; the context model on *out-of-fold* block logits (inner folds), because
//!   in-sample logits are overconfident and would teach it to ignore neighbours; and the keep
//!   threshold that maximises mean page F1 on those out-of-fold predictions.
//! - [`cross_validate`] splits pages into folds, trains on all folds but one and scores the
//!   held-out fold, so every reported number is on pages the model never saw.

use std::sync::Arc;

use crate::block::{lines_as_blocks, Block};
use crate::dataset::{block_labels, LabelledPage};
use crate::extract::{Extraction, Extractor};
use crate::features::{page_features, FeatureRows, PageStats, DIM, FEATURE_VERSION};
use crate::html::parse_html;
use crate::model::{
    beyond_tree_margin, context_inputs, context_round, dense_rows, sigmoid, tree_inputs,
    BlockModel, LoadedModel, CONTEXT_INPUTS, TREE_INPUTS,
};
use crate::score::{shingle_prf, Prf};
use crate::snippets::{snippet_block_labels, SnippetPage, SnippetReport};
use crate::trees::{Forest, TreeOptions, TreeRows};

/// Which input a model is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum InputKind {
    /// Raw HTML pages.
    Html,
    /// Pages flattened to lines.
    Text,
}

impl InputKind {
    /// `html` or `text`.
    pub fn name(self) -> &'static str {
        match self {
            InputKind::Html => "html",
            InputKind::Text => "text",
        }
    }
}

/// Settings of training and cross-validation.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct TrainOptions {
    /// Folds of the outer cross-validation.
    pub folds: usize,
    /// Inner folds that produce out-of-fold logits for the context model.
    pub inner_folds: usize,
    /// Passes over the training blocks.
    pub epochs: usize,
    /// AdaGrad base learning rate.
    pub learning_rate: f32,
    /// L2 penalty per update.
    pub l2: f32,
    /// A block's training weight is `(1 + words)^weight_power`, normalised per page: long
    /// blocks carry more of the metric, and every page counts the same in the mean.
    pub weight_power: f32,
    /// Seed of the shuffle.
    pub seed: u64,
    /// The boosted trees on top of the second round (none when `trees.trees` is 0).
    pub trees: TreeOptions,
}

impl Default for TrainOptions {
    fn default() -> Self {
        TrainOptions {
            folds: 5,
            inner_folds: 3,
            // Chosen by cross-validation on the dev pages (8 epochs at 0.2 with square-root
            // weights scored 0.908 HTML / 0.910 text; these score 0.924 / 0.915).
            epochs: 16,
            learning_rate: 0.03,
            l2: 1e-6,
            weight_power: 1.0,
            seed: 0x5eed_b011_e4b1,
            trees: TreeOptions::default(),
        }
    }
}

/// A page turned into what training needs: blocks, features, labels, weights.
pub struct PreparedPage {
    /// Page id.
    pub id: String,
    /// Its blocks.
    pub blocks: Vec<Block<'static>>,
    stats: PageStats,
    rows: FeatureRows,
    labels: Vec<bool>,
    weights: Vec<f32>,
    /// Gold article text; `None` for a page labelled by snippets only, which trains the
    /// models but cannot tune the threshold (its shingle score is unknown).
    pub gold: Option<String>,
}

/// The blocks of a page in the given input form.
pub fn blocks_of(page: &LabelledPage, kind: InputKind) -> Vec<Block<'static>> {
    blocks_in_form(&page.html, &page.text, kind)
}

/// The blocks of a page given as `html` and as flattened `text`, in the input form `kind`,
/// each owning its text (a training page keeps its blocks).
fn blocks_in_form(html: &str, text: &str, kind: InputKind) -> Vec<Block<'static>> {
    match kind {
        InputKind::Html => parse_html(html).blocks,
        InputKind::Text => lines_as_blocks(text)
            .into_iter()
            .map(|(_, b)| b.into_owned())
            .collect(),
    }
}

/// Parses, featurises and labels every page.
pub fn prepare(
    pages: &[LabelledPage],
    kind: InputKind,
    options: &TrainOptions,
) -> Vec<PreparedPage> {
    pages
        .iter()
        .map(|page| {
            let blocks = blocks_of(page, kind);
            let (stats, rows) = page_features(&blocks);
            let labels = block_labels(&blocks, &page.gold);
            let raw: Vec<f32> = stats
                .blocks
                .iter()
                .map(|s| (1.0 + s.words as f32).powf(options.weight_power))
                .collect();
            let total: f32 = raw.iter().sum::<f32>().max(1e-6);
            // Scaled so an average block weighs about 1 whatever the page size.
            let scale = raw.len() as f32 / total;
            let weights = raw.iter().map(|w| w * scale).collect();
            PreparedPage {
                id: page.id.clone(),
                blocks,
                stats,
                rows,
                labels,
                weights,
                gold: Some(page.gold.clone()),
            }
        })
        .collect()
}

/// Weight of a snippet-labelled block relative to an average block of a fully labelled page
/// (the shipped models' setting): a snippet page labels only a handful of its blocks.
pub const SNIPPET_BLOCK_WEIGHT: f32 = 10.0;

/// Parses and featurises snippet-annotated pages, labelling the blocks the snippets decide
/// ([`snippet_block_labels`]) with weight `block_weight` (see [`SNIPPET_BLOCK_WEIGHT`]) and
/// giving the others none.
pub fn prepare_snippet_pages(
    pages: &[SnippetPage],
    kind: InputKind,
    block_weight: f32,
) -> Vec<PreparedPage> {
    pages
        .iter()
        .map(|page| {
            let blocks = blocks_in_form(&page.html, &page.text, kind);
            let (stats, rows) = page_features(&blocks);
            let decided = snippet_block_labels(&blocks, &page.with, &page.without);
            PreparedPage {
                id: page.id.clone(),
                labels: decided.iter().map(|l| *l == Some(true)).collect(),
                weights: decided
                    .iter()
                    .map(|l| if l.is_some() { block_weight } else { 0.0 })
                    .collect(),
                blocks,
                stats,
                rows,
                gold: None,
            }
        })
        .collect()
}

/// A small deterministic generator for the shuffle (xorshift64*).
struct Shuffler(u64);

impl Shuffler {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = (self.next() % (i as u64 + 1)) as usize;
            items.swap(i, j);
        }
    }
}

/// Fits logistic-regression weights (of length `dim`) to weighted rows.
fn fit_logistic(
    rows: &FeatureRows,
    labels: &[bool],
    weights: &[f32],
    dim: usize,
    options: &TrainOptions,
) -> Vec<f32> {
    let mut w = vec![0.0f32; dim];
    let mut squared = vec![1e-6f32; dim];
    let mut order: Vec<usize> = (0..rows.len()).collect();
    let mut shuffler = Shuffler(options.seed | 1);
    for _ in 0..options.epochs {
        shuffler.shuffle(&mut order);
        for &i in &order {
            if weights[i] == 0.0 {
                continue;
            }
            let p = sigmoid(rows.dot(i, &w));
            let y = if labels[i] { 1.0 } else { 0.0 };
            let g = (p - y) * weights[i];
            for (j, x) in rows.row(i) {
                let grad = g * x + options.l2 * w[j];
                squared[j] += grad * grad;
                w[j] -= options.learning_rate * grad / squared[j].sqrt();
            }
        }
    }
    w
}

fn stack_rows<'a>(
    pages: impl Iterator<Item = &'a PreparedPage>,
) -> (FeatureRows, Vec<bool>, Vec<f32>) {
    let mut rows = FeatureRows::default();
    let (mut labels, mut weights) = (Vec::new(), Vec::new());
    for page in pages {
        rows.extend(&page.rows);
        labels.extend_from_slice(&page.labels);
        weights.extend_from_slice(&page.weights);
    }
    (rows, labels, weights)
}

fn sparse(weights: &[f32]) -> Vec<(u32, f32)> {
    weights
        .iter()
        .enumerate()
        // Four decimals keep the shipped file small and change no decision measurably.
        .map(|(i, &w)| (i as u32, (w * 1e4).round() / 1e4))
        .filter(|&(_, w)| w != 0.0)
        .collect()
}

fn rounded(weights: &[f32]) -> Vec<f32> {
    weights.iter().map(|w| (w * 1e4).round() / 1e4).collect()
}

fn block_model(pages: &[&PreparedPage], options: &TrainOptions) -> Vec<f32> {
    let (rows, labels, weights) = stack_rows(pages.iter().copied());
    fit_logistic(&rows, &labels, &weights, DIM, options)
}

/// Block logits of each page, each from a block model that did not see that page.
fn out_of_fold_logits(pages: &[&PreparedPage], options: &TrainOptions) -> Vec<Vec<f32>> {
    let folds = options.inner_folds.max(2);
    let mut logits = vec![Vec::new(); pages.len()];
    for fold in 0..folds {
        let train: Vec<&PreparedPage> = pages
            .iter()
            .enumerate()
            .filter(|(i, _)| i % folds != fold)
            .map(|(_, p)| *p)
            .collect();
        let w = block_model(&train, options);
        for (i, page) in pages.iter().enumerate().filter(|(i, _)| i % folds == fold) {
            logits[i] = (0..page.rows.len()).map(|r| page.rows.dot(r, &w)).collect();
        }
    }
    logits
}

fn context_rows(pages: &[&PreparedPage], logits: &[Vec<f32>]) -> FeatureRows {
    let mut rows = FeatureRows::default();
    for (page, logits) in pages.iter().zip(logits) {
        for inputs in context_inputs(logits, &page.stats) {
            rows.push_row(inputs.iter().enumerate().map(|(j, &v)| (j as u32, v)));
        }
    }
    rows
}

/// Mean page F1 when blocks with `probability >= threshold` are kept.
fn mean_f1_at(pages: &[&PreparedPage], probabilities: &[Vec<f32>], threshold: f32) -> f64 {
    let scores: Vec<Prf> = pages
        .iter()
        .zip(probabilities)
        .filter_map(|(page, p)| Some((page, page.gold.as_deref()?, p)))
        .map(|(page, gold, p)| {
            let kept: Vec<&str> = page
                .blocks
                .iter()
                .zip(p)
                .filter(|(_, &p)| p >= threshold)
                .map(|(b, _)| &*b.text)
                .collect();
            shingle_prf(&kept.join("\n"), gold)
        })
        .collect();
    Prf::mean(&scores).f1
}

/// The weights of a context round, fitted with one per input.
fn input_weights(fitted: Vec<f32>) -> [f32; CONTEXT_INPUTS] {
    fitted
        .try_into()
        .expect("fit_logistic fits one weight per input")
}

/// Trains a model on `pages`.
pub fn train(pages: &[&PreparedPage], kind: InputKind, options: &TrainOptions) -> BlockModel {
    let logits = out_of_fold_logits(pages, options);
    let rows = context_rows(pages, &logits);
    let (_, labels, weights) = stack_rows(pages.iter().copied());
    let context_weights = input_weights(fit_logistic(
        &rows,
        &labels,
        &weights,
        CONTEXT_INPUTS,
        options,
    ));
    // The second round reads the first round's logits of the same out-of-fold blocks: a
    // block whose neighbours were only rescued by their own neighbours gets a second look.
    let first_round: Vec<Vec<f32>> = pages
        .iter()
        .zip(&logits)
        .map(|(page, logits)| context_round(logits, &page.stats, &context_weights))
        .collect();
    let rows = context_rows(pages, &first_round);
    let refine_weights = input_weights(fit_logistic(
        &rows,
        &labels,
        &weights,
        CONTEXT_INPUTS,
        options,
    ));
    let (trees, probabilities) = if options.trees.trees > 0 {
        let (forest, probabilities) = fit_trees(
            pages,
            &logits,
            &context_weights,
            &refine_weights,
            kind,
            options,
        );
        (Some(forest), probabilities)
    } else {
        let probabilities = pages
            .iter()
            .zip(&first_round)
            .map(|(page, logits)| {
                context_round(logits, &page.stats, &refine_weights)
                    .into_iter()
                    .map(sigmoid)
                    .collect()
            })
            .collect();
        (None, probabilities)
    };
    let threshold = (4..=14)
        .map(|step| step as f32 * 0.05)
        .map(|t| (t, mean_f1_at(pages, &probabilities, t)))
        .fold((0.5, f64::MIN), |best, candidate| {
            if candidate.1 > best.1 {
                candidate
            } else {
                best
            }
        })
        .0;
    BlockModel {
        mode: kind.name().to_string(),
        dim: DIM,
        features: FEATURE_VERSION,
        block_weights: sparse(&block_model(pages, options)),
        context_weights: rounded(&context_weights),
        refine_weights: rounded(&refine_weights),
        tree_margin: trees.as_ref().and(tree_margin(kind, options)),
        trees,
        threshold,
        provenance: serde_json::Value::Null,
    }
}

/// The trees' margin for `kind` (see [`TreeOptions::margin`]).
fn tree_margin(kind: InputKind, options: &TrainOptions) -> Option<f32> {
    match kind {
        InputKind::Html => options.trees.margin[0],
        InputKind::Text => options.trees.margin[1],
    }
}

/// Fits the trees on the out-of-fold block logits `logits` of `pages` and the context rounds
/// fitted on them (with the weights rounded as they are shipped, so the trees correct the
/// logits the shipped model computes), and says what the trees give each page's blocks for
/// tuning the threshold: the probabilities of trees fitted without that page (inner folds),
/// since the trees' in-sample output is more confident than on unseen pages.
fn fit_trees(
    pages: &[&PreparedPage],
    logits: &[Vec<f32>],
    context_weights: &[f32; CONTEXT_INPUTS],
    refine_weights: &[f32; CONTEXT_INPUTS],
    kind: InputKind,
    options: &TrainOptions,
) -> (Forest, Vec<Vec<f32>>) {
    let margin = tree_margin(kind, options);
    let context_weights = input_weights(rounded(context_weights));
    let refine_weights = input_weights(rounded(refine_weights));
    let inputs: Vec<Vec<[f32; TREE_INPUTS]>> = pages
        .iter()
        .zip(logits)
        .map(|(page, logits)| {
            let first_round = context_round(logits, &page.stats, &context_weights);
            let dense = dense_rows(&page.rows);
            tree_inputs(logits, &first_round, &page.stats, &dense, &refine_weights)
        })
        .collect();
    let fit_on = |chosen: &dyn Fn(usize) -> bool| -> Forest {
        let mut rows = TreeRows::new(TREE_INPUTS);
        let (mut labels, mut weights) = (Vec::new(), Vec::new());
        for (p, page) in pages.iter().enumerate().filter(|&(p, _)| chosen(p)) {
            for x in &inputs[p] {
                rows.push(x);
            }
            labels.extend_from_slice(&page.labels);
            weights.extend_from_slice(&page.weights);
        }
        for (i, weight) in weights.iter_mut().enumerate() {
            if beyond_tree_margin(rows.row(i)[TREE_INPUTS - 1], margin) {
                *weight = 0.0;
            }
        }
        let base: Vec<f32> = (0..rows.len())
            .map(|i| rows.row(i)[TREE_INPUTS - 1])
            .collect();
        crate::trees::fit(&rows, &base, &labels, &weights, &options.trees)
    };
    let folds = options.inner_folds.max(2);
    let mut probabilities = vec![Vec::new(); pages.len()];
    for fold in 0..folds {
        let forest = fit_on(&|p| p % folds != fold);
        for p in (fold..pages.len()).step_by(folds) {
            probabilities[p] = (inputs[p].iter())
                .map(|x| {
                    let refined = x[TREE_INPUTS - 1];
                    if beyond_tree_margin(refined, margin) {
                        sigmoid(refined)
                    } else {
                        sigmoid(refined + forest.score(x))
                    }
                })
                .collect();
        }
    }
    (fit_on(&|_| true), probabilities)
}

/// One page's score.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct PageScore {
    /// Page id.
    pub id: String,
    /// Its precision, recall and F1.
    pub prf: Prf,
}

/// Scores of a set of pages.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct EvaluationReport {
    /// Which input was scored.
    pub kind: InputKind,
    /// Mean precision and recall over pages, and their F1.
    pub mean: Prf,
    /// Mean of per-page F1.
    pub mean_page_f1: f64,
    /// What keeping everything scores on the same pages.
    pub keep_everything: Prf,
    /// Every page's score.
    pub pages: Vec<PageScore>,
}

/// Scores `model` on `pages` (in-sample if it was trained on them).
pub fn evaluate(
    pages: &[LabelledPage],
    kind: InputKind,
    model: Arc<LoadedModel>,
) -> EvaluationReport {
    let extractor = Extractor::with_models(model.clone(), model);
    let scores: Vec<PageScore> = pages
        .iter()
        .map(|page| {
            let predicted = match kind {
                InputKind::Html => extractor.extract_html(&page.html).text,
                InputKind::Text => extractor.extract_text(&page.text).text,
            };
            PageScore {
                id: page.id.clone(),
                prf: shingle_prf(&predicted, &page.gold),
            }
        })
        .collect();
    report(pages, kind, scores)
}

fn report(pages: &[LabelledPage], kind: InputKind, mut scores: Vec<PageScore>) -> EvaluationReport {
    let everything: Vec<Prf> = pages
        .iter()
        .map(|page| {
            let all: Vec<String> = blocks_of(page, kind)
                .into_iter()
                .map(|b| b.text.into_owned())
                .collect();
            shingle_prf(&all.join("\n"), &page.gold)
        })
        .collect();
    scores.sort_by(|a, b| a.id.cmp(&b.id));
    let prfs: Vec<Prf> = scores.iter().map(|s| s.prf).collect();
    EvaluationReport {
        kind,
        mean: Prf::mean(&prfs),
        mean_page_f1: Prf::mean_f1(&prfs),
        keep_everything: Prf::mean(&everything),
        pages: scores,
    }
}

/// Cross-validates by page: each fold is scored by a model trained on the other folds.
pub fn cross_validate(
    pages: &[LabelledPage],
    kind: InputKind,
    options: &TrainOptions,
) -> EvaluationReport {
    cross_validate_with(pages, &[], kind, options)
}

/// [`cross_validate`] with `extra` pages (e.g. [snippet-labelled](prepare_snippet_pages)
/// ones) added to every fold's training set; only `pages` are scored.
pub fn cross_validate_with(
    pages: &[LabelledPage],
    extra: &[PreparedPage],
    kind: InputKind,
    options: &TrainOptions,
) -> EvaluationReport {
    let prepared = prepare(pages, kind, options);
    let folds = options.folds.max(2);
    let mut scores = Vec::with_capacity(pages.len());
    for fold in 0..folds {
        let train_pages: Vec<&PreparedPage> = prepared
            .iter()
            .enumerate()
            .filter(|(i, _)| i % folds != fold)
            .map(|(_, p)| p)
            .chain(extra)
            .collect();
        let model = train(&train_pages, kind, options);
        let model = Arc::new(LoadedModel::new(model).expect("a trained model has the right shape"));
        let held_out: Vec<LabelledPage> = pages
            .iter()
            .enumerate()
            .filter(|(i, _)| i % folds == fold)
            .map(|(_, p)| p.clone())
            .collect();
        scores.extend(evaluate(&held_out, kind, model).pages);
    }
    report(pages, kind, scores)
}

/// Cross-validates on snippet pages: each fold of `pages` is extracted by a model trained on
/// the other folds plus all of `fully_labelled` (which tunes the threshold), and scored by
/// its snippets.
pub fn cross_validate_snippets(
    pages: &[SnippetPage],
    fully_labelled: &[PreparedPage],
    kind: InputKind,
    options: &TrainOptions,
    block_weight: f32,
) -> SnippetReport {
    let extractions =
        cross_validated_extractions(pages, fully_labelled, kind, options, block_weight);
    snippet_report(pages, &extractions)
}

/// The snippet scores of `extractions`, one per page of `pages`, in the same order.
pub fn snippet_report(pages: &[SnippetPage], extractions: &[Extraction]) -> SnippetReport {
    let mut report = SnippetReport::default();
    for (page, extraction) in pages.iter().zip(extractions) {
        report.add(
            page.lang.as_deref(),
            &extraction.text,
            &page.with,
            &page.without,
        );
    }
    report
}

/// The extraction of every snippet page (in the order of `pages`) by the model of
/// [`cross_validate_snippets`] that did not see it, so its errors can be read block by block.
pub fn cross_validated_extractions(
    pages: &[SnippetPage],
    fully_labelled: &[PreparedPage],
    kind: InputKind,
    options: &TrainOptions,
    block_weight: f32,
) -> Vec<Extraction> {
    let prepared = prepare_snippet_pages(pages, kind, block_weight);
    let folds = options.folds.max(2);
    let mut extractions = vec![Extraction::default(); pages.len()];
    for fold in 0..folds {
        let train_pages: Vec<&PreparedPage> = fully_labelled
            .iter()
            .chain(
                prepared
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| i % folds != fold)
                    .map(|(_, p)| p),
            )
            .collect();
        let model = train(&train_pages, kind, options);
        let model = Arc::new(LoadedModel::new(model).expect("a trained model has the right shape"));
        let extractor = Extractor::with_models(model.clone(), model);
        for (i, page) in pages.iter().enumerate().skip(fold).step_by(folds) {
            extractions[i] = crate::snippets::extract_snippet_page(page, kind, &extractor);
        }
    }
    extractions
}

/// Trains the model to ship on all `pages`.
pub fn train_all(pages: &[LabelledPage], kind: InputKind, options: &TrainOptions) -> BlockModel {
    train_all_with(pages, &[], kind, options)
}

/// Trains the model to ship on all `pages` and all `extra` pages.
pub fn train_all_with(
    pages: &[LabelledPage],
    extra: &[PreparedPage],
    kind: InputKind,
    options: &TrainOptions,
) -> BlockModel {
    let prepared = prepare(pages, kind, options);
    let refs: Vec<&PreparedPage> = prepared.iter().chain(extra).collect();
    train(&refs, kind, options)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toy_pages() -> Vec<LabelledPage> {
        let article = [
            "The river rose above its banks on Sunday night and the water reached the old mill.",
            "Residents of the lower town were moved to the school, where volunteers served soup.",
            "By Monday morning the level had fallen and the first families went back to their homes.",
        ];
        (0..12)
            .map(|i| {
                let body = article.join("\n");
                LabelledPage {
                    id: format!("{i:02}"),
                    html: format!(
                        "<nav><a>Home</a><a>News</a></nav><article><p>{}</p></article>\
                         <footer>© 2025 Paper {i}. All rights reserved.</footer>",
                        article.join("</p><p>")
                    ),
                    text: format!("Home\nNews\nWe use cookies on this site.\n{body}\n© 2025 Paper {i}. All rights reserved."),
                    gold: body,
                }
            })
            .collect()
    }

    #[test]
    fn learns_toy_pages_across_folds() {
        let pages = toy_pages();
        let options = TrainOptions {
            folds: 3,
            ..TrainOptions::default()
        };
        for kind in [InputKind::Html, InputKind::Text] {
            let report = cross_validate(&pages, kind, &options);
            assert!(report.mean.f1 > 0.95, "{kind:?}: {:?}", report.mean);
            assert!(report.keep_everything.f1 < report.mean.f1);
        }
    }

    #[test]
    fn trees_train_deterministically_and_load() {
        let pages = toy_pages();
        let options = TrainOptions {
            folds: 3,
            trees: TreeOptions {
                trees: 5,
                ..TreeOptions::default()
            },
            ..TrainOptions::default()
        };
        let model = train_all(&pages, InputKind::Html, &options);
        assert_eq!(model.trees.as_ref().map(Forest::len), Some(5));
        assert_eq!(model, train_all(&pages, InputKind::Html, &options));
        assert!(LoadedModel::new(model).is_ok());
        let report = cross_validate(&pages, InputKind::Html, &options);
        assert!(report.mean.f1 > 0.95, "{:?}", report.mean);
    }

    #[test]
    fn training_is_deterministic() {
        let pages = toy_pages();
        let options = TrainOptions::default();
        assert_eq!(
            train_all(&pages, InputKind::Text, &options),
            train_all(&pages, InputKind::Text, &options)
        );
    }
}
