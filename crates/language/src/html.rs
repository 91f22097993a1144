//! What identification needs from an HTML page: the language it declares (`<html lang>`) and
//! its visible text, for documents that arrive as HTML before boilerplate removal has made a
//! text.
//!
//! Both are single forward scans with no allocation beyond the output, so a hostile page
//! costs time linear in its size; the visible text stops at a byte budget.

/// The `lang` (or `xml:lang`) attribute of the page's `<html>` tag, as written.
///
/// ```
/// use textpipe_language::html_declared_language;
///
/// let page = r#"<!DOCTYPE html><HTML class="x" Lang='de-AT'><body>...</body></HTML>"#;
/// assert_eq!(html_declared_language(page), Some("de-AT"));
/// assert_eq!(html_declared_language("<html><body lang=fr>"), None);
/// ```
pub fn html_declared_language(html: &str) -> Option<&str> {
    let start = find_tag(html, "html")?;
    let end = html[start..].find('>').map_or(html.len(), |e| start + e);
    let tag = &html[start + "<html".len()..end];
    attribute(tag, "lang").or_else(|| attribute(tag, "xml:lang"))
}

/// The byte offset of the first `<name` opening tag (ASCII case-insensitive) followed by
/// whitespace, `>` or `/`.
fn find_tag(html: &str, name: &str) -> Option<usize> {
    let bytes = html.as_bytes();
    let mut from = 0;
    while let Some(offset) = html[from..].find('<') {
        let at = from + offset;
        let after = at + 1 + name.len();
        if bytes.len() > after
            && bytes[at + 1..after].eq_ignore_ascii_case(name.as_bytes())
            && matches!(bytes[after], b' ' | b'\t' | b'\n' | b'\r' | b'>' | b'/')
        {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

/// The value of attribute `name` inside a tag's attribute text (quoted or not).
fn attribute<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let bytes = tag.as_bytes();
    let mut at = 0;
    while at < bytes.len() {
        // Skip to the next attribute name.
        while at < bytes.len() && (bytes[at].is_ascii_whitespace() || bytes[at] == b'/') {
            at += 1;
        }
        let name_start = at;
        while at < bytes.len() && !matches!(bytes[at], b'=' | b' ' | b'\t' | b'\n' | b'\r' | b'/') {
            at += 1;
        }
        let found = &tag[name_start..at];
        while at < bytes.len() && bytes[at].is_ascii_whitespace() {
            at += 1;
        }
        if at >= bytes.len() || bytes[at] != b'=' {
            if at == name_start {
                at += 1;
            }
            continue;
        }
        at += 1;
        while at < bytes.len() && bytes[at].is_ascii_whitespace() {
            at += 1;
        }
        let (value_start, value_end) = match bytes.get(at) {
            Some(&quote @ (b'"' | b'\'')) => {
                let start = at + 1;
                let end = tag[start..]
                    .find(quote as char)
                    .map_or(tag.len(), |e| start + e);
                (start, end)
            }
            _ => {
                let start = at;
                let end = tag[start..]
                    .find(|c: char| c.is_ascii_whitespace())
                    .map_or(tag.len(), |e| start + e);
                (start, end)
            }
        };
        if found.eq_ignore_ascii_case(name) {
            return Some(tag[value_start..value_end].trim());
        }
        at = value_end + 1;
    }
    None
}

/// The text a reader sees in a page, roughly: tags, comments, character references and the
/// contents of `script`, `style`, `noscript`, `template` and `svg` become spaces. Stops after
/// about `budget` bytes of text.
///
/// ```
/// use textpipe_language::visible_text;
///
/// let page = "<p>Guten <b>Tag</b></p><script>var x = 1;</script><!-- note -->Welt";
/// assert_eq!(visible_text(page, 1000).split_whitespace().collect::<Vec<_>>(), ["Guten", "Tag", "Welt"]);
/// ```
pub fn visible_text(html: &str, budget: usize) -> String {
    const HIDDEN: [&str; 5] = ["script", "style", "noscript", "template", "svg"];
    let mut text = String::new();
    let mut rest = html;
    while !rest.is_empty() && text.len() < budget {
        let Some(open) = rest.find(['<', '&']) else {
            push_within(&mut text, rest, budget);
            break;
        };
        push_within(&mut text, &rest[..open], budget);
        text.push(' ');
        rest = &rest[open..];
        if rest.starts_with('&') {
            // A character reference: `&amp;`, `&#233;`. Dropped rather than decoded; its
            // letters would only add noise.
            let end = rest[1..]
                .find(|c: char| !c.is_ascii_alphanumeric() && c != '#')
                .map_or(rest.len(), |e| e + 1);
            rest = rest[end..].strip_prefix(';').unwrap_or(&rest[end..]);
            continue;
        }
        if let Some(comment) = rest.strip_prefix("<!--") {
            rest = comment.find("-->").map_or("", |e| &comment[e + 3..]);
            continue;
        }
        let (tag, after) = match rest.find('>') {
            Some(end) => (&rest[1..end], end + 1),
            None => (&rest[1..], rest.len()),
        };
        rest = &rest[after..];
        let name_end = tag
            .find(|c: char| c.is_ascii_whitespace() || c == '/' || c == '>')
            .unwrap_or(tag.len());
        let name = &tag[..name_end];
        if let Some(hidden) = HIDDEN.iter().find(|h| name.eq_ignore_ascii_case(h)) {
            let close = format!("</{hidden}");
            rest = find_ascii_case_insensitive(rest, &close).map_or("", |e| &rest[e..]);
        }
    }
    text
}

/// Appends as much of `piece` as fits in `budget` bytes of `text`, cut on a char boundary.
fn push_within(text: &mut String, piece: &str, budget: usize) {
    let mut end = budget.saturating_sub(text.len()).min(piece.len());
    while !piece.is_char_boundary(end) {
        end -= 1;
    }
    text.push_str(&piece[..end]);
}

/// The first occurrence of an ASCII `needle` that starts with `<` in `haystack`, ignoring
/// ASCII case.
///
/// Script and style contents are most of a page's bytes and hold few `<`, so jumping from
/// one `<` to the next (a memchr scan) and comparing only there is many times cheaper than
/// comparing a window at every byte.
fn find_ascii_case_insensitive(haystack: &str, needle: &str) -> Option<usize> {
    debug_assert!(needle.starts_with('<'));
    let mut from = 0;
    // `from` is always just past a `<`, so on a char boundary.
    while let Some(offset) = haystack[from..].find('<') {
        let at = from + offset;
        let candidate = haystack.as_bytes().get(at..at + needle.len())?;
        if candidate.eq_ignore_ascii_case(needle.as_bytes()) {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_html_tag_language_is_found_in_its_forms() {
        assert_eq!(
            html_declared_language("<html lang=\"en-GB\">"),
            Some("en-GB")
        );
        assert_eq!(html_declared_language("<html\nxml:lang=nl >"), Some("nl"));
        assert_eq!(
            html_declared_language("<html data-lang=x lang = 'pl'>"),
            Some("pl")
        );
        assert_eq!(html_declared_language("<htmlx lang=pl><html>"), None);
        assert_eq!(html_declared_language("<html lang"), None);
        assert_eq!(html_declared_language("no markup at all"), None);
    }

    #[test]
    fn hidden_elements_and_references_are_left_out() {
        let page = "<style>p{}</style><p>Hola&nbsp;mundo</p><SCRIPT>x</SCRIPT><svg><text>no</text></svg>fin";
        let words: Vec<String> = visible_text(page, 1000)
            .split_whitespace()
            .map(str::to_string)
            .collect();
        assert_eq!(words, ["Hola", "mundo", "fin"]);
    }

    #[test]
    fn unclosed_markup_ends_the_text_without_panicking() {
        for page in ["<p", "<script>never closed", "<!-- open", "&", "<>", "a<b"] {
            let _ = visible_text(page, 100);
        }
        assert!(visible_text(&"word ".repeat(1000), 50).len() < 100);
    }

    proptest::proptest! {
        #[test]
        fn closing_tags_are_found_where_a_window_at_every_byte_finds_them(
            pieces in proptest::collection::vec(
                proptest::sample::select(vec!["</script", "</ScRiPt>", "</scr", "<", "<<", "x", "é", " "]),
                0..12,
            ),
        ) {
            let haystack = pieces.concat();
            let needle = "</script";
            let every_byte = haystack
                .as_bytes()
                .windows(needle.len())
                .position(|window| window.eq_ignore_ascii_case(needle.as_bytes()));
            proptest::prop_assert_eq!(find_ascii_case_insensitive(&haystack, needle), every_byte);
        }
    }
}
