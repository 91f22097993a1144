//! Bylines and datelines: who wrote the article and when, read from the short lines around
//! its start, so they can go into `meta` (`author`, `date`) instead of the text.
//!
//! Pages say it two ways, and both are read:
//!
//! - **markup**: a short block inside an element whose class or id says `author`, `byline`,
//!   `date`, `time` or `published` (`<span class="byline">`, `<div class="article__date">`),
//!   in any language of the text;
//! - **words**: a short line that starts with a byline word ("By", "Von", "Par", "Por", "Di",
//!   "Door", "Przez", "Autor:", ...) followed by a name, or that is a date ("2026-03-12",
//!   "12.03.2026", "12 March 2026", "March 12, 2026", "12. März 2026", "5 de marzo de 2026",
//!   "3 października 2025"; month names in English, German, French, Spanish, Italian,
//!   Portuguese, Dutch and Polish).
//!
//! Only the neighbourhood of the article's first kept block is searched (a few blocks before
//! it, where headlines and bylines sit, and the first kept ones), so an author box at the
//! foot of the page or a date in a teaser list is not taken for the article's own. A name must
//! look like one: one to five words, each capitalised (particles such as "van", "de", "von"
//! allowed), no digits.

use std::sync::OnceLock;

use regex::Regex;

use crate::block::Block;
use crate::words::{combine, fnv};

/// Blocks before the first kept block that are searched (headline, kicker, byline, date).
const BEFORE_ARTICLE: usize = 6;
/// Kept blocks from the first one on that are searched (bylines often sit under the title).
const INTO_ARTICLE: usize = 4;
/// Words a byline or dateline has at most.
const MAX_WORDS: usize = 12;

/// The author and date a page's bylines and datelines give.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Byline {
    /// The author's name, without "By" and what follows the name.
    pub author: Option<String>,
    /// The date as the page writes it.
    pub date: Option<String>,
    /// Positions of the blocks the author and date were read from.
    pub blocks: Vec<usize>,
}

/// Reads the byline and dateline near the article's start (see the module documentation).
///
/// ```
/// use textpipe_boilerplate::block::Block;
/// use textpipe_boilerplate::byline::find_byline;
/// let blocks = [
///     Block::plain("Harbour reopens"),
///     Block::plain("By Jane van der Berg | Coast News"),
///     Block::plain("12 March 2026"),
///     Block::plain("The harbour reopened on Monday after six weeks of repairs."),
/// ];
/// let byline = find_byline(&blocks, &[true, false, false, true]);
/// assert_eq!(byline.author.as_deref(), Some("Jane van der Berg"));
/// assert_eq!(byline.date.as_deref(), Some("12 March 2026"));
/// assert_eq!(byline.blocks, [1, 2]);
/// ```
pub fn find_byline(blocks: &[Block], keep: &[bool]) -> Byline {
    let mut found = Byline::default();
    let Some(first_kept) = keep.iter().position(|&k| k) else {
        return found;
    };
    let start = first_kept.saturating_sub(BEFORE_ARTICLE);
    let kept_after = keep[first_kept..]
        .iter()
        .enumerate()
        .filter(|(_, &k)| k)
        .nth(INTO_ARTICLE)
        .map_or(blocks.len(), |(i, _)| first_kept + i);
    let markup = MarkupHints::get();
    for (position, block) in blocks.iter().enumerate().take(kept_after).skip(start) {
        if block.text.split_whitespace().nth(MAX_WORDS).is_some() {
            continue;
        }
        let hinted = |hints: &[u64]| block.markup.iter().any(|token| hints.contains(token));
        if found.author.is_none() {
            let author = author_after_prefix(&block.text).or_else(|| {
                hinted(&markup.author)
                    .then(|| name_at_start(&block.text))
                    .flatten()
            });
            if let Some(author) = author {
                found.author = Some(author);
                found.blocks.push(position);
                continue;
            }
        }
        if found.date.is_none() {
            let date = date_in(&block.text).or_else(|| {
                (hinted(&markup.date) && has_digit(&block.text)).then(|| block.text.to_string())
            });
            if let Some(date) = date {
                found.date = Some(date);
                found.blocks.push(position);
            }
        }
    }
    found
}

/// Hashes of the class/id tokens that mark bylines and dates (as the parser hashes them).
struct MarkupHints {
    author: Vec<u64>,
    date: Vec<u64>,
}

impl MarkupHints {
    fn get() -> &'static MarkupHints {
        static HINTS: OnceLock<MarkupHints> = OnceLock::new();
        HINTS.get_or_init(|| {
            let class = |token: &str| combine(fnv(b"class"), fnv(token.as_bytes()));
            MarkupHints {
                author: ["author", "byline", "autor", "auteur", "autore", "writer"]
                    .map(class)
                    .to_vec(),
                date: [
                    "date",
                    "time",
                    "published",
                    "datum",
                    "dateline",
                    "pubdate",
                    "timestamp",
                ]
                .map(class)
                .to_vec(),
            }
        })
    }
}

fn has_digit(text: &str) -> bool {
    text.bytes().any(|b| b.is_ascii_digit())
}

/// Words that open a byline, lowercased, with the space or colon that ends them.
const BYLINE_PREFIXES: &[&str] = &[
    "by ",
    "written by ",
    "posted by ",
    "author: ",
    "von ",
    "autor: ",
    "autorin: ",
    "text: ",
    "par ",
    "auteur : ",
    "auteur: ",
    "por ",
    "di ",
    "door ",
    "przez ",
    "autor ",
];

/// The longest of [`BYLINE_PREFIXES`], in bytes.
const LONGEST_PREFIX: usize = {
    let mut longest = 0;
    let mut i = 0;
    while i < BYLINE_PREFIXES.len() {
        if BYLINE_PREFIXES[i].len() > longest {
            longest = BYLINE_PREFIXES[i].len();
        }
        i += 1;
    }
    longest
};
/// How many chars of a line [`byline_prefix`] compares with the prefixes.
const COMPARED_CHARS: usize = 16;
// Every prefix must fit in the chars compared.
const _: () = assert!(LONGEST_PREFIX <= COMPARED_CHARS);

/// The name after a byline word: "By Jane Doe, Reuters" gives "Jane Doe".
fn author_after_prefix(text: &str) -> Option<String> {
    let prefix = byline_prefix(text)?;
    name_at_start(text.get(prefix.len()..)?.trim_start())
}

/// The byline word `text` starts with, in any case: the first of [`BYLINE_PREFIXES`] that the
/// text's first [`COMPARED_CHARS`] chars, lowercased, start with.
///
/// The prefixes are ASCII, so when the text's first [`LONGEST_PREFIX`] bytes are ASCII too
/// (nearly every line) their lowercase is theirs byte by byte, and no other byte can change
/// the comparison: they are compared in place. Lowercasing a copy, the general way, was an
/// allocation or two for every short line around the article's start.
fn byline_prefix(text: &str) -> Option<&'static str> {
    let head = &text.as_bytes()[..text.len().min(LONGEST_PREFIX)];
    if head.is_ascii() {
        return BYLINE_PREFIXES.iter().copied().find(|prefix| {
            head.get(..prefix.len())
                .is_some_and(|start| start.eq_ignore_ascii_case(prefix.as_bytes()))
        });
    }
    byline_prefix_by_lowercasing(text)
}

/// [`byline_prefix`] the general way: the first [`COMPARED_CHARS`] chars lowercased into a copy.
fn byline_prefix_by_lowercasing(text: &str) -> Option<&'static str> {
    let lower = text
        .chars()
        .take(COMPARED_CHARS)
        .collect::<String>()
        .to_lowercase();
    BYLINE_PREFIXES
        .iter()
        .copied()
        .find(|prefix| lower.starts_with(prefix))
}

/// The name a text starts with, up to a separator, when it looks like a name.
fn name_at_start(text: &str) -> Option<String> {
    let text = text
        .trim_start_matches(|c: char| !c.is_alphanumeric())
        .trim();
    let text = ["By ", "by ", "Von ", "von "]
        .iter()
        .find_map(|p| text.strip_prefix(p))
        .unwrap_or(text);
    let end = text
        .find([
            ',', '|', '•', '·', '/', '(', '\u{2013}', '\u{2014}', '@', ':',
        ])
        .unwrap_or(text.len());
    let mut name = text[..end].trim();
    for separator in [" - ", " and ", " und ", " on ", " am ", " for ", " für "] {
        if let Some(cut) = name.find(separator) {
            name = name[..cut].trim();
        }
    }
    let words: Vec<&str> = name.split_whitespace().collect();
    let capitalised = |w: &&str| w.chars().next().is_some_and(char::is_uppercase);
    let particle = |w: &&str| {
        matches!(
            *w,
            "van" | "von" | "der" | "de" | "da" | "del" | "di" | "du" | "la" | "le" | "ten" | "zu"
        )
    };
    let looks_like_a_name = (1..=5).contains(&words.len())
        && !has_digit(name)
        && words.first().is_some_and(capitalised)
        && words.iter().all(|w| capitalised(w) || particle(w));
    looks_like_a_name.then(|| words.join(" "))
}

/// The date a short line is, or holds next to a byline word ("Published 12 March 2026").
fn date_in(text: &str) -> Option<String> {
    // Every form of the pattern ends in a year, four digits in a row (`\d{4}`, Unicode decimal
    // digits), and `is_numeric` takes in all of those: a line without four numeric chars in a
    // row cannot match, and most short lines (with no digit, or a count, a time, a day) have
    // none, so they skip the search (and a run whose lines have none, the pattern's
    // compilation, about 19 M instructions).
    if !has_four_numeric_in_a_row(text) {
        return None;
    }
    let found = date_pattern().find(text)?;
    Some(found.as_str().to_string())
}

/// True when four chars in a row of `text` are numeric.
fn has_four_numeric_in_a_row(text: &str) -> bool {
    let mut run = 0;
    for c in text.chars() {
        run = if c.is_numeric() { run + 1 } else { 0 };
        if run == 4 {
            return true;
        }
    }
    false
}

/// The dates [`date_in`] finds, compiled on first use.
fn date_pattern() -> &'static Regex {
    static DATE: OnceLock<Regex> = OnceLock::new();
    DATE.get_or_init(|| {
        // English, German, French, Spanish, Italian, Portuguese, Dutch and Polish (both the
        // nominative and the genitive a Polish date uses: "12 marca 2026").
        let months = "jan(?:uary|uar|vier|uari|eiro|\\.)?|enero|gennaio|stycz(?:eń|nia)|\
                      feb(?:ruary|ruar|ruari|rero|braio|\\.)?|f[ée]vrier|fevereiro|lut(?:y|ego)|\
                      mar(?:ch|zo|ço|\\.)?|märz|mars|maart|mar(?:zec|ca)|\
                      apr(?:il|ile|\\.)?|avril|abril|kwie(?:cień|tnia)|\
                      may|mai|mayo|maggio|maio|mei|maj|maja|\
                      june?|juni|juin|junio|giugno|junho|czerw(?:iec|ca)|\
                      july?|juli|juillet|julio|luglio|julho|lip(?:iec|ca)|\
                      aug(?:ust|ustus|\\.)?|août|agosto|sierp(?:ień|nia)|\
                      sep(?:t(?:ember)?|\\.)?|septembre|se(?:p)?tiembre|settembre|setembro|\
                      wrze(?:sień|śnia)|\
                      oct(?:ober|ubre|\\.)?|okt(?:ober|\\.)?|octobre|ottobre|outubro|\
                      październik|października|\
                      nov(?:ember|embre|iembre|\\.)?|novembro|listopad(?:a)?|\
                      dec(?:ember|\\.)?|dez(?:ember|embro|\\.)?|décembre|diciembre|dicembre|\
                      grud(?:zień|nia)";
        Regex::new(&format!(
            "(?i)\\b(?:\\d{{4}}-\\d{{2}}-\\d{{2}}\
             |\\d{{1,2}}\\.\\s?\\d{{1,2}}\\.\\s?\\d{{4}}\
             |\\d{{1,2}}/\\d{{1,2}}/\\d{{4}}\
             |\\d{{1,2}}(?:st|nd|rd|th|\\.|º)?\\s+(?:de\\s+)?(?:{months})\\s+(?:de\\s+)?\\d{{4}}\
             |(?:{months})\\s+\\d{{1,2}}(?:st|nd|rd|th)?,?\\s+\\d{{4}})"
        ))
        .expect("the date pattern compiles")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn byline_prefixes_are_lowercase_ascii() {
        for prefix in BYLINE_PREFIXES {
            assert!(prefix.is_ascii() && *prefix == prefix.to_lowercase());
        }
    }

    proptest::proptest! {
        #[test]
        fn byline_prefix_is_that_of_the_lowercased_text(
            text in "(by|BY|By|Von|PAR|written|posted|author|autor|auteur|text|di|door|przez|\u{212a}|\u{130}|é| |:|[a-zA-Z]){0,8}|\\PC{0,20}"
        ) {
            proptest::prop_assert_eq!(byline_prefix(&text), byline_prefix_by_lowercasing(&text));
        }
    }

    fn plain<'a>(texts: &[&'a str]) -> Vec<Block<'a>> {
        texts.iter().map(|t| Block::plain(*t)).collect()
    }

    #[test]
    fn names_after_byline_words_in_several_languages() {
        assert_eq!(
            author_after_prefix("By Jane Doe, Reuters").as_deref(),
            Some("Jane Doe")
        );
        assert_eq!(
            author_after_prefix("Von Max Müller | dpa").as_deref(),
            Some("Max Müller")
        );
        assert_eq!(
            author_after_prefix("Par Jean-Luc Picard - Le Monde").as_deref(),
            Some("Jean-Luc Picard")
        );
        assert_eq!(
            author_after_prefix("Por Ana de la Cruz").as_deref(),
            Some("Ana de la Cruz")
        );
        // Not names: a sentence, a lower-case phrase, a number.
        assert_eq!(author_after_prefix("By the way, the river rose."), None);
        assert_eq!(author_after_prefix("by train to the coast"), None);
        assert_eq!(author_after_prefix("By 2030 All Cars Electric"), None);
        assert_eq!(author_after_prefix("Byzantium"), None);
    }

    #[test]
    fn dates_in_common_forms() {
        for (text, date) in [
            ("2026-03-12", "2026-03-12"),
            ("Published 12.03.2026, 10:14", "12.03.2026"),
            ("12 March 2026", "12 March 2026"),
            ("Updated March 12, 2026 at 5pm", "March 12, 2026"),
            ("Veröffentlicht am 12. März 2026", "12. März 2026"),
            ("le 3 décembre 2025", "3 décembre 2025"),
            ("Publicado el 5 de marzo de 2026", "5 de marzo de 2026"),
            ("12 de março de 2026, 14h30", "12 de março de 2026"),
            ("Pubblicato il 7 settembre 2025", "7 settembre 2025"),
            ("Gepubliceerd op 14 augustus 2025", "14 augustus 2025"),
            ("Opublikowano 3 października 2025", "3 października 2025"),
            ("1 grudnia 2024 r.", "1 grudnia 2024"),
        ] {
            assert_eq!(date_in(text).as_deref(), Some(date), "{text}");
        }
        assert_eq!(date_in("Call 555-1234 today"), None);
        assert!(has_four_numeric_in_a_row("in ٢٠٢٦") && has_four_numeric_in_a_row("2026"));
        assert!(!has_four_numeric_in_a_row("12:30, 3 comments, 12.03.26"));
    }

    #[test]
    fn only_the_start_of_the_article_is_searched() {
        let mut blocks = plain(&["Home", "News"]);
        blocks.extend(plain(&["Intro paragraph of the article."; 6]));
        blocks.extend(plain(&["By Late Author", "1 January 2020"]));
        let mut keep = vec![false, false];
        keep.extend([true; 6]);
        keep.extend([false, false]);
        assert_eq!(find_byline(&blocks, &keep), Byline::default());
        assert_eq!(find_byline(&blocks, &[false; 10]), Byline::default());
    }

    #[test]
    fn the_digit_shortcut_rules_out_only_lines_the_pattern_cannot_match() {
        // Without the shortcut: a line of any char but a numeric one in the places of the
        // digits never matches; with each decimal digit of any script it does, and the
        // shortcut lets those through.
        let without_digits = ('\0'..=char::MAX).filter(|c| !c.is_numeric()).step_by(61);
        for c in without_digits {
            for line in [
                format!("{c}{c} March {c}{c}{c}{c}"),
                format!("{c}{c}{c}{c}-{c}{c}-{c}{c}"),
                format!("{c}{c}.{c}{c}.{c}{c}{c}{c}"),
            ] {
                assert!(date_pattern().find(&line).is_none(), "{line:?}");
            }
        }
        let numeric = ('\0'..=char::MAX).filter(|c| c.is_numeric());
        let mut matched = 0;
        for d in numeric {
            let line = format!("{d}{d} March {d}{d}{d}{d}");
            if date_pattern().find(&line).is_some() {
                assert_eq!(date_in(&line).as_deref(), Some(line.as_str()));
                matched += 1;
            }
        }
        assert!(
            matched >= 600,
            "decimal digits of many scripts match: {matched}"
        );
        assert_eq!(date_in("١٢ March ٢٠٢٦").as_deref(), Some("١٢ March ٢٠٢٦"));
        assert_eq!(date_in("Published on the twelfth of March"), None);
    }

    proptest::proptest! {
        /// The shortcut of [`date_in`] never skips a line the pattern matches.
        #[test]
        fn every_date_has_four_numeric_chars_in_a_row(
            text in "(1|12|2026|٢٠٢٦|২০|March|märz|de|st| |\\.|-|/|,|x){0,10}",
        ) {
            if date_pattern().is_match(&text) {
                proptest::prop_assert!(has_four_numeric_in_a_row(&text), "{}", text);
            }
        }
    }

    #[test]
    fn markup_marks_bylines_in_any_language() {
        let class = |token: &str| combine(fnv(b"class"), fnv(token.as_bytes()));
        let blocks = vec![
            Block {
                text: "Анна Петрова".into(),
                markup: vec![class("author")],
                ..Block::default()
            },
            Block {
                text: "5 марта 2026".into(),
                markup: vec![class("date")],
                ..Block::default()
            },
            Block::plain("Текст статьи начинается здесь и продолжается дальше."),
        ];
        let byline = find_byline(&blocks, &[false, false, true]);
        assert_eq!(byline.author.as_deref(), Some("Анна Петрова"));
        assert_eq!(byline.date.as_deref(), Some("5 марта 2026"));
    }
}
