//! Typed stage configs: parse a `with` object into a struct and report every mistake.
//!
//! Stage configs are structs with `#[serde(deny_unknown_fields, default)]`. serde stops at the
//! first error; [`parse_config`] goes on past it (it drops the offending key and tries again),
//! so a user sees every unknown key and every bad value of a stage at once, each with the key's
//! path and, for a misspelt key, the nearest valid one.

use serde::de::DeserializeOwned;
use serde_json::Value;

/// One problem in a stage config.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}{message}{}", path_prefix(.path), suggestion_suffix(.suggestion))]
pub struct ConfigError {
    /// Keys from the `with` object down to the offending value (empty: the object itself).
    pub path: Vec<String>,
    /// What is wrong.
    pub message: String,
    /// The nearest valid key, for an unknown key.
    pub suggestion: Option<String>,
}

fn path_prefix(path: &[String]) -> String {
    if path.is_empty() {
        String::new()
    } else {
        format!("`{}`: ", path.join("."))
    }
}

fn suggestion_suffix(suggestion: &Option<String>) -> String {
    match suggestion {
        Some(s) => format!(" (did you mean `{s}`?)"),
        None => String::new(),
    }
}

impl ConfigError {
    /// An error about the value at `path`.
    pub fn at(path: &[&str], message: impl Into<String>) -> Self {
        ConfigError {
            path: path.iter().map(|s| s.to_string()).collect(),
            message: message.into(),
            suggestion: None,
        }
    }
}

/// The candidate closest to `word`, if it is close enough to be a likely typo.
pub fn nearest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (strsim::damerau_levenshtein(word, c), c))
        .filter(|&(d, c)| d <= 2.max(c.len() / 3))
        .min_by_key(|&(d, _)| d)
        .map(|(_, c)| c)
}

/// Parses `value` (a stage's `with` object; `null` means all defaults) into `T`, reporting
/// every unknown key and bad value rather than only the first.
pub fn parse_config<T: DeserializeOwned>(value: &Value) -> Result<T, Vec<ConfigError>> {
    let mut value = match value {
        Value::Null => Value::Object(Default::default()),
        other => other.clone(),
    };
    let mut errors = Vec::new();
    // Each round removes one offending key; the bound stops a pathological loop.
    for _ in 0..64 {
        let result: Result<T, _> = serde_path_to_error::deserialize(&value);
        let error = match result {
            Ok(config) if errors.is_empty() => return Ok(config),
            Ok(_) => return Err(errors),
            Err(error) => error,
        };
        let (path, message, suggestion, unknown_key) = describe(&error);
        let removed = remove_path(&mut value, &path, unknown_key.as_deref());
        errors.push(ConfigError {
            path: path_with_key(path, unknown_key),
            message,
            suggestion,
        });
        if !removed {
            break;
        }
    }
    Err(errors)
}

type Described = (Vec<String>, String, Option<String>, Option<String>);

fn describe(error: &serde_path_to_error::Error<serde_json::Error>) -> Described {
    let path: Vec<String> = error
        .path()
        .iter()
        .filter_map(|segment| match segment {
            serde_path_to_error::Segment::Map { key } => Some(key.clone()),
            serde_path_to_error::Segment::Seq { index } => Some(index.to_string()),
            _ => None,
        })
        .collect();
    let inner = error.inner().to_string();
    // serde_json appends " at line 1 column 2" for values; positions are meaningless here, the
    // pipeline file reader adds the real ones.
    let inner = match inner.find(" at line ") {
        Some(i) => inner[..i].to_string(),
        None => inner,
    };
    if let Some(rest) = inner.strip_prefix("unknown field `") {
        let key = rest.split('`').next().unwrap_or_default().to_string();
        let expected: Vec<&str> = rest.split('`').skip(2).step_by(2).collect();
        let suggestion = nearest(&key, expected.iter().copied()).map(str::to_string);
        let message = if expected.is_empty() {
            "unknown key: this stage takes no config".to_string()
        } else {
            format!("unknown key; valid keys: {}", expected.join(", "))
        };
        // serde_path_to_error reports the unknown key as the last path segment already.
        let mut parent = path;
        if parent.last() == Some(&key) {
            parent.pop();
        }
        return (parent, message, suggestion, Some(key));
    }
    (path, inner, None, None)
}

fn path_with_key(mut path: Vec<String>, key: Option<String>) -> Vec<String> {
    path.extend(key);
    path
}

/// Removes the value at `path` (or the key `key` of the object at `path`); false if nothing
/// could be removed, which ends the error-collecting loop.
fn remove_path(value: &mut Value, path: &[String], key: Option<&str>) -> bool {
    let (target, last) = match key {
        Some(k) => (path, k),
        None => match path.split_last() {
            Some((last, parent)) => (parent, last.as_str()),
            None => return false,
        },
    };
    let mut node = value;
    for segment in target {
        node = match node {
            Value::Object(map) => match map.get_mut(segment) {
                Some(v) => v,
                None => return false,
            },
            Value::Array(items) => {
                match segment.parse::<usize>().ok().and_then(|i| items.get_mut(i)) {
                    Some(v) => v,
                    None => return false,
                }
            }
            _ => return false,
        };
    }
    match node {
        Value::Object(map) => map.remove(last).is_some(),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;
    use serde_json::json;

    #[derive(Debug, Deserialize, Default, PartialEq)]
    #[serde(deny_unknown_fields, default)]
    struct Demo {
        sentences: usize,
        ratio: Option<f64>,
    }

    #[test]
    fn reports_every_mistake_with_a_suggestion() {
        let errors =
            parse_config::<Demo>(&json!({"sentense": 3, "ratio": "high", "zzz": 1})).unwrap_err();
        assert_eq!(errors.len(), 3, "{errors:?}");
        let typo = errors.iter().find(|e| e.path == ["sentense"]).unwrap();
        assert_eq!(typo.suggestion.as_deref(), Some("sentences"));
        assert!(errors.iter().any(|e| e.path == ["ratio"]));
        assert!(errors
            .iter()
            .any(|e| e.path == ["zzz"] && e.suggestion.is_none()));
    }

    #[test]
    fn null_means_defaults() {
        assert_eq!(parse_config::<Demo>(&Value::Null).unwrap(), Demo::default());
    }
}
