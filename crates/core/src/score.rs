//! The one F1: every scorer of the workspace (sentence boundaries, entity spans, boilerplate
//! snippets) counts its own hits, then combines precision and recall here.

/// The harmonic mean of `precision` and `recall` (in any unit, fractions or percent), 0 when
/// both are 0.
///
/// ```
/// assert_eq!(textpipe_core::f1(0.5, 1.0), 2.0 / 3.0);
/// assert_eq!(textpipe_core::f1(0.0, 0.0), 0.0);
/// ```
pub fn f1(precision: f64, recall: f64) -> f64 {
    if precision + recall == 0.0 {
        0.0
    } else {
        2.0 * precision * recall / (precision + recall)
    }
}
