//! Language tags as textpipe writes them: an ISO 639-1 code, with a script subtag where the
//! script matters (`zh-Hans`, `sr-Latn`), and how tags from the outside are read into that form.

use textpipe_core::primary_language;

/// Reads a declared language tag (`en-US`, `EN`, `deu`, `zh-TW`, `sr_Latn`) into textpipe's
/// form: the ISO 639-1 primary subtag (three-letter codes of the languages textpipe knows are
/// mapped to it), then the script subtag in title case when there is one. A region says the
/// script of Chinese (`zh-TW` is `zh-Hant`) and is otherwise dropped. Returns `None` for tags
/// that name no language (`und`, `mul`, `x-klingon`, empty, not letters).
///
/// ```
/// use textpipe_language::normalize_tag;
///
/// assert_eq!(normalize_tag("en-US").as_deref(), Some("en"));
/// assert_eq!(normalize_tag("zh-TW").as_deref(), Some("zh-Hant"));
/// assert_eq!(normalize_tag("sr_latn").as_deref(), Some("sr-Latn"));
/// assert_eq!(normalize_tag("deu").as_deref(), Some("de"));
/// assert_eq!(normalize_tag("und"), None);
/// ```
pub fn normalize_tag(raw: &str) -> Option<String> {
    let mut subtags = raw.trim().split(['-', '_']);
    let primary = subtags.next()?.to_ascii_lowercase();
    if !primary.bytes().all(|b| b.is_ascii_lowercase()) {
        return None;
    }
    let primary = match primary.len() {
        2 => primary,
        3 => iso_639_1(&primary)?.to_string(),
        _ => return None,
    };
    let mut script = None;
    let mut region = None;
    for subtag in subtags {
        if subtag.len() == 4 && subtag.bytes().all(|b| b.is_ascii_alphabetic()) && script.is_none()
        {
            let mut title = subtag[..1].to_ascii_uppercase();
            title.push_str(&subtag[1..].to_ascii_lowercase());
            script = Some(title);
        } else if region.is_none() && (subtag.len() == 2 || subtag.len() == 3) {
            region = Some(subtag.to_ascii_uppercase());
        }
    }
    if primary == "zh" && script.is_none() {
        script = match region.as_deref() {
            Some("TW" | "HK" | "MO") => Some("Hant".to_string()),
            Some("CN" | "SG" | "MY") => Some("Hans".to_string()),
            _ => None,
        };
    }
    Some(match script {
        Some(script) => format!("{primary}-{script}"),
        None => primary,
    })
}

/// The ISO 639-1 code of an ISO 639-2 (bibliographic or terminological) or 639-3 code, for
/// the languages textpipe identifies.
fn iso_639_1(code: &str) -> Option<&'static str> {
    Some(match code {
        "eng" => "en",
        "deu" | "ger" => "de",
        "fra" | "fre" => "fr",
        "spa" => "es",
        "ita" => "it",
        "por" => "pt",
        "nld" | "dut" => "nl",
        "pol" => "pl",
        "rus" => "ru",
        "ces" | "cze" => "cs",
        "swe" => "sv",
        "dan" => "da",
        "tur" => "tr",
        "ara" => "ar",
        "zho" | "chi" | "cmn" => "zh",
        "jpn" => "ja",
        "hrv" => "hr",
        "srp" => "sr",
        "slk" | "slo" => "sk",
        "ukr" => "uk",
        "bel" => "be",
        "bul" => "bg",
        "mkd" | "mac" => "mk",
        "fas" | "per" | "pes" => "fa",
        "urd" => "ur",
        "kor" => "ko",
        "ell" | "gre" => "el",
        "heb" => "he",
        "hin" => "hi",
        "tha" => "th",
        _ => return None,
    })
}

/// Whether an identified tag is right for a gold tag: the same primary language, and the same
/// script when the gold tag names one.
pub fn primary_subtag_matches(found: &str, gold: &str) -> bool {
    if primary_language(found) != primary_language(gold) {
        return false;
    }
    match gold.split_once('-') {
        Some((_, script)) => found.split_once('-').is_some_and(|(_, s)| s == script),
        None => true,
    }
}

/// Languages so close that the text of one often reads as the other, where a declared
/// language is kept even when identification prefers its neighbour.
pub fn are_close_languages(a: &str, b: &str) -> bool {
    const GROUPS: &[&[&str]] = &[
        &["hr", "sr", "bs", "me", "sh"],
        &["da", "no", "nb", "nn"],
        &["id", "ms"],
    ];
    let (a, b) = (primary_language(a), primary_language(b));
    GROUPS
        .iter()
        .any(|group| group.contains(&a.as_str()) && group.contains(&b.as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_are_normalized() {
        assert_eq!(normalize_tag(" FR ").as_deref(), Some("fr"));
        assert_eq!(normalize_tag("pt-BR").as_deref(), Some("pt"));
        assert_eq!(normalize_tag("zh-Hans-CN").as_deref(), Some("zh-Hans"));
        assert_eq!(normalize_tag("zh-HK").as_deref(), Some("zh-Hant"));
        assert_eq!(normalize_tag("zh").as_deref(), Some("zh"));
        assert_eq!(normalize_tag("sr-Cyrl-RS").as_deref(), Some("sr-Cyrl"));
        assert_eq!(normalize_tag("ger").as_deref(), Some("de"));
        for bad in ["", "und", "mul", "x-klingon", "english", "e1", "12"] {
            assert_eq!(normalize_tag(bad), None, "{bad}");
        }
    }

    #[test]
    fn matching_compares_the_language_and_the_gold_script() {
        assert!(primary_subtag_matches("sr-Latn", "sr"));
        assert!(primary_subtag_matches("sr-Cyrl", "sr-Cyrl"));
        assert!(!primary_subtag_matches("sr-Latn", "sr-Cyrl"));
        assert!(!primary_subtag_matches("hr", "sr"));
        assert!(primary_subtag_matches("zh-Hant", "zh"));
    }

    #[test]
    fn close_languages_are_symmetric_groups() {
        assert!(are_close_languages("hr", "sr-Latn"));
        assert!(are_close_languages("nb", "da"));
        assert!(!are_close_languages("cs", "sk"));
        assert!(!are_close_languages("en", "en-GB") || primary_language("en") == "en");
    }
}
