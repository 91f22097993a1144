//! Making document text safe for its two destinations: HTML and a terminal.
//!
//! Document text is untrusted (it came from the web), so every byte of it that reaches the
//! report goes through one of these functions; no other code writes document text directly.

/// Appends `text` to `out` with `& < > " '` replaced by character references, so the text is
/// safe both between tags and inside a quoted attribute value.
///
/// ```
/// let mut out = String::new();
/// textpipe_report::escape_html("<script>alert('x')</script> & co", &mut out);
/// assert_eq!(out, "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; co");
/// ```
pub fn escape_html(text: &str, out: &mut String) {
    let mut clean_from = 0;
    // The five special characters are ASCII, so scanning bytes never splits a character.
    for (at, byte) in text.bytes().enumerate() {
        let reference = match byte {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        out.push_str(&text[clean_from..at]);
        out.push_str(reference);
        clean_from = at + 1;
    }
    out.push_str(&text[clean_from..]);
}

/// Appends `text` to `out` with control characters made visible, so a document cannot move
/// the cursor, change colours or retitle the terminal with escape sequences of its own.
///
/// C0 controls become their Unicode "control picture" (`ESC` shows as `␛`), C1 controls and
/// `DEL` become `�`; newlines and tabs are kept, and a `\r` before `\n` is dropped so text
/// with Windows line ends reads normally.
///
/// ```
/// let mut out = String::new();
/// textpipe_report::escape_terminal("red \u{1b}[31mtext\r\n", &mut out);
/// assert_eq!(out, "red ␛[31mtext\n");
/// ```
pub fn escape_terminal(text: &str, out: &mut String) {
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\n' | '\t' => out.push(c),
            '\r' if chars.peek() == Some(&'\n') => {}
            '\u{0}'..='\u{1f}' => {
                // U+2400 + n is the control picture of C0 control n.
                out.push(char::from_u32(0x2400 + c as u32).unwrap_or('\u{fffd}'));
            }
            '\u{7f}'..='\u{9f}' => out.push('\u{fffd}'),
            _ => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn html(text: &str) -> String {
        let mut out = String::new();
        escape_html(text, &mut out);
        out
    }

    fn terminal(text: &str) -> String {
        let mut out = String::new();
        escape_terminal(text, &mut out);
        out
    }

    #[test]
    fn html_escaping_keeps_multibyte_text() {
        assert_eq!(
            html("Köln <b>\"ß\"</b>"),
            "Köln &lt;b&gt;&quot;ß&quot;&lt;/b&gt;"
        );
        assert_eq!(html(""), "");
    }

    #[test]
    fn terminal_escaping_neutralises_escape_sequences() {
        assert_eq!(terminal("\u{1b}]0;title\u{7}"), "␛]0;title␇");
        assert_eq!(terminal("a\rb\u{9b}c\u{7f}"), "a␍b\u{fffd}c\u{fffd}");
        assert_eq!(terminal("tab\there\nnext"), "tab\there\nnext");
    }

    proptest! {
        #[test]
        fn escaped_html_has_no_markup_characters(text in "\\PC*|[<>&\"' a-z]*") {
            let out = html(&text);
            prop_assert!(!out.contains(['<', '>', '"', '\'']));
            // Every `&` starts one of the references we write.
            for (at, _) in out.match_indices('&') {
                let rest = &out[at..];
                prop_assert!(["&amp;", "&lt;", "&gt;", "&quot;", "&#39;"]
                    .iter()
                    .any(|r| rest.starts_with(r)));
            }
        }

        #[test]
        fn escaped_terminal_text_has_no_controls(text in any::<String>()) {
            let out = terminal(&text);
            prop_assert!(!out.chars().any(|c| c.is_control() && c != '\n' && c != '\t'));
        }
    }
}
