//! Documents to JSON lines: the writing half of the output contract.
//!
//! A document's JSON is what `serde_json` makes of its derived `Serialize`, byte for byte (a
//! test holds the two together); this module only writes it faster. Writing the output was a
//! tenth of a run that removes boilerplate from plain text: `serde_json` looks every byte of a
//! string up in its escape table, and a document's strings (its text, the removed blocks, the
//! HTML it came from) are most of its bytes. Here the long strings are scanned eight bytes at a
//! time for the few bytes JSON must escape, and clean runs are copied whole (`memchr3` for the
//! quote, the backslash and the newline was tried: its set-up per call costs more than it saves
//! on the short strings most of them are, the removed blocks' lines). The positions and scores
//! of removed blocks and the offsets and scores of entities are written by the same `itoa` and
//! `zmij` writers serde_json calls; the other structured parts (metadata, spans, skip notes)
//! still go through `serde_json`, so numbers and maps are written exactly as before.

use serde::Serialize;

use crate::document::{Document, Entity, RemovedBlock, Summary};

/// Appends `doc` as one JSON object (no newline) to `out`: the same bytes as
/// `serde_json::to_writer(out, doc)`.
///
/// ```
/// use textpipe_core::{json_write::write_document_json, Document};
/// let doc = Document::new("7", "Say \"hi\".\n");
/// let mut out = Vec::new();
/// write_document_json(&doc, &mut out);
/// assert_eq!(out, br#"{"id":"7","text":"Say \"hi\".\n"}"#);
/// ```
pub fn write_document_json(doc: &Document, out: &mut Vec<u8>) {
    write_document_json_fields(doc, out, |_| true);
}

/// Appends `doc` as one JSON object (no newline) to `out` with `id`, `text` and those of its
/// other fields whose name `wanted` accepts (`"lang"`, `"meta"`, ... `"skipped"`), in the same
/// order and form as the whole document: what a stage that reads only some fields is sent.
///
/// ```
/// use textpipe_core::{json_write::write_document_json_fields, Document};
/// let mut doc = Document::new("7", "Hi.");
/// doc.lang = Some("en".into());
/// doc.meta.insert("title".into(), "Greeting".into());
/// let mut out = Vec::new();
/// write_document_json_fields(&doc, &mut out, |field| field == "meta");
/// assert_eq!(out, br#"{"id":"7","text":"Hi.","meta":{"title":"Greeting"}}"#);
/// ```
pub fn write_document_json_fields(
    doc: &Document,
    out: &mut Vec<u8>,
    wanted: impl Fn(&str) -> bool,
) {
    // Every field named, so a field added to `Document` does not compile until it is written.
    let Document {
        id,
        text,
        lang,
        meta,
        html,
        sentences,
        entities,
        summary,
        removed,
        ext,
        skipped,
    } = doc;
    out.extend_from_slice(b"{\"id\":");
    write_json_string(id, out);
    out.extend_from_slice(b",\"text\":");
    write_json_string(text, out);
    let lang = lang.as_ref().filter(|_| wanted("lang"));
    let meta = Some(meta).filter(|meta| !meta.is_empty() && wanted("meta"));
    let html = html.as_ref().filter(|_| wanted("html"));
    let sentences = sentences.as_ref().filter(|_| wanted("sentences"));
    let entities = entities.as_ref().filter(|_| wanted("entities"));
    let summary = summary.as_ref().filter(|_| wanted("summary"));
    let removed = removed.as_ref().filter(|_| wanted("removed"));
    let ext = Some(ext).filter(|ext| !ext.is_empty() && wanted("ext"));
    let skipped = Some(skipped).filter(|skipped| !skipped.is_empty() && wanted("skipped"));
    if let Some(lang) = lang {
        out.extend_from_slice(b",\"lang\":");
        write_json_string(lang, out);
    }
    if let Some(meta) = meta {
        out.extend_from_slice(b",\"meta\":");
        write_serde(meta, out);
    }
    if let Some(html) = html {
        out.extend_from_slice(b",\"html\":");
        write_json_string(html, out);
    }
    if let Some(sentences) = sentences {
        out.extend_from_slice(b",\"sentences\":");
        write_serde(sentences, out);
    }
    if let Some(entities) = entities {
        out.extend_from_slice(b",\"entities\":");
        write_list(entities, out, write_entity);
    }
    if let Some(summary) = summary {
        out.extend_from_slice(b",\"summary\":");
        write_summary(summary, out);
    }
    if let Some(removed) = removed {
        out.extend_from_slice(b",\"removed\":");
        write_list(removed, out, write_removed_block);
    }
    if let Some(ext) = ext {
        out.extend_from_slice(b",\"ext\":");
        write_serde(ext, out);
    }
    if let Some(skipped) = skipped {
        out.extend_from_slice(b",\"skipped\":");
        write_serde(skipped, out);
    }
    out.push(b'}');
}

fn write_entity(entity: &Entity, out: &mut Vec<u8>) {
    let Entity {
        start,
        end,
        label,
        text,
        source,
        score,
    } = entity;
    out.extend_from_slice(b"{\"start\":");
    write_usize(*start, out);
    out.extend_from_slice(b",\"end\":");
    write_usize(*end, out);
    out.extend_from_slice(b",\"label\":");
    write_json_string(label, out);
    out.extend_from_slice(b",\"text\":");
    write_json_string(text, out);
    if let Some(source) = source {
        out.extend_from_slice(b",\"source\":");
        write_json_string(source, out);
    }
    if let Some(score) = score {
        out.extend_from_slice(b",\"score\":");
        write_f32(*score, out);
    }
    out.push(b'}');
}

fn write_summary(summary: &Summary, out: &mut Vec<u8>) {
    let Summary {
        text,
        sentences,
        scores,
    } = summary;
    out.extend_from_slice(b"{\"text\":");
    write_json_string(text, out);
    out.extend_from_slice(b",\"sentences\":");
    write_serde(sentences, out);
    if let Some(scores) = scores {
        out.extend_from_slice(b",\"scores\":");
        write_serde(scores, out);
    }
    out.push(b'}');
}

fn write_removed_block(block: &RemovedBlock, out: &mut Vec<u8>) {
    let RemovedBlock {
        text,
        reason,
        position,
        score,
    } = block;
    out.extend_from_slice(b"{\"text\":");
    write_json_string(text, out);
    out.extend_from_slice(b",\"reason\":");
    write_json_string(reason, out);
    if let Some(position) = position {
        out.extend_from_slice(b",\"position\":");
        write_usize(*position, out);
    }
    if let Some(score) = score {
        out.extend_from_slice(b",\"score\":");
        write_f32(*score, out);
    }
    out.push(b'}');
}

/// Appends `value` as `serde_json` writes a `usize` (the `itoa` writer serde_json calls).
fn write_usize(value: usize, out: &mut Vec<u8>) {
    out.extend_from_slice(itoa::Buffer::new().format(value).as_bytes());
}

/// Appends `value` as `serde_json` writes an `f32`: the shortest form that reads back to the
/// same value (the `zmij` writer serde_json calls), and `null` when it is not finite.
fn write_f32(value: f32, out: &mut Vec<u8>) {
    if value.is_finite() {
        out.extend_from_slice(zmij::Buffer::new().format_finite(value).as_bytes());
    } else {
        out.extend_from_slice(b"null");
    }
}

fn write_list<T>(items: &[T], out: &mut Vec<u8>, write_item: fn(&T, &mut Vec<u8>)) {
    out.push(b'[');
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        write_item(item, out);
    }
    out.push(b']');
}

fn write_serde<T: Serialize + ?Sized>(value: &T, out: &mut Vec<u8>) {
    // Our own types and JSON values with string keys: writing them to memory cannot fail.
    serde_json::to_writer(&mut *out, value).expect("document parts serialize to JSON");
}

/// Appends `text` as a JSON string, escaped exactly as `serde_json` escapes it: `"` and `\`,
/// the short forms `\b \t \n \f \r`, and `\u00XX` (lowercase hex) for the other control
/// characters; everything else, DEL and non-ASCII included, as it is.
pub fn write_json_string(text: &str, out: &mut Vec<u8>) {
    let bytes = text.as_bytes();
    out.reserve(bytes.len() + 2);
    out.push(b'"');
    let mut clean_from = 0;
    let mut at = 0;
    while let Some(found) = next_byte_to_escape(bytes, at) {
        out.extend_from_slice(&bytes[clean_from..found]);
        write_escape(bytes[found], out);
        at = found + 1;
        clean_from = at;
    }
    out.extend_from_slice(&bytes[clean_from..]);
    out.push(b'"');
}

/// The position of the first byte at or after `from` that JSON must escape.
fn next_byte_to_escape(bytes: &[u8], from: usize) -> Option<usize> {
    const ONES: u64 = u64::from_ne_bytes([0x01; 8]);
    const HIGHS: u64 = u64::from_ne_bytes([0x80; 8]);
    const SPACES: u64 = u64::from_ne_bytes([0x20; 8]);
    const QUOTES: u64 = u64::from_ne_bytes([b'"'; 8]);
    const BACKSLASHES: u64 = u64::from_ne_bytes([b'\\'; 8]);
    // The high bit of each byte of the result is set where a byte is below 0x20, or equal to
    // a quote or a backslash (a zero after the XOR). A borrow can only set bits above a byte
    // that is itself flagged, so the lowest flagged byte is always a real one.
    let flags = |word: u64| {
        let below_space = word.wrapping_sub(SPACES) & !word;
        let quote = word ^ QUOTES;
        let backslash = word ^ BACKSLASHES;
        (below_space
            | (quote.wrapping_sub(ONES) & !quote)
            | (backslash.wrapping_sub(ONES) & !backslash))
            & HIGHS
    };
    let mut at = from;
    while at + 8 <= bytes.len() {
        let word = u64::from_le_bytes(bytes[at..at + 8].try_into().expect("eight bytes"));
        let flagged = flags(word);
        if flagged != 0 {
            return Some(at + flagged.trailing_zeros() as usize / 8);
        }
        at += 8;
    }
    bytes[at..]
        .iter()
        .position(|&byte| byte < 0x20 || byte == b'"' || byte == b'\\')
        .map(|offset| at + offset)
}

fn write_escape(byte: u8, out: &mut Vec<u8>) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let short = match byte {
        b'"' => b'"',
        b'\\' => b'\\',
        0x08 => b'b',
        b'\t' => b't',
        b'\n' => b'n',
        0x0C => b'f',
        b'\r' => b'r',
        _ => {
            out.extend_from_slice(&[
                b'\\',
                b'u',
                b'0',
                b'0',
                HEX[usize::from(byte >> 4)],
                HEX[usize::from(byte & 0xF)],
            ]);
            return;
        }
    };
    out.extend_from_slice(&[b'\\', short]);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::language::SkipNote;
    use crate::span::Span;
    use proptest::prelude::*;
    use serde_json::json;

    fn both(doc: &Document) -> (String, String) {
        let mut ours = Vec::new();
        write_document_json(doc, &mut ours);
        (
            String::from_utf8(ours).unwrap(),
            serde_json::to_string(doc).unwrap(),
        )
    }

    #[test]
    fn lines_with_quotes_backslashes_tabs_and_returns_are_escaped_as_serde_json_does() {
        let line = "A \"quoted\" line \\ with a backslash, é and 東京.\n";
        let tab_far = format!("{}\t", line.repeat(5));
        for text in [
            line.repeat(3),
            tab_far,
            format!("\r{line}"),
            String::new(),
            "\n".into(),
        ] {
            let mut ours = Vec::new();
            write_json_string(&text, &mut ours);
            assert_eq!(
                String::from_utf8(ours).unwrap(),
                serde_json::to_string(&text).unwrap()
            );
        }
    }

    #[test]
    fn every_byte_below_0x80_is_escaped_as_serde_json_escapes_it() {
        let all: String = (0u8..0x80).map(char::from).collect();
        for text in [all.clone(), all.repeat(3), format!("abc{all}xyzé\u{2028}")] {
            let mut ours = Vec::new();
            write_json_string(&text, &mut ours);
            assert_eq!(
                String::from_utf8(ours).unwrap(),
                serde_json::to_string(&text).unwrap()
            );
        }
    }

    #[test]
    fn a_document_with_every_field_is_written_as_serde_json_writes_it() {
        let text = "Tim Cook \"spoke\"\tin Cupertino.\nÜber\\alles.\u{1}";
        let mut doc = Document::new("doc\n1", text);
        doc.lang = Some("en".into());
        doc.meta.insert("title".into(), json!("A \"title\""));
        doc.meta
            .insert("n".into(), json!([1, 2.5, null, {"k": "v"}]));
        doc.html = Some("<p>Tim Cook</p>\r\n".into());
        doc.sentences = Some(vec![Span::new(0, 30), Span::new(31, text.len())]);
        let mut with_score = Entity::new(text, Span::new(0, 8), "PER");
        with_score.source = Some("model".into());
        with_score.score = Some(0.912_345_7);
        doc.entities = Some(vec![
            with_score,
            Entity::new(text, Span::new(21, 30), "LOC"),
        ]);
        doc.summary = Some(Summary {
            text: "Tim Cook \"spoke\".".into(),
            sentences: vec![0],
            scores: Some(vec![0.5, 1e-7, f32::NAN]),
        });
        doc.removed = Some(vec![
            RemovedBlock {
                text: "Accept cookies\u{7f}".into(),
                reason: "cookie-notice".into(),
                position: Some(3),
                score: Some(0.25),
            },
            RemovedBlock {
                text: String::new(),
                reason: "navigation".into(),
                position: None,
                score: None,
            },
        ]);
        doc.ext.insert("plugin".into(), json!({"x": 1}));
        doc.skipped.push(SkipNote {
            stage: "entities".into(),
            reason: "no model for lang=fi".into(),
            lang: Some("fi".into()),
        });
        let (ours, serde) = both(&doc);
        assert_eq!(ours, serde);
        let (ours, serde) = both(&Document::new("", ""));
        assert_eq!(ours, serde);
    }

    #[test]
    fn numbers_of_removed_blocks_and_entities_are_written_as_serde_json_writes_them() {
        let scores = [
            0.0,
            -0.0,
            1.0,
            0.1,
            1e-7,
            3.402_823_5e38,
            f32::MIN_POSITIVE,
            1e-45,
            f32::NAN,
            f32::INFINITY,
            f32::NEG_INFINITY,
        ];
        let positions = [0, 9, 10, 12_345, usize::MAX];
        let mut doc = Document::new("n", "");
        doc.removed = Some(
            scores
                .iter()
                .zip(positions.iter().cycle())
                .map(|(&score, &position)| RemovedBlock {
                    text: "x".into(),
                    reason: "classifier".into(),
                    position: Some(position),
                    score: Some(score),
                })
                .collect(),
        );
        // Entities' offsets and scores take the same writers (the text is not read here).
        doc.entities = Some(
            scores
                .iter()
                .zip(positions.iter().cycle())
                .map(|(&score, &position)| Entity {
                    start: position,
                    end: position,
                    label: "ORG".into(),
                    text: String::new(),
                    source: Some("model".into()),
                    score: Some(score),
                })
                .collect(),
        );
        let (ours, serde) = both(&doc);
        assert_eq!(ours, serde);
    }

    proptest! {
        #[test]
        fn any_text_is_written_as_serde_json_writes_it(
            id in ".{0,12}",
            text in "(.|[\\x00-\\x1f\"\\\\]){0,80}",
            reason in "[a-z\\-\"\\x00-\\x1f]{0,10}",
            position in any::<Option<usize>>(),
            score in any::<Option<f32>>(),
        ) {
            let mut doc = Document::new(id, text.clone());
            let reason = reason.into();
            doc.removed = Some(vec![RemovedBlock { text, reason, position, score }]);
            let (ours, serde) = both(&doc);
            prop_assert_eq!(ours, serde);
        }
    }
}
