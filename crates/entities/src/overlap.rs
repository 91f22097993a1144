//! Combining sorted lists of disjoint spans in linear time, so a document with a hundred
//! thousand mentions costs no more per mention than one with ten.

use textpipe_core::Span;

/// For each span of `candidates` (sorted by start, disjoint), whether it overlaps any span of
/// `kept` (sorted by start, disjoint).
pub fn overlaps_any(kept: &[Span], candidates: impl IntoIterator<Item = Span>) -> Vec<bool> {
    let mut j = 0;
    candidates
        .into_iter()
        .map(|c| {
            while j < kept.len() && kept[j].end <= c.start {
                j += 1;
            }
            // Zero-length spans overlap nothing.
            j < kept.len()
                && kept[j].start < c.end
                && c.start < c.end
                && kept[j].start < kept[j].end
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_overlaps_in_one_sweep() {
        let kept = [Span::new(0, 4), Span::new(10, 14)];
        let candidates = [
            Span::new(2, 3),
            Span::new(4, 10),
            Span::new(12, 20),
            Span::new(20, 22),
        ];
        assert_eq!(overlaps_any(&kept, candidates), [true, false, true, false]);
    }
}
