//! Language identification: which language a document is written in, with a confidence,
//! checked against the language the input declares.
//!
//! textpipe's stages with per-language models (sentence rules, entity models, stop words) need
//! the document's language before they run, and a wrong language is worse than none: a stage
//! given `und` or a language it has no model for leaves its layer out and says so (see
//! `textpipe_core::language_gate`), but a stage given the wrong language produces garbage. So
//! this crate is built for documents first and for being right on them, then for speed.
//!
//! ## How a text is identified
//!
//! 1. **Script census** ([`script`]): the letters are counted by writing system. Syllabic and
//!    logographic letters (Han, kana, Hangul) weigh three, since each carries about a word.
//!    Fewer than [`MIN_LETTERS`] weighted letters and the text is [`UNDETERMINED`] (`und`).
//! 2. **Scripts that decide the language** ([`script::Script::sole_language`]): Greek, Hangul,
//!    Hebrew, Thai, the Indic scripts and a few more map to their language directly.
//! 3. **Letter rules** ([`alphabets`]): Cyrillic languages (Russian, Ukrainian, Belarusian,
//!    Bulgarian, Macedonian, Serbian) and Arabic-script languages (Arabic, Persian, Urdu) by
//!    the letters only one of them writes; Japanese by its kana; Chinese as `zh-Hans` or
//!    `zh-Hant` by which forms of common characters it uses. These are written from the
//!    alphabets, not trained, because the shared data has no text for most of them.
//! 4. **Character n-gram model** ([`model`]) for the Latin alphabet: naive Bayes over 1- to
//!    4-grams of words padded with a boundary mark, trained on the shared data for 15
//!    languages (en de fr es it pt nl pl cs sv da tr hr sr sk; Serbian is tagged `sr-Latn`).
//!    It stops reading once one language leads by [`STOP_MARGIN`] nats, and never reads past
//!    [`MAX_SAMPLE_BYTES`], so a document costs about the same whatever its length.
//! 5. **Languages the model does not know** ([`FOREIGN_FIT_GAP`]): a Latin-script text that
//!    fits even its best language far worse than that language's own text does (a Finnish,
//!    Hungarian or Romanian paragraph) is [`UNDETERMINED`] rather than a confident wrong
//!    guess, so the stages after this one skip it and say so.
//!
//! Why our own model and not a crate: measured on the same dev documents and sentences,
//! whatlang, whichlang and lingua were each either too slow for the 50 MB/s bar on documents
//! (whatlang reads the whole text; lingua's high-accuracy mode is orders of magnitude slower),
//! missing languages textpipe needs (whichlang has no Polish, Czech, Danish, Croatian, Serbian
//! or Slovak), or unable to tell Serbian from Croatian (whatlang and lingua have no Latin-script
//! Serbian). The crate README has the table and the commands.
//!
//! ## Declared languages
//!
//! An input often says its language: a `lang` field, `meta.lang`, `<html lang>` (or the
//! `meta.language` boilerplate removal records from it). The [`LanguageStage`] reads the
//! first of those, normalizes it ([`normalize_tag`]: `en-US` → `en`, `zh-TW` → `zh-Hant`,
//! `deu` → `de`), and keeps it unless the text clearly says otherwise: at least
//! [`OVERRIDE_MIN_LETTERS`] letters identified with at least `override_confidence` as a
//! language that is neither the declared one nor a close neighbour (Croatian and Serbian,
//! Danish and Norwegian, Indonesian and Malay), and the declared language is one the
//! identifier knows. Then the identified language wins and a warning in `meta.warnings`
//! says so. Pages mislabelled by a template's `lang="en"` are common; a caption too short to
//! judge is not evidence against its page.
//!
//! ```
//! use textpipe_core::{Document, Stage};
//! use textpipe_language::LanguageStage;
//!
//! let stage = LanguageStage::default();
//! let mut doc = Document::new("1", "Apple hired Tim Cook in Cupertino.");
//! stage.process(&mut doc).unwrap();
//! assert_eq!(doc.lang.as_deref(), Some("en"));
//! assert!(doc.meta["lang_confidence"].as_f64().unwrap() > 0.5);
//! ```
#![deny(missing_docs)]

pub mod alphabets;
pub mod corpus;
mod html;
mod identify;
pub mod model;
pub mod ngrams;
pub mod script;
mod stage;
mod tags;
pub mod training;

pub use html::{html_declared_language, visible_text};
pub use identify::{
    Identification, LanguageIdentifier, COMMON_WORD_SAMPLE, DOUBTFUL_FIT_GAP, FIT_NOISE,
    FOREIGN_FIT_GAP, MAX_SAMPLE_BYTES, MIN_COMMON_WORD_SAMPLE, MIN_COMMON_WORD_SHARE, MIN_LETTERS,
    SHIPPED_MODEL, STOP_MARGIN, UNCOMMON_FIT_GAP, UNDETERMINED,
};
pub use stage::{
    DeclaredPolicy, LanguageConfig, LanguageFactory, LanguageStage, KIND, OVERRIDE_MIN_LETTERS,
};
pub use tags::{are_close_languages, normalize_tag, primary_subtag_matches};
