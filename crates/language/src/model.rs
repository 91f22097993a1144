//! The character n-gram model of the Latin-script languages: its file format, how it scores a
//! text, and how it is trained.
//!
//! It is a naive Bayes model: for each language and each n-gram order, the probability of an
//! n-gram is its add-one smoothed relative frequency in that language's training text, and a
//! text's score for a language is the sum of the log-probabilities of its n-grams. Naive Bayes
//! was chosen over a discriminative model because it trains by counting (a rebuild is seconds
//! and byte-identical), needs no tuning, and scores with one hash lookup and one vector add per
//! n-gram. Only the most frequent n-grams of each language are kept; an n-gram the file does
//! not list scores each language's floor, the probability of an unseen n-gram.
//!
//! Scoring stops early once one language leads every other by `stop_margin` nats: a page's
//! language is settled long before its end, and stopping makes the cost per document bounded
//! in practice while staying linear in the worst case.
//!
//! The file is plain text, so a change to the model is a readable diff:
//!
//! ```text
//! textpipe-language-ngrams 1
//! languages en de
//! totals en 1:5120:40 2:6340:610 3:...      (per order: n-grams counted, distinct n-grams)
//! totals de 1:...
//! typical en:-5.80 de:-6.06                  (optional: a text's usual fit, see below)
//! common en the of and to ...                (optional: the language's most frequent words)
//! _th<TAB>en:1800 de:3                       (n-gram, then its count in each language)
//! ```
//!
//! # Texts in languages the model does not know
//!
//! Naive Bayes always names one of its languages, so a Finnish paragraph comes out Swedish.
//! What gives such a text away is its *fit*: the mean log-probability per n-gram under the
//! winning language ([`Scores::fit`]). A text in that language scores near the language's
//! typical fit (the median over its dev sentences, stored on the `typical` line when the model
//! is trained); a text in another language meets many n-grams the winner never saw and scores
//! well below it. The identifier turns that gap into "undetermined".
//!
//! A language close enough in spelling can fit nearly as well (Indonesian and Tagalog under
//! English), but it does not write the language's words: the `common` lines list each
//! language's [`COMMON_WORDS_PER_LANGUAGE`] most frequent training words, and
//! [`NgramModel::common_word_share`] says how many of a text's words are among them (in the
//! dev documents of every language, at least 13%; in an Indonesian paragraph, none).

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::hash::{BuildHasherDefault, Hasher};

use crate::ngrams::{for_each_ngram, for_each_word, ngram_key, BOUNDARY, MAX_ORDER};

/// The most languages one model can hold: score vectors are fixed-size arrays, so adding one
/// n-gram's log-probabilities is a single vectorised add.
pub const MAX_LANGUAGES: usize = 16;

const FORMAT_LINE: &str = "textpipe-language-ngrams 1";

/// How many of each language's most frequent training words the model file lists on its
/// `common` lines. Fewer would leave out the words of lists and mail headers that English
/// dev documents are made of (with 400, one scored 11% common words; with 1,000, 44%),
/// while Indonesian and Tagalog meet almost none of English's 1,000 (0% and 2%).
pub const COMMON_WORDS_PER_LANGUAGE: usize = 1000;

/// A model file that cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ModelError {
    /// The first line is not the format line.
    #[error("not a textpipe language model (the first line must be `{FORMAT_LINE}`)")]
    Format,
    /// A line that does not parse.
    #[error("line {line}: {message}")]
    Line {
        /// 1-based line number.
        line: usize,
        /// What is wrong with it.
        message: String,
    },
}

/// Scores of one text under every language of a model.
#[derive(Debug, Clone, PartialEq)]
pub struct Scores {
    /// Sum of log-probabilities per language, in the model's language order.
    pub log_probs: [f32; MAX_LANGUAGES],
    /// How many languages `log_probs` holds.
    pub languages: usize,
    /// How many n-grams were scored.
    pub ngrams: usize,
}

impl Scores {
    /// The mean log-probability per n-gram of language `index`: how well the text fits it,
    /// comparable between texts of different lengths.
    pub fn fit(&self, index: usize) -> f32 {
        self.log_probs[index] / self.ngrams.max(1) as f32
    }

    /// The best language's index, and its lead over the runner-up in nats.
    pub fn best(&self) -> Option<(usize, f32)> {
        let values = &self.log_probs[..self.languages];
        let (best, top) = values
            .iter()
            .enumerate()
            .max_by(|a, b| a.1.total_cmp(b.1))?;
        let second = values
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != best)
            .map(|(_, v)| *v)
            .fold(f32::NEG_INFINITY, f32::max);
        Some((best, top - second))
    }
}

/// A trained naive Bayes model over character n-grams.
#[derive(Debug, Clone)]
pub struct NgramModel {
    languages: Vec<String>,
    rows: HashMap<u64, u32, BuildHasherDefault<KeyHasher>>,
    /// Log-probabilities in steps of 1/[`STEPS_PER_NAT`] nat: 32 bytes a row, so the rows of
    /// a text's n-grams stay in cache.
    log_probs: Vec<[i16; MAX_LANGUAGES]>,
    floors: [[i16; MAX_LANGUAGES]; MAX_ORDER],
    /// Each language's typical fit, when the file gives it (in language order).
    typical_fits: Vec<Option<f32>>,
    /// The common words of every language, by [`ngram_key`] of their letters: bit `i` set
    /// when the word is common in language `i`.
    common_words: HashMap<u64, u16, BuildHasherDefault<KeyHasher>>,
    /// Bit `i` set when the file lists common words for language `i`.
    has_common_words: u16,
}

/// The resolution of stored log-probabilities: far finer than any difference that decides
/// a language, coarse enough for 16 bits (log-probabilities here stay above -30 nats).
const STEPS_PER_NAT: f32 = 64.0;

fn quantize(log_prob: f32) -> i16 {
    (log_prob * STEPS_PER_NAT)
        .round()
        .clamp(f32::from(i16::MIN), 0.0) as i16
}

impl NgramModel {
    /// Reads a model file (the format in the module docs).
    pub fn parse(text: &str) -> Result<Self, ModelError> {
        let mut lines = text.lines().enumerate().map(|(i, l)| (i + 1, l)).peekable();
        if lines.next().map(|(_, l)| l) != Some(FORMAT_LINE) {
            return Err(ModelError::Format);
        }
        let bad = |line: usize, message: &str| ModelError::Line {
            line,
            message: message.to_string(),
        };
        let (line, languages) = lines.next().ok_or(ModelError::Format)?;
        let languages: Vec<String> = languages
            .strip_prefix("languages ")
            .ok_or_else(|| bad(line, "expected `languages CODE...`"))?
            .split(' ')
            .map(str::to_string)
            .collect();
        if languages.is_empty() || languages.len() > MAX_LANGUAGES {
            return Err(bad(line, "a model holds 1 to 16 languages"));
        }
        // Per language and order: ln(n-grams counted + distinct n-grams), the denominator of
        // the add-one estimate.
        let mut denominators = vec![[0f32; MAX_ORDER]; languages.len()];
        let mut floors = [[0i16; MAX_LANGUAGES]; MAX_ORDER];
        for (index, denominator) in denominators.iter_mut().enumerate() {
            let (line, totals) = lines.next().ok_or(ModelError::Format)?;
            let rest = totals
                .strip_prefix("totals ")
                .and_then(|r| r.strip_prefix(languages[index].as_str()))
                .ok_or_else(|| bad(line, "expected `totals CODE ...` in language order"))?;
            let fields: Vec<&str> = rest.split_whitespace().collect();
            if fields.len() != MAX_ORDER {
                return Err(bad(line, "expected one `order:count:distinct` per order"));
            }
            for (order, field) in fields.iter().enumerate() {
                let numbers: Vec<u64> = field
                    .split(':')
                    .map(|n| n.parse().map_err(|_| bad(line, "not a number")))
                    .collect::<Result<_, _>>()?;
                if numbers.len() != 3 || numbers[0] != order as u64 + 1 {
                    return Err(bad(line, "expected `order:count:distinct`"));
                }
                denominator[order] = ((numbers[1] + numbers[2]) as f64).max(1.0).ln() as f32;
            }
        }
        // An n-gram a language's training text lacks scores the same in every language: the
        // probability of an unseen n-gram in the largest training text. A floor from each
        // language's own text would favour the languages with little text, whose unseen
        // n-grams look likelier only because less was read.
        for (order, floor) in floors.iter_mut().enumerate() {
            let largest = denominators
                .iter()
                .map(|d| d[order])
                .fold(f32::NEG_INFINITY, f32::max);
            *floor = [quantize(-largest); MAX_LANGUAGES];
        }
        let mut typical_fits = vec![None; languages.len()];
        if let Some((line, typical)) = lines.next_if(|(_, l)| l.starts_with("typical ")) {
            for field in typical["typical ".len()..].split(' ') {
                let (code, fit) = field
                    .split_once(':')
                    .ok_or_else(|| bad(line, "expected `typical CODE:FIT ...`"))?;
                let index = languages
                    .iter()
                    .position(|l| l == code)
                    .ok_or_else(|| bad(line, "a language the model does not list"))?;
                let fit: f32 = fit.parse().map_err(|_| bad(line, "not a number"))?;
                typical_fits[index] = Some(fit);
            }
        }
        let mut common_words: HashMap<u64, u16, _> = HashMap::default();
        let mut has_common_words = 0u16;
        while let Some((line, common)) = lines.next_if(|(_, l)| l.starts_with("common ")) {
            let mut fields = common["common ".len()..].split(' ');
            let code = fields.next().unwrap_or_default();
            let index = languages
                .iter()
                .position(|l| l == code)
                .ok_or_else(|| bad(line, "a language the model does not list"))?;
            has_common_words |= 1 << index;
            for word in fields {
                let word: Vec<char> = word.chars().collect();
                *common_words.entry(ngram_key(&word)).or_default() |= 1 << index;
            }
        }
        let mut rows = HashMap::default();
        let mut log_probs = Vec::new();
        for (line, entry) in lines {
            let (gram, counts) = entry
                .split_once('\t')
                .ok_or_else(|| bad(line, "expected `NGRAM<TAB>CODE:COUNT ...`"))?;
            let gram: Vec<char> = gram.chars().collect();
            if gram.is_empty() || gram.len() > MAX_ORDER {
                return Err(bad(line, "an n-gram has 1 to 4 characters"));
            }
            let order = gram.len() - 1;
            let mut row = floors[order];
            for count in counts.split(' ') {
                let (code, count) = count
                    .split_once(':')
                    .ok_or_else(|| bad(line, "expected `CODE:COUNT`"))?;
                let index = languages
                    .iter()
                    .position(|l| l == code)
                    .ok_or_else(|| bad(line, "a language the model does not list"))?;
                let count: u64 = count.parse().map_err(|_| bad(line, "not a count"))?;
                row[index] =
                    quantize(((count + 1) as f64).ln() as f32 - denominators[index][order]);
            }
            if rows
                .insert(ngram_key(&gram), log_probs.len() as u32)
                .is_some()
            {
                return Err(bad(line, "an n-gram listed twice"));
            }
            log_probs.push(row);
        }
        Ok(NgramModel {
            languages,
            rows,
            log_probs,
            floors,
            typical_fits,
            common_words,
            has_common_words,
        })
    }

    /// The typical [fit](Scores::fit) of language `index`, if the model file gives it.
    pub fn typical_fit(&self, index: usize) -> Option<f32> {
        self.typical_fits.get(index).copied().flatten()
    }

    /// The share of `text`'s first `max_words` words that are common words of language
    /// `index`, and how many words that share is over; `None` when the model file lists no
    /// common words for the language.
    pub fn common_word_share(
        &self,
        text: &str,
        index: usize,
        max_words: usize,
    ) -> Option<(f32, usize)> {
        let bit = 1u16 << index;
        if self.has_common_words & bit == 0 {
            return None;
        }
        let mut common = 0usize;
        let mut seen = 0usize;
        let words = for_each_word(text, |word| {
            let bits = self.common_words.get(&ngram_key(word)).copied();
            common += usize::from(bits.is_some_and(|bits| bits & bit != 0));
            seen += 1;
            seen < max_words
        });
        Some((common as f32 / words.max(1) as f32, words))
    }

    /// The model's language codes, in score order.
    pub fn languages(&self) -> &[String] {
        &self.languages
    }

    /// Scores `text` under every language, stopping once one leads all others by
    /// `stop_margin` nats (checked after each word; `f32::INFINITY` reads the whole text).
    pub fn score(&self, text: &str, stop_margin: f32) -> Scores {
        let mut totals = [0i32; MAX_LANGUAGES];
        let mut ngrams = 0;
        let mut words = 0usize;
        let scores = |totals: &[i32; MAX_LANGUAGES], ngrams| Scores {
            log_probs: totals.map(|t| t as f32 / STEPS_PER_NAT),
            languages: self.languages.len(),
            ngrams,
        };
        for_each_ngram(text, |gram| {
            // Letters of other scripts (a Russian name in an English report) score the same
            // floor in every language: they cannot change the verdict, only drag down the
            // text's fit, as if the Latin words were foreign. They are left out.
            if gram.iter().any(|&c| !c.is_ascii() && !is_latin_letter(c)) {
                return true;
            }
            let row = match self.rows.get(&ngram_key(gram)) {
                Some(&row) => &self.log_probs[row as usize],
                None => &self.floors[gram.len() - 1],
            };
            for (total, &value) in totals.iter_mut().zip(row) {
                *total += i32::from(value);
            }
            ngrams += 1;
            // A word's last n-gram is its last letter with the closing boundary.
            if gram.len() == 2 && gram[1] == BOUNDARY {
                words += 1;
                if words.is_multiple_of(4) {
                    let lead = scores(&totals, ngrams).best().map(|(_, lead)| lead);
                    return lead.is_none_or(|lead| lead < stop_margin);
                }
            }
            true
        });
        scores(&totals, ngrams)
    }
}

impl PartialEq for NgramModel {
    fn eq(&self, other: &Self) -> bool {
        self.languages == other.languages
            && self.log_probs == other.log_probs
            && self.typical_fits == other.typical_fits
    }
}

/// `model_text` with a `typical` line giving each listed language's typical fit (in
/// hundredths of a nat, so the same fits always give the same bytes).
pub fn with_typical_fits(model_text: &str, fits: &[(String, f32)]) -> String {
    let mut line = String::from("typical");
    for (code, fit) in fits {
        line.push_str(&format!(" {code}:{fit:.2}"));
    }
    let mut out = String::with_capacity(model_text.len() + line.len() + 1);
    let mut inserted = false;
    for text_line in model_text.lines() {
        // The line goes right after the last `totals` line.
        if !inserted && !text_line.starts_with("totals ") && out.contains("\ntotals ") {
            out.push_str(&line);
            out.push('\n');
            inserted = true;
        }
        out.push_str(text_line);
        out.push('\n');
    }
    if !inserted {
        out.push_str(&line);
        out.push('\n');
    }
    out
}

/// True for letters of the Latin script and the boundary mark.
fn is_latin_letter(c: char) -> bool {
    c == BOUNDARY || crate::script::Script::of(c) == Some(crate::script::Script::Latin)
}

/// Passes the n-gram keys through: they are already well-mixed 64-bit hashes.
#[derive(Debug, Default, Clone, Copy)]
struct KeyHasher(u64);

impl Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.0 = (self.0 << 8) ^ u64::from(byte) ^ (self.0 >> 56);
        }
    }

    fn write_u64(&mut self, value: u64) {
        self.0 = value;
    }
}

/// Counts n-grams of training text per language and writes the model file.
#[derive(Debug, Default, Clone)]
pub struct NgramCounter {
    counts: BTreeMap<String, HashMap<String, u64>>,
    words: BTreeMap<String, HashMap<String, u64>>,
}

impl NgramCounter {
    /// An empty counter.
    pub fn new() -> Self {
        NgramCounter::default()
    }

    /// Counts the n-grams of `text` as language `lang`.
    pub fn add(&mut self, lang: &str, text: &str) {
        let counts = self.counts.entry(lang.to_string()).or_default();
        let mut gram_text = String::new();
        for_each_ngram(text, |gram| {
            gram_text.clear();
            gram_text.extend(gram);
            match counts.get_mut(gram_text.as_str()) {
                Some(count) => *count += 1,
                None => {
                    counts.insert(gram_text.clone(), 1);
                }
            }
            true
        });
        let words = self.words.entry(lang.to_string()).or_default();
        for_each_word(text, |word| {
            gram_text.clear();
            gram_text.extend(word);
            match words.get_mut(gram_text.as_str()) {
                Some(count) => *count += 1,
                None => {
                    words.insert(gram_text.clone(), 1);
                }
            }
            true
        });
    }

    /// The model file keeping each language's `keep` most frequent n-grams (ties by n-gram),
    /// with every language's count of each kept n-gram, and each language's
    /// [`COMMON_WORDS_PER_LANGUAGE`] most frequent words (ties by word). The same counts
    /// always give the same bytes.
    pub fn model_text(&self, keep: usize) -> String {
        let mut out = format!("{FORMAT_LINE}\nlanguages ");
        let codes: Vec<&str> = self.counts.keys().map(String::as_str).collect();
        out.push_str(&codes.join(" "));
        out.push('\n');
        let mut kept = BTreeSet::new();
        for (code, counts) in &self.counts {
            let mut totals = [(0u64, 0u64); MAX_ORDER];
            for (gram, count) in counts {
                let order = gram.chars().count() - 1;
                totals[order].0 += count;
                totals[order].1 += 1;
            }
            out.push_str(&format!("totals {code}"));
            for (order, (count, distinct)) in totals.iter().enumerate() {
                out.push_str(&format!(" {}:{count}:{distinct}", order + 1));
            }
            out.push('\n');
            let mut ranked: Vec<(&String, &u64)> = counts.iter().collect();
            ranked.sort_by(|a, b| b.1.cmp(a.1).then_with(|| a.0.cmp(b.0)));
            kept.extend(ranked.into_iter().take(keep).map(|(gram, _)| gram.as_str()));
        }
        for (code, words) in &self.words {
            let mut ranked: Vec<(&String, &u64)> = words.iter().collect();
            ranked.sort_by(|a, b| b.1.cmp(a.1).then_with(|| a.0.cmp(b.0)));
            out.push_str(&format!("common {code}"));
            for (word, _) in ranked.into_iter().take(COMMON_WORDS_PER_LANGUAGE) {
                out.push(' ');
                out.push_str(word);
            }
            out.push('\n');
        }
        for gram in kept {
            out.push_str(gram);
            out.push('\t');
            let mut first = true;
            for (code, counts) in &self.counts {
                if let Some(count) = counts.get(gram) {
                    if !first {
                        out.push(' ');
                    }
                    first = false;
                    out.push_str(&format!("{code}:{count}"));
                }
            }
            out.push('\n');
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toy_model() -> NgramModel {
        let mut counter = NgramCounter::new();
        counter.add("en", "the house is on the hill and the tree is there");
        counter.add("de", "das Haus ist auf dem Hügel und der Baum ist dort");
        NgramModel::parse(&counter.model_text(1000)).unwrap()
    }

    #[test]
    fn a_model_prefers_the_language_it_was_trained_on() {
        let model = toy_model();
        assert_eq!(model.languages(), ["de", "en"]);
        let (best, lead) = model
            .score("the tree is there", f32::INFINITY)
            .best()
            .unwrap();
        assert_eq!(model.languages()[best], "en");
        assert!(lead > 0.0);
        let (best, _) = model
            .score("das Haus und der Baum", f32::INFINITY)
            .best()
            .unwrap();
        assert_eq!(model.languages()[best], "de");
    }

    #[test]
    fn model_text_is_deterministic_and_round_trips() {
        let mut a = NgramCounter::new();
        let mut b = NgramCounter::new();
        for counter in [&mut a, &mut b] {
            counter.add("en", "one two three");
            counter.add("fr", "un deux trois");
        }
        assert_eq!(a.model_text(50), b.model_text(50));
        assert!(NgramModel::parse(&a.model_text(50)).is_ok());
    }

    #[test]
    fn scoring_stops_early_once_decided() {
        let model = toy_model();
        let long = "the house is on the hill and the tree is there ".repeat(50);
        let full = model.score(&long, f32::INFINITY);
        let early = model.score(&long, 5.0);
        assert!(early.ngrams < full.ngrams);
        assert_eq!(early.best().unwrap().0, full.best().unwrap().0);
    }

    #[test]
    fn typical_fits_are_read_back_and_a_foreign_text_fits_worse() {
        let mut counter = NgramCounter::new();
        counter.add("en", "the house is on the hill and the tree is there");
        counter.add("de", "das Haus ist auf dem Hügel und der Baum ist dort");
        let text = with_typical_fits(&counter.model_text(1000), &[("en".into(), -3.5)]);
        let model = NgramModel::parse(&text).unwrap();
        assert_eq!(model.typical_fit(1), Some(-3.5));
        assert_eq!(model.typical_fit(0), None);
        let own = model.score("the tree is on the hill", f32::INFINITY);
        let foreign = model.score("kivi on mäen päällä", f32::INFINITY);
        assert!(foreign.fit(1) < own.fit(1) - 1.0);
        // Words in another script neither count nor lower the fit.
        let mixed = model.score("the tree is on the hill Москва", f32::INFINITY);
        assert_eq!(mixed.fit(1), own.fit(1));
    }

    #[test]
    fn common_words_are_listed_and_counted() {
        let model = toy_model();
        let en = model.languages().iter().position(|l| l == "en").unwrap();
        let (share, words) = model
            .common_word_share("The TREE, the hill!", en, 100)
            .unwrap();
        assert_eq!((share, words), (1.0, 4));
        let (share, words) = model
            .common_word_share("kivi on mäen päällä", en, 100)
            .unwrap();
        assert_eq!(
            (share, words),
            (0.25, 4),
            "`on` is an English word of the toy text"
        );
        // Only the first words are read.
        let (_, words) = model
            .common_word_share(&"the ".repeat(500), en, 30)
            .unwrap();
        assert_eq!(words, 30);
        // A file without `common` lines has nothing to say.
        let text = toy_text_without_common_words();
        assert_eq!(
            NgramModel::parse(&text)
                .unwrap()
                .common_word_share("the", en, 9),
            None
        );
    }

    fn toy_text_without_common_words() -> String {
        let mut counter = NgramCounter::new();
        counter.add("en", "the house");
        counter.add("de", "das Haus");
        counter
            .model_text(10)
            .lines()
            .filter(|line| !line.starts_with("common "))
            .map(|line| format!("{line}\n"))
            .collect()
    }

    #[test]
    fn broken_files_are_refused_with_their_line() {
        assert_eq!(NgramModel::parse("hello"), Err(ModelError::Format));
        let text = format!("{FORMAT_LINE}\nlanguages en\ntotals en 1:1:1 2:1:1 3:1:1 4:1:1\nab\n");
        match NgramModel::parse(&text) {
            Err(ModelError::Line { line, .. }) => assert_eq!(line, 4),
            other => panic!("{other:?}"),
        }
    }
}
