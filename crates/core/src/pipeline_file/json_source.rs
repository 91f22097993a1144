//! JSON pipeline files: serde_json parses the value, a small scanner records positions.
//!
//! serde_json decides what is valid JSON and reports syntax errors with their line and column;
//! only once it has accepted the text does [`record_positions`] walk the same bytes to note
//! where each key and value starts. Keeping the two apart means the scanner may assume
//! well-formed input and stays short, while JSON semantics (escapes, numbers, duplicate keys:
//! last wins in both) are serde_json's.

use serde_json::Value;

use super::source_map::{NodePosition, SourceMap};

/// A JSON syntax error: serde_json's message and its 1-based line and column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SyntaxError {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

/// Parses `text` into a value and the positions of its nodes.
pub(crate) fn parse(text: &str) -> Result<(Value, SourceMap), SyntaxError> {
    let value: Value = serde_json::from_str(text).map_err(|error| {
        let message = error.to_string();
        let message = match message.find(" at line ") {
            Some(i) => message[..i].to_string(),
            None => message,
        };
        SyntaxError {
            line: error.line().max(1),
            column: error.column().max(1),
            message,
        }
    })?;
    let mut map = SourceMap::new(text);
    let mut scanner = Scanner {
        bytes: text.as_bytes(),
        pos: 0,
    };
    scanner.value(&mut Vec::new(), None, &mut map);
    Ok((value, map))
}

/// Walks JSON that serde_json already accepted. Every read is bounds-checked, so even a
/// disagreement with serde_json could only yield fewer positions, never a panic.
struct Scanner<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl Scanner<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn skip_whitespace(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.pos += 1;
        }
    }

    fn value(&mut self, path: &mut Vec<String>, key: Option<usize>, map: &mut SourceMap) {
        self.skip_whitespace();
        map.record(
            path,
            NodePosition {
                key,
                value: self.pos,
            },
        );
        match self.peek() {
            Some(b'{') => self.object(path, map),
            Some(b'[') => self.array(path, map),
            Some(b'"') => {
                self.string();
            }
            Some(_) => self.scalar(),
            None => {}
        }
    }

    fn object(&mut self, path: &mut Vec<String>, map: &mut SourceMap) {
        self.pos += 1;
        loop {
            self.skip_whitespace();
            match self.peek() {
                Some(b'"') => {}
                Some(b',') => {
                    self.pos += 1;
                    continue;
                }
                Some(b'}') => {
                    self.pos += 1;
                    return;
                }
                _ => return,
            }
            let key_at = self.pos;
            let key = self.string();
            self.skip_whitespace();
            if self.peek() != Some(b':') {
                return;
            }
            self.pos += 1;
            path.push(key);
            self.value(path, Some(key_at), map);
            path.pop();
        }
    }

    fn array(&mut self, path: &mut Vec<String>, map: &mut SourceMap) {
        self.pos += 1;
        let mut index = 0;
        loop {
            self.skip_whitespace();
            match self.peek() {
                Some(b']') => {
                    self.pos += 1;
                    return;
                }
                Some(b',') => {
                    self.pos += 1;
                    continue;
                }
                None => return,
                Some(_) => {}
            }
            path.push(index.to_string());
            self.value(path, None, map);
            path.pop();
            index += 1;
        }
    }

    /// Reads a string token and returns its decoded content.
    fn string(&mut self) -> String {
        let start = self.pos;
        self.pos += 1;
        while let Some(byte) = self.peek() {
            self.pos += 1;
            match byte {
                b'\\' => self.pos += 1,
                b'"' => break,
                _ => {}
            }
        }
        let raw = self.bytes.get(start..self.pos.min(self.bytes.len()));
        raw.and_then(|raw| serde_json::from_slice(raw).ok())
            .unwrap_or_default()
    }

    fn scalar(&mut self) {
        while let Some(byte) = self.peek() {
            if matches!(byte, b',' | b']' | b'}' | b' ' | b'\t' | b'\n' | b'\r') {
                break;
            }
            self.pos += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn path(parts: &[&str]) -> Vec<String> {
        parts.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn keys_and_values_are_located() {
        let text = "{\n  \"stages\": [\n    {\"stage\": \"sent\\u0065nces\", \"with\": {\"n\": 3}}\n  ]\n}";
        let (value, map) = parse(text).unwrap();
        assert_eq!(value["stages"][0]["stage"], "sentences");
        let kind = map.locate(&path(&["stages", "0", "stage"]), false);
        assert_eq!((kind.line, kind.column), (3, 15));
        let key = map.locate(&path(&["stages", "0", "with", "n"]), true);
        assert_eq!((key.line, key.column), (3, 42));
    }

    #[test]
    fn syntax_errors_carry_line_and_column() {
        let error = parse("{\n  \"stages\": [,]\n}").unwrap_err();
        assert_eq!(error.line, 2);
        assert!(error.column > 1, "{error:?}");
        assert!(!error.message.contains(" at line "));
    }

    proptest! {
        // Whatever serde_json accepts, the scanner walks without panicking and finds every
        // object key serde_json found.
        #[test]
        fn scanner_agrees_with_serde_json(
            keys in proptest::collection::vec("[a-z\"\\\\é]{0,6}", 0..5),
            spaces in "[ \n\t]{0,3}",
        ) {
            let object: serde_json::Map<String, Value> = keys
                .iter()
                .enumerate()
                .map(|(i, k)| (k.clone(), serde_json::json!([i, {"x": k}])))
                .collect();
            let text = serde_json::to_string_pretty(&Value::Object(object.clone())).unwrap()
                .replace('\n', &format!("\n{spaces}"));
            let (_, map) = parse(&text).unwrap();
            for key in object.keys() {
                prop_assert!(map.nodes_contains(&[key.clone(), "1".into(), "x".into()]));
            }
        }
    }
}
