//! The features a sentence is scored on.
//!
//! Each is cheap, defined for any document (no title, no entities, one sentence, none) and
//! scaled to roughly `[0, 1]` within the document, so one set of weights fits short and long
//! articles alike:
//!
//! | feature | why |
//! |---|---|
//! | `first_sentence`, `inverse_position`, `relative_position` | news puts the point first (lead bias) |
//! | `lexrank`, `textrank`, `centroid` | sentences that say what many others say are central |
//! | `title_overlap` | the headline names the topic; 0 for every sentence when there is none |
//! | `entity_density` | names carry the who/where; from the `entities` layer when present, else capitalized words stand in |
//! | `log_words`, `short` | length prior: fragments and captions rarely summarize |
//! | `terminal_punctuation` | photo captions and datelines lack a final `.`, `!` or `?` (or `。`, `！`, `？`, `؟`) |
//! | `opens_with_quote` | quotes (in every supported style: `"`, `„`, `«`, `「`...) colour a story but seldom summarize it |
//! | `paragraph_start` | a paragraph's first sentence states its point |
//! | `long_sentence` | very long sentences (over 40 words) are run-ons, lists or quotes; graph rankers overrate them |
//! | `fragment` | not a sentence at all: bylines, datelines, captions in capitals, stray numbers (see [`is_fragment`]) |
//! | `…_x_share` | each feature above but `fragment` again, times the (squared) share of the document the budget allows |
//!
//! The `_x_share` copies let one set of weights serve short and long summaries. Picking 3
//! sentences of 30 (a news teaser), position is the best evidence there is; picking 12 of
//! 30, lead-k takes every sentence near the top whatever it says, and which ones the rest of
//! the article keeps coming back to (centrality) decides more. A linear model can only
//! shift between the two if the features carry the budget.

use textpipe_core::Document;

use crate::centrality::SentenceGraph;
use crate::config::Budget;
use crate::terms::{shared_terms, SentenceTerms, TermAnalyzer, TermTable};

/// Names of the features, in the order of a feature row and of the model's weights.
pub const FEATURE_NAMES: [&str; FEATURE_COUNT] = [
    "first_sentence",
    "inverse_position",
    "relative_position",
    "lexrank",
    "textrank",
    "centroid",
    "title_overlap",
    "entity_density",
    "log_words",
    "short",
    "terminal_punctuation",
    "opens_with_quote",
    "paragraph_start",
    "long_sentence",
    "fragment",
    "first_sentence_x_share",
    "inverse_position_x_share",
    "relative_position_x_share",
    "lexrank_x_share",
    "textrank_x_share",
    "centroid_x_share",
    "title_overlap_x_share",
    "entity_density_x_share",
    "log_words_x_share",
    "short_x_share",
    "terminal_punctuation_x_share",
    "opens_with_quote_x_share",
    "paragraph_start_x_share",
    "long_sentence_x_share",
];

/// Number of features per sentence.
pub const FEATURE_COUNT: usize = 29;

/// Index of the `fragment` feature in a [`FeatureRow`].
pub const FRAGMENT: usize = 14;

/// Index of the first `_x_share` feature: every feature before [`FRAGMENT`] again, times the
/// budget's share, fills the rest of the row. (Fragments need no copy: the stage ranks them
/// last whatever the budget.)
pub const FIRST_SHARE_FEATURE: usize = FRAGMENT + 1;

const _: () = assert!(FEATURE_COUNT == FIRST_SHARE_FEATURE + FRAGMENT);

/// Sentences with more than this many words count as `long_sentence`.
const LONG_SENTENCE_WORDS: usize = 40;

/// Sentences with at most this many words count as `short`.
const SHORT_SENTENCE_WORDS: usize = 6;

/// One sentence's features, in [`FEATURE_NAMES`] order.
pub type FeatureRow = [f32; FEATURE_COUNT];

/// Features of every sentence of one document, and the graph they came from.
#[derive(Debug, Clone, Default)]
pub struct DocumentFeatures {
    /// One row per sentence.
    pub rows: Vec<FeatureRow>,
    /// Word count per sentence (for word budgets).
    pub words: Vec<usize>,
    /// Sentence similarities (for redundancy control).
    pub graph: SentenceGraph,
}

/// Computes the features of `doc`'s sentences for a summary under `budget`. Sentences whose
/// span does not slice the text count as empty rather than failing: the stage checks spans
/// before calling this.
pub fn document_features(
    doc: &Document,
    analyzer: &TermAnalyzer,
    budget: Budget,
) -> DocumentFeatures {
    let spans = doc.sentence_spans();
    let mut table = TermTable::default();
    let texts: Vec<&str> = spans
        .iter()
        .map(|span| span.slice(&doc.text).unwrap_or(""))
        .collect();
    let terms: Vec<SentenceTerms> = texts
        .iter()
        .map(|text| analyzer.analyze(text, &mut table))
        .collect();
    let title = doc
        .meta
        .get("title")
        .and_then(|t| t.as_str())
        .filter(|t| !t.trim().is_empty())
        .map(|t| analyzer.analyze(t, &mut table));
    let graph = SentenceGraph::new(&terms, table.len());
    let mentions = entity_mentions_per_sentence(doc);
    let n = spans.len();
    let total_words: usize = terms.iter().map(|t| t.words).sum();
    // Squared, so a 3-of-30 teaser (0.04) barely moves the scores and a 40% summary (0.64)
    // does; doubled first, so the copies are on the scale of the other features and the
    // fit's gradient descent converges within its epochs (unscaled, it stopped short: BBC
    // R2 74.5 against 77.0, and a larger factor changes nothing).
    let share = (2.0 * budget_share(budget, n, total_words)).powi(2);
    let rows = (0..n)
        .map(|i| {
            let sentence = &terms[i];
            let words = sentence.words.max(1) as f32;
            let title_overlap = match &title {
                Some(title) if title.distinct() > 0 => {
                    shared_terms(&title.counts, &sentence.counts) as f32 / title.distinct() as f32
                }
                _ => 0.0,
            };
            let names = match &mentions {
                Some(counts) => counts[i] as f32,
                None => sentence.capitalized as f32,
            };
            let trimmed = texts[i].trim();
            let paragraph_start = i == 0
                || doc
                    .text
                    .get(spans[i - 1].end..spans[i].start)
                    .is_some_and(|gap| gap.contains('\n'));
            let base: [f32; FIRST_SHARE_FEATURE] = [
                f32::from(i == 0),
                1.0 / (i as f32 + 1.0),
                i as f32 / n as f32,
                graph.lexrank[i],
                graph.textrank[i],
                graph.centroid[i],
                title_overlap,
                (names / words).min(1.0),
                (1.0 + sentence.words as f32).ln() / 4.0,
                f32::from(sentence.words <= SHORT_SENTENCE_WORDS),
                f32::from(ends_like_a_sentence(trimmed)),
                f32::from(trimmed.starts_with(OPENING_QUOTES)),
                f32::from(paragraph_start),
                f32::from(sentence.words > LONG_SENTENCE_WORDS),
                f32::from(is_fragment(trimmed, sentence.words)),
            ];
            let mut row = [0.0; FEATURE_COUNT];
            row[..FIRST_SHARE_FEATURE].copy_from_slice(&base);
            for (copy, value) in row[FIRST_SHARE_FEATURE..].iter_mut().zip(&base[..FRAGMENT]) {
                *copy = value * share;
            }
            row
        })
        .collect();
    DocumentFeatures {
        rows,
        words: terms.iter().map(|t| t.words).collect(),
        graph,
    }
}

/// The share of the document a summary under `budget` may hold, in `[0, 1]`: of its
/// sentences for sentence and ratio budgets, of its words for a word budget.
pub fn budget_share(budget: Budget, sentences: usize, words: usize) -> f32 {
    let share = match budget {
        Budget::Sentences(k) => k as f64 / sentences.max(1) as f64,
        Budget::Ratio(ratio) => ratio,
        Budget::Words(w) => w as f64 / words.max(1) as f64,
    };
    if share.is_finite() {
        share.clamp(0.0, 1.0) as f32
    } else {
        0.0
    }
}

/// Whether a sentence span holds something that is not a sentence a reader would want in a
/// summary: fewer than three words (`"Updated today"`), a byline (`By ...` in at most six
/// words), a short line opening with a label in capitals and a colon (`PUBLISHED: ...`,
/// `UPDATED: ...`), text in a cased script without a lowercase letter (a dateline or a
/// heading in capitals), or text that is mostly not letters (tables, scores, timestamps).
/// News scraped from the web opens with such pieces, and lead-k picks them blindly. Letters
/// of scripts without case (Chinese, Japanese, Arabic) count as lowercase: a sentence in
/// them has no capitals to be written in.
pub fn is_fragment(text: &str, words: usize) -> bool {
    if words < 3 || (words <= 6 && text.starts_with("By ")) {
        return true;
    }
    let label = text.split_once(':').map_or("", |(label, _)| label);
    if words <= 12 && label.len() >= 2 && label.chars().all(|c| c.is_uppercase() || c == ' ') {
        return true;
    }
    let (mut letters, mut lowercase, mut visible) = (0usize, 0usize, 0usize);
    for c in text.chars().filter(|c| !c.is_whitespace()) {
        visible += 1;
        if c.is_alphabetic() {
            letters += 1;
            lowercase += usize::from(c.is_lowercase() || !c.is_uppercase());
        }
    }
    lowercase == 0 || 2 * letters < visible
}

/// Whether the text ends like a sentence: with `.`, `!`, `?`, `…`, the full-width `。！？`
/// or the Arabic `؟`, possibly inside closing quotes or brackets.
fn ends_like_a_sentence(text: &str) -> bool {
    text.trim_end_matches(CLOSING_MARKS)
        .ends_with(['.', '!', '?', '…', '。', '！', '？', '؟', '｡'])
}

/// Quotes and brackets that may follow a sentence's final punctuation, in the quotation
/// styles of the supported languages (German closes with `“`, French and Danish may close
/// with `«` or `»`, Japanese with `」`).
const CLOSING_MARKS: &[char] = &[
    '"', '\'', '”', '’', ')', ']', '“', '»', '«', '›', '」', '』', '）', '］', '】',
];

/// Quotes that open a quotation in the supported languages.
const OPENING_QUOTES: &[char] = &['"', '“', '‘', '\'', '„', '‚', '«', '»', '‹', '「', '『'];

/// Entity mentions starting in each sentence, when the document has an entity layer.
fn entity_mentions_per_sentence(doc: &Document) -> Option<Vec<usize>> {
    let entities = doc.entities.as_ref()?;
    let spans = doc.sentence_spans();
    let mut counts = vec![0; spans.len()];
    for entity in entities {
        // Spans are sorted, so the sentence holding a mention is found by binary search.
        let index = spans.partition_point(|span| span.end <= entity.start);
        if index < spans.len() && spans[index].start <= entity.start {
            counts[index] += 1;
        }
    }
    Some(counts)
}

#[cfg(test)]
mod tests {
    use super::*;
    use textpipe_core::{Entity, Span};

    fn doc(text: &str, cuts: &[(usize, usize)]) -> Document {
        let mut doc = Document::new("d", text);
        doc.sentences = Some(cuts.iter().map(|&(s, e)| Span::new(s, e)).collect());
        doc
    }

    #[test]
    fn title_overlap_and_entities_are_used_when_present() {
        let text = "Storm hits Lisbon today. A caption without end";
        let mut d = doc(text, &[(0, 24), (25, text.len())]);
        let plain = document_features(&d, &TermAnalyzer::new(), Budget::Sentences(1));
        let index = |name| FEATURE_NAMES.iter().position(|n| *n == name).unwrap();
        assert_eq!(plain.rows[0][index("title_overlap")], 0.0);
        assert_eq!(plain.rows[0][index("terminal_punctuation")], 1.0);
        assert_eq!(plain.rows[1][index("terminal_punctuation")], 0.0);
        // Without entities, the capitalized `Lisbon` stands in for a name.
        assert!(plain.rows[0][index("entity_density")] > 0.0);

        d.meta.insert("title".into(), "Lisbon storm".into());
        d.entities = Some(vec![Entity::new(text, Span::new(25, 26), "MISC")]);
        let rich = document_features(&d, &TermAnalyzer::new(), Budget::Sentences(1));
        assert_eq!(rich.rows[0][index("title_overlap")], 1.0);
        assert_eq!(rich.rows[0][index("entity_density")], 0.0);
        assert!(rich.rows[1][index("entity_density")] > 0.0);
    }

    #[test]
    fn bylines_datelines_and_numbers_are_fragments_but_sentences_are_not() {
        let fragment = |text: &str| is_fragment(text, text.split_whitespace().count());
        assert!(fragment("By . Jane Doe ."));
        assert!(fragment("By Jane Doe and Tom Lee"));
        assert!(fragment("PUBLISHED: 12:01 EST, 3 MAY 2013"));
        assert!(fragment("12-4, 13-5, 9-9 (2.1) 14.5%"));
        assert!(fragment("UPDATED: . 15:36 EST, 25 October 2013 ."));
        assert!(fragment("Updated today"));
        assert!(!fragment(
            "By noon the river had burst its banks in three places."
        ));
        assert!(!fragment("Floods hit the town on Monday."));
    }

    #[test]
    fn sentences_in_caseless_scripts_are_not_headings_in_capitals() {
        // Han, kana and Arabic letters have no case; they count as lowercase, so a sentence
        // in them is judged by its length and letters, not by capitals it cannot have.
        assert!(!is_fragment("وافقت الحكومة على بناء محطة جديدة.", 6));
        assert!(!is_fragment("国务院今天召开常务会议。", 7));
        assert!(!is_fragment("台風が鹿児島県に上陸した。", 7));
        assert!(is_fragment("NEW YORK (AP) — 12:40", 5));
        assert!(ends_like_a_sentence("会议召开。」"));
        assert!(ends_like_a_sentence("Er sagte: „Wir bauen.“"));
        assert!(ends_like_a_sentence("هل وصلت؟"));
        assert!(!ends_like_a_sentence("写真：共同通信"));
    }

    #[test]
    fn the_budget_share_scales_the_share_features() {
        let text = "Storm hits Lisbon. Rain falls. Roads close.";
        let d = doc(text, &[(0, 18), (19, 30), (31, text.len())]);
        let index = |name| FEATURE_NAMES.iter().position(|n| *n == name).unwrap();
        let one = document_features(&d, &TermAnalyzer::new(), Budget::Sentences(1));
        let all = document_features(&d, &TermAnalyzer::new(), Budget::Sentences(3));
        let at = index("inverse_position_x_share");
        // One sentence of three: a share of 1/3, doubled and squared.
        assert!((one.rows[0][at] - 4.0 / 9.0).abs() < 1e-6);
        assert_eq!(all.rows[0][at], 4.0);
        assert_eq!(one.rows[1][..FRAGMENT + 1], all.rows[1][..FRAGMENT + 1]);
        assert_eq!(budget_share(Budget::Ratio(2.0), 3, 9), 1.0);
        assert_eq!(budget_share(Budget::Words(3), 3, 9), 1.0 / 3.0);
        assert_eq!(budget_share(Budget::Sentences(2), 0, 0), 1.0);
        assert_eq!(budget_share(Budget::Ratio(f64::NAN), 3, 9), 0.0);
    }

    #[test]
    fn every_feature_is_finite_on_degenerate_sentences() {
        let d = doc("... !!", &[(0, 3), (3, 3), (4, 6)]);
        let features = document_features(&d, &TermAnalyzer::new(), Budget::Sentences(1));
        assert_eq!(features.rows.len(), 3);
        assert!(features.rows.iter().flatten().all(|v| v.is_finite()));
    }
}
