//! Rule-based labels a pipeline can switch on: `DATE`, `TIME`, `MONEY`, `PERCENT`,
//! `QUANTITY`, `EMAIL`, `URL`.
//!
//! These are closed, regular forms where a few patterns beat a statistical model trained on
//! data that does not annotate them. Each rule is a regular expression; earlier rules win
//! overlaps (money before quantity, so `£5m` is money and `5m` alone a quantity).

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

    fn pattern(self) -> String {
        const MONTH: &str = "(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)";
        const NUMBER: &str = r"(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)";
        const SCALE: &str = r"(?:\s?(?:thousand|million|billion|trillion|bn|m|k)\b)?";
        const CURRENCY: &str =
            r"(?:dollars?|euros?|pounds? sterling|yen|yuan|rupees?|USD|EUR|GBP|JPY)\b";
        const UNIT: &str = "(?:km|kilomet(?:re|er)s?|miles?|m|met(?:re|er)s?|cm|mm|ft|feet|foot|inch(?:es)?|kg|kilograms?|g|grams?|tonnes?|tons?|lbs?|litres?|liters?|gallons?|barrels?|mph|km/h|°[CF]|degrees?|acres?|hectares?)";
        let alternatives: Vec<String> = match self {
            RuleLabel::Email => vec![r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b".into()],
            RuleLabel::Url => vec![r#"\b(?:https?://|www\.)[^\s<>"]*[^\s<>".,;:!?)'\]]"#.into()],
            RuleLabel::Money => vec![
                format!(r"(?:US|A|C|HK)?[$€£¥]\s?{NUMBER}{SCALE}"),
                format!(r"\b{NUMBER}{SCALE}\s?{CURRENCY}"),
            ],
            RuleLabel::Percent => vec![format!(r"\b{NUMBER}\s?(?:%|per ?cent\b)")],
            RuleLabel::Time => vec![
                r"\b(?:[01]?\d|2[0-3]):[0-5]\d(?:\s?[ap]\.m\.|\s?[ap]m\b)?".into(),
                r"\b(?:1[0-2]|0?[1-9])\s?(?:[ap]\.m\.|[ap]m\b)".into(),
            ],
            RuleLabel::Date => vec![
                format!(r"\b{MONTH}\.?\s\d{{1,2}}(?:st|nd|rd|th)?\b(?:,?\s\d{{4}}\b)?"),
                format!(r"\b\d{{1,2}}(?:st|nd|rd|th)?\s(?:of\s)?{MONTH}\b(?:,?\s\d{{4}}\b)?"),
                format!(r"\b{MONTH}\s\d{{4}}\b"),
                r"\b\d{4}-\d{2}-\d{2}\b".into(),
                r"\b\d{1,2}/\d{1,2}/\d{2,4}\b".into(),
                r"\b(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b".into(),
            ],
            RuleLabel::Quantity => vec![format!(r"\b{NUMBER}\s?{UNIT}\b")],
        };
        alternatives.join("|")
    }
}

/// A set of switched-on rules.
#[derive(Debug, Clone, Default)]
pub struct Rules {
    rules: Vec<(RuleLabel, Regex)>,
}

impl Rules {
    /// Compiles the rules of `labels` (in their fixed claiming order, whatever the given one).
    pub fn new(labels: &[RuleLabel]) -> Rules {
        let rules = RuleLabel::ALL
            .into_iter()
            .filter(|label| labels.contains(label))
            .map(|label| {
                let regex = Regex::new(&label.pattern()).expect("rule patterns are tested");
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
        Rules::new(&RuleLabel::ALL)
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
        let rules = Rules::new(&[RuleLabel::Percent]);
        let found = rules.find("On Friday 5 percent rose");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].1, RuleLabel::Percent);
    }
}
