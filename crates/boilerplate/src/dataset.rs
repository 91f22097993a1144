//! Labelled pages for training and scoring, and how blocks get their labels.
//!
//! The training data is WCXB's dev split as prepared in `../shared/data/boilerplate/`: for
//! each page its HTML, its flattened text and the human-reviewed article text ("gold"). Gold
//! is plain text, not a block mask, so a block's label is derived from the page's word 4-grams
//! read across block boundaries, as the [scorer](crate::score) reads kept text: a block is
//! content when most of the 4-grams that end in it, or most of those that start in it, occur in
//! the gold text ([`block_labels`]). So the classifier learns what the metric rewards, and a
//! short label counts as content where the article has it, not wherever its words appear.

use std::collections::{HashMap, HashSet};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};

use crate::block::Block;
use crate::words::{combine, word_hash, words};

/// One page with its gold article text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LabelledPage {
    /// The benchmark's page id.
    pub id: String,
    /// The raw HTML.
    pub html: String,
    /// The page flattened to lines, boilerplate included.
    pub text: String,
    /// The article text.
    pub gold: String,
}

/// Errors reading a data set.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DatasetError {
    /// A file could not be read.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// What went wrong.
        source: std::io::Error,
    },
    /// A line is not the JSON record it should be.
    #[error("{path}, line {line}: {message}")]
    Record {
        /// The file.
        path: PathBuf,
        /// 1-based line number.
        line: usize,
        /// What is wrong.
        message: String,
    },
    /// A page has gold text but no HTML or no flattened text.
    #[error("page {0} is missing from html.jsonl.gz or text.jsonl.gz")]
    MissingPage(String),
}

/// Reads the records of a gzipped JSON Lines file as (id, what `pick` takes from the record);
/// a record without a string `id`, or where `pick` says what is missing, is an error naming its
/// line.
pub(crate) fn read_records<T>(
    path: &Path,
    pick: impl Fn(&serde_json::Value) -> Result<T, String>,
) -> Result<Vec<(String, T)>, DatasetError> {
    let io = |source| DatasetError::Io {
        path: path.to_path_buf(),
        source,
    };
    let mut file = BufReader::new(std::fs::File::open(path).map_err(io)?);
    // Gzipped when it starts with the gzip magic bytes, plain JSON Lines otherwise.
    let gzipped = file.fill_buf().map_err(io)?.starts_with(&[0x1f, 0x8b]);
    let reader: Box<dyn BufRead> = if gzipped {
        Box::new(BufReader::new(flate2::read::MultiGzDecoder::new(file)))
    } else {
        Box::new(file)
    };
    let mut records = Vec::new();
    for (index, line) in reader.lines().enumerate() {
        let line = line.map_err(io)?;
        if line.trim().is_empty() {
            continue;
        }
        let record = |message: String| DatasetError::Record {
            path: path.to_path_buf(),
            line: index + 1,
            message,
        };
        let value: serde_json::Value =
            serde_json::from_str(&line).map_err(|e| record(e.to_string()))?;
        let id = value["id"]
            .as_str()
            .ok_or_else(|| record("no string field `id`".into()))?;
        let picked = pick(&value).map_err(record)?;
        records.push((id.to_string(), picked));
    }
    Ok(records)
}

/// Reads `{"id", field}` records of a gzipped JSON Lines file into (id, value).
fn read_field(path: &Path, field: &str) -> Result<Vec<(String, String)>, DatasetError> {
    read_records(path, |value| {
        value[field]
            .as_str()
            .map(str::to_string)
            .ok_or_else(|| format!("no string field `{field}`"))
    })
}

/// Reads a WCXB folder (`html.jsonl.gz`, `text.jsonl.gz`, `gold.jsonl.gz`), pages in the
/// order of the gold file.
pub fn load_wcxb(dir: &Path) -> Result<Vec<LabelledPage>, DatasetError> {
    let gold = read_field(&dir.join("gold.jsonl.gz"), "text")?;
    let mut html: HashMap<String, String> = read_field(&dir.join("html.jsonl.gz"), "html")?
        .into_iter()
        .collect();
    let mut text: HashMap<String, String> = read_field(&dir.join("text.jsonl.gz"), "text")?
        .into_iter()
        .collect();
    gold.into_iter()
        .map(|(id, gold)| {
            let (Some(html), Some(text)) = (html.remove(&id), text.remove(&id)) else {
                return Err(DatasetError::MissingPage(id));
            };
            Ok(LabelledPage {
                id,
                html,
                text,
                gold,
            })
        })
        .collect()
}

/// Word n-grams (n = 1..=4) of a gold text, for labelling blocks against it.
pub struct GoldNgrams {
    by_length: [HashSet<u64>; 4],
}

fn ngram_keys(hashes: &[u64], n: usize) -> impl Iterator<Item = u64> + '_ {
    hashes
        .windows(n)
        .map(|window| window.iter().fold(0u64, |acc, &h| combine(acc, h)))
}

impl GoldNgrams {
    /// Indexes `gold`.
    pub fn new(gold: &str) -> Self {
        let hashes: Vec<u64> = words(gold).map(word_hash).collect();
        let by_length = std::array::from_fn(|k| ngram_keys(&hashes, k + 1).collect());
        GoldNgrams { by_length }
    }

    /// Share of the block's shingles found in the gold text (0 for a block without words).
    pub fn overlap(&self, text: &str) -> f32 {
        let hashes: Vec<u64> = words(text).map(word_hash).collect();
        if hashes.is_empty() {
            return 0.0;
        }
        let n = hashes.len().min(4);
        let set = &self.by_length[n - 1];
        let total = hashes.len() - n + 1;
        let found = ngram_keys(&hashes, n)
            .filter(|key| set.contains(key))
            .count();
        found as f32 / total as f32
    }
}

/// True for blocks that belong to the article: most of the page's shingles that touch the
/// block are in `gold`.
///
/// Shingles run across block boundaries here, as they do when the scorer reads the kept text:
/// a two-word heading is content when it sits where the gold text has it (next to the
/// paragraph it heads), not merely because its two words occur somewhere in the article, as
/// menu labels naming the article's subjects do.
pub fn block_labels(blocks: &[Block], gold: &str) -> Vec<bool> {
    let gold = GoldNgrams::new(gold);
    let mut hashes = Vec::new();
    let mut ranges = Vec::with_capacity(blocks.len());
    for block in blocks {
        let start = hashes.len();
        hashes.extend(words(&block.text).map(word_hash));
        ranges.push(start..hashes.len());
    }
    if hashes.len() < 4 {
        return blocks
            .iter()
            .map(|b| gold.overlap(&b.text) >= 0.5)
            .collect();
    }
    let in_gold: Vec<bool> = ngram_keys(&hashes, 4)
        .map(|key| gold.by_length[3].contains(&key))
        .collect();
    let mostly_in_gold = |starts: std::ops::Range<usize>| -> Option<bool> {
        let windows = in_gold.get(starts.start..starts.end.min(in_gold.len()))?;
        let found = windows.iter().filter(|&&found| found).count();
        (!windows.is_empty()).then_some(2 * found >= windows.len())
    };
    blocks
        .iter()
        .zip(ranges)
        .map(|(block, range)| {
            if range.is_empty() {
                return false;
            }
            // The shingles that end in the block (reaching into the text before it) and those
            // that start in it (reaching into the text after it): a heading is content when it
            // leads into its paragraph even if a menu comes before it.
            let ending = range.start.saturating_sub(3)..(range.end + 1).saturating_sub(4);
            let starting = range.clone();
            match (mostly_in_gold(ending), mostly_in_gold(starting)) {
                (None, None) => gold.overlap(&block.text) >= 0.5,
                (a, b) => a.unwrap_or(false) || b.unwrap_or(false),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_follow_overlap_with_gold() {
        let gold =
            "Storm hits the coast.\n\nThousands of homes lost power overnight, officials said.";
        let blocks = [
            Block::plain("Home | News | Weather"),
            Block::plain("Storm hits the coast"),
            Block::plain("Thousands of homes lost power overnight, officials said on Tuesday."),
            Block::plain("Share this story"),
        ];
        assert_eq!(block_labels(&blocks, gold), [false, true, true, false]);
    }

    #[test]
    fn short_blocks_are_content_where_the_gold_text_has_them() {
        let gold = "Flood warning\n\nThe river rose above its banks on Sunday night.\n\n\
                    Residents of the lower town were moved to the school.";
        let blocks = [
            Block::plain("Flood warning"),
            Block::plain("Weather"),
            Block::plain("Flood warning"),
            Block::plain("The river rose above its banks on Sunday night."),
            Block::plain("Residents of the lower town were moved to the school."),
        ];
        // The menu's "Flood warning" names the article but is not where the article has it.
        assert_eq!(
            block_labels(&blocks, gold),
            [false, false, true, true, true]
        );
    }

    #[test]
    fn short_blocks_match_whole_word_sequences() {
        let gold = GoldNgrams::new("The storm hit hard.");
        assert_eq!(gold.overlap("storm hit"), 1.0);
        assert_eq!(gold.overlap("hit storm"), 0.0);
        assert_eq!(gold.overlap("..."), 0.0);
    }
}
