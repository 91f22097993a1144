//! Documents from JSON lines: the reading half of the output contract.
//!
//! A line is `{"id", "text"}` or `{"id", "html"}`. Layers a previous run wrote (`sentences`,
//! `entities`, `summary`, `removed`, `ext`, `skipped`), `lang` and `meta` are read back into
//! their places, so textpipe's own output can be fed to another run; every other field is kept
//! in `meta`. Every front end (the command line's JSON Lines reader, the Python package's dict
//! items) reads documents through here, so a line means the same everywhere.
//!
//! # Someone else's dataset
//!
//! [`document_from_dataset_line`] reads any dataset's lines. A JSON line is first read by
//! [`document_from_json_line`], the fast path for textpipe's own output. When a dataset names its fields otherwise (`--text-field content`,
//! `--id-field url`, `--html-field raw`), or when a line fails for a reason other than its JSON
//! syntax, the line is read again as a JSON object: the named fields are moved to `text`, `id`
//! and `html`, and a field called like a layer (`summary`, `sentences`, `entities`, `removed`,
//! `skipped`, `ext`) that does not have textpipe's shape for that layer (the BBC summaries have
//! `"summary": "a string"`) is kept as data in `meta` under its name. A layer with textpipe's
//! shape is read back as a layer, and its spans must fit the text.
//!
//! Duplicate keys in a line follow one documented rule: the last occurrence wins, as in
//! JavaScript's `JSON.parse`, Python's `json.loads` and jq.

use std::fmt;

use serde::de::{Deserialize, Deserializer, Error as _, MapAccess, Visitor};
use serde_json::{Map, Value};

use crate::document::{Document, Entity, RemovedBlock, Summary};
use crate::language::SkipNote;
use crate::span::Span;

/// Makes a document of one JSON line; `fallback_id` is used when the line has no `id`.
///
/// ```
/// use textpipe_core::document_from_json_line;
/// let doc = document_from_json_line(r#"{"id": 7, "text": "Hi.", "lang": "en", "src": "x"}"#, "x:1").unwrap();
/// assert_eq!((doc.id.as_str(), doc.text.as_str()), ("7", "Hi."));
/// assert_eq!(doc.lang.as_deref(), Some("en"));
/// assert_eq!(doc.meta["src"], "x");
/// ```
pub fn document_from_json_line(line: &str, fallback_id: &str) -> Result<Document, String> {
    match plain_line(line) {
        Some(plain) => plain.into_document(fallback_id),
        None => document_from_json_tokens(line, fallback_id),
    }
}

/// [`document_from_json_line`] by serde_json, for every line.
fn document_from_json_tokens(line: &str, fallback_id: &str) -> Result<Document, String> {
    let line: JsonLine = serde_json::from_str(line).map_err(|error| {
        if error.is_syntax() || error.is_eof() {
            format!("not valid JSON: {error}")
        } else {
            error.to_string()
        }
    })?;
    line.into_document(fallback_id)
}

/// Makes a document of a JSON object already parsed (a dict handed over by the Python
/// package), by the same rules as [`document_from_json_line`] and without printing it to
/// text first.
///
/// ```
/// use textpipe_core::json_line::document_from_json_value;
/// let value = serde_json::json!({"text": "Hi.", "source": "wire"});
/// let doc = document_from_json_value(value, "item 3").unwrap();
/// assert_eq!((doc.id.as_str(), doc.meta["source"].as_str()), ("item 3", Some("wire")));
/// ```
pub fn document_from_json_value(value: Value, fallback_id: &str) -> Result<Document, String> {
    let line = JsonLine::deserialize(value).map_err(|error| error.to_string())?;
    line.into_document(fallback_id)
}

/// The fast path of [`document_from_json_line`]: a line that is an object of string members
/// `id` and `text` and nothing else (a corpus of plain text, and
/// what reading a document costs most of: its text). Read here with vectorised searches for
/// the quote and the backslashes, straight into a string of the right size, where serde_json
/// looks at every byte and grows its buffer as the text comes. `None` for any other line, and
/// for anything the JSON grammar would reject, which then goes through serde_json: its
/// document or its error message is the one the line always had.
fn plain_line(line: &str) -> Option<JsonLine> {
    let mut cursor = PlainCursor { line, at: 0 };
    let (mut id, mut text) = (None, None);
    cursor.skip_whitespace();
    cursor.expect(b'{')?;
    loop {
        cursor.skip_whitespace();
        cursor.expect(b'"')?;
        let key = cursor.string(0)?;
        cursor.skip_whitespace();
        cursor.expect(b':')?;
        cursor.skip_whitespace();
        cursor.expect(b'"')?;
        let expected_len = if key == "text" {
            line.len() - cursor.at
        } else {
            0
        };
        let value = cursor.string(expected_len)?;
        // A repeated key: the last one wins, as in the full reading.
        match key.as_str() {
            "id" => id = Some(value),
            "text" => text = Some(value),
            _ => return None,
        }
        cursor.skip_whitespace();
        match cursor.next_byte()? {
            b',' => continue,
            b'}' => break,
            _ => return None,
        }
    }
    cursor.skip_whitespace();
    if cursor.at != line.len() {
        return None;
    }
    Some(JsonLine {
        doc: Document::new(id.unwrap_or_default(), text?),
        has_content: true,
    })
}

/// A position in a line read by [`plain_line`].
struct PlainCursor<'a> {
    line: &'a str,
    at: usize,
}

impl PlainCursor<'_> {
    fn skip_whitespace(&mut self) {
        let bytes = self.line.as_bytes();
        while matches!(bytes.get(self.at), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.at += 1;
        }
    }

    fn next_byte(&mut self) -> Option<u8> {
        let byte = *self.line.as_bytes().get(self.at)?;
        self.at += 1;
        Some(byte)
    }

    fn expect(&mut self, byte: u8) -> Option<()> {
        (self.next_byte()? == byte).then_some(())
    }

    /// The string whose opening quote was just read, unescaped; `None` when it has a lone
    /// surrogate, an escape JSON does not have, a control character, or no closing quote.
    /// `expected_len` sizes the string (the rest of the line for a text, which is most of it).
    ///
    /// One pass: each quote or backslash comes from one vectorised search, and the clean run
    /// before it is copied whole. Texts have an escape every line (`\n`), so the search is
    /// resumed hundreds of times per document and must not be run twice.
    fn string(&mut self, expected_len: usize) -> Option<String> {
        let bytes = self.line.as_bytes();
        let start = self.at;
        let mut out = String::with_capacity(expected_len);
        let mut clean_from = start;
        for found in memchr::memchr2_iter(b'"', b'\\', &bytes[start..]) {
            let found = start + found;
            // The quote or backslash an escape just read stands for itself.
            if found < clean_from {
                continue;
            }
            // The bytes around an escape are ASCII, so every cut is on a char boundary.
            out.push_str(&self.line[clean_from..found]);
            if bytes[found] == b'"' {
                // JSON has no raw control characters in strings (serde_json's error says where).
                if bytes[start..found]
                    .iter()
                    .copied()
                    .min()
                    .is_some_and(|low| low < 0x20)
                {
                    return None;
                }
                self.at = found + 1;
                return Some(out);
            }
            let mut escape_len = 2;
            out.push(match *bytes.get(found + 1)? {
                b'"' => '"',
                b'\\' => '\\',
                b'/' => '/',
                b'b' => '\u{8}',
                b'f' => '\u{c}',
                b'n' => '\n',
                b'r' => '\r',
                b't' => '\t',
                b'u' => {
                    let (c, len) = unicode_escape(&bytes[found..])?;
                    escape_len = len;
                    c
                }
                _ => return None,
            });
            clean_from = found + escape_len;
        }
        None
    }
}

/// The char of the `\\uXXXX` escape `escape` starts with, or of the two that write one
/// outside the Basic Multilingual Plane as a surrogate pair, and the escape's length in bytes.
/// `None` for a lone surrogate (serde_json's error then says so) or a malformed escape.
fn unicode_escape(escape: &[u8]) -> Option<(char, usize)> {
    let hex = |at: usize| -> Option<u32> {
        let digits = std::str::from_utf8(escape.get(at..at + 4)?).ok()?;
        if !digits.bytes().all(|byte| byte.is_ascii_hexdigit()) {
            return None;
        }
        u32::from_str_radix(digits, 16).ok()
    };
    let first = hex(2)?;
    match first {
        0xD800..=0xDBFF => {
            if escape.get(6..8)? != b"\\u" {
                return None;
            }
            let second = hex(8)?;
            if !(0xDC00..=0xDFFF).contains(&second) {
                return None;
            }
            let code = 0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00);
            Some((char::from_u32(code)?, 12))
        }
        0xDC00..=0xDFFF => None,
        _ => Some((char::from_u32(first)?, 6)),
    }
}

/// A document read straight from the JSON tokens: each field is deserialized into its final
/// type, with no intermediate `serde_json::Value` for the (large) text, which keeps parsing
/// at the speed of serde_json itself.
struct JsonLine {
    doc: Document,
    has_content: bool,
}

impl JsonLine {
    /// The document, once it is known to have content and layers that fit its text.
    fn into_document(self, fallback_id: &str) -> Result<Document, String> {
        let JsonLine {
            mut doc,
            has_content,
        } = self;
        if !has_content {
            return Err("a line needs a `text` or an `html` field".into());
        }
        if doc.id.is_empty() {
            doc.id = fallback_id.to_string();
        }
        doc.check_spans()
            .map_err(|error| format!("layers do not fit the text: {error}"))?;
        Ok(doc)
    }
}

impl<'de> Deserialize<'de> for JsonLine {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(JsonLineVisitor)
    }
}

struct JsonLineVisitor;

impl<'de> Visitor<'de> for JsonLineVisitor {
    type Value = JsonLine;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object with `id` and `text` or `html`")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut fields: A) -> Result<JsonLine, A::Error> {
        let mut doc = Document::default();
        let mut has_content = false;
        while let Some(key) = fields.next_key::<String>()? {
            match key.as_str() {
                "id" => {
                    doc.id = match fields.next_value::<Value>()? {
                        Value::String(id) => id,
                        Value::Number(n) => n.to_string(),
                        _ => return Err(A::Error::custom("`id` must be a string or a number")),
                    }
                }
                "text" => {
                    doc.text = fields.next_value()?;
                    has_content = true;
                }
                "html" => {
                    doc.html = Some(fields.next_value()?);
                    has_content = true;
                }
                "meta" => doc.meta.extend(fields.next_value::<Map<String, Value>>()?),
                "sentences" => doc.sentences = Some(fields.next_value()?),
                "entities" => doc.entities = Some(fields.next_value()?),
                "summary" => doc.summary = Some(fields.next_value()?),
                "removed" => doc.removed = Some(fields.next_value()?),
                "ext" => doc.ext = fields.next_value()?,
                "skipped" => doc.skipped = fields.next_value()?,
                // A language tag is the document's language; anything else under that name
                // (a number, a list) is someone else's data and stays in `meta`.
                "lang" => match fields.next_value::<Value>()? {
                    Value::String(lang) if !lang.is_empty() => doc.lang = Some(lang),
                    other => {
                        doc.meta.insert(key, other);
                    }
                },
                _ => {
                    let value = fields.next_value::<Value>()?;
                    doc.meta.insert(key, value);
                }
            }
        }
        Ok(JsonLine { doc, has_content })
    }
}

/// Which JSON fields hold a document's text, id and HTML, when a dataset names them otherwise.
/// The default reads `text`, `id` and `html`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct JsonFields {
    /// The field holding the text (`--text-field`).
    pub text: Option<String>,
    /// The field holding the id (`--id-field`).
    pub id: Option<String>,
    /// The field holding the HTML (`--html-field`).
    pub html: Option<String>,
}

impl JsonFields {
    fn renames(&self) -> impl Iterator<Item = (&str, &'static str)> {
        [
            (self.text.as_deref(), "text"),
            (self.id.as_deref(), "id"),
            (self.html.as_deref(), "html"),
        ]
        .into_iter()
        .filter_map(|(from, to)| Some((from?, to)).filter(|(from, to)| from != to))
    }

    /// True when every field has its own name (`text`, `id`, `html`).
    pub fn is_default(&self) -> bool {
        self.renames().next().is_none()
    }
}

/// A document of one JSON line under `fields` (see the module documentation).
pub fn document_from_dataset_line(
    line: &str,
    fallback_id: &str,
    fields: &JsonFields,
) -> Result<Document, String> {
    if fields.is_default() {
        match document_from_json_line(line, fallback_id) {
            Ok(doc) => return Ok(doc),
            Err(error) if error.starts_with("not valid JSON") => return Err(error),
            Err(_) => {}
        }
    }
    let value: Value =
        serde_json::from_str(line).map_err(|error| format!("not valid JSON: {error}"))?;
    document_from_dataset_value(value, fallback_id, fields)
}

/// A document of a JSON value already parsed (a dict handed over by the Python package)
/// under `fields`, by the same rules as [`document_from_dataset_line`].
pub fn document_from_dataset_value(
    value: Value,
    fallback_id: &str,
    fields: &JsonFields,
) -> Result<Document, String> {
    let Value::Object(mut object) = value else {
        return document_from_json_value(value, fallback_id);
    };
    for (from, to) in fields.renames() {
        // The dataset's own `text` (say) is data when another field is named as the text,
        // whether or not this line has that field.
        let named = object.remove(from);
        if let Some(displaced) = object.remove(to) {
            meta_of(&mut object).insert(to.to_string(), displaced);
        }
        if let Some(value) = named {
            object.insert(to.to_string(), value);
        }
    }
    for layer in LAYERS {
        let foreign = object
            .get(layer)
            .is_some_and(|value| !has_layer_shape(layer, value));
        if foreign {
            let value = object.remove(layer).unwrap_or_default();
            meta_of(&mut object).insert(layer.to_string(), value);
        }
    }
    document_from_json_value(Value::Object(object), fallback_id)
}

const LAYERS: [&str; 6] = [
    "sentences",
    "entities",
    "summary",
    "removed",
    "skipped",
    "ext",
];

/// Whether `value` reads as textpipe's layer `layer`.
fn has_layer_shape(layer: &str, value: &Value) -> bool {
    fn reads_as<T: serde::de::DeserializeOwned>(value: &Value) -> bool {
        T::deserialize(value).is_ok()
    }
    match layer {
        "sentences" => reads_as::<Vec<Span>>(value),
        "entities" => reads_as::<Vec<Entity>>(value),
        "summary" => reads_as::<Summary>(value),
        "removed" => reads_as::<Vec<RemovedBlock>>(value),
        "skipped" => reads_as::<Vec<SkipNote>>(value),
        "ext" => value.is_object(),
        _ => false,
    }
}

/// The line's `meta` object, made when missing (a `meta` that is not an object is kept under
/// `meta.meta`).
fn meta_of(object: &mut Map<String, Value>) -> &mut Map<String, Value> {
    let meta = object
        .entry("meta")
        .or_insert_with(|| Value::Object(Map::new()));
    if !meta.is_object() {
        let other = std::mem::replace(meta, Value::Object(Map::new()));
        meta.as_object_mut()
            .map(|map| map.insert("meta".into(), other));
    }
    meta.as_object_mut().expect("made an object above")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::span::Span;
    use proptest::prelude::*;

    /// Both readings of a line: the fast one (when it takes the line) and serde_json's.
    fn both_readings(line: &str) -> (Option<Result<Document, String>>, Result<Document, String>) {
        let fast = plain_line(line).map(|plain| plain.into_document("fallback"));
        (fast, document_from_json_tokens(line, "fallback"))
    }

    #[test]
    fn plain_lines_read_as_serde_json_reads_them() {
        let taken = [
            r#"{"id": "a", "text": "One.\nTwo \"quoted\" \\ \/ \t\r\b\f end"}"#,
            "  {\"text\":\"é 東京\",\"id\":\"\"}\r\n",
            r#"{"text": "first", "text": "second", "id": "x", "id": "y"}"#,
            r#"{"text": ""}"#,
            r#"{"id": "\u00e9", "text": "caf\u00E9 \ud83d\ude00 \u0000\u001f \u2028"}"#,
        ];
        for line in taken {
            let (fast, serde) = both_readings(line);
            assert_eq!(fast, Some(serde), "{line}");
        }
        let left_to_serde = [
            r#"{"id": 7, "text": "number id"}"#,
            r#"{"id": "a", "text": "lone \ud800 surrogate"}"#,
            r#"{"id": "a", "text": "lone \udc00 surrogate"}"#,
            r#"{"id": "a", "text": "half \ud83d\u0041 pair"}"#,
            r#"{"id": "a", "text": "short \u12"}"#,
            r#"{"id": "a", "text": "bad \x escape"}"#,
            "{\"id\": \"a\", \"text\": \"raw \u{1} control\"}",
            r#"{"id": "a", "text": "no end}"#,
            r#"{"id": "a", "text": "x"} trailing"#,
            r#"{"id": "a", "text": "x",}"#,
            r#"{"id": "a", "html": "<p>x</p>"}"#,
            r#"{"id": "a"}"#,
            r#"{}"#,
            r#"["id", "text"]"#,
            r#"{"id": "a", "text": "x\"#,
        ];
        for line in left_to_serde {
            assert!(plain_line(line).is_none(), "{line}");
        }
    }

    proptest! {
        #[test]
        fn any_line_the_fast_reading_takes_reads_the_same_by_serde_json(
            line in r#"[ \t]{0,2}\{[ ]?("(id|text|x)"[ ]?:[ ]?"([a-zé"/\\bfnrtu\x00-\x1f ]|\\["\\/bfnrtux])*"[ ]?[,}]){1,4}[ \n]{0,2}"#,
        ) {
            let (fast, serde) = both_readings(&line);
            if let Some(fast) = fast {
                prop_assert_eq!(fast, serde);
            }
        }

        #[test]
        fn any_id_and_text_written_by_serde_json_read_back_the_same(
            id in "(.|[\\x00-\\x1f\"\\\\]){0,10}",
            text in "(.|[\\x00-\\x1f\"\\\\/\n]){0,80}",
        ) {
            let line = serde_json::json!({"id": id, "text": text}).to_string();
            let (fast, serde) = both_readings(&line);
            prop_assert_eq!(fast.unwrap_or_else(|| serde.clone()), serde);
        }
    }

    #[test]
    fn layers_whose_spans_do_not_fit_are_refused() {
        let error =
            document_from_json_line(r#"{"text":"é","sentences":[{"start":0,"end":1}]}"#, "x")
                .unwrap_err();
        assert!(error.contains("layers do not fit"), "{error}");
    }

    #[test]
    fn a_line_without_text_or_html_is_refused() {
        let error = document_from_json_line(r#"{"id":"a"}"#, "x").unwrap_err();
        assert!(error.contains("`text` or an `html`"), "{error}");
    }

    #[test]
    fn a_parsed_object_reads_as_its_line_would() {
        let line = r#"{"id": 4, "text": "é.", "lang": "fr", "sentences": [{"start": 0, "end": 3}], "x": [1]}"#;
        let value: Value = serde_json::from_str(line).unwrap();
        assert_eq!(
            document_from_json_value(value, "v").unwrap(),
            document_from_json_line(line, "l").unwrap()
        );
        let error = document_from_json_value(serde_json::json!({"id": "a"}), "x").unwrap_err();
        assert!(error.contains("`text` or an `html`"), "{error}");
    }

    proptest! {
        // Any document textpipe writes reads back as the same document.
        #[test]
        fn output_lines_read_back_unchanged(id in "\\PC{0,20}", text in "\\PC{0,60}", title in "\\PC{0,10}") {
            let mut doc = Document::new(if id.is_empty() { "x".to_string() } else { id }, text);
            doc.sentences = Some(vec![Span::new(0, doc.text.len())]);
            doc.meta.insert("title".into(), Value::String(title));
            let line = serde_json::to_string(&doc).unwrap();
            prop_assert_eq!(document_from_json_line(&line, "unused").unwrap(), doc);
        }
    }
}

#[cfg(test)]
mod dataset_tests {
    use super::*;

    #[test]
    fn a_field_named_like_a_layer_without_its_shape_is_kept_in_meta() {
        let line = r#"{"id": "bbc-1", "text": "Profits fell. Shares rose.", "summary": "Profits fell.", "sentences": 2, "category": "business"}"#;
        let doc = document_from_dataset_line(line, "x", &JsonFields::default()).unwrap();
        assert_eq!(doc.summary, None);
        assert_eq!(doc.sentences, None);
        assert_eq!(doc.meta["summary"], "Profits fell.");
        assert_eq!(doc.meta["sentences"], 2);
        assert_eq!(doc.meta["category"], "business");
    }

    #[test]
    fn a_layer_with_textpipe_shape_is_read_back_and_must_fit() {
        let fits = r#"{"text": "ab", "sentences": [{"start": 0, "end": 2}]}"#;
        let doc = document_from_dataset_line(fits, "x", &JsonFields::default()).unwrap();
        assert_eq!(doc.sentences, Some(vec![Span::new(0, 2)]));
        let past = r#"{"text": "ab", "sentences": [{"start": 0, "end": 99}]}"#;
        let error = document_from_dataset_line(past, "x", &JsonFields::default()).unwrap_err();
        assert!(error.contains("layers do not fit"), "{error}");
    }

    #[test]
    fn named_fields_become_text_id_and_html() {
        let fields = JsonFields {
            text: Some("content".into()),
            id: Some("url".into()),
            html: None,
        };
        let line = r#"{"url": "https://x.example/a", "content": "Body.", "text": "teaser"}"#;
        let doc = document_from_dataset_line(line, "x", &fields).unwrap();
        assert_eq!(doc.id, "https://x.example/a");
        assert_eq!(doc.text, "Body.");
        assert_eq!(doc.meta["text"], "teaser");
        let html = JsonFields {
            html: Some("raw".into()),
            ..JsonFields::default()
        };
        let doc = document_from_dataset_line(r#"{"raw": "<p>Hi.</p>"}"#, "f:1", &html).unwrap();
        assert_eq!(
            (doc.id.as_str(), doc.html.as_deref()),
            ("f:1", Some("<p>Hi.</p>"))
        );
        let error = document_from_dataset_line(r#"{"text": "no content field"}"#, "x", &fields)
            .unwrap_err();
        assert!(error.contains("`text` or an `html`"), "{error}");
    }

    #[test]
    fn with_duplicate_keys_the_last_one_wins() {
        for fields in [
            JsonFields::default(),
            JsonFields {
                text: Some("body".into()),
                ..JsonFields::default()
            },
        ] {
            let line = match fields.text {
                None => r#"{"id": "a", "text": "first", "text": "last", "id": "b"}"#,
                Some(_) => r#"{"id": "a", "body": "first", "body": "last", "id": "b"}"#,
            };
            let doc = document_from_dataset_line(line, "x", &fields).unwrap();
            assert_eq!((doc.id.as_str(), doc.text.as_str()), ("b", "last"));
        }
    }

    #[test]
    fn json_syntax_errors_are_reported_as_such() {
        let error = document_from_dataset_line("{oops", "x", &JsonFields::default()).unwrap_err();
        assert!(error.starts_with("not valid JSON"), "{error}");
    }
}
