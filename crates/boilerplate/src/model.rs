//! The block classifier: stacked logistic regressions.
//!
//! 1. The **block model** scores each block alone from its [features](crate::features)
//!    (a weight per feature slot; a logit out).
//! 2. The **context model** rescores each block from the block model's logits of the block and
//!    its neighbours. Article text is contiguous: a short line between two confident paragraphs
//!    is a subheading, the same line among menu items is a menu item. A second small regression
//!    learns how much to trust neighbours instead of hand-tuned smoothing. It runs twice
//!    ([`context_round`]): the second round reads the first round's logits, so a block whose
//!    neighbours were themselves rescued by context gets a second look.
//! 3. Optionally, **boosted trees** ([`crate::trees`]) add to the second round's logit from
//!    [`tree_inputs`]: the block's dense features, its second-round context inputs and both
//!    earlier logits, so that interactions the linear rounds cannot form (length by link
//!    density by position by container) are learned rather than added as crosses one by one.
//!
//! The rounds are plain weight vectors and a flat forest, so scoring is one sparse dot product
//! per block plus a few dozen multiplications and a few hundred comparisons, and the shipped
//! model is a JSON file that a person can open.

use serde::{Deserialize, Serialize};

use crate::block::Block;
use crate::block::CONTAINER_LEVELS;
use crate::features::{
    page_features_into, FeatureRows, FeatureSink, PageStats, DENSE, DIM, FEATURE_VERSION,
    NO_CONTAINER,
};
use crate::trees::{Forest, ForestBatch, PackedForest, PADDED_INPUTS};

/// Number of context-model inputs, see [`context_inputs`].
pub const CONTEXT_INPUTS: usize = 25;

/// Number of tree inputs, see [`tree_inputs`]: the dense feature slots but the bias, the
/// context inputs but the constant, the block logit and the second round's logit.
pub const TREE_INPUTS: usize = (DENSE - 1) + (CONTEXT_INPUTS - 1) + 2;
const _: () = assert!(TREE_INPUTS <= PADDED_INPUTS);

/// The value a missing neighbour's logit takes: page edges lean towards boilerplate.
const EDGE_LOGIT: f32 = -2.0;

/// How many neighbours on each side the widest context window reads.
const WINDOW: usize = 10;

/// A trained classifier for one mode (HTML or plain text).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BlockModel {
    /// `html` or `text`: which block features it was trained on.
    pub mode: String,
    /// Number of feature slots ([`DIM`] when trained by this version).
    pub dim: usize,
    /// Version of the feature layout it was trained on ([`FEATURE_VERSION`]).
    pub features: u32,
    /// Non-zero block-model weights as `[slot, weight]`.
    pub block_weights: Vec<(u32, f32)>,
    /// Context-model weights, one per [`context_inputs`] entry.
    pub context_weights: Vec<f32>,
    /// Weights of a second context round over the first round's logits (empty: one round).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub refine_weights: Vec<f32>,
    /// Boosted trees added to the second round's logit (none: the rounds alone).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trees: Option<Forest>,
    /// The trees correct only blocks whose second-round logit is at most this far from 0
    /// (none: every block).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tree_margin: Option<f32>,
    /// Probability from which a block is kept.
    pub threshold: f32,
    /// How it was trained and what it scored, for the model card.
    #[serde(default)]
    pub provenance: serde_json::Value,
}

/// Errors loading a model.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ModelError {
    /// The JSON does not describe a model.
    #[error("model file is not valid: {0}")]
    Json(#[from] serde_json::Error),
    /// The model was trained for another feature space.
    #[error("model has {found} feature slots where this version has {expected}")]
    Dimension {
        /// Slots of this version.
        expected: usize,
        /// Slots of the model.
        found: usize,
    },
    /// The model was trained on another feature layout: retrain it.
    #[error(
        "model was trained on feature layout {found}; this version computes layout {expected}"
    )]
    FeatureVersion {
        /// Layout of this version.
        expected: u32,
        /// Layout of the model.
        found: u32,
    },
    /// A weight points outside the feature space, the context weights are the wrong size, or
    /// the trees do not fit the tree inputs (or come without a second round to add to).
    #[error("model weights do not fit the feature space")]
    Shape,
}

/// A model ready to score: its block weights expanded to a dense array.
#[derive(Debug, Clone)]
pub struct LoadedModel {
    /// The model as stored.
    pub model: BlockModel,
    dense: Box<[f32; DIM]>,
    /// `model.context_weights`, whose length `new` checked.
    context_weights: [f32; CONTEXT_INPUTS],
    /// `model.refine_weights`, when the model has a second round.
    refine_weights: Option<[f32; CONTEXT_INPUTS]>,
    /// `model.trees` laid out for scoring, when they fit the packed layout.
    packed_trees: Option<PackedForest>,
}

impl LoadedModel {
    /// Checks and expands a model.
    pub fn new(model: BlockModel) -> Result<Self, ModelError> {
        if model.dim != DIM {
            return Err(ModelError::Dimension {
                expected: DIM,
                found: model.dim,
            });
        }
        if model.features != FEATURE_VERSION {
            return Err(ModelError::FeatureVersion {
                expected: FEATURE_VERSION,
                found: model.features,
            });
        }
        let context_weights = <[f32; CONTEXT_INPUTS]>::try_from(model.context_weights.as_slice());
        let refine_weights = match model.refine_weights.len() {
            0 => Ok(None),
            _ => <[f32; CONTEXT_INPUTS]>::try_from(model.refine_weights.as_slice()).map(Some),
        };
        let (Ok(context_weights), Ok(refine_weights)) = (context_weights, refine_weights) else {
            return Err(ModelError::Shape);
        };
        if model.block_weights.iter().any(|&(i, _)| i as usize >= DIM) {
            return Err(ModelError::Shape);
        }
        if let Some(forest) = &model.trees {
            if !forest.is_well_formed()
                || forest.inputs_len as usize != TREE_INPUTS
                || refine_weights.is_none()
            {
                return Err(ModelError::Shape);
            }
        }
        let mut dense = Box::new([0.0; DIM]);
        for &(index, weight) in &model.block_weights {
            dense[index as usize] = weight;
        }
        let packed_trees = model.trees.as_ref().and_then(PackedForest::new);
        Ok(LoadedModel {
            model,
            dense,
            context_weights,
            refine_weights,
            packed_trees,
        })
    }

    /// Parses a model from its JSON form.
    pub fn from_json(json: &str) -> Result<Self, ModelError> {
        LoadedModel::new(serde_json::from_str(json)?)
    }

    /// Parses a model whose block weights come apart from its JSON, as little-endian
    /// `(slot: u32, weight: f32)` pairs (what the build script makes of the shipped models);
    /// `json`'s own `block_weights` must be empty.
    pub fn from_json_and_weights(json: &str, weights: &[u8]) -> Result<Self, ModelError> {
        let mut model: BlockModel = serde_json::from_str(json)?;
        if !model.block_weights.is_empty() || !weights.len().is_multiple_of(8) {
            return Err(ModelError::Shape);
        }
        model.block_weights = (weights.chunks_exact(8))
            .map(|pair| {
                let (slot, weight) = pair.split_at(4);
                let word = |bytes: &[u8]| <[u8; 4]>::try_from(bytes).expect("four bytes");
                (
                    u32::from_le_bytes(word(slot)),
                    f32::from_le_bytes(word(weight)),
                )
            })
            .collect();
        LoadedModel::new(model)
    }

    /// Block-model logits of every row.
    pub fn block_logits(&self, rows: &FeatureRows) -> Vec<f32> {
        (0..rows.len())
            .map(|i| rows.dot(i, &self.dense[..]))
            .collect()
    }

    /// Probability that each block is article content, from the page's feature rows.
    pub fn probabilities(&self, page: &PageStats, rows: &FeatureRows) -> Vec<f32> {
        let dense = match self.model.trees {
            Some(_) => dense_rows(rows),
            None => Vec::new(),
        };
        self.probabilities_from_logits(page, &self.block_logits(rows), &dense)
    }

    /// Measures a page's blocks and scores them: the page's statistics and the probability
    /// that each block is article content, as [`page_features`](crate::features::page_features)
    /// and [`LoadedModel::probabilities`] give them (the same numbers to the last bit), but
    /// with each block's features folded into its dot product as they are made instead of
    /// stored and read back.
    pub fn score_page(&self, blocks: &[Block]) -> (PageStats, Vec<f32>) {
        let mut logits = BlockLogits {
            weights: &self.dense,
            sum: -0.0,
            logits: Vec::with_capacity(blocks.len()),
        };
        if self.model.trees.is_none() {
            let page = page_features_into(blocks, &mut logits);
            let probabilities = self.probabilities_from_logits(&page, &logits.logits, &[]);
            return (page, probabilities);
        }
        // The trees read the dense slots too: keep them per block on the way, written in
        // place row by row (a row built aside and pushed was copied, and the next one
        // zeroed, per block).
        let mut sink = BlockLogitsAndDense {
            logits,
            dense: vec![[0.0; DENSE]; blocks.len()],
            row: 0,
        };
        let page = page_features_into(blocks, &mut sink);
        let probabilities = self.probabilities_from_logits(&page, &sink.logits.logits, &sink.dense);
        (page, probabilities)
    }

    /// `dense` holds every block's dense slots when the model has trees (it is not read
    /// otherwise).
    fn probabilities_from_logits(
        &self,
        page: &PageStats,
        block_logits: &[f32],
        dense: &[[f32; DENSE]],
    ) -> Vec<f32> {
        let mut logits = context_round(block_logits, page, &self.context_weights);
        if let Some(refine_weights) = &self.refine_weights {
            logits = match &self.model.trees {
                Some(forest) => tree_round(
                    block_logits,
                    &logits,
                    page,
                    dense,
                    refine_weights,
                    self.packed_trees.as_ref().ok_or(forest),
                    self.model.tree_margin,
                ),
                None => context_round(&logits, page, refine_weights),
            };
        }
        logits.into_iter().map(sigmoid).collect()
    }
}

/// A [`FeatureSink`] that keeps only each row's dot product with the block weights: the
/// block model's logits.
struct BlockLogits<'w> {
    weights: &'w [f32; DIM],
    /// The current row's sum, started like `Iterator::sum` starts (at -0.0, which any first
    /// term replaces exactly), so that the logits equal [`FeatureRows::dot`]'s bit for bit.
    sum: f32,
    logits: Vec<f32>,
}

impl FeatureSink for BlockLogits<'_> {
    #[inline]
    fn push(&mut self, slot: u32, value: f32) {
        // Slots are below DIM (a power of two), so the mask changes nothing but lets the
        // compiler drop the bounds test.
        self.sum += self.weights[slot as usize & (DIM - 1)] * value;
    }

    fn end_row(&mut self) {
        self.logits.push(self.sum);
        self.sum = -0.0;
    }
}

/// A [`BlockLogits`] that also keeps each block's dense slots (the first [`DENSE`]), which
/// the trees read; hashed slots only go into the dot product.
struct BlockLogitsAndDense<'w> {
    logits: BlockLogits<'w>,
    /// One zeroed row per block, made at once; the current block's is `dense[row]`.
    dense: Vec<[f32; DENSE]>,
    row: usize,
}

impl FeatureSink for BlockLogitsAndDense<'_> {
    #[inline]
    fn push(&mut self, slot: u32, value: f32) {
        self.logits.push(slot, value);
        if let Some(entry) = self
            .dense
            .get_mut(self.row)
            .and_then(|row| row.get_mut(slot as usize))
        {
            *entry += value;
        }
    }

    #[inline]
    fn push_hashed(&mut self, hash: u64, value: f32) {
        self.logits.push_hashed(hash, value);
    }

    fn end_row(&mut self) {
        self.logits.end_row();
        self.row += 1;
    }
}

/// The dense slots (the first [`DENSE`]) of every row, as the scoring sink keeps them.
pub fn dense_rows(rows: &FeatureRows) -> Vec<[f32; DENSE]> {
    (0..rows.len())
        .map(|i| {
            let mut dense = [0.0; DENSE];
            for (slot, value) in rows.row(i) {
                if let Some(entry) = dense.get_mut(slot) {
                    *entry += value;
                }
            }
            dense
        })
        .collect()
}

/// The second context round's logit of a block from its context `inputs`: the same sum, in
/// the same order, as [`context_round`]'s.
#[inline]
fn second_round_logit(
    inputs: &[f32; CONTEXT_INPUTS],
    refine_weights: &[f32; CONTEXT_INPUTS],
) -> f32 {
    inputs.iter().zip(refine_weights).map(|(x, w)| x * w).sum()
}

/// What the trees read of a block, written to `x`: its dense slots but the bias, the second
/// round's context `inputs` but the constant, its block logit (clamped as the context inputs
/// clamp logits) and, last (at `TREE_INPUTS - 1`), its second-round logit `refined`.
#[inline]
fn fill_tree_input(
    x: &mut [f32; TREE_INPUTS],
    inputs: &[f32; CONTEXT_INPUTS],
    dense: &[f32; DENSE],
    block_logit: f32,
    refined: f32,
) {
    x[..DENSE - 1].copy_from_slice(&dense[1..]);
    x[DENSE - 1..DENSE - 1 + CONTEXT_INPUTS - 1].copy_from_slice(&inputs[1..]);
    x[TREE_INPUTS - 2] = block_logit.clamp(-8.0, 8.0);
    x[TREE_INPUTS - 1] = refined;
}

/// The tree inputs ([`fill_tree_input`]) of a page's blocks, from their block logits, the
/// first round's logits and their dense slots: the second round's logit of block `i` is
/// `rows[i][TREE_INPUTS - 1]`.
pub fn tree_inputs(
    block_logits: &[f32],
    first_round: &[f32],
    page: &PageStats,
    dense: &[[f32; DENSE]],
    refine_weights: &[f32; CONTEXT_INPUTS],
) -> Vec<[f32; TREE_INPUTS]> {
    let frame = ContextFrame::new(first_round, page);
    (0..first_round.len())
        .map(|i| {
            let inputs = frame.inputs(i);
            let refined = second_round_logit(&inputs, refine_weights);
            let mut x = [0.0; TREE_INPUTS];
            fill_tree_input(&mut x, &inputs, &dense[i], block_logits[i], refined);
            x
        })
        .collect()
}

/// Whether a block whose second-round logit is `refined` is confident enough that the trees
/// leave it alone (`margin` is the model's [`BlockModel::tree_margin`]), in training as in
/// scoring.
pub fn beyond_tree_margin(refined: f32, margin: Option<f32>) -> bool {
    margin.is_some_and(|margin| refined.abs() > margin)
}

/// The second context round with the trees' correction added: the final logits. The trees
/// are the packed ones when they could be packed (`Ok`), else the stored ones (`Err`).
fn tree_round(
    block_logits: &[f32],
    first_round: &[f32],
    page: &PageStats,
    dense: &[[f32; DENSE]],
    refine_weights: &[f32; CONTEXT_INPUTS],
    trees: Result<&PackedForest, &Forest>,
    margin: Option<f32>,
) -> Vec<f32> {
    let frame = ContextFrame::new(first_round, page);
    let mut logits = Vec::with_capacity(first_round.len());
    let mut trees = trees.map(ForestBatch::<TREE_INPUTS>::new);
    for i in 0..first_round.len() {
        // A confident block keeps the second round's logit: its tree inputs are made only
        // for the doubtful ones.
        let inputs = frame.inputs(i);
        let refined = second_round_logit(&inputs, refine_weights);
        logits.push(refined);
        if beyond_tree_margin(refined, margin) {
            continue;
        }
        let fill = |x: &mut [f32; TREE_INPUTS]| {
            fill_tree_input(x, &inputs, &dense[i], block_logits[i], refined)
        };
        match &mut trees {
            Ok(batch) => batch.push(i, &mut logits, fill),
            Err(forest) => {
                let mut x = [0.0; TREE_INPUTS];
                fill(&mut x);
                logits[i] += forest.score(&x);
            }
        }
    }
    if let Ok(batch) = trees {
        batch.finish(&mut logits);
    }
    logits
}

/// One round of the context model: `weights` applied to the [`context_inputs`] of `logits`,
/// giving new logits.
///
/// Each block's inputs are folded into its dot product as they are made, on the stack, rather
/// than stored for the whole page and read back; the weights as an array of the inputs'
/// length let the dot product's loop unroll.
pub fn context_round(
    logits: &[f32],
    page: &PageStats,
    weights: &[f32; CONTEXT_INPUTS],
) -> Vec<f32> {
    let frame = ContextFrame::new(logits, page);
    (0..logits.len())
        .map(|i| {
            frame
                .inputs(i)
                .iter()
                .zip(weights)
                .map(|(x, w)| x * w)
                .sum()
        })
        .collect()
}

/// The logistic function.
pub fn sigmoid(z: f32) -> f32 {
    1.0 / (1.0 + (-z).exp())
}

/// Context-model inputs of every block: its own block logit, its neighbours', window means,
/// the share of confident blocks nearby, its length, the mean logit of the other blocks in its
/// nearest three containers (in HTML, article paragraphs are siblings in one container), how it
/// compares with the page's most confident blocks, whether it sits in the page's most
/// article-like container, and whether it comes before or after that container.
///
/// The page-relative inputs are there because a block model's confidence varies from site to
/// site: on an unusual page the article can score below the threshold everywhere while still
/// standing out from the rest of its page.
pub fn context_inputs(logits: &[f32], page: &PageStats) -> Vec<[f32; CONTEXT_INPUTS]> {
    let frame = ContextFrame::new(logits, page);
    (0..logits.len()).map(|i| frame.inputs(i)).collect()
}

/// What the [`context_inputs`] of a page's blocks are made from, gathered once per round.
struct ContextFrame<'p> {
    page: &'p PageStats,
    /// The clamped logits with [`EDGE_LOGIT`] for the [`WINDOW`] neighbours beyond both page
    /// edges: every window is then a plain slice, summed in order, with no bounds test per
    /// entry.
    padded: Vec<f32>,
    /// How many of the first `k` entries of `padded` are positive, at `k`: a window's count of
    /// confident neighbours is then two differences instead of ten comparisons per block and
    /// round (the counts are integers, so the share is the same to the bit).
    positives_before: Vec<u32>,
    /// Per container level, the sum and count of the clamped logits of the blocks in each
    /// container (by position).
    container_sums: [Vec<(f32, u32)>; CONTAINER_LEVELS],
    page_max: f32,
    top_mean: f32,
    /// The page's most article-like container (by position), if any.
    best: Option<u32>,
    /// The first and last block of the best container (or, in plain text, of the best run of
    /// lines).
    best_span: Option<(usize, usize)>,
    /// Whether blocks before `best_span` are marked (HTML) or only those after it (plain text).
    marks_before: bool,
}

impl<'p> ContextFrame<'p> {
    fn new(logits: &[f32], page: &'p PageStats) -> Self {
        let clamped: Vec<f32> = logits.iter().map(|z| z.clamp(-8.0, 8.0)).collect();
        let mut padded = vec![EDGE_LOGIT; clamped.len() + 2 * WINDOW];
        padded[WINDOW..WINDOW + clamped.len()].copy_from_slice(&clamped);
        let positives_before = std::iter::once(0)
            .chain(padded.iter().scan(0, |count, &z| {
                *count += u32::from(z > 0.0);
                Some(*count)
            }))
            .collect();
        let container_count = page.container_serials.len();
        let container_sums: [Vec<(f32, u32)>; CONTAINER_LEVELS] = std::array::from_fn(|level| {
            let mut sums = vec![(0.0f32, 0u32); container_count];
            // Plain text has no containers: nothing to sum.
            if container_count == 0 {
                return sums;
            }
            for (positions, &z) in page.container_positions.iter().zip(&clamped) {
                if let Some(entry) = sums.get_mut(positions[level] as usize) {
                    entry.0 += z;
                    entry.1 += 1;
                }
            }
            sums
        });
        let page_max = clamped.iter().copied().fold(EDGE_LOGIT, f32::max);
        let top_mean = top_mean(&clamped, 5);
        let best = best_container(&clamped, page);
        let mut frame = ContextFrame {
            page,
            padded,
            positives_before,
            container_sums,
            page_max,
            top_mean,
            best,
            best_span: None,
            marks_before: false,
        };
        // Where the best container starts and ends in reading order: comment threads, "related
        // posts" and author boxes follow the article, menus and teasers of the front page
        // precede it, on every site and in every language, while the article's own subheadings
        // and captions sit between its first and last block.
        // Plain text has no containers: there the article is the best run of lines, and only
        // "after it" is used, because the run's start cuts off the title and lead of
        // hard-wrapped text (with "before" too, cross-validated snippet recall fell from 0.921 to
        // 0.886).
        (frame.best_span, frame.marks_before) = if best.is_some() {
            let first = (0..logits.len()).find(|&i| frame.in_best(i));
            (
                first.zip((0..logits.len()).rfind(|&i| frame.in_best(i))),
                true,
            )
        } else if container_count == 0 {
            (best_run(&clamped, page), false)
        } else {
            (None, false)
        };
        frame
    }

    fn in_best(&self, i: usize) -> bool {
        self.best
            .is_some_and(|position| self.page.container_positions[i].contains(&position))
    }

    /// The inputs of block `i`.
    #[inline]
    fn inputs(&self, i: usize) -> [f32; CONTEXT_INPUTS] {
        let (page, padded) = (self.page, &self.padded);
        // Block i's logit sits at c in `padded`; c - WINDOW ..= c + WINDOW is in range.
        let c = i + WINDOW;
        // The positive logits among the five before and the five after.
        let positives = &self.positives_before;
        let positive_count =
            (positives[c] - positives[c - 5]) + (positives[c + 6] - positives[c + 1]);
        let positive_share = positive_count as f32 / 10.0;
        let (own, prev, next) = (padded[c], padded[c - 1], padded[c + 1]);
        let (words, log_words) = (page.blocks[i].words, page.blocks[i].log_words);
        let siblings = |level: usize| -> (f32, f32) {
            let position = page.container_positions[i][level];
            match self.container_sums[level].get(position as usize) {
                Some(&(sum, count)) if count > 1 => ((sum - own) / (count - 1) as f32, 1.0),
                _ => (0.0, 0.0),
            }
        };
        let (near_mean, near_has) = siblings(0);
        let (far_mean, far_has) = siblings(1);
        let (farthest_mean, farthest_has) = siblings(2);
        let in_best = self.in_best(i);
        let (before_best, after_best) = match self.best_span {
            Some((first, last)) if !in_best => (self.marks_before && i < first, i > last),
            _ => (false, false),
        };
        [
            1.0,
            own,
            prev,
            next,
            padded[c - 2],
            padded[c + 2],
            window_mean::<3>(padded, c),
            window_mean::<WINDOW>(padded, c),
            prev.max(next),
            prev.min(next),
            positive_share,
            log_words,
            if words <= 3 { own } else { 0.0 },
            near_mean,
            near_has,
            far_mean,
            far_has,
            farthest_mean,
            farthest_has,
            self.page_max,
            own - self.page_max,
            own - self.top_mean,
            if in_best { 1.0 } else { 0.0 },
            if before_best { 1.0 } else { 0.0 },
            if after_best { 1.0 } else { 0.0 },
        ]
    }
}

/// The `R` values before and the `R` values after position `c` of `padded`, as arrays: their
/// length known at compile time, the loops over them are unrolled.
#[inline(always)]
fn around<const R: usize>(padded: &[f32], c: usize) -> (&[f32; R], &[f32; R]) {
    let before = padded[c - R..c].try_into().expect("R values before");
    let after = padded[c + 1..=c + R].try_into().expect("R values after");
    (before, after)
}

/// The mean of the `R` neighbours on each side of position `c` of `padded`, summed before
/// then after, in order.
#[inline(always)]
fn window_mean<const R: usize>(padded: &[f32], c: usize) -> f32 {
    let (before, after) = around::<R>(padded, c);
    let sum: f32 = before.iter().chain(after).sum();
    sum / (2 * R) as f32
}

/// Mean of the `k` largest values (of all of them when there are fewer).
fn top_mean(values: &[f32], k: usize) -> f32 {
    let mut top = [f32::MIN; 8];
    let k = k.min(top.len()).min(values.len());
    if k == 0 {
        return EDGE_LOGIT;
    }
    for &v in values {
        if v > top[k - 1] {
            top[k - 1] = v;
            top[..k].sort_by(|a, b| b.total_cmp(a));
        }
    }
    top[..k].iter().sum::<f32>() / k as f32
}

/// The run of consecutive blocks where the block model sees the most article (words of
/// confident blocks minus words of doubtful ones, the maximum-sum segment), as first and last
/// position: plain text has no containers, but its article is still one stretch of lines,
/// with menus before it and comments and teasers after it. None when no block is confident.
fn best_run(logits: &[f32], page: &PageStats) -> Option<(usize, usize)> {
    let mut best: Option<(f32, usize, usize)> = None;
    let (mut sum, mut start) = (0.0f32, 0);
    for (i, (&z, stats)) in logits.iter().zip(&page.blocks).enumerate() {
        if sum <= 0.0 {
            sum = 0.0;
            start = i;
        }
        sum += stats.words as f32 * (z / 2.0).tanh();
        if sum > 0.0 && best.is_none_or(|(b, _, _)| sum > b) {
            best = Some((sum, start, i));
        }
    }
    best.map(|(_, first, last)| (first, last))
}

/// The container (of any remembered level) where the block model sees the most article:
/// words of confident blocks minus words of doubtful ones, so the page body, which holds the
/// article and every menu, loses to the element that holds the article alone. Its position
/// in [`PageStats::container_serials`] (ties go to the lower serial), `None` if none.
fn best_container(logits: &[f32], page: &PageStats) -> Option<u32> {
    // Plain text has no containers: no block's weight (a `tanh` each) would count.
    if page.container_serials.is_empty() {
        return None;
    }
    let mut mass = vec![0.0f32; page.container_serials.len()];
    for ((positions, &z), stats) in (page.container_positions.iter().zip(logits)).zip(&page.blocks)
    {
        let weight = stats.words as f32 * (z / 2.0).tanh();
        for &position in positions.iter().filter(|&&p| p != NO_CONTAINER) {
            mass[position as usize] += weight;
        }
    }
    (page.container_serials.iter().zip(mass).enumerate())
        .filter(|&(_, (_, m))| m > 0.0)
        .max_by(|(_, a), (_, b)| a.1.total_cmp(&b.1).then(b.0.cmp(a.0)))
        .map(|(position, _)| position as u32)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::block::CONTAINER_LEVELS;
    use crate::features::page_features;

    fn tiny_model() -> BlockModel {
        BlockModel {
            mode: "text".into(),
            dim: DIM,
            features: FEATURE_VERSION,
            block_weights: vec![(0, -1.0), (1, 1.0)],
            context_weights: {
                let mut w = vec![0.0; CONTEXT_INPUTS];
                w[1] = 1.0;
                w
            },
            refine_weights: Vec::new(),
            trees: None,
            tree_margin: None,
            threshold: 0.5,
            provenance: serde_json::Value::Null,
        }
    }

    #[test]
    fn longer_blocks_score_higher_with_a_length_weight() {
        let model = LoadedModel::new(tiny_model()).unwrap();
        let blocks = [
            Block::plain("Menu"),
            Block::plain("A much longer block of text with many words in it."),
        ];
        let (page, rows) = page_features(&blocks);
        let p = model.probabilities(&page, &rows);
        assert!(p[0] < 0.5 && p[1] > 0.5, "{p:?}");
    }

    #[test]
    fn rejects_models_of_another_shape() {
        let mut model = tiny_model();
        model.dim = 10;
        assert!(matches!(
            LoadedModel::new(model),
            Err(ModelError::Dimension { .. })
        ));
        let mut model = tiny_model();
        model.context_weights.pop();
        assert!(matches!(LoadedModel::new(model), Err(ModelError::Shape)));
    }

    #[test]
    fn rejects_trees_that_do_not_fit_the_tree_inputs() {
        let forest = |inputs_len: usize| Forest {
            depth: 1,
            inputs_len: inputs_len as u32,
            inputs: vec![0],
            cuts: vec![0.5],
            leaves: vec![-1.0, 1.0],
        };
        let mut model = tiny_model();
        model.refine_weights = model.context_weights.clone();
        model.trees = Some(forest(TREE_INPUTS - 1));
        assert!(matches!(
            LoadedModel::new(model.clone()),
            Err(ModelError::Shape)
        ));
        model.trees = Some(forest(TREE_INPUTS));
        assert!(LoadedModel::new(model.clone()).is_ok());
        // The trees add to the second round: a model without one has nothing to add to.
        model.refine_weights.clear();
        assert!(matches!(LoadedModel::new(model), Err(ModelError::Shape)));
    }

    #[test]
    fn trees_add_to_the_second_round() {
        // Two blocks of the same length: the second round sees no difference between them, a
        // stump on "starts with an uppercase letter" (dense slot 7, tree input 6) does.
        let mut model = tiny_model();
        model.refine_weights = model.context_weights.clone();
        model.trees = Some(Forest {
            depth: 1,
            inputs_len: TREE_INPUTS as u32,
            inputs: vec![6],
            cuts: vec![0.5],
            leaves: vec![-3.0, 3.0],
        });
        let model = LoadedModel::new(model).unwrap();
        let blocks = [
            Block::plain("Capital words here"),
            Block::plain("small words here"),
        ];
        let (page, rows) = page_features(&blocks);
        let p = model.probabilities(&page, &rows);
        assert!(p[0] > 0.9 && p[1] < 0.1, "{p:?}");
        let (_, scored) = model.score_page(&blocks);
        assert_eq!(scored, p);
        // With a margin below the blocks' second-round logit (about 0.39 here) the trees
        // leave them alone.
        let mut model = model.model.clone();
        model.tree_margin = Some(0.1);
        let model = LoadedModel::new(model).unwrap();
        let p = model.probabilities(&page, &rows);
        assert_eq!(p[0], p[1]);
        assert!(p[0] > 0.5 && p[0] < 0.7, "{p:?}");
    }

    #[test]
    fn blocks_before_and_after_the_best_container_are_marked() {
        let in_container = |serial: u32, text: &str| Block {
            text: text.to_string().into(),
            containers: [serial, 1, 0],
            ..Block::default()
        };
        let blocks = [
            in_container(2, "Home"),
            in_container(
                3,
                "The first paragraph of the article, long enough to count.",
            ),
            in_container(3, "The second paragraph of the article, also long enough."),
            in_container(4, "A comment below the article"),
        ];
        let (page, _) = page_features(&blocks);
        let inputs = context_inputs(&[-2.0, 4.0, 4.0, -2.0], &page);
        let flags: Vec<(f32, f32, f32)> = inputs
            .iter()
            .map(|x| {
                (
                    x[CONTEXT_INPUTS - 3],
                    x[CONTEXT_INPUTS - 2],
                    x[CONTEXT_INPUTS - 1],
                )
            })
            .collect();
        // (in the best container, before it, after it)
        assert_eq!(
            flags,
            [
                (0.0, 1.0, 0.0),
                (1.0, 0.0, 0.0),
                (1.0, 0.0, 0.0),
                (0.0, 0.0, 1.0)
            ]
        );
    }

    #[test]
    fn plain_text_lines_after_the_article_run_are_marked() {
        let blocks = [
            Block::plain("Home"),
            Block::plain("The first paragraph of the article, long enough to count."),
            Block::plain("Short subheading"),
            Block::plain("The second paragraph of the article, also long enough."),
            Block::plain("Comments"),
            Block::plain("Great piece, thanks for writing it"),
        ];
        let (page, _) = page_features(&blocks);
        assert_eq!(
            best_run(&[-2.0, 4.0, -0.5, 4.0, -2.0, -1.0], &page),
            Some((1, 3))
        );
        let inputs = context_inputs(&[-2.0, 4.0, -0.5, 4.0, -2.0, -1.0], &page);
        let before: Vec<f32> = inputs.iter().map(|x| x[CONTEXT_INPUTS - 2]).collect();
        let after: Vec<f32> = inputs.iter().map(|x| x[CONTEXT_INPUTS - 1]).collect();
        assert_eq!(before, [0.0; 6]);
        assert_eq!(after, [0.0, 0.0, 0.0, 0.0, 1.0, 1.0]);
        assert_eq!(best_run(&[-1.0, -3.0], &page), None);
    }

    /// `context_inputs` as first written: neighbours looked up with a bounds test each, and
    /// per-container sums in hash maps keyed by serial.
    fn context_inputs_by_serial(logits: &[f32], page: &PageStats) -> Vec<[f32; CONTEXT_INPUTS]> {
        use rustc_hash::FxHashMap as HashMap;
        // Each block's container serials (0 for none), as the blocks give them.
        let block_containers: Vec<[u32; CONTAINER_LEVELS]> = (page.container_positions.iter())
            .map(|positions| {
                positions.map(|p| match p {
                    NO_CONTAINER => 0,
                    p => page.container_serials[p as usize],
                })
            })
            .collect();
        let clamped: Vec<f32> = logits.iter().map(|z| z.clamp(-8.0, 8.0)).collect();
        let at = |j: isize| -> f32 {
            usize::try_from(j)
                .ok()
                .and_then(|j| clamped.get(j).copied())
                .unwrap_or(EDGE_LOGIT)
        };
        let container_sums: [HashMap<u32, (f32, u32)>; CONTAINER_LEVELS] =
            std::array::from_fn(|level| {
                let mut sums: HashMap<u32, (f32, u32)> = HashMap::default();
                for (containers, &z) in block_containers.iter().zip(&clamped) {
                    if containers[level] != 0 {
                        let entry = sums.entry(containers[level]).or_insert((0.0, 0));
                        entry.0 += z;
                        entry.1 += 1;
                    }
                }
                sums
            });
        let mut mass: HashMap<u32, f32> = HashMap::default();
        for ((containers, &z), stats) in block_containers.iter().zip(&clamped).zip(&page.blocks) {
            let weight = stats.words as f32 * (z / 2.0).tanh();
            for &serial in containers.iter().filter(|&&s| s != 0) {
                *mass.entry(serial).or_insert(0.0) += weight;
            }
        }
        let best = (mass.into_iter())
            .filter(|&(_, m)| m > 0.0)
            .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)))
            .map_or(0, |(serial, _)| serial);
        let page_max = clamped.iter().copied().fold(EDGE_LOGIT, f32::max);
        let top_mean = top_mean(&clamped, 5);
        let in_best = |i: usize| best != 0 && block_containers[i].contains(&best);
        let (best_span, marks_before) = if best != 0 {
            let first = (0..logits.len()).find(|&i| in_best(i));
            (first.zip((0..logits.len()).rfind(|&i| in_best(i))), true)
        } else if (block_containers.iter()).all(|c| c.iter().all(|&s| s == 0)) {
            (best_run(&clamped, page), false)
        } else {
            (None, false)
        };
        (0..logits.len())
            .map(|i| {
                let c = i as isize;
                let window_mean = |radius: isize| -> f32 {
                    let sum: f32 = (c - radius..=c + radius).filter(|&j| j != c).map(at).sum();
                    sum / (2 * radius) as f32
                };
                let positive_share =
                    (c - 5..=c + 5).filter(|&j| j != c && at(j) > 0.0).count() as f32 / 10.0;
                let (own, prev, next) = (at(c), at(c - 1), at(c + 1));
                let words = page.blocks[i].words;
                let siblings = |level: usize| -> (f32, f32) {
                    let serial = block_containers[i][level];
                    match container_sums[level].get(&serial) {
                        Some(&(sum, count)) if serial != 0 && count > 1 => {
                            ((sum - own) / (count - 1) as f32, 1.0)
                        }
                        _ => (0.0, 0.0),
                    }
                };
                let (near_mean, near_has) = siblings(0);
                let (far_mean, far_has) = siblings(1);
                let (farthest_mean, farthest_has) = siblings(2);
                let in_best = in_best(i);
                let (before_best, after_best) = match best_span {
                    Some((first, last)) if !in_best => (marks_before && i < first, i > last),
                    _ => (false, false),
                };
                let flag = |b: bool| if b { 1.0 } else { 0.0 };
                [
                    1.0,
                    own,
                    prev,
                    next,
                    at(c - 2),
                    at(c + 2),
                    window_mean(3),
                    window_mean(10),
                    prev.max(next),
                    prev.min(next),
                    positive_share,
                    (1.0 + words as f32).ln(),
                    if words <= 3 { own } else { 0.0 },
                    near_mean,
                    near_has,
                    far_mean,
                    far_has,
                    farthest_mean,
                    farthest_has,
                    page_max,
                    own - page_max,
                    own - top_mean,
                    flag(in_best),
                    flag(before_best),
                    flag(after_best),
                ]
            })
            .collect()
    }

    #[test]
    fn context_inputs_match_the_lookup_version_bit_for_bit() {
        // Pages of 0 to 40 blocks in overlapping containers (and plain-text pages without
        // any), with logits that cross the clamp, from a fixed linear congruential sequence.
        let mut next = crate::test_sequence(0x2545_f491_4f6c_dd1d);
        for page_number in 0..60 {
            let plain = page_number % 4 == 0;
            let blocks: Vec<Block> = (0..next(41))
                .map(|_| Block {
                    text: "word ".repeat(1 + next(30) as usize).into(),
                    containers: if plain {
                        [0; CONTAINER_LEVELS]
                    } else {
                        [10 + next(6) as u32, next(3) as u32, 1]
                    },
                    ..Block::default()
                })
                .collect();
            let (page, _) = page_features(&blocks);
            let logits: Vec<f32> = (0..blocks.len())
                .map(|_| (next(2001) as f32 - 1000.0) / 90.0)
                .collect();
            let bits = |rows: Vec<[f32; CONTEXT_INPUTS]>| -> Vec<Vec<u32>> {
                rows.iter()
                    .map(|row| row.iter().map(|x| x.to_bits()).collect())
                    .collect()
            };
            assert_eq!(
                bits(context_inputs(&logits, &page)),
                bits(context_inputs_by_serial(&logits, &page)),
                "page {page_number}"
            );
        }
    }

    #[test]
    fn scoring_a_page_in_one_pass_gives_the_probabilities_of_its_stored_rows() {
        // The shipped models on two bench fixture pages (in both modes) and a small page.
        let fixture = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../benches/fixtures/boilerplate");
        let read = |name: &str| std::fs::read_to_string(fixture.join(name)).unwrap();
        let html_model = LoadedModel::from_json(crate::extract::HTML_MODEL_JSON).unwrap();
        let text_model = LoadedModel::from_json(crate::extract::TEXT_MODEL_JSON).unwrap();
        let mut pages = vec![
            (
                &html_model,
                crate::html::parse_html(&read("page-00.html")).blocks,
            ),
            (
                &html_model,
                crate::html::parse_html(&read("page-05.html")).blocks,
            ),
            (
                &html_model,
                crate::html::parse_html("<p>One line</p>").blocks,
            ),
            (&html_model, Vec::new()),
        ];
        for name in ["page-00.txt", "page-05.txt"] {
            let text = read(name);
            let lines = crate::block::lines_as_blocks(&text);
            pages.push((
                &text_model,
                lines.into_iter().map(|(_, b)| b.into_owned()).collect(),
            ));
        }
        for (model, blocks) in pages {
            let (page, rows) = page_features(&blocks);
            let stored: Vec<u32> = (model.probabilities(&page, &rows).iter())
                .map(|p| p.to_bits())
                .collect();
            let (_, scored) = model.score_page(&blocks);
            let scored: Vec<u32> = scored.iter().map(|p| p.to_bits()).collect();
            assert_eq!(scored, stored);
        }
    }

    #[test]
    fn context_inputs_pad_page_edges() {
        let (page, _) = page_features(&[Block::plain("x")]);
        let inputs = context_inputs(&[3.0], &page)[0];
        assert_eq!(inputs[1], 3.0);
        assert_eq!(inputs[2], EDGE_LOGIT);
    }
}
