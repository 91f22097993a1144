//! The snippet metric of trafilatura's multilingual evaluation: instead of a full gold text,
//! each page has a few snippets that must be in the extracted text (`with`) and a few that must
//! not (`without`: menus, footers, dates, comments, related links).
//!
//! The rule, as trafilatura's evaluation applies it: a snippet is *found* when it is a
//! case-sensitive substring of the output after whitespace runs in both are collapsed to one
//! space. A `with` snippet found is a hit (true positive), missing a miss (false negative); a
//! `without` snippet found is a false positive, missing a true negative. Counts are summed over
//! all pages (micro-averaged) before precision, recall and F1 are taken, so a page weighs by its
//! number of snippets. An empty output finds nothing: every `with` snippet is missed.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use crate::block::Block;
use crate::dataset::{read_records, DatasetError};
use crate::extract::{Extraction, Extractor};
use crate::train::InputKind;

/// One page of a snippet-annotated set, with its gold snippets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SnippetPage {
    /// The page id.
    pub id: String,
    /// The language of the page's main content (ISO 639-1), when the set says it.
    pub lang: Option<String>,
    /// The raw HTML.
    pub html: String,
    /// The page flattened to lines, boilerplate included.
    pub text: String,
    /// Snippets that must be in the extracted text.
    pub with: Vec<String>,
    /// Snippets that must not be in it.
    pub without: Vec<String>,
}

/// Hits, misses and false positives of snippets, summed over pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
pub struct SnippetCounts {
    /// `with` snippets found.
    pub hits: u32,
    /// `with` snippets not found.
    pub misses: u32,
    /// `without` snippets found.
    pub false_positives: u32,
    /// `without` snippets not found.
    pub true_negatives: u32,
}

impl SnippetCounts {
    /// Share of found snippets that should be there (1 when nothing was found).
    pub fn precision(&self) -> f64 {
        ratio(self.hits, self.hits + self.false_positives, 1.0)
    }

    /// Share of `with` snippets found (1 when there are none).
    pub fn recall(&self) -> f64 {
        ratio(self.hits, self.hits + self.misses, 1.0)
    }

    /// Harmonic mean of precision and recall.
    pub fn f1(&self) -> f64 {
        textpipe_core::f1(self.precision(), self.recall())
    }

    /// Share of all snippets judged right (hits and true negatives).
    pub fn accuracy(&self) -> f64 {
        let all = self.hits + self.misses + self.false_positives + self.true_negatives;
        ratio(self.hits + self.true_negatives, all, 1.0)
    }
}

impl std::ops::AddAssign for SnippetCounts {
    fn add_assign(&mut self, other: SnippetCounts) {
        self.hits += other.hits;
        self.misses += other.misses;
        self.false_positives += other.false_positives;
        self.true_negatives += other.true_negatives;
    }
}

impl std::iter::Sum for SnippetCounts {
    fn sum<I: Iterator<Item = SnippetCounts>>(iter: I) -> Self {
        let mut total = SnippetCounts::default();
        for counts in iter {
            total += counts;
        }
        total
    }
}

fn ratio(part: u32, whole: u32, if_empty: f64) -> f64 {
    if whole == 0 {
        if_empty
    } else {
        f64::from(part) / f64::from(whole)
    }
}

/// `text` with every run of whitespace replaced by one space, trimmed.
pub fn collapse_whitespace(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// Scores one extracted text against a page's snippets.
///
/// ```
/// use textpipe_boilerplate::snippets::score_snippets;
/// let output = "Storm hits\nthe coast.\n\nThousands lost power.";
/// let with = ["Storm hits the coast".to_string(), "officials said".to_string()];
/// let without = ["Read more".to_string()];
/// let counts = score_snippets(output, &with, &without);
/// assert_eq!((counts.hits, counts.misses, counts.false_positives), (1, 1, 0));
/// ```
pub fn score_snippets(output: &str, with: &[String], without: &[String]) -> SnippetCounts {
    let output = collapse_whitespace(output);
    let found = |snippet: &String| {
        let snippet = collapse_whitespace(snippet);
        // An empty snippet would be "found" in anything; the sets have none, but a file
        // written by hand might.
        !snippet.is_empty() && output.contains(&snippet)
    };
    let hits = with.iter().filter(|s| found(s)).count() as u32;
    let false_positives = without.iter().filter(|s| found(s)).count() as u32;
    SnippetCounts {
        hits,
        misses: with.len() as u32 - hits,
        false_positives,
        true_negatives: without.len() as u32 - false_positives,
    }
}

/// Snippet counts of a set of pages, in total and per language.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct SnippetReport {
    /// Counts over all pages.
    pub total: SnippetCounts,
    /// Counts per page language (`?` for pages without one).
    pub by_language: BTreeMap<String, SnippetCounts>,
    /// Number of pages scored.
    pub pages: usize,
    /// Pages whose output was empty (or only whitespace).
    pub empty_outputs: usize,
}

impl SnippetReport {
    /// Adds one page's output.
    pub fn add(&mut self, lang: Option<&str>, output: &str, with: &[String], without: &[String]) {
        let counts = score_snippets(output, with, without);
        self.total += counts;
        *self
            .by_language
            .entry(lang.unwrap_or("?").to_string())
            .or_default() += counts;
        self.pages += 1;
        self.empty_outputs += usize::from(output.trim().is_empty());
    }
}

/// The gold of one snippet-annotated page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SnippetGold {
    /// The page id.
    pub id: String,
    /// The language of the page's main content (ISO 639-1), when the set says it.
    pub lang: Option<String>,
    /// Snippets that must be in the extracted text.
    pub with: Vec<String>,
    /// Snippets that must not be in it.
    pub without: Vec<String>,
}

/// Reads a snippet gold file (JSON Lines, gzipped or not: `{"id", "lang", "with": [...],
/// "without": [...]}` per line), for scoring any tool's output against it.
pub fn load_snippet_gold(path: &Path) -> Result<Vec<SnippetGold>, DatasetError> {
    let strings = |value: &serde_json::Value, key: &str| -> Result<Vec<String>, String> {
        value[key]
            .as_array()
            .ok_or_else(|| format!("no array field `{key}`"))?
            .iter()
            .map(|s| {
                s.as_str()
                    .map(str::to_string)
                    .ok_or_else(|| format!("a `{key}` snippet is not a string"))
            })
            .collect()
    };
    let records = read_records(path, |record| {
        Ok((
            record["lang"].as_str().map(str::to_string),
            strings(record, "with")?,
            strings(record, "without")?,
        ))
    })?;
    Ok(records
        .into_iter()
        .map(|(id, (lang, with, without))| SnippetGold {
            id,
            lang,
            with,
            without,
        })
        .collect())
}

/// Reads a snippet set folder (`gold.jsonl.gz`, see [`load_snippet_gold`]; `html.jsonl.gz`
/// and `text.jsonl.gz` with `id` and the page), pages in the order of the gold file.
pub fn load_snippet_pages(dir: &Path) -> Result<Vec<SnippetPage>, DatasetError> {
    let field = |name: &'static str| {
        move |record: &serde_json::Value| {
            record[name]
                .as_str()
                .map(str::to_string)
                .ok_or_else(|| format!("no string field `{name}`"))
        }
    };
    let mut html: HashMap<String, String> =
        read_records(&dir.join("html.jsonl.gz"), field("html"))?
            .into_iter()
            .collect();
    let mut text: HashMap<String, String> =
        read_records(&dir.join("text.jsonl.gz"), field("text"))?
            .into_iter()
            .collect();
    load_snippet_gold(&dir.join("gold.jsonl.gz"))?
        .into_iter()
        .map(|gold| {
            let (Some(html), Some(text)) = (html.remove(&gold.id), text.remove(&gold.id)) else {
                return Err(DatasetError::MissingPage(gold.id));
            };
            Ok(SnippetPage {
                id: gold.id,
                lang: gold.lang,
                html,
                text,
                with: gold.with,
                without: gold.without,
            })
        })
        .collect()
}

/// Block labels a page's snippets decide: `Some(true)` for a block that holds a `with`
/// snippet or lies inside one, `Some(false)` for one that holds or lies inside a `without`
/// snippet, `None` for the rest (the snippets say nothing about them). A block both ways is
/// left undecided.
pub fn snippet_block_labels(
    blocks: &[Block],
    with: &[String],
    without: &[String],
) -> Vec<Option<bool>> {
    let with: Vec<String> = with.iter().map(|s| collapse_whitespace(s)).collect();
    let without: Vec<String> = without.iter().map(|s| collapse_whitespace(s)).collect();
    let touches = |text: &str, snippets: &[String]| {
        snippets
            .iter()
            .filter(|s| !s.is_empty())
            .any(|s| text.contains(s.as_str()) || s.contains(text))
    };
    blocks
        .iter()
        .map(|block| {
            let text = collapse_whitespace(&block.text);
            if text.is_empty() {
                return None;
            }
            match (touches(&text, &with), touches(&text, &without)) {
                (true, false) => Some(true),
                (false, true) => Some(false),
                _ => None,
            }
        })
        .collect()
}

/// Extracts every page with `extractor` from the given input and scores the outputs.
pub fn evaluate_snippet_pages(
    pages: &[SnippetPage],
    kind: InputKind,
    extractor: &Extractor,
) -> SnippetReport {
    let mut report = SnippetReport::default();
    for page in pages {
        score_snippet_page(&mut report, page, kind, extractor);
    }
    report
}

/// Extracts one page with `extractor` from the given input and adds its score to `report`.
pub fn score_snippet_page(
    report: &mut SnippetReport,
    page: &SnippetPage,
    kind: InputKind,
    extractor: &Extractor,
) {
    let output = extract_snippet_page(page, kind, extractor).text;
    report.add(page.lang.as_deref(), &output, &page.with, &page.without);
}

/// Extracts one page with `extractor` from the given input.
pub fn extract_snippet_page(
    page: &SnippetPage,
    kind: InputKind,
    extractor: &Extractor,
) -> Extraction {
    match kind {
        InputKind::Html => extractor.extract_html(&page.html),
        InputKind::Text => extractor.extract_text(&page.text),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn matching_ignores_whitespace_but_not_case() {
        let output = "Die Regierung hat\n\n  am Montag beschlossen.";
        let counts = score_snippets(
            output,
            &strings(&["Regierung hat am Montag", "die Regierung"]),
            &strings(&["Montag beschlossen.", "Impressum"]),
        );
        assert_eq!(
            counts,
            SnippetCounts {
                hits: 1,
                misses: 1,
                false_positives: 1,
                true_negatives: 1
            }
        );
    }

    #[test]
    fn an_empty_output_misses_everything_and_keeps_nothing_wrong() {
        let counts = score_snippets("", &strings(&["a b", "c"]), &strings(&["menu"]));
        assert_eq!((counts.hits, counts.misses), (0, 2));
        assert_eq!(counts.true_negatives, 1);
        assert_eq!(counts.recall(), 0.0);
        assert_eq!(counts.f1(), 0.0);
    }

    #[test]
    fn snippets_label_the_blocks_they_touch() {
        let blocks = [
            Block::plain("Startseite"),
            Block::plain("Der Fluss ist über die Ufer getreten, sagte der Bürgermeister."),
            Block::plain("Lesen Sie auch"),
            Block::plain("Kontakt"),
        ];
        let labels = snippet_block_labels(
            &blocks,
            &strings(&["über die Ufer getreten"]),
            &strings(&["Lesen Sie auch: Streik bei der Bahn", "Kontakt"]),
        );
        assert_eq!(labels, [None, Some(true), Some(false), Some(false)]);
    }

    #[test]
    fn counts_are_micro_averaged() {
        let total: SnippetCounts = [
            score_snippets("alpha beta", &strings(&["alpha"]), &strings(&["beta"])),
            score_snippets("gamma", &strings(&["gamma", "delta"]), &[]),
        ]
        .into_iter()
        .sum();
        assert_eq!(total.hits, 2);
        assert!((total.precision() - 2.0 / 3.0).abs() < 1e-12);
        assert!((total.recall() - 2.0 / 3.0).abs() < 1e-12);
        assert!((total.accuracy() - 0.5).abs() < 1e-12);
    }
}
