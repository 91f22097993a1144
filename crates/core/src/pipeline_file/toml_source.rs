//! TOML pipeline files: toml_edit parses with spans; we convert to JSON values as we go.
//!
//! Stage configs are JSON values everywhere else, so a TOML file is turned into the same
//! `serde_json::Value` a JSON file gives, recording each node's position on the way. TOML
//! datetimes have no JSON counterpart and become strings.

use serde_json::{Map, Number, Value};
use toml_edit::{Item, Key};

use super::json_source::SyntaxError;
use super::source_map::{NodePosition, SourceMap};

/// Parses `text` into a value and the positions of its nodes.
pub(crate) fn parse(text: &str) -> Result<(Value, SourceMap), SyntaxError> {
    let mut map = SourceMap::new(text);
    let document = toml_edit::Document::parse(text).map_err(|error| {
        let at = map.line_column(error.span().map_or(0, |span| span.start));
        SyntaxError {
            line: at.line,
            column: at.column,
            message: error.message().trim().to_string(),
        }
    })?;
    let root = document.as_item();
    map.record(
        &[],
        NodePosition {
            key: None,
            value: 0,
        },
    );
    let value = item(root, &mut Vec::new(), &mut map);
    Ok((value, map))
}

fn record(map: &mut SourceMap, path: &[String], key: Option<&Key>, span: Option<usize>) {
    let key = key.and_then(|k| k.span()).map(|s| s.start);
    if let Some(value) = span.or(key) {
        map.record(path, NodePosition { key, value });
    }
}

fn item(node: &Item, path: &mut Vec<String>, map: &mut SourceMap) -> Value {
    match node {
        Item::None => Value::Null,
        Item::Value(value) => self::value(value, path, map),
        Item::Table(table) => object(
            table
                .iter()
                .filter_map(|(name, _)| table.get_key_value(name)),
            path,
            map,
        ),
        Item::ArrayOfTables(tables) => {
            let mut items = Vec::new();
            for (index, table) in tables.iter().enumerate() {
                path.push(index.to_string());
                record(map, path, None, table.span().map(|s| s.start));
                items.push(item(&Item::Table(table.clone()), path, map));
                path.pop();
            }
            Value::Array(items)
        }
    }
}

fn value(node: &toml_edit::Value, path: &mut Vec<String>, map: &mut SourceMap) -> Value {
    use toml_edit::Value as Toml;
    match node {
        Toml::String(s) => Value::String(s.value().clone()),
        Toml::Integer(i) => Value::from(*i.value()),
        Toml::Float(f) => Number::from_f64(*f.value()).map_or(Value::Null, Value::Number),
        Toml::Boolean(b) => Value::Bool(*b.value()),
        Toml::Datetime(d) => Value::String(d.value().to_string()),
        Toml::Array(array) => {
            let mut items = Vec::new();
            for (index, child) in array.iter().enumerate() {
                path.push(index.to_string());
                record(map, path, None, child.span().map(|s| s.start));
                items.push(value(child, path, map));
                path.pop();
            }
            Value::Array(items)
        }
        Toml::InlineTable(table) => object(
            table
                .iter()
                .filter_map(|(name, _)| table.get_key_value(name)),
            path,
            map,
        ),
    }
}

/// A table's entries (standard or inline: the same to a pipeline file) as a JSON object,
/// recording where each key stands.
fn object<'a>(
    entries: impl Iterator<Item = (&'a Key, &'a Item)>,
    path: &mut Vec<String>,
    map: &mut SourceMap,
) -> Value {
    let mut object = Map::new();
    for (key, child) in entries {
        let name = key.get().to_string();
        path.push(name.clone());
        record(map, path, Some(key), child.span().map(|s| s.start));
        object.insert(name, item(child, path, map));
        path.pop();
    }
    Value::Object(object)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_arrays_and_inline_tables_are_located() {
        let text = "name = \"news\"\n\n[[stages]]\nstage = \"sentences\"\n\n[[stages]]\nstage = \"summarize\"\nwith = { sentences = 3 }\n";
        let (value, map) = parse(text).unwrap();
        assert_eq!(value["stages"][1]["with"]["sentences"], 3);
        let path: Vec<String> = ["stages", "1", "with", "sentences"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let key = map.locate(&path, true);
        assert_eq!((key.line, key.column), (8, 10));
        let kind = map.locate(&["stages".into(), "0".into(), "stage".into()], false);
        assert_eq!((kind.line, kind.column), (4, 9));
    }

    #[test]
    fn syntax_errors_carry_line_and_column() {
        let error = parse("name = \"news\"\nstages = [\n").unwrap_err();
        assert!(error.line >= 2, "{error:?}");
    }
}
