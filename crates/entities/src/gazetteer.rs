//! User name lists: every occurrence of a listed name, on token boundaries, longest first.
//!
//! Lists come from pipeline files: one name per line with a default label, or
//! `name<TAB>LABEL`. All names of all lists go into one Aho-Corasick automaton, so matching
//! costs one pass over the text however many names there are.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, Input, MatchKind};
use textpipe_core::Span;

/// A compiled set of name lists.
#[derive(Debug, Clone)]
pub struct Gazetteer {
    matcher: AhoCorasick,
    /// The label of each pattern, by pattern index.
    labels: Vec<String>,
}

/// A problem in a name list.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum GazetteerError {
    /// A line has a tab but no label after it.
    #[error("line {line}: empty label after the tab")]
    EmptyLabel {
        /// 1-based line number.
        line: usize,
    },
    /// The automaton could not be built (too many or too long names).
    #[error("cannot compile the name lists: {0}")]
    Build(String),
}

impl Gazetteer {
    /// Compiles lists given as `(content, default label)`; names are matched ignoring ASCII
    /// case when `ignore_case` is set. Blank lines and lines starting with `#` are skipped.
    pub fn new<'a>(
        lists: impl IntoIterator<Item = (&'a str, &'a str)>,
        ignore_case: bool,
    ) -> Result<Gazetteer, GazetteerError> {
        let mut names = Vec::new();
        let mut labels = Vec::new();
        for (content, default_label) in lists {
            for (n, line) in content.lines().enumerate() {
                let line = line.trim_end_matches('\r');
                if line.trim().is_empty() || line.starts_with('#') {
                    continue;
                }
                let (name, label) = match line.split_once('\t') {
                    Some((name, label)) if label.trim().is_empty() => {
                        let _ = name;
                        return Err(GazetteerError::EmptyLabel { line: n + 1 });
                    }
                    Some((name, label)) => (name.trim(), label.trim()),
                    None => (line.trim(), default_label),
                };
                if !name.is_empty() {
                    names.push(name.to_string());
                    labels.push(label.to_string());
                }
            }
        }
        let matcher = AhoCorasickBuilder::new()
            .match_kind(MatchKind::LeftmostLongest)
            .ascii_case_insensitive(ignore_case)
            .build(&names)
            .map_err(|e| GazetteerError::Build(e.to_string()))?;
        Ok(Gazetteer { matcher, labels })
    }

    /// Number of names.
    pub fn len(&self) -> usize {
        self.labels.len()
    }

    /// True when no name is listed.
    pub fn is_empty(&self) -> bool {
        self.labels.is_empty()
    }

    /// Every listed name in `text` that starts and ends on a token boundary, leftmost and
    /// longest first, without overlaps.
    ///
    /// ```
    /// use textpipe_entities::gazetteer::Gazetteer;
    /// let lists = Gazetteer::new([("Green Zone\nGreen\tMISC", "LOC")], false).unwrap();
    /// let found = lists.find("the Green Zone, not Greenland");
    /// assert_eq!(found.len(), 1);
    /// assert_eq!((found[0].0.start, found[0].0.end, found[0].1), (4, 14, "LOC"));
    /// ```
    pub fn find<'g>(&'g self, text: &str) -> Vec<(Span, &'g str)> {
        let mut found = Vec::new();
        let mut at = 0;
        while at < text.len() {
            let Some(m) = self.matcher.find(Input::new(text).range(at..)) else {
                break;
            };
            if on_boundaries(text, m.start(), m.end()) {
                found.push((
                    Span::new(m.start(), m.end()),
                    self.labels[m.pattern()].as_str(),
                ));
                at = m.end();
            } else {
                // Try again one char later: a shorter or later name may still fit.
                at = m.start() + text[m.start()..].chars().next().map_or(1, char::len_utf8);
            }
        }
        found
    }
}

/// True when `text[start..end]` is not part of a longer word on either side (and does not
/// split a character).
fn on_boundaries(text: &str, start: usize, end: usize) -> bool {
    if !text.is_char_boundary(start) || !text.is_char_boundary(end) {
        return false;
    }
    let word = |c: char| c.is_alphanumeric();
    let before = text[..start].chars().next_back();
    let after = text[end..].chars().next();
    let first = text[start..end].chars().next();
    let last = text[start..end].chars().next_back();
    let glued_before = before.is_some_and(word) && first.is_some_and(word);
    let glued_after = after.is_some_and(word) && last.is_some_and(word);
    !glued_before && !glued_after
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn longest_match_on_token_boundaries() {
        let g = Gazetteer::new(
            [("Kataib\nKataib Hezbollah\tORG\nIraq\tLOC", "MISC")],
            false,
        )
        .unwrap();
        let text = "Kataib Hezbollah in Iraq, Iraqi forces";
        let found: Vec<(&str, &str)> = g
            .find(text)
            .into_iter()
            .map(|(s, l)| (&text[s.start..s.end], l))
            .collect();
        assert_eq!(found, [("Kataib Hezbollah", "ORG"), ("Iraq", "LOC")]);
    }

    #[test]
    fn case_can_be_ignored() {
        let g = Gazetteer::new([("Acme Corp", "ORG")], true).unwrap();
        assert_eq!(g.find("ACME CORP and acme corp").len(), 2);
        let strict = Gazetteer::new([("Acme Corp", "ORG")], false).unwrap();
        assert_eq!(strict.find("ACME CORP and acme corp").len(), 0);
    }

    #[test]
    fn an_empty_label_is_an_error() {
        assert_eq!(
            Gazetteer::new([("ok\nbad\t ", "ORG")], false).unwrap_err(),
            GazetteerError::EmptyLabel { line: 2 }
        );
    }
}
