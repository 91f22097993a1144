//! Gradient-boosted decision trees: the last round of the classifier.
//!
//! The block model and the context rounds are linear: each input moves a block's logit by the
//! same amount whatever the others say. Boilerplate is often told by interactions (a short
//! block that is all link is a menu entry before the article and a teaser after it; a long
//! paragraph in a container of links is a teaser's lead, in the article's container it is
//! text), and adding such crosses one by one as features stalled. A few hundred shallow trees
//! over the dense inputs (the block's own measurements, the context inputs and the earlier
//! rounds' logits) learn those interactions from the data.
//!
//! The trees correct the second context round: their leaves add to its logit, so with no
//! trees the model is what it was, and each tree only has to learn what the rounds before it
//! got wrong. Training ([`fit`]) is the usual second-order boosting of the logistic loss with
//! histogram splits (each input cut at up to [`MAX_CUTS`] quantiles of its training values),
//! level by level, to a fixed depth: deterministic, with no sampling. Every tree is complete
//! (a split that gains nothing sends every block left), so scoring a block ([`Forest::score`])
//! is `depth` comparisons per tree with no branch on the tree's shape and no allocation.

use serde::{Deserialize, Serialize};

/// Most cut points per input: 32 quantiles are enough for smooth inputs, and binary ones
/// have one.
pub const MAX_CUTS: usize = 32;

/// The cut of a split node that gained nothing: no finite input is above it (JSON has no
/// infinity).
const NEVER_RIGHT: f32 = f32::MAX;

/// A trained forest, stored flat: tree `t` has its `2^depth - 1` split nodes at
/// `t * (2^depth - 1) ..` of `inputs` and `cuts` (node `k`'s children are `2k + 1` and
/// `2k + 2`, breadth first) and its `2^depth` leaves at `t * 2^depth ..` of `leaves`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Forest {
    /// Depth of every tree.
    pub depth: u32,
    /// Number of inputs a block is described by.
    pub inputs_len: u32,
    /// The input each split node reads.
    pub inputs: Vec<u16>,
    /// A block goes right when its input is above the node's cut.
    pub cuts: Vec<f32>,
    /// What each leaf adds to the logit (learning rate included).
    pub leaves: Vec<f32>,
}

impl Forest {
    /// Number of trees.
    pub fn len(&self) -> usize {
        self.leaves.len() >> self.depth
    }

    /// True when the forest has no trees.
    pub fn is_empty(&self) -> bool {
        self.leaves.is_empty()
    }

    /// True when the arrays fit the depth and every split reads an input below `inputs_len`.
    pub fn is_well_formed(&self) -> bool {
        let (nodes, leaves) = shape(self.depth);
        self.depth >= 1
            && self.depth <= 8
            && self.leaves.len().is_multiple_of(leaves)
            && self.inputs.len() == self.len() * nodes
            && self.cuts.len() == self.inputs.len()
            && self.inputs.iter().all(|&i| u32::from(i) < self.inputs_len)
    }

    /// The sum of the leaves `x` falls into, one per tree. `x` must have `inputs_len` entries
    /// (checked by [`Forest::is_well_formed`] and the caller).
    #[inline]
    pub fn score(&self, x: &[f32]) -> f32 {
        let (nodes, leaves) = shape(self.depth);
        let mut sum = 0.0f32;
        let splits = self
            .inputs
            .chunks_exact(nodes)
            .zip(self.cuts.chunks_exact(nodes));
        for ((inputs, cuts), tree_leaves) in splits.zip(self.leaves.chunks_exact(leaves)) {
            let mut node = 0usize;
            for _ in 0..self.depth {
                let right = x[usize::from(inputs[node])] > cuts[node];
                node = 2 * node + 1 + usize::from(right);
            }
            sum += tree_leaves[node - nodes];
        }
        sum
    }
}

/// Inputs a [`PackedForest`] reads: a block's inputs padded with zeros to this length, so
/// that an input index stored as a byte needs neither a bounds test nor a mask.
pub const PADDED_INPUTS: usize = 256;
const _: () = assert!(PADDED_INPUTS == 1 << u8::BITS);

/// Deepest tree a [`PackedForest`] holds: its 15 split nodes and 16 leaves fill arrays of 16,
/// indexed through a mask.
const PACKED_DEPTH: u32 = 4;

/// Bytes of one column of [`Columns`].
const COLUMN_BYTES: usize = std::mem::size_of::<[f32; LANES]>();

#[derive(Debug, Clone, Default)]
struct PackedTree {
    /// Where each split node's input starts in [`Columns`], in bytes (the input times
    /// [`COLUMN_BYTES`]): the lanes' values of it are read with no multiplication.
    columns: [u16; 1 << PACKED_DEPTH],
    /// Each split node's cut.
    cuts: [f32; 1 << PACKED_DEPTH],
    leaves: [f32; 1 << PACKED_DEPTH],
}

impl PackedTree {
    /// The input split node `node` reads.
    #[inline]
    fn input(&self, node: usize) -> usize {
        usize::from(self.columns[node & ((1 << PACKED_DEPTH) - 1)]) / COLUMN_BYTES
    }
}

/// A [`Forest`] laid out for scoring: each tree's split nodes (inputs, cuts) and leaves in
/// fixed arrays, read through masks, so a level of a tree is a load, a comparison and an add
/// with no bounds test, and the whole forest of 150 trees (24 KB) stays in the first-level
/// cache. Scores equal [`Forest::score`]'s to the last bit (the same comparisons, the leaves
/// summed in the same order).
#[derive(Debug, Clone)]
pub struct PackedForest {
    depth: u32,
    trees: Vec<PackedTree>,
    /// The CPU has AVX2 ([`PackedForest::score_columns`] uses it).
    avx2: bool,
}

impl PackedForest {
    /// Packs a well-formed forest; `None` when its trees are deeper than 4 or it reads more
    /// than [`PADDED_INPUTS`] inputs.
    pub fn new(forest: &Forest) -> Option<Self> {
        if !forest.is_well_formed()
            || forest.depth > PACKED_DEPTH
            || forest.inputs_len as usize > PADDED_INPUTS
        {
            return None;
        }
        let (nodes, leaves) = shape(forest.depth);
        let trees = (forest.inputs.chunks_exact(nodes))
            .zip(forest.cuts.chunks_exact(nodes))
            .zip(forest.leaves.chunks_exact(leaves))
            .map(|((inputs, cuts), tree_leaves)| {
                let mut tree = PackedTree::default();
                for (column, &input) in tree.columns.iter_mut().zip(inputs) {
                    // Below `inputs_len`, so below PADDED_INPUTS: at most 8,160 bytes.
                    *column = u16::try_from(usize::from(input) * COLUMN_BYTES)
                        .expect("input checked against PADDED_INPUTS");
                }
                tree.cuts[..nodes].copy_from_slice(cuts);
                tree.leaves[..leaves].copy_from_slice(tree_leaves);
                tree
            })
            .collect();
        Some(PackedForest {
            depth: forest.depth,
            trees,
            #[cfg(target_arch = "x86_64")]
            avx2: std::arch::is_x86_feature_detected!("avx2"),
            #[cfg(not(target_arch = "x86_64"))]
            avx2: false,
        })
    }

    /// The sum of the leaves `x` (the inputs, padded) falls into, one per tree: the tree
    /// walked node by node, a comparison per level.
    pub fn score(&self, x: &[f32; PADDED_INPUTS]) -> f32 {
        const MASK: usize = (1 << PACKED_DEPTH) - 1;
        let first_leaf = (1usize << self.depth) - 1;
        let mut sum = 0.0f32;
        for tree in &self.trees {
            let mut node = 0usize;
            for _ in 0..self.depth {
                let right = x[tree.input(node) & (PADDED_INPUTS - 1)] > tree.cuts[node & MASK];
                node = 2 * node + 1 + usize::from(right);
            }
            sum += tree.leaves[(node - first_leaf) & MASK];
        }
        sum
    }

    /// The scores of [`LANES`] blocks at once, their inputs given as columns (`columns[k]`
    /// holds input `k` of every block). Each tree compares every one of its split nodes for
    /// all lanes (fifteen comparisons of eight lanes where a walk makes four of one), then
    /// keeps for each lane the comparisons on its path: no load waits on a comparison, and
    /// the lanes' work is the same vector operations. Each block's score is the same as
    /// [`PackedForest::score`]'s to the last bit (the same comparisons decide the same leaf,
    /// its leaves are summed in tree order).
    #[inline]
    fn score_columns(&self, columns: &Columns) -> [f32; LANES] {
        #[cfg(target_arch = "x86_64")]
        if self.avx2 {
            // SAFETY: `avx2` is set only when the CPU running us has AVX2.
            return unsafe { self.score_columns_avx2(columns) };
        }
        self.score_columns_any(columns)
    }

    /// [`PackedForest::score_columns`] with AVX2: a lane mask is one register, and a tree's
    /// leaves two, from which each lane's leaf is picked by its path.
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2")]
    fn score_columns_avx2(&self, columns: &Columns) -> [f32; LANES] {
        match self.depth {
            1 => avx2::score_columns::<1>(&self.trees, columns),
            2 => avx2::score_columns::<2>(&self.trees, columns),
            3 => avx2::score_columns::<3>(&self.trees, columns),
            _ => avx2::score_columns::<4>(&self.trees, columns),
        }
    }

    #[inline(always)]
    fn score_columns_any(&self, columns: &Columns) -> [f32; LANES] {
        match self.depth {
            1 => self.score_columns_at::<1>(columns),
            2 => self.score_columns_at::<2>(columns),
            3 => self.score_columns_at::<3>(columns),
            _ => self.score_columns_at::<4>(columns),
        }
    }

    /// [`PackedForest::score_columns`] without vector instructions: each tree walked for
    /// all lanes side by side, so that their walks (each a chain of dependent loads) overlap.
    #[inline(always)]
    fn score_columns_at<const DEPTH: usize>(&self, columns: &Columns) -> [f32; LANES] {
        const MASK: usize = (1 << PACKED_DEPTH) - 1;
        let mut sums = [0.0f32; LANES];
        for tree in &self.trees {
            let mut nodes = [0usize; LANES];
            for _ in 0..DEPTH {
                for (lane, node) in nodes.iter_mut().enumerate() {
                    let x = columns[tree.input(*node) & (PADDED_INPUTS - 1)][lane];
                    let right = x > tree.cuts[*node & MASK];
                    *node = 2 * *node + 1 + usize::from(right);
                }
            }
            for (sum, node) in sums.iter_mut().zip(nodes) {
                *sum += tree.leaves[(node + 1 - (1 << DEPTH)) & MASK];
            }
        }
        sums
    }
}

/// The AVX2 form of [`PackedForest::score_columns`].
#[cfg(target_arch = "x86_64")]
mod avx2 {
    use std::arch::x86_64::*;

    use super::{Columns, PackedTree, LANES, PACKED_DEPTH};

    /// The sides taken at each level, one lane mask per level (all ones: right).
    type Sides = [__m256; PACKED_DEPTH as usize];

    #[target_feature(enable = "avx2")]
    pub(super) fn score_columns<const DEPTH: usize>(
        trees: &[PackedTree],
        columns: &Columns,
    ) -> [f32; LANES] {
        let mut sums = _mm256_setzero_ps();
        for tree in trees {
            let mut sides = [_mm256_setzero_ps(); PACKED_DEPTH as usize];
            level::<0>(tree, columns, &mut sides);
            if DEPTH > 1 {
                level::<1>(tree, columns, &mut sides);
            }
            if DEPTH > 2 {
                level::<2>(tree, columns, &mut sides);
            }
            if DEPTH > 3 {
                level::<3>(tree, columns, &mut sides);
            }
            // The leaf is the sides' bits, the first level's highest: its low three bits
            // pick from each half of the leaves, the fourth (the root's side) the half. A
            // side is 0 or -1, so doubling and adding them spells minus the low three bits.
            let mut minus = _mm256_setzero_si256();
            for side in &sides[DEPTH.saturating_sub(3)..DEPTH] {
                minus = _mm256_add_epi32(minus, minus);
                minus = _mm256_add_epi32(minus, _mm256_castps_si256(*side));
            }
            let index = _mm256_sub_epi32(_mm256_setzero_si256(), minus);
            // SAFETY: `leaves` holds sixteen `f32`, two reads of eight.
            let (low, high) = unsafe {
                (
                    _mm256_loadu_ps(tree.leaves.as_ptr()),
                    _mm256_loadu_ps(tree.leaves.as_ptr().add(8)),
                )
            };
            let mut leaf = _mm256_permutevar8x32_ps(low, index);
            if DEPTH > 3 {
                let high = _mm256_permutevar8x32_ps(high, index);
                leaf = _mm256_blendv_ps(leaf, high, sides[0]);
            }
            sums = _mm256_add_ps(sums, leaf);
        }
        let mut out = [0.0f32; LANES];
        // SAFETY: `out` holds eight `f32`.
        unsafe { _mm256_storeu_ps(out.as_mut_ptr(), sums) };
        out
    }

    /// Sets `sides[LEVEL]` from the sides of the levels above it: every node of the level
    /// (node `first + k` is reached by the sides whose bits, the first level's highest, spell
    /// `k`) compared for every lane, then for each lane the comparison of the node on its
    /// path, found by halving the candidates by the deepest side taken so far, then the next.
    #[inline]
    #[target_feature(enable = "avx2")]
    fn level<const LEVEL: usize>(tree: &PackedTree, columns: &Columns, sides: &mut Sides) {
        const WIDEST: usize = 1 << (PACKED_DEPTH - 1);
        let first = (1 << LEVEL) - 1;
        let mut right = [_mm256_setzero_ps(); WIDEST];
        for (k, right) in right.iter_mut().enumerate().take(1 << LEVEL) {
            let offset = usize::from(tree.columns[first + k]);
            // SAFETY: `offset` is where a column of `columns` starts (an input below
            // PADDED_INPUTS times COLUMN_BYTES), and a column holds eight `f32`.
            let column =
                unsafe { _mm256_loadu_ps(columns.as_ptr().cast::<u8>().add(offset).cast::<f32>()) };
            // Right when the input is above the cut: `cut < x`, false for a NaN input, as
            // `x > cut`.
            *right = _mm256_cmp_ps::<_CMP_LT_OQ>(_mm256_set1_ps(tree.cuts[first + k]), column);
        }
        for j in (0..LEVEL).rev() {
            for k in 0..1 << j {
                right[k] = _mm256_blendv_ps(right[2 * k], right[2 * k + 1], sides[j]);
            }
        }
        sides[LEVEL] = right[0];
    }
}

/// Blocks scored side by side by [`ForestBatch`]: eight lanes of `f32`, one AVX register.
const LANES: usize = 8;

/// Inputs of [`LANES`] blocks by input: `columns[k][lane]` is input `k` of the block in
/// `lane`, padded with zero columns to [`PADDED_INPUTS`].
type Columns = [[f32; LANES]; PADDED_INPUTS];

/// Blocks waiting for a [`PackedForest`]'s correction, scored [`LANES`] at a time. A block's
/// inputs are the first `N` of its row, written in place, and turned into columns when the
/// batch is full: the padding is zeroed once, when the batch is made, and nothing writes it
/// after.
pub struct ForestBatch<'f, const N: usize> {
    forest: &'f PackedForest,
    rows: Box<[[f32; N]; LANES]>,
    columns: Box<Columns>,
    /// The waiting blocks' indices in the logits, row by row.
    blocks: [usize; LANES],
    waiting: usize,
}

impl<'f, const N: usize> ForestBatch<'f, N> {
    /// An empty batch for `forest`, whose blocks have `N` inputs.
    pub fn new(forest: &'f PackedForest) -> Self {
        const { assert!(N <= PADDED_INPUTS) };
        ForestBatch {
            forest,
            rows: Box::new([[0.0; N]; LANES]),
            columns: Box::new([[0.0; LANES]; PADDED_INPUTS]),
            blocks: [0; LANES],
            waiting: 0,
        }
    }

    /// Adds the forest's score of the inputs `fill` writes to `logits[i]`, now or at a later
    /// `push` or [`ForestBatch::finish`].
    pub fn push(&mut self, i: usize, logits: &mut [f32], fill: impl FnOnce(&mut [f32; N])) {
        fill(&mut self.rows[self.waiting]);
        self.blocks[self.waiting] = i;
        self.waiting += 1;
        if self.waiting == LANES {
            self.score_waiting(logits);
        }
    }

    /// Scores the blocks still waiting.
    pub fn finish(mut self, logits: &mut [f32]) {
        if self.waiting > 0 {
            self.score_waiting(logits);
        }
    }

    /// Scores the waiting blocks (the other lanes hold earlier blocks' inputs, scored again
    /// and ignored) and empties the batch.
    fn score_waiting(&mut self, logits: &mut [f32]) {
        for (k, column) in self.columns[..N].iter_mut().enumerate() {
            *column = std::array::from_fn(|lane| self.rows[lane][k]);
        }
        let scores = self.forest.score_columns(&self.columns);
        for (&i, score) in self.blocks.iter().zip(scores).take(self.waiting) {
            logits[i] += score;
        }
        self.waiting = 0;
    }
}

/// Split nodes and leaves of a complete tree of `depth`.
fn shape(depth: u32) -> (usize, usize) {
    let leaves = 1usize << depth;
    (leaves - 1, leaves)
}

/// Settings of the boosting.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct TreeOptions {
    /// Number of trees (0: no tree round).
    pub trees: usize,
    /// Depth of every tree.
    pub depth: u32,
    /// Shrinkage of every leaf.
    pub learning_rate: f32,
    /// L2 penalty on leaf values (in units of block weight).
    pub lambda: f64,
    /// Least summed Hessian (weighted `p(1-p)`) on each side of a split.
    pub min_hessian: f64,
    /// Per mode (HTML, plain text): when set, the trees look only at blocks whose
    /// second-round logit is at most this far from 0 (the doubtful ones), in training and in
    /// scoring.
    pub margin: [Option<f32>; 2],
}

impl Default for TreeOptions {
    fn default() -> Self {
        // 150 trees of depth 4 (600 comparisons per block): depth 3 scored the same on the
        // WCXB pages and lower on the snippet pages, 300 trees of depth 3 no better (see the
        // crate README).
        TreeOptions {
            trees: 150,
            depth: 4,
            learning_rate: 0.1,
            lambda: 1.0,
            min_hessian: 2.0,
            // Plain text within 2: its lines are many and short, and the trees on every line
            // cost two fifths of its speed; within 2 they look at about a fifth of the lines
            // and score as well (snippet pages better). HTML on every block: within 2 scored
            // 0.003 lower on the snippet pages, and HTML meets its speed bar with them.
            margin: [None, Some(2.0)],
        }
    }
}

/// Training rows: `inputs_len` values per row, row after row.
#[derive(Debug, Clone, Default)]
pub struct TreeRows {
    /// Values per row.
    pub inputs_len: usize,
    /// The rows' values.
    pub values: Vec<f32>,
}

impl TreeRows {
    /// Empty rows of `inputs_len` values each.
    pub fn new(inputs_len: usize) -> Self {
        TreeRows {
            inputs_len,
            values: Vec::new(),
        }
    }

    /// Number of rows.
    pub fn len(&self) -> usize {
        self.values.len().checked_div(self.inputs_len).unwrap_or(0)
    }

    /// True when there are no rows.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Row `i`.
    pub fn row(&self, i: usize) -> &[f32] {
        &self.values[i * self.inputs_len..(i + 1) * self.inputs_len]
    }

    /// Appends a row of exactly `inputs_len` values.
    pub fn push(&mut self, row: &[f32]) {
        assert_eq!(
            row.len(),
            self.inputs_len,
            "a tree row has one value per input"
        );
        self.values.extend_from_slice(row);
    }
}

/// Up to [`MAX_CUTS`] cut points of one input: quantiles of its values on the weighted rows,
/// without repeats, ascending.
fn cuts_of(values: &mut [f32]) -> Vec<f32> {
    values.sort_unstable_by(f32::total_cmp);
    let n = values.len();
    let mut cuts: Vec<f32> = (0..MAX_CUTS).map(|k| values[(k * n) / MAX_CUTS]).collect();
    cuts.dedup();
    // A cut at the largest value would leave its right side empty.
    if cuts.last() == values.last() {
        cuts.pop();
    }
    cuts
}

/// Fits `options.trees` trees that add to `base` (one logit per row) to predict `labels`,
/// weighting row `i` by `weights[i]` (rows of weight 0 are left out).
pub fn fit(
    rows: &TreeRows,
    base: &[f32],
    labels: &[bool],
    weights: &[f32],
    options: &TreeOptions,
) -> Forest {
    let inputs_len = rows.inputs_len;
    let depth = options.depth.clamp(1, 8);
    let (nodes, leaf_count) = shape(depth);
    let mut forest = Forest {
        depth,
        inputs_len: inputs_len as u32,
        inputs: Vec::new(),
        cuts: Vec::new(),
        leaves: Vec::new(),
    };
    let used: Vec<usize> = (0..rows.len()).filter(|&i| weights[i] > 0.0).collect();
    if used.is_empty() || options.trees == 0 {
        return forest;
    }
    // Each input's cut points, and every used row's bin per input (the number of cuts below
    // its value), stored row after row.
    let cuts: Vec<Vec<f32>> = (0..inputs_len)
        .map(|input| {
            let mut values: Vec<f32> = used.iter().map(|&i| rows.row(i)[input]).collect();
            cuts_of(&mut values)
        })
        .collect();
    let bins_len = MAX_CUTS + 1;
    let mut bins = vec![0u8; used.len() * inputs_len];
    for (r, &i) in used.iter().enumerate() {
        for (input, (&value, cuts)) in rows.row(i).iter().zip(&cuts).enumerate() {
            bins[r * inputs_len + input] = cuts.partition_point(|&c| c < value) as u8;
        }
    }
    let y: Vec<f64> = used
        .iter()
        .map(|&i| f64::from(u8::from(labels[i])))
        .collect();
    let w: Vec<f64> = used.iter().map(|&i| f64::from(weights[i])).collect();
    let mut logit: Vec<f32> = used.iter().map(|&i| base[i]).collect();
    let mut node_of = vec![0usize; used.len()];
    let (mut gradient, mut hessian) = (vec![0.0f64; used.len()], vec![0.0f64; used.len()]);
    // Per node of a level: per input and bin, the sums of gradient and Hessian.
    let mut histogram = vec![(0.0f64, 0.0f64); (leaf_count / 2) * inputs_len * bins_len];
    for _ in 0..options.trees {
        for r in 0..used.len() {
            let p = f64::from(crate::model::sigmoid(logit[r]));
            gradient[r] = w[r] * (p - y[r]);
            hessian[r] = w[r] * (p * (1.0 - p)).max(1e-6);
        }
        node_of.fill(0);
        let mut tree_inputs = vec![0u16; nodes];
        let mut tree_cuts = vec![NEVER_RIGHT; nodes];
        // Per node, the last bin that goes left (every bin when the split gained nothing).
        let mut last_left_bin = vec![usize::MAX; nodes];
        for level in 0..depth {
            let first = (1usize << level) - 1;
            let level_nodes = 1usize << level;
            let histogram = &mut histogram[..level_nodes * inputs_len * bins_len];
            histogram.fill((0.0, 0.0));
            for r in 0..used.len() {
                let node = node_of[r] - first;
                let row_bins = &bins[r * inputs_len..(r + 1) * inputs_len];
                let base = node * inputs_len * bins_len;
                for (input, &bin) in row_bins.iter().enumerate() {
                    let entry = &mut histogram[base + input * bins_len + usize::from(bin)];
                    entry.0 += gradient[r];
                    entry.1 += hessian[r];
                }
            }
            for k in 0..level_nodes {
                let node_histogram =
                    &histogram[k * inputs_len * bins_len..(k + 1) * inputs_len * bins_len];
                if let Some((input, cut)) = best_split(node_histogram, &cuts, bins_len, options) {
                    tree_inputs[first + k] = input as u16;
                    tree_cuts[first + k] = cuts[input][cut];
                    last_left_bin[first + k] = cut;
                }
            }
            for r in 0..used.len() {
                let node = node_of[r];
                let input = usize::from(tree_inputs[node]);
                let right = usize::from(bins[r * inputs_len + input]) > last_left_bin[node];
                node_of[r] = 2 * node + 1 + usize::from(right);
            }
        }
        let mut sums = vec![(0.0f64, 0.0f64); leaf_count];
        for r in 0..used.len() {
            let leaf = &mut sums[node_of[r] - nodes];
            leaf.0 += gradient[r];
            leaf.1 += hessian[r];
        }
        let leaves: Vec<f32> = sums
            .iter()
            .map(|&(g, h)| {
                let value = -f64::from(options.learning_rate) * g / (h + options.lambda);
                // Five decimals keep the shipped file small.
                ((value * 1e5).round() / 1e5) as f32
            })
            .collect();
        for r in 0..used.len() {
            logit[r] += leaves[node_of[r] - nodes];
        }
        forest.inputs.extend_from_slice(&tree_inputs);
        forest.cuts.extend_from_slice(&tree_cuts);
        forest.leaves.extend_from_slice(&leaves);
    }
    forest
}

/// The split of one node with the largest gain in the penalised loss: the input and the
/// index of its cut, `None` when no split gains or every split leaves a side too light.
fn best_split(
    histogram: &[(f64, f64)],
    cuts: &[Vec<f32>],
    bins_len: usize,
    options: &TreeOptions,
) -> Option<(usize, usize)> {
    let score = |g: f64, h: f64| g * g / (h + options.lambda);
    let mut best: Option<(f64, usize, usize)> = None;
    for (input, input_cuts) in cuts.iter().enumerate() {
        let bins = &histogram[input * bins_len..(input + 1) * bins_len];
        let (g_all, h_all) = bins
            .iter()
            .fold((0.0, 0.0), |(g, h), &(bg, bh)| (g + bg, h + bh));
        let parent = score(g_all, h_all);
        let (mut g_left, mut h_left) = (0.0, 0.0);
        for (cut, &(bg, bh)) in bins.iter().enumerate().take(input_cuts.len()) {
            g_left += bg;
            h_left += bh;
            let (g_right, h_right) = (g_all - g_left, h_all - h_left);
            if h_left < options.min_hessian || h_right < options.min_hessian {
                continue;
            }
            let gain = score(g_left, h_left) + score(g_right, h_right) - parent;
            if gain > 1e-9 && best.is_none_or(|(b, _, _)| gain > b) {
                best = Some((gain, input, cut));
            }
        }
    }
    best.map(|(_, input, cut)| (input, cut))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Rows of two inputs whose label is their exclusive or: no linear model separates them,
    /// a depth-2 tree does.
    fn xor_rows() -> (TreeRows, Vec<bool>) {
        let mut rows = TreeRows::new(2);
        let mut labels = Vec::new();
        for i in 0..400 {
            let (a, b) = ((i % 2) as f32, ((i / 2) % 2) as f32);
            rows.push(&[a + (i % 7) as f32 * 0.01, b]);
            labels.push((a > 0.5) != (b > 0.5));
        }
        (rows, labels)
    }

    #[test]
    fn learns_an_interaction_a_linear_model_cannot() {
        let (rows, labels) = xor_rows();
        let options = TreeOptions {
            trees: 30,
            depth: 2,
            learning_rate: 0.3,
            ..TreeOptions::default()
        };
        let forest = fit(
            &rows,
            &vec![0.0; rows.len()],
            &labels,
            &vec![1.0; rows.len()],
            &options,
        );
        assert!(forest.is_well_formed());
        assert_eq!(forest.len(), 30);
        for (i, &label) in labels.iter().enumerate() {
            let logit = forest.score(rows.row(i));
            assert_eq!(logit > 0.0, label, "row {i}: {logit}");
        }
    }

    #[test]
    fn rows_of_weight_zero_teach_nothing() {
        let (rows, labels) = xor_rows();
        let forest = fit(
            &rows,
            &vec![0.0; rows.len()],
            &labels,
            &vec![0.0; rows.len()],
            &TreeOptions {
                trees: 5,
                ..TreeOptions::default()
            },
        );
        assert!(forest.is_empty());
        assert_eq!(forest.score(&[1.0, 0.0]), 0.0);
    }

    #[test]
    fn fitting_is_deterministic_and_survives_a_json_round_trip() {
        let (rows, labels) = xor_rows();
        let options = TreeOptions {
            trees: 10,
            ..TreeOptions::default()
        };
        let base = vec![0.5; rows.len()];
        let weights = vec![1.0; rows.len()];
        let forest = fit(&rows, &base, &labels, &weights, &options);
        assert_eq!(forest, fit(&rows, &base, &labels, &weights, &options));
        let json = serde_json::to_string(&forest).unwrap();
        let read: Forest = serde_json::from_str(&json).unwrap();
        assert_eq!(read, forest);
        for i in 0..rows.len() {
            assert_eq!(
                read.score(rows.row(i)).to_bits(),
                forest.score(rows.row(i)).to_bits()
            );
        }
    }

    #[test]
    fn cuts_are_distinct_quantiles_below_the_largest_value() {
        let mut values: Vec<f32> = (0..100).map(|i| (i / 10) as f32).collect();
        let cuts = cuts_of(&mut values);
        assert_eq!(cuts, (0..9).map(|i| i as f32).collect::<Vec<_>>());
        assert!(cuts_of(&mut [1.0; 50]).is_empty());
    }

    /// A complete forest of `depth` with 1 to `most_trees` trees over `inputs_len` inputs,
    /// its cuts drawn by `cut` and its leaves small, all from the sequence `next`.
    fn random_forest(
        next: &mut impl FnMut(u64) -> u64,
        depth: u32,
        most_trees: u64,
        inputs_len: u32,
        mut cut: impl FnMut(&mut dyn FnMut(u64) -> u64) -> f32,
    ) -> Forest {
        let (nodes, leaves) = shape(depth);
        let trees = 1 + next(most_trees) as usize;
        Forest {
            depth,
            inputs_len,
            inputs: (0..trees * nodes)
                .map(|_| next(u64::from(inputs_len)) as u16)
                .collect(),
            cuts: (0..trees * nodes).map(|_| cut(&mut *next)).collect(),
            leaves: (0..trees * leaves)
                .map(|_| (next(2001) as f32 - 1000.0) / 7000.0)
                .collect(),
        }
    }

    #[test]
    fn packed_forests_score_like_the_stored_ones_bit_for_bit() {
        // Random complete forests of depths 1 to 4 over 95 inputs, and random inputs, from a
        // fixed linear congruential sequence; a fifth of the cuts say "never right".
        let mut next = crate::test_sequence(0x9e37_79b9_7f4a_7c15);
        for depth in 1..=4u32 {
            let forest = random_forest(&mut next, depth, 40, 95, |next| match next(5) {
                0 => NEVER_RIGHT,
                _ => (next(2001) as f32 - 1000.0) / 300.0,
            });
            let packed = PackedForest::new(&forest).unwrap();
            let mut inputs = Vec::new();
            for _ in 0..201 {
                let mut x = [0.0f32; PADDED_INPUTS];
                for value in &mut x[..95] {
                    *value = (next(2001) as f32 - 1000.0) / 300.0;
                }
                assert_eq!(
                    packed.score(&x).to_bits(),
                    forest.score(&x[..95]).to_bits(),
                    "depth {depth}"
                );
                inputs.push(x);
            }
            // Scored in batches, with a remainder scored alone: the same sums.
            let mut batched = vec![0.5f32; inputs.len() + 3];
            let mut batch = ForestBatch::<95>::new(&packed);
            for (i, x) in inputs.iter().enumerate() {
                batch.push(i + 3, &mut batched, |row| row.copy_from_slice(&x[..95]));
            }
            batch.finish(&mut batched);
            for (i, x) in inputs.iter().enumerate() {
                let expected = 0.5 + forest.score(&x[..95]);
                assert_eq!(
                    batched[i + 3].to_bits(),
                    expected.to_bits(),
                    "depth {depth}"
                );
            }
            assert_eq!(batched[..3], [0.5; 3]);
        }
        let deep = Forest {
            depth: 5,
            inputs_len: 2,
            inputs: vec![0; 31],
            cuts: vec![0.0; 31],
            leaves: vec![0.0; 32],
        };
        assert!(PackedForest::new(&deep).is_none());
    }

    #[test]
    fn every_way_of_scoring_columns_agrees_with_the_stored_forest() {
        // Inputs that sit on the cuts, NaN (never right) and infinities, in every lane, for
        // the vector form (when the CPU has it) and the lane-by-lane one alike.
        let mut next = crate::test_sequence(0x2545_f491_4f6c_dd1d);
        let values = [
            -1.5f32,
            -0.5,
            0.0,
            0.5,
            1.5,
            f32::NAN,
            f32::INFINITY,
            f32::NEG_INFINITY,
        ];
        for depth in 1..=4u32 {
            let forest = random_forest(&mut next, depth, 30, 9, |next| match next(4) {
                0 => NEVER_RIGHT,
                _ => values[next(5) as usize],
            });
            let packed = PackedForest::new(&forest).unwrap();
            let lane_by_lane = PackedForest {
                avx2: false,
                ..packed.clone()
            };
            for _ in 0..50 {
                let mut columns: Columns = [[0.0; LANES]; PADDED_INPUTS];
                for column in &mut columns[..9] {
                    *column = std::array::from_fn(|_| values[next(values.len() as u64) as usize]);
                }
                let vector = packed.score_columns(&columns);
                let scalar = lane_by_lane.score_columns(&columns);
                for lane in 0..LANES {
                    let x: Vec<f32> = columns[..9].iter().map(|column| column[lane]).collect();
                    let expected = forest.score(&x).to_bits();
                    assert_eq!(vector[lane].to_bits(), expected, "depth {depth}");
                    assert_eq!(scalar[lane].to_bits(), expected, "depth {depth}");
                }
            }
        }
    }

    #[test]
    fn malformed_forests_are_recognised() {
        let forest = Forest {
            depth: 2,
            inputs_len: 3,
            inputs: vec![0, 1, 3],
            cuts: vec![0.0; 3],
            leaves: vec![0.0; 4],
        };
        assert!(!forest.is_well_formed());
        let forest = Forest {
            inputs: vec![0, 1, 2],
            ..forest
        };
        assert!(forest.is_well_formed());
    }
}
