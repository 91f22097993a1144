//! Unlabeled text for the word tables: sentences of tokens from CoNLL files (tags ignored),
//! JSON Lines files (every `text` field) and plain text files.
//!
//! A JSON Lines record whose `split` field names an evaluation split (`dev`, `test`,
//! `validation`) is skipped: text that scores are measured on must not shape the model, not
//! even as unlabeled text, or the dev scores would promise more than the model does on
//! text it has never seen.

use std::io::Read;
use std::path::Path;

use crate::tokenize::{tokenize, Token};
use crate::EntitiesError;

/// Calls `sentence` with the tokens of every sentence in `path`.
pub fn for_each_sentence(
    path: &Path,
    mut sentence: impl FnMut(&[&str]),
) -> Result<(), EntitiesError> {
    let name = path.to_string_lossy();
    let stem = name.trim_end_matches(".gz");
    if stem.ends_with(".conll") || stem.ends_with(".iob2") || stem.ends_with(".bio") {
        for doc in crate::conll::read_conll_file(path)? {
            for s in &doc.sentences {
                let words: Vec<&str> = s.tokens.iter().map(String::as_str).collect();
                sentence(&words);
            }
        }
        return Ok(());
    }
    let text = read_text(path)?;
    let mut tokens = Vec::new();
    if stem.ends_with(".jsonl") {
        for (number, line) in text.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let value: serde_json::Value =
                serde_json::from_str(line).map_err(|e| EntitiesError::Format {
                    path: path.display().to_string(),
                    line: number + 1,
                    message: e.to_string(),
                })?;
            if is_evaluation_split(&value) {
                continue;
            }
            if let Some(body) = value.get("text").and_then(|t| t.as_str()) {
                split_text(body, &mut tokens, &mut sentence);
            }
        }
    } else {
        split_text(&text, &mut tokens, &mut sentence);
    }
    Ok(())
}

/// True for a record marked as part of a dev or test split.
fn is_evaluation_split(record: &serde_json::Value) -> bool {
    record
        .get("split")
        .and_then(|s| s.as_str())
        .is_some_and(|s| matches!(s, "dev" | "test" | "validation"))
}

/// Cuts running text into rough sentences: lines, then `.`/`!`/`?` tokens.
fn split_text(text: &str, tokens: &mut Vec<Token>, sentence: &mut impl FnMut(&[&str])) {
    let mut words = Vec::new();
    for line in text.lines() {
        tokenize(line, tokens);
        words.clear();
        for token in tokens.iter() {
            let word = token.text(line);
            words.push(word);
            if matches!(word, "." | "!" | "?") {
                sentence(&words);
                words.clear();
            }
        }
        if !words.is_empty() {
            sentence(&words);
        }
    }
}

fn read_text(path: &Path) -> Result<String, EntitiesError> {
    let io = |source| EntitiesError::Io {
        path: path.display().to_string(),
        source,
    };
    let file = std::fs::File::open(path).map_err(io)?;
    let mut bytes = Vec::new();
    if path.extension().is_some_and(|e| e == "gz") {
        flate2::read::MultiGzDecoder::new(file)
            .read_to_end(&mut bytes)
            .map_err(io)?;
    } else {
        std::io::BufReader::new(file)
            .read_to_end(&mut bytes)
            .map_err(io)?;
    }
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skips_records_of_evaluation_splits() {
        let dir = std::env::temp_dir().join(format!("textpipe-unlabeled-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("mixed.jsonl");
        std::fs::write(
            &path,
            "{\"split\": \"train\", \"text\": \"Kept here.\"}\n\
             {\"split\": \"dev\", \"text\": \"Dropped here.\"}\n\
             {\"text\": \"No split.\"}\n",
        )
        .unwrap();
        let mut seen = Vec::new();
        for_each_sentence(&path, |words| seen.push(words.join(" "))).unwrap();
        assert_eq!(seen, ["Kept here .", "No split ."]);
        std::fs::remove_dir_all(&dir).ok();
    }
}
