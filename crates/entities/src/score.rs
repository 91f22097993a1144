//! Exact-span micro precision, recall and F1, overall and per label (as conlleval counts).

use std::collections::BTreeMap;
use std::fmt;

use crate::tags::{entities_of, Label, Tag};

/// Counts of one label (or all labels together).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// Predicted entities whose span and label match a gold entity.
    pub correct: usize,
    /// Predicted entities.
    pub predicted: usize,
    /// Gold entities.
    pub gold: usize,
}

impl Counts {
    /// Precision in percent.
    pub fn precision(&self) -> f64 {
        percent(self.correct, self.predicted)
    }

    /// Recall in percent.
    pub fn recall(&self) -> f64 {
        percent(self.correct, self.gold)
    }

    /// F1 in percent.
    pub fn f1(&self) -> f64 {
        textpipe_core::f1(self.precision(), self.recall())
    }
}

fn percent(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        0.0
    } else {
        100.0 * part as f64 / whole as f64
    }
}

/// Accumulates sentence after sentence; [`Scorer::report`] gives the totals.
#[derive(Debug, Clone, Default)]
pub struct Scorer {
    labels: Option<Vec<Label>>,
    per_label: BTreeMap<Label, Counts>,
}

impl Scorer {
    /// A scorer over every label.
    pub fn new() -> Self {
        Scorer::default()
    }

    /// A scorer that ignores entities of other labels, gold or predicted (UNER has no MISC).
    pub fn only(labels: &[Label]) -> Self {
        Scorer {
            labels: Some(labels.to_vec()),
            per_label: BTreeMap::new(),
        }
    }

    /// The scorer a gold set calls for: every label, or PER/ORG/LOC when the gold data has no
    /// MISC (UNER), so that a tagger's MISC mentions do not count against it there.
    pub fn for_gold(documents: &[crate::conll::TaggedDocument]) -> Self {
        let has_misc = documents
            .iter()
            .flat_map(|d| &d.sentences)
            .any(|s| s.tags.iter().any(|t| t.label() == Some(Label::Misc)));
        if has_misc {
            Scorer::new()
        } else {
            Scorer::only(&[Label::Per, Label::Org, Label::Loc])
        }
    }

    /// Adds one sentence's gold and predicted tags.
    pub fn add(&mut self, gold: &[Tag], predicted: &[Tag]) {
        let keep = |label: Label| self.labels.as_ref().is_none_or(|l| l.contains(&label));
        let gold: Vec<_> = entities_of(gold)
            .into_iter()
            .filter(|e| keep(e.label))
            .collect();
        let predicted: Vec<_> = entities_of(predicted)
            .into_iter()
            .filter(|e| keep(e.label))
            .collect();
        for entity in &gold {
            self.per_label.entry(entity.label).or_default().gold += 1;
        }
        for entity in &predicted {
            let counts = self.per_label.entry(entity.label).or_default();
            counts.predicted += 1;
            if gold.contains(entity) {
                counts.correct += 1;
            }
        }
    }

    /// The totals so far.
    pub fn report(&self) -> ScoreReport {
        let mut overall = Counts::default();
        for counts in self.per_label.values() {
            overall.correct += counts.correct;
            overall.predicted += counts.predicted;
            overall.gold += counts.gold;
        }
        ScoreReport {
            overall,
            per_label: self.per_label.clone(),
        }
    }
}

/// Scores of a tagger on a gold file.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ScoreReport {
    /// All labels together (micro-averaged).
    pub overall: Counts,
    /// Each label alone.
    pub per_label: BTreeMap<Label, Counts>,
}

impl ScoreReport {
    /// Adds the counts of `other` (scores of another part of the data) to these.
    pub fn add(&mut self, other: &ScoreReport) {
        let add = |into: &mut Counts, from: &Counts| {
            into.correct += from.correct;
            into.predicted += from.predicted;
            into.gold += from.gold;
        };
        add(&mut self.overall, &other.overall);
        for (label, counts) in &other.per_label {
            add(self.per_label.entry(*label).or_default(), counts);
        }
    }
}

impl fmt::Display for ScoreReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{:<8} {:>7} {:>7} {:>7} {:>7} {:>7}",
            "label", "P", "R", "F1", "gold", "pred"
        )?;
        let rows = self
            .per_label
            .iter()
            .map(|(label, counts)| (label.name(), counts))
            .chain(std::iter::once(("overall", &self.overall)));
        for (name, c) in rows {
            writeln!(
                f,
                "{:<8} {:>7.2} {:>7.2} {:>7.2} {:>7} {:>7}",
                name,
                c.precision(),
                c.recall(),
                c.f1(),
                c.gold,
                c.predicted
            )?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tags(names: &[&str]) -> Vec<Tag> {
        names.iter().map(|t| Tag::parse(t)).collect()
    }

    #[test]
    fn counts_exact_spans_only() {
        let mut scorer = Scorer::new();
        scorer.add(
            &tags(&["B-PER", "I-PER", "O", "B-LOC"]),
            &tags(&["B-PER", "O", "O", "B-LOC"]),
        );
        let report = scorer.report();
        assert_eq!(report.overall.correct, 1);
        assert_eq!(report.overall.gold, 2);
        assert_eq!(report.overall.predicted, 2);
        assert!((report.overall.f1() - 50.0).abs() < 1e-9);
        assert_eq!(report.per_label[&Label::Loc].f1(), 100.0);
        assert_eq!(report.per_label[&Label::Per].f1(), 0.0);
    }

    #[test]
    fn reports_add_up_label_by_label() {
        let mut first = Scorer::new();
        first.add(&tags(&["B-PER", "O"]), &tags(&["B-PER", "O"]));
        let mut second = Scorer::new();
        second.add(&tags(&["B-LOC", "O"]), &tags(&["O", "B-LOC"]));
        let mut pooled = first.report();
        pooled.add(&second.report());
        assert_eq!(pooled.overall.correct, 1);
        assert_eq!(pooled.overall.gold, 2);
        assert_eq!(pooled.per_label[&Label::Loc].predicted, 1);
        assert_eq!(pooled.per_label[&Label::Per].correct, 1);
    }

    #[test]
    fn a_label_filter_ignores_other_labels() {
        let mut scorer = Scorer::only(&[Label::Per]);
        scorer.add(&tags(&["B-PER", "O"]), &tags(&["B-PER", "B-MISC"]));
        assert_eq!(scorer.report().overall.f1(), 100.0);
    }
}
