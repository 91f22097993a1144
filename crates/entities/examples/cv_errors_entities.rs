//! Counts the errors of a cross-validation by kind, from the held-out tags the train
//! example writes with `--predictions` (token, gold tag, predicted tag per line):
//!
//! ```text
//! cargo run --release -p textpipe-entities --example train_entities -- \
//!     --train ../shared/data/entities/conll2003_train.conll.gz \
//!     --train ../shared/data/entities/uner_ewt_train.conll.gz ... \
//!     --cross-validate 5 --predictions held_out.tsv
//! cargo run --release -p textpipe-entities --example cv_errors_entities -- held_out.tsv 946
//! ```
//!
//! The second argument is how many documents of the first training file there are (946 in
//! CoNLL-2003 English train): document `n` of the files was held out in fold `n % folds`,
//! so within each fold the first documents come from the first file. The rest are counted
//! as a second corpus, scored on PER, ORG and LOC only (UNER EWT has no MISC).
//!
//! Mentions are compared per sentence. A predicted mention with a gold mention's exact
//! span but another label is a *label* error; one that overlaps a gold mention with
//! another span is a *boundary* error; one that overlaps none is *spurious*; a gold mention
//! that no prediction overlaps is a *miss*. Each is counted for the corpus, and for the
//! first corpus also by the kind of sentence (a *table* row where at least three tokens in
//! ten are numbers, a sentence in *capitals*, else *prose*) and of document (*sports*: its
//! headline names a sport, or at least one sentence in five is a table row).
use std::collections::BTreeMap;

use textpipe_entities::tags::{entities_of, Label, Tag};

/// One held-out sentence: tokens, gold tags, predicted tags.
type Sentence = Vec<(String, Tag, Tag)>;

struct Document {
    fold: usize,
    sentences: Vec<Sentence>,
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(path), Some(first_file_documents)) = (
        args.first(),
        args.get(1).and_then(|n| n.parse::<usize>().ok()),
    ) else {
        eprintln!("usage: cv_errors_entities PREDICTIONS.tsv DOCUMENTS_OF_THE_FIRST_FILE");
        std::process::exit(2);
    };
    let text = std::fs::read_to_string(path).unwrap_or_else(|error| {
        eprintln!("{path}: {error}");
        std::process::exit(1);
    });
    let documents = parse(&text);
    let folds = documents.iter().map(|d| d.fold + 1).max().unwrap_or(0);
    let mut seen_in_fold = vec![0usize; folds];
    let mut counts: BTreeMap<String, BTreeMap<String, usize>> = BTreeMap::new();
    for document in &documents {
        let index = seen_in_fold[document.fold];
        seen_in_fold[document.fold] += 1;
        let in_first_file = (0..first_file_documents)
            .filter(|n| n % folds == document.fold)
            .count();
        let first = index < in_first_file;
        let corpus = if first { "first file" } else { "second file" };
        let sports = is_sports(document);
        for sentence in &document.sentences {
            let mut groups = vec![corpus.to_string()];
            if first {
                groups.push(format!("{corpus}, {} sentences", sentence_kind(sentence)));
                groups.push(format!(
                    "{corpus}, {} documents",
                    if sports { "sports" } else { "other" }
                ));
            }
            let keep = |label: Label| first || label != Label::Misc;
            let gold_tags: Vec<Tag> = sentence.iter().map(|t| t.1).collect();
            let predicted_tags: Vec<Tag> = sentence.iter().map(|t| t.2).collect();
            let gold: Vec<_> = entities_of(&gold_tags)
                .into_iter()
                .filter(|e| keep(e.label))
                .collect();
            let predicted: Vec<_> = entities_of(&predicted_tags)
                .into_iter()
                .filter(|e| keep(e.label))
                .collect();
            let mut add = |key: String| {
                for group in &groups {
                    *counts
                        .entry(group.clone())
                        .or_default()
                        .entry(key.clone())
                        .or_default() += 1;
                }
            };
            for g in &gold {
                add("gold".into());
                if predicted.contains(g) {
                    add("correct".into());
                } else if !predicted.iter().any(|p| p.start < g.end && g.start < p.end) {
                    add("miss".into());
                    add(format!("miss {}", g.label.name()));
                }
            }
            for p in &predicted {
                add("predicted".into());
                if gold.contains(p) {
                    continue;
                }
                if let Some(g) = gold.iter().find(|g| g.start == p.start && g.end == p.end) {
                    add("label".into());
                    add(format!("label {} as {}", g.label.name(), p.label.name()));
                } else if gold.iter().any(|g| p.start < g.end && g.start < p.end) {
                    add("boundary".into());
                } else {
                    add("spurious".into());
                    add(format!("spurious {}", p.label.name()));
                }
            }
        }
    }
    for (group, counts) in &counts {
        let get = |key: &str| counts.get(key).copied().unwrap_or(0);
        let (gold, predicted, correct) = (get("gold"), get("predicted"), get("correct"));
        let f1 = if gold + predicted == 0 {
            0.0
        } else {
            200.0 * correct as f64 / (gold + predicted) as f64
        };
        println!(
            "{group}: gold {gold}, F1 {f1:.2}; label {}, boundary {}, miss {}, spurious {}",
            get("label"),
            get("boundary"),
            get("miss"),
            get("spurious")
        );
        let mut details: Vec<(&String, &usize)> =
            counts.iter().filter(|(k, _)| k.contains(' ')).collect();
        details.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        let details: Vec<String> = details
            .iter()
            .take(10)
            .map(|(k, v)| format!("{k} {v}"))
            .collect();
        println!("    {}", details.join(", "));
    }
}

/// Reads the predictions file: `-DOCSTART-<TAB>fold N` lines open documents, blank lines
/// end sentences.
fn parse(text: &str) -> Vec<Document> {
    let mut documents: Vec<Document> = Vec::new();
    let mut sentence = Sentence::new();
    for line in text.lines() {
        if let Some(rest) = line.strip_prefix("-DOCSTART-") {
            let fold = rest
                .trim()
                .strip_prefix("fold ")
                .and_then(|n| n.parse::<usize>().ok())
                .unwrap_or(1);
            documents.push(Document {
                fold: fold - 1,
                sentences: Vec::new(),
            });
            continue;
        }
        if line.is_empty() {
            if !sentence.is_empty() {
                if let Some(document) = documents.last_mut() {
                    document.sentences.push(std::mem::take(&mut sentence));
                }
            }
            continue;
        }
        let mut columns = line.split('\t');
        if let (Some(token), Some(gold), Some(predicted)) =
            (columns.next(), columns.next(), columns.next())
        {
            sentence.push((token.to_string(), Tag::parse(gold), Tag::parse(predicted)));
        }
    }
    if let Some(document) = documents.last_mut() {
        if !sentence.is_empty() {
            document.sentences.push(sentence);
        }
    }
    documents
}

/// A number token: digits and marks, no letter ("2", "10-0-42-0", "12,700-12,950").
fn is_number(token: &str) -> bool {
    token.chars().any(|c| c.is_ascii_digit()) && !token.chars().any(char::is_alphabetic)
}

fn sentence_kind(sentence: &Sentence) -> &'static str {
    let numbers = sentence.iter().filter(|t| is_number(&t.0)).count();
    if sentence.len() >= 2 && numbers * 10 >= sentence.len() * 3 {
        return "table";
    }
    let cased: Vec<&str> = sentence
        .iter()
        .map(|t| t.0.as_str())
        .filter(|w| w.chars().any(char::is_alphabetic))
        .collect();
    let capitals = cased.iter().filter(|w| w.to_uppercase() == **w).count();
    if cased.len() >= 3 && capitals * 10 >= cased.len() * 7 {
        "capitals"
    } else {
        "prose"
    }
}

fn is_sports(document: &Document) -> bool {
    const SPORTS: [&str; 15] = [
        "soccer",
        "cricket",
        "tennis",
        "golf",
        "basketball",
        "baseball",
        "rugby",
        "hockey",
        "athletics",
        "cycling",
        "motor-racing",
        "boxing",
        "nhl",
        "nba",
        "nfl",
    ];
    let headline_names_a_sport = document.sentences.first().is_some_and(|s| {
        s.iter()
            .any(|t| SPORTS.contains(&t.0.to_lowercase().as_str()))
    });
    let tables = document
        .sentences
        .iter()
        .filter(|s| sentence_kind(s) == "table")
        .count();
    headline_names_a_sport || tables * 5 >= document.sentences.len()
}
