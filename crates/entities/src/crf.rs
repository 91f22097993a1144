//! Training the Viterbi decoder's model as a linear-chain CRF (Lafferty, McCallum & Pereira
//! 2001): by the conditional log-likelihood of the gold tag sequences, instead of the
//! structured perceptron's mistake-driven updates.
//!
//! The model is the one the Viterbi decoder reads ([`crate::decode`]): each token's features
//! in its context score its tags, and a score per pair of neighbouring tags
//! ([`extract_transition`]) links them. A perceptron moves the weights only when the best
//! path is wrong (or, with the margin, nearly wrong), by whole units, and averages the
//! result; the CRF reads the same scores as a distribution over all well-formed tag
//! sequences of a sentence and moves every weight by how much more often its feature fires
//! on the gold sequence than the model expects it to (gold counts minus expected counts,
//! from the marginals of a forward-backward pass), with an L2 penalty that keeps rare
//! features' weights small. That is the objective of the CRFs these models are compared
//! with. In 4-fold cross-validation it gained 0.1 to 0.6 F1 over the shipped perceptrons of
//! Croatian, Serbian, Spanish and Dutch, never 0.3 in both seeds tried, and lost in
//! Swedish, so no shipped model uses it (the crate README, *A CRF objective*).
//!
//! - **Optimizer.** Stochastic gradient ascent, one sentence at a time, at rate
//!   `rate / (1 + k / N)` for the `k`-th sentence of a run of `N` sentences per epoch. The L2
//!   penalty shrinks every weight at every step, which on a table of millions of rows would
//!   cost far more than the sentence; the weights are kept as a scale times a vector, so the
//!   shrinking is one multiplication of the scale (Shalev-Shwartz et al.'s Pegasos trick)
//!   and a step touches only the rows of the sentence's features. Optionally the average of
//!   the weights over all steps is kept, with the same running-sum trick as the perceptron.
//! - **Partial gold.** A corpus without `MISC` (UniversalNER) does not say that a token
//!   tagged `O` is not part of a `MISC` name. There the gold is the set of every well-formed
//!   sequence that agrees with it on the other tokens and may put `MISC` where it says `O`,
//!   and the likelihood of the gold is the sum over that set: a forward pass constrained to
//!   those tags (the principled form of the perceptron's excused `MISC`). Only when another
//!   training corpus annotates `MISC`, though: with none, nothing tells `MISC` from `O`, and
//!   a sum over both lets the model put the mass of every `O` token on `MISC` (it did, and
//!   tagged nearly every Croatian token `MISC`); there the gold is the one path.
//! - **History.** The document-history features come from the model's own decisions at
//!   tagging time, so in training they come from the Viterbi best path of each sentence
//!   under the current weights, as the structured perceptron's do.

use crate::decode::{record_history, Lattice, START};
use crate::features::{
    bucket_of, extract_transition, FeatureBuf, PrehashedMap, TokenFeatures, WeightRows,
};
use crate::tags::{Label, Tag, NUM_TAGS};
use crate::train::{well_formed, PreparedDocument};

/// The hyper-parameters of CRF training (see the module documentation).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CrfOptions {
    /// L2 strength `c`: the objective is the log-likelihood of all training sentences minus
    /// `c / 2` times the squared norm of the weights.
    pub l2: f64,
    /// The learning rate of the first sentence; it falls as `rate / (1 + epochs done)`.
    pub rate: f64,
    /// Keep the average of the weights over all steps rather than the last weights.
    pub average: bool,
}

impl Default for CrfOptions {
    fn default() -> Self {
        CrfOptions {
            l2: 1.0,
            rate: 0.05,
            average: false,
        }
    }
}

/// Gradient entries below this are not applied: a token the model already tags with
/// near certainty, most tokens after the first epoch, would otherwise cost a write to every
/// row of its features for nothing.
const NEGLIGIBLE: f64 = 1e-4;

/// Marginal probabilities of the tags of one sentence under a first-order model.
#[derive(Debug, Default)]
pub(crate) struct Marginals {
    /// Per position, the probability of each tag.
    pub unary: Vec<[f64; NUM_TAGS]>,
    /// `[p][t]`: the expected number of positions tagged `t` after `p`, summed over the
    /// sentence; the first position counts as following [`START`].
    pub pairs: [[f64; NUM_TAGS]; NUM_TAGS],
    /// The log of the sum of the exponentiated scores of all allowed paths.
    pub log_z: f64,
    /// Per position, the exponentiated tag scores, divided by their largest.
    emit: Vec<[f64; NUM_TAGS]>,
    /// Forward and backward sums, scaled to sum to one per position.
    alpha: Vec<[f64; NUM_TAGS]>,
    beta: Vec<[f64; NUM_TAGS]>,
    /// Per position, the factor the forward sums were divided by.
    norms: Vec<f64>,
}

impl Marginals {
    /// Runs forward-backward over the tag scores of a sentence and the pair scores `pairs`
    /// (minus infinity for a pair BIO forbids), counting only the paths whose every tag
    /// `allowed(position, tag)` accepts. The sums are kept in probability space, scaled per
    /// position (Rabiner 1989), so that only the tag scores and the pair scores are
    /// exponentiated, not every sum.
    // The sums index tags and positions as the formulas do.
    #[allow(clippy::needless_range_loop)]
    pub(crate) fn compute(
        &mut self,
        scores: &[[f32; NUM_TAGS]],
        pairs: &[[f32; NUM_TAGS]; NUM_TAGS],
        allowed: impl Fn(usize, Tag) -> bool,
    ) {
        let n = scores.len();
        self.pairs = [[0.0; NUM_TAGS]; NUM_TAGS];
        for buffer in [
            &mut self.unary,
            &mut self.emit,
            &mut self.alpha,
            &mut self.beta,
        ] {
            buffer.clear();
            buffer.resize(n, [0.0; NUM_TAGS]);
        }
        self.norms.clear();
        self.norms.resize(n, 0.0);
        self.log_z = 0.0;
        if n == 0 {
            return;
        }
        let psi: [[f64; NUM_TAGS]; NUM_TAGS] =
            std::array::from_fn(|p| std::array::from_fn(|t| (pairs[p][t] as f64).exp()));
        let mut log_z = 0.0;
        for (i, row) in scores.iter().enumerate() {
            let top = (0..NUM_TAGS)
                .filter(|&t| allowed(i, Tag(t as u8)))
                .fold(f64::NEG_INFINITY, |m, t| m.max(row[t] as f64));
            for t in 0..NUM_TAGS {
                self.emit[i][t] = if allowed(i, Tag(t as u8)) {
                    (row[t] as f64 - top).exp()
                } else {
                    0.0
                };
            }
            log_z += top;
        }
        let start = START.0 as usize;
        for t in 0..NUM_TAGS {
            self.alpha[0][t] = self.emit[0][t] * psi[start][t];
        }
        self.norms[0] = normalize(&mut self.alpha[0]);
        for i in 1..n {
            for t in 0..NUM_TAGS {
                let into: f64 = (0..NUM_TAGS)
                    .map(|p| self.alpha[i - 1][p] * psi[p][t])
                    .sum();
                self.alpha[i][t] = self.emit[i][t] * into;
            }
            self.norms[i] = normalize(&mut self.alpha[i]);
        }
        self.log_z = log_z + self.norms.iter().map(|c| c.ln()).sum::<f64>();
        self.beta[n - 1] = [1.0; NUM_TAGS];
        for i in (0..n - 1).rev() {
            for p in 0..NUM_TAGS {
                let out: f64 = (0..NUM_TAGS)
                    .map(|t| psi[p][t] * self.emit[i + 1][t] * self.beta[i + 1][t])
                    .sum();
                self.beta[i][p] = out / self.norms[i + 1];
            }
        }
        for i in 0..n {
            for t in 0..NUM_TAGS {
                self.unary[i][t] = self.alpha[i][t] * self.beta[i][t];
            }
        }
        for t in 0..NUM_TAGS {
            self.pairs[start][t] += self.unary[0][t];
        }
        for i in 1..n {
            for p in 0..NUM_TAGS {
                for t in 0..NUM_TAGS {
                    self.pairs[p][t] +=
                        self.alpha[i - 1][p] * psi[p][t] * self.emit[i][t] * self.beta[i][t]
                            / self.norms[i];
                }
            }
        }
    }
}

/// Divides `values` by their sum and returns the sum.
fn normalize(values: &mut [f64; NUM_TAGS]) -> f64 {
    let sum: f64 = values.iter().sum();
    values.iter_mut().for_each(|v| *v /= sum);
    sum
}

/// Whether `tag` agrees with the gold tag `gold`: the same tag, or, in a corpus that does
/// not annotate `MISC` (`lenient_misc`), a `MISC` tag where the gold says `O`.
pub(crate) fn agrees(gold: Tag, tag: Tag, lenient_misc: bool) -> bool {
    tag == gold || (lenient_misc && gold == Tag::O && tag.label() == Some(Label::Misc))
}

/// CRF weights being trained: `scale * weights`, with the running sums for the average.
pub(crate) struct CrfLearner {
    bucket_bits: u32,
    options: CrfOptions,
    /// Sentences per epoch: the unit of the rate's decay and the share of the L2 penalty
    /// each sentence applies.
    sentences: f64,
    /// Whether any training corpus annotates `MISC`, so that the gold of the others is
    /// partial.
    misc: bool,
    weights: Vec<f32>,
    scale: f64,
    /// `sums + scale_sum * weights` is the sum of the (scaled) weights over all steps.
    sums: Vec<f64>,
    scale_sum: f64,
    steps: u64,
}

impl CrfLearner {
    /// Zero weights for a run over `sentences` sentences per epoch; `misc` says whether any
    /// training document annotates `MISC`.
    pub(crate) fn new(bucket_bits: u32, options: CrfOptions, sentences: usize, misc: bool) -> Self {
        let size = (1usize << bucket_bits) * NUM_TAGS;
        CrfLearner {
            bucket_bits,
            options,
            sentences: sentences.max(1) as f64,
            misc,
            weights: vec![0.0; size],
            scale: 1.0,
            sums: if options.average {
                vec![0.0; size]
            } else {
                Vec::new()
            },
            scale_sum: 0.0,
            steps: 0,
        }
    }

    /// One pass over `documents` in `order`; returns the share of tokens the Viterbi best
    /// path tagged wrongly before each sentence's step.
    pub(crate) fn epoch(&mut self, documents: &[PreparedDocument], order: &[usize]) -> f64 {
        let (mut errors, mut tokens) = (0usize, 0usize);
        let mut history = PrehashedMap::default();
        let mut lattice = Lattice::default();
        let (mut model, mut gold) = (Marginals::default(), Marginals::default());
        let (mut target, mut predicted) = (Vec::new(), Vec::new());
        for &n in order {
            let document = &documents[n];
            let lenient_misc = self.misc && !document.has_misc;
            history.clear();
            for range in &document.features.sentences {
                let sentence = &document.features.tokens[range.clone()];
                if sentence.is_empty() {
                    continue;
                }
                well_formed(&document.gold[range.clone()], &mut target);
                let section = document.features.section;
                lattice.fill(&*self, sentence, section, &history, |_, _| 0.0);
                let pairs = lattice.allowed_pairs();
                model.compute(lattice.token_scores(), &pairs, |_, _| true);
                gold.compute(lattice.token_scores(), &pairs, |i, tag| {
                    agrees(target[i], tag, lenient_misc)
                });
                predicted.clear();
                predicted.resize(sentence.len(), Tag::O);
                lattice.best_path(&mut predicted);
                errors += (target.iter().zip(&predicted))
                    .filter(|&(&g, &t)| !agrees(g, t, lenient_misc))
                    .count();
                tokens += sentence.len();
                self.step(&lattice, sentence, &gold, &model);
                record_history(sentence, &predicted, &mut history);
            }
        }
        errors as f64 / tokens.max(1) as f64
    }

    /// One step of stochastic gradient ascent on a sentence: the L2 shrinking, then the
    /// gold counts (`gold`) minus the expected counts (`model`) of the features of every
    /// position and of every tag pair.
    fn step(
        &mut self,
        lattice: &Lattice,
        sentence: &[TokenFeatures],
        gold: &Marginals,
        model: &Marginals,
    ) {
        let done = self.steps as f64 / self.sentences;
        self.steps += 1;
        let rate = self.options.rate / (1.0 + done);
        self.scale *= 1.0 - rate * self.options.l2 / self.sentences;
        let step = rate / self.scale;
        for (i, features) in lattice.features[..sentence.len()].iter().enumerate() {
            let delta: [f64; NUM_TAGS] =
                std::array::from_fn(|t| gold.unary[i][t] - model.unary[i][t]);
            self.add(features, &delta, step);
        }
        let mut pair = FeatureBuf::default();
        for p in 0..NUM_TAGS {
            let delta: [f64; NUM_TAGS] =
                std::array::from_fn(|t| gold.pairs[p][t] - model.pairs[p][t]);
            // The pair features are those of the sentence's first token, as the lattice
            // scores them.
            extract_transition(&sentence[0], Tag(p as u8), &mut pair);
            self.add(&pair, &delta, step);
        }
        self.scale_sum += self.scale;
        if self.scale < 1e-6 {
            self.rescale();
        }
    }

    /// Adds `step * delta[t]` to the row of tag `t` of every feature of `features`, unless
    /// every entry of `delta` is negligible.
    fn add(&mut self, features: &FeatureBuf, delta: &[f64; NUM_TAGS], step: f64) {
        if delta.iter().all(|d| d.abs() < NEGLIGIBLE) {
            return;
        }
        let change: [f32; NUM_TAGS] = std::array::from_fn(|t| (step * delta[t]) as f32);
        let before = self.scale_sum;
        for &hash in features.hashes() {
            let row = self.row(hash);
            for (w, &c) in self.weights[row..row + NUM_TAGS].iter_mut().zip(&change) {
                *w += c;
            }
            if self.options.average {
                for (s, &c) in self.sums[row..row + NUM_TAGS].iter_mut().zip(&change) {
                    *s -= before * c as f64;
                }
            }
        }
    }

    /// Folds the scale into the weights before it underflows.
    fn rescale(&mut self) {
        let scale = self.scale;
        self.weights
            .iter_mut()
            .for_each(|w| *w = (*w as f64 * scale) as f32);
        self.scale_sum /= scale;
        self.scale = 1.0;
    }

    /// The weights to ship: the average over all steps, or the last ones.
    pub(crate) fn weights(&self) -> Vec<f32> {
        if !self.options.average || self.steps == 0 {
            return self
                .weights
                .iter()
                .map(|&w| (w as f64 * self.scale) as f32)
                .collect();
        }
        let steps = self.steps as f64;
        self.weights
            .iter()
            .zip(&self.sums)
            .map(|(&w, &s)| ((s + self.scale_sum * w as f64) / steps) as f32)
            .collect()
    }

    fn row(&self, hash: u64) -> usize {
        bucket_of(hash, self.bucket_bits) * NUM_TAGS
    }
}

impl WeightRows for CrfLearner {
    fn add_row(&self, hash: u64, scores: &mut [f32; NUM_TAGS]) {
        let row = self.row(hash);
        let scale = self.scale as f32;
        for (score, w) in scores.iter_mut().zip(&self.weights[row..row + NUM_TAGS]) {
            *score += w * scale;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every well-formed tag sequence of length `n` (BIO, after [`START`]).
    fn paths(n: usize) -> Vec<Vec<Tag>> {
        let mut paths = vec![Vec::new()];
        for _ in 0..n {
            let mut longer = Vec::new();
            for path in &paths {
                let previous = path.last().copied().unwrap_or(START);
                for t in 0..NUM_TAGS as u8 {
                    if Tag(t).may_follow(previous) {
                        let mut next = path.clone();
                        next.push(Tag(t));
                        longer.push(next);
                    }
                }
            }
            paths = longer;
        }
        paths
    }

    fn path_score(
        scores: &[[f32; NUM_TAGS]],
        pairs: &[[f32; NUM_TAGS]; NUM_TAGS],
        path: &[Tag],
    ) -> f64 {
        let mut previous = START;
        let mut total = 0.0;
        for (i, &tag) in path.iter().enumerate() {
            total += scores[i][tag.0 as usize] as f64
                + pairs[previous.0 as usize][tag.0 as usize] as f64;
            previous = tag;
        }
        total
    }

    /// Seeded pseudo-random scores in [-3, 3).
    fn random_scores(seed: u64, n: usize) -> (Vec<[f32; NUM_TAGS]>, [[f32; NUM_TAGS]; NUM_TAGS]) {
        let mut state = seed;
        let mut next = || {
            state = crate::features::finish(state.wrapping_add(0x9E37_79B9_7F4A_7C15));
            (state >> 40) as f32 / (1u64 << 24) as f32 * 6.0 - 3.0
        };
        let scores = (0..n).map(|_| std::array::from_fn(|_| next())).collect();
        let mut pairs: [[f32; NUM_TAGS]; NUM_TAGS] =
            std::array::from_fn(|_| std::array::from_fn(|_| next()));
        for (p, row) in pairs.iter_mut().enumerate() {
            for (t, score) in row.iter_mut().enumerate() {
                if !Tag(t as u8).may_follow(Tag(p as u8)) {
                    *score = f32::NEG_INFINITY;
                }
            }
        }
        (scores, pairs)
    }

    #[test]
    #[allow(clippy::needless_range_loop)]
    fn marginals_match_enumeration() {
        for (seed, n) in [(1, 1), (2, 2), (3, 3), (4, 4)] {
            let (scores, pairs) = random_scores(seed, n);
            let mut marginals = Marginals::default();
            marginals.compute(&scores, &pairs, |_, _| true);
            let all = paths(n);
            let weights: Vec<f64> = all
                .iter()
                .map(|p| path_score(&scores, &pairs, p).exp())
                .collect();
            let z: f64 = weights.iter().sum();
            assert!(
                (marginals.log_z - z.ln()).abs() < 1e-9,
                "{} {}",
                marginals.log_z,
                z.ln()
            );
            let mut unary = vec![[0f64; NUM_TAGS]; n];
            let mut pair_counts = [[0f64; NUM_TAGS]; NUM_TAGS];
            for (path, w) in all.iter().zip(&weights) {
                let mut previous = START;
                for (i, &tag) in path.iter().enumerate() {
                    unary[i][tag.0 as usize] += w / z;
                    pair_counts[previous.0 as usize][tag.0 as usize] += w / z;
                    previous = tag;
                }
            }
            for i in 0..n {
                let sum: f64 = marginals.unary[i].iter().sum();
                assert!((sum - 1.0).abs() < 1e-9, "position {i} sums to {sum}");
                for t in 0..NUM_TAGS {
                    assert!((marginals.unary[i][t] - unary[i][t]).abs() < 1e-9);
                }
            }
            for p in 0..NUM_TAGS {
                for t in 0..NUM_TAGS {
                    assert!((marginals.pairs[p][t] - pair_counts[p][t]).abs() < 1e-9);
                }
            }
        }
    }

    /// A one-sentence training document with these gold tags.
    fn document(words: &[&str], gold: &[Tag], has_misc: bool) -> PreparedDocument {
        let mut features = crate::decode::DocumentFeatures::default();
        features.push_sentence(words.iter().copied());
        features.annotate(
            &crate::lexicon::Lexicon::new(),
            &crate::word_tables::WordTables::default(),
        );
        PreparedDocument {
            features,
            gold: gold.to_vec(),
            has_misc,
        }
    }

    /// The log-likelihood of the gold of a one-sentence `document` under `learner`.
    fn log_likelihood(learner: &CrfLearner, document: &PreparedDocument) -> f64 {
        let lenient = learner.misc && !document.has_misc;
        let mut lattice = Lattice::default();
        let history = PrehashedMap::default();
        let sentence = &document.features.tokens[..];
        lattice.fill(learner, sentence, 0, &history, |_, _| 0.0);
        let pairs = lattice.allowed_pairs();
        let (mut model, mut gold) = (Marginals::default(), Marginals::default());
        model.compute(lattice.token_scores(), &pairs, |_, _| true);
        gold.compute(lattice.token_scores(), &pairs, |i, tag| {
            agrees(document.gold[i], tag, lenient)
        });
        gold.log_z - model.log_z
    }

    #[test]
    fn the_gradient_matches_finite_differences() {
        let (b_per, i_per, b_loc) = (
            Tag::begin(Label::Per),
            Tag::inside(Label::Per),
            Tag::begin(Label::Loc),
        );
        let words = ["John", "Smith", "visited", "Paris", "."];
        let gold = [b_per, i_per, Tag::O, b_loc, Tag::O];
        for (has_misc, misc) in [(true, true), (false, true)] {
            let document = document(&words, &gold, has_misc);
            let options = CrfOptions {
                l2: 0.0,
                rate: 1.0,
                average: false,
            };
            let mut learner = CrfLearner::new(6, options, 1, misc);
            let mut state = 3u64;
            for w in learner.weights.iter_mut() {
                state = crate::features::finish(state.wrapping_add(0x9E37_79B9_7F4A_7C15));
                *w = (state >> 40) as f32 / (1u64 << 24) as f32 * 0.4 - 0.2;
            }
            let before = learner.weights.clone();
            // One step at rate 1 without L2 adds the gradient of the log-likelihood.
            let mut stepped = CrfLearner::new(6, options, 1, misc);
            stepped.weights = before.clone();
            stepped.epoch(std::slice::from_ref(&document), &[0]);
            let gradient: Vec<f64> = (stepped.weights.iter().zip(&before))
                .map(|(a, b)| (a - b) as f64)
                .collect();
            assert!(gradient.iter().any(|g| g.abs() > 0.05), "{gradient:?}");
            let epsilon = 1e-2;
            let mut checked = 0;
            for (k, &g) in gradient.iter().enumerate() {
                // Every entry with a gradient, and every seventh of the others (zero).
                if g == 0.0 && k % 7 != 0 {
                    continue;
                }
                let mut nudged = |delta: f32| {
                    learner.weights[k] = before[k] + delta;
                    let value = log_likelihood(&learner, &document);
                    learner.weights[k] = before[k];
                    value
                };
                let numeric = (nudged(epsilon) - nudged(-epsilon)) / (2.0 * epsilon as f64);
                assert!(
                    (numeric - g).abs() < 2e-3,
                    "weight {k}: finite differences {numeric}, gradient {g}"
                );
                checked += 1;
            }
            assert!(checked > 50, "{checked}");
        }
    }

    #[test]
    fn the_partial_gold_sums_every_compatible_path() {
        let b_per = Tag::begin(Label::Per);
        let gold = [Tag::O, b_per, Tag::O, Tag::O];
        let (scores, pairs) = random_scores(9, gold.len());
        let mut marginals = Marginals::default();
        marginals.compute(&scores, &pairs, |i, tag| agrees(gold[i], tag, true));
        let compatible: Vec<Vec<Tag>> = paths(gold.len())
            .into_iter()
            .filter(|p| p.iter().zip(&gold).all(|(&t, &g)| agrees(g, t, true)))
            .collect();
        // O or B-MISC, then B-PER, then O or B-MISC, then O or B-MISC, or I-MISC after B-MISC:
        // 2 * 1 * (2 + 3).
        assert_eq!(compatible.len(), 10);
        let z: f64 = compatible
            .iter()
            .map(|p| path_score(&scores, &pairs, p).exp())
            .sum();
        assert!((marginals.log_z - z.ln()).abs() < 1e-9);
        // With MISC annotated, the gold is one path.
        marginals.compute(&scores, &pairs, |i, tag| agrees(gold[i], tag, false));
        assert!((marginals.log_z - path_score(&scores, &pairs, &gold)).abs() < 1e-9);
    }
}
