//! Scoring configurations on the dev sets, and training the learned weights.
//!
//! The dev sets (`../shared/data/summaries/*.jsonl.gz`) hold `{id, source, title, text,
//! summary, budget_sentences}` records. They carry no sentence spans, so evaluation splits
//! with a deliberately simple rule ([`split_for_evaluation`]): CNN/DailyMail text has one
//! sentence per line and is split on lines; other text (BBC) is split into blank-line
//! paragraphs and then after `.`, `!` or `?` followed by a space and a capital, digit or
//! quote, unless the word before is a title or an initial. Numbers with the real sentence
//! splitter are measured by the whole pipeline, not here.
//!
//! Every summary is made at the record's `budget_sentences` (through the
//! `budget_meta_key` config key) and scored with [`crate::rouge`] against `summary`, with
//! sentences on separate lines so ROUGE-Lsum means what it does in the literature.
//!
//! Learned weights are only ever scored on articles they were not fitted on:
//! [`cross_validate`] splits every data set into folds by article (a hash of the id), fits on
//! the other folds of all training sets and scores the held-out fold.

use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::path::Path;

use serde::Deserialize;
use textpipe_core::{Document, Span};

use crate::config::SummarizeConfig;
use crate::model::{fit_listwise, Example, FitOptions, LinearModel};
use crate::rouge::{rouge_n, Rouge};
use crate::stage::Summarizer;
use crate::SummarizeError;

/// The `meta` key articles carry their sentence budget under.
pub const BUDGET_META_KEY: &str = "budget_sentences";

/// One dev-set article with its reference summary.
#[derive(Debug, Clone, PartialEq)]
pub struct Article {
    /// Record id.
    pub id: String,
    /// Headline (empty when the record has none).
    pub title: String,
    /// Body text.
    pub text: String,
    /// Reference summary, one sentence per line.
    pub reference: String,
    /// Sentences the summary may have.
    pub budget: usize,
    /// Sentence spans from [`split_for_evaluation`] or [`resplit`].
    pub sentences: Vec<Span>,
    /// Whether the data set gives one sentence per line (CNN/DailyMail), so lines are kept.
    pub lines_are_sentences: bool,
}

#[derive(Deserialize)]
struct Record {
    id: String,
    #[serde(default)]
    source: String,
    #[serde(default)]
    title: String,
    text: String,
    summary: String,
    budget_sentences: usize,
}

impl Article {
    /// The article as a pipeline document: sentences, `meta.title` (when not empty) and
    /// `meta.budget_sentences`.
    pub fn document(&self) -> Document {
        let mut doc = Document::new(self.id.clone(), self.text.clone());
        doc.sentences = Some(self.sentences.clone());
        if !self.title.is_empty() {
            doc.meta.insert("title".into(), self.title.clone().into());
        }
        doc.meta.insert(BUDGET_META_KEY.into(), self.budget.into());
        doc
    }

    /// The text of sentence `index`.
    pub fn sentence(&self, index: usize) -> &str {
        let span = self.sentences[index];
        self.text[span.start..span.end].trim()
    }
}

/// Reads a (gzipped) JSON Lines dev set.
pub fn load_articles(path: &Path) -> Result<Vec<Article>, SummarizeError> {
    let io = |source| SummarizeError::Io {
        path: path.display().to_string(),
        source,
    };
    let file = std::fs::File::open(path).map_err(io)?;
    let reader: Box<dyn std::io::Read> = if path.extension().is_some_and(|e| e == "gz") {
        Box::new(flate2::read::MultiGzDecoder::new(file))
    } else {
        Box::new(file)
    };
    let mut articles = Vec::new();
    for (index, line) in BufReader::new(reader).lines().enumerate() {
        let line = line.map_err(io)?;
        if line.trim().is_empty() {
            continue;
        }
        let record: Record = serde_json::from_str(&line).map_err(|e| SummarizeError::Dataset {
            path: path.display().to_string(),
            line: index + 1,
            message: e.to_string(),
        })?;
        let by_lines = record.source.starts_with("cnndm");
        articles.push(Article {
            sentences: split_for_evaluation(&record.text, by_lines),
            id: record.id,
            title: record.title,
            text: record.text,
            reference: record.summary,
            budget: record.budget_sentences,
            lines_are_sentences: by_lines,
        });
    }
    Ok(articles)
}

/// Replaces the sentence spans of every prose article with those of `split` (for example the
/// pipeline's own sentence splitter), so a configuration is scored on the sentences it will
/// really see. Articles whose lines are sentences keep them: that is what the data set's
/// "lead-3" counts.
pub fn resplit(articles: &mut [Article], split: impl Fn(&str) -> Vec<Span>) {
    for article in articles.iter_mut().filter(|a| !a.lines_are_sentences) {
        article.sentences = split(&article.text);
    }
}

/// Sentence spans for evaluation: one per non-blank line when `by_lines`, else prose rules
/// inside each line (see the module docs). Spans exclude surrounding whitespace.
pub fn split_for_evaluation(text: &str, by_lines: bool) -> Vec<Span> {
    let mut spans = Vec::new();
    let mut line_start = 0;
    for line in text.split_inclusive('\n') {
        let content = line.trim_end_matches(['\n', '\r']);
        if by_lines {
            push_trimmed(text, line_start, line_start + content.len(), &mut spans);
        } else {
            let mut start = line_start;
            for end in prose_breaks(content) {
                push_trimmed(text, start, line_start + end, &mut spans);
                start = line_start + end;
            }
            push_trimmed(text, start, line_start + content.len(), &mut spans);
        }
        line_start += line.len();
    }
    spans
}

fn push_trimmed(text: &str, start: usize, end: usize, spans: &mut Vec<Span>) {
    let piece = &text[start..end];
    let lead = piece.len() - piece.trim_start().len();
    let trimmed = piece.trim();
    if !trimmed.is_empty() {
        spans.push(Span::new(start + lead, start + lead + trimmed.len()));
    }
}

/// Words after which a period does not end a sentence.
const TITLES: &[&str] = &[
    "Dr", "Gen", "Gov", "Jr", "Mr", "Mrs", "Ms", "Mt", "No", "Prof", "Rev", "Sen", "Sr", "St", "vs",
];

/// Byte offsets (into `line`) just after each sentence end.
fn prose_breaks(line: &str) -> Vec<usize> {
    let mut breaks = Vec::new();
    let mut chars = line.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if !matches!(c, '.' | '!' | '?') {
            continue;
        }
        let mut end = i + c.len_utf8();
        // Closing quotes and brackets belong to the sentence they end.
        while let Some(&(j, next)) = chars.peek() {
            if matches!(next, '"' | '\'' | '”' | '’' | ')') {
                end = j + next.len_utf8();
                chars.next();
            } else {
                break;
            }
        }
        let rest = &line[end..];
        let after = rest.trim_start();
        if after.len() == rest.len() || after.is_empty() {
            continue;
        }
        let opens = after
            .chars()
            .next()
            .is_some_and(|n| n.is_uppercase() || n.is_ascii_digit() || "\"'“‘(".contains(n));
        let word_before = line[..i]
            .rsplit(|ch: char| !ch.is_alphanumeric())
            .next()
            .unwrap_or("");
        let abbreviation = c == '.'
            && (TITLES.contains(&word_before)
                || (word_before.chars().count() == 1
                    && word_before.chars().all(char::is_uppercase)));
        if opens && !abbreviation {
            breaks.push(end);
        }
    }
    breaks
}

/// Mean ROUGE F1 (in percent) and summary length over a set of articles.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct RougeReport {
    /// Articles scored.
    pub articles: usize,
    /// ROUGE-1 F1 × 100.
    pub rouge1: f64,
    /// ROUGE-2 F1 × 100.
    pub rouge2: f64,
    /// ROUGE-L F1 × 100.
    pub rouge_l: f64,
    /// ROUGE-Lsum F1 × 100.
    pub rouge_lsum: f64,
    /// Mean words per summary (whitespace-separated).
    pub mean_words: f64,
}

impl std::fmt::Display for RougeReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "R1 {:5.2}  R2 {:5.2}  RL {:5.2}  RLsum {:5.2}  words {:5.1}  ({} articles)",
            self.rouge1, self.rouge2, self.rouge_l, self.rouge_lsum, self.mean_words, self.articles
        )
    }
}

/// Accumulates per-article scores into a [`RougeReport`].
#[derive(Debug, Default)]
struct ReportSum {
    report: RougeReport,
}

impl ReportSum {
    fn add(&mut self, rouge: &Rouge, article: &Article, chosen: &[usize]) {
        let candidate: Vec<&str> = chosen.iter().map(|&i| article.sentence(i)).collect();
        let candidate = candidate.join("\n");
        let scores = rouge.score(&article.reference, &candidate);
        let r = &mut self.report;
        r.articles += 1;
        r.rouge1 += scores.rouge1.f1;
        r.rouge2 += scores.rouge2.f1;
        r.rouge_l += scores.rouge_l.f1;
        r.rouge_lsum += scores.rouge_lsum.f1;
        r.mean_words += candidate.split_whitespace().count() as f64;
    }

    fn finish(self) -> RougeReport {
        let mut r = self.report;
        let n = r.articles.max(1) as f64;
        r.rouge1 *= 100.0 / n;
        r.rouge2 *= 100.0 / n;
        r.rouge_l *= 100.0 / n;
        r.rouge_lsum *= 100.0 / n;
        r.mean_words /= n;
        r
    }
}

/// Summarizes every article with `summarizer` (whose config should read the budget from
/// [`BUDGET_META_KEY`]) and scores the summaries.
pub fn evaluate(articles: &[Article], summarizer: &Summarizer) -> RougeReport {
    let rouge = Rouge::new();
    let mut sum = ReportSum::default();
    for article in articles {
        let chosen = match summarizer.summarize(&article.document()) {
            Ok(summary) => summary.sentences,
            Err(_) => Vec::new(),
        };
        sum.add(&rouge, article, &chosen);
    }
    sum.finish()
}

/// The budget-limited greedy oracle: sentences added one at a time, each the one that raises
/// ROUGE-1 + ROUGE-2 F1 against the reference most, stopping when nothing raises it. These
/// are the positive labels the model learns from.
pub fn oracle_sentences(rouge: &Rouge, article: &Article) -> Vec<usize> {
    let reference = rouge.tokenize(&article.reference);
    let sentences: Vec<Vec<String>> = (0..article.sentences.len())
        .map(|i| rouge.tokenize(article.sentence(i)))
        .collect();
    let mut chosen: Vec<usize> = Vec::new();
    let mut best_score = 0.0;
    while chosen.len() < article.budget {
        let mut best: Option<(usize, f64)> = None;
        for i in (0..sentences.len()).filter(|i| !chosen.contains(i)) {
            let mut candidate: Vec<&String> = chosen.iter().flat_map(|&c| &sentences[c]).collect();
            candidate.extend(&sentences[i]);
            let reference: Vec<&String> = reference.iter().collect();
            let score =
                rouge_n(&reference, &candidate, 1).f1 + rouge_n(&reference, &candidate, 2).f1;
            if !matches!(best, Some((_, b)) if b >= score) {
                best = Some((i, score));
            }
        }
        match best {
            Some((i, score)) if score > best_score => {
                best_score = score;
                chosen.push(i);
            }
            _ => break,
        }
    }
    chosen.sort_unstable();
    chosen
}

/// An article with its features and oracle labels computed once, for training.
#[derive(Debug, Clone)]
pub struct LabelledArticle {
    /// The article.
    pub article: Article,
    /// One training example per sentence (weight 1).
    pub examples: Vec<Example>,
    /// The oracle's sentences.
    pub oracle: Vec<usize>,
}

/// Computes features and oracle labels for every article.
pub fn label_articles(articles: &[Article]) -> Vec<LabelledArticle> {
    let rouge = Rouge::new();
    // The budget is part of the features, so label with the one the article will be
    // summarized at.
    let config = SummarizeConfig {
        budget_meta_key: Some(BUDGET_META_KEY.into()),
        ..SummarizeConfig::default()
    };
    let featurizer = Summarizer::with_model(config, LinearModel::lead());
    articles
        .iter()
        .map(|article| {
            let oracle = oracle_sentences(&rouge, article);
            let features = featurizer.features(&article.document());
            let examples = features
                .rows
                .iter()
                .enumerate()
                .map(|(i, row)| Example {
                    row: *row,
                    positive: oracle.contains(&i),
                    weight: 1.0,
                })
                .collect();
            LabelledArticle {
                article: article.clone(),
                examples,
                oracle,
            }
        })
        .collect()
}

/// Fits weights on several labelled data sets, each given the same total weight so a small
/// set (100 CNN/DM stories) counts as much as a large one (1,086 BBC articles).
pub fn train(
    datasets: &[&[LabelledArticle]],
    options: &FitOptions,
    description: &str,
) -> LinearModel {
    let mut documents = Vec::new();
    for dataset in datasets {
        let weight = 1.0 / dataset.len().max(1) as f32;
        for article in dataset.iter() {
            documents.push(
                article
                    .examples
                    .iter()
                    .map(|e| Example { weight, ..*e })
                    .collect(),
            );
        }
    }
    fit_listwise(&documents, options, description)
}

/// The fold (in `0..folds`) an article belongs to: a hash of its id, so folds do not depend
/// on file order.
pub fn fold_of(id: &str, folds: usize) -> usize {
    // FNV-1a: stable across Rust versions, unlike the std hasher.
    let hash = id.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    (hash % folds.max(1) as u64) as usize
}

/// Cross-validated scores of the learned method: for each fold, weights are fitted on the
/// other folds of the `train_on` data sets (indices into `datasets`) and every data set's
/// held-out fold is summarized with `config` and those weights. Returns one report per data
/// set.
pub fn cross_validate(
    datasets: &[Vec<LabelledArticle>],
    train_on: &[usize],
    folds: usize,
    config: &SummarizeConfig,
    options: &FitOptions,
) -> Vec<RougeReport> {
    let rouge = Rouge::new();
    let mut sums: Vec<ReportSum> = datasets.iter().map(|_| ReportSum::default()).collect();
    for fold in 0..folds {
        let training: Vec<Vec<LabelledArticle>> = train_on
            .iter()
            .map(|&d| {
                datasets[d]
                    .iter()
                    .filter(|a| fold_of(&a.article.id, folds) != fold)
                    .cloned()
                    .collect()
            })
            .collect();
        let slices: Vec<&[LabelledArticle]> = training.iter().map(Vec::as_slice).collect();
        let model = train(&slices, options, "cross-validation fold");
        let summarizer = Summarizer::with_model(config.clone(), model);
        for (dataset, sum) in datasets.iter().zip(&mut sums) {
            for labelled in dataset
                .iter()
                .filter(|a| fold_of(&a.article.id, folds) == fold)
            {
                let article = &labelled.article;
                let chosen = summarizer
                    .summarize(&article.document())
                    .map(|s| s.sentences)
                    .unwrap_or_default();
                sum.add(&rouge, article, &chosen);
            }
        }
    }
    sums.into_iter().map(ReportSum::finish).collect()
}

/// Scores of the oracle itself: the ceiling an extractive summarizer could reach.
pub fn oracle_report(dataset: &[LabelledArticle]) -> RougeReport {
    let rouge = Rouge::new();
    let mut sum = ReportSum::default();
    for labelled in dataset {
        sum.add(&rouge, &labelled.article, &labelled.oracle);
    }
    sum.finish()
}

/// Reference sentences found verbatim among the split sentences, as a share of all
/// reference lines: how well [`split_for_evaluation`] matches the references' sentences.
pub fn split_agreement(articles: &[Article]) -> f64 {
    let (mut found, mut total) = (0usize, 0usize);
    for article in articles {
        let sentences: HashMap<&str, ()> = (0..article.sentences.len())
            .map(|i| (article.sentence(i), ()))
            .collect();
        for line in article.reference.lines().filter(|l| !l.trim().is_empty()) {
            total += 1;
            found += usize::from(sentences.contains_key(line.trim()));
        }
    }
    found as f64 / total.max(1) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prose_splitter_respects_titles_and_initials() {
        let text = "Mr. Smith met J. Doe at 5 p.m. in Leeds. \"It went well,\" he said. Then 3 left.\n\nNew paragraph here";
        let spans = split_for_evaluation(text, false);
        let pieces: Vec<&str> = spans.iter().map(|s| &text[s.start..s.end]).collect();
        assert_eq!(
            pieces,
            [
                "Mr. Smith met J. Doe at 5 p.m. in Leeds.",
                "\"It went well,\" he said.",
                "Then 3 left.",
                "New paragraph here"
            ]
        );
    }

    #[test]
    fn line_splitter_takes_each_non_blank_line() {
        let text = "First line. Still first.\n\n  Second line \n";
        let spans = split_for_evaluation(text, true);
        let pieces: Vec<&str> = spans.iter().map(|s| &text[s.start..s.end]).collect();
        assert_eq!(pieces, ["First line. Still first.", "Second line"]);
    }

    #[test]
    fn folds_are_stable_and_balanced() {
        assert_eq!(
            fold_of("bbc-business-004", 5),
            fold_of("bbc-business-004", 5)
        );
        let mut sizes = [0; 5];
        for i in 0..1000 {
            sizes[fold_of(&format!("doc-{i}"), 5)] += 1;
        }
        assert!(sizes.iter().all(|&s| (150..250).contains(&s)), "{sizes:?}");
    }

    #[test]
    fn oracle_finds_the_copied_sentences() {
        let text = "Rain fell all day. The council closed the bridge. Fans sang loudly.";
        let article = Article {
            id: "a".into(),
            title: String::new(),
            text: text.into(),
            reference: "The council closed the bridge.".into(),
            budget: 2,
            sentences: split_for_evaluation(text, false),
            lines_are_sentences: false,
        };
        assert_eq!(oracle_sentences(&Rouge::new(), &article), [1]);
    }
}
