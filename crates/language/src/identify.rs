//! [`LanguageIdentifier`]: from a text to a language tag and a confidence.

use std::sync::LazyLock;

use crate::alphabets::{arabic_script_language, cyrillic_language, han_language};
use crate::model::{NgramModel, Scores};
use crate::script::{Script, ScriptCensus};

/// The tag of a text whose language cannot be told (BCP 47's "undetermined"): no letters,
/// or fewer than [`MIN_LETTERS`]. Stages with per-language models treat it as a language
/// they have no model for.
pub const UNDETERMINED: &str = "und";

/// Fewer (weighted) letters than this and a text is [`UNDETERMINED`]: "OK", "12:30", "→".
/// Anything longer gets the best guess with its confidence, because a wrong `und` costs
/// more than a guess: every stage with per-language models skips an `und` document, so a
/// short English headline must still come out `en`.
pub const MIN_LETTERS: usize = 4;

/// How far ahead (in nats) the leading language must be before the n-gram model stops
/// reading: far beyond any doubt (e^-60), yet reached within a few sentences of ordinary
/// prose, which is what makes identification fast on long documents.
pub const STOP_MARGIN: f32 = 60.0;

/// How far (in nats per n-gram) a text's fit may fall below the winning language's typical
/// fit before the text is taken for a language the model does not know: beyond every dev
/// document of 200+ characters of every modelled language (the worst, an English list of
/// names, is 1.06 below), short of most unmodelled languages (Finnish 1.9 under Swedish,
/// Romanian 1.44 under Italian; Indonesian and Tagalog, at 1.3 under English, pass it and
/// are caught by their words, see [`UNCOMMON_FIT_GAP`]).
pub const FOREIGN_FIT_GAP: f32 = 1.2;

/// A text whose fit falls this far (in nats per n-gram) below its language's typical fit, not
/// far enough to be refused for that alone, is refused when it also lacks the language's
/// common words (fewer than [`MIN_COMMON_WORD_SHARE`] of its first [`COMMON_WORD_SAMPLE`]
/// words, over at least [`MIN_COMMON_WORD_SAMPLE`]). Two independent tells: spelling close to
/// a language's (the fit) but not its words. Indonesian and Tagalog spell much like English
/// (1.37 and 1.31 below its typical fit) yet use almost none of its common words.
pub const UNCOMMON_FIT_GAP: f32 = 0.6;

/// Scoring stops once a language leads by [`STOP_MARGIN`], often after a dozen words; a text
/// whose start fits its leader worse than typical by this much beyond the noise allowance
/// (`FIT_NOISE / sqrt(n-grams)`) is scored whole before it is judged, since its early leader
/// may not be its best language. About 3% of dev documents are read whole for it.
pub const DOUBTFUL_FIT_GAP: f32 = 0.4;

/// See [`UNCOMMON_FIT_GAP`]. Every dev document of 200+ characters of every modelled
/// language has at least 13% common words of its language (Turkish, whose words carry their
/// endings, is the lowest), and no dev sentence of 20+ words has under 10%.
pub const MIN_COMMON_WORD_SHARE: f32 = 0.1;

/// Fewer words than this say too little about common words (a list of names, a headline):
/// see [`UNCOMMON_FIT_GAP`].
pub const MIN_COMMON_WORD_SAMPLE: usize = 20;

/// How many words of a text the common-word check reads.
pub const COMMON_WORD_SAMPLE: usize = 200;

/// Added to [`FOREIGN_FIT_GAP`] as `FIT_NOISE / sqrt(n-grams)`: the fit of a short text
/// varies more, and a short text in a known language must not be refused for it.
pub const FIT_NOISE: f32 = 6.0;

/// The most of a text that is read, in bytes: the language of a page is settled well before
/// this, and the bound keeps the cost of a huge document flat. Mixed-language documents are
/// judged by their beginning.
pub const MAX_SAMPLE_BYTES: usize = 16 * 1024;

/// The shipped model of the Latin-script languages (rebuilt by the `train_language` example).
pub const SHIPPED_MODEL: &str = include_str!("../model/latin.ngrams");

static SHIPPED: LazyLock<NgramModel> =
    LazyLock::new(|| NgramModel::parse(SHIPPED_MODEL).expect("the shipped model parses"));

/// What [`LanguageIdentifier::identify`] found.
#[derive(Debug, Clone, PartialEq)]
pub struct Identification {
    /// The language tag (`en`, `sr-Latn`, `zh-Hant`), or [`UNDETERMINED`].
    pub lang: String,
    /// How sure, from 0 to 1: for the n-gram model, the odds of the best language against
    /// the runner-up, tempered; for the letter rules, how plentiful the deciding letters were.
    pub confidence: f32,
    /// The dominant script, when the text has letters.
    pub script: Option<Script>,
    /// Letters counted (syllabic and logographic letters weighted, see [`Script::weight`]).
    pub letters: usize,
}

/// Identifies the language of texts: the script first, then letter rules or the n-gram model.
#[derive(Debug, Clone)]
pub struct LanguageIdentifier {
    model: &'static NgramModel,
    stop_margin: f32,
}

impl Default for LanguageIdentifier {
    fn default() -> Self {
        LanguageIdentifier::new()
    }
}

impl LanguageIdentifier {
    /// The identifier with the shipped model.
    pub fn new() -> Self {
        LanguageIdentifier {
            model: &SHIPPED,
            stop_margin: STOP_MARGIN,
        }
    }

    /// An identifier with another n-gram model (for evaluation on held-out folds).
    /// The model lives for the rest of the process.
    pub fn with_model(model: NgramModel) -> Self {
        LanguageIdentifier {
            model: Box::leak(Box::new(model)),
            stop_margin: STOP_MARGIN,
        }
    }

    /// Reads the whole text instead of stopping once the language is settled.
    pub fn reading_everything(mut self) -> Self {
        self.stop_margin = f32::INFINITY;
        self
    }

    /// Every tag this identifier can return, [`UNDETERMINED`] aside.
    pub fn languages(&self) -> Vec<String> {
        let mut tags: Vec<String> = self
            .model
            .languages()
            .iter()
            .map(|code| latin_tag(code).to_string())
            .collect();
        let letter_rules = [
            "ru", "uk", "be", "bg", "mk", "sr-Cyrl", "ar", "fa", "ur", "ja", "zh-Hans", "zh-Hant",
        ];
        tags.extend(letter_rules.iter().map(|t| t.to_string()));
        tags.extend(
            Script::ALL
                .iter()
                .filter_map(|s| s.sole_language())
                .map(str::to_string),
        );
        tags.sort();
        tags.dedup();
        tags
    }

    /// The language of `text`.
    ///
    /// ```
    /// use textpipe_language::LanguageIdentifier;
    ///
    /// let found = LanguageIdentifier::new().identify("Apple hired Tim Cook in Cupertino.");
    /// assert_eq!(found.lang, "en");
    /// assert_eq!(LanguageIdentifier::new().identify("12:30 !").lang, "und");
    /// ```
    pub fn identify(&self, text: &str) -> Identification {
        let text = sample(text);
        let census = ScriptCensus::of(text);
        let letters = census.weighted_letters();
        let undetermined = Identification {
            lang: UNDETERMINED.to_string(),
            confidence: 0.0,
            script: None,
            letters,
        };
        let Some((script, share)) = census.dominant() else {
            return undetermined;
        };
        if letters < MIN_LETTERS {
            return Identification {
                script: Some(script),
                ..undetermined
            };
        }
        let (lang, confidence) = match script {
            Script::Latin => {
                let mut scores = self.model.score(text, self.stop_margin);
                let Some(mut verdict) = scores.best() else {
                    return undetermined;
                };
                // Reading everything, the scores are the whole text's already.
                let mut whole = !self.stop_margin.is_finite();
                if !whole && self.fits_doubtfully(&scores, verdict.0) {
                    // A doubtful start is judged on the whole text, by its own best language:
                    // a Swahili paragraph leans Turkish for its first words and English over
                    // all of them. Ordinary text is settled on its start, and never refused.
                    scores = self.model.score(text, f32::INFINITY);
                    let Some(best) = scores.best() else {
                        return undetermined;
                    };
                    verdict = best;
                    whole = true;
                }
                if whole && self.is_foreign(text, &scores, verdict.0) {
                    return Identification {
                        script: Some(script),
                        ..undetermined
                    };
                }
                let (best, lead) = verdict;
                (
                    latin_tag(&self.model.languages()[best]).to_string(),
                    odds_confidence(lead),
                )
            }
            Script::Cyrillic => verdict(cyrillic_language(text)),
            Script::Arabic => verdict(arabic_script_language(text)),
            Script::Han | Script::Kana => verdict(han_language(text, &census)),
            other => match other.sole_language() {
                Some(lang) => (lang.to_string(), 1.0),
                None => {
                    return Identification {
                        script: Some(script),
                        ..undetermined
                    }
                }
            },
        };
        Identification {
            lang,
            // Letters of other scripts (a Latin brand name in Chinese text) lower it a little.
            confidence: confidence * share.max(0.5),
            script: Some(script),
            letters,
        }
    }
}

impl LanguageIdentifier {
    /// How far (in nats per n-gram) `scores` fall below language `best`'s typical fit, when
    /// the model knows that.
    fn fit_gap(&self, scores: &Scores, best: usize) -> Option<f32> {
        Some(self.model.typical_fit(best)? - scores.fit(best))
    }

    /// True when the start of a text fits language `best` loosely enough, beyond the noise
    /// of a short read, to be read whole before it is judged (see [`DOUBTFUL_FIT_GAP`]).
    fn fits_doubtfully(&self, scores: &Scores, best: usize) -> bool {
        let noise = FIT_NOISE / (scores.ngrams.max(1) as f32).sqrt();
        self.fit_gap(scores, best)
            .is_some_and(|gap| gap - noise > DOUBTFUL_FIT_GAP)
    }

    /// True when the text fits its best language too badly to be in it (see
    /// [`FOREIGN_FIT_GAP`]), or fits it loosely and lacks its common words (see
    /// [`UNCOMMON_FIT_GAP`]).
    fn is_foreign(&self, text: &str, scores: &Scores, best: usize) -> bool {
        let Some(gap) = self.fit_gap(scores, best) else {
            return false;
        };
        let allowed = FOREIGN_FIT_GAP + FIT_NOISE / (scores.ngrams.max(1) as f32).sqrt();
        // Common words are only read for a text that fits loosely: ordinary text never pays.
        gap > allowed
            || (gap > UNCOMMON_FIT_GAP
                && self
                    .model
                    .common_word_share(text, best, COMMON_WORD_SAMPLE)
                    .is_some_and(|(share, words)| {
                        words >= MIN_COMMON_WORD_SAMPLE && share < MIN_COMMON_WORD_SHARE
                    }))
    }
}

/// The first [`MAX_SAMPLE_BYTES`] of `text`, cut back to a char boundary.
fn sample(text: &str) -> &str {
    if text.len() <= MAX_SAMPLE_BYTES {
        return text;
    }
    let mut end = MAX_SAMPLE_BYTES;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

fn verdict(verdict: crate::alphabets::LetterVerdict) -> (String, f32) {
    (verdict.lang.to_string(), verdict.confidence)
}

/// The tag of a model language: Serbian in Latin letters says so, as Serbian is written in
/// both alphabets.
fn latin_tag(code: &str) -> &str {
    match code {
        "sr" => "sr-Latn",
        other => other,
    }
}

/// The probability of the best language against the runner-up when it leads by `lead` nats,
/// with the lead halved: naive Bayes adds up overlapping n-grams as if independent, so its
/// raw odds are overconfident.
fn odds_confidence(lead: f32) -> f32 {
    1.0 / (1.0 + (-lead / 2.0).exp())
}
