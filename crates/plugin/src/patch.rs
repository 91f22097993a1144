//! What a plugin answers for one document: a patch of the fields it changed.
//!
//! Sending the whole document back would make every plugin pay twice for the text (serialize
//! it in the plugin, parse it again in the host) even when it only adds `ext.keywords`. A patch
//! is a JSON object whose top-level keys replace the document's fields; `ext` is merged key by
//! key, a `null` entry removing one. `{}` means nothing changed. A whole document is a valid
//! patch too, so a plugin that finds patches awkward can echo everything.
//!
//! The SDK computes the patch by comparing the document before and after the stage
//! ([`write_patch`]); the host parses it ([`DocumentPatch`]) and applies it, keeping the undo
//! patch so a document whose new spans turn out broken is restored unchanged.

use std::collections::BTreeMap;

use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{Map, Value};
use textpipe_core::{Document, Entity, RemovedBlock, Span, Summary};

/// Writes the patch that turns `before` into `after` as JSON into `out`.
pub fn write_patch(
    before: &Document,
    after: &Document,
    out: &mut Vec<u8>,
) -> serde_json::Result<()> {
    fn changed<'a, T: PartialEq>(before: &T, after: &'a T) -> Option<&'a T> {
        (before != after).then_some(after)
    }
    let mut ext = BTreeMap::new();
    for (key, value) in &after.ext {
        if before.ext.get(key) != Some(value) {
            ext.insert(key.as_str(), Some(value));
        }
    }
    for key in before.ext.keys() {
        if !after.ext.contains_key(key) {
            ext.insert(key.as_str(), None);
        }
    }
    let patch = PatchRef {
        id: (before.id != after.id).then_some(after.id.as_str()),
        text: (before.text != after.text).then_some(after.text.as_str()),
        meta: changed(&before.meta, &after.meta),
        html: changed(&before.html, &after.html),
        sentences: changed(&before.sentences, &after.sentences),
        entities: changed(&before.entities, &after.entities),
        summary: changed(&before.summary, &after.summary),
        removed: changed(&before.removed, &after.removed),
        ext: (!ext.is_empty()).then_some(ext),
    };
    serde_json::to_writer(out, &patch)
}

/// The serializing twin of [`DocumentPatch`], borrowing from the document.
#[derive(Serialize)]
struct PatchRef<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    text: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    meta: Option<&'a Map<String, Value>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    html: Option<&'a Option<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    sentences: Option<&'a Option<Vec<Span>>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    entities: Option<&'a Option<Vec<Entity>>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    summary: Option<&'a Option<Summary>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    removed: Option<&'a Option<Vec<RemovedBlock>>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    ext: Option<BTreeMap<&'a str, Option<&'a Value>>>,
}

/// A parsed patch. For the optional layers the outer `Option` says whether the key was present,
/// the inner one whether it was `null` (remove the layer).
#[derive(Debug, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DocumentPatch {
    /// The document id; present only to be checked, a plugin may not change it.
    #[serde(default)]
    pub id: Option<String>,
    /// New text (only from stages that provide `text`).
    #[serde(default)]
    pub text: Option<String>,
    /// New metadata, replacing the old.
    #[serde(default)]
    pub meta: Option<Map<String, Value>>,
    /// New html.
    #[serde(default, deserialize_with = "present")]
    pub html: Option<Option<String>>,
    /// New sentence layer.
    #[serde(default, deserialize_with = "present")]
    pub sentences: Option<Option<Vec<Span>>>,
    /// New entity layer.
    #[serde(default, deserialize_with = "present")]
    pub entities: Option<Option<Vec<Entity>>>,
    /// New summary.
    #[serde(default, deserialize_with = "present")]
    pub summary: Option<Option<Summary>>,
    /// New removed-blocks layer.
    #[serde(default, deserialize_with = "present")]
    pub removed: Option<Option<Vec<RemovedBlock>>>,
    /// `ext` entries to set (`null`: remove).
    #[serde(default)]
    pub ext: Option<Map<String, Value>>,
}

/// Marks a present key as `Some`, so `null` becomes `Some(None)` rather than `None`.
fn present<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Option<T>, D::Error> {
    T::deserialize(d).map(Some)
}

impl DocumentPatch {
    /// True when the patch replaces the text.
    pub fn rewrites_text(&self, doc: &Document) -> bool {
        self.text.as_ref().is_some_and(|text| *text != doc.text)
    }

    /// True when the patch replaces the text or a layer of spans into it.
    pub fn touches_spans(&self) -> bool {
        self.text.is_some()
            || self.sentences.is_some()
            || self.entities.is_some()
            || self.summary.is_some()
    }

    /// Applies the patch to `doc` and returns the patch that undoes it.
    pub fn apply(self, doc: &mut Document) -> DocumentPatch {
        fn swap<T>(slot: &mut T, new: Option<T>) -> Option<T> {
            new.map(|new| std::mem::replace(slot, new))
        }
        let ext = self.ext.map(|entries| {
            let mut undo = Map::new();
            for (key, value) in entries {
                let old = if value.is_null() {
                    doc.ext.remove(&key)
                } else {
                    doc.ext.insert(key.clone(), value)
                };
                undo.insert(key, old.unwrap_or(Value::Null));
            }
            undo
        });
        DocumentPatch {
            id: None,
            text: swap(&mut doc.text, self.text),
            meta: swap(&mut doc.meta, self.meta),
            html: swap(&mut doc.html, self.html),
            sentences: swap(&mut doc.sentences, self.sentences),
            entities: swap(&mut doc.entities, self.entities),
            summary: swap(&mut doc.summary, self.summary),
            removed: swap(&mut doc.removed, self.removed),
            ext,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::json;

    fn sample() -> Document {
        let mut doc = Document::new("d1", "Paris is big. Rome too.");
        doc.sentences = Some(vec![Span::new(0, 13), Span::new(14, 23)]);
        doc.ext.insert("old".into(), json!(1));
        doc.ext.insert("kept".into(), json!("same"));
        doc
    }

    fn patch_json(before: &Document, after: &Document) -> String {
        let mut out = Vec::new();
        write_patch(before, after, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn unchanged_document_gives_an_empty_patch() {
        let doc = sample();
        assert_eq!(patch_json(&doc, &doc), "{}");
    }

    #[test]
    fn patch_names_only_what_changed_and_null_removes() {
        let before = sample();
        let mut after = before.clone();
        after.sentences = None;
        after.ext.remove("old");
        after.ext.insert("keywords".into(), json!(["paris"]));
        let patch: Value = serde_json::from_str(&patch_json(&before, &after)).unwrap();
        assert_eq!(
            patch,
            json!({"sentences": null, "ext": {"old": null, "keywords": ["paris"]}})
        );
    }

    #[test]
    fn applying_then_undoing_restores_the_document() {
        let original = sample();
        let mut doc = original.clone();
        let patch: DocumentPatch = serde_json::from_value(json!({
            "entities": [{"start": 0, "end": 5, "label": "LOC", "text": "Paris"}],
            "html": null,
            "ext": {"old": null, "new": true}
        }))
        .unwrap();
        let undo = patch.apply(&mut doc);
        assert_eq!(doc.entities.as_ref().map(Vec::len), Some(1));
        assert!(!doc.ext.contains_key("old"));
        undo.apply(&mut doc);
        assert_eq!(doc, original);
    }

    #[test]
    fn unknown_keys_are_refused() {
        assert!(serde_json::from_str::<DocumentPatch>(r#"{"sentence": []}"#).is_err());
    }

    proptest! {
        #[test]
        fn written_patch_turns_before_into_after(
            text in "\\PC{0,30}",
            drop_sentences in any::<bool>(),
            ext_value in proptest::option::of(0i64..5),
            new_title in proptest::option::of("\\PC{0,10}"),
        ) {
            let mut before = Document::new("id", text.clone());
            before.sentences = Some(vec![Span::new(0, text.len())]);
            before.ext.insert("x".into(), json!(2));
            let mut after = before.clone();
            if drop_sentences { after.sentences = None; }
            match ext_value {
                Some(v) => { after.ext.insert("x".into(), json!(v)); }
                None => { after.ext.remove("x"); }
            }
            if let Some(title) = new_title { after.meta.insert("title".into(), json!(title)); }
            let patch: DocumentPatch = serde_json::from_str(&patch_json(&before, &after)).unwrap();
            let mut applied = before.clone();
            patch.apply(&mut applied);
            prop_assert_eq!(applied, after);
        }
    }
}
