//! Training: an averaged perceptron over hashed features, greedy or structured.
//!
//! With the Viterbi decoder ([`TrainOptions::decoder`]) each sentence is decoded as a whole
//! with every wrong tag costing the margin, and when the best path is not the gold one the
//! features of the gold path go up and those of the predicted path down (Collins's structured
//! perceptron, with Hamming-cost-augmented decoding standing in for the margin below). What
//! follows describes the greedy decoder; the data choices hold for both, and for the CRF
//! objective ([`Loss::Crf`], see [`crate::crf`]), which trains the Viterbi decoder's model by
//! conditional log-likelihood instead of perceptron updates (it has no margin).
//!
//! Each epoch visits the training documents in a seeded random order and decodes them with
//! the current weights, exactly as the tagger will; where the chosen tag differs from the
//! gold one, the weights of the gold tag go up and those of the chosen tag down for every
//! feature of that position. Because the previous-tag and document-history features come from
//! the model's own decisions, it learns to recover from its mistakes as it will have to at
//! tagging time. The shipped weights are the average over all steps (Collins 2002), which
//! generalizes far better than the last ones.
//!
//! Two choices deal with the data:
//! - The name lexicon used as a feature is built from the training data, so on training
//!   documents the features come from a lexicon of the *other four fifths* of the documents;
//!   else every training name would be in it and the model would trust it blindly. (Four
//!   fifths rather than half keeps the lexicon the model learns with close in coverage to
//!   the full one it is used with.)
//! - A corpus without `MISC` annotations (UNER EWT: "Iraqi" is `O` there) must not teach the
//!   model that such words are not names, so predicting `MISC` where its gold says `O` costs
//!   nothing on such documents.
//!
//! Two choices deal with noise:
//! - Several perceptrons (members) learn side by side, each visiting the documents in its own
//!   order, and the model is the mean of their averaged weights. For a linear model that is
//!   the same as letting them vote, at the cost of one model when tagging; it smooths the
//!   order-to-order variance that a small dev set otherwise mistakes for progress.
//! - A correct decision whose score beats the runner-up by less than a margin is also
//!   learned from (Krauth & Mézard's margin perceptron), so the weights keep a safety gap
//!   instead of stopping at the first separating line.
//!
//! Two choices prepare the model for text unlike its training data:
//! - Half of the training documents are also learned from in a lowercased copy, as web text
//!   is often typed ("where can I get morcillas in tampa bay"). Sentences without capitals
//!   have a copy of every feature of their own (see [`crate::features`]), so what the copies
//!   teach does not blur what capitals mean in edited text.
//! - One training token in ten has its word identity withheld (word dropout): every training
//!   word is known to the weights that learned from it, many words met later are not, and a
//!   model that never had to tag an unknown word trusts word identity more than it should.

use std::path::PathBuf;

use crate::clusters::ClusterOptions;
use crate::conll::{read_conll_file, TaggedDocument};
use crate::crf::{CrfLearner, CrfOptions};
use crate::decode::{
    decode, decode_with_model, record_history, Chooser, Decoder, DocumentFeatures, Lattice, START,
};
use crate::document_pass::DocumentPass;
use crate::features::extract_transition;
use crate::features::{FeatureBuf, History, PrehashedMap, TokenFeatures};
use crate::lexicon::Lexicon;
use crate::model::{FeatureGroups, Model};
use crate::rewrite::Rewrite;
use crate::score::{ScoreReport, Scorer};
use crate::tags::{entities_of, Label, Tag, NUM_TAGS};
use crate::word_tables::{CaseCounter, WordTables};
use crate::EntitiesError;

/// What to train on and how.
#[derive(Debug, Clone)]
pub struct TrainOptions {
    /// Gold CoNLL files to learn from.
    pub train: Vec<PathBuf>,
    /// Gold CoNLL files scored after every epoch; the best epoch's weights are kept.
    pub dev: Vec<PathBuf>,
    /// Extra unlabeled text for the word tables (CoNLL, JSON Lines with `text`, plain text).
    pub unlabeled: Vec<PathBuf>,
    /// Passes over the training data.
    pub epochs: usize,
    /// Seed of the document order; the same seed gives the same model.
    pub seed: u64,
    /// The weight table has `2^bucket_bits` rows.
    pub bucket_bits: u32,
    /// Where to write the model, if anywhere.
    pub output: Option<PathBuf>,
    /// How to learn word clusters from the unlabeled text; `None` learns none. Off by
    /// default: on the few million words of unlabeled text in the shared data they changed
    /// dev F1 by less than the epoch-to-epoch noise (CoNLL +0.35, UNER -0.34) and cost
    /// features per token.
    pub clusters: Option<ClusterOptions>,
    /// Perceptrons trained side by side on different document orders whose weights are
    /// averaged into the model.
    pub members: usize,
    /// A correct tag whose score leads the best other tag by less than this is learned
    /// from as if it were wrong; 0 is the plain perceptron.
    pub margin: f32,
    /// Share of the training documents also learned from in a lowercased copy (0 to 1).
    pub lowercase_share: f64,
    /// Share of training tokens whose word identity is withheld (word dropout, 0 to 1).
    pub word_dropout: f64,
    /// Keep the epoch with the best mean dev F1 (`true`), or the last epoch, so that the dev
    /// scores are measured on data that chose nothing (`false`).
    pub select_epoch_on_dev: bool,
    /// How the model chooses tags, in training and after (see [`crate::decode`]).
    pub decoder: Decoder,
    /// What the weights are trained to do: the perceptron's (default) or the CRF's
    /// objective, which needs the Viterbi decoder.
    pub loss: Loss,
    /// The hyper-parameters of the CRF objective (ignored by the perceptron).
    pub crf: CrfOptions,
    /// Cross-validation folds as contiguous runs of documents (document `n` of a training
    /// file's `N` in fold `n * folds / N`, so each file is cut into `folds` runs) instead of
    /// every `folds`-th document. For corpora cut from one stream (CoNLL-2002's 20-sentence
    /// pieces of a day's news), every-`k`-th folds train on the neighbours of each held-out
    /// piece, from the same stories.
    pub contiguous_folds: bool,
    /// The document-level corrections applied before dev and held-out folds are scored
    /// (off by default, so the scores are the model's own; they never change the weights).
    pub document_pass: DocumentPass,
    /// The optional feature groups to learn (none by default). Stored in the model, which
    /// then computes them when tagging.
    pub feature_groups: FeatureGroups,
    /// Ways the text users have writes what the training files write otherwise (none by
    /// default): every training document a rewrite changes is also learned from rewritten
    /// (see [`crate::rewrite`]). Only training changes; the model tags as before.
    pub rewrites: Vec<Rewrite>,
    /// List the stems of the names' words in the lexicon too (off by default), so a name
    /// seen in one form is recognised in its other forms ("Holding", "Holdinga"): for
    /// inflected languages. Stored in the model's lexicon, which then looks stems up when
    /// tagging.
    pub stem_lexicon: bool,
}

impl Default for TrainOptions {
    fn default() -> Self {
        TrainOptions {
            train: Vec::new(),
            dev: Vec::new(),
            unlabeled: Vec::new(),
            epochs: 12,
            seed: 1,
            bucket_bits: 20,
            output: None,
            clusters: None,
            members: 8,
            margin: 16.0,
            lowercase_share: 0.5,
            word_dropout: 0.1,
            select_epoch_on_dev: true,
            decoder: Decoder::Greedy,
            loss: Loss::Perceptron,
            crf: CrfOptions::default(),
            contiguous_folds: false,
            document_pass: DocumentPass::OFF,
            feature_groups: FeatureGroups::default(),
            rewrites: Vec::new(),
            stem_lexicon: false,
        }
    }
}

/// The training objective.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Loss {
    /// The averaged (structured, with the Viterbi decoder) perceptron with a margin.
    #[default]
    Perceptron,
    /// The conditional log-likelihood of the gold sequences with an L2 penalty, the
    /// Viterbi decoder's model trained as a linear-chain CRF (see [`crate::crf`]).
    Crf,
}

impl Loss {
    /// Parses `perceptron` or `crf`.
    pub fn from_name(name: &str) -> Option<Loss> {
        match name {
            "perceptron" => Some(Loss::Perceptron),
            "crf" => Some(Loss::Crf),
            _ => None,
        }
    }
}

/// What happened in one epoch.
#[derive(Debug, Clone)]
pub struct EpochReport {
    /// 1-based epoch number.
    pub epoch: usize,
    /// Share of training tokens tagged wrongly during the epoch.
    pub train_error_rate: f64,
    /// Dev scores of the averaged weights after the epoch, one per dev file.
    pub dev: Vec<(PathBuf, ScoreReport)>,
}

impl EpochReport {
    /// Mean overall F1 over the dev files (0 without dev files).
    pub fn mean_dev_f1(&self) -> f64 {
        if self.dev.is_empty() {
            return 0.0;
        }
        self.dev.iter().map(|(_, r)| r.overall.f1()).sum::<f64>() / self.dev.len() as f64
    }
}

/// The result of training.
#[derive(Debug)]
pub struct TrainReport {
    /// The kept model (best mean dev F1, or the last epoch's without dev files).
    pub model: Model,
    /// Every epoch.
    pub epochs: Vec<EpochReport>,
    /// The epoch whose weights were kept.
    pub best_epoch: usize,
}

/// Progress messages of [`train`].
#[derive(Debug)]
pub enum Progress<'a> {
    /// A preparation step finished (reading data, building tables).
    Step(&'a str),
    /// An epoch finished.
    Epoch(&'a EpochReport),
}

/// A training corpus in memory.
struct Corpus {
    documents: Vec<TaggedDocument>,
    /// Whether the corpus annotates `MISC` at all (UNER does not).
    has_misc: bool,
}

impl Corpus {
    fn new(documents: Vec<TaggedDocument>) -> Corpus {
        let has_misc = documents
            .iter()
            .flat_map(|d| &d.sentences)
            .any(|s| s.tags.iter().any(|t| t.label() == Some(Label::Misc)));
        Corpus {
            documents,
            has_misc,
        }
    }
}

/// Trains a model; `progress` hears about every step and epoch.
pub fn train(
    options: &TrainOptions,
    mut progress: impl FnMut(Progress),
) -> Result<TrainReport, EntitiesError> {
    if options.train.is_empty() {
        return Err(EntitiesError::Training("no training file given".into()));
    }
    let corpora = options
        .train
        .iter()
        .map(|path| Ok(Corpus::new(read_conll_file(path)?)))
        .collect::<Result<Vec<_>, EntitiesError>>()?;
    progress(Progress::Step("read training data"));
    let dev = options
        .dev
        .iter()
        .map(|path| Ok((path.clone(), read_conll_file(path)?)))
        .collect::<Result<Vec<_>, EntitiesError>>()?;
    let report = train_corpora(&corpora, &dev, options, &mut progress)?;
    if let Some(path) = &options.output {
        report.model.save(path)?;
    }
    Ok(report)
}

/// Scores of a [`cross_validate`] run: for every epoch, the scores of the held-out folds
/// added up, so each training document is scored once, by a model that never saw it.
#[derive(Debug, Clone)]
pub struct CrossValidation {
    /// How many folds the documents were cut into.
    pub folds: usize,
    /// Per epoch (index 0 is epoch 1), the pooled held-out scores.
    pub epochs: Vec<ScoreReport>,
    /// Per epoch, the pooled held-out scores of each training file's documents (indexed as
    /// `TrainOptions::train`): with a second language's file in training, the first file's
    /// part is the score of the language the model is for.
    pub epochs_by_file: Vec<Vec<ScoreReport>>,
    /// Every held-out document with the tags the last epoch's model of its fold gave it
    /// (with the options' document pass), fold by fold, for error analysis.
    pub held_out: Vec<HeldOutDocument>,
}

/// A document held out in cross-validation and how its fold's model tagged it.
#[derive(Debug, Clone)]
pub struct HeldOutDocument {
    /// The fold (0-based) the document was held out in.
    pub fold: usize,
    /// The training file (an index into `TrainOptions::train`) the document comes from.
    pub file: usize,
    /// The document with its gold tags.
    pub document: TaggedDocument,
    /// The predicted tags, one list per sentence.
    pub predicted: Vec<Vec<Tag>>,
}

impl CrossValidation {
    /// The epoch (1-based) with the best pooled F1, and that F1.
    pub fn best_epoch(&self) -> (usize, f64) {
        self.epochs
            .iter()
            .enumerate()
            .map(|(n, report)| (n + 1, report.overall.f1()))
            .fold(
                (0, f64::MIN),
                |best, next| if next.1 > best.1 { next } else { best },
            )
    }
}

/// K-fold cross-validation on the training files of `options`: document `n` (counted over
/// all training files in order) is held out in fold `n % folds` (or, with
/// [`TrainOptions::contiguous_folds`], document `i` of a file of `N` in fold `i * folds / N`:
/// every fold holds out a run of every file), a model is trained on the
/// other folds with `options` (dev files and output are ignored), and every epoch's scores
/// on the held-out fold are added up over the folds. Each training file's held-out documents
/// are scored as a dev file of that source would be ([`Scorer::for_gold`]: PER, ORG and LOC
/// only when the file has no MISC), so mixing sources does not count a label one of them
/// lacks against the model. This is how a setting is chosen without
/// looking at dev data, and the only honest score for a language that has no train/dev split.
pub fn cross_validate(
    options: &TrainOptions,
    folds: usize,
    mut progress: impl FnMut(Progress),
) -> Result<CrossValidation, EntitiesError> {
    if folds < 2 {
        return Err(EntitiesError::Training(
            "cross-validation needs at least 2 folds".into(),
        ));
    }
    let files = options
        .train
        .iter()
        .map(|path| read_conll_file(path))
        .collect::<Result<Vec<_>, EntitiesError>>()?;
    let total: usize = files.iter().map(Vec::len).sum();
    if total < folds {
        return Err(EntitiesError::Training(format!(
            "{total} training documents cannot make {folds} folds"
        )));
    }
    // `n` counts documents over all files, `i` within the file of `len` documents.
    let fold_of = |n: usize, i: usize, len: usize| {
        if options.contiguous_folds {
            i * folds / len
        } else {
            n % folds
        }
    };
    let mut pooled = vec![ScoreReport::default(); options.epochs];
    let mut pooled_by_file = vec![vec![ScoreReport::default(); files.len()]; options.epochs];
    let mut held_out_documents = Vec::with_capacity(total);
    for fold in 0..folds {
        let mut corpora = Vec::new();
        // One held-out part per training file, each scored with the labels its own gold has
        // (`Scorer::for_gold`): UniversalNER has no MISC, so a MISC mention the model finds in
        // a UNER document of a mixed fold is not counted against it, as on a UNER dev file.
        let (mut files_held_out, mut dev) = (Vec::new(), Vec::new());
        let mut n = 0;
        for (file, (path, documents)) in options.train.iter().zip(&files).enumerate() {
            let (mut kept, mut held_out) = (Vec::new(), Vec::new());
            for (i, document) in documents.iter().enumerate() {
                if fold_of(n, i, documents.len()) == fold {
                    held_out.push(document.clone());
                } else {
                    kept.push(document.clone());
                }
                n += 1;
            }
            corpora.push(Corpus::new(kept));
            if !held_out.is_empty() {
                files_held_out.push(file);
                dev.push((path.clone(), held_out));
            }
        }
        let mut fold_options = options.clone();
        fold_options.select_epoch_on_dev = false;
        let report = train_corpora(&corpora, &dev, &fold_options, &mut progress)?;
        for ((sum, by_file), epoch) in pooled
            .iter_mut()
            .zip(&mut pooled_by_file)
            .zip(&report.epochs)
        {
            for (&file, (_, part)) in files_held_out.iter().zip(&epoch.dev) {
                sum.add(part);
                by_file[file].add(part);
            }
        }
        for (file, (_, held_out)) in files_held_out.into_iter().zip(dev) {
            let predicted = predict_with(&report.model, &held_out, &options.document_pass);
            held_out_documents.extend(held_out.into_iter().zip(predicted).map(
                |(document, predicted)| HeldOutDocument {
                    fold,
                    file,
                    document,
                    predicted,
                },
            ));
        }
    }
    Ok(CrossValidation {
        folds,
        epochs: pooled,
        epochs_by_file: pooled_by_file,
        held_out: held_out_documents,
    })
}

/// Trains on corpora in memory, scoring `dev` after every epoch.
fn train_corpora(
    corpora: &[Corpus],
    dev: &[(PathBuf, Vec<TaggedDocument>)],
    options: &TrainOptions,
    progress: &mut impl FnMut(Progress),
) -> Result<TrainReport, EntitiesError> {
    if options.loss == Loss::Crf && options.decoder != Decoder::Viterbi {
        return Err(EntitiesError::Training(
            "the CRF objective trains the Viterbi decoder's model".into(),
        ));
    }
    let words = word_tables(corpora, &options.unlabeled, options.clusters.as_ref())?;
    progress(Progress::Step(
        "counted word capitalization and clustered words",
    ));
    let unspaced = unspaced(corpora.iter().flat_map(|c| &c.documents));
    let rewritten = rewritten_copies(corpora, &options.rewrites);
    let prepared = prepare_training(corpora, &rewritten, &words, unspaced, options);
    progress(Progress::Step("built lexicons and features"));
    let lexicon = lexicon_of(
        corpora
            .iter()
            .flat_map(|c| &c.documents)
            .chain(rewritten.iter().flatten()),
        unspaced,
        options.stem_lexicon,
    );

    let mut members: Vec<Member> = (0..options.members.max(1))
        .map(|k| Member::new(options, k as u64, &prepared))
        .collect();
    let mut epochs = Vec::new();
    let mut best: Option<(f64, usize, Model)> = None;
    for epoch in 1..=options.epochs {
        let error_rate = run_epoch(&mut members, &prepared);
        let model = Model::from_weights(
            options.bucket_bits,
            &mean_weights(&members),
            lexicon.clone(),
            words.clone(),
        )
        .with_decoder(options.decoder)
        .with_feature_groups(options.feature_groups);
        let dev_scores = dev
            .iter()
            .map(|(path, documents)| {
                let scores = evaluate_documents(&model, documents, &options.document_pass);
                (path.clone(), scores)
            })
            .collect();
        let report = EpochReport {
            epoch,
            train_error_rate: error_rate,
            dev: dev_scores,
        };
        progress(Progress::Epoch(&report));
        let f1 = report.mean_dev_f1();
        let keep_last = dev.is_empty() || !options.select_epoch_on_dev;
        if best.as_ref().is_none_or(|(b, _, _)| f1 > *b || keep_last) {
            best = Some((f1, epoch, model));
        }
        epochs.push(report);
    }
    let (_, best_epoch, model) = best.ok_or_else(|| EntitiesError::Training("no epoch".into()))?;
    Ok(TrainReport {
        model,
        epochs,
        best_epoch,
    })
}

/// One learner of the ensemble with its own document order.
struct Member {
    weights: MemberWeights,
    order: Vec<usize>,
    rng: SplitMix,
}

/// The weights a member trains, by the objective of [`TrainOptions::loss`].
enum MemberWeights {
    Perceptron(Perceptron),
    Crf(CrfLearner),
}

impl Member {
    /// Member `k` of a training run over `documents`; member 0 follows `options.seed`
    /// itself.
    fn new(options: &TrainOptions, k: u64, documents: &[PreparedDocument]) -> Member {
        let weights = match options.loss {
            Loss::Perceptron => MemberWeights::Perceptron(Perceptron::new(
                options.bucket_bits,
                options.margin,
                options.decoder,
            )),
            Loss::Crf => {
                let sentences = documents.iter().map(|d| d.features.sentences.len()).sum();
                let misc = documents.iter().any(|d| d.has_misc);
                MemberWeights::Crf(CrfLearner::new(
                    options.bucket_bits,
                    options.crf,
                    sentences,
                    misc,
                ))
            }
        };
        Member {
            weights,
            order: (0..documents.len()).collect(),
            rng: SplitMix(options.seed.wrapping_add(k.wrapping_mul(0x1_0000_0001))),
        }
    }

    /// One pass in the member's next order; returns the share of wrongly tagged tokens.
    fn epoch(&mut self, documents: &[PreparedDocument]) -> f64 {
        self.rng.shuffle(&mut self.order);
        match &mut self.weights {
            MemberWeights::Perceptron(p) => p.epoch(documents, &self.order),
            MemberWeights::Crf(c) => c.epoch(documents, &self.order),
        }
    }

    /// The weights to ship.
    fn weights(&self) -> Vec<f32> {
        match &self.weights {
            MemberWeights::Perceptron(p) => p.averaged(),
            MemberWeights::Crf(c) => c.weights(),
        }
    }
}

/// One pass of every member over the training data, members in parallel; returns the mean
/// share of wrongly tagged tokens.
fn run_epoch(members: &mut [Member], prepared: &[PreparedDocument]) -> f64 {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let chunk = members.len().div_ceil(threads).max(1);
    let rates: Vec<f64> = std::thread::scope(|scope| {
        let handles: Vec<_> = members
            .chunks_mut(chunk)
            .map(|group| {
                scope.spawn(move || {
                    group
                        .iter_mut()
                        .map(|m| m.epoch(prepared))
                        .collect::<Vec<f64>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("a training thread panicked"))
            .collect()
    });
    rates.iter().sum::<f64>() / rates.len().max(1) as f64
}

/// The mean of the members' averaged weights: for a linear model, the same scores as
/// summing the members' votes, at the cost of one model.
fn mean_weights(members: &[Member]) -> Vec<f32> {
    let mut sum = members[0].weights();
    for member in &members[1..] {
        for (s, w) in sum.iter_mut().zip(member.weights()) {
            *s += w;
        }
    }
    let n = members.len() as f32;
    sum.iter_mut().for_each(|s| *s /= n);
    sum
}

/// Scores `model` on a gold CoNLL file. Files without any `MISC` gold entity are scored on
/// PER, ORG and LOC only (UNER EWT has no MISC annotation).
pub fn evaluate(model: &Model, path: &std::path::Path) -> Result<ScoreReport, EntitiesError> {
    Ok(evaluate_documents(
        model,
        &read_conll_file(path)?,
        &DocumentPass::OFF,
    ))
}

/// Scores `model` followed by the document-level corrections `pass`, as the stage tags.
pub fn evaluate_with(
    model: &Model,
    path: &std::path::Path,
    pass: &DocumentPass,
) -> Result<ScoreReport, EntitiesError> {
    Ok(evaluate_documents(model, &read_conll_file(path)?, pass))
}

/// Scores `model` followed by `pass` on gold documents in memory (a file's, after
/// [`crate::rewrite::Rewrite::apply`], say).
pub fn evaluate_documents(
    model: &Model,
    documents: &[TaggedDocument],
    pass: &DocumentPass,
) -> ScoreReport {
    let mut scorer = Scorer::for_gold(documents);
    for (document, predicted) in documents.iter().zip(predict_with(model, documents, pass)) {
        for (sentence, tags) in document.sentences.iter().zip(&predicted) {
            scorer.add(&sentence.tags, tags);
        }
    }
    scorer.report()
}

/// The model's tags for every sentence of every document (tokenized as in the file), for
/// error analysis: `result[d][s]` holds one tag per token of sentence `s` of document `d`.
/// These are the model's own tags, without the stage's document-level corrections (see
/// [`predict_with`]).
pub fn predict(model: &Model, documents: &[TaggedDocument]) -> Vec<Vec<Vec<Tag>>> {
    predict_with(model, documents, &DocumentPass::OFF)
}

/// [`predict`] followed by the document-level corrections `pass`.
pub fn predict_with(
    model: &Model,
    documents: &[TaggedDocument],
    pass: &DocumentPass,
) -> Vec<Vec<Vec<Tag>>> {
    let mut features = DocumentFeatures::default();
    let mut history = PrehashedMap::default();
    let mut lattice = Lattice::default();
    let (mut tags, mut confidences) = (Vec::new(), Vec::new());
    documents
        .iter()
        .map(|document| {
            features.clear();
            features.keep_stems(&model.lexicon);
            for sentence in &document.sentences {
                features.push_sentence(sentence.tokens.iter().map(String::as_str));
            }
            features.annotate(&model.lexicon, model.word_tables());
            model.feature_groups().annotate(&mut features);
            decode_with_model(
                &features,
                model,
                &mut history,
                &mut lattice,
                &mut tags,
                &mut confidences,
            );
            pass.apply(&features, &mut tags, &mut confidences);
            features
                .sentences
                .iter()
                .map(|range| tags[range.clone()].to_vec())
                .collect()
        })
        .collect()
}

/// Capitalization statistics and word clusters from the training tokens and the unlabeled
/// files.
fn word_tables(
    corpora: &[Corpus],
    unlabeled: &[PathBuf],
    clusters: Option<&ClusterOptions>,
) -> Result<WordTables, EntitiesError> {
    let mut counter = CaseCounter::new();
    let mut corpus: Vec<u64> = Vec::new();
    let mut add = |words: &[&str]| {
        counter.add_sentence(words.iter().copied());
        corpus.extend(words.iter().map(|w| TokenFeatures::of(w).lower));
        corpus.push(crate::clusters::BOUNDARY);
    };
    for sentence in corpora
        .iter()
        .flat_map(|c| &c.documents)
        .flat_map(|d| &d.sentences)
    {
        let words: Vec<&str> = sentence.tokens.iter().map(String::as_str).collect();
        add(&words);
    }
    for path in unlabeled {
        crate::unlabeled::for_each_sentence(path, &mut add)?;
    }
    Ok(WordTables {
        case_stats: counter.finish(2),
        clusters: clusters
            .map(|options| crate::clusters::learn(&corpus, options))
            .unwrap_or_default(),
    })
}

/// Whether `documents` are written in a script without spaces: at least half of their
/// sentences hold words the reader cut into characters. Only such training data gives the
/// lexicon a word dictionary; a French or Russian file that quotes a few Japanese titles
/// does not, so its model neither changes nor slows down.
fn unspaced<'a>(documents: impl Iterator<Item = &'a TaggedDocument>) -> bool {
    let (mut cut, mut total) = (0usize, 0usize);
    for sentence in documents.flat_map(|d| &d.sentences) {
        cut += !sentence.words.is_empty() as usize;
        total += 1;
    }
    total > 0 && cut * 2 >= total
}

/// The names of `documents` as a lexicon, with the word dictionary when the training data
/// is `unspaced` and the stems of the names' words when asked for.
fn lexicon_of<'a>(
    documents: impl Iterator<Item = &'a TaggedDocument>,
    unspaced: bool,
    stems: bool,
) -> Lexicon {
    let mut lexicon = Lexicon::new();
    for sentence in documents.flat_map(|d| &d.sentences) {
        for entity in entities_of(&sentence.tags) {
            let words = &sentence.tokens[entity.start..entity.end];
            let lowers: Vec<u64> = words.iter().map(|w| TokenFeatures::of(w).lower).collect();
            lexicon.insert(&lowers, entity.label);
            if stems {
                for (word, &lower) in words.iter().zip(&lowers) {
                    lexicon.insert_stems(lower, crate::features::stem_hashes(word), entity.label);
                }
            }
        }
        if !unspaced {
            continue;
        }
        for word in &sentence.words {
            let lowers: Vec<u64> = sentence.tokens[word.clone()]
                .iter()
                .map(|w| TokenFeatures::of(w).lower)
                .collect();
            lexicon.insert_word(&lowers);
        }
    }
    lexicon
}

/// A training document with its features and gold tags.
pub(crate) struct PreparedDocument {
    pub(crate) features: DocumentFeatures,
    pub(crate) gold: Vec<Tag>,
    pub(crate) has_misc: bool,
}

/// The training documents are cut into this many folds; each document's lexicon features
/// come from the names of the other folds.
const LEXICON_FOLDS: usize = 5;

/// The rewritten copies of each training document (in the order of the corpora): one per
/// rewrite of `rewrites` that changes it.
fn rewritten_copies(corpora: &[Corpus], rewrites: &[Rewrite]) -> Vec<Vec<TaggedDocument>> {
    corpora
        .iter()
        .flat_map(|c| &c.documents)
        .map(|document| {
            rewrites
                .iter()
                .filter_map(|rewrite| rewrite.apply(document))
                .collect()
        })
        .collect()
}

/// Features of every training document, each with the lexicon of the other folds, plus a
/// lowercased copy of a seeded share of them (see [`TrainOptions::lowercase_share`]) and the
/// `rewritten` copies (see [`TrainOptions::rewrites`]), which keep their original's fold.
fn prepare_training(
    corpora: &[Corpus],
    rewritten: &[Vec<TaggedDocument>],
    words: &WordTables,
    unspaced: bool,
    options: &TrainOptions,
) -> Vec<PreparedDocument> {
    let all: Vec<(&TaggedDocument, bool)> = corpora
        .iter()
        .flat_map(|c| c.documents.iter().map(move |d| (d, c.has_misc)))
        .collect();
    let folds = LEXICON_FOLDS;
    let fold_lexicons: Vec<Lexicon> = (0..folds)
        .map(|fold| {
            let originals = all.iter().map(|(d, _)| *d);
            let copies = rewritten.iter();
            lexicon_of(
                originals
                    .zip(copies)
                    .enumerate()
                    .filter(|(n, _)| n % folds != fold)
                    .flat_map(|(_, (original, copy))| std::iter::once(original).chain(copy)),
                unspaced,
                options.stem_lexicon,
            )
        })
        .collect();
    let mut rng = SplitMix(options.seed ^ 0x0010_CA5E);
    let mut prepared = Vec::new();
    for (n, (document, has_misc)) in all.iter().enumerate() {
        let lexicon = &fold_lexicons[n % folds];
        let prepare = |lowercase| {
            let mut prepared = prepare_document(document, *has_misc, lexicon, words, lowercase);
            options.feature_groups.annotate(&mut prepared.features);
            prepared
        };
        let mut original = prepare(false);
        hide_words(&mut original.features, options.word_dropout, &mut rng);
        prepared.push(original);
        // Web text is often typed without capitals ("tampa bay", "kerala"), where a tagger
        // that learned only from edited text sees no names at all. The copy keeps the
        // original's fold, so its names are still absent from its lexicon.
        if rng.unit() < options.lowercase_share {
            let mut copy = prepare(true);
            hide_words(&mut copy.features, options.word_dropout, &mut rng);
            prepared.push(copy);
        }
        for copy in &rewritten[n] {
            let mut copy = prepare_document(copy, *has_misc, lexicon, words, false);
            options.feature_groups.annotate(&mut copy.features);
            hide_words(&mut copy.features, options.word_dropout, &mut rng);
            prepared.push(copy);
        }
    }
    prepared
}

/// Withholds the identity of a seeded share of the tokens: every training word is known to
/// the weights that learned it, but many words met later are not, and a model that never
/// had to tag an unknown word leans on word identity more than it should.
fn hide_words(features: &mut DocumentFeatures, share: f64, rng: &mut SplitMix) {
    if share <= 0.0 {
        return;
    }
    for token in &mut features.tokens {
        token.hide_word = rng.unit() < share;
    }
}

fn prepare_document(
    document: &TaggedDocument,
    has_misc: bool,
    lexicon: &Lexicon,
    words: &WordTables,
    lowercase: bool,
) -> PreparedDocument {
    let mut features = DocumentFeatures::default();
    features.keep_stems(lexicon);
    for sentence in &document.sentences {
        if lowercase {
            let lowered: Vec<String> = sentence.tokens.iter().map(|w| w.to_lowercase()).collect();
            features.push_sentence(lowered.iter().map(String::as_str));
        } else {
            features.push_sentence(sentence.tokens.iter().map(String::as_str));
        }
    }
    features.annotate(lexicon, words);
    PreparedDocument {
        features,
        gold: document
            .sentences
            .iter()
            .flat_map(|s| s.tags.iter().copied())
            .collect(),
        has_misc,
    }
}

/// Perceptron weights with the running sums needed for averaging.
struct Perceptron {
    bucket_bits: u32,
    /// See [`TrainOptions::margin`].
    margin: f32,
    /// See [`TrainOptions::decoder`].
    decoder: Decoder,
    weights: Vec<f32>,
    /// Sum of `step * update`: the average is `weights - sums / steps` (Daumé's trick, so an
    /// update costs the same whatever the number of steps).
    sums: Vec<f64>,
    steps: u64,
}

impl Perceptron {
    fn new(bucket_bits: u32, margin: f32, decoder: Decoder) -> Self {
        let size = (1usize << bucket_bits) * NUM_TAGS;
        Perceptron {
            bucket_bits,
            margin,
            decoder,
            weights: vec![0.0; size],
            sums: vec![0.0; size],
            steps: 1,
        }
    }

    /// One pass in `order`; returns the share of wrongly tagged tokens.
    fn epoch(&mut self, documents: &[PreparedDocument], order: &[usize]) -> f64 {
        let (mut errors, mut tokens) = (0usize, 0usize);
        let mut history = PrehashedMap::default();
        let mut tags = Vec::new();
        let mut lattice = Lattice::default();
        for &n in order {
            let document = &documents[n];
            if self.decoder == Decoder::Viterbi {
                errors += self.learn_sequences(document, &mut history, &mut lattice, &mut tags);
                tokens += document.gold.len();
                continue;
            }
            let mut learner = Learner {
                perceptron: self,
                gold: &document.gold,
                lenient_misc: !document.has_misc,
                errors: 0,
            };
            decode(&document.features, &mut learner, &mut history, &mut tags);
            errors += learner.errors;
            tokens += document.gold.len();
        }
        errors as f64 / tokens.max(1) as f64
    }

    /// Decodes each sentence of `document` with the Viterbi decoder and the current weights,
    /// every wrong tag costing a margin, and where the best path is not the gold one, moves
    /// the weights towards the gold path's features and away from the predicted path's
    /// (the structured perceptron). Returns the number of wrongly tagged tokens.
    fn learn_sequences(
        &mut self,
        document: &PreparedDocument,
        history: &mut PrehashedMap<History>,
        lattice: &mut Lattice,
        predicted: &mut Vec<Tag>,
    ) -> usize {
        let lenient_misc = !document.has_misc;
        let margin = self.margin;
        let mut errors = 0;
        let mut target = Vec::new();
        let mut pair = FeatureBuf::default();
        history.clear();
        for range in &document.features.sentences {
            let sentence = &document.features.tokens[range.clone()];
            well_formed(&document.gold[range.clone()], &mut target);
            // MISC where a corpus without MISC says O is no mistake there.
            let excused = |gold: Tag, tag: Tag| {
                lenient_misc && gold == Tag::O && tag.label() == Some(Label::Misc)
            };
            let target_ref = &target;
            lattice.fill(
                &*self,
                sentence,
                document.features.section,
                history,
                |i, tag| {
                    let gold = target_ref[i];
                    if tag == gold || excused(gold, tag) {
                        0.0
                    } else {
                        margin
                    }
                },
            );
            predicted.clear();
            predicted.resize(sentence.len(), Tag::O);
            lattice.best_path(predicted);
            for (gold, &tag) in target.iter_mut().zip(predicted.iter()) {
                if excused(*gold, tag) {
                    *gold = tag;
                }
            }
            for i in 0..sentence.len() {
                let (gold, tag) = (target[i], predicted[i]);
                let gold_before = if i == 0 { START } else { target[i - 1] };
                let tag_before = if i == 0 { START } else { predicted[i - 1] };
                if gold != tag {
                    errors += 1;
                    self.update(&lattice.features[i], gold, 1.0);
                    self.update(&lattice.features[i], tag, -1.0);
                }
                if gold != tag || gold_before != tag_before {
                    extract_transition(&sentence[i], gold_before, &mut pair);
                    self.update(&pair, gold, 1.0);
                    extract_transition(&sentence[i], tag_before, &mut pair);
                    self.update(&pair, tag, -1.0);
                }
            }
            self.steps += sentence.len() as u64;
            record_history(sentence, predicted, history);
        }
        errors
    }

    fn averaged(&self) -> Vec<f32> {
        let steps = self.steps as f64;
        self.weights
            .iter()
            .zip(&self.sums)
            .map(|(&w, &s)| (w as f64 - s / steps) as f32)
            .collect()
    }

    fn row(&self, hash: u64) -> usize {
        crate::features::bucket_of(hash, self.bucket_bits) * NUM_TAGS
    }

    fn update(&mut self, features: &FeatureBuf, tag: Tag, delta: f32) {
        let step = self.steps as f64;
        for &hash in features.hashes() {
            let at = self.row(hash) + tag.0 as usize;
            self.weights[at] += delta;
            self.sums[at] += step * delta as f64;
        }
    }
}

impl crate::features::WeightRows for Perceptron {
    fn add_row(&self, hash: u64, scores: &mut [f32; NUM_TAGS]) {
        let row = self.row(hash);
        for (score, w) in scores.iter_mut().zip(&self.weights[row..row + NUM_TAGS]) {
            *score += w;
        }
    }
}

/// Decodes a training document with the current weights, learning from every mistake.
struct Learner<'p, 'g> {
    perceptron: &'p mut Perceptron,
    gold: &'g [Tag],
    lenient_misc: bool,
    errors: usize,
}

impl Chooser for Learner<'_, '_> {
    fn choose(&mut self, position: usize, features: &FeatureBuf, previous: Tag) -> Tag {
        let scores = crate::features::score(&*self.perceptron, features);
        let predicted = crate::features::best_tag(&scores, previous);
        let mut gold = self.gold[position];
        // After a wrong previous tag the gold `I-X` may be unreachable; `B-X` is the
        // reachable tag that marks the same span start.
        if !gold.may_follow(previous) {
            gold = gold.label().map_or(Tag::O, Tag::begin);
        }
        let excused = self.lenient_misc && gold == Tag::O && predicted.label() == Some(Label::Misc);
        if predicted != gold && !excused {
            self.errors += 1;
            self.perceptron.update(features, gold, 1.0);
            self.perceptron.update(features, predicted, -1.0);
        } else if predicted == gold {
            if let Some(rival) = self.close_rival(&scores, gold, previous) {
                self.perceptron.update(features, gold, 1.0);
                self.perceptron.update(features, rival, -1.0);
            }
        }
        self.perceptron.steps += 1;
        predicted
    }
}

impl Learner<'_, '_> {
    /// The best other tag when it scores within the margin of the (correctly chosen) gold
    /// one. Tags that could not follow, and `MISC` where the corpus does not mark it, are no
    /// rivals.
    fn close_rival(&self, scores: &[f32; NUM_TAGS], gold: Tag, previous: Tag) -> Option<Tag> {
        let margin = self.perceptron.margin;
        if margin <= 0.0 {
            return None;
        }
        let excused =
            |tag: Tag| self.lenient_misc && gold == Tag::O && tag.label() == Some(Label::Misc);
        let (rival, score) = (0..NUM_TAGS as u8)
            .map(Tag)
            .filter(|&tag| tag != gold && tag.may_follow(previous) && !excused(tag))
            .map(|tag| (tag, scores[tag.0 as usize]))
            .max_by(|a, b| a.1.total_cmp(&b.1))?;
        (scores[gold.0 as usize] - score < margin).then_some(rival)
    }
}

/// `gold` as a well-formed BIO sequence in `out`: an `I-X` that does not continue an `X`
/// begins one (some corpora write IOB1, where `I-` opens a mention), as the scorer reads it.
pub(crate) fn well_formed(gold: &[Tag], out: &mut Vec<Tag>) {
    out.clear();
    let mut previous = START;
    for &tag in gold {
        let tag = if tag.may_follow(previous) {
            tag
        } else {
            tag.label().map_or(Tag::O, Tag::begin)
        };
        out.push(tag);
        previous = tag;
    }
}

/// A small deterministic generator for the document order (SplitMix64).
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        crate::features::finish(self.0)
    }

    /// A uniform draw in `[0, 1)`.
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = (self.next() % (i as u64 + 1)) as usize;
            items.swap(i, j);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gold_sequences_are_made_well_formed() {
        let tags = |names: &[&str]| names.iter().map(|n| Tag::parse(n)).collect::<Vec<_>>();
        let mut out = Vec::new();
        well_formed(
            &tags(&["I-PER", "I-PER", "O", "I-LOC", "B-LOC", "I-ORG"]),
            &mut out,
        );
        assert_eq!(
            out,
            tags(&["B-PER", "I-PER", "O", "B-LOC", "B-LOC", "B-ORG"])
        );
    }

    #[test]
    fn rewritten_copies_are_learned_from_and_their_names_listed() {
        let text = "-DOCSTART-\tO\n\nMora\tO\nem\tO\na\tO\nCidade\tB-LOC\nde\tI-LOC\no\tI-LOC\n\
                    México\tI-LOC\n\n-DOCSTART-\tO\n\nAna\tB-PER\nfala\tO\n";
        let corpora = [Corpus::new(crate::conll::parse_conll(text).unwrap())];
        let words = word_tables(&corpora, &[], None).unwrap();
        let options = TrainOptions {
            lowercase_share: 0.0,
            ..Default::default()
        };
        let copies = rewritten_copies(&corpora, &[Rewrite::PortugueseContractions]);
        // The first document has contractions, the second none.
        assert_eq!(copies.iter().map(Vec::len).collect::<Vec<_>>(), [1, 0]);
        assert_eq!(
            prepare_training(&corpora, &copies, &words, false, &options).len(),
            3
        );
        let without = rewritten_copies(&corpora, &[]);
        assert_eq!(
            prepare_training(&corpora, &without, &words, false, &options).len(),
            2
        );

        let written = |lexicon: &Lexicon| {
            let mut tokens: Vec<TokenFeatures> = ["na", "Cidade", "do", "México"]
                .iter()
                .map(|w| TokenFeatures::of(w))
                .collect();
            lexicon.annotate(&mut tokens);
            tokens.iter().map(|t| t.lexicon != 0).collect::<Vec<_>>()
        };
        let documents = || corpora.iter().flat_map(|c| &c.documents);
        let listed = lexicon_of(documents().chain(copies.iter().flatten()), false, false);
        // "Cidade do México" is a listed name only with the copies.
        assert_eq!(written(&listed), [false, true, true, true]);
        let originals = lexicon_of(documents(), false, false);
        assert_eq!(written(&originals), [false, false, false, false]);
    }

    #[test]
    fn only_text_without_spaces_gives_the_lexicon_a_word_dictionary() {
        let chinese = crate::conll::parse_conll("在\tO\n北京市\tB-LOC\n工作\tO\n").unwrap();
        assert!(unspaced(chinese.iter()));
        let lexicon = lexicon_of(chinese.iter(), true, false);
        assert!(lexicon.has_words());
        let mut tokens: Vec<TokenFeatures> = ["在", "北", "京", "市", "工", "作"]
            .iter()
            .map(|w| TokenFeatures::of(w))
            .collect();
        lexicon.annotate(&mut tokens);
        let lengths: Vec<u8> = tokens.iter().map(|t| t.segment >> 3).collect();
        assert_eq!(lengths, [1, 3, 3, 3, 2, 2]);
        let english = crate::conll::parse_conll("in\tO\nNew\tB-LOC\nYork\tI-LOC\n").unwrap();
        assert!(!unspaced(english.iter()));
        assert!(!lexicon_of(english.iter(), false, false).has_words());
        // A Japanese title quoted in French text does not make the file unspaced.
        let french = crate::conll::parse_conll(
            "le\tO\nfilm\tO\n\n悪夢ちゃん\tO\n\nà\tO\nParis\tB-LOC\n\nici\tO\n",
        )
        .unwrap();
        assert!(!unspaced(french.iter()));
    }

    #[test]
    fn learns_a_tiny_corpus() {
        let dir =
            std::env::temp_dir().join(format!("textpipe-entities-train-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("tiny.conll");
        let mut text = String::from("-DOCSTART-\tO\n\n");
        for city in ["Paris", "Rome", "Berlin", "Madrid", "Lisbon", "Vienna"] {
            text.push_str(&format!(
                "John\tB-PER\nSmith\tI-PER\nvisited\tO\n{city}\tB-LOC\n.\tO\n\n"
            ));
            text.push_str(&format!(
                "Acme\tB-ORG\nCorp\tI-ORG\nopened\tO\nin\tO\n{city}\tB-LOC\n.\tO\n\n"
            ));
        }
        std::fs::write(&path, &text).unwrap();
        let options = TrainOptions {
            train: vec![path.clone()],
            dev: vec![path.clone()],
            epochs: 5,
            bucket_bits: 12,
            ..TrainOptions::default()
        };
        for (decoder, loss) in [
            (Decoder::Greedy, Loss::Perceptron),
            (Decoder::Viterbi, Loss::Perceptron),
            (Decoder::Viterbi, Loss::Crf),
        ] {
            let options = TrainOptions {
                decoder,
                loss,
                ..options.clone()
            };
            let report = train(&options, |_| {}).unwrap();
            assert_eq!(report.model.decoder(), decoder);
            let f1 = report.epochs[report.best_epoch - 1].mean_dev_f1();
            assert!(
                f1 > 95.0,
                "{decoder:?} {loss:?} F1 on its own training data: {f1}"
            );
            let again = train(&options, |_| {}).unwrap();
            assert_eq!(report.model, again.model, "training is deterministic");
        }
        // Three one-document folds of the same document: every fold holds out a copy of
        // what the others learn from, so the pooled scores count each copy's mentions once.
        let three = dir.join("three.conll");
        std::fs::write(&three, text.repeat(3)).unwrap();
        let options = TrainOptions {
            train: vec![three],
            ..options
        };
        let folds = cross_validate(&options, 3, |_| {}).unwrap();
        assert_eq!(folds.epochs.len(), 5);
        assert_eq!(folds.epochs[0].overall.gold, 3 * 24);
        assert!(folds.best_epoch().1 > 95.0, "{folds:?}");
        // Every held-out document comes back once, with a tag per token from its fold.
        assert_eq!(folds.held_out.len(), 3);
        for (n, held_out) in folds.held_out.iter().enumerate() {
            assert_eq!(held_out.fold, n);
            let gold: Vec<usize> = held_out
                .document
                .sentences
                .iter()
                .map(|s| s.tags.len())
                .collect();
            let predicted: Vec<usize> = held_out.predicted.iter().map(Vec::len).collect();
            assert_eq!(gold, predicted);
        }
        // Layout features are stored in the model.
        let with_layout = train(
            &TrainOptions {
                feature_groups: FeatureGroups {
                    layout: true,
                    ..FeatureGroups::default()
                },
                ..options.clone()
            },
            |_| {},
        )
        .unwrap();
        assert!(with_layout.model.feature_groups().layout);
        let plain = train(&options, |_| {}).unwrap().model;
        assert!(!plain.feature_groups().layout);
        // Stems are stored in the model's lexicon, and read back from its file.
        assert!(!plain.lexicon.has_stems());
        let with_stems = train(
            &TrainOptions {
                stem_lexicon: true,
                ..options.clone()
            },
            |_| {},
        )
        .unwrap()
        .model;
        let reloaded = Model::from_bytes(&with_stems.to_bytes()).unwrap();
        assert!(reloaded.lexicon.has_stems());
        std::fs::remove_dir_all(&dir).ok();
    }

    /// A source without MISC (UniversalNER) cross-validated together with one that has it:
    /// the MISC mentions the model finds in the first source's documents are not counted,
    /// as a dev file of that source would not count them.
    /// Two training files of six documents each, one city per document: the first with
    /// `MISC` annotated, the second without. Returns their folder and paths.
    fn two_source_corpus(name: &str) -> (PathBuf, PathBuf, PathBuf) {
        let dir = std::env::temp_dir().join(format!(
            "textpipe-entities-cv-{name}-{}",
            std::process::id()
        ));
        std::fs::create_dir_all(&dir).unwrap();
        let mut with_misc = String::new();
        let mut without_misc = String::new();
        for city in ["Paris", "Rome", "Berlin", "Madrid", "Lisbon", "Vienna"] {
            with_misc.push_str("-DOCSTART-\tO\n\n");
            without_misc.push_str("-DOCSTART-\tO\n\n");
            for _ in 0..3 {
                with_misc.push_str(&format!(
                    "John\tB-PER\nread\tO\nFrench\tB-MISC\nbooks\tO\nin\tO\n{city}\tB-LOC\n.\tO\n\n"
                ));
            }
            without_misc.push_str(&format!(
                "Mary\tB-PER\nread\tO\nFrench\tO\nbooks\tO\nin\tO\n{city}\tB-LOC\n.\tO\n\n"
            ));
        }
        let (misc_path, plain_path) = (dir.join("misc.conll"), dir.join("plain.conll"));
        std::fs::write(&misc_path, with_misc).unwrap();
        std::fs::write(&plain_path, without_misc).unwrap();
        (dir, misc_path, plain_path)
    }

    #[test]
    fn contiguous_folds_hold_out_runs_of_documents() {
        let (dir, misc_path, plain_path) = two_source_corpus("blocks");
        let held_out = |contiguous_folds: bool| -> Vec<(usize, usize, String)> {
            let options = TrainOptions {
                train: vec![misc_path.clone(), plain_path.clone()],
                epochs: 1,
                members: 1,
                bucket_bits: 10,
                contiguous_folds,
                ..TrainOptions::default()
            };
            let folds = cross_validate(&options, 3, |_| {}).unwrap();
            (folds.held_out.iter())
                .map(|d| (d.fold, d.file, d.document.sentences[0].tokens[5].clone()))
                .collect()
        };
        let fold = |held: &[(usize, usize, String)], k: usize| -> Vec<(usize, String)> {
            (held.iter().filter(|(f, _, _)| *f == k))
                .map(|(_, file, city)| (*file, city.clone()))
                .collect()
        };
        let owned = |list: &[(usize, &str)]| -> Vec<(usize, String)> {
            list.iter().map(|&(f, c)| (f, c.to_string())).collect()
        };
        // Two files of six documents in three folds: each file cut into three runs of two,
        // the second fold holding the middle run of each.
        let blocks = held_out(true);
        assert_eq!(
            fold(&blocks, 1),
            owned(&[(0, "Berlin"), (0, "Madrid"), (1, "Berlin"), (1, "Madrid")])
        );
        let every_third = held_out(false);
        assert_eq!(
            fold(&every_third, 0),
            owned(&[(0, "Paris"), (0, "Madrid"), (1, "Paris"), (1, "Madrid")])
        );
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn cross_validation_scores_each_source_with_its_own_labels() {
        use crate::tags::{entities_of, Label};
        let (dir, misc_path, plain_path) = two_source_corpus("labels");
        let options = TrainOptions {
            train: vec![misc_path, plain_path],
            epochs: 3,
            bucket_bits: 12,
            ..TrainOptions::default()
        };
        let folds = cross_validate(&options, 3, |_| {}).unwrap();
        let misc_found_in = |file: usize| -> usize {
            (folds.held_out.iter().filter(|d| d.file == file))
                .flat_map(|d| &d.predicted)
                .flat_map(|tags| entities_of(tags))
                .filter(|e| e.label == Label::Misc)
                .count()
        };
        // The situation the rule is for: having learned "French" as MISC from the first
        // source, the model calls it MISC in documents of the second too.
        assert!(misc_found_in(1) > 0, "{folds:?}");
        let last = folds.epochs.last().unwrap();
        assert_eq!(last.per_label[&Label::Misc].predicted, misc_found_in(0));
        assert_eq!(last.per_label[&Label::Misc].gold, 18);
        // Each file's part is scored as in the pooled score, and the parts add up to it:
        // the MISC the model finds in the second file counts in neither.
        let by_file = folds.epochs_by_file.last().unwrap();
        assert_eq!(by_file.len(), 2);
        let mut sum = ScoreReport::default();
        by_file.iter().for_each(|part| sum.add(part));
        assert_eq!(sum, *last);
        assert!(
            by_file.iter().all(|part| part.overall.gold > 0),
            "{by_file:?}"
        );
        assert_eq!(by_file[1].per_label.get(&Label::Misc), None);
        std::fs::remove_dir_all(&dir).ok();
    }
}
