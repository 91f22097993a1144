//! One colour per entity label, the same in HTML and in the terminal.
//!
//! The four CoNLL labels every model here produces get fixed, well-separated colours; any
//! other label (rule labels such as `DATE`, a plugin's own) gets one of the remaining colours
//! by a stable hash of its name, so a label keeps its colour from run to run and report to
//! report without a registry of labels.

/// Number of colours; HTML classes `l0`..`l9` and [`ANSI_COLOURS`] have one entry each.
pub const COLOURS: usize = 10;

/// The labels with a fixed colour, in colour order.
const FIXED: [&str; 4] = ["PER", "ORG", "LOC", "MISC"];

/// ANSI SGR foreground codes, indexed by [`colour_of`]: blue, yellow, green, magenta for the
/// fixed labels, then cyan, red and bright variants.
pub const ANSI_COLOURS: [u8; COLOURS] = [34, 33, 32, 35, 36, 31, 94, 93, 92, 95];

/// The colour index (`0..COLOURS`) of `label`.
///
/// ```
/// use textpipe_report::colour_of;
/// assert_eq!(colour_of("PER"), 0);
/// assert_eq!(colour_of("DATE"), colour_of("DATE"));
/// assert!(colour_of("DATE") >= 4);
/// ```
pub fn colour_of(label: &str) -> usize {
    if let Some(fixed) = FIXED.iter().position(|&l| l == label) {
        return fixed;
    }
    // FNV-1a: stable across runs and platforms, unlike std's randomly seeded hasher.
    let hash = label.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    });
    FIXED.len() + (hash % (COLOURS - FIXED.len()) as u64) as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_labels_have_distinct_colours_and_others_stay_in_range() {
        let fixed: Vec<usize> = FIXED.iter().map(|l| colour_of(l)).collect();
        assert_eq!(fixed, vec![0, 1, 2, 3]);
        for label in ["DATE", "MONEY", "", "ünïcode", "per"] {
            assert!(
                (FIXED.len()..COLOURS).contains(&colour_of(label)),
                "{label}"
            );
        }
    }
}
