//! Feature extraction: every feature is a 64-bit hash, so tagging allocates nothing per token.
//!
//! A token is first summarised once ([`TokenFeatures`]: hashes of its form, lowercase form,
//! shapes and affixes, plus lookups in the model's word tables). The features of a position
//! are then mixes of those hashes with a template number, written into a fixed-size
//! [`FeatureBuf`]. The weight table maps a hash to a row of per-tag weights; collisions are
//! rare enough with 2^20 rows that the perceptron learns around them.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

use crate::tags::{Tag, NUM_TAGS};

/// Most features a position can have: the templates below give about fifty, twice that in
/// informal documents.
pub const MAX_FEATURES: usize = 128;

/// Most templates one position's features come from ([`extract`]: those of [`write_static`],
/// each at most once, and the five of the previous tags); a test counts them.
const MAX_TEMPLATES: usize = 64;

// Every template with its register copy fits in a buffer.
const _: () = assert!(2 * MAX_TEMPLATES <= MAX_FEATURES);

/// The longest name the lexicon matches, in tokens.
pub const MAX_LEXICON_TOKENS: usize = 6;

const MULTIPLIER: u64 = 0x9E37_79B9_7F4A_7C15;

/// Mixes `x` into the running hash `h`.
#[inline]
pub fn mix(h: u64, x: u64) -> u64 {
    (h ^ x).wrapping_mul(MULTIPLIER).rotate_left(31)
}

/// The murmur3 finaliser: spreads every input bit over the high bits used as bucket index.
#[inline]
pub fn finish(h: u64) -> u64 {
    let h = spread_high(h);
    h ^ (h >> 33)
}

/// [`finish`] without its last step, `h ^ (h >> 33)`, which changes only the low 31 bits:
/// enough where only the high bits are read.
#[inline(always)]
fn spread_high(mut h: u64) -> u64 {
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h.wrapping_mul(0xc4ce_b9fe_1a85_ec53)
}

/// The hash of the empty string, where [`hash_text`] starts.
const TEXT_SEED: u64 = 0x51_7c_c1_b7;

/// Hash of a string's chars, optionally lowercased (char by char, no allocation).
pub fn hash_text(text: &str, lowercase: bool) -> u64 {
    let mut h = TEXT_SEED;
    // Most tokens are ASCII: their bytes are their chars and lowercase without the Unicode
    // tables, to the same values.
    if text.is_ascii() {
        for &b in text.as_bytes() {
            let b = if lowercase { b.to_ascii_lowercase() } else { b };
            h = mix(h, b as u64);
        }
        return h;
    }
    for c in text.chars() {
        if lowercase {
            for l in c.to_lowercase() {
                h = mix(h, l as u64);
            }
        } else {
            h = mix(h, c as u64);
        }
    }
    h
}

/// The [`hash_text`] (lowercase) of a word's stems, 0 where the word has no such stem: the
/// word cut by one char and by two, each when four chars or more remain, and the part
/// before a hyphen that ends it with one to three chars (the case ending of an acronym in
/// Croatian, "HDZ-a", "UN-om"). Chars are counted after lowercasing, as [`hash_text`] hashes
/// them. The hashes of a word's prefixes are steps of the same fold, so one walk gives all.
pub fn stem_hashes(word: &str) -> [u64; 3] {
    // The fold's states after the last three chars: `states[2]` after all of them.
    let mut states = [TEXT_SEED; 3];
    let mut chars = 0usize;
    let mut before_hyphen: Option<(usize, u64)> = None;
    let mut step = |l: char| {
        if l == '-' {
            before_hyphen = Some((chars, states[2]));
        }
        states = [states[1], states[2], mix(states[2], l as u64)];
        chars += 1;
    };
    if word.is_ascii() {
        word.bytes()
            .for_each(|b| step(char::from(b.to_ascii_lowercase())));
    } else {
        word.chars()
            .flat_map(char::to_lowercase)
            .for_each(&mut step);
    }
    let cut = |n: usize| if chars >= 4 + n { states[2 - n] } else { 0 };
    let acronym = match before_hyphen {
        Some((at, state)) if at >= 2 && (1..=3).contains(&(chars - at - 1)) => state,
        _ => 0,
    };
    [cut(1), cut(2), acronym]
}

/// A hasher for keys that are already hashes.
#[derive(Default, Clone, Copy)]
pub struct PrehashedHasher(u64);

impl Hasher for PrehashedHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = mix(self.0, b as u64);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

/// A map keyed by hashes computed with [`hash_text`] and [`mix`].
pub type PrehashedMap<V> = HashMap<u64, V, BuildHasherDefault<PrehashedHasher>>;

/// A set of hashes computed with [`hash_text`] and [`mix`].
pub type PrehashedSet = HashSet<u64, BuildHasherDefault<PrehashedHasher>>;

/// Mixed into the template of the informal copy of each feature.
const INFORMAL_REGISTER: u64 = 0xD0_0000;

/// Mixed into the template of the uncased copy of each feature.
const UNCASED_REGISTER: u64 = 0xE0_0000;

/// Token flags.
pub mod flag {
    /// First token of its sentence.
    pub const FIRST: u8 = 1;
    /// Starts with an uppercase letter.
    pub const INIT_CAP: u8 = 2;
    /// Has letters, all uppercase.
    pub const ALL_CAPS: u8 = 4;
    /// Has letters, all lowercase.
    pub const LOWER: u8 = 8;
    /// Has a digit.
    pub const DIGIT: u8 = 16;
    /// Has no letter or digit.
    pub const PUNCT: u8 = 32;
    /// Its sentence is mostly uppercase (a headline), so case says little.
    pub const CAPS_SENTENCE: u8 = 64;
    /// Its document is written in the first and second person (web text, e-mail, reviews),
    /// where capitalization and naming habits differ from news.
    pub const INFORMAL: u8 = 128;
}

/// Bits of [`TokenFeatures::doc_case`]: how the same word is written elsewhere in the document.
pub mod doc_case {
    /// Capitalized somewhere not at a sentence start.
    pub const CAPITALIZED_INSIDE: u8 = 1;
    /// All lowercase somewhere.
    pub const LOWERCASE: u8 = 2;
}

/// What is known about one token before tagging.
#[derive(Debug, Clone, Copy, Default)]
pub struct TokenFeatures {
    /// Exact form.
    pub word: u64,
    /// Lowercase form.
    pub lower: u64,
    /// Shape, one class char per char, capped (`Xxxxx`, `dd.dd`).
    pub shape: u64,
    /// Shape with repeated classes collapsed (`Xx`, `d.d`).
    pub short_shape: u64,
    /// Lowercase prefixes of 1..=4 chars, then suffixes of 1..=4 chars.
    pub affixes: [u64; 8],
    /// [`flag`] bits.
    pub flags: u8,
    /// The model's corpus statistic of the word's capitalization (0: unknown).
    pub case_stat: u8,
    /// Packed coarse and fine word cluster of the lowercase form (0: unknown).
    pub cluster: u32,
    /// Lexicon matches: bit `2k` begins a name of label `k`, bit `2k+1` continues one.
    pub lexicon: u8,
    /// [`doc_case`] bits.
    pub doc_case: u8,
    /// Name-list positions of the word alone: bit `k` when it begins a name of label `k`,
    /// bit `4 + k` when it ends one.
    pub name_part: u8,
    /// Its sentence is typed without capitals (but for "I"), so case says nothing.
    pub uncased: bool,
    /// Training only: the word's own identity is withheld at this position, so that the
    /// model learns to tag the words it will not know from their shape and context.
    pub hide_word: bool,
    /// The token is one character of a script written without spaces (Chinese): words are
    /// runs of such tokens, so wider character windows stand in for word identity.
    pub character: bool,
    /// For a character token of a model with a word dictionary, its place in the dictionary
    /// word that covers it (1 alone, 2 first, 3 last, 4 inside) plus eight times that word's
    /// length; 0 otherwise (see [`crate::lexicon::Lexicon::annotate`]).
    pub segment: u8,
    /// The hash of that word.
    pub segment_word: u64,
    /// The length of the longest dictionary word starting at this character (high four
    /// bits) and of the longest ending at it (low four bits).
    pub word_lengths: u8,
    /// [`layout`] bits: the kind of line the token stands in and its numbers around it;
    /// 0 unless the model was trained with layout features.
    pub layout: u8,
    /// [`mention_context`] bits: what the word's capitalized occurrences in the whole
    /// document stand beside; 0 unless the model was trained with mention-context features.
    /// One byte the summary's padding had room for (it stayed 120 bytes), so models without
    /// them paid nothing for its size.
    pub mention_context: u8,
    /// For a model whose lexicon lists stems ([`crate::lexicon::Lexicon::has_stems`]): bit
    /// `k` when the word or one of its stems is a stem of a word of a name of label `k` in
    /// the training data ("Holdinga" of "Holding", "HDZ-a" of "HDZ"), and [`STEMS_READ`] on
    /// every token but character tokens; 0 otherwise. The byte made the summary 128 bytes
    /// instead of 120, which cost models without stems 0.26% more tagging instructions
    /// (English).
    pub stem_labels: u8,
}

/// Set in [`TokenFeatures::stem_labels`] on every token whose stems were looked up, so that
/// "no stem matches" is a value of its own.
pub const STEMS_READ: u8 = 0x80;

/// Bits of [`TokenFeatures::layout`], set by
/// [`crate::decode::DocumentFeatures::annotate_layout`] for models trained with them.
///
/// A results table or a scorecard ("Leeds 2 Arsenal 1", "Muralitharan 10-0-42-0") is not
/// prose: there a capitalized word next to a number is a team, a player or a town in a
/// price list, and the prose reading of the same word (a club named after its town read
/// as the town) is what goes wrong on text of that kind. These bits let the weights of such
/// lines differ from those of prose.
pub mod layout {
    /// The token's sentence is a table row: at least three tokens in ten are numbers.
    pub const TABLE_ROW: u8 = 1;
    /// The token's sentence is in capitals (a headline or a standings header).
    pub const CAPS_ROW: u8 = 2;
    /// Mask of the two kinds of line above (neither: prose).
    pub const ROW_KIND: u8 = TABLE_ROW | CAPS_ROW;
    /// The previous token is a number.
    pub const NUMBER_BEFORE: u8 = 4;
    /// The next token is a number.
    pub const NUMBER_AFTER: u8 = 8;
    /// The token two after is a number ("Leeds United 2").
    pub const NUMBER_TWO_AFTER: u8 = 16;
    /// Mask of the three neighbour bits above.
    pub const NUMBERS_AROUND: u8 = NUMBER_BEFORE | NUMBER_AFTER | NUMBER_TWO_AFTER;
    /// The document is a results or prices document: at least one sentence in five is a
    /// table row.
    pub const RESULTS_DOCUMENT: u8 = 32;
    /// The word (capitalized) stands beside a number in a table row somewhere in the
    /// document: a team or a player of a results table, wherever it occurs.
    pub const SCORED_ELSEWHERE: u8 = 64;
}

/// Bits of [`TokenFeatures::mention_context`], set by
/// [`crate::decode::DocumentFeatures::annotate_mention_context`] for models trained with them.
///
/// The features of a position see two words each side, and the document history sees only
/// the labels the tagger gave earlier mentions. Which label a name takes is often decided by
/// another mention, earlier or later: "Leeds" is the club where the report also says "Leeds
/// United", "Newmont" the company where it also says "Newmont Mining Corp", "Clinton" the
/// man where it also says "President Clinton". These bits gather, for each capitalized
/// word, what all its capitalized occurrences in the document stand beside (Ratinov and
/// Roth's context aggregation, with the name lexicon's name endings and the neighbours' case
/// as the context's vocabulary), so every mention reads them, the first included, and the
/// tags chosen play no part: nothing a first decoding gets wrong is fed back.
pub mod mention_context {
    /// Bits 0-3: bit `k` when an occurrence is followed by a word that ends names of label
    /// `k` in the lexicon ("Leeds United", "Newmont Corp").
    pub const NEXT_ENDS: u8 = 0x0F;
    /// An occurrence outside a headline is followed by a capitalized word: the word is
    /// part of a longer name somewhere.
    pub const CAPITALIZED_AFTER: u8 = 0x10;
    /// An occurrence outside a headline follows a capitalized word that does not begin
    /// its sentence.
    pub const CAPITALIZED_BEFORE: u8 = 0x20;
    /// The word is capitalized more than once in the document.
    pub const REPEATED: u8 = 0x40;
    /// Set on every capitalized token of an annotated document, so that "no cue anywhere"
    /// is a value of its own.
    pub const ANNOTATED: u8 = 0x80;
}

impl TokenFeatures {
    /// Summarises `text` (its lookups are filled in later, they need context).
    pub fn of(text: &str) -> TokenFeatures {
        if text.is_ascii() {
            return TokenFeatures::of_ascii(text.as_bytes());
        }
        // The ideographs are the three-byte chars whose first byte is E3 to E9.
        if text.len() == 3 && matches!(text.as_bytes()[0], 0xE3..=0xE9) {
            let c = text.chars().next().expect("three bytes are one char");
            if is_common_ideograph(c) {
                return TokenFeatures::of_ideograph(c);
            }
        }
        TokenFeatures::of_text(text)
    }

    /// [`TokenFeatures::of`] a token of one Han ideograph, most tokens of Chinese text,
    /// without the Unicode tables: an ideograph is a letter without case (a lowercase
    /// letter's class, its own lowercase form). The same values as [`TokenFeatures::of_text`]
    /// gives, which a test checks for every ideograph.
    fn of_ideograph(c: char) -> TokenFeatures {
        let form = mix(TEXT_SEED, c as u64);
        let mut affixes = [0u64; 8];
        affixes[0] = mix(0x77, c as u64);
        affixes[4] = mix(0x99, c as u64);
        TokenFeatures {
            word: form,
            lower: form,
            shape: mix(0x5a, 'x' as u64),
            short_shape: mix(0x3c, 'x' as u64),
            affixes,
            flags: flag::LOWER,
            character: true,
            ..TokenFeatures::default()
        }
    }

    /// [`TokenFeatures::of`] an ASCII token, most tokens of most languages: its bytes are its
    /// chars, so one walk over them gives the form hashes, the shapes and the affixes, with
    /// the byte classifications instead of the Unicode tables. The same values as
    /// [`TokenFeatures::of_text`] gives, which a test checks on random ASCII.
    fn of_ascii(bytes: &[u8]) -> TokenFeatures {
        let (mut word, mut lowercase) = (TEXT_SEED, TEXT_SEED);
        let (mut shape, mut short) = (0x5a_u64, 0x3c_u64);
        let (mut upper, mut lower, mut digits, mut others) = (0u32, 0u32, 0u32, 0u32);
        let mut last_class = 0u8;
        let mut affixes = [0u64; 8];
        let mut prefix = 0x77;
        for (n, &b) in bytes.iter().enumerate() {
            let l = b.to_ascii_lowercase();
            word = mix(word, b as u64);
            lowercase = mix(lowercase, l as u64);
            let class = ascii_class(char::from(b));
            count_class(class, [&mut upper, &mut lower, &mut digits, &mut others]);
            let class = class as u8;
            if n < 4 {
                prefix = mix(prefix, l as u64);
                affixes[n] = prefix;
            }
            if n < 8 {
                shape = mix(shape, class as u64);
            }
            if class != last_class {
                short = mix(short, class as u64);
                last_class = class;
            }
        }
        let mut suffix = 0x99;
        for (n, &b) in bytes.iter().rev().take(4).enumerate() {
            suffix = mix(suffix, b.to_ascii_lowercase() as u64);
            affixes[4 + n] = suffix;
        }
        let letters = upper + lower;
        let first_upper = bytes.first().is_some_and(u8::is_ascii_uppercase);
        TokenFeatures {
            word,
            lower: lowercase,
            shape,
            short_shape: short,
            affixes,
            flags: (first_upper as u8 * flag::INIT_CAP)
                | ((letters > 0 && lower == 0) as u8 * flag::ALL_CAPS)
                | ((letters > 0 && upper == 0) as u8 * flag::LOWER)
                | ((digits > 0) as u8 * flag::DIGIT)
                | ((letters + digits == 0 && others > 0) as u8 * flag::PUNCT),
            // No ASCII char is a character token.
            ..TokenFeatures::default()
        }
    }

    fn of_text(text: &str) -> TokenFeatures {
        let mut features = TokenFeatures::default();
        // One walk over the chars computes both form hashes (as [`hash_text`] does) and the
        // shapes; ASCII chars take the cheap classification, to the same classes.
        let (mut word, mut lowercase) = (TEXT_SEED, TEXT_SEED);
        let (mut shape, mut short) = (0x5a_u64, 0x3c_u64);
        let (mut upper, mut lower, mut digits, mut others) = (0, 0, 0, 0);
        let mut last_class = '\0';
        for (n, c) in text.chars().enumerate() {
            word = mix(word, c as u64);
            let class = if c.is_ascii() {
                lowercase = mix(lowercase, c.to_ascii_lowercase() as u64);
                ascii_class(c)
            } else {
                for l in c.to_lowercase() {
                    lowercase = mix(lowercase, l as u64);
                }
                char_class(c)
            };
            count_class(class, [&mut upper, &mut lower, &mut digits, &mut others]);
            if n < 8 {
                shape = mix(shape, class as u64);
            }
            if class != last_class {
                short = mix(short, class as u64);
                last_class = class;
            }
        }
        features.word = word;
        features.lower = lowercase;
        features.shape = shape;
        features.short_shape = short;
        let letters = upper + lower;
        let first_upper = text.chars().next().is_some_and(char::is_uppercase);
        features.flags = (first_upper as u8 * flag::INIT_CAP)
            | ((letters > 0 && lower == 0) as u8 * flag::ALL_CAPS)
            | ((letters > 0 && upper == 0) as u8 * flag::LOWER)
            | ((digits > 0) as u8 * flag::DIGIT)
            | ((letters + digits == 0 && others > 0) as u8 * flag::PUNCT);
        features.affixes = affixes(text);
        let mut chars = text.chars();
        features.character = chars
            .next()
            .is_some_and(crate::tokenize::is_character_token)
            && chars.next().is_none();
        features
    }

    /// True when the token starts with a capital letter.
    pub fn is_capitalized(&self) -> bool {
        self.flags & flag::INIT_CAP != 0
    }
}

/// A char's shape class: `X` uppercase, `x` other letters, `d` digits, else the char itself.
fn char_class(c: char) -> char {
    if c.is_uppercase() {
        'X'
    } else if c.is_lowercase() || c.is_alphabetic() {
        'x'
    } else if c.is_numeric() {
        'd'
    } else {
        c
    }
}

/// Counts a shape class into its tally: uppercase, other letters, digits, or anything else
/// (a char of none of the three classes is its own class, never one of these).
#[inline(always)]
fn count_class(class: char, [upper, lower, digits, others]: [&mut u32; 4]) {
    match class {
        'X' => *upper += 1,
        'x' => *lower += 1,
        'd' => *digits += 1,
        _ => *others += 1,
    }
}

/// [`char_class`] of an ASCII char, without the Unicode tables.
#[inline]
fn ascii_class(c: char) -> char {
    if c.is_ascii_uppercase() {
        'X'
    } else if c.is_ascii_lowercase() {
        'x'
    } else if c.is_ascii_digit() {
        'd'
    } else {
        c
    }
}

/// The CJK unified ideographs and their extension A: letters without case, every one a
/// token of its own.
fn is_common_ideograph(c: char) -> bool {
    matches!(c, '\u{3400}'..='\u{4dbf}' | '\u{4e00}'..='\u{9fff}')
}

/// Hashes of the lowercase prefixes and suffixes of 1 to 4 chars.
fn affixes(text: &str) -> [u64; 8] {
    let mut out = [0u64; 8];
    if text.is_ascii() {
        // The same hashes from bytes, without the Unicode lowercase tables.
        let bytes = text.as_bytes();
        let mut h = 0x77;
        for (n, &b) in bytes.iter().take(4).enumerate() {
            h = mix(h, b.to_ascii_lowercase() as u64);
            out[n] = h;
        }
        let mut h = 0x99;
        for (n, &b) in bytes.iter().rev().take(4).enumerate() {
            h = mix(h, b.to_ascii_lowercase() as u64);
            out[4 + n] = h;
        }
        return out;
    }
    let mut h = 0x77;
    for (n, c) in text
        .chars()
        .flat_map(char::to_lowercase)
        .take(4)
        .enumerate()
    {
        h = mix(h, c as u64);
        out[n] = h;
    }
    let mut h = 0x99;
    for (n, c) in text
        .chars()
        .rev()
        .flat_map(char::to_lowercase)
        .take(4)
        .enumerate()
    {
        h = mix(h, c as u64);
        out[4 + n] = h;
    }
    out
}

/// Marks sentence-initial tokens, headline sentences (mostly uppercase words) and sentences
/// typed without capitals.
pub fn mark_sentence(tokens: &mut [TokenFeatures]) {
    if let Some(first) = tokens.first_mut() {
        first.flags |= flag::FIRST;
    }
    // One walk counts what the two checks below ask.
    let pronoun_i = hash_text("i", false);
    let (mut cased, mut caps, mut lower, mut capitals) = (0, 0, 0, 0);
    for t in tokens.iter() {
        cased += (t.flags & (flag::ALL_CAPS | flag::LOWER | flag::INIT_CAP) != 0) as usize;
        caps += (t.flags & flag::ALL_CAPS != 0) as usize;
        // Han characters and kana have no case (they read as lowercase letters): counted
        // here, every Chinese sentence would be "typed without capitals" and get a second
        // copy of every feature, twice the row lookups for nothing the model could tell
        // apart.
        lower += (t.flags & flag::LOWER != 0 && !t.character) as usize;
        capitals +=
            (t.flags & (flag::INIT_CAP | flag::ALL_CAPS) != 0 && t.lower != pronoun_i) as usize;
    }
    if cased >= 3 && caps * 10 >= cased * 7 {
        for token in tokens.iter_mut() {
            token.flags |= flag::CAPS_SENTENCE;
        }
    }
    if lower >= 3 && capitals == 0 {
        for token in tokens.iter_mut() {
            token.uncased = true;
        }
    }
}

/// A position's feature hashes (fixed capacity, no allocation).
#[derive(Debug, Clone)]
pub struct FeatureBuf {
    hashes: [u64; MAX_FEATURES],
    len: usize,
    /// Nonzero: every feature is also pushed as a copy of its own for this register.
    register: u64,
}

impl Default for FeatureBuf {
    fn default() -> Self {
        FeatureBuf {
            hashes: [0; MAX_FEATURES],
            len: 0,
            register: 0,
        }
    }
}

impl FeatureBuf {
    /// Removes all features.
    pub fn clear(&mut self) {
        self.len = 0;
        self.register = 0;
    }

    /// Removes all features and sets the register copies of token `t`'s features.
    ///
    /// Informal text gets its own copy of every feature besides the shared one (Daumé's
    /// "frustratingly easy" domain adaptation, with the domain read from the text rather
    /// than known): capitalization and context mean different things in web text and in
    /// news, and the shared copy keeps what holds in both. Sentences typed without capitals
    /// get a copy of their own instead: there the shapes and case statistics that carry
    /// edited text mean nothing.
    pub fn start(&mut self, t: &TokenFeatures) {
        self.clear();
        if t.uncased {
            self.register = UNCASED_REGISTER;
        } else if t.flags & flag::INFORMAL != 0 {
            self.register = INFORMAL_REGISTER;
        }
    }

    /// Adds the feature of `template` with value `value`.
    #[inline]
    pub fn push(&mut self, template: u64, value: u64) {
        // Any number of features may be pushed here: those past the buffer's room are
        // dropped, a feature and its register copy one at a time.
        for template in [template, template ^ self.register] {
            if self.len < MAX_FEATURES {
                self.hashes[self.len] = feature_hash(template, value);
                self.len += 1;
            }
            if self.register == 0 {
                break;
            }
        }
    }

    /// A writer that appends features after the current ones; [`FeatureWriter::commit`]
    /// makes them part of the buffer. `COPY` must say whether the buffer has a register.
    #[inline]
    fn writer<const COPY: bool>(&mut self) -> FeatureWriter<'_, COPY> {
        debug_assert_eq!(COPY, self.register != 0);
        FeatureWriter {
            len: self.len,
            register: self.register,
            buf: self,
        }
    }

    /// The features' final hashes.
    pub fn hashes(&self) -> &[u64] {
        &self.hashes[..self.len]
    }
}

/// Appends features to a [`FeatureBuf`] with the count and the register in local variables:
/// written through the buffer, both were read back from memory after every stored hash
/// (the compiler cannot tell the stores into the array from the count beside it), a third
/// of the instructions of a feature. `COPY` says whether each feature also gets its register
/// copy: a constant, so the writer of the common case (no copy) tests nothing per feature.
struct FeatureWriter<'a, const COPY: bool> {
    buf: &'a mut FeatureBuf,
    len: usize,
    register: u64,
}

impl<const COPY: bool> FeatureWriter<'_, COPY> {
    /// Adds the feature of `template` with value `value`, and its register copy.
    ///
    /// The writer serves the templates of [`extract`] and [`extract_static`] only: at most
    /// [`MAX_TEMPLATES`] features, twice that with their register copies, which fits in the
    /// buffer, so no feature is ever dropped for want of room and the store needs no test
    /// of the count (the index is masked into the buffer, which changes nothing there).
    #[inline(always)]
    fn push(&mut self, template: u64, value: u64) {
        debug_assert!(self.len + 1 + COPY as usize <= MAX_FEATURES);
        self.buf.hashes[self.len % MAX_FEATURES] = feature_hash(template, value);
        self.len += 1;
        if COPY {
            self.buf.hashes[self.len % MAX_FEATURES] =
                feature_hash(template ^ self.register, value);
            self.len += 1;
        }
    }

    /// Makes the written features part of the buffer.
    #[inline]
    fn commit(self) {
        self.buf.len = self.len.min(MAX_FEATURES);
    }
}

/// The hash of the feature of `template` with value `value`. Only its high bits are ever
/// read (a weight table of `2^b` rows takes the top `b` bits, `b` at most 28), so it ends
/// with [`spread_high`], not [`finish`]: every feature lands in the bucket it did with it.
#[inline(always)]
fn feature_hash(template: u64, value: u64) -> u64 {
    spread_high(mix(template.wrapping_mul(0x1000_0001), value))
}

/// What the tagger has decided earlier in the document, for one word.
#[derive(Debug, Clone, Copy, Default)]
pub struct History {
    /// How often the word was tagged `O`, `PER`, `ORG`, `LOC`, `MISC` so far.
    pub counts: [u16; 5],
}

impl History {
    /// The most frequent label index (0 = `O`), or `None` when the word was not seen.
    pub fn majority(&self) -> Option<usize> {
        let total: u32 = self.counts.iter().map(|&c| c as u32).sum();
        if total == 0 {
            return None;
        }
        // Prefer an entity label when there is one: a name seen once as a name and once at
        // the start of a lowercase context is still a name.
        let best_entity = (1..5).max_by_key(|&k| (self.counts[k], 5 - k))?;
        Some(if self.counts[best_entity] > 0 {
            best_entity
        } else {
            0
        })
    }

    /// Records one decision.
    pub fn record(&mut self, tag: Tag) {
        let k = tag.label().map_or(0, |l| l as usize + 1);
        self.counts[k] = self.counts[k].saturating_add(1);
    }
}

/// Writes the features of position `i` of `sentence` given the two previous tags: those of
/// [`extract_static`] and then those of the previous tags, for the greedy decoder.
pub fn extract(
    sentence: &[TokenFeatures],
    i: usize,
    previous: [Tag; 2],
    history: Option<History>,
    section: u64,
    out: &mut FeatureBuf,
) {
    out.start(&sentence[i]);
    if out.register == 0 {
        write_with_previous(
            sentence,
            i,
            previous,
            history,
            section,
            out.writer::<false>(),
        );
    } else {
        write_with_previous(
            sentence,
            i,
            previous,
            history,
            section,
            out.writer::<true>(),
        );
    }
}

/// The body of [`extract`] for one kind of writer.
#[inline(always)]
fn write_with_previous<const COPY: bool>(
    sentence: &[TokenFeatures],
    i: usize,
    previous: [Tag; 2],
    history: Option<History>,
    section: u64,
    mut out: FeatureWriter<COPY>,
) {
    write_static(sentence, i, history, section, &mut out);
    let t = &sentence[i];
    let (p1, p2) = (previous[0].0 as u64, previous[1].0 as u64);
    out.push(60, p1);
    out.push(61, mix(p1, p2));
    // A hidden word's identity stays hidden here too.
    let lower = if t.hide_word { 0x0DD } else { t.lower };
    out.push(62, mix(p1, lower));
    out.push(63, mix(p1, t.short_shape));
    // The tag a table row or a headline continues from means something else than in prose
    // (after a team's name in a table comes its score, not more of the name).
    if t.layout & layout::ROW_KIND != 0 {
        out.push(67, mix(p1, (t.layout & layout::ROW_KIND) as u64));
    }
    out.commit();
}

/// Writes the transition feature of the Viterbi decoder: the previous tag alone (with the
/// register copy of token `t`'s sentence), the same at every position of a sentence.
///
/// The greedy decoder also joins the previous tag with the word, its shape and the tag before
/// it; for the Viterbi decoder those cost a row lookup per previous tag per token, which made
/// English tagging a third slower for no gain in cross-validation (see the README), so the
/// sequence model is first order over tags alone, like a linear-chain CRF's transition
/// matrix.
pub fn extract_transition(t: &TokenFeatures, previous: Tag, out: &mut FeatureBuf) {
    out.start(t);
    out.push(60, previous.0 as u64);
}

/// Writes the features of position `i` of `sentence` that do not depend on the tags chosen
/// in the same sentence (the document history comes from earlier sentences, or earlier
/// tokens when decoding greedily).
pub fn extract_static(
    sentence: &[TokenFeatures],
    i: usize,
    history: Option<History>,
    section: u64,
    out: &mut FeatureBuf,
) {
    out.start(&sentence[i]);
    if out.register == 0 {
        let mut writer = out.writer::<false>();
        write_static(sentence, i, history, section, &mut writer);
        writer.commit();
    } else {
        let mut writer = out.writer::<true>();
        write_static(sentence, i, history, section, &mut writer);
        writer.commit();
    }
}

/// Writes the features of [`extract_static`] into a started buffer.
#[inline(always)]
fn write_static<const COPY: bool>(
    sentence: &[TokenFeatures],
    i: usize,
    history: Option<History>,
    section: u64,
    out: &mut FeatureWriter<COPY>,
) {
    let t = &sentence[i];
    let at = |offset: isize| -> Option<&TokenFeatures> {
        let j = i as isize + offset;
        if j < 0 {
            None
        } else {
            sentence.get(j as usize)
        }
    };
    // Sentence edges get their own value so "first word" and "after a comma" differ.
    let lower_at = |offset| at(offset).map_or(0xED6E_u64.wrapping_add(offset as u64), |t| t.lower);
    let short_at =
        |offset| at(offset).map_or(0xED6E_u64.wrapping_add(offset as u64), |t| t.short_shape);
    let case_flags = t.flags & (flag::FIRST | flag::CAPS_SENTENCE);

    // A hidden word contributes its identity as one shared "unknown" value instead.
    let (word, lower) = if t.hide_word {
        (0x0DD, 0x0DD)
    } else {
        (t.word, t.lower)
    };
    out.push(1, 0);
    out.push(2, word);
    out.push(3, lower);
    out.push(4, t.shape);
    out.push(5, mix(t.short_shape, case_flags as u64));
    for (k, &affix) in t.affixes.iter().enumerate() {
        if affix != 0 {
            out.push(10 + k as u64, affix);
        }
    }
    out.push(20, lower_at(-1));
    out.push(21, lower_at(1));
    out.push(22, lower_at(-2));
    out.push(23, lower_at(2));
    out.push(24, mix(lower_at(-1), lower));
    out.push(25, mix(lower, lower_at(1)));
    out.push(26, mix(short_at(-1), t.short_shape));
    out.push(27, mix(t.short_shape, short_at(1)));
    out.push(28, mix(mix(short_at(-1), t.short_shape), short_at(1)));
    out.push(29, mix(at(-1).map_or(1, |p| p.word), t.short_shape));
    out.push(30, mix(t.short_shape, at(1).map_or(1, |n| n.word)));
    out.push(
        31,
        mix(mix(t.case_stat as u64, case_flags as u64), t.short_shape),
    );
    out.push(
        32,
        mix(at(1).map_or(0xFF, |n| n.case_stat as u64), t.short_shape),
    );
    if t.cluster != 0 {
        let (coarse, fine) = crate::clusters::unpack(t.cluster);
        out.push(40, coarse as u64);
        out.push(41, fine as u64);
        out.push(42, mix(fine as u64, t.short_shape));
    }
    for (offset, template) in [(-1, 44), (1, 45)] {
        if let Some(cluster) = at(offset).map(|n| n.cluster).filter(|&c| c != 0) {
            out.push(template, crate::clusters::unpack(cluster).1 as u64);
        }
    }
    out.push(
        50,
        mix(t.lexicon as u64, case_flags as u64 & flag::FIRST as u64),
    );
    out.push(51, at(-1).map_or(0xFFF, |p| p.lexicon as u64));
    out.push(52, at(1).map_or(0xFFF, |n| n.lexicon as u64));
    out.push(
        53,
        mix(
            mix(t.doc_case as u64, t.flags as u64 & 0x7f),
            t.case_stat as u64,
        ),
    );
    let seen = history.and_then(|h| h.majority()).map_or(9, |k| k as u64);
    out.push(54, mix(seen, t.flags as u64 & flag::INIT_CAP as u64));
    out.push(55, mix(seen, lower));
    // Which names the word begins or ends in the lexicon, alone and after its neighbour's:
    // "Chuck" reads as a first name even when "Chuck" was never a whole name.
    out.push(58, mix(t.name_part as u64, t.short_shape));
    out.push(59, after_neighbour(at(-1), t, |t| t.name_part));
    // The names whose words share a stem with this one, alone and after its neighbour's:
    // inflected languages write a name seen once in many forms ("Holding", "Holdinga",
    // "Holdingom"). Never on a character token (the buffer's bound counts on it).
    if t.stem_labels != 0 {
        out.push(46, mix(t.stem_labels as u64, t.short_shape));
        out.push(47, after_neighbour(at(-1), t, |t| t.stem_labels));
    }
    // Two-word contexts ("flew to", "at the") and whether the next word ends names.
    out.push(64, mix(lower_at(-2), lower_at(-1)));
    out.push(65, mix(lower_at(1), lower_at(2)));
    out.push(66, at(1).map_or(0x1FF, |n| n.name_part as u64));
    // Layout (models trained with it): the kind of line and the numbers around the word,
    // with the word and its shape, so "Leeds 2" in a results table and "Leeds" in prose
    // learn weights of their own.
    if t.layout != 0 {
        write_layout(t, lower, out);
    }
    // The section a name stands in ("soccer", "cricket", "markets"): a town's name in a
    // soccer report is mostly its club.
    if section != 0 && t.flags & (flag::INIT_CAP | flag::ALL_CAPS) != 0 {
        out.push(95, mix(section, t.short_shape));
        out.push(96, mix(section, lower));
    }
    // What the word's other mentions stand beside (models trained with it). Never on a
    // character token, which has no case, so these and the character templates below
    // never fire together and the buffer's bound holds.
    if t.mention_context != 0 && !t.character {
        use mention_context::{ANNOTATED, NEXT_ENDS};
        let context = t.mention_context;
        out.push(
            97,
            mix((context & (NEXT_ENDS | ANNOTATED)) as u64, t.short_shape),
        );
        out.push(98, mix((context & !NEXT_ENDS) as u64, t.short_shape));
    }
    // A Chinese word is a run of character tokens: the word-level templates above see only
    // one character and its bigrams, so characters also get trigrams and a wider window,
    // which carry what a word form carries in a spaced script ("北京市" as a whole).
    if t.character {
        out.push(70, mix(mix(lower_at(-1), lower), lower_at(1)));
        out.push(71, mix(mix(lower_at(-2), lower_at(-1)), lower));
        out.push(72, mix(mix(lower, lower_at(1)), lower_at(2)));
        out.push(73, mix(lower_at(-1), lower_at(1)));
        out.push(74, lower_at(-3));
        out.push(75, lower_at(3));
    }
    // The word the dictionary segmentation puts the character in, and its place there:
    // what a word form says in a spaced script, from the training data's own segmentation.
    if t.segment != 0 {
        let place = t.segment as u64 & 7;
        out.push(76, t.segment as u64);
        out.push(77, mix(t.segment_word, place));
        out.push(78, t.word_lengths as u64);
        out.push(79, mix(lower, place));
        out.push(
            80,
            mix(at(-1).map_or(0, |p| p.segment as u64), t.segment as u64),
        );
    }
}

/// A byte of token `t` after the same byte of its left neighbour `previous` (0x1FF at a
/// sentence's start), as one feature value.
#[inline(always)]
fn after_neighbour(
    previous: Option<&TokenFeatures>,
    t: &TokenFeatures,
    byte: impl Fn(&TokenFeatures) -> u8,
) -> u64 {
    mix(previous.map_or(0x1FF, |p| byte(p) as u64), byte(t) as u64)
}

/// The layout templates of a token with [`layout`] bits. Inlined like every writer of
/// features: a call that takes the writer by reference keeps its count in memory, not in a
/// register, for every feature of every token (English tagging took about 4 more
/// instructions per byte with this out of line, though no shipped model has layout
/// features).
#[inline(always)]
fn write_layout<const COPY: bool>(t: &TokenFeatures, lower: u64, out: &mut FeatureWriter<COPY>) {
    let kind = (t.layout & (layout::ROW_KIND | layout::RESULTS_DOCUMENT | layout::SCORED_ELSEWHERE))
        as u64;
    if kind != 0 {
        out.push(90, mix(kind, t.short_shape));
        out.push(91, mix(kind, lower));
    }
    let numbers = (t.layout & layout::NUMBERS_AROUND) as u64;
    if numbers != 0 {
        out.push(92, mix(numbers, t.short_shape));
        out.push(93, mix(numbers, lower));
    }
}

/// The bucket of feature `hash` in a table of `2^bucket_bits` rows: the hash's top bits. The
/// trainers and the model must pick rows alike, so all of them ask here.
#[inline(always)]
pub(crate) fn bucket_of(hash: u64, bucket_bits: u32) -> usize {
    (hash >> (64 - bucket_bits)) as usize
}

/// Weights indexed by feature hash: each hash selects a row of `NUM_TAGS` weights.
pub trait WeightRows {
    /// Adds the row of `hash` to `scores`.
    fn add_row(&self, hash: u64, scores: &mut [f32; NUM_TAGS]);

    /// Asks the CPU to start loading the row of `hash` (a hint; the default does nothing).
    fn prefetch_row(&self, _hash: u64) {}

    /// Adds the rows of `hashes` to `scores`, in order.
    fn add_rows(&self, hashes: &[u64], scores: &mut [f32; NUM_TAGS]) {
        // Rows are scattered over a table larger than the fast caches; asking for all of
        // them before summing any lets their loads overlap instead of waiting one after
        // another.
        for &hash in hashes {
            self.prefetch_row(hash);
        }
        for &hash in hashes {
            self.add_row(hash, scores);
        }
    }
}

/// The summed scores of every tag for `features`.
pub fn score<W: WeightRows>(weights: &W, features: &FeatureBuf) -> [f32; NUM_TAGS] {
    let mut scores = [0f32; NUM_TAGS];
    weights.add_rows(features.hashes(), &mut scores);
    scores
}

/// The best tag that may follow `previous` (BIO forbids `I-X` after anything but `X`).
pub fn best_tag(scores: &[f32; NUM_TAGS], previous: Tag) -> Tag {
    let mut best = Tag::O;
    let mut best_score = f32::NEG_INFINITY;
    for (n, &s) in scores.iter().enumerate() {
        let tag = Tag(n as u8);
        if s > best_score && tag.may_follow(previous) {
            best = tag;
            best_score = s;
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stems_are_the_lowercase_hashes_of_the_cut_words() {
        let hash = |s: &str| hash_text(s, false);
        assert_eq!(
            stem_hashes("Holdinga"),
            [hash("holding"), hash("holdin"), 0]
        );
        // Four chars at least stay: "Audija" cut by two is "audi", by three nothing.
        assert_eq!(stem_hashes("Audija"), [hash("audij"), hash("audi"), 0]);
        assert_eq!(stem_hashes("Audi"), [0, 0, 0]);
        // An acronym's case ending after a hyphen; a longer ending is no case ending.
        assert_eq!(stem_hashes("HDZ-a")[2], hash("hdz"));
        assert_eq!(stem_hashes("UN-om")[2], hash("un"));
        assert_eq!(stem_hashes("Jean-Pierre")[2], 0);
        // Chars, not bytes, and lowercased as the word's own hash is.
        assert_eq!(stem_hashes("ČAČIĆA")[0], hash("čačić"));
        assert_eq!(stem_hashes("Čačića")[1], hash("čači"));
    }

    #[test]
    fn shapes_group_words_of_the_same_form() {
        let a = TokenFeatures::of("Baghdad");
        let b = TokenFeatures::of("Kirkuk");
        let c = TokenFeatures::of("iraq");
        assert_eq!(a.short_shape, b.short_shape);
        assert_ne!(a.short_shape, c.short_shape);
        assert_eq!(
            TokenFeatures::of("IRAQ").lower,
            TokenFeatures::of("Iraq").lower
        );
        assert!(TokenFeatures::of("U.S.").flags & flag::ALL_CAPS != 0);
        assert!(TokenFeatures::of("--").flags & flag::PUNCT != 0);
    }

    #[test]
    fn ideographs_are_summarised_as_the_general_walk_does() {
        let fields = |t: TokenFeatures| {
            (
                (t.word, t.lower, t.shape, t.short_shape, t.affixes),
                (t.flags, t.character, t.case_stat, t.lexicon, t.segment),
            )
        };
        let ideographs = ('\u{3400}'..='\u{4dbf}').chain('\u{4e00}'..='\u{9fff}');
        for c in ideographs {
            assert!(is_common_ideograph(c));
            let text = c.to_string();
            assert_eq!(
                fields(TokenFeatures::of(&text)),
                fields(TokenFeatures::of_text(&text)),
                "{c:?}"
            );
        }
    }

    proptest::proptest! {
        #[test]
        fn ascii_tokens_are_summarised_as_the_general_walk_does(text in "([a-zA-Z0-9]|[\\x00-\\x7f]){0,12}") {
            let fields = |t: TokenFeatures| {
                (
                    (t.word, t.lower, t.shape, t.short_shape, t.affixes),
                    (t.flags, t.character, t.case_stat, t.lexicon, t.segment),
                )
            };
            proptest::prop_assert_eq!(
                fields(TokenFeatures::of(&text)),
                fields(TokenFeatures::of_text(&text))
            );
        }
    }

    #[test]
    fn every_template_with_its_copy_fits_in_a_buffer() {
        // A position where every template fires: a word of eight letters (all affixes),
        // read as a character with a dictionary word and a cluster, between neighbours with
        // clusters, in a table row between numbers, in a sentence without capitals (a
        // register copy of each feature).
        let mut tokens: Vec<_> = ["abcdefgh"; 7]
            .iter()
            .map(|w| TokenFeatures::of(w))
            .collect();
        for token in &mut tokens {
            token.character = true;
            token.segment = 2 | 3 << 3;
            token.cluster = crate::clusters::pack(3, 7);
            token.uncased = true;
            token.layout = layout::TABLE_ROW | layout::NUMBERS_AROUND | layout::RESULTS_DOCUMENT;
            token.flags |= flag::INIT_CAP;
        }
        let mut features = FeatureBuf::default();
        extract(&tokens, 3, [Tag::O; 2], None, 0x5EC, &mut features);
        assert_eq!(features.hashes().len(), 2 * MAX_TEMPLATES);
        // The mention-context templates fire only where the character templates do not.
        for token in &mut tokens {
            token.character = false;
            token.mention_context = u8::MAX;
        }
        extract(&tokens, 3, [Tag::O; 2], None, 0x5EC, &mut features);
        assert!(features.hashes().len() <= 2 * MAX_TEMPLATES);
    }

    #[test]
    fn layout_templates_fire_only_on_layout_bits() {
        let tokens: Vec<_> = ["Leeds", "2", "Arsenal", "1"]
            .iter()
            .map(|w| TokenFeatures::of(w))
            .collect();
        let (mut prose, mut table) = (FeatureBuf::default(), FeatureBuf::default());
        extract(&tokens, 2, [Tag::O; 2], None, 0, &mut prose);
        let mut marked = tokens.clone();
        marked[2].layout = layout::TABLE_ROW | layout::NUMBER_BEFORE | layout::NUMBER_AFTER;
        extract(&marked, 2, [Tag::O; 2], None, 0, &mut table);
        // The same features and five more: kind with shape and word, numbers with shape and
        // word, and the previous tag with the kind.
        assert_eq!(table.hashes().len(), prose.hashes().len() + 5);
        assert_eq!(
            &table.hashes()[..prose.hashes().len() - 4],
            &prose.hashes()[..prose.hashes().len() - 4]
        );
    }

    #[test]
    fn mention_context_templates_fire_only_on_their_bits() {
        let tokens: Vec<_> = ["at", "Leeds", "on", "Sunday"]
            .iter()
            .map(|w| TokenFeatures::of(w))
            .collect();
        let (mut plain, mut with_context) = (FeatureBuf::default(), FeatureBuf::default());
        extract(&tokens, 1, [Tag::O; 2], None, 0, &mut plain);
        let mut marked = tokens.clone();
        marked[1].mention_context = mention_context::ANNOTATED | mention_context::NEXT_ENDS;
        extract(&marked, 1, [Tag::O; 2], None, 0, &mut with_context);
        assert_eq!(with_context.hashes().len(), plain.hashes().len() + 2);
        // A character token never reads them (the buffer's bound counts on it).
        let mut character = marked.clone();
        character[1].character = true;
        let mut as_character = FeatureBuf::default();
        extract(&character, 1, [Tag::O; 2], None, 0, &mut as_character);
        let mut character_plain = tokens.clone();
        character_plain[1].character = true;
        let mut expected = FeatureBuf::default();
        extract(&character_plain, 1, [Tag::O; 2], None, 0, &mut expected);
        assert_eq!(as_character.hashes(), expected.hashes());
    }

    #[test]
    fn headlines_are_marked() {
        let mut tokens: Vec<_> = ["RUSSIA", "BEATS", "ITALY", "2-1"]
            .iter()
            .map(|w| TokenFeatures::of(w))
            .collect();
        mark_sentence(&mut tokens);
        assert!(tokens.iter().all(|t| t.flags & flag::CAPS_SENTENCE != 0));
        assert!(tokens[0].flags & flag::FIRST != 0);
        assert!(tokens[1].flags & flag::FIRST == 0);
    }

    #[test]
    fn sentences_without_capitals_are_marked() {
        let marked = |words: &[&str]| {
            let mut tokens: Vec<_> = words.iter().map(|w| TokenFeatures::of(w)).collect();
            mark_sentence(&mut tokens);
            tokens.iter().all(|t| t.uncased)
        };
        assert!(marked(&[
            "where",
            "can",
            "I",
            "get",
            "morcillas",
            "in",
            "tampa",
            "bay"
        ]));
        assert!(!marked(&[
            "where", "can", "I", "get", "them", "in", "Tampa"
        ]));
        assert!(!marked(&["ok", "!"]), "too short to tell");
        assert!(
            !marked(&["在", "北", "京", "市", "工", "作"]),
            "Chinese has no case"
        );
    }

    #[test]
    fn a_hidden_word_keeps_its_context_features() {
        let mut tokens: Vec<_> = ["flights", "to", "Fiji", "."]
            .iter()
            .map(|w| TokenFeatures::of(w))
            .collect();
        mark_sentence(&mut tokens);
        let (mut shown, mut hidden) = (FeatureBuf::default(), FeatureBuf::default());
        extract(&tokens, 2, [Tag::O; 2], None, 0, &mut shown);
        tokens[2].hide_word = true;
        extract(&tokens, 2, [Tag::O; 2], None, 0, &mut hidden);
        assert_eq!(shown.hashes().len(), hidden.hashes().len());
        let common = shown
            .hashes()
            .iter()
            .filter(|h| hidden.hashes().contains(h))
            .count();
        assert!(common > 0 && common < shown.hashes().len());
    }

    #[test]
    fn chinese_characters_get_a_wider_window_and_words_do_not() {
        let mut tokens: Vec<_> = ["在", "北", "京", "市", "工", "作"]
            .iter()
            .map(|w| TokenFeatures::of(w))
            .collect();
        mark_sentence(&mut tokens);
        let (mut as_character, mut as_word) = (FeatureBuf::default(), FeatureBuf::default());
        extract(&tokens, 2, [Tag::O; 2], None, 0, &mut as_character);
        tokens[2].character = false;
        extract(&tokens, 2, [Tag::O; 2], None, 0, &mut as_word);
        assert!(as_character.hashes().len() > as_word.hashes().len());
        assert!(TokenFeatures::of("京").character);
        assert!(!TokenFeatures::of("北京").character && !TokenFeatures::of("Beijing").character);
    }

    #[test]
    fn history_prefers_names() {
        let mut history = History::default();
        assert_eq!(history.majority(), None);
        history.record(Tag::O);
        assert_eq!(history.majority(), Some(0));
        history.record(Tag::begin(crate::tags::Label::Loc));
        assert_eq!(history.majority(), Some(3));
    }

    #[test]
    fn inside_tags_need_a_matching_begin() {
        use crate::tags::Label;
        let mut scores = [0f32; NUM_TAGS];
        scores[Tag::inside(Label::Per).0 as usize] = 5.0;
        scores[Tag::begin(Label::Org).0 as usize] = 1.0;
        assert_eq!(best_tag(&scores, Tag::O), Tag::begin(Label::Org));
        assert_eq!(
            best_tag(&scores, Tag::begin(Label::Loc)),
            Tag::begin(Label::Org)
        );
        assert_eq!(
            best_tag(&scores, Tag::begin(Label::Per)),
            Tag::inside(Label::Per)
        );
    }
}
