//! Word tokens with byte offsets, split the way CoNLL-2003 splits news text.
//!
//! The tagger was trained on CoNLL-2003 and UD English-EWT tokens, so text must be cut the
//! same way for its features to mean the same thing: punctuation and quotes are tokens of their
//! own, a possessive or clitic (`'s`, `n't`, `'re`) is split from its word, but hyphenated
//! names (`al-Muhandis`), abbreviations (`U.S.`), ordinals with their period (`1.` in
//! `1. FC Köln`), numbers with units (`5m`, `16ft`), decimal and grouped numbers
//! (`1,000.5`), URLs and e-mail addresses (also `Griffith@ENRON`, an address inside one
//! organisation's mail system) stay whole. So do what treebanks of other languages keep whole:
//! a word cut short (`Turn-` in "Turn- und Sportverein"), an abbreviation inflected after a
//! colon (`EEC:s`), a currency's letters (`US$`), accents written as combining marks, and a
//! number or short word whose period comes before a lowercase word (`2004. godine`), while
//! a French elided article is cut from its word (`l'` `Union`). The training files' tokens
//! are cut by this same tokenizer when read (`conll::parse_conll`), so the tagger learns the
//! tokens it will see.
//!
//! Chinese and Japanese are written without spaces, and a word segmenter is a model of its own
//! (and a source of errors entities inherit). Every Han ideograph, kana and full-width
//! punctuation mark is therefore a token of its own: the tagger labels characters, its word and
//! word-pair features become character and character-bigram features, and a mention is a run
//! of characters, so its span can begin and end at any character boundary.
//!
//! The tokenizer writes into a caller-owned `Vec` so a tagger can reuse one buffer per thread.

/// One token: a half-open byte range of the text it came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

impl Token {
    /// The token's text.
    pub fn text<'t>(&self, text: &'t str) -> &'t str {
        &text[self.start..self.end]
    }
}

/// Abbreviations whose final period belongs to the word (besides single letters and dotted
/// initialisms like `U.S.`, which are recognised by shape). Words that also end sentences
/// (`no.`, `sun.`, `wed.`) are left out: a missed abbreviation costs less than a missed end.
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "prof", "sr", "jr", "st", "mt", "gen", "col", "lt", "sgt", "capt",
    "cmdr", "adm", "gov", "sen", "rep", "rev", "hon", "pres", "inc", "corp", "co", "ltd", "plc",
    "bros", "dept", "univ", "assn", "vol", "vs", "etc", "jan", "feb", "mar", "apr", "jun", "jul",
    "aug", "sep", "sept", "oct", "nov", "dec", "tue", "thu", "fri", "ave", "blvd", "rd", "ft",
    "approx", "al",
];

/// Clitics split from the end of a word, longest first. Each is written with an ASCII
/// apostrophe; the typographic `’` is accepted too.
const CLITICS: &[&str] = &["n't", "'s", "'re", "'ve", "'ll", "'d", "'m", "'"];

/// Splits `text` into tokens, appending them to `out` (which is cleared first).
///
/// ```
/// use textpipe_entities::tokenize::tokenize;
/// let text = "Hezbollah's chief said \"no\" to the U.S. (5m).";
/// let mut tokens = Vec::new();
/// tokenize(text, &mut tokens);
/// let words: Vec<&str> = tokens.iter().map(|t| t.text(text)).collect();
/// assert_eq!(
///     words,
///     ["Hezbollah", "'s", "chief", "said", "\"", "no", "\"", "to", "the", "U.S.", "(", "5m", ")", "."]
/// );
/// ```
pub fn tokenize(text: &str, out: &mut Vec<Token>) {
    out.clear();
    let bytes = text.as_bytes();
    let mut chunk: Option<Chunk> = None;
    let mut i = 0;
    while i < bytes.len() {
        let byte = bytes[i];
        // Runs of ASCII letters and digits, most of the text in most languages, are skipped
        // a byte at a time: they only continue (or start) a chunk.
        if byte.is_ascii_alphanumeric() {
            chunk.get_or_insert(Chunk::at(i));
            i += 1;
            while i < bytes.len() && bytes[i].is_ascii_alphanumeric() {
                i += 1;
            }
            continue;
        }
        // Other ASCII separates at a space or a control character (the other ASCII
        // whitespace is all control characters) and is never a character token: the same
        // answers as below without the Unicode tables.
        if byte.is_ascii() {
            if byte == b' ' || byte.is_ascii_control() {
                if let Some(chunk) = chunk.take() {
                    chunk.split(text, i, out);
                }
            } else {
                chunk.get_or_insert(Chunk::at(i)).add(i, byte, false);
            }
            i += 1;
            continue;
        }
        // A run of other chars (Chinese text is one run per sentence) up to the next ASCII
        // byte, decoded as one walk.
        let run_start = i;
        i = bytes.len();
        for (offset, c) in text[run_start..].char_indices() {
            let at = run_start + offset;
            if c.is_ascii() {
                i = at;
                break;
            }
            if c.is_whitespace() || c.is_control() || is_invisible(c) {
                if let Some(chunk) = chunk.take() {
                    chunk.split(text, at, out);
                }
            } else if is_character_token(c) {
                if let Some(chunk) = chunk.take() {
                    chunk.split(text, at, out);
                }
                out.push(Token {
                    start: at,
                    end: at + c.len_utf8(),
                });
            } else {
                let word_char = is_word_char(c);
                chunk.get_or_insert(Chunk::at(at)).add(at, 0, word_char);
            }
        }
    }
    if let Some(chunk) = chunk {
        chunk.split(text, text.len(), out);
    }
}

/// A whitespace-free chunk being scanned, with what the scan saw of its chars: enough to cut
/// the most common chunks, a word of letters and digits alone or with one ASCII mark before
/// or after it (`Baghdad`, `said,`, `(5m`), without the rules of [`split_chunk`], to the
/// same tokens (a test holds the two to that on random text).
#[derive(Debug, Clone, Copy)]
struct Chunk {
    start: usize,
    /// How many of its chars are not letters or digits.
    marks: u32,
    /// Where the last of them is.
    mark_at: usize,
    /// Its byte when it is ASCII, 0 otherwise.
    mark_byte: u8,
}

impl Chunk {
    fn at(start: usize) -> Chunk {
        Chunk {
            start,
            marks: 0,
            mark_at: 0,
            mark_byte: 0,
        }
    }

    /// Notes the char at `i` (its byte when ASCII, else 0).
    #[inline]
    fn add(&mut self, i: usize, byte: u8, word_char: bool) {
        if !word_char {
            self.marks += 1;
            self.mark_at = i;
            self.mark_byte = byte;
        }
    }

    /// Appends the tokens of the chunk, which ends at byte `end`.
    fn split(self, text: &str, end: usize, out: &mut Vec<Token>) {
        let start = self.start;
        let mut push = |start, end| out.push(Token { start, end });
        match self.marks {
            // A word alone, or one char of any kind.
            0 => push(start, end),
            _ if end - start == 1 => push(start, end),
            // A mark before a word is leading punctuation unless it is an apostrophe (`'s`
            // alone is a clitic); one after it is trailing punctuation unless it may belong
            // to the word: a period ending an abbreviation, the hyphen of a word cut short
            // (`Turn-`), the apostrophe of an elided article (`l'`), a currency's `$` (`C$`).
            1 if self.mark_byte != 0 && self.mark_byte != b'\'' && self.mark_at == start => {
                push(start, start + 1);
                push(start + 1, end);
            }
            1 if self.mark_byte != 0
                && !matches!(self.mark_byte, b'.' | b'-' | b'\'' | b'$')
                && self.mark_at == end - 1 =>
            {
                push(start, end - 1);
                push(end - 1, end);
            }
            _ => split_chunk(text, start, end, out),
        }
    }
}

/// True for characters of scripts written without spaces between words (Han ideographs,
/// hiragana, katakana) and for CJK and full-width punctuation: each is one token.
pub fn is_character_token(c: char) -> bool {
    matches!(c,
        '\u{3000}'..='\u{303f}'   // CJK symbols and punctuation: 、。「」《》
        | '\u{3040}'..='\u{30ff}' // hiragana, katakana
        | '\u{3400}'..='\u{4dbf}' // CJK extension A
        | '\u{4e00}'..='\u{9fff}' // CJK unified ideographs
        | '\u{f900}'..='\u{faff}' // CJK compatibility ideographs
        | '\u{ff01}'..='\u{ff0f}' // full-width ！＂（），．／
        | '\u{ff1a}'..='\u{ff20}' // full-width ：；＜＝＞？＠
        | '\u{20000}'..='\u{2fa1f}' // CJK extensions B-F and compatibility supplement
    )
}

/// Zero-width and direction marks, which separate nothing visible but must not glue words.
fn is_invisible(c: char) -> bool {
    matches!(c, '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2060}' | '\u{feff}')
}

/// Letters and digits, and the marks written inside a word that are neither: combining
/// accents (Russian stress marks, `Маэста́`), the soft hyphen and the Indic viramas, which
/// must not cut a word in two.
fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
        || matches!(c,
            '\u{ad}'                  // soft hyphen
            | '\u{300}'..='\u{36f}'   // combining diacritical marks
            | '\u{483}'..='\u{489}'   // Cyrillic combining marks
            | '\u{1ab0}'..='\u{1aff}' // combining diacritical marks extended
            | '\u{1dc0}'..='\u{1dff}' // combining diacritical marks supplement
            | '\u{20d0}'..='\u{20ff}' // combining marks for symbols
            | '\u{fe20}'..='\u{fe2f}' // combining half marks
        )
        || (('\u{900}'..='\u{dff}').contains(&c) && (c as u32) & 0x7f == 0x4d) // viramas
}

/// Splits one whitespace-free chunk `text[start..end]`.
fn split_chunk(text: &str, start: usize, end: usize, out: &mut Vec<Token>) {
    let chunk = &text[start..end];
    if is_url_or_email(chunk) {
        let core_end = start + chunk.trim_end_matches(is_closing_punct).len();
        out.push(Token {
            start,
            end: core_end,
        });
        push_each_punct(text, core_end, end, out);
        return;
    }
    if is_clitic(chunk) || is_elided_article(chunk) {
        out.push(Token { start, end });
        return;
    }
    // Leading punctuation: quotes, brackets, dashes, each a token of its own.
    let mut core_start = start;
    for (i, c) in chunk.char_indices() {
        if is_word_char(c) {
            break;
        }
        core_start = start + i + c.len_utf8();
    }
    if core_start == end {
        push_each_punct(text, start, end, out);
        return;
    }
    push_each_punct(text, start, core_start, out);
    // An elided article is cut from its word: `l'Union` is `l'` and `Union`, as French
    // treebanks write it, so the word has the features it has everywhere else.
    if let Some(article_end) = elided_article_end(&text[core_start..end]) {
        out.push(Token {
            start: core_start,
            end: core_start + article_end,
        });
        core_start += article_end;
    }
    let core_end = trailing_core_end(text, core_start, end);
    let clitic_start = clitic_start(&text[core_start..core_end]).map(|n| core_start + n);
    let word_end = clitic_start.unwrap_or(core_end);
    split_inner(text, core_start, word_end, out);
    if let Some(clitic) = clitic_start {
        out.push(Token {
            start: clitic,
            end: core_end,
        });
    }
    push_each_punct(text, core_end, end, out);
}

/// Where the word part of `text[start..end]` ends once trailing punctuation is cut, keeping
/// the period of an abbreviation or initialism.
fn trailing_core_end(text: &str, start: usize, end: usize) -> usize {
    let mut core_end = end;
    while core_end > start {
        let Some(c) = text[start..core_end].chars().next_back() else {
            break;
        };
        if is_word_char(c) {
            break;
        }
        if c == '.' && is_abbreviation(&text[start..core_end]) {
            break;
        }
        let word = &text[start..core_end - c.len_utf8()];
        // A period before a lowercase word ends no sentence: on a short word or a number it
        // ends an abbreviation or an ordinal ("tzv. neovisni", "u 2004. godini", "npr.
        // grad"), as Croatian, Serbian and German write years and abbreviations mid-sentence.
        let mid_sentence = c == '.'
            && core_end == end
            && is_short_word_or_number(word)
            && lowercase_follows(text, end);
        if mid_sentence {
            break;
        }
        // `Turn-` in "Turn- und Sportverein": a word cut short before a conjunction keeps
        // its hyphen, as German treebanks write it.
        let cut_short = c == '-'
            && core_end == end
            && word.chars().next_back().is_some_and(char::is_alphabetic);
        // `C$`, `HK$`, `US$`: a currency named by its country's letters.
        let currency = c == '$' && is_currency_letters(word);
        if cut_short || currency {
            break;
        }
        core_end -= c.len_utf8();
    }
    core_end
}

/// One to five letters, or a number of one to four digits.
fn is_short_word_or_number(word: &str) -> bool {
    let letters = (1..=5).contains(&word.chars().count()) && word.chars().all(char::is_alphabetic);
    let number = (1..=4).contains(&word.len()) && word.bytes().all(|b| b.is_ascii_digit());
    letters || number
}

/// Whether the next word after `text[..end]`, on the same line, begins with a lowercase
/// letter: the one look past a chunk the tokenizer takes.
fn lowercase_follows(text: &str, end: usize) -> bool {
    text[end..]
        .chars()
        .find(|c| !matches!(c, ' ' | '\t'))
        .is_some_and(char::is_lowercase)
}

/// True for `U.S.`, `J.`, `Mr.`, `Inc.`: a word whose final period is part of it.
fn is_abbreviation(word_with_period: &str) -> bool {
    let word = &word_with_period[..word_with_period.len() - 1];
    if word.is_empty() || word.ends_with('.') {
        return false;
    }
    let mut chars = word.chars();
    let single_letter = chars.next().is_some_and(char::is_alphabetic) && chars.next().is_none();
    // Dotted initialisms: letters separated by periods, e.g. `U.S`, `e.g`, `U.N`.
    let initialism = word.contains('.')
        && word
            .split('.')
            .all(|part| part.chars().count() == 1 && part.chars().all(char::is_alphabetic));
    // German, Danish, the South Slavic languages and others write ordinals with a period
    // ("1. FC Köln", "3. Oktober"), and their treebanks keep it on the number: cut off, it
    // ended the sentence inside a club's name. Years and other long numbers still end one; an
    // English sentence ending in a small number ("aged 45.") keeps the period on it too, which
    // left English dev end to end as it was (92.67 -> 92.68; German 67.66 -> 68.05).
    let ordinal = (1..=2).contains(&word.len()) && word.bytes().all(|b| b.is_ascii_digit());
    single_letter
        || initialism
        || ordinal
        || (word.len() <= 6
            && ABBREVIATIONS
                .iter()
                .any(|abbreviation| word.eq_ignore_ascii_case(abbreviation)))
}

/// One to three capital letters: the country part of `C$`, `HK$`, `US$`.
fn is_currency_letters(word: &str) -> bool {
    (1..=3).contains(&word.len()) && word.bytes().all(|b| b.is_ascii_uppercase())
}

/// Whether `chunk` is a clitic standing alone (`'s`, `n't`), as it does in text written from
/// treebank tokens: one token, as it is when cut from its word.
fn is_clitic(chunk: &str) -> bool {
    chunk.contains(['\'', '’'])
        && CLITICS
            .iter()
            .filter(|clitic| **clitic != "'")
            .any(|clitic| same_folded(chunk, clitic))
}

/// French articles and pronouns that lose their vowel before a word (`l'`, `d'`, `qu'`).
/// A single letter other than these keeps its apostrophe inside a name (`O'Brien`).
const ELIDED: &[&str] = &[
    "l", "d", "j", "m", "n", "s", "t", "c", "qu", "jusqu", "lorsqu", "puisqu",
];

/// Whether `chunk` is an elided article standing alone (`l'`, `D'`).
fn is_elided_article(chunk: &str) -> bool {
    elided_article_end(chunk) == Some(chunk.len())
}

/// The byte length of the elided article that begins `word` (`l'` of `l'Union`, `qu'` of
/// `qu'il`), apostrophe included, when a letter or the end of the word follows it.
fn elided_article_end(word: &str) -> Option<usize> {
    let apostrophe = word.find(['\'', '’'])?;
    let prefix = &word[..apostrophe];
    let end = apostrophe + word[apostrophe..].chars().next()?.len_utf8();
    let followed_by_letter_or_nothing = word[end..].chars().next().is_none_or(char::is_alphabetic);
    let elided = ELIDED
        .iter()
        .any(|article| prefix.eq_ignore_ascii_case(article));
    (elided && followed_by_letter_or_nothing).then_some(end)
}

/// Whether `text` is `clitic` with the typographic apostrophe read as ASCII and any case.
fn same_folded(text: &str, clitic: &str) -> bool {
    text.chars()
        .map(|c| {
            if c == '’' {
                '\''
            } else {
                c.to_ascii_lowercase()
            }
        })
        .eq(clitic.chars())
}

/// The byte offset inside `word` where a trailing clitic starts, if it has one.
fn clitic_start(word: &str) -> Option<usize> {
    // Every clitic has an apostrophe: most words have none and need no comparison.
    if !word.contains(['\'', '’']) {
        return None;
    }
    for clitic in CLITICS {
        // Compare with the typographic apostrophe folded to ASCII, without allocating.
        let n = clitic.chars().count();
        let tail_start = word.char_indices().rev().nth(n - 1).map(|(i, _)| i)?;
        if tail_start == 0 {
            continue;
        }
        let same = same_folded(&word[tail_start..], clitic);
        // A lone apostrophe is a clitic only after a plural `s` ("the ministers' meeting").
        let lone_ok = *clitic != "'" || word[..tail_start].ends_with(['s', 'S']);
        if same
            && lone_ok
            && word[..tail_start]
                .chars()
                .next_back()
                .is_some_and(is_word_char)
        {
            return Some(tail_start);
        }
    }
    None
}

/// Splits the inside of a word where a character cannot join two word parts.
fn split_inner(text: &str, start: usize, end: usize, out: &mut Vec<Token>) {
    let word = &text[start..end];
    let mut piece_start = start;
    let mut previous: Option<char> = None;
    let mut iter = word.char_indices().peekable();
    while let Some((i, c)) = iter.next() {
        let next = iter.peek().map(|&(_, n)| n);
        // A final period or hyphen left here is an abbreviation's or a word's cut short
        // (`Turn-`): other trailing punctuation is gone.
        let abbreviation_period = matches!(c, '.' | '-') && next.is_none();
        // Swedish and Finnish inflect an abbreviation after a colon (`EEC:s`, `EU:n`,
        // `H:son`): one word. A capital or digit before it and a short lowercase ending
        // running to the word's end tell it from two words missing a space (`note:this`).
        let inflection_colon = c == ':'
            && previous.is_some_and(char::is_alphanumeric)
            && word[..i]
                .chars()
                .any(|c| c.is_uppercase() || c.is_ascii_digit())
            && is_colon_inflection(&word[i + 1..]);
        // `US$` before its amount (`US$50`).
        let currency = c == '$' && piece_start == start && is_currency_letters(&word[..i]);
        if currency {
            out.push(Token {
                start,
                end: start + i + 1,
            });
            piece_start = start + i + 1;
        } else if !is_word_char(c)
            && !abbreviation_period
            && !inflection_colon
            && !joins(previous, c, next)
        {
            let at = start + i;
            if piece_start < at {
                out.push(Token {
                    start: piece_start,
                    end: at,
                });
            }
            out.push(Token {
                start: at,
                end: at + c.len_utf8(),
            });
            piece_start = at + c.len_utf8();
        }
        previous = Some(c);
    }
    if piece_start < end {
        out.push(Token {
            start: piece_start,
            end,
        });
    }
}

/// The ending of an abbreviation inflected after a colon: one to four lowercase letters.
fn is_colon_inflection(ending: &str) -> bool {
    (1..=4).contains(&ending.chars().count()) && ending.chars().all(char::is_lowercase)
}

/// True when the non-word character `c` between `previous` and `next` keeps one token:
/// hyphens, periods, apostrophes and `&` between word characters, and `,` or `:` between digits.
fn joins(previous: Option<char>, c: char, next: Option<char>) -> bool {
    let (Some(p), Some(n)) = (previous, next) else {
        return false;
    };
    match c {
        '-' | '.' | '\'' | '’' | '&' | '/' | '_' | '+' => is_word_char(p) && is_word_char(n),
        ',' | ':' => p.is_ascii_digit() && n.is_ascii_digit(),
        _ => false,
    }
}

/// Pushes each punctuation character of `text[start..end]` as a token, keeping runs of the
/// same character (`...`, `--`) together.
fn push_each_punct(text: &str, start: usize, end: usize, out: &mut Vec<Token>) {
    let mut run: Option<(usize, char)> = None;
    for (i, c) in text[start..end].char_indices() {
        let at = start + i;
        match run {
            Some((_, r)) if r == c && matches!(c, '.' | '-' | '!' | '?' | '*' | '=') => {}
            Some((run_start, _)) => {
                out.push(Token {
                    start: run_start,
                    end: at,
                });
                run = Some((at, c));
            }
            None => run = Some((at, c)),
        }
    }
    if let Some((run_start, _)) = run {
        out.push(Token {
            start: run_start,
            end,
        });
    }
}

fn is_closing_punct(c: char) -> bool {
    matches!(
        c,
        '.' | ',' | ';' | ':' | '!' | '?' | ')' | ']' | '}' | '"' | '\'' | '”' | '’' | '>'
    )
}

/// URLs (`http://...`, `www.x.y`) and e-mail addresses are one token each, including the
/// addresses of mail systems inside an organisation, whose domain has no dot
/// (`Griffith@ENRON`): the web treebank writes them as one token, and a person's surname cut
/// from its `@ENRON` was read as an organisation.
fn is_url_or_email(chunk: &str) -> bool {
    let lower_starts = |prefix: &str| {
        chunk.len() > prefix.len()
            && chunk.is_char_boundary(prefix.len())
            && chunk[..prefix.len()].eq_ignore_ascii_case(prefix)
    };
    if lower_starts("http://") || lower_starts("https://") || lower_starts("www.") {
        return true;
    }
    // A byte scan: most chunks are short words, where a general substring search costs
    // more than the comparisons themselves.
    let at = chunk.bytes().position(|b| b == b'@');
    match at.map(|at| (&chunk[..at], &chunk[at + 1..])) {
        Some((user, domain)) => {
            let bare_name = |text: &str| {
                text.chars()
                    .all(|c| is_word_char(c) || c == '_' || c == '-')
            };
            !user.is_empty()
                && user.chars().next().is_some_and(is_word_char)
                && (domain.contains('.') || bare_name(domain.trim_end_matches(is_closing_punct)))
                && domain.chars().next().is_some_and(is_word_char)
                && !domain.contains('@')
        }
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn words(text: &str) -> Vec<&str> {
        let mut tokens = Vec::new();
        tokenize(text, &mut tokens);
        tokens.iter().map(|t| t.text(text)).collect()
    }

    #[test]
    fn keeps_hyphenated_names_and_splits_possessives() {
        assert_eq!(
            words("Abu Mahdi al-Muhandis, Kataib Hezbollah's commander"),
            [
                "Abu",
                "Mahdi",
                "al-Muhandis",
                ",",
                "Kataib",
                "Hezbollah",
                "'s",
                "commander"
            ]
        );
        assert_eq!(
            words("the country’s sovereignty"),
            ["the", "country", "’s", "sovereignty"]
        );
        assert_eq!(words("don't"), ["do", "n't"]);
    }

    #[test]
    fn keeps_abbreviations_numbers_and_units() {
        assert_eq!(
            words("The U.S. paid $1,000.50 (5m / 16ft) to Mr. Smith."),
            [
                "The", "U.S.", "paid", "$", "1,000.50", "(", "5m", "/", "16ft", ")", "to", "Mr.",
                "Smith", "."
            ]
        );
        assert_eq!(
            words("at 10:30 on 12/05/2020"),
            ["at", "10:30", "on", "12/05/2020"]
        );
    }

    #[test]
    fn keeps_urls_and_emails_whole() {
        assert_eq!(
            words("See https://example.com/a?b=1, or mail jo.doe@example.org."),
            [
                "See",
                "https://example.com/a?b=1",
                ",",
                "or",
                "mail",
                "jo.doe@example.org",
                "."
            ]
        );
    }

    #[test]
    fn ordinals_keep_their_period_and_years_do_not() {
        assert_eq!(
            words("Der 1. FC Köln spielte am 3. Oktober 1996."),
            ["Der", "1.", "FC", "Köln", "spielte", "am", "3.", "Oktober", "1996", "."]
        );
    }

    #[test]
    fn a_period_before_a_lowercase_word_stays_on_a_number_or_short_word() {
        assert_eq!(
            words("u 2004. godini, tzv. neovisni i sl. Kraj 2004. Novi"),
            [
                "u", "2004.", "godini", ",", "tzv.", "neovisni", "i", "sl", ".", "Kraj", "2004",
                ".", "Novi"
            ]
        );
        // A long word is a sentence written without a capital after it, and a line ends one.
        assert_eq!(
            words("see you tomorrow. then 1996.\nnext"),
            ["see", "you", "tomorrow", ".", "then", "1996", ".", "next"]
        );
    }

    #[test]
    fn addresses_of_a_mail_system_without_dots_are_whole() {
        assert_eq!(
            words("From John Griffith@ENRON, cc ENRON@enronXgate."),
            [
                "From",
                "John",
                "Griffith@ENRON",
                ",",
                "cc",
                "ENRON@enronXgate",
                "."
            ]
        );
        // A handle and a lone at sign are not addresses.
        assert_eq!(words("@anna at 5 @ 3"), ["@", "anna", "at", "5", "@", "3"]);
    }

    #[test]
    fn treebank_tokens_written_as_text_read_back_whole() {
        // Text written from a treebank's tokens has clitics, elided articles and words cut
        // short standing alone; each must come back as the one token the treebank has.
        assert_eq!(
            words("the People 's Party , l' Union , Turn- und Sportverein"),
            [
                "the",
                "People",
                "'s",
                "Party",
                ",",
                "l'",
                "Union",
                ",",
                "Turn-",
                "und",
                "Sportverein"
            ]
        );
        assert_eq!(words("D’ Artagnan ’s"), ["D’", "Artagnan", "’s"]);
    }

    #[test]
    fn french_elided_articles_are_cut_from_their_word() {
        assert_eq!(
            words("l'Union de Jeanne d'Arc qu'il aimait, O'Brien"),
            ["l'", "Union", "de", "Jeanne", "d'", "Arc", "qu'", "il", "aimait", ",", "O'Brien"]
        );
        assert_eq!(words("rock 'n' roll"), ["rock", "'", "n'", "roll"]);
    }

    #[test]
    fn inflected_abbreviations_currencies_and_accents_stay_whole() {
        assert_eq!(
            words("EEC:s beslut och H:son, note:this"),
            ["EEC:s", "beslut", "och", "H:son", ",", "note", ":", "this"]
        );
        assert_eq!(
            words("C$ 50 and US$50 at $500."),
            ["C$", "50", "and", "US$", "50", "at", "$", "500", "."]
        );
        assert_eq!(
            words("Маэста\u{301} Ма\u{ad}хаб\u{ad}ха\u{ad}ра\u{ad}та"),
            ["Маэста\u{301}", "Ма\u{ad}хаб\u{ad}ха\u{ad}ра\u{ad}та"]
        );
        assert_eq!(words("हिन्दी भाषा"), ["हिन्दी", "भाषा"]);
        // A dash after a word that ends the chunk's text with more after it is punctuation.
        assert_eq!(words("Berlin-, x"), ["Berlin", "-", ",", "x"]);
    }

    #[test]
    fn chinese_characters_are_tokens_of_their_own() {
        assert_eq!(
            words("习近平在北京会见了2005年的Apple代表。"),
            [
                "习", "近", "平", "在", "北", "京", "会", "见", "了", "2005", "年", "的", "Apple",
                "代", "表", "。"
            ]
        );
        assert_eq!(words("「東京」，ok"), ["「", "東", "京", "」", "，", "ok"]);
    }

    #[test]
    fn quotes_and_dashes_are_tokens() {
        assert_eq!(
            words("\"clear example\" -- 'terror'..."),
            ["\"", "clear", "example", "\"", "--", "'", "terror", "'", "..."]
        );
    }

    /// Every whitespace-free chunk cut by [`split_chunk`], the general rules, which
    /// [`tokenize`] skips for the common chunks.
    fn tokenize_by_rules(text: &str) -> Vec<Token> {
        let mut out = Vec::new();
        let mut chunk_start = None;
        for (i, c) in text.char_indices() {
            if c.is_whitespace() || c.is_control() || is_invisible(c) {
                if let Some(start) = chunk_start.take() {
                    split_chunk(text, start, i, &mut out);
                }
            } else if is_character_token(c) {
                if let Some(start) = chunk_start.take() {
                    split_chunk(text, start, i, &mut out);
                }
                out.push(Token {
                    start: i,
                    end: i + c.len_utf8(),
                });
            } else if chunk_start.is_none() {
                chunk_start = Some(i);
            }
        }
        if let Some(start) = chunk_start {
            split_chunk(text, start, text.len(), &mut out);
        }
        out
    }

    proptest! {
        #[test]
        fn common_chunks_are_cut_as_the_rules_cut_them(
            text in "([a-cA-C0-9ßéЖ京]{0,4}[ .,;:!?'’\"()\\-@/&_+*=#»«]?){0,12}",
        ) {
            let mut tokens = Vec::new();
            tokenize(&text, &mut tokens);
            prop_assert_eq!(tokens, tokenize_by_rules(&text));
        }

        #[test]
        fn tokens_are_ordered_nonempty_and_on_char_boundaries(text in "\\PC{0,80}") {
            let mut tokens = Vec::new();
            tokenize(&text, &mut tokens);
            let mut last_end = 0;
            for token in &tokens {
                prop_assert!(token.start < token.end);
                prop_assert!(token.start >= last_end);
                prop_assert!(text.is_char_boundary(token.start) && text.is_char_boundary(token.end));
                prop_assert!(!token.text(&text).chars().any(char::is_whitespace));
                last_end = token.end;
            }
        }
    }
}
