//! Splits each shipped model (`model/html.json`, `model/text.json`) into its block weights, as
//! little-endian `(slot: u32, weight: f32)` pairs, and the rest of its JSON with the weights
//! left empty.
//!
//! The block weights are nine tenths of a model file and every run reads one model at start:
//! parsing its 50,000 pairs from JSON took 30 M instructions, a third of all the work of a run
//! over a megabyte of plain text. Read here once, at build time, with the same parser and
//! settings the crate uses at run time, they load from bytes (`ShippedModel::get`); a test
//! holds the two loads equal to the bit.
//!
//! It also turns the cue phrases (`src/cues/phrases.rs`) into the table the cue search walks
//! (`src/cues/table.rs`, both compiled here as they are in the crate): building it from
//! Aho-Corasick's automaton was about 25 M instructions at the start of every run.

use std::env;
use std::fs;
use std::path::PathBuf;

use serde::Deserialize;
use serde_json::value::RawValue;

// Only the phrases are read here; the kinds' methods are the crate's.
#[allow(dead_code)]
#[path = "src/cues/phrases.rs"]
mod phrases;
#[allow(dead_code)]
#[path = "src/cues/table.rs"]
mod table;

#[derive(Deserialize)]
struct WeightsOnly<'a> {
    #[serde(borrow)]
    block_weights: &'a RawValue,
}

fn main() {
    let out = PathBuf::from(env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    write_model_parts(&out);
    write_cue_table(&out);
}

/// The cue phrases' search table, as bytes.
fn write_cue_table(out: &std::path::Path) {
    for source in ["src/cues/phrases.rs", "src/cues/table.rs"] {
        println!("cargo::rerun-if-changed={source}");
    }
    let phrases: Vec<&str> = phrases::PHRASES.iter().map(|(phrase, _)| *phrase).collect();
    let table = table::CueTable::build(&phrases);
    fs::write(out.join("cues.table"), table.to_bytes()).expect("writing OUT_DIR");
}

/// Each shipped model's block weights as bytes, and the rest of its JSON.
fn write_model_parts(out: &std::path::Path) {
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
