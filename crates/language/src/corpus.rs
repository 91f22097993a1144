//! The labelled texts the model is trained and evaluated on, read from textpipe's shared data
//! folder (`../shared/data/` beside the checkout).
//!
//! The split is fixed here, in one place, so that training and evaluation cannot drift apart:
//!
//! - **training**: the train files of the entity data (and the Turkish UD train file), plus
//!   the French and Russian WikiNEuRal files, which are not used for evaluation;
//! - **evaluation**: the UD dev documents of every language and the UNER dev files of
//!   Croatian, Serbian and Slovak;
//! - **folded**: Italian, Polish and Czech have no text but their UD dev documents, so they
//!   are trained on those too, and evaluated by cross-validation over [`FOLDS`] folds: a dev
//!   document is only ever scored by a model trained without it.

use std::io::{BufReader, Read};
use std::path::Path;

/// The number of cross-validation folds for the [folded](self) languages.
pub const FOLDS: usize = 5;

/// Sentences per pseudo-document when a CoNLL file is cut into documents (as the UD dev
/// files of treebanks without documents were built).
pub const SENTENCES_PER_DOCUMENT: usize = 20;

/// Training files (relative to the data folder) and their language.
pub const TRAINING_FILES: &[(&str, &str)] = &[
    ("entities/uner_ewt_train.conll.gz", "en"),
    ("entities/conll2003_train.conll.gz", "en"),
    ("entities/conll2003_de_train.conll.gz", "de"),
    ("entities/conll2002_es_train.conll.gz", "es"),
    ("entities/conll2002_nl_train.conll.gz", "nl"),
    ("entities/uner_pt_bosque_train.conll.gz", "pt"),
    ("entities/uner_da_ddt_train.conll.gz", "da"),
    ("entities/uner_sv_talbanken_train.conll.gz", "sv"),
    ("entities/uner_hr_set_train.conll.gz", "hr"),
    ("entities/uner_sr_set_train.conll.gz", "sr"),
    ("entities/uner_sk_snk_train.conll.gz", "sk"),
    ("entities/wikineural_fr_dev.conll.gz", "fr"),
    ("sentences/ud_tr_train.jsonl.gz", "tr"),
];

/// Languages trained on their evaluation documents, scored by cross-validation.
pub const FOLDED_LANGUAGES: &[&str] = &["it", "pl", "cs"];

/// Evaluation files (relative to the data folder) and their language.
pub const EVALUATION_FILES: &[(&str, &str)] = &[
    ("sentences/ud_en_dev.jsonl.gz", "en"),
    ("sentences/ud_de_dev.jsonl.gz", "de"),
    ("sentences/ud_fr_dev.jsonl.gz", "fr"),
    ("sentences/ud_es_dev.jsonl.gz", "es"),
    ("sentences/ud_it_dev.jsonl.gz", "it"),
    ("sentences/ud_pt_dev.jsonl.gz", "pt"),
    ("sentences/ud_nl_dev.jsonl.gz", "nl"),
    ("sentences/ud_pl_dev.jsonl.gz", "pl"),
    ("sentences/ud_ru_dev.jsonl.gz", "ru"),
    ("sentences/ud_cs_dev.jsonl.gz", "cs"),
    ("sentences/ud_sv_dev.jsonl.gz", "sv"),
    ("sentences/ud_da_dev.jsonl.gz", "da"),
    ("sentences/ud_tr_dev.jsonl.gz", "tr"),
    ("sentences/ud_zh_dev.jsonl.gz", "zh"),
    ("sentences/ud_ja_dev.jsonl.gz", "ja"),
    ("entities/uner_hr_set_dev.conll.gz", "hr"),
    ("entities/uner_sr_set_dev.conll.gz", "sr"),
    ("entities/uner_sk_snk_dev.conll.gz", "sk"),
];

/// One document of a labelled corpus, with its sentences.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LabelledDocument {
    /// The language it is written in (ISO 639-1).
    pub lang: String,
    /// The document's text.
    pub text: String,
    /// Its sentences, as texts.
    pub sentences: Vec<String>,
}

/// A data file that cannot be read.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CorpusError {
    /// The file cannot be opened or decompressed.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// Why.
        source: std::io::Error,
    },
    /// A JSON line that is not a gold document.
    #[error("{path}:{line}: {message}")]
    Record {
        /// The file.
        path: String,
        /// 1-based line number.
        line: usize,
        /// What is wrong.
        message: String,
    },
}

/// Reads a labelled file: JSON Lines with `text` and `sentences` spans (the UD files), or
/// CoNLL tokens (one per line, blank line between sentences), whose sentences are joined into
/// documents of [`SENTENCES_PER_DOCUMENT`].
pub fn read_labelled(path: &Path, lang: &str) -> Result<Vec<LabelledDocument>, CorpusError> {
    let text = read_gz(path)?;
    let name = path.display().to_string();
    if name.contains(".jsonl") {
        read_jsonl(&name, &text, lang)
    } else {
        Ok(read_conll(&text, lang))
    }
}

fn read_gz(path: &Path) -> Result<String, CorpusError> {
    let io = |source| CorpusError::Io {
        path: path.display().to_string(),
        source,
    };
    let file = std::fs::File::open(path).map_err(io)?;
    let mut text = String::new();
    let reader: Box<dyn Read> = if path.extension().is_some_and(|e| e == "gz") {
        Box::new(flate2::read::MultiGzDecoder::new(file))
    } else {
        Box::new(file)
    };
    BufReader::new(reader)
        .read_to_string(&mut text)
        .map_err(io)?;
    Ok(text)
}

fn read_jsonl(path: &str, text: &str, lang: &str) -> Result<Vec<LabelledDocument>, CorpusError> {
    let mut documents = Vec::new();
    for (index, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let bad = |message: String| CorpusError::Record {
            path: path.to_string(),
            line: index + 1,
            message,
        };
        let record: serde_json::Value =
            serde_json::from_str(line).map_err(|e| bad(e.to_string()))?;
        let text = record["text"]
            .as_str()
            .ok_or_else(|| bad("no `text`".into()))?
            .to_string();
        let mut sentences = Vec::new();
        for span in record["sentences"].as_array().into_iter().flatten() {
            let start = span["start"].as_u64().unwrap_or(0) as usize;
            let end = span["end"].as_u64().unwrap_or(0) as usize;
            let sentence = text
                .get(start..end)
                .ok_or_else(|| bad(format!("sentence {start}..{end} is not in the text")))?;
            sentences.push(sentence.to_string());
        }
        documents.push(LabelledDocument {
            lang: lang.to_string(),
            text,
            sentences,
        });
    }
    Ok(documents)
}

fn read_conll(text: &str, lang: &str) -> Vec<LabelledDocument> {
    // Chinese is written without spaces between words.
    let separator = if lang == "zh" { "" } else { " " };
    let mut sentences = Vec::new();
    let mut tokens: Vec<&str> = Vec::new();
    for line in text.lines().chain(std::iter::once("")) {
        if line.starts_with("-DOCSTART-") {
            continue;
        }
        if line.trim().is_empty() {
            if !tokens.is_empty() {
                sentences.push(tokens.join(separator));
                tokens.clear();
            }
            continue;
        }
        tokens.push(line.split('\t').next().unwrap_or_default());
    }
    sentences
        .chunks(SENTENCES_PER_DOCUMENT)
        .map(|chunk| LabelledDocument {
            lang: lang.to_string(),
            text: chunk.join(separator),
            sentences: chunk.to_vec(),
        })
        .collect()
}

/// Reads every file of `files` from `data_dir`.
pub fn read_files(
    data_dir: &Path,
    files: &[(&str, &str)],
) -> Result<Vec<LabelledDocument>, CorpusError> {
    let mut documents = Vec::new();
    for (file, lang) in files {
        documents.extend(read_labelled(&data_dir.join(file), lang)?);
    }
    Ok(documents)
}

/// Whether an evaluation document (its index within its language) falls in `fold`.
pub fn in_fold(index: usize, fold: usize) -> bool {
    index % FOLDS == fold
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conll_sentences_become_documents_of_twenty() {
        let mut text = String::from("-DOCSTART-\tO\n\n");
        for i in 0..45 {
            text.push_str(&format!("word{i}\tO\n.\tO\n\n"));
        }
        let documents = read_conll(&text, "hr");
        assert_eq!(documents.len(), 3);
        assert_eq!(documents[0].sentences.len(), 20);
        assert_eq!(documents[0].sentences[0], "word0 .");
        assert_eq!(documents[2].sentences.len(), 5);
    }

    #[test]
    fn folds_cover_every_document_once() {
        for index in 0..23 {
            assert_eq!((0..FOLDS).filter(|&f| in_fold(index, f)).count(), 1);
        }
    }
}
