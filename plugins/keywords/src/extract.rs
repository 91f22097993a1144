//! RAKE-style keyphrase extraction (Rose et al., 2010, "Automatic keyword extraction from
//! individual documents"), with the phrase's frequency folded in.
//!
//! Candidates are the maximal runs of content words between stopwords, punctuation and
//! numbers. Each word scores `degree / frequency` (how much it co-occurs in longer phrases
//! relative to how often it appears alone), a phrase the sum of its words, times the number of
//! times the phrase occurs. RAKE needs no training data or corpus statistics, which suits a
//! stage that sees one document at a time. Plain RAKE ranks long one-off runs first (in news, a
//! verb often joins a run: "council approved plan"); weighting by occurrences puts the
//! phrases a story keeps coming back to on top.

use std::collections::{HashMap, HashSet};

use serde::Serialize;

/// One extracted keyphrase.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Keyphrase {
    /// The phrase as first written in the text.
    pub text: String,
    /// Its normalized (lowercase) form, the key phrases are merged on.
    pub normalized: String,
    /// Score; higher is more important. Only comparable within one document.
    pub score: f64,
    /// How often the phrase occurs.
    pub count: usize,
    /// Byte offsets of the first occurrence.
    pub start: usize,
    /// End of the first occurrence (exclusive).
    pub end: usize,
}

/// What makes a candidate.
#[derive(Debug, Clone)]
pub struct ExtractOptions<'a> {
    /// Words that split candidates (lowercase).
    pub stopwords: &'a HashSet<String>,
    /// Longest candidate, in words.
    pub max_words: usize,
    /// Shortest word kept, in chars.
    pub min_word_chars: usize,
    /// At most this many phrases are returned.
    pub max_keyphrases: usize,
}

/// A word of the text: byte range and lowercase form.
struct Word {
    start: usize,
    end: usize,
    lower: String,
}

/// The candidate phrases: runs of words not broken by a stopword or by anything but spaces and
/// hyphens between them.
fn candidates(text: &str, options: &ExtractOptions) -> Vec<Vec<Word>> {
    let mut phrases = Vec::new();
    let mut current: Vec<Word> = Vec::new();
    let mut previous_end = 0;
    for (start, token) in word_tokens(text) {
        let end = start + token.len();
        let lower = token.to_lowercase();
        let gap = &text[previous_end..start];
        let joined = gap.chars().all(|c| c == ' ' || c == '-');
        let content = !options.stopwords.contains(&lower)
            && token.chars().count() >= options.min_word_chars
            && !token.chars().all(|c| c.is_numeric());
        if !joined || !content {
            flush(&mut current, &mut phrases, options.max_words);
        }
        if content {
            current.push(Word { start, end, lower });
        }
        previous_end = end;
    }
    flush(&mut current, &mut phrases, options.max_words);
    phrases
}

fn flush(current: &mut Vec<Word>, phrases: &mut Vec<Vec<Word>>, max_words: usize) {
    // RAKE drops over-long runs rather than cutting them: a cut would invent phrase boundaries.
    if !current.is_empty() && current.len() <= max_words {
        phrases.push(std::mem::take(current));
    }
    current.clear();
}

/// Words: runs of alphanumeric chars, with inner apostrophes (`council's`).
fn word_tokens(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut chars = text.char_indices().peekable();
    std::iter::from_fn(move || {
        let (start, _) = chars.find(|(_, c)| c.is_alphanumeric())?;
        let mut end = text.len();
        while let Some(&(i, c)) = chars.peek() {
            let inner_apostrophe = (c == '\'' || c == '’')
                && text[i + c.len_utf8()..].starts_with(|n: char| n.is_alphanumeric());
            if c.is_alphanumeric() || inner_apostrophe {
                chars.next();
            } else {
                end = i;
                break;
            }
        }
        Some((start, &text[start..end]))
    })
}

/// The top keyphrases of `text`, best first.
pub fn extract(text: &str, options: &ExtractOptions) -> Vec<Keyphrase> {
    let phrases = candidates(text, options);
    let mut frequency: HashMap<&str, f64> = HashMap::new();
    let mut degree: HashMap<&str, f64> = HashMap::new();
    for phrase in &phrases {
        for word in phrase {
            *frequency.entry(&word.lower).or_default() += 1.0;
            *degree.entry(&word.lower).or_default() += phrase.len() as f64;
        }
    }
    let mut merged: HashMap<String, Keyphrase> = HashMap::new();
    for phrase in &phrases {
        let normalized: Vec<&str> = phrase.iter().map(|w| w.lower.as_str()).collect();
        let normalized = normalized.join(" ");
        let (start, end) = (phrase[0].start, phrase[phrase.len() - 1].end);
        let entry = merged
            .entry(normalized.clone())
            .or_insert_with(|| Keyphrase {
                text: text[start..end].to_string(),
                score: phrase
                    .iter()
                    .map(|w| degree[w.lower.as_str()] / frequency[w.lower.as_str()])
                    .sum(),
                normalized,
                count: 0,
                start,
                end,
            });
        entry.count += 1;
    }
    let mut ranked: Vec<Keyphrase> = merged
        .into_values()
        .map(|mut k| {
            k.score = (k.score * k.count as f64 * 1000.0).round() / 1000.0;
            k
        })
        .collect();
    // Ties broken by position then text, so the output does not depend on hash order.
    ranked.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then(a.start.cmp(&b.start))
            .then_with(|| a.normalized.cmp(&b.normalized))
    });
    ranked.truncate(options.max_keyphrases);
    ranked
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stopwords() -> HashSet<String> {
        crate::stopwords::ENGLISH
            .iter()
            .map(|s| s.to_string())
            .collect()
    }

    fn options(stopwords: &HashSet<String>) -> ExtractOptions<'_> {
        ExtractOptions {
            stopwords,
            max_words: 3,
            min_word_chars: 2,
            max_keyphrases: 5,
        }
    }

    #[test]
    fn repeated_multiword_phrase_ranks_first() {
        let text = "The city council approved the tram line. Critics of the tram line said \
                    the council ignored cyclists. Work starts on the tram line in 2026.";
        let stopwords = stopwords();
        let top = extract(text, &options(&stopwords));
        assert_eq!(top[0].normalized, "tram line");
        assert_eq!(top[0].count, 3);
        assert_eq!(&text[top[0].start..top[0].end], "tram line");
    }

    #[test]
    fn punctuation_numbers_and_stopwords_split_candidates() {
        let stopwords = stopwords();
        let phrases = candidates(
            "Paris, 2024 budget of the mayor's office",
            &options(&stopwords),
        );
        let texts: Vec<String> = phrases
            .iter()
            .map(|p| {
                p.iter()
                    .map(|w| w.lower.as_str())
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect();
        assert_eq!(texts, ["paris", "budget", "mayor's office"]);
    }

    #[test]
    fn over_long_runs_are_dropped() {
        let stopwords = stopwords();
        let phrases = candidates("alpha beta gamma delta", &options(&stopwords));
        assert!(phrases.is_empty());
    }

    #[test]
    fn multibyte_words_keep_char_boundaries() {
        let stopwords = stopwords();
        let text = "Köln’s Straßenbahn — Zürich’s café";
        for k in extract(text, &options(&stopwords)) {
            assert_eq!(&text[k.start..k.end], k.text);
        }
    }
}
