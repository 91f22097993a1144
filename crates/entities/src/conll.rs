//! Reading CoNLL-style files: `token<TAB>tag` lines, blank lines between sentences,
//! `-DOCSTART-` lines between documents, optionally gzipped.

use std::io::Read;
use std::path::Path;

use crate::tags::Tag;
use crate::EntitiesError;

/// A sentence of gold-tagged tokens.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TaggedSentence {
    /// The tokens' text.
    pub tokens: Vec<String>,
    /// One BIO tag per token.
    pub tags: Vec<Tag>,
    /// Token ranges of the words the file wrote as one token and the reader cut into
    /// characters ("北京市" is three tokens and one word here): the segmentation a word
    /// dictionary learns from. Empty for scripts with spaces.
    pub words: Vec<std::ops::Range<usize>>,
    /// For each token, whether it continues the file's previous token: the second and later
    /// pieces of a token the reader cut ("2005年" is the tokens "2005" and "年"), so the text
    /// can be written as the file's tokens read ([`sentence_text`]).
    pub continues: Vec<bool>,
}

/// A document: the unit over which document-level features look for other mentions.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TaggedDocument {
    /// Its sentences in order.
    pub sentences: Vec<TaggedSentence>,
}

/// Reads a CoNLL file (gzipped when its name ends in `.gz`).
pub fn read_conll_file(path: &Path) -> Result<Vec<TaggedDocument>, EntitiesError> {
    let io = |source| EntitiesError::Io {
        path: path.display().to_string(),
        source,
    };
    let file = std::fs::File::open(path).map_err(io)?;
    let mut text = String::new();
    if path.extension().is_some_and(|e| e == "gz") {
        flate2::read::MultiGzDecoder::new(file)
            .read_to_string(&mut text)
            .map_err(io)?;
    } else {
        std::io::BufReader::new(file)
            .read_to_string(&mut text)
            .map_err(io)?;
    }
    parse_conll(&text).map_err(|(line, message)| EntitiesError::Format {
        path: path.display().to_string(),
        line,
        message,
    })
}

/// Parses CoNLL text; an error carries the 1-based line number and what is wrong.
///
/// The token is the first column and the tag the last, so files that keep POS and chunk
/// columns read too.
pub fn parse_conll(text: &str) -> Result<Vec<TaggedDocument>, (usize, String)> {
    let mut documents = Vec::new();
    let mut document = TaggedDocument::default();
    // The file's tokens and tags of the sentence being read.
    let mut sentence: Vec<(&str, Tag)> = Vec::new();
    for (number, line) in text.lines().enumerate() {
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() {
            if !sentence.is_empty() {
                document.sentences.push(cut_sentence(&sentence));
                sentence.clear();
            }
            continue;
        }
        let mut columns = line.split(['\t', ' ']).filter(|c| !c.is_empty());
        let token = columns.next().unwrap_or_default();
        let Some(tag) = columns.next_back() else {
            return Err((
                number + 1,
                format!("expected `token<TAB>tag`, got {line:?}"),
            ));
        };
        if token == "-DOCSTART-" {
            if !sentence.is_empty() {
                document.sentences.push(cut_sentence(&sentence));
                sentence.clear();
            }
            if !document.sentences.is_empty() {
                documents.push(std::mem::take(&mut document));
            }
            continue;
        }
        sentence.push((token, Tag::parse(tag)));
    }
    if !sentence.is_empty() {
        document.sentences.push(cut_sentence(&sentence));
    }
    if !document.sentences.is_empty() {
        documents.push(document);
    }
    Ok(documents)
}

/// A sentence of the file's tokens cut the way the tagger's tokenizer cuts them in text, so
/// training and scoring see the tokens the tagger sees: a Chinese word token ("北京市")
/// becomes one token per character, CoNLL-2002's "BM." becomes "BM" and ".". The first
/// piece keeps the token's tag and the others continue it.
///
/// The tokens are written as text (with [`sentence_text`]'s spacing) and tokenized as a
/// whole, since the tokenizer looks one word ahead ("2004." keeps its period before a
/// lowercase word). Every piece lies inside one file token: spaces separate them, and each
/// character of an unspaced script is a token of its own. A token the tokenizer would cut
/// leaving gaps (an invisible mark inside) is kept whole, so the text stays the file's.
fn cut_sentence(file_tokens: &[(&str, Tag)]) -> TaggedSentence {
    let (text, bounds) = join_tokens(file_tokens.iter().map(|&(token, _)| (token, false)));
    let mut pieces = Vec::new();
    crate::tokenize::tokenize(&text, &mut pieces);
    let mut sentence = TaggedSentence::default();
    let mut next_piece = 0;
    for (bound, &(token, tag)) in bounds.iter().zip(file_tokens) {
        while pieces.get(next_piece).is_some_and(|p| p.end <= bound.start) {
            next_piece += 1;
        }
        let first = next_piece;
        while pieces.get(next_piece).is_some_and(|p| p.end <= bound.end) {
            next_piece += 1;
        }
        let own = &pieces[first..next_piece];
        let covers = own.first().is_some_and(|p| p.start == bound.start)
            && own.windows(2).all(|w| w[0].end == w[1].start)
            && own.last().is_some_and(|p| p.end == bound.end);
        if own.len() <= 1 || !covers {
            sentence.tokens.push(token.to_string());
            sentence.tags.push(tag);
            sentence.continues.push(false);
            continue;
        }
        let at = sentence.tokens.len();
        let all_characters = own.iter().all(|piece| {
            let mut chars = piece.text(&text).chars();
            chars
                .next()
                .is_some_and(crate::tokenize::is_character_token)
                && chars.next().is_none()
        });
        if all_characters {
            sentence.words.push(at..at + own.len());
        }
        for (n, piece) in own.iter().enumerate() {
            sentence.tokens.push(piece.text(&text).to_string());
            sentence.continues.push(n > 0);
            sentence.tags.push(match (n, tag.label()) {
                (0, _) | (_, None) => tag,
                (_, Some(label)) => Tag::inside(label),
            });
        }
    }
    sentence
}

/// The sentences of `documents` written as text, a line each, up to about `max_bytes`: what
/// the speed bench and the instruction-count example tag, so both measure the same text.
pub fn sample_text(documents: &[TaggedDocument], max_bytes: usize) -> String {
    let mut text = String::new();
    for sentence in documents.iter().flat_map(|d| &d.sentences) {
        if text.len() >= max_bytes {
            break;
        }
        text.push_str(&sentence_text(sentence).0);
        text.push('\n');
    }
    text
}

/// A sentence written as text the way the language writes it, and the byte range of each of
/// its tokens there: the file's tokens with spaces between them, but none next to a character
/// of a script written without spaces ("北京" "大学" is "北京大学", see [`space_between`]),
/// and none inside a token the reader cut ("2005年"). The speed examples and the bench tag
/// this text, so they see what a user's text looks like rather than a token list; `textpipe
/// eval` and `--input-format conll` write CoNLL documents the same way.
pub fn sentence_text(sentence: &TaggedSentence) -> (String, Vec<std::ops::Range<usize>>) {
    let continues = |i: usize| sentence.continues.get(i).copied().unwrap_or(false);
    join_tokens(
        sentence
            .tokens
            .iter()
            .enumerate()
            .map(|(i, token)| (token.as_str(), continues(i))),
    )
}

/// Tokens written as text, each with whether it continues the token before it (no space
/// then), and the byte range of each: the one writer of [`sentence_text`] and the reader's
/// cutting. `space_between` reads only the characters where two tokens meet, so a file
/// token's pieces meet their neighbours as the whole token did.
fn join_tokens<'t>(
    tokens: impl ExactSizeIterator<Item = (&'t str, bool)>,
) -> (String, Vec<std::ops::Range<usize>>) {
    let mut text = String::new();
    let mut bounds = Vec::with_capacity(tokens.len());
    let mut previous: Option<&str> = None;
    for (token, continues) in tokens {
        if previous.is_some_and(|previous| !continues && space_between(previous, token)) {
            text.push(' ');
        }
        bounds.push(text.len()..text.len() + token.len());
        text.push_str(token);
        previous = Some(token);
    }
    (text, bounds)
}

/// Whether text written from tokens puts a space between `previous` and `next`: yes, unless
/// a character of a script written without spaces (Han, kana, full-width punctuation) meets
/// the other token: "北京" "大学" is "北京大学", "在" "2005年" "，" is "在2005年，".
pub fn space_between(previous: &str, next: &str) -> bool {
    let unspaced = |c: Option<char>| c.is_some_and(crate::tokenize::is_character_token);
    !(unspaced(previous.chars().next_back()) || unspaced(next.chars().next()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_documents_and_sentences() {
        let text =
            "-DOCSTART-\tO\n\nEU\tB-ORG\nrejects\tO\n\nPeter\tB-PER\n\n-DOCSTART-\tO\n\nx\tO\n";
        let docs = parse_conll(text).unwrap();
        assert_eq!(docs.len(), 2);
        assert_eq!(docs[0].sentences.len(), 2);
        assert_eq!(docs[0].sentences[0].tokens, ["EU", "rejects"]);
        assert_eq!(docs[0].sentences[1].tags, [Tag::parse("B-PER")]);
    }

    #[test]
    fn chinese_words_become_character_tokens() {
        let docs = parse_conll("在\tO\n北京市\tB-LOC\n2005年\tO\n").unwrap();
        let sentence = &docs[0].sentences[0];
        assert_eq!(sentence.tokens, ["在", "北", "京", "市", "2005", "年"]);
        let tags: Vec<Tag> = ["O", "B-LOC", "I-LOC", "I-LOC", "O", "O"]
            .iter()
            .map(|t| Tag::parse(t))
            .collect();
        assert_eq!(sentence.tags, tags);
        assert_eq!(sentence.words, vec![1..4], "2005年 is not all characters");
    }

    #[test]
    fn sentences_are_written_as_the_file_reads() {
        let docs = parse_conll(
            "他\tO\n在\tO\n北京市\tB-LOC\n2005年\tO\n，\tO\nEU\tB-ORG\nfor\tO\nEU\tB-ORG\n",
        )
        .unwrap();
        let sentence = &docs[0].sentences[0];
        let (text, bounds) = sentence_text(sentence);
        assert_eq!(text, "他在北京市2005年，EU for EU");
        let tokens: Vec<&str> = bounds.iter().map(|b| &text[b.clone()]).collect();
        assert_eq!(tokens, sentence.tokens);
        assert_eq!(
            sentence.continues,
            [false, false, false, true, true, false, true, false, false, false, false]
        );
    }

    #[test]
    fn tokens_are_cut_as_the_tokenizer_cuts_them_in_the_sentence() {
        let file = "BM.\tB-ORG\nGRANOLLERS\tI-ORG\nu\tO\n2004.\tO\ngodini\tO\n,\tO\n2004.\tO\nKraj\tB-LOC\n";
        let docs = parse_conll(file).unwrap();
        let sentence = &docs[0].sentences[0];
        assert_eq!(
            sentence.tokens,
            [
                "BM",
                ".",
                "GRANOLLERS",
                "u",
                "2004.",
                "godini",
                ",",
                "2004",
                ".",
                "Kraj"
            ]
        );
        let tags: Vec<Tag> = [
            "B-ORG", "I-ORG", "I-ORG", "O", "O", "O", "O", "O", "O", "B-LOC",
        ]
        .iter()
        .map(|t| Tag::parse(t))
        .collect();
        assert_eq!(sentence.tags, tags);
        assert_eq!(
            sentence_text(sentence).0,
            "BM. GRANOLLERS u 2004. godini , 2004. Kraj"
        );
    }

    #[test]
    fn reports_the_line_of_a_bad_row() {
        assert_eq!(parse_conll("ok\tO\nlonely\n").unwrap_err().0, 2);
    }
}
