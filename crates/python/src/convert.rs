//! Between Python objects and JSON values: dict items and `meta` become
//! [`serde_json::Value`]s for the Rust side, and JSON built by Rust (`to_dict`, `meta`,
//! `ext`) goes back through Python's own `json` module, so a dict is always exactly what
//! `json.loads(doc.to_json())` would give.

use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple};
use serde_json::{Map, Number, Value};

/// How deep nested lists and dicts may go: deeper input is refused rather than risking the
/// native stack.
const MAX_DEPTH: usize = 128;

/// A Python value as JSON: `None`, bools, ints, finite floats, strings, lists, tuples and
/// dicts with string keys.
fn to_json_value_at(value: &Bound<'_, PyAny>, depth: usize) -> PyResult<Value> {
    if depth > MAX_DEPTH {
        return Err(PyValueError::new_err(format!(
            "nested deeper than {MAX_DEPTH} levels"
        )));
    }
    if value.is_none() {
        return Ok(Value::Null);
    }
    // bool is a subclass of int in Python: test it first.
    if let Ok(b) = value.cast::<PyBool>() {
        return Ok(Value::Bool(b.is_true()));
    }
    if value.is_instance_of::<PyInt>() {
        if let Ok(n) = value.extract::<i64>() {
            return Ok(Value::from(n));
        }
        if let Ok(n) = value.extract::<u64>() {
            return Ok(Value::from(n));
        }
        return Err(PyValueError::new_err("integer too large for JSON"));
    }
    if let Ok(f) = value.cast::<PyFloat>() {
        return Number::from_f64(f.value())
            .map(Value::Number)
            .ok_or_else(|| PyValueError::new_err("NaN and infinity are not JSON numbers"));
    }
    if let Ok(s) = value.cast::<PyString>() {
        return Ok(Value::String(s.to_cow()?.into_owned()));
    }
    if let Ok(dict) = value.cast::<PyDict>() {
        return Ok(Value::Object(to_json_map_at(dict, depth)?));
    }
    if let Ok(list) = value.cast::<PyList>() {
        return list
            .iter()
            .map(|item| to_json_value_at(&item, depth + 1))
            .collect::<PyResult<Vec<_>>>()
            .map(Value::Array);
    }
    if let Ok(tuple) = value.cast::<PyTuple>() {
        return tuple
            .iter()
            .map(|item| to_json_value_at(&item, depth + 1))
            .collect::<PyResult<Vec<_>>>()
            .map(Value::Array);
    }
    Err(PyTypeError::new_err(format!(
        "cannot convert {} to JSON",
        value.get_type().name()?
    )))
}

/// A Python dict as a JSON object; keys must be strings.
pub fn to_json_map(dict: &Bound<'_, PyDict>) -> PyResult<Map<String, Value>> {
    to_json_map_at(dict, 0)
}

fn to_json_map_at(dict: &Bound<'_, PyDict>, depth: usize) -> PyResult<Map<String, Value>> {
    let mut map = Map::new();
    for (key, value) in dict.iter() {
        let key = key
            .cast::<PyString>()
            .map_err(|_| PyTypeError::new_err("dict keys must be strings"))?
            .to_cow()?
            .into_owned();
        map.insert(key, to_json_value_at(&value, depth + 1)?);
    }
    Ok(map)
}

/// JSON text as Python objects, through `json.loads`.
pub fn json_to_python<'py>(py: Python<'py>, json: &str) -> PyResult<Bound<'py, PyAny>> {
    py.import("json")?.call_method1("loads", (json,))
}

/// A serializable Rust value as Python objects.
pub fn to_python<'py>(
    py: Python<'py>,
    value: &impl serde::Serialize,
) -> PyResult<Bound<'py, PyAny>> {
    let json = serde_json::to_string(value)
        .map_err(|error| PyValueError::new_err(format!("cannot serialize: {error}")))?;
    json_to_python(py, &json)
}
