//! Parts of the page stored as inert text and built into markup only when opened.
//!
//! A `<script>` element of a type the browser does not run is skipped by the parser as plain
//! text: no elements, no styles, no layout. A stored part is such a block inside a
//! `<details>`; the page's script (`report.js`) inserts its text as markup when the
//! `<details>` opens. The block's text is markup we wrote around escaped document text, which
//! has no `<` of its own, so it never contains `</script` and cannot end the block early.
//!
//! The `<summary>` is written after the stored block, once its label is known (how many
//! documents a page really holds); browsers show the first `<summary>` child of a `<details>`
//! as its label wherever it sits among the children.

/// Opens a collapsed `<details>` whose content is stored; `attributes` go on the element.
pub(crate) fn open_stored(out: &mut String, attributes: &str) {
    out.push_str("<details ");
    out.push_str(attributes);
    out.push_str("><script type=\"text/x-textpipe-stored\">");
}

/// Closes what [`open_stored`] opened, with its label (already escaped markup).
pub(crate) fn close_stored(out: &mut String, label: &str) {
    out.push_str("</script><p class=\"deferred-note note\">Building\u{2026} ");
    out.push_str("(this needs JavaScript)</p><summary>");
    out.push_str(label);
    out.push_str("</summary></details>\n");
}
