//! Latin-script languages the n-gram model has no data for must not be passed off as one it
//! has: a Finnish paragraph taken for Swedish would send Swedish entity and sentence models
//! over Finnish text. The paragraphs are in `tests/data/unmodelled_languages.tsv`.

use textpipe_language::{LanguageIdentifier, UNDETERMINED};

/// Paragraphs the identifier still passes off as a modelled language (see the data file).
const KNOWN_MISSES: &[&str] = &["af", "az", "eo", "ha"];

fn paragraphs() -> Vec<(&'static str, &'static str)> {
    include_str!("data/unmodelled_languages.tsv")
        .lines()
        .filter(|line| !line.starts_with('#') && !line.trim().is_empty())
        .map(|line| line.split_once('\t').expect("language<TAB>text"))
        .collect()
}

#[test]
fn paragraphs_in_unmodelled_languages_are_undetermined() {
    let identifier = LanguageIdentifier::new();
    let modelled = identifier.languages();
    let mut wrong = Vec::new();
    for (lang, text) in paragraphs() {
        let found = identifier.identify(text);
        let passed_off = found.lang != UNDETERMINED && modelled.contains(&found.lang);
        if passed_off != KNOWN_MISSES.contains(&lang) {
            wrong.push(format!("{lang}: {} ({:.2})", found.lang, found.confidence));
        }
    }
    assert!(paragraphs().len() >= 34);
    assert!(wrong.is_empty(), "{wrong:#?}");
}

#[test]
fn modelled_languages_written_the_same_way_are_still_identified() {
    // The same budget story in modelled languages: refusing foreign text must not cost
    // these.
    let cases = [
        ("sv", "Stadsfullmäktige i Stockholm godkände på onsdagen nästa års budget, som ger mer pengar till skolor och sjukhus. Borgmästaren sade att beslutet var svårt men nödvändigt."),
        ("it", "Il consiglio comunale di Roma ha approvato mercoledì il bilancio del prossimo anno, che prevede più fondi per scuole e ospedali. Il sindaco ha detto che la decisione è stata difficile ma necessaria."),
        ("en", "The city council approved next year's budget on Wednesday, giving more money to schools and hospitals. The mayor said the decision was hard but necessary."),
        ("hr", "Gradsko vijeće Zagreba u srijedu je usvojilo proračun za sljedeću godinu, koji predviđa više novca za škole i bolnice. Gradonačelnik je rekao da je odluka bila teška, ali nužna."),
    ];
    let identifier = LanguageIdentifier::new();
    for (lang, text) in cases {
        assert_eq!(identifier.identify(text).lang, lang, "{text}");
    }
}
