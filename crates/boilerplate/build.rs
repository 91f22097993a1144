//! Splits each shipped model (`model/html.json`, `model/text.json`) into its block weights, as
//! little-endian `(slot: u32, weight: f32)` pairs, and the rest of its JSON with the weights
//! left empty.
//!
//! The block weights are nine tenths of a model file and every run reads one model at start:
//! parsing its 50,000 pairs from JSON took 30 M instructions, a third of all the work of a run
//! over a megabyte of plain text. Read here once, at build time, with the same parser and
//! settings the crate uses at run time, they load from bytes (`ShippedModel::get`); a test
//! holds the two loads equal to the bit.

use std::env;
use std::fs;
use std::path::PathBuf;

use serde::Deserialize;
use serde_json::value::RawValue;

#[derive(Deserialize)]
struct WeightsOnly<'a> {
    #[serde(borrow)]
    block_weights: &'a RawValue,
}

fn main() {
    let out = PathBuf::from(env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    for name in ["html", "text"] {
        let path = format!("model/{name}.json");
        println!("cargo::rerun-if-changed={path}");
        let json = fs::read_to_string(&path).unwrap_or_else(|e| panic!("reading {path}: {e}"));
        let raw = serde_json::from_str::<WeightsOnly>(&json)
            .unwrap_or_else(|e| panic!("{path} has no block_weights: {e}"))
            .block_weights
            .get();
        let weights: Vec<(u32, f32)> = serde_json::from_str(raw)
            .unwrap_or_else(|e| panic!("{path}: block_weights are not [slot, weight] pairs: {e}"));
        let mut bytes = Vec::with_capacity(weights.len() * 8);
        for (slot, weight) in weights {
            bytes.extend(slot.to_le_bytes());
            bytes.extend(weight.to_le_bytes());
        }
        // The raw value borrows from `json`: its offset says where the array stands.
        let start = raw.as_ptr() as usize - json.as_ptr() as usize;
        let rest = format!("{}[]{}", &json[..start], &json[start + raw.len()..]);
        fs::write(out.join(format!("{name}.weights")), bytes).expect("writing OUT_DIR");
        fs::write(out.join(format!("{name}.rest.json")), rest).expect("writing OUT_DIR");
    }
}
