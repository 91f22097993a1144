//! CoNLL and IOB files (`--input-format conll`): one token per line with its tags in further
//! columns, a blank line after each sentence, `-DOCSTART-` lines between documents.
//!
//! Each document becomes one textpipe document whose text is its tokens joined as the language
//! writes them (spaces between words, none next to Chinese or Japanese characters; see
//! [`textpipe_entities::conll::sentence_text`]), one sentence per line, with id `FILE:N` (the
//! N-th document of the file, from 1), the file's sentences as its `sentences` layer and
//! `meta.format = "conll"`, by which boilerplate removal and the sentence splitter know it
//! for corpus text ([`textpipe_core::Document::is_conll_corpus_text`]); the tags are not
//! read. A file without `-DOCSTART-` is one document. A document
//! over `--max-document-size` becomes an error record.

use std::io::BufRead;

use serde_json::Value;
use textpipe_core::{Document, Span};
use textpipe_entities::conll::space_between;

use super::limits::{read_until_newline, too_large_message};
use super::{InputFailure, Record};

/// Lines are read whole up to this length even under a smaller document limit, so a
/// `-DOCSTART-` line is always recognised.
const MIN_LINE_BYTES: u64 = 64 * 1024;

/// The documents of one CoNLL input.
pub(super) struct ConllDocuments {
    origin: String,
    reader: Box<dyn BufRead + Send>,
    max_document_bytes: u64,
    documents: usize,
    line: usize,
    finished: bool,
}

impl ConllDocuments {
    pub fn new(origin: String, reader: Box<dyn BufRead + Send>, max_document_bytes: u64) -> Self {
        ConllDocuments {
            origin,
            reader,
            max_document_bytes,
            documents: 0,
            line: 0,
            finished: false,
        }
    }

    fn failure(&self, id: String, message: String) -> Record {
        Record::Unreadable(InputFailure {
            id: Some(id),
            input: self.origin.clone(),
            line: None,
            message,
        })
    }
}

impl Iterator for ConllDocuments {
    type Item = Record;

    fn next(&mut self) -> Option<Record> {
        let mut text = String::new();
        let mut sentence_open = false;
        // Where the last token written starts in `text`.
        let mut token_start = 0;
        let mut too_large = false;
        let mut bytes = Vec::new();
        while !self.finished {
            bytes.clear();
            // A line is read up to a bound, so one endless line cannot fill memory.
            let line_limit = self.max_document_bytes.max(MIN_LINE_BYTES);
            let read =
                read_until_newline(&mut *self.reader, &mut bytes, line_limit.saturating_add(1));
            let id = format!("{}:{}", self.origin, self.documents + 1);
            match read {
                Ok(0) => self.finished = true,
                Ok(_) => {}
                Err(error) => {
                    self.finished = true;
                    self.documents += 1;
                    return Some(self.failure(id, format!("cannot read: {error}")));
                }
            }
            if self.finished {
                break;
            }
            self.line += 1;
            if bytes.last() != Some(&b'\n') && bytes.len() as u64 > line_limit {
                // One line longer than a whole document: the document is too large; read past
                // the rest of the line without keeping it.
                too_large = true;
                text.clear();
                if skip_line(&mut self.reader).is_err() {
                    self.finished = true;
                }
                continue;
            }
            let line = String::from_utf8_lossy(&bytes);
            let token = line.split_whitespace().next();
            match token {
                Some("-DOCSTART-") if !text.is_empty() || too_large => break,
                Some("-DOCSTART-") => {}
                None => sentence_open = false,
                Some(token) if !too_large => {
                    if sentence_open {
                        if space_between(&text[token_start..], token) {
                            text.push(' ');
                        }
                    } else if !text.is_empty() {
                        text.push('\n');
                    }
                    token_start = text.len();
                    text.push_str(token);
                    sentence_open = true;
                    if text.len() as u64 > self.max_document_bytes {
                        too_large = true;
                        text.clear();
                    }
                }
                Some(_) => {}
            }
        }
        if text.is_empty() && !too_large {
            return None;
        }
        self.documents += 1;
        let id = format!("{}:{}", self.origin, self.documents);
        if too_large {
            let message = too_large_message(None, self.max_document_bytes);
            return Some(self.failure(id, message));
        }
        let sentences = line_spans(&text);
        let mut doc = Document::new(id, text);
        doc.sentences = Some(sentences);
        doc.meta
            .insert("format".into(), Value::from(textpipe_core::CONLL_FORMAT));
        Some(Record::Document(Box::new(doc)))
    }
}

/// The file's sentences, a line each in the text (tokens hold no whitespace): the file says
/// where its sentences end, which a splitter can only guess, and CoNLL-2002 writes periods
/// inside names ("BM. GRANOLLERS") where a splitter ends a sentence and cuts the name.
fn line_spans(text: &str) -> Vec<Span> {
    let mut spans = Vec::new();
    let mut start = 0;
    for line in text.split('\n') {
        spans.push(Span::new(start, start + line.len()));
        start += line.len() + 1;
    }
    spans
}

/// Consumes input up to and including the next line end.
fn skip_line(reader: &mut Box<dyn BufRead + Send>) -> std::io::Result<()> {
    loop {
        let available = reader.fill_buf()?;
        if available.is_empty() {
            return Ok(());
        }
        match available.iter().position(|&b| b == b'\n') {
            Some(at) => {
                reader.consume(at + 1);
                return Ok(());
            }
            None => {
                let all = available.len();
                reader.consume(all);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &'static str, limit: u64) -> Vec<Record> {
        ConllDocuments::new("g.conll".into(), Box::new(text.as_bytes()), limit).collect()
    }

    #[test]
    fn documents_sentences_and_tokens_become_text() {
        let records = read(
            "-DOCSTART- -X- -X- O\n\nEU NNP B-NP B-ORG\nrejects VBZ B-VP O\n\nPeter B-PER\n\n-DOCSTART- O\n\nBonn B-LOC\n",
            1 << 20,
        );
        let docs: Vec<(String, String, Vec<Span>)> = records
            .into_iter()
            .map(|record| match record {
                Record::Document(doc) => (doc.id, doc.text, doc.sentences.unwrap_or_default()),
                other => panic!("{other:?}"),
            })
            .collect();
        assert_eq!(
            docs,
            [
                (
                    "g.conll:1".to_string(),
                    "EU rejects\nPeter".to_string(),
                    vec![Span::new(0, 10), Span::new(11, 16)]
                ),
                (
                    "g.conll:2".to_string(),
                    "Bonn".to_string(),
                    vec![Span::new(0, 4)]
                )
            ]
        );
    }

    #[test]
    fn words_of_scripts_without_spaces_are_joined_as_written() {
        let records = read(
            "北京 B-ORG\n大学 I-ORG\n的 O\n2005年 O\n， O\nEU B-ORG\nfor O\nEU B-ORG\n\n",
            1 << 20,
        );
        assert!(
            matches!(&records[..], [Record::Document(d)] if d.text == "北京大学的2005年，EU for EU"),
            "{records:?}"
        );
    }

    #[test]
    fn a_document_over_the_limit_is_an_error_record_and_the_next_is_read() {
        let records = read("aaaa O\nbbbb O\n-DOCSTART-\nok O\n", 6);
        assert_eq!(records.len(), 2, "{records:?}");
        assert!(
            matches!(&records[0], Record::Unreadable(f) if f.id.as_deref() == Some("g.conll:1"))
        );
        assert!(matches!(&records[1], Record::Document(d) if d.text == "ok"));
    }
}
