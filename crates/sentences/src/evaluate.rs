//! Scoring a splitter against gold sentence spans.
//!
//! A boundary is the end of a sentence, compared after ignoring whitespace: each end offset is
//! mapped to the number of non-whitespace characters before it, so a span that stops before or
//! after a space or line break scores the same. The end of the document is not counted (every
//! splitter gets it right), so the scores measure only the decisions a splitter makes.
//!
//! Gold files are JSON Lines (optionally gzipped), one document per line:
//! `{"id", "corpus", "split", "genre", "text", "sentences": [{"start", "end"}]}` with UTF-8 byte
//! offsets, as in `../shared/data/sentences/ud_en_dev.jsonl.gz`.

use std::collections::BTreeMap;
use std::fmt;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use serde::Deserialize;
use textpipe_core::Span;

use crate::splitter::SentenceSplitter;

/// One document with its gold sentences.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct GoldDocument {
    /// Identifier.
    pub id: String,
    /// The corpus it comes from (`ewt`, `gum`).
    #[serde(default)]
    pub corpus: String,
    /// Its split in that corpus (`train`, `dev`).
    #[serde(default)]
    pub split: String,
    /// Its genre (`email`, `news`, ...).
    #[serde(default)]
    pub genre: String,
    /// Its language (ISO 639-1), when the file says (`ud_<lang>_dev` files do).
    #[serde(default)]
    pub lang: Option<String>,
    /// The text the spans point into.
    pub text: String,
    /// Gold sentence spans (UTF-8 byte offsets).
    pub sentences: Vec<Span>,
}

/// Why a gold file could not be read.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum EvaluationError {
    /// The file could not be opened or read.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// A line is not a gold document.
    #[error("{path}:{line}: {source}")]
    Json {
        /// The file.
        path: PathBuf,
        /// 1-based line number.
        line: usize,
        /// The parse error.
        source: serde_json::Error,
    },
    /// A gold span does not fit its text.
    #[error("{path}: document `{id}`: gold span {span} is not a char range of the text")]
    BadSpan {
        /// The file.
        path: PathBuf,
        /// The document.
        id: String,
        /// The span.
        span: Span,
    },
}

/// Reads a (gzipped) JSON Lines file of gold documents.
pub fn read_gold(path: &Path) -> Result<Vec<GoldDocument>, EvaluationError> {
    let io_error = |source| EvaluationError::Io {
        path: path.to_path_buf(),
        source,
    };
    let file = std::fs::File::open(path).map_err(io_error)?;
    let reader: Box<dyn Read> = if path.extension().is_some_and(|e| e == "gz") {
        Box::new(flate2::read::MultiGzDecoder::new(file))
    } else {
        Box::new(file)
    };
    let mut documents = Vec::new();
    for (index, line) in BufReader::new(reader).lines().enumerate() {
        let line = line.map_err(io_error)?;
        if line.trim().is_empty() {
            continue;
        }
        let document: GoldDocument =
            serde_json::from_str(&line).map_err(|source| EvaluationError::Json {
                path: path.to_path_buf(),
                line: index + 1,
                source,
            })?;
        if let Some(&span) = document
            .sentences
            .iter()
            .find(|span| span.check(&document.text).is_err())
        {
            return Err(EvaluationError::BadSpan {
                path: path.to_path_buf(),
                id: document.id,
                span,
            });
        }
        documents.push(document);
    }
    Ok(documents)
}

/// Boundary counts, and the precision, recall and F1 they give.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BoundaryScore {
    /// Boundaries found that are in the gold.
    pub true_positives: usize,
    /// Boundaries found that are not in the gold.
    pub false_positives: usize,
    /// Gold boundaries not found.
    pub false_negatives: usize,
}

impl BoundaryScore {
    /// Share of found boundaries that are right (1 when none were found).
    pub fn precision(&self) -> f64 {
        ratio(
            self.true_positives,
            self.true_positives + self.false_positives,
        )
    }

    /// Share of gold boundaries found (1 when there are none).
    pub fn recall(&self) -> f64 {
        ratio(
            self.true_positives,
            self.true_positives + self.false_negatives,
        )
    }

    /// Harmonic mean of precision and recall.
    pub fn f1(&self) -> f64 {
        textpipe_core::f1(self.precision(), self.recall())
    }

    fn add(&mut self, other: BoundaryScore) {
        self.true_positives += other.true_positives;
        self.false_positives += other.false_positives;
        self.false_negatives += other.false_negatives;
    }
}

fn ratio(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        1.0
    } else {
        part as f64 / whole as f64
    }
}

impl fmt::Display for BoundaryScore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "P {:.4}  R {:.4}  F1 {:.4}  (tp {}, fp {}, fn {})",
            self.precision(),
            self.recall(),
            self.f1(),
            self.true_positives,
            self.false_positives,
            self.false_negatives
        )
    }
}

/// Sentence ends as counts of non-whitespace characters before them, without the end of the
/// text; sorted and deduplicated.
pub fn normalized_boundaries(text: &str, spans: &[Span]) -> Vec<usize> {
    let mut ends: Vec<usize> = spans.iter().map(|span| span.end).collect();
    ends.sort_unstable();
    let mut boundaries = Vec::with_capacity(ends.len());
    let mut ends = ends.into_iter().peekable();
    let mut visible = 0;
    for (offset, c) in text.char_indices() {
        while ends.next_if(|&end| end <= offset).is_some() {
            boundaries.push(visible);
        }
        visible += usize::from(!c.is_whitespace());
    }
    boundaries.extend(ends.map(|_| visible));
    boundaries.dedup();
    boundaries.retain(|&b| b != visible && b != 0);
    boundaries
}

/// Scores `predicted` against `gold` spans of one text.
pub fn score_spans(text: &str, gold: &[Span], predicted: &[Span]) -> BoundaryScore {
    let gold = normalized_boundaries(text, gold);
    let predicted = normalized_boundaries(text, predicted);
    let common = count_common(&gold, &predicted);
    BoundaryScore {
        true_positives: common,
        false_positives: predicted.len() - common,
        false_negatives: gold.len() - common,
    }
}

fn count_common(a: &[usize], b: &[usize]) -> usize {
    let (mut i, mut j, mut common) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                common += 1;
                i += 1;
                j += 1;
            }
        }
    }
    common
}

/// Scores overall, per corpus and per corpus/genre.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EvaluationReport {
    /// Number of documents scored.
    pub documents: usize,
    /// All documents.
    pub overall: BoundaryScore,
    /// By corpus.
    pub by_corpus: BTreeMap<String, BoundaryScore>,
    /// By `corpus/genre`.
    pub by_genre: BTreeMap<String, BoundaryScore>,
}

/// Splits every document with `splitter` and scores it against its gold sentences.
pub fn evaluate(splitter: &SentenceSplitter, documents: &[GoldDocument]) -> EvaluationReport {
    let mut report = EvaluationReport::default();
    for document in documents {
        let predicted = splitter.split(&document.text);
        let score = score_spans(&document.text, &document.sentences, &predicted);
        report.documents += 1;
        report.overall.add(score);
        report
            .by_corpus
            .entry(document.corpus.clone())
            .or_default()
            .add(score);
        report
            .by_genre
            .entry(format!("{}/{}", document.corpus, document.genre))
            .or_default()
            .add(score);
    }
    report
}

impl fmt::Display for EvaluationReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{} documents", self.documents)?;
        writeln!(f, "{:<20} {}", "overall", self.overall)?;
        for (corpus, score) in &self.by_corpus {
            writeln!(f, "{corpus:<20} {score}")?;
        }
        for (genre, score) in &self.by_genre {
            writeln!(f, "{genre:<20} {score}")?;
        }
        Ok(())
    }
}

/// A boundary the splitter got wrong, with the text around it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Disagreement {
    /// The document.
    pub id: String,
    /// True for a gold boundary the splitter missed, false for a boundary it invented.
    pub missed: bool,
    /// About 40 characters either side, with `‖` at the boundary.
    pub context: String,
}

/// Every boundary on which `splitter` and the gold disagree, for error analysis.
pub fn disagreements(splitter: &SentenceSplitter, documents: &[GoldDocument]) -> Vec<Disagreement> {
    let mut found = Vec::new();
    for document in documents {
        let text = &document.text;
        let predicted = splitter.split(text);
        let gold_ends = ends_by_boundary(text, &document.sentences);
        let predicted_ends = ends_by_boundary(text, &predicted);
        for (missed, mine, theirs) in [
            (true, &gold_ends, &predicted_ends),
            (false, &predicted_ends, &gold_ends),
        ] {
            for (boundary, end) in mine {
                if !theirs.contains_key(boundary) {
                    found.push(Disagreement {
                        id: document.id.clone(),
                        missed,
                        context: context_at(text, *end),
                    });
                }
            }
        }
    }
    found
}

fn ends_by_boundary(text: &str, spans: &[Span]) -> BTreeMap<usize, usize> {
    let mut sorted = spans.to_vec();
    sorted.sort_unstable_by_key(|span| span.end);
    sorted.dedup_by_key(|span| span.end);
    sorted
        .iter()
        .filter_map(|span| {
            let boundary = normalized_boundaries(text, std::slice::from_ref(span));
            boundary.first().map(|&b| (b, span.end))
        })
        .collect()
}

fn context_at(text: &str, at: usize) -> String {
    let start = floor_char_boundary(text, at.saturating_sub(40));
    let end = floor_char_boundary(text, (at + 40).min(text.len()));
    format!("{}‖{}", &text[start..at], &text[at..end]).replace('\n', "⏎")
}

fn floor_char_boundary(text: &str, mut at: usize) -> usize {
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whitespace_does_not_change_a_boundary() {
        let text = "One two.  Three four.\nFive.";
        let tight = [Span::new(0, 8), Span::new(10, 21), Span::new(22, 27)];
        let loose = [Span::new(0, 9), Span::new(9, 22), Span::new(22, 27)];
        assert_eq!(
            normalized_boundaries(text, &tight),
            normalized_boundaries(text, &loose)
        );
        assert_eq!(normalized_boundaries(text, &tight), vec![7, 17]);
    }

    #[test]
    fn scores_count_hits_misses_and_inventions() {
        let text = "A b. C d. E f.";
        let gold = [Span::new(0, 4), Span::new(5, 9), Span::new(10, 14)];
        let predicted = [Span::new(0, 9), Span::new(10, 12), Span::new(13, 14)];
        let score = score_spans(text, &gold, &predicted);
        assert_eq!(
            score,
            BoundaryScore {
                true_positives: 1,
                false_positives: 1,
                false_negatives: 1
            }
        );
        assert!((score.f1() - 0.5).abs() < 1e-9);
    }

    #[test]
    fn disagreements_show_context() {
        let document = GoldDocument {
            id: "d".into(),
            corpus: "c".into(),
            split: "dev".into(),
            genre: "g".into(),
            lang: None,
            text: "See Fig. 3 here. Done.".into(),
            sentences: vec![Span::new(0, 16), Span::new(17, 22)],
        };
        let found = disagreements(&SentenceSplitter::new(), &[document]);
        assert!(found.is_empty(), "{found:?}");
    }
}
