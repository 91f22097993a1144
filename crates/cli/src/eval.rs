//! `textpipe eval TASK GOLD PREDICTIONS`: scores predicted documents against gold data with the
//! stage crates' own scorers, whoever made the predictions.
//!
//! Predictions are documents in the output contract (what `textpipe run` writes, and what the
//! peer harness in `bench/peers/` writes for other tools), matched to the gold by `id`. A gold
//! item without a prediction, or whose prediction is an error record, is scored as empty
//! output, as a user of that tool would get; [`Evaluation::missing`] counts them.
//!
//! | task | gold | scorer |
//! |---|---|---|
//! | `boilerplate` | a WCXB folder (`gold.jsonl.gz` beside the pages) | shingle P/R/F1 of `text`, [`textpipe_boilerplate::score`] |
//! | `snippets` | a snippet set folder or its `gold.jsonl.gz` (`with` / `without` snippets per page) | snippet P/R/F1 of `text` in all and per language, [`textpipe_boilerplate::snippets`] |
//! | `sentences` | gold spans (`ud_en_dev.jsonl.gz`) | boundary P/R/F1 of `sentences`, [`textpipe_sentences::evaluate`] |
//! | `entities` | CoNLL (`conll2003_dev.conll.gz`) | exact-span P/R/F1 of `entities`, [`textpipe_entities::Scorer`] |
//! | `summarize` | articles with references (`bbc_dev.jsonl.gz`) | ROUGE F1 of `summary`, [`textpipe_summarize::Rouge`] |
//!
//! CoNLL documents have no text of their own: [`conll_document_text`] writes each as its tokens
//! joined as the language writes them, one sentence per line, as `textpipe run --input-format
//! conll` does; predictions must be made on exactly that text. A prediction's id is the
//! document's place in the file from 0, or `FILE:N` from 1 as that reader names it. A
//! predicted entity is turned into tags on the tokens it covers (a span that cuts a token is
//! widened to the whole token), then scored as the entities crate scores its own tags.
//!
//! Predictions whose ids name no gold item at all are an error, not a score of 0.

use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::ops::Range;
use std::path::{Path, PathBuf};

use serde::Serialize;
use serde_json::Value;
use textpipe_core::{Entity, Span};

/// What is scored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Task {
    /// Boilerplate removal: the cleaned `text` against the article text.
    Boilerplate,
    /// Boilerplate removal on snippet-annotated pages: `with` snippets found in `text` are
    /// hits, `without` snippets found are false positives; scores in all and per language.
    Snippets,
    /// Sentence splitting: `sentences` boundaries.
    Sentences,
    /// Entity tagging: `entities` spans and labels.
    Entities,
    /// Summaries: `summary` against the reference summary.
    Summarize,
}

/// Why an evaluation could not be made.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum EvalError {
    /// The predictions file could not be read.
    #[error("cannot read predictions {}: {source}", .path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// A predictions line is not a JSON document.
    #[error("{}:{line}: not a document: {message}", .path.display())]
    Prediction {
        /// The file.
        path: PathBuf,
        /// 1-based line.
        line: usize,
        /// What is wrong.
        message: String,
    },
    /// A prediction's text differs from the text the gold spans point into.
    #[error("prediction `{id}`: its text is not the gold document's text, so its spans cannot be scored")]
    TextMismatch {
        /// The document.
        id: String,
    },
    /// The gold data could not be read.
    #[error("cannot read gold data: {0}")]
    Gold(String),
    /// Two predictions name the same gold document.
    #[error(
        "predictions `{first}` and `{second}` are for the same gold document: score one \
         file's predictions at a time"
    )]
    SameDocument {
        /// One prediction's id.
        first: String,
        /// The other's.
        second: String,
    },
    /// No prediction's id names a gold document.
    #[error(
        "no prediction's id names a gold document (one id is `{example}`; expected {expected})"
    )]
    NoIdMatches {
        /// One of the predictions' ids.
        example: String,
        /// The ids the task expects.
        expected: String,
    },
}

/// Scores of one predictions file.
#[derive(Debug, Clone, PartialEq)]
pub struct Evaluation {
    /// The task.
    pub task: Task,
    /// Gold items scored.
    pub documents: usize,
    /// Gold items without a usable prediction (scored as empty output).
    pub missing: usize,
    /// Named scores, in the units the stage's README uses (`f1` in 0..1 for boilerplate and
    /// sentences, percent for entities and ROUGE; snippet scores in 0..1).
    pub scores: Vec<(String, f64)>,
    /// Gold items whose predicted text is empty (or only whitespace), for the tasks that score
    /// a cleaned text (`boilerplate`, `snippets`).
    pub empty_outputs: Option<usize>,
    /// The same scores per group of gold items (per language for `snippets`), in name order;
    /// empty for tasks without groups.
    pub groups: Vec<GroupScores>,
}

/// Scores of one group of gold items (one language of a snippet set).
#[derive(Debug, Clone, PartialEq)]
pub struct GroupScores {
    /// The group's name (a language code, `?` for items without one).
    pub name: String,
    /// Gold items in the group.
    pub documents: usize,
    /// Gold items of the group whose predicted text is empty.
    pub empty_outputs: usize,
    /// Named scores, as in [`Evaluation::scores`].
    pub scores: Vec<(String, f64)>,
}

fn scores_object(scores: &[(String, f64)], object: &mut serde_json::Map<String, Value>) {
    for (name, value) in scores {
        object.insert(name.clone(), (*value).into());
    }
}

impl Evaluation {
    /// `{"task", "documents", "missing", <score name>: value, ...}`, plus
    /// `"groups": {<name>: {"documents", <score name>: value, ...}}` when the task has groups.
    pub fn to_json(&self) -> Value {
        let mut object = serde_json::Map::new();
        object.insert("task".into(), serde_json::json!(self.task));
        object.insert("documents".into(), self.documents.into());
        object.insert("missing".into(), self.missing.into());
        if let Some(empty) = self.empty_outputs {
            object.insert("empty_outputs".into(), empty.into());
        }
        scores_object(&self.scores, &mut object);
        if !self.groups.is_empty() {
            let mut groups = serde_json::Map::new();
            for group in &self.groups {
                let mut entry = serde_json::Map::new();
                entry.insert("documents".into(), group.documents.into());
                entry.insert("empty_outputs".into(), group.empty_outputs.into());
                scores_object(&group.scores, &mut entry);
                groups.insert(group.name.clone(), Value::Object(entry));
            }
            object.insert("groups".into(), Value::Object(groups));
        }
        Value::Object(object)
    }
}

impl std::fmt::Display for Evaluation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (name, value) in &self.scores {
            write!(f, "{name} {value:.4}  ")?;
        }
        write!(f, "({} documents, {} missing", self.documents, self.missing)?;
        if let Some(empty) = self.empty_outputs {
            write!(f, ", {empty} empty")?;
        }
        write!(f, ")")?;
        let Some(first) = self.groups.first() else {
            return Ok(());
        };
        // One row per group under a header of the score names, as a Markdown table, so it can
        // be pasted into a README as it is.
        write!(f, "\n\n| group | documents | empty |")?;
        for (name, _) in &first.scores {
            write!(f, " {name} |")?;
        }
        write!(f, "\n|---|---|---|")?;
        for _ in &first.scores {
            write!(f, "---|")?;
        }
        for group in &self.groups {
            write!(
                f,
                "\n| {} | {} | {} |",
                group.name, group.documents, group.empty_outputs
            )?;
            for (_, value) in &group.scores {
                write!(f, " {value:.4} |")?;
            }
        }
        Ok(())
    }
}

/// Scores `predictions` (JSON Lines documents) against `gold` for `task`.
pub fn evaluate(task: Task, gold: &Path, predictions: &Path) -> Result<Evaluation, EvalError> {
    let predicted = read_predictions(predictions)?;
    match task {
        Task::Boilerplate => boilerplate(gold, &predicted),
        Task::Snippets => snippets(gold, &predicted),
        Task::Sentences => sentences(gold, &predicted),
        Task::Entities => entities(gold, &predicted),
        Task::Summarize => summarize(gold, &predicted),
    }
}

/// Predicted documents by id; error records and lines without an id are left out (their gold
/// items then count as missing).
fn read_predictions(path: &Path) -> Result<HashMap<String, Value>, EvalError> {
    let io = |source| EvalError::Io {
        path: path.to_path_buf(),
        source,
    };
    let file = std::fs::File::open(path).map_err(io)?;
    let reader: Box<dyn BufRead> = if path.extension().is_some_and(|e| e == "gz") {
        Box::new(BufReader::new(flate2::read::MultiGzDecoder::new(file)))
    } else {
        Box::new(BufReader::new(file))
    };
    let mut documents = HashMap::new();
    for (index, line) in reader.lines().enumerate() {
        let line = line.map_err(io)?;
        if line.trim().is_empty() {
            continue;
        }
        let value: Value = serde_json::from_str(&line).map_err(|e| EvalError::Prediction {
            path: path.to_path_buf(),
            line: index + 1,
            message: e.to_string(),
        })?;
        if value.get("error").is_some() {
            continue;
        }
        if let Some(id) = value.get("id").and_then(Value::as_str) {
            documents.insert(id.to_string(), value);
        }
    }
    Ok(documents)
}

/// [`check_some_id_matches`] for gold items named by `ids`, as every task but entities names
/// them.
fn check_gold_ids<'g>(
    predicted: &HashMap<String, Value>,
    mut ids: impl Iterator<Item = &'g str>,
) -> Result<(), EvalError> {
    let some_match = ids.any(|id| predicted.contains_key(id));
    check_some_id_matches(predicted, some_match, GOLD_IDS)
}

/// Fails when predictions were given but not one names a gold item (`some_match` false):
/// scoring every item as empty output would report a score of 0 for a mismatch of ids.
fn check_some_id_matches(
    predicted: &HashMap<String, Value>,
    some_match: bool,
    expected: &str,
) -> Result<(), EvalError> {
    if predicted.is_empty() || some_match {
        return Ok(());
    }
    let example = predicted.keys().min().cloned().unwrap_or_default();
    Err(EvalError::NoIdMatches {
        example,
        expected: expected.into(),
    })
}

/// What the ids of predictions for gold items with their own ids must be.
const GOLD_IDS: &str = "the gold items' own ids";

fn field<T: serde::de::DeserializeOwned>(doc: Option<&Value>, name: &str) -> Option<T> {
    doc.and_then(|d| d.get(name))
        .and_then(|v| serde_json::from_value(v.clone()).ok())
}

fn check_text(id: &str, doc: Option<&Value>, gold_text: &str) -> Result<(), EvalError> {
    match doc.and_then(|d| d.get("text")).and_then(Value::as_str) {
        Some(text) if text != gold_text => Err(EvalError::TextMismatch { id: id.to_string() }),
        _ => Ok(()),
    }
}

fn boilerplate(gold: &Path, predicted: &HashMap<String, Value>) -> Result<Evaluation, EvalError> {
    use textpipe_boilerplate::score::{shingle_prf, Prf};
    let pages = textpipe_boilerplate::dataset::load_wcxb(gold)
        .map_err(|e| EvalError::Gold(e.to_string()))?;
    check_gold_ids(predicted, pages.iter().map(|p| p.id.as_str()))?;
    let (mut missing, mut empty_outputs) = (0, 0);
    let scores: Vec<Prf> = pages
        .iter()
        .map(|page| {
            let text: String = field(predicted.get(&page.id), "text").unwrap_or_else(|| {
                missing += 1;
                String::new()
            });
            empty_outputs += usize::from(text.trim().is_empty());
            shingle_prf(&text, &page.gold)
        })
        .collect();
    let mean = Prf::mean(&scores);
    Ok(Evaluation {
        task: Task::Boilerplate,
        documents: pages.len(),
        missing,
        empty_outputs: Some(empty_outputs),
        groups: Vec::new(),
        scores: vec![
            ("precision".into(), mean.precision),
            ("recall".into(), mean.recall),
            ("f1".into(), mean.f1),
        ],
    })
}

/// The snippet gold file: `gold` itself, or `gold.jsonl.gz` inside it when it is a folder
/// (a snippet set folder, as the boilerplate crate reads it).
fn snippet_gold_file(gold: &Path) -> PathBuf {
    if gold.is_dir() {
        gold.join("gold.jsonl.gz")
    } else {
        gold.to_path_buf()
    }
}

fn snippet_scores(counts: &textpipe_boilerplate::snippets::SnippetCounts) -> Vec<(String, f64)> {
    vec![
        ("precision".into(), counts.precision()),
        ("recall".into(), counts.recall()),
        ("f1".into(), counts.f1()),
        ("accuracy".into(), counts.accuracy()),
    ]
}

fn snippets(gold: &Path, predicted: &HashMap<String, Value>) -> Result<Evaluation, EvalError> {
    use textpipe_boilerplate::snippets::{load_snippet_gold, SnippetReport};
    let pages =
        load_snippet_gold(&snippet_gold_file(gold)).map_err(|e| EvalError::Gold(e.to_string()))?;
    check_gold_ids(predicted, pages.iter().map(|p| p.id.as_str()))?;
    let mut report = SnippetReport::default();
    // Pages and empty outputs per language, the report's keys.
    let mut pages_by_language: HashMap<String, (usize, usize)> = HashMap::new();
    let mut missing = 0;
    for page in &pages {
        let text: String = field(predicted.get(&page.id), "text").unwrap_or_else(|| {
            missing += 1;
            String::new()
        });
        report.add(page.lang.as_deref(), &text, &page.with, &page.without);
        let (count, empty) = pages_by_language
            .entry(page.lang.as_deref().unwrap_or("?").to_string())
            .or_default();
        *count += 1;
        *empty += usize::from(text.trim().is_empty());
    }
    let groups = report
        .by_language
        .iter()
        .map(|(lang, counts)| {
            let (documents, empty_outputs) =
                pages_by_language.get(lang).copied().unwrap_or_default();
            GroupScores {
                name: lang.clone(),
                documents,
                empty_outputs,
                scores: snippet_scores(counts),
            }
        })
        .collect();
    Ok(Evaluation {
        task: Task::Snippets,
        documents: pages.len(),
        missing,
        empty_outputs: Some(report.empty_outputs),
        scores: snippet_scores(&report.total),
        groups,
    })
}

fn sentences(gold: &Path, predicted: &HashMap<String, Value>) -> Result<Evaluation, EvalError> {
    use textpipe_sentences::evaluate::{read_gold, score_spans};
    let documents = read_gold(gold).map_err(|e| EvalError::Gold(e.to_string()))?;
    check_gold_ids(predicted, documents.iter().map(|d| d.id.as_str()))?;
    let (mut tp, mut fp, mut fn_, mut missing) = (0, 0, 0, 0);
    for document in &documents {
        let doc = predicted.get(&document.id);
        check_text(&document.id, doc, &document.text)?;
        let spans: Vec<Span> = field(doc, "sentences").unwrap_or_else(|| {
            missing += 1;
            Vec::new()
        });
        let score = score_spans(&document.text, &document.sentences, &spans);
        tp += score.true_positives;
        fp += score.false_positives;
        fn_ += score.false_negatives;
    }
    let total = textpipe_sentences::evaluate::BoundaryScore {
        true_positives: tp,
        false_positives: fp,
        false_negatives: fn_,
    };
    Ok(Evaluation {
        task: Task::Sentences,
        empty_outputs: None,
        documents: documents.len(),
        missing,
        groups: Vec::new(),
        scores: vec![
            ("precision".into(), total.precision()),
            ("recall".into(), total.recall()),
            ("f1".into(), total.f1()),
        ],
    })
}

/// The text a CoNLL document is tagged as: each sentence written as the language writes it
/// ([`textpipe_entities::conll::sentence_text`]: spaces between words, none next to Chinese
/// characters), one sentence per line. `textpipe run --input-format conll` writes the same
/// text.
pub fn conll_document_text(document: &textpipe_entities::conll::TaggedDocument) -> String {
    conll_text_and_tokens(document).0
}

/// [`conll_document_text`] and the byte range of every token in it, sentence by sentence.
fn conll_text_and_tokens(
    document: &textpipe_entities::conll::TaggedDocument,
) -> (String, Vec<Vec<Range<usize>>>) {
    let mut text = String::new();
    let mut bounds = Vec::with_capacity(document.sentences.len());
    for (i, sentence) in document.sentences.iter().enumerate() {
        if i > 0 {
            text.push('\n');
        }
        let start = text.len();
        let (sentence_text, tokens) = textpipe_entities::conll::sentence_text(sentence);
        text.push_str(&sentence_text);
        bounds.push(
            tokens
                .into_iter()
                .map(|t| start + t.start..start + t.end)
                .collect(),
        );
    }
    (text, bounds)
}

/// Predictions of CoNLL documents by the document's place in the gold file (from 0). A
/// prediction's id is that number, as the peer harness writes it, or `FILE:N` with N from 1,
/// as `textpipe run --input-format conll` writes it.
fn conll_predictions(
    predicted: &HashMap<String, Value>,
) -> Result<HashMap<usize, (&str, &Value)>, EvalError> {
    let mut by_place: HashMap<usize, (&str, &Value)> = HashMap::new();
    for (id, value) in predicted {
        let place = match id.parse::<usize>() {
            Ok(index) => Some(index),
            Err(_) => id
                .rsplit_once(':')
                .and_then(|(_, n)| n.parse::<usize>().ok())
                .and_then(|n| n.checked_sub(1)),
        };
        let Some(place) = place else { continue };
        if let Some((other, _)) = by_place.insert(place, (id, value)) {
            return Err(EvalError::SameDocument {
                first: other.to_string(),
                second: id.clone(),
            });
        }
    }
    Ok(by_place)
}

fn entities(gold: &Path, predicted: &HashMap<String, Value>) -> Result<Evaluation, EvalError> {
    use textpipe_entities::conll::read_conll_file;
    use textpipe_entities::Scorer;
    let documents = read_conll_file(gold).map_err(|e| EvalError::Gold(e.to_string()))?;
    let by_place = conll_predictions(predicted)?;
    let some_match = documents.is_empty() || by_place.keys().any(|&place| place < documents.len());
    let expected = "0, 1, ... (the document's place in the gold file) or FILE:1, FILE:2, ... \
                    (as `textpipe run --input-format conll` writes them)";
    check_some_id_matches(predicted, some_match, expected)?;
    // UNER has no MISC: scored as the entities crate scores its own model.
    let mut scorer = Scorer::for_gold(&documents);
    let mut missing = 0;
    for (index, document) in documents.iter().enumerate() {
        let (text, bounds) = conll_text_and_tokens(document);
        let (id, doc) = match by_place.get(&index) {
            Some(&(id, doc)) => (id.to_string(), Some(doc)),
            None => (index.to_string(), None),
        };
        check_text(&id, doc, &text)?;
        let mentions: Vec<Entity> = field(doc, "entities").unwrap_or_else(|| {
            missing += 1;
            Vec::new()
        });
        for (sentence, sentence_bounds) in document.sentences.iter().zip(&bounds) {
            let predicted_tags = tags_of_tokens(sentence_bounds, &mentions);
            scorer.add(&sentence.tags, &predicted_tags);
        }
    }
    let overall = scorer.report().overall;
    Ok(Evaluation {
        task: Task::Entities,
        empty_outputs: None,
        documents: documents.len(),
        missing,
        groups: Vec::new(),
        scores: vec![
            ("precision".into(), overall.precision()),
            ("recall".into(), overall.recall()),
            ("f1".into(), overall.f1()),
        ],
    })
}

/// BIO tags of one sentence's tokens, given by their byte ranges in the document, from
/// predicted entity spans; a token belongs to a mention when they overlap.
fn tags_of_tokens(
    bounds: &[Range<usize>],
    mentions: &[Entity],
) -> Vec<textpipe_entities::tags::Tag> {
    use textpipe_entities::tags::Tag;
    use textpipe_entities::Label;
    let mut tags = vec![Tag::O; bounds.len()];
    for mention in mentions {
        let Some(label) = Label::from_name(&mention.label) else {
            continue;
        };
        let mut inside = false;
        for (tag, token) in tags.iter_mut().zip(bounds) {
            if token.start < mention.end && mention.start < token.end {
                *tag = if inside {
                    Tag::inside(label)
                } else {
                    Tag::begin(label)
                };
                inside = true;
            }
        }
    }
    tags
}

fn summarize(gold: &Path, predicted: &HashMap<String, Value>) -> Result<Evaluation, EvalError> {
    use textpipe_summarize::evaluation::load_articles;
    use textpipe_summarize::Rouge;
    let articles = load_articles(gold).map_err(|e| EvalError::Gold(e.to_string()))?;
    check_gold_ids(predicted, articles.iter().map(|a| a.id.as_str()))?;
    let rouge = Rouge::new();
    let (mut r1, mut r2, mut rlsum, mut missing) = (0.0, 0.0, 0.0, 0);
    for article in &articles {
        let candidate = summary_text(predicted.get(&article.id)).unwrap_or_else(|| {
            missing += 1;
            String::new()
        });
        let scores = rouge.score(&article.reference, &candidate);
        r1 += scores.rouge1.f1;
        r2 += scores.rouge2.f1;
        rlsum += scores.rouge_lsum.f1;
    }
    let mean = |sum: f64| 100.0 * sum / articles.len().max(1) as f64;
    Ok(Evaluation {
        task: Task::Summarize,
        empty_outputs: None,
        documents: articles.len(),
        missing,
        groups: Vec::new(),
        scores: vec![
            ("rouge1".into(), mean(r1)),
            ("rouge2".into(), mean(r2)),
            ("rougeLsum".into(), mean(rlsum)),
        ],
    })
}

/// A summary one sentence per line (ROUGE-Lsum needs the lines): the chosen sentences when the
/// document has them, else the summary's text as the tool wrote it.
fn summary_text(doc: Option<&Value>) -> Option<String> {
    let doc = doc?;
    let summary = doc.get("summary")?;
    let chosen: Option<Vec<usize>> = field(Some(summary), "sentences");
    let spans: Option<Vec<Span>> = field(Some(doc), "sentences");
    let text = doc.get("text").and_then(Value::as_str);
    if let (Some(chosen), Some(spans), Some(text)) = (chosen, spans, text) {
        if !chosen.is_empty() {
            let lines: Vec<&str> = chosen
                .iter()
                .filter_map(|&i| spans.get(i).and_then(|s| s.slice(text)))
                .map(str::trim)
                .collect();
            return Some(lines.join("\n"));
        }
    }
    summary
        .get("text")
        .and_then(Value::as_str)
        .map(String::from)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use textpipe_entities::tags::Tag;
    use textpipe_entities::Label;

    #[test]
    fn mentions_become_tags_on_the_tokens_they_cover() {
        // "x\nin New York today": the sentence starts at byte 2.
        let text = "x\nin New York today";
        let bounds = [2..4, 5..8, 9..13, 14..19];
        let new_york = Entity::new(text, Span::new(5, 13), "LOC");
        let tags = tags_of_tokens(&bounds, &[new_york]);
        assert_eq!(
            tags,
            [
                Tag::O,
                Tag::begin(Label::Loc),
                Tag::inside(Label::Loc),
                Tag::O
            ]
        );
        // A span that cuts a token takes the whole token; unknown labels are ignored.
        let cut = Entity::new(text, Span::new(6, 8), "ORG");
        let odd = Entity::new(text, Span::new(14, 19), "DATE");
        let tags = tags_of_tokens(&bounds, &[cut, odd]);
        assert_eq!(tags, [Tag::O, Tag::begin(Label::Org), Tag::O, Tag::O]);
    }

    /// A CoNLL file of two documents, one English and one Chinese (its words cut into
    /// characters when read), in a fresh folder.
    fn two_conll_documents(name: &str) -> (std::path::PathBuf, std::path::PathBuf) {
        let dir = std::env::temp_dir().join(format!("textpipe-eval-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let gold = dir.join("gold.conll");
        std::fs::write(
            &gold,
            "-DOCSTART- O\n\nPeter B-PER\nleft O\n\n-DOCSTART- O\n\n他 O\n在 O\n北京 B-LOC\n2005年 O\n\n",
        )
        .unwrap();
        (dir, gold)
    }

    #[test]
    fn conll_text_is_written_as_the_language_writes_it() {
        let (dir, gold) = two_conll_documents("text");
        let documents = textpipe_entities::conll::read_conll_file(&gold).unwrap();
        std::fs::remove_dir_all(&dir).unwrap();
        assert_eq!(conll_document_text(&documents[0]), "Peter left");
        let (text, bounds) = conll_text_and_tokens(&documents[1]);
        assert_eq!(text, "他在北京2005年");
        let tokens: Vec<&str> = bounds[0].iter().map(|t| &text[t.clone()]).collect();
        assert_eq!(tokens, ["他", "在", "北", "京", "2005", "年"]);
    }

    #[test]
    fn entity_predictions_are_found_by_place_or_by_the_conll_readers_id() {
        let (dir, gold) = two_conll_documents("ids");
        let predictions = dir.join("predictions.jsonl");
        let chinese = "他在北京2005年";
        let beijing = Entity::new(chinese, Span::new(6, 12), "LOC");
        let peter = Entity::new("Peter left", Span::new(0, 5), "PER");
        for (first, second) in [("0", "1"), ("gold.conll:1", "/elsewhere/gold.conll:2")] {
            let lines = [
                json!({"id": first, "text": "Peter left", "entities": [peter]}),
                json!({"id": second, "text": chinese, "entities": [beijing]}),
            ];
            std::fs::write(&predictions, format!("{}\n{}\n", lines[0], lines[1])).unwrap();
            let evaluation = evaluate(Task::Entities, &gold, &predictions).unwrap();
            assert_eq!(
                (evaluation.documents, evaluation.missing),
                (2, 0),
                "{first}"
            );
            assert_eq!(evaluation.to_json()["f1"], 100.0, "{first}");
        }
        // Ids that name no gold document fail instead of scoring every document as empty.
        let unknown = json!({"id": "doc-a", "text": "Peter left", "entities": []});
        std::fs::write(&predictions, format!("{unknown}\n")).unwrap();
        let error = evaluate(Task::Entities, &gold, &predictions).unwrap_err();
        assert!(error.to_string().contains("`doc-a`"), "{error}");
        // Two predictions for one document are an error, not a silent pick.
        let twice = [
            json!({"id": "0", "text": "Peter left"}),
            json!({"id": "a.conll:1", "text": "Peter left"}),
        ];
        std::fs::write(&predictions, format!("{}\n{}\n", twice[0], twice[1])).unwrap();
        let error = evaluate(Task::Entities, &gold, &predictions).unwrap_err();
        std::fs::remove_dir_all(&dir).unwrap();
        assert!(matches!(error, EvalError::SameDocument { .. }), "{error}");
    }

    #[test]
    fn summaries_are_read_from_chosen_sentences_or_text() {
        let doc = json!({"id": "a", "text": "One. Two. Three.",
            "sentences": [{"start": 0, "end": 4}, {"start": 5, "end": 9}, {"start": 10, "end": 16}],
            "summary": {"text": "ignored", "sentences": [0, 2]}});
        assert_eq!(summary_text(Some(&doc)).unwrap(), "One.\nThree.");
        let peer = json!({"id": "a", "text": "x", "summary": {"text": "A.\nB.", "sentences": []}});
        assert_eq!(summary_text(Some(&peer)).unwrap(), "A.\nB.");
        assert_eq!(summary_text(Some(&json!({"id": "a"}))), None);
    }

    #[test]
    fn error_records_and_missing_ids_are_left_out() {
        let path = std::env::temp_dir().join(format!("textpipe-eval-{}.jsonl", std::process::id()));
        std::fs::write(
            &path,
            "{\"id\": \"a\", \"text\": \"x\"}\n{\"id\": \"b\", \"error\": {\"stage\": \"s\", \"message\": \"m\"}}\n\n{\"text\": \"no id\"}\n",
        )
        .unwrap();
        let docs = read_predictions(&path).unwrap();
        assert_eq!(docs.keys().collect::<Vec<_>>(), ["a"]);
        std::fs::write(&path, "{\"id\": \"a\"}\nnot json\n").unwrap();
        let error = read_predictions(&path).unwrap_err();
        std::fs::remove_file(&path).unwrap();
        assert!(error.to_string().contains(".jsonl:2:"), "{error}");
    }

    #[test]
    fn sentence_predictions_are_scored_by_id_and_missing_ones_count_as_empty() {
        let dir = std::env::temp_dir().join(format!("textpipe-eval-s-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let gold = dir.join("gold.jsonl");
        let text = "It rained. We left. Then it stopped.";
        let spans =
            json!([{"start": 0, "end": 10}, {"start": 11, "end": 19}, {"start": 20, "end": 36}]);
        let line = |id: &str| json!({"id": id, "text": text, "sentences": spans}).to_string();
        std::fs::write(&gold, format!("{}\n{}\n", line("a"), line("b"))).unwrap();
        let predictions = dir.join("predictions.jsonl");
        // Document a: one boundary of two found, plus a wrong one.
        let a = json!({"id": "a", "text": text,
            "sentences": [{"start": 0, "end": 10}, {"start": 11, "end": 14}, {"start": 15, "end": 36}]});
        std::fs::write(&predictions, format!("{a}\n")).unwrap();
        let evaluation = evaluate(Task::Sentences, &gold, &predictions).unwrap();
        assert_eq!((evaluation.documents, evaluation.missing), (2, 1));
        let json = evaluation.to_json();
        assert_eq!(json["task"], "sentences");
        assert_eq!(json["precision"], 0.5);
        assert_eq!(json["recall"], 0.25);

        let unknown = json!({"id": "doc-1", "text": text, "sentences": []});
        std::fs::write(&predictions, format!("{unknown}\n")).unwrap();
        let error = evaluate(Task::Sentences, &gold, &predictions).unwrap_err();
        assert!(matches!(error, EvalError::NoIdMatches { .. }), "{error}");

        let other_text = json!({"id": "a", "text": "Something else.", "sentences": []});
        std::fs::write(&predictions, format!("{other_text}\n")).unwrap();
        let error = evaluate(Task::Sentences, &gold, &predictions).unwrap_err();
        std::fs::remove_dir_all(&dir).unwrap();
        assert!(matches!(error, EvalError::TextMismatch { .. }), "{error}");
    }

    #[test]
    fn snippets_are_scored_in_all_and_per_language_from_a_folder_or_a_file() {
        let dir = std::env::temp_dir().join(format!("textpipe-eval-snip-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let gold = dir.join("gold.jsonl");
        let pages = [
            json!({"id": "d", "lang": "de", "with": ["Der Fluss stieg", "am Montag"],
                   "without": ["Lesen Sie auch"]}),
            json!({"id": "e", "lang": "en", "with": ["The river rose"], "without": ["Read more"]}),
            json!({"id": "x", "with": ["nothing here"], "without": []}),
        ];
        let lines: Vec<String> = pages.iter().map(Value::to_string).collect();
        std::fs::write(&gold, lines.join("\n") + "\n").unwrap();
        let predictions = dir.join("predictions.jsonl");
        // German: one hit, one miss, one false positive; English: one hit across a line break;
        // the page without a language is missing, so empty.
        let d = json!({"id": "d", "text": "Der Fluss stieg.\n\nLesen Sie auch: Streik"});
        let e = json!({"id": "e", "text": "The river\nrose on Sunday."});
        std::fs::write(&predictions, format!("{d}\n{e}\n")).unwrap();
        let evaluation = evaluate(Task::Snippets, &gold, &predictions).unwrap();
        // A set folder is read through its `gold.jsonl.gz` (plain text is read as well).
        std::fs::rename(&gold, dir.join("gold.jsonl.gz")).unwrap();
        assert_eq!(
            evaluate(Task::Snippets, &dir, &predictions).unwrap(),
            evaluation
        );
        let json = evaluation.to_json();
        assert_eq!((evaluation.documents, evaluation.missing), (3, 1));
        assert_eq!(json["empty_outputs"], 1);
        // 2 hits, 2 misses, 1 false positive.
        assert!((json["precision"].as_f64().unwrap() - 2.0 / 3.0).abs() < 1e-12);
        assert_eq!(json["recall"], 0.5);
        assert_eq!(json["groups"]["de"]["documents"], 1);
        assert_eq!(json["groups"]["de"]["precision"], 0.5);
        assert_eq!(json["groups"]["en"]["f1"], 1.0);
        assert_eq!(json["groups"]["?"]["empty_outputs"], 1);
        assert_eq!(json["groups"]["?"]["recall"], 0.0);
        let table = evaluation.to_string();
        assert!(
            table.contains("| de | 1 | 0 | 0.5000 | 0.5000 |"),
            "{table}"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
