//! Rule-based labels a pipeline can switch on: `DATE`, `TIME`, `MONEY`, `PERCENT`,
//! `QUANTITY`, `EMAIL`, `URL`.
//!
//! These are closed, regular forms where a few patterns beat a statistical model trained on
//! data that does not annotate them. Each rule is a regular expression; earlier rules win
//! overlaps (money before quantity, so `£5m` is money and `5m` alone a quantity).
//!
//! Dates and amounts are written differently in every language ("3. Oktober 2024",
//! "12,5 Mio. €", "3 de octubre de 2024"), so the rules are compiled per [`RuleLanguage`];
//! in a language they do not read, only e-mail addresses and URLs are labelled.

use regex::Regex;
use textpipe_core::Span;

/// A rule-based label.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RuleLabel {
    /// Calendar dates, weekdays, months with years.
    Date,
    /// Clock times.
    Time,
    /// Amounts of money.
    Money,
    /// Percentages.
    Percent,
    /// Measured amounts with a unit.
    Quantity,
    /// E-mail addresses.
    Email,
    /// Web addresses.
    Url,
}

impl RuleLabel {
    /// All rule labels, in the order they claim text.
    pub const ALL: [RuleLabel; 7] = [
        RuleLabel::Email,
        RuleLabel::Url,
        RuleLabel::Money,
        RuleLabel::Percent,
        RuleLabel::Time,
        RuleLabel::Date,
        RuleLabel::Quantity,
    ];

    /// The label's name in entity layers and configs.
    pub const fn name(self) -> &'static str {
        match self {
            RuleLabel::Date => "DATE",
            RuleLabel::Time => "TIME",
            RuleLabel::Money => "MONEY",
            RuleLabel::Percent => "PERCENT",
            RuleLabel::Quantity => "QUANTITY",
            RuleLabel::Email => "EMAIL",
            RuleLabel::Url => "URL",
        }
    }

    /// Parses a label name.
    pub fn from_name(name: &str) -> Option<RuleLabel> {
        RuleLabel::ALL.into_iter().find(|l| l.name() == name)
    }

    /// True for labels whose forms do not depend on the language (addresses).
    pub const fn is_language_free(self) -> bool {
        matches!(self, RuleLabel::Email | RuleLabel::Url)
    }

    fn pattern(self, lang: RuleLanguage) -> String {
        if let Some(pattern) = self.language_free_pattern() {
            return pattern.to_string();
        }
        let words = lang.words();
        let RuleWords {
            months,
            weekdays,
            number,
            scale,
            currency,
            units,
            ..
        } = words;
        let alternatives: Vec<String> = match (self, lang) {
            (RuleLabel::Money, _) => vec![
                format!(r"(?:US|A|C|HK)?[$€£¥]\s?{number}{scale}"),
                format!(r"\b{number}{scale}\s?{}(?:{currency})", words.currency_link),
            ],
            (RuleLabel::Percent, _) => vec![format!(r"\b{number}\s?(?:%|{}\b)", words.percent)],
            (RuleLabel::Quantity, _) => vec![format!(r"\b{number}\s?(?:{units})\b")],
            (RuleLabel::Time, RuleLanguage::English) => vec![
                r"\b(?:[01]?\d|2[0-3]):[0-5]\d(?:\s?[ap]\.m\.|\s?[ap]m\b)?".into(),
                r"\b(?:1[0-2]|0?[1-9])\s?(?:[ap]\.m\.|[ap]m\b)".into(),
            ],
            (RuleLabel::Time, RuleLanguage::German) => vec![
                r"\b(?:[01]?\d|2[0-3])(?:[:.][0-5]\d)?\s?Uhr\b".into(),
                r"\b(?:[01]?\d|2[0-3]):[0-5]\d\b".into(),
            ],
            (RuleLabel::Time, RuleLanguage::French) => vec![
                r"\b(?:[01]?\d|2[0-3])\s?h(?:\s?[0-5]\d)?\b".into(),
                r"\b(?:[01]?\d|2[0-3]):[0-5]\d\b".into(),
            ],
            (RuleLabel::Time, RuleLanguage::Spanish) => vec![
                r"\b(?:[01]?\d|2[0-3]):[0-5]\d(?:\s?(?:h|horas)\b)?".into(),
                r"\b(?:[01]?\d|2[0-3])\s?horas\b".into(),
            ],
            (RuleLabel::Date, RuleLanguage::English) => vec![
                format!(r"\b{months}\.?\s\d{{1,2}}(?:st|nd|rd|th)?\b(?:,?\s\d{{4}}\b)?"),
                format!(r"\b\d{{1,2}}(?:st|nd|rd|th)?\s(?:of\s)?{months}\b(?:,?\s\d{{4}}\b)?"),
                format!(r"\b{months}\s\d{{4}}\b"),
                r"\b\d{4}-\d{2}-\d{2}\b".into(),
                r"\b\d{1,2}/\d{1,2}/\d{2,4}\b".into(),
                format!(r"\b{weekdays}\b"),
            ],
            // "3. Oktober 2024", "3. Okt.", "Oktober 2024", "03.10.2024", "Montag".
            (RuleLabel::Date, RuleLanguage::German) => vec![
                format!(r"\b\d{{1,2}}\.\s?{months}(?:\s\d{{4}}\b)?"),
                format!(r"\b{months}\s\d{{4}}\b"),
                r"\b\d{4}-\d{2}-\d{2}\b".into(),
                r"\b\d{1,2}\.\d{1,2}\.(?:\d{4}|\d{2})\b".into(),
                format!(r"\b{weekdays}\b"),
            ],
            // "3 octobre 2024", "1er janvier", "octobre 2024", "03/10/2024", "lundi".
            (RuleLabel::Date, RuleLanguage::French) => vec![
                format!(r"\b\d{{1,2}}(?:er)?\s{months}(?:\s\d{{4}}\b)?"),
                format!(r"\b{months}\s\d{{4}}\b"),
                r"\b\d{4}-\d{2}-\d{2}\b".into(),
                r"\b\d{1,2}/\d{1,2}/\d{2,4}\b".into(),
                format!(r"\b{weekdays}\b"),
            ],
            // "3 de octubre de 2024", "octubre de 2024", "3/10/2024", "lunes".
            (RuleLabel::Date, RuleLanguage::Spanish) => vec![
                format!(r"\b\d{{1,2}}\s(?:de\s)?{months}(?:\s(?:de\s|del\s)?\d{{4}}\b)?"),
                format!(r"\b{months}\s(?:de\s|del\s)?\d{{4}}\b"),
                r"\b\d{4}-\d{2}-\d{2}\b".into(),
                r"\b\d{1,2}/\d{1,2}/\d{2,4}\b".into(),
                format!(r"\b{weekdays}\b"),
            ],
            (RuleLabel::Email | RuleLabel::Url, _) => unreachable!("language-free, above"),
        };
        alternatives.join("|")
    }

    fn language_free_pattern(self) -> Option<&'static str> {
        match self {
            RuleLabel::Email => Some(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b"),
            RuleLabel::Url => Some(r#"\b(?:https?://|www\.)[^\s<>"]*[^\s<>".,;:!?)'\]]"#),
            _ => None,
        }
    }
}

/// A language whose dates, times and amounts the rules read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RuleLanguage {
    /// `March 3, 2024`, `$5m`, `10:30 a.m.`
    English,
    /// `3. Oktober 2024`, `12,5 Mio. €`, `14.30 Uhr`
    German,
    /// `3 octobre 2024`, `12,5 millions d'euros`, `14 h 30`
    French,
    /// `3 de octubre de 2024`, `12,5 millones de euros`, `14:30 horas`
    Spanish,
}

impl RuleLanguage {
    /// Every language the rules read.
    pub const ALL: [RuleLanguage; 4] = [
        RuleLanguage::English,
        RuleLanguage::German,
        RuleLanguage::French,
        RuleLanguage::Spanish,
    ];

    /// The language of a primary subtag (`de`), if the rules read it.
    pub fn from_code(lang: &str) -> Option<RuleLanguage> {
        match lang {
            "en" => Some(RuleLanguage::English),
            "de" => Some(RuleLanguage::German),
            "fr" => Some(RuleLanguage::French),
            "es" => Some(RuleLanguage::Spanish),
            _ => None,
        }
    }

    /// The primary subtag.
    pub const fn code(self) -> &'static str {
        match self {
            RuleLanguage::English => "en",
            RuleLanguage::German => "de",
            RuleLanguage::French => "fr",
            RuleLanguage::Spanish => "es",
        }
    }

    fn words(self) -> RuleWords {
        // Numbers as each language writes them: English groups with commas and marks decimals
        // with a point; German and Spanish the other way round (Spanish-language America
        // also writes the English way); French groups with (narrow) spaces.
        const EN_NUMBER: &str = r"(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)";
        const DE_NUMBER: &str = r"(?:\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?)";
        const FR_NUMBER: &str = r"(?:\d{1,3}(?:[ \x{a0}\x{202f}]\d{3})+(?:,\d+)?|\d+(?:[,.]\d+)?)";
        const ES_NUMBER: &str =
            r"(?:\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:[,.]\d+)?)";
        const METRIC: &str = "km|m|cm|mm|kg|g|t|ha|l|°[CF]|km/h|kWh|MW";
        match self {
            RuleLanguage::English => RuleWords {
                months: "(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)",
                weekdays: "(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)",
                number: EN_NUMBER,
                scale: r"(?:\s?(?:thousand|million|billion|trillion|bn|m|k)\b)?",
                currency_link: "",
                currency: r"(?:dollars?|euros?|pounds? sterling|yen|yuan|rupees?|USD|EUR|GBP|JPY)\b",
                percent: "per ?cent",
                units: "km|kilomet(?:re|er)s?|miles?|m|met(?:re|er)s?|cm|mm|ft|feet|foot|inch(?:es)?|kg|kilograms?|g|grams?|tonnes?|tons?|lbs?|litres?|liters?|gallons?|barrels?|mph|km/h|°[CF]|degrees?|acres?|hectares?",
            },
            RuleLanguage::German => RuleWords {
                months: r"(?:Januar|Jänner|Februar|März|April|Mai|Juni|Juli|August|September|Oktober|November|Dezember|(?:Jan|Feb|Mär|Apr|Jun|Jul|Aug|Sept?|Okt|Nov|Dez)\.)",
                weekdays: "(?:Montag|Dienstag|Mittwoch|Donnerstag|Freitag|Samstag|Sonnabend|Sonntag)",
                number: DE_NUMBER,
                scale: r"(?:\s?(?:Tsd\.|Mio\.|Mrd\.|Tausend\b|Millionen\b|Million\b|Milliarden\b|Milliarde\b|Billionen\b))?",
                currency_link: "",
                currency: r"€|\$|£|(?:Euro|EUR|Dollar|US-Dollar|USD|Franken|CHF|Pfund|Cent)\b",
                percent: "Prozent",
                units: "Kilometer|Meter|Zentimeter|Millimeter|Kilogramm|Gramm|Tonnen|Liter|Hektar|Grad|Quadratmeter|qm|km|m|cm|mm|kg|g|t|ha|l|°[CF]|km/h|kWh|MW",
            },
            RuleLanguage::French => RuleWords {
                months: "(?:janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre)",
                weekdays: "(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)",
                number: FR_NUMBER,
                scale: r"(?:\s?(?:milliers|millions?|milliards?|M|Md|Mds)\b)?",
                currency_link: r"(?:d['’]|de\s)?",
                currency: r"€|\$|£|(?:euros?|dollars?|francs?|livres?)\b",
                percent: r"pour\s?cent",
                units: METRIC,
            },
            RuleLanguage::Spanish => RuleWords {
                months: "(?:enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|setiembre|octubre|noviembre|diciembre)",
                weekdays: "(?:lunes|martes|miércoles|jueves|viernes|sábado|domingo)",
                number: ES_NUMBER,
                scale: r"(?:\s?(?:mil millones|millones|millón|mil|M)\b)?",
                currency_link: r"(?:de\s)?",
                currency: r"€|\$|£|(?:euros?|dólares?|pesos?|libras?)\b",
                percent: r"por\s?ciento",
                units: METRIC,
            },
        }
    }
}

/// The words and number forms of one language that the patterns are made of.
struct RuleWords {
    months: &'static str,
    weekdays: &'static str,
    number: &'static str,
    scale: &'static str,
    /// What may stand between an amount and its currency word ("millions d'euros").
    currency_link: &'static str,
    currency: &'static str,
    percent: &'static str,
    units: &'static str,
}

/// A set of switched-on rules.
#[derive(Debug, Clone, Default)]
pub struct Rules {
    rules: Vec<(RuleLabel, Regex)>,
}

impl Rules {
    /// Compiles the rules of `labels` (in their fixed claiming order, whatever the given one)
    /// for text in `lang`; without a language only the language-free rules (e-mail
    /// addresses, URLs) of `labels` are kept, since a date or amount rule that does not
    /// know the language's words and number forms would mislabel or miss them.
    pub fn new(labels: &[RuleLabel], lang: Option<RuleLanguage>) -> Rules {
        let rules = RuleLabel::ALL
            .into_iter()
            .filter(|label| labels.contains(label))
            .filter(|label| lang.is_some() || label.is_language_free())
            .map(|label| {
                let lang = lang.unwrap_or(RuleLanguage::English);
                let regex = Regex::new(&label.pattern(lang)).expect("rule patterns are tested");
                (label, regex)
            })
            .collect();
        Rules { rules }
    }

    /// True when no rule is on.
    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }

    /// Every match of every rule, sorted, without overlaps (earlier rules win).
    pub fn find(&self, text: &str) -> Vec<(Span, RuleLabel)> {
        let mut found: Vec<(Span, RuleLabel)> = Vec::new();
        for (label, regex) in &self.rules {
            let matches: Vec<Span> = regex
                .find_iter(text)
                .map(|m| Span::new(m.start(), m.end()))
                .collect();
            let kept: Vec<Span> = found.iter().map(|(span, _)| *span).collect();
            let clashes = crate::overlap::overlaps_any(&kept, matches.iter().copied());
            found.extend(
                matches
                    .into_iter()
                    .zip(clashes)
                    .filter(|(_, clash)| !clash)
                    .map(|(span, _)| (span, *label)),
            );
            found.sort_by_key(|(span, _)| span.start);
        }
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labelled(text: &str) -> Vec<(&str, &'static str)> {
        labelled_in(RuleLanguage::English, text)
    }

    fn labelled_in(lang: RuleLanguage, text: &str) -> Vec<(&str, &'static str)> {
        Rules::new(&RuleLabel::ALL, Some(lang))
            .find(text)
            .into_iter()
            .map(|(s, l)| (&text[s.start..s.end], l.name()))
            .collect()
    }

    #[test]
    fn finds_each_kind() {
        assert_eq!(
            labelled(
                "On Friday, 3 January 2020 at 10:30 a.m. it cost $1,500 (5%) for 5m of cable."
            ),
            [
                ("Friday", "DATE"),
                ("3 January 2020", "DATE"),
                ("10:30 a.m.", "TIME"),
                ("$1,500", "MONEY"),
                ("5%", "PERCENT"),
                ("5m", "QUANTITY")
            ]
        );
        assert_eq!(
            labelled("Mail a.b@example.com or see https://example.com/x."),
            [
                ("a.b@example.com", "EMAIL"),
                ("https://example.com/x", "URL")
            ]
        );
        assert_eq!(labelled("a £5m deal"), [("£5m", "MONEY")]);
    }

    #[test]
    fn only_switched_on_rules_run() {
        let rules = Rules::new(&[RuleLabel::Percent], Some(RuleLanguage::English));
        let found = rules.find("On Friday 5 percent rose");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].1, RuleLabel::Percent);
    }

    #[test]
    fn reads_german_dates_and_amounts() {
        assert_eq!(
            labelled_in(
                RuleLanguage::German,
                "Am Donnerstag, 3. Oktober 2024, um 14.30 Uhr flossen 12,5 Mio. € \
                 (1.250.000 Euro, 3,5 Prozent) für 12 km Straße."
            ),
            [
                ("Donnerstag", "DATE"),
                ("3. Oktober 2024", "DATE"),
                ("14.30 Uhr", "TIME"),
                ("12,5 Mio. €", "MONEY"),
                ("1.250.000 Euro", "MONEY"),
                ("3,5 Prozent", "PERCENT"),
                ("12 km", "QUANTITY")
            ]
        );
        assert_eq!(
            labelled_in(RuleLanguage::German, "Seit dem 03.10.2024 und bis Mai 2025"),
            [("03.10.2024", "DATE"), ("Mai 2025", "DATE")]
        );
    }

    #[test]
    fn reads_french_dates_and_amounts() {
        assert_eq!(
            labelled_in(
                RuleLanguage::French,
                "Le lundi 1er janvier 2024 à 14 h 30, 12,5 millions d'euros et 3 000 € (4,5 %)."
            ),
            [
                ("lundi", "DATE"),
                ("1er janvier 2024", "DATE"),
                ("14 h 30", "TIME"),
                ("12,5 millions d'euros", "MONEY"),
                ("3 000 €", "MONEY"),
                ("4,5 %", "PERCENT")
            ]
        );
    }

    #[test]
    fn reads_spanish_dates_and_amounts() {
        assert_eq!(
            labelled_in(
                RuleLanguage::Spanish,
                "El martes 3 de octubre de 2024, a las 14:30 horas, pagó 12,5 millones de euros \
                 (un 7 por ciento)."
            ),
            [
                ("martes", "DATE"),
                ("3 de octubre de 2024", "DATE"),
                ("14:30 horas", "TIME"),
                ("12,5 millones de euros", "MONEY"),
                ("7 por ciento", "PERCENT")
            ]
        );
    }

    #[test]
    fn without_a_language_only_addresses_are_labelled() {
        let rules = Rules::new(&RuleLabel::ALL, None);
        let text = "Em 3 de outubro de 2024 pagou 5%: veja https://example.com";
        let found: Vec<&str> = rules
            .find(text)
            .into_iter()
            .map(|(_, label)| label.name())
            .collect();
        assert_eq!(found, ["URL"]);
    }

    #[test]
    fn every_pattern_compiles_in_every_language() {
        for lang in RuleLanguage::ALL {
            assert_eq!(Rules::new(&RuleLabel::ALL, Some(lang)).rules.len(), 7);
            assert_eq!(RuleLanguage::from_code(lang.code()), Some(lang));
        }
    }
}
