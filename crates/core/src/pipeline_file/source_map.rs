//! Where each key and value of a parsed pipeline file sits in its text.
//!
//! serde_json and toml_edit give us values; errors found later (an unknown stage kind, a bad
//! config value reported by a factory as a key path) must point back at the text. The
//! [`SourceMap`] records, for every node of the document, the byte offsets of its key and of
//! its value, keyed by the node's path (`["stages", "2", "with", "sentences"]`).

use std::collections::HashMap;

/// A path from the document root: object keys and array indices (as decimal strings).
pub(crate) type NodePath = Vec<String>;

/// Byte offsets of one node.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct NodePosition {
    /// Offset of the node's key, for object members.
    pub key: Option<usize>,
    /// Offset of the node's value.
    pub value: usize,
}

/// Line and column (both 1-based, column counted in chars) of a point in the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct LineColumn {
    pub line: usize,
    pub column: usize,
}

/// Node positions of one parsed text.
#[derive(Debug, Clone, Default)]
pub(crate) struct SourceMap {
    text: String,
    line_starts: Vec<usize>,
    nodes: HashMap<NodePath, NodePosition>,
}

impl SourceMap {
    pub fn new(text: &str) -> Self {
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        SourceMap {
            text: text.to_string(),
            line_starts,
            nodes: HashMap::new(),
        }
    }

    pub fn record(&mut self, path: &[String], position: NodePosition) {
        self.nodes.insert(path.to_vec(), position);
    }

    /// Line and column of a byte offset (clamped into the text).
    pub fn line_column(&self, offset: usize) -> LineColumn {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.line_starts.partition_point(|&start| start <= offset);
        let start = self.line_starts[line - 1];
        LineColumn {
            line,
            column: self.text[start..offset].chars().count() + 1,
        }
    }

    /// Where to point for a problem with the node at `path`: its key when `at_key` and it has
    /// one, else its value. A path that does not exist in the text (a missing key) points at
    /// its nearest existing ancestor.
    pub fn locate(&self, path: &[String], at_key: bool) -> LineColumn {
        for len in (0..=path.len()).rev() {
            if let Some(node) = self.nodes.get(&path[..len]) {
                let exact = len == path.len();
                let offset = match (at_key && exact, node.key) {
                    (true, Some(key)) => key,
                    _ => node.value,
                };
                return self.line_column(offset);
            }
        }
        self.line_column(0)
    }

    /// Whether a node was recorded at exactly `path`.
    #[cfg(test)]
    pub fn nodes_contains(&self, path: &[String]) -> bool {
        self.nodes.contains_key(path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_chars_and_lines_start_at_one() {
        let map = SourceMap::new("ab\nçd\n");
        assert_eq!(map.line_column(0), LineColumn { line: 1, column: 1 });
        assert_eq!(map.line_column(3), LineColumn { line: 2, column: 1 });
        // `d` comes after the two-byte `ç`: byte 5, column 2.
        assert_eq!(map.line_column(5), LineColumn { line: 2, column: 2 });
        // Inside a char or past the end: clamped, never a panic.
        assert_eq!(map.line_column(4), LineColumn { line: 2, column: 1 });
        assert_eq!(map.line_column(99), LineColumn { line: 3, column: 1 });
    }

    #[test]
    fn missing_paths_point_at_the_nearest_ancestor() {
        let mut map = SourceMap::new("0123456789");
        map.record(
            &[],
            NodePosition {
                key: None,
                value: 0,
            },
        );
        let path = vec!["a".to_string()];
        map.record(
            &path,
            NodePosition {
                key: Some(2),
                value: 5,
            },
        );
        assert_eq!(map.locate(&path, true).column, 3);
        assert_eq!(map.locate(&path, false).column, 6);
        let deeper = vec!["a".to_string(), "b".to_string()];
        assert_eq!(map.locate(&deeper, true).column, 6);
    }
}
