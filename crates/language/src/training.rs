//! How the shipped model is trained: which texts, and how much of each language's n-gram
//! table is kept. The `train_language` example writes the result; the evaluation trains the
//! same way with one fold held out.

use std::path::Path;

use crate::corpus::{
    in_fold, read_files, read_labelled, CorpusError, EVALUATION_FILES, FOLDED_LANGUAGES,
    TRAINING_FILES,
};
use crate::model::{with_typical_fits, NgramCounter, NgramModel};

/// The n-grams kept per language: beyond this, accuracy on the dev documents no longer
/// changes while the file keeps growing.
pub const KEEP_PER_LANGUAGE: usize = 4000;

/// Counts the training text from `data_dir` (the shared `data/` folder). With `held_out`,
/// the folded languages' evaluation documents of that fold are left out.
pub fn count_training_text(
    data_dir: &Path,
    held_out: Option<usize>,
) -> Result<NgramCounter, CorpusError> {
    let mut counter = NgramCounter::new();
    for document in read_files(data_dir, TRAINING_FILES)? {
        counter.add(&document.lang, &document.text);
    }
    // Fold membership is a document's index within its own language's file, as in the
    // evaluation.
    for (file, lang) in EVALUATION_FILES {
        if !FOLDED_LANGUAGES.contains(lang) {
            continue;
        }
        for (index, document) in read_labelled(&data_dir.join(file), lang)?
            .iter()
            .enumerate()
        {
            if held_out.is_some_and(|fold| in_fold(index, fold)) {
                continue;
            }
            counter.add(&document.lang, &document.text);
        }
    }
    Ok(counter)
}

/// Sentences shorter than this (in characters) do not count toward a language's typical fit:
/// a few words say little about it.
pub const TYPICAL_FIT_MIN_CHARS: usize = 40;

/// The model file trained on everything (what ships), with each language's typical fit:
/// the median fit of its dev sentences (of [`TYPICAL_FIT_MIN_CHARS`] or more) under the
/// trained model. Italian, Polish and Czech are trained on their dev documents, so their
/// typical fit is a little optimistic, which only makes a foreign text easier to refuse.
pub fn train_model_text(data_dir: &Path) -> Result<String, CorpusError> {
    let text = count_training_text(data_dir, None)?.model_text(KEEP_PER_LANGUAGE);
    let model = NgramModel::parse(&text).expect("a trained model parses");
    let mut fits = Vec::new();
    for (index, code) in model.languages().iter().enumerate() {
        let mut sentence_fits: Vec<f32> = Vec::new();
        for (file, lang) in EVALUATION_FILES.iter().filter(|(_, l)| l == code) {
            for document in read_labelled(&data_dir.join(file), lang)? {
                sentence_fits.extend(
                    document
                        .sentences
                        .iter()
                        .filter(|s| s.chars().count() >= TYPICAL_FIT_MIN_CHARS)
                        .map(|s| model.score(s, f32::INFINITY).fit(index)),
                );
            }
        }
        if sentence_fits.is_empty() {
            continue;
        }
        sentence_fits.sort_by(f32::total_cmp);
        fits.push((code.clone(), sentence_fits[sentence_fits.len() / 2]));
    }
    Ok(with_typical_fits(&text, &fits))
}
