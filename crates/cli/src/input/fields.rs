//! Someone else's dataset as documents: fields named otherwise, and fields that share a name
//! with a textpipe layer without being one.
//!
//! A JSON line is first read by [`textpipe_core::document_from_json_line`], the fast path for
//! textpipe's own output. When a dataset names its fields otherwise (`--text-field content`,
//! `--id-field url`, `--html-field raw`), or when a line fails for a reason other than its JSON
//! syntax, the line is read again as a JSON object: the named fields are moved to `text`, `id`
//! and `html`, and a field called like a layer (`summary`, `sentences`, `entities`, `removed`,
//! `skipped`, `ext`) that does not have textpipe's shape for that layer (the BBC summaries have
//! `"summary": "a string"`) is kept as data in `meta` under its name. A layer with textpipe's
//! shape is read back as a layer, and its spans must fit the text.
//!
//! Duplicate keys in a line follow one documented rule: the last occurrence wins, as in
//! JavaScript's `JSON.parse`, Python's `json.loads` and jq.

use serde_json::{Map, Value};
use textpipe_core::json_line::document_from_json_value;
use textpipe_core::{
    document_from_json_line, Document, Entity, RemovedBlock, SkipNote, Span, Summary,
};

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

    fn is_default(&self) -> bool {
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
