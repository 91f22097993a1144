//! The models shipped with the crate, one per language, and the terms of their training data.
//!
//! Every model is embedded in the binary (so the default pipeline needs no file and no
//! download) as its compressed bytes; a model is decoded the first time a document in its
//! language arrives, once, and shared by all threads from then on. A process that only ever
//! sees English never spends memory on the German weights.
//!
//! Training data come under different terms, and a model learned from data licensed for
//! research only is not something every user may ship: [`DataTerms`] records which is which,
//! and the stage's `research_only_models` switch leaves such models out.

use std::sync::{Arc, OnceLock};

use crate::model::Model;

/// The terms of the data a model was trained on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DataTerms {
    /// Openly licensed data (CC BY-SA 4.0 for UniversalNER): the model may be used anywhere
    /// the licence's attribution and share-alike terms are kept.
    Open,
    /// Data licensed for research only or for non-commercial use (CoNLL-2002, CoNLL-2003,
    /// WikiNEuRal's CC BY-NC-SA 4.0): check that your use is allowed before you use the
    /// model.
    ResearchOnly,
}

/// A model embedded in the crate.
#[derive(Debug)]
pub struct ShippedModel {
    /// The language (ISO 639-1 primary subtag) the model is for.
    pub lang: &'static str,
    /// The data it was trained on, in a few words.
    pub training_data: &'static str,
    /// The terms of that data.
    pub terms: DataTerms,
    bytes: &'static [u8],
}

macro_rules! shipped {
    ($lang:literal, $file:literal, $terms:ident, $data:literal) => {
        ShippedModel {
            lang: $lang,
            training_data: $data,
            terms: DataTerms::$terms,
            bytes: include_bytes!(concat!("../model/", $file)),
        }
    };
}

/// Every shipped model, English first. The README's model card lists how each was trained
/// and scored.
pub static SHIPPED_MODELS: [ShippedModel; 13] = [
    shipped!(
        "en",
        "entities.model",
        ResearchOnly,
        "CoNLL-2003 English train (Reuters, research only) and UniversalNER English-EWT train"
    ),
    shipped!(
        "da",
        "entities-da.model",
        Open,
        "UniversalNER Danish-DDT train"
    ),
    shipped!(
        "de",
        "entities-de.model",
        ResearchOnly,
        "CoNLL-2003 German train (Frankfurter Rundschau, research only), GermEval 2014 dev and CoNLL-2002 Dutch train (research only)"
    ),
    shipped!(
        "es",
        "entities-es.model",
        ResearchOnly,
        "CoNLL-2002 Spanish train (EFE, research only)"
    ),
    shipped!(
        "fr",
        "entities-fr.model",
        ResearchOnly,
        "WikiNEuRal French validation split: silver annotation of Wikipedia, CC BY-NC-SA 4.0 (non-commercial)"
    ),
    shipped!(
        "hr",
        "entities-hr.model",
        Open,
        "UniversalNER Croatian-SET train"
    ),
    shipped!(
        "nl",
        "entities-nl.model",
        ResearchOnly,
        "CoNLL-2002 Dutch train (De Morgen, research only) and CoNLL-2003 English train (Reuters, research only)"
    ),
    shipped!(
        "pt",
        "entities-pt.model",
        Open,
        "UniversalNER Portuguese-Bosque train"
    ),
    shipped!(
        "ru",
        "entities-ru.model",
        ResearchOnly,
        "WikiNEuRal Russian validation split: silver annotation of Wikipedia, CC BY-NC-SA 4.0 (non-commercial)"
    ),
    shipped!(
        "sk",
        "entities-sk.model",
        Open,
        "UniversalNER Slovak-SNK train and dev, with UniversalNER Croatian-SET and Serbian-SET train"
    ),
    shipped!(
        "sr",
        "entities-sr.model",
        Open,
        "UniversalNER Serbian-SET train, with UniversalNER Croatian-SET train"
    ),
    shipped!(
        "sv",
        "entities-sv.model",
        Open,
        "UniversalNER Swedish-Talbanken train, with UniversalNER Danish-DDT and English-EWT train"
    ),
    shipped!(
        "zh",
        "entities-zh.model",
        Open,
        "UniversalNER Chinese-GSD train, tagged per character"
    ),
];

/// One decoded model per entry of [`SHIPPED_MODELS`], filled on first use.
static LOADED: [OnceLock<Arc<Model>>; SHIPPED_MODELS.len()] =
    [const { OnceLock::new() }; SHIPPED_MODELS.len()];

/// The shipped model for a primary language subtag (`de`, `zh`), if there is one.
///
/// ```
/// use textpipe_entities::languages::shipped_model;
/// assert!(shipped_model("en").is_some());
/// assert!(shipped_model("fi").is_none());
/// ```
pub fn shipped_model(lang: &str) -> Option<&'static ShippedModel> {
    SHIPPED_MODELS.iter().find(|m| m.lang == lang)
}

/// The languages that have a shipped model, in [`SHIPPED_MODELS`] order.
pub fn shipped_languages() -> impl Iterator<Item = &'static str> {
    SHIPPED_MODELS.iter().map(|m| m.lang)
}

impl ShippedModel {
    /// The decoded model: decoded on the first call in the process, shared afterwards.
    pub fn load(&'static self) -> Arc<Model> {
        let index = SHIPPED_MODELS
            .iter()
            .position(|m| std::ptr::eq(m, self))
            .expect("a ShippedModel only exists in SHIPPED_MODELS");
        LOADED[index]
            .get_or_init(|| {
                Arc::new(Model::from_bytes(self.bytes).unwrap_or_else(|e| {
                    panic!(
                        "the shipped {} model is checked by the tests: {e}",
                        self.lang
                    )
                }))
            })
            .clone()
    }

    /// The compressed size of the model in the binary, in bytes.
    pub fn compressed_size(&self) -> usize {
        self.bytes.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shipped_model_decodes_once_and_is_shared() {
        for shipped in &SHIPPED_MODELS {
            let first = shipped.load();
            assert!(Arc::ptr_eq(&first, &shipped.load()), "{}", shipped.lang);
            assert!(first.bucket_bits() > 0);
        }
    }

    /// A shipped model written back gives its file's bytes (before compression): how the
    /// model is held in memory loses nothing the file says.
    #[test]
    fn every_shipped_model_writes_back_its_own_file() {
        use std::io::Read;
        for shipped in &SHIPPED_MODELS {
            let mut file = Vec::new();
            flate2::read::DeflateDecoder::new(shipped.bytes)
                .read_to_end(&mut file)
                .unwrap();
            assert!(shipped.load().raw_bytes() == file, "{}", shipped.lang);
        }
    }

    #[test]
    fn languages_are_unique_primary_subtags() {
        let mut langs: Vec<&str> = shipped_languages().collect();
        assert!(langs
            .iter()
            .all(|l| l.len() == 2 && l.chars().all(|c| c.is_ascii_lowercase())));
        langs.sort_unstable();
        langs.dedup();
        assert_eq!(langs.len(), SHIPPED_MODELS.len());
    }

    #[test]
    fn all_models_together_stay_under_40_mb() {
        let total: usize = SHIPPED_MODELS.iter().map(|m| m.compressed_size()).sum();
        assert!(total <= 40_000_000, "{total} bytes");
    }
}
