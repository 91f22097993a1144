//! Sentence splitting for textpipe in 16 languages (en, de, fr, es, it, pt, nl, pl, ru, cs, sv,
//! da, tr, ar, zh, ja): accurate on messy text, and fast enough that reading the text is most
//! of the cost.
//!
//! # Design
//!
//! Sentence boundaries in English are mostly decided by a handful of questions asked at a
//! terminator: is the word before it an abbreviation, an initial, a number? Does the next word
//! start in upper case, and is it the kind of word that opens sentences? Statistical splitters
//! learn those answers from data and pay for it in speed; pySBD asks them with hundreds of
//! regular expressions run over the whole text, one after the other, and pays even more. This
//! crate asks them once per candidate, in one pass:
//!
//! 1. **Scan** ([`scan`](crate::scan)): a 256-entry byte-class table finds the next byte that
//!    can matter (`.`, `?`, `!`, a line break, or the lead byte of `…`, `。`, `！`, U+2029).
//!    Everything else (about 97% of news text) is skipped with one table load per byte and no
//!    decoding, no allocation. Arabic text gets its own table, which stops on the second byte
//!    of `؟` rather than on the lead byte it shares with half the alphabet.
//! 2. **Read the run**: the terminators there (`?!`, `...`, `. . .`), the closing quotes and
//!    brackets after them (`terrorism".`, `(16ft).`) and citation marks (`. [12]`): the
//!    sentence, if it ends, ends after them.
//! 3. **Decide** ([`rules`](crate::rules)): a small table keyed by the run's kind, the shape of
//!    the word before (number, initial, acronym, abbreviation class, ordinary word) and the
//!    case of the word after. Glued text ("3.5", "example.com", "cat.Cat") is one token unless
//!    a lower-case word is followed by a typical sentence opener ("end.The").
//! 4. **Lines** ([`NewlinePolicy`]): blank lines always end a sentence; a single line break
//!    ends one in line-oriented text (headings, list items, sign-offs, a paragraph per line)
//!    and is a space in hard-wrapped prose. `auto` tells the two apart once per document.
//! 5. **Patterns**: optional user regexes that forbid or force boundaries run after the scan,
//!    so they cost nothing when unused.
//!
//! The knowledge is data, not code: abbreviations by behaviour (titles before names,
//! forward-pointing "e.g.", "No." before numbers, "Inc." that may end a sentence), sentence
//! openers and names such as "Yahoo!" live in a plain-text [`Lexicon`] per language
//! (`data/<lang>.txt` over a shared `data/common.txt`) that users extend from a pipeline file.
//! Lookups pack short words into `u64` keys in a small open-addressing table, so a lookup is
//! a multiply and a comparison; longer or non-ASCII words (with the Turkish dotted and dotless
//! i folded together) go through a hash map.
//!
//! # Languages
//!
//! What differs between languages is mostly words, and the lexicons hold them: "z. B." and
//! "usw." in German, "M." and "Mme" in French, "т. е." in Russian. A few behaviours are rules
//! a lexicon switches on in its `[rules]` section, each general to the writing convention
//! behind it rather than fitted to one corpus: `ordinal-numbers` (German, Czech, Danish,
//! Polish and Turkish write "3. Oktober"), `lowercase-continues` (edited text starts every
//! sentence with a capital, so `?` or `.` before a lower-case word goes on), `colon-quotes` and
//! `colon-capitals` (how Portuguese and Italian news set quoted speech after a colon), and
//! `[headline-openers]` for headlines run into their article without punctuation. The scan
//! itself knows every script's terminators: `。！？` need no space after them, `؟` is a
//! question mark while `،` and `؛` are a comma and a semicolon, quotations in `« »`, `„ “`,
//! `「」` and `,, ''` end after their closing mark, and `¿ ¡` open sentences. The stage picks the lexicon by the
//! document's `lang` and leaves out the layer of a language it has none for.
//!
//! # Linear time
//!
//! Every look around a candidate is bounded: the word before a period is read back at most 64
//! bytes (a longer token is an ordinary word to every rule), the word after it as far forward,
//! and runs of whitespace likewise, so the pass costs a constant per byte whatever the text is
//! made of (`tests/linear_time.rs` feeds dotted
//! tokens, punctuation runs and texts without spaces at sizes n and 16n to hold it to that).
//!
//! Accuracy is measured by [`evaluate`] (boundary precision/recall/F1, whitespace ignored) on
//! the UD dev documents of every language; the hard cases the rules exist for are pinned by
//! `tests/hard_cases.rs` (English) and `tests/languages.rs` (the others). See the crate README
//! for the figures.
//!
//! ```
//! use textpipe_sentences::SentenceSplitter;
//!
//! let splitter = SentenceSplitter::new();
//! let text = "Apple Inc. said it sold 3.5 million units. The U.S. market grew.\n\nWhat next?! We'll see...";
//! let sentences: Vec<&str> = splitter.sentences(text).collect();
//! assert_eq!(
//!     sentences,
//!     [
//!         "Apple Inc. said it sold 3.5 million units.",
//!         "The U.S. market grew.",
//!         "What next?!",
//!         "We'll see...",
//!     ]
//! );
//! ```
#![deny(missing_docs)]

pub mod evaluate;
mod layout;
pub mod lexicon;
mod rules;
mod scan;
mod splitter;
mod stage;

pub use layout::{looks_hard_wrapped, NewlinePolicy};
pub use lexicon::{AbbreviationKind, LanguageRules, Lexicon, LexiconError, LANGUAGES};
pub use splitter::{SentenceSplitter, SplitterError, SplitterOptions};
pub use stage::{SentencesConfig, SentencesFactory, SentencesStage};
