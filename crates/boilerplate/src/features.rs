//! Block features: what the classifier knows about each block.
//!
//! A block is described by a sparse vector in a fixed space of [`DIM`] slots:
//!
//! - **dense slots** (the first [`DENSE`]): length, stop-word, punctuation, digit and capital
//!   ratios, link density, position in the page, neighbours' length and prose-ness, distance to
//!   the nearest long paragraph, repetition, markup context bits and lexical [`Cue`] kinds;
//! - **hashed slots** (the rest): the block's words (lowercased, weighted 1/√n so a long
//!   paragraph is not louder than a short label), its first and last word, the tag names and
//!   class/id tokens of its nearest ancestors, and a few crosses of length with context and cues
//!   that a linear model cannot form by itself.
//!
//! Hashing keeps the model a flat array with no vocabulary to ship, and makes unseen words
//! cost nothing. Collisions are rare at 2^16 slots for the few tens of thousands of distinct
//! features the training pages have.

use std::sync::OnceLock;

use rustc_hash::FxHashMap as HashMap;

use crate::block::{context, Block, CONTAINER_LEVELS};
use crate::cues::{cue_counts_per_block, Cue};
use crate::words::{
    ascii_word_hash, combine, fnv, non_ascii_word_hash, scan_ascii_words, stop_words, words,
};

/// Version of the feature layout: bump it whenever a slot moves or a feature changes meaning,
/// so a model trained on another layout is refused instead of silently misread.
pub const FEATURE_VERSION: u32 = 9;

/// Number of feature slots.
pub const DIM: usize = 1 << 16;

/// A block is "long" (a likely article paragraph) from this many words on.
const LONG_WORDS: u32 = 15;

mod slot {
    pub const BIAS: u32 = 0;
    pub const LOG_WORDS: u32 = 1;
    pub const STOP_RATIO: u32 = 2;
    pub const PUNCT_RATIO: u32 = 3;
    pub const DIGIT_RATIO: u32 = 4;
    pub const CAP_RATIO: u32 = 5;
    pub const ENDS_TERMINAL: u32 = 6;
    pub const STARTS_UPPER: u32 = 7;
    pub const LINK_DENSITY: u32 = 8;
    pub const POSITION: u32 = 9;
    pub const REPEATED: u32 = 10;
    pub const BEFORE_FIRST_LONG: u32 = 11;
    pub const AFTER_LAST_LONG: u32 = 12;
    pub const LONG_SHARE_NEAR: u32 = 13;
    pub const PREV_LOG_WORDS: u32 = 14;
    pub const NEXT_LOG_WORDS: u32 = 15;
    pub const PREV_STOP_RATIO: u32 = 16;
    pub const NEXT_STOP_RATIO: u32 = 17;
    pub const LOG_DEPTH: u32 = 18;
    pub const TINY: u32 = 19;
    pub const HUGE: u32 = 20;
    pub const MEAN_WORD_LEN: u32 = 21;
    pub const PAGE_SHARE: u32 = 22;
    pub const LOG_DISTANCE_TO_LONG: u32 = 23;
    pub const LOG_PAGE_BLOCKS: u32 = 24;
    pub const MARK_RATIO: u32 = 25;
    pub const LOG_TEMPLATE_COPIES: u32 = 26;
    pub const CONTAINER_SHARE: u32 = 27;
    pub const CONTAINER_LONG_SHARE: u32 = CONTAINER_SHARE + 3;
    pub const CONTAINER_LINK_DENSITY: u32 = CONTAINER_LONG_SHARE + 3;
    pub const IN_TOP_CONTAINER: u32 = CONTAINER_LINK_DENSITY + 3;
    pub const CONTEXT: u32 = IN_TOP_CONTAINER + 1;
    pub const CUES: u32 = CONTEXT + super::context::COUNT as u32;
    pub const END: u32 = CUES + super::Cue::ALL.len() as u32;
}

/// Number of dense slots; hashed features use the slots after them.
pub const DENSE: usize = slot::END as usize;

/// True for the ideographic and kana characters of scripts that do not put spaces between
/// words, where a `\w+` run is a whole phrase.
fn is_unspaced_script(c: char) -> bool {
    matches!(u32::from(c), 0x3041..=0x30ff | 0x3400..=0x4dbf | 0x4e00..=0x9fff | 0xf900..=0xfaff)
}

/// `ln(1 + count)` as an `f32`, the form every count feature takes (words, depth, distance,
/// template copies, cue phrases): small counts, most of them, come from a table made once with
/// the same expression, so the values are the same to the last bit without a `logf` call each
/// (four or five per block).
pub fn ln_one_plus(count: usize) -> f32 {
    const SMALL: usize = 256;
    static TABLE: OnceLock<[f32; SMALL]> = OnceLock::new();
    let ln = |count: usize| (1.0 + count as f32).ln();
    match TABLE.get_or_init(|| std::array::from_fn(ln)).get(count) {
        Some(&value) => value,
        None => ln(count),
    }
}

/// Per-block measurements that features and neighbours' features are made of.
#[derive(Debug, Clone, Copy, Default)]
pub struct BlockStats {
    /// Number of words; in Chinese and Japanese, where a run of word characters is a phrase,
    /// every two ideographs or kana count as one word, so that length means the same in every
    /// script.
    pub words: u32,
    /// Sentence marks per word (see [`Words::punctuation_counts`](crate::words::Words::punctuation_counts)), capped at 1.
    pub mark_ratio: f32,
    /// Share of words that are stop words.
    pub stop_ratio: f32,
    /// Share of characters that are ASCII punctuation.
    pub punct_ratio: f32,
    /// Share of words made only of digits.
    pub digit_ratio: f32,
    /// Share of words that start with a capital.
    pub cap_ratio: f32,
    /// Ends with sentence punctuation.
    pub ends_terminal: bool,
    /// Starts with an uppercase letter.
    pub starts_upper: bool,
    /// Share of bytes inside links.
    pub link_density: f32,
    /// Mean word length in bytes.
    pub mean_word_len: f32,
    /// [`Cue`] kinds found, as bits.
    pub cues: u32,
    /// Number of cue phrases of each kind.
    pub cue_counts: [u8; Cue::ALL.len()],
    /// Hash of the block's lowercased words, to find repeated blocks.
    pub key: u64,
    /// `ln(1 + words)`, which the features of the block and of both its neighbours and the
    /// context rounds all read: computed once.
    pub log_words: f32,
}

impl BlockStats {
    /// Measures one block whose cue phrases were counted already (see
    /// [`cue_counts_per_block`]), appending the hashes of its words to `word_hashes`.
    pub fn of(block: &Block, cue_counts: [u8; Cue::ALL.len()], word_hashes: &mut Vec<u64>) -> Self {
        let text: &str = &block.text;
        let first_word = word_hashes.len();
        let (tally, (punct, marks)) = tally_ascii_words(text, word_hashes).unwrap_or_else(|| {
            // Start again: the mask scan may have counted the words before the one it could
            // not take.
            word_hashes.truncate(first_word);
            tally_words(text, word_hashes)
        });
        let WordTally {
            n,
            stop,
            digits,
            caps,
            word_bytes,
            key,
        } = tally;
        let share = |part: u32| if n == 0 { 0.0 } else { part as f32 / n as f32 };
        let last = text.trim_end().chars().last();
        BlockStats {
            words: n,
            stop_ratio: share(stop),
            punct_ratio: punct as f32 / text.len().max(1) as f32,
            mark_ratio: (marks as f32 / n.max(1) as f32).min(1.0),
            digit_ratio: share(digits),
            cap_ratio: share(caps),
            ends_terminal: matches!(last, Some('.' | '!' | '?' | '"' | '”' | ':' | ')' | '’')),
            starts_upper: text.chars().next().is_some_and(char::is_uppercase),
            link_density: block.link_bytes as f32 / text.len().max(1) as f32,
            mean_word_len: if n == 0 {
                0.0
            } else {
                word_bytes as f32 / n as f32
            },
            cues: cue_bits(&cue_counts),
            cue_counts,
            key,
            log_words: ln_one_plus(n as usize),
        }
    }

    /// A likely article paragraph: long, and prose by its function words or, in a language
    /// without a function-word list, by its sentence punctuation (about one mark per eight
    /// words or more; menus and link lists have almost none).
    fn is_long(&self) -> bool {
        self.words >= LONG_WORDS && (self.stop_ratio > 0.15 || self.mark_ratio >= 0.12)
    }
}

/// The kinds of `cue_counts` found at least once, as bits indexed by [`Cue::index`]. Most
/// blocks hold no cue phrase: one comparison of the counts says so.
fn cue_bits(cue_counts: &[u8; Cue::ALL.len()]) -> u32 {
    if *cue_counts == [0; Cue::ALL.len()] {
        return 0;
    }
    (cue_counts.iter().enumerate())
        .filter(|&(_, &count)| count > 0)
        .fold(0, |bits, (i, _)| bits | 1 << i)
}

/// What [`BlockStats::of`] counts of a block's words as it meets them.
#[derive(Debug, Default, PartialEq)]
struct WordTally {
    n: u32,
    stop: u32,
    digits: u32,
    caps: u32,
    word_bytes: usize,
    /// The words' hashes combined in order.
    key: u64,
}

impl WordTally {
    /// Counts one word, given as its hash, its length in bytes, whether it is all digits and
    /// whether it starts with a capital, and appends its hash to `word_hashes` (`n`, which
    /// counts some words more than once, is the caller's).
    #[inline(always)]
    fn add(
        &mut self,
        word_hashes: &mut Vec<u64>,
        hash: u64,
        len: usize,
        all_digits: bool,
        capital: bool,
        is_stop_word: &impl Fn(u64) -> bool,
    ) {
        word_hashes.push(hash);
        self.key = combine(self.key, hash);
        self.word_bytes += len;
        self.stop += u32::from(is_stop_word(hash));
        self.digits += u32::from(all_digits);
        self.caps += u32::from(capital);
    }
}

/// [`tally_words`] for a text whose words are all ASCII, found by [`scan_ascii_words`] (most
/// lines are such): `None` for another text, or on a CPU without the scan's vector
/// instructions, perhaps after appending some words' hashes to `word_hashes`.
fn tally_ascii_words(text: &str, word_hashes: &mut Vec<u64>) -> Option<(WordTally, (u32, u32))> {
    let is_stop_word = stop_words();
    let mut tally = WordTally::default();
    let bytes = text.as_bytes();
    let counts = scan_ascii_words(
        text,
        #[inline(always)]
        |range, all_digits| {
            let word = &bytes[range];
            tally.n += 1;
            let hash = ascii_word_hash(word);
            let capital = word[0].is_ascii_uppercase();
            tally.add(
                word_hashes,
                hash,
                word.len(),
                all_digits,
                capital,
                &is_stop_word,
            );
        },
    )?;
    Some((tally, counts))
}

/// Counts the words of `text`, appending their hashes to `word_hashes`, and its punctuation
/// bytes and sentence marks ([`Words::punctuation_counts`](crate::words::Words::punctuation_counts)).
fn tally_words(text: &str, word_hashes: &mut Vec<u64>) -> (WordTally, (u32, u32)) {
    let is_stop_word = stop_words();
    let mut tally = WordTally::default();
    let mut scan = words(text);
    while let Some(scanned) = scan.next_scanned() {
        let word = scanned.bytes;
        tally.n += 1;
        let hash = if scanned.ascii {
            ascii_word_hash(word)
        } else {
            let word = scanned.text();
            let unspaced = word.chars().filter(|&c| is_unspaced_script(c)).count();
            tally.n += (unspaced as u32).saturating_sub(1) / 2;
            non_ascii_word_hash(word)
        };
        let capital = match word {
            [first, ..] if *first < 0x80 => first.is_ascii_uppercase(),
            _ => scanned
                .text()
                .chars()
                .next()
                .is_some_and(char::is_uppercase),
        };
        let digits = scanned.digits;
        tally.add(
            word_hashes,
            hash,
            word.len(),
            digits,
            capital,
            &is_stop_word,
        );
    }
    (tally, scan.punctuation_counts())
}

/// Sparse feature vectors of all blocks of a page, stored flat.
#[derive(Debug, Clone, Default)]
pub struct FeatureRows {
    offsets: Vec<usize>,
    indices: Vec<u32>,
    values: Vec<f32>,
}

impl FeatureRows {
    /// Number of rows.
    pub fn len(&self) -> usize {
        self.offsets.len().saturating_sub(1)
    }

    /// True when there are no rows.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Row `i` as (slot, value) pairs.
    pub fn row(&self, i: usize) -> impl Iterator<Item = (usize, f32)> + '_ {
        let range = self.offsets[i]..self.offsets[i + 1];
        self.indices[range.clone()]
            .iter()
            .map(|&index| index as usize)
            .zip(self.values[range].iter().copied())
    }

    /// The dot product of row `i` with `weights` (of length [`DIM`]).
    pub fn dot(&self, i: usize, weights: &[f32]) -> f32 {
        self.row(i)
            .map(|(index, value)| weights[index] * value)
            .sum()
    }

    /// Appends the rows of `other`.
    pub fn extend(&mut self, other: &FeatureRows) {
        if self.offsets.is_empty() {
            self.offsets.push(0);
        }
        let base = self.indices.len();
        self.indices.extend_from_slice(&other.indices);
        self.values.extend_from_slice(&other.values);
        self.offsets
            .extend(other.offsets.iter().skip(1).map(|offset| offset + base));
    }

    /// Appends a row of (slot, value) pairs.
    pub fn push_row(&mut self, row: impl IntoIterator<Item = (u32, f32)>) {
        for (index, value) in row {
            self.push(index, value);
        }
        self.end_row();
    }
}

/// Where [`page_features_into`] puts the features of a page, row after row: stored as
/// [`FeatureRows`] (training, inspection) or folded at once into what a model needs of them
/// (scoring needs only each row's dot product with the block weights, so it stores nothing).
pub trait FeatureSink {
    /// Adds `value` at `slot` (below [`DIM`]) to the current row.
    fn push(&mut self, slot: u32, value: f32);
    /// Ends the current row.
    fn end_row(&mut self);
    /// Says how many rows and entries are coming, so storage can be allocated once.
    fn reserve(&mut self, _rows: usize, _entries: usize) {}
    /// Adds `value` at the hashed slot of `hash`.
    #[inline]
    fn push_hashed(&mut self, hash: u64, value: f32) {
        let hashed = (DIM - DENSE) as u64;
        self.push(DENSE as u32 + (hash % hashed) as u32, value);
    }
}

impl FeatureSink for FeatureRows {
    #[inline]
    fn push(&mut self, index: u32, value: f32) {
        self.indices.push(index);
        self.values.push(value);
    }

    fn end_row(&mut self) {
        if self.offsets.is_empty() {
            self.offsets.push(0);
        }
        self.offsets.push(self.indices.len());
    }

    fn reserve(&mut self, rows: usize, entries: usize) {
        self.offsets.reserve(rows + 1);
        self.indices.reserve(entries);
        self.values.reserve(entries);
    }
}

/// What the blocks inside one container add up to.
#[derive(Debug, Clone, Copy, Default)]
struct ContainerStats {
    words: u32,
    long_blocks: u32,
    link_bytes: usize,
    bytes: usize,
}

/// Statistics of every block plus the page-level facts features need.
pub struct PageStats {
    /// Per-block measurements.
    pub blocks: Vec<BlockStats>,
    /// Hashes of every block's words, block after block.
    word_hashes: Vec<u64>,
    /// Where each block's words start in `word_hashes` (one extra entry at the end).
    word_offsets: Vec<usize>,
    /// Per-block positions of its containers in [`PageStats::container_serials`]
    /// ([`NO_CONTAINER`] where [`Block::containers`] has 0): the per-container sums of the
    /// features and of both context rounds are then vectors indexed by position instead of
    /// hash maps probed several times per block and round.
    pub container_positions: Vec<[u32; CONTAINER_LEVELS]>,
    /// The serial of every container of the page, in order of first appearance.
    pub container_serials: Vec<u32>,
    repeats: Vec<bool>,
    long: Vec<bool>,
    first_long: Option<usize>,
    last_long: Option<usize>,
    total_words: u32,
    long_count: u32,
    /// What all blocks inside each container add up to, by position in `container_serials`.
    containers: Vec<ContainerStats>,
    /// The container holding the most words of long blocks (Readability's "top candidate").
    top_container: u32,
    /// Per block: in how many other containers a block with the same markup around it
    /// (tags and class/id tokens of its ancestors) sits; see [`template_copies`].
    template_copies: Vec<u32>,
}

/// For each block, how many *other* containers hold a block with exactly its markup (0 in
/// plain text, which has no markup).
///
/// A page's repeated structures are the units of its boilerplate: teaser cards of "related
/// posts", comments of a thread, items of a menu are each one container built from one
/// template, so their blocks recur with the same markup in many sibling containers, in any
/// language and on any site. The paragraphs of an article share their markup too, but sit in
/// one container.
fn template_copies(blocks: &[Block]) -> Vec<u32> {
    let keys: Vec<u64> = blocks
        .iter()
        .map(|b| {
            b.markup
                .iter()
                .fold(0u64, |key, &token| combine(key, token))
        })
        .collect();
    let mut places: rustc_hash::FxHashSet<(u64, u32)> = Default::default();
    let mut containers: HashMap<u64, u32> = HashMap::default();
    for (block, &key) in blocks.iter().zip(&keys) {
        if !block.markup.is_empty() && places.insert((key, block.containers[0])) {
            *containers.entry(key).or_insert(0) += 1;
        }
    }
    blocks
        .iter()
        .zip(&keys)
        .map(|(block, key)| {
            if block.markup.is_empty() {
                0
            } else {
                containers.get(key).map_or(0, |&n| n.saturating_sub(1))
            }
        })
        .collect()
}

impl PageStats {
    /// Measures every block of a page.
    pub fn of(blocks: &[Block]) -> Self {
        // About one word per six bytes of text in most languages: sized from the text, the
        // vector is rarely copied to grow (sized from the block count, it grew and was copied
        // on most pages).
        let text_bytes: usize = blocks.iter().map(|b| b.text.len()).sum();
        let mut word_hashes = Vec::with_capacity(text_bytes / 5 + blocks.len());
        let mut word_offsets = Vec::with_capacity(blocks.len() + 1);
        word_offsets.push(0);
        let cue_counts = cue_counts_per_block(blocks.iter().map(|b| &*b.text));
        let stats: Vec<BlockStats> = blocks
            .iter()
            .zip(cue_counts)
            .map(|(block, cue_counts)| {
                let stats = BlockStats::of(block, cue_counts, &mut word_hashes);
                word_offsets.push(word_hashes.len());
                stats
            })
            .collect();
        let mut seen: HashMap<u64, u32> =
            HashMap::with_capacity_and_hasher(blocks.len(), Default::default());
        let keys: Vec<u64> = stats.iter().map(|s| s.key).collect();
        for &key in &keys {
            *seen.entry(key).or_insert(0) += 1;
        }
        let long: Vec<bool> = stats.iter().map(BlockStats::is_long).collect();
        let (container_positions, container_serials) = container_positions(blocks);
        let mut containers = vec![ContainerStats::default(); container_serials.len()];
        let mut long_words = vec![0u32; container_serials.len()];
        for (((block, s), &is_long), positions) in blocks
            .iter()
            .zip(&stats)
            .zip(&long)
            .zip(&container_positions)
        {
            for &position in positions.iter().filter(|&&p| p != NO_CONTAINER) {
                let entry = &mut containers[position as usize];
                entry.words += s.words;
                entry.long_blocks += u32::from(is_long);
                entry.link_bytes += block.link_bytes;
                entry.bytes += block.text.len();
                if is_long {
                    long_words[position as usize] += s.words;
                }
            }
        }
        // Only containers holding a long block (which has words) are candidates.
        let top_container = (long_words.iter().zip(&container_serials))
            .filter(|&(&words, _)| words > 0)
            .max_by_key(|&(&words, &serial)| (words, std::cmp::Reverse(serial)))
            .map_or(0, |(_, &serial)| serial);
        PageStats {
            container_positions,
            container_serials,
            template_copies: template_copies(blocks),
            word_hashes,
            word_offsets,
            long_count: long.iter().filter(|&&l| l).count() as u32,
            containers,
            top_container,
            repeats: keys.iter().map(|key| seen[key] > 1).collect(),
            first_long: long.iter().position(|&l| l),
            last_long: long.iter().rposition(|&l| l),
            total_words: stats.iter().map(|s| s.words).sum(),
            long,
            blocks: stats,
        }
    }
}

/// Marks a level of [`PageStats::container_positions`] that has no container.
pub const NO_CONTAINER: u32 = u32::MAX;

/// Numbers the containers of a page in order of first appearance: for each block, the
/// position of each of its containers ([`NO_CONTAINER`] for serial 0), and the serials in
/// position order.
fn container_positions(blocks: &[Block]) -> (Vec<[u32; CONTAINER_LEVELS]>, Vec<u32>) {
    let mut position_of: HashMap<u32, u32> = HashMap::default();
    let mut serials = Vec::new();
    let positions = blocks
        .iter()
        .map(|block| {
            block.containers.map(|serial| {
                if serial == 0 {
                    return NO_CONTAINER;
                }
                *position_of.entry(serial).or_insert_with(|| {
                    serials.push(serial);
                    serials.len() as u32 - 1
                })
            })
        })
        .collect();
    (positions, serials)
}

/// Builds the feature rows of a page's blocks.
pub fn page_features(blocks: &[Block]) -> (PageStats, FeatureRows) {
    let mut rows = FeatureRows::default();
    let page = page_features_into(blocks, &mut rows);
    if rows.offsets.is_empty() {
        rows.offsets.push(0);
    }
    (page, rows)
}

/// Measures a page's blocks and sends their features to `sink`, one row per block.
pub fn page_features_into(blocks: &[Block], sink: &mut impl FeatureSink) -> PageStats {
    let page = PageStats::of(blocks);
    // Words, markup tokens and about forty dense and crossed slots per block: reserving that
    // once saves the many regrowths of two long vectors.
    let markup: usize = blocks.iter().map(|b| 2 * b.markup.len()).sum();
    sink.reserve(
        blocks.len(),
        page.word_hashes.len() + markup + 48 * blocks.len(),
    );
    let distances = distances_to_long(&page.long);
    for (i, block) in blocks.iter().enumerate() {
        dense_features(&page, i, distances[i], block, sink);
        let words = &page.word_hashes[page.word_offsets[i]..page.word_offsets[i + 1]];
        hashed_features(&page.blocks[i], page.blocks.get(i + 1), words, block, sink);
        sink.end_row();
    }
    page
}

/// For each block, how many blocks away the nearest long block is (page length if none).
fn distances_to_long(long: &[bool]) -> Vec<usize> {
    let n = long.len();
    let mut distance = vec![n; n];
    let mut last = None;
    for i in 0..n {
        if long[i] {
            last = Some(i);
        }
        if let Some(j) = last {
            distance[i] = i - j;
        }
    }
    last = None;
    for i in (0..n).rev() {
        if long[i] {
            last = Some(i);
        }
        if let Some(j) = last {
            distance[i] = distance[i].min(j - i);
        }
    }
    distance
}

fn dense_features(
    page: &PageStats,
    i: usize,
    distance: usize,
    block: &Block,
    rows: &mut impl FeatureSink,
) {
    let n = page.blocks.len();
    let s = &page.blocks[i];
    let prev = i.checked_sub(1).map(|j| page.blocks[j]).unwrap_or_default();
    let next = page.blocks.get(i + 1).copied().unwrap_or_default();
    let near = i.saturating_sub(3)..(i + 4).min(n);
    let long_near = page.long[near.clone()].iter().filter(|&&l| l).count();
    let flag = |b: bool| if b { 1.0 } else { 0.0 };
    // One call per slot rather than a loop over an array of them: each call then knows its
    // slot, and the sink's work for it is a few instructions with no index to load.
    let mut push = |slot: u32, value: f32| {
        if value != 0.0 {
            rows.push(slot, value);
        }
    };
    push(slot::BIAS, 1.0);
    push(slot::LOG_WORDS, s.log_words);
    push(slot::STOP_RATIO, s.stop_ratio);
    push(slot::PUNCT_RATIO, s.punct_ratio);
    push(slot::DIGIT_RATIO, s.digit_ratio);
    push(slot::CAP_RATIO, s.cap_ratio);
    push(slot::ENDS_TERMINAL, flag(s.ends_terminal));
    push(slot::STARTS_UPPER, flag(s.starts_upper));
    push(slot::LINK_DENSITY, s.link_density);
    push(slot::POSITION, i as f32 / n.max(1) as f32);
    push(slot::REPEATED, flag(page.repeats[i]));
    push(
        slot::BEFORE_FIRST_LONG,
        flag(!matches!(page.first_long, Some(f) if i >= f)),
    );
    push(
        slot::AFTER_LAST_LONG,
        flag(!matches!(page.last_long, Some(l) if i <= l)),
    );
    push(slot::LONG_SHARE_NEAR, long_near as f32 / near.len() as f32);
    push(slot::PREV_LOG_WORDS, prev.log_words);
    push(slot::NEXT_LOG_WORDS, next.log_words);
    push(slot::PREV_STOP_RATIO, prev.stop_ratio);
    push(slot::NEXT_STOP_RATIO, next.stop_ratio);
    push(slot::LOG_DEPTH, ln_one_plus(block.depth) / 4.0);
    push(slot::TINY, flag(s.words <= 2));
    push(slot::HUGE, flag(s.words >= 30));
    push(slot::MEAN_WORD_LEN, s.mean_word_len / 10.0);
    push(
        slot::PAGE_SHARE,
        10.0 * s.words as f32 / page.total_words.max(1) as f32,
    );
    push(slot::LOG_DISTANCE_TO_LONG, ln_one_plus(distance));
    push(slot::LOG_PAGE_BLOCKS, ln_one_plus(n) / 5.0);
    push(slot::MARK_RATIO, s.mark_ratio);
    push(
        slot::LOG_TEMPLATE_COPIES,
        ln_one_plus(page.template_copies[i] as usize) / 3.0,
    );
    let total = page.total_words.max(1) as f32;
    for (level, &position) in page.container_positions[i].iter().enumerate() {
        if let Some(container) = page.containers.get(position as usize) {
            let level = level as u32;
            rows.push(
                slot::CONTAINER_SHARE + level,
                container.words as f32 / total,
            );
            let long_share = container.long_blocks as f32 / page.long_count.max(1) as f32;
            rows.push(slot::CONTAINER_LONG_SHARE + level, long_share);
            // Link density of the whole container, as Readability weighs candidates: a list of
            // teasers is mostly links even where one teaser's summary is not.
            let link_density = container.link_bytes as f32 / container.bytes.max(1) as f32;
            rows.push(slot::CONTAINER_LINK_DENSITY + level, link_density);
        }
    }
    if page.top_container != 0 && block.containers.contains(&page.top_container) {
        rows.push(slot::IN_TOP_CONTAINER, 1.0);
    }
    for bit in set_bits(block.context) {
        rows.push(slot::CONTEXT + bit, 1.0);
    }
    for index in set_bits(s.cues) {
        let count = s.cue_counts[index as usize];
        rows.push(slot::CUES + index, ln_one_plus(usize::from(count)));
    }
}

/// The positions of the set [`context`] bits of `bits`, lowest first: a block has a few of
/// the [`context::COUNT`] bits, so this visits those few rather than testing every bit.
fn set_bits(bits: u32) -> impl Iterator<Item = u32> {
    let mut bits = bits & ((1 << context::COUNT) - 1);
    std::iter::from_fn(move || {
        let bit = bits.trailing_zeros();
        bits &= bits.wrapping_sub(1);
        (bit < u32::BITS).then_some(bit)
    })
}

/// Length bucket: label, phrase, sentence, paragraph.
fn length_bucket(words: u32) -> u64 {
    match words {
        0..=3 => 0,
        4..=9 => 1,
        10..=24 => 2,
        _ => 3,
    }
}

/// How a block ends: a sentence (`.` `!`), a question, a colon, or none of these. A short line
/// ending in a colon or a question mark introduces what follows ("Read also:", "Lesen Sie
/// auch:", "Czytaj też:", "Already read?"), which on a web page is most often a list of links
/// to other pages, in any language; a short line ending in a full stop is a caption or a
/// sentence.
fn ending_kind(text: &str) -> u64 {
    match text.as_bytes().last() {
        Some(b'.' | b'!') => 1,
        Some(b'?') => 2,
        Some(b':') => 3,
        _ => match text.chars().last() {
            Some('。' | '！') => 1,
            Some('？') => 2,
            Some('：') => 3,
            _ => 0,
        },
    }
}

/// The element kind a block's text sits in, for crosses with length and link density: a
/// paragraph, a list item, a heading, a table cell or anything else.
fn element_role(context_bits: u32) -> u64 {
    if context_bits & context::HEADING != 0 {
        1
    } else if context_bits & context::TABLE != 0 {
        2
    } else if context_bits & context::LIST != 0 {
        3
    } else if context_bits & context::PARAGRAPH != 0 {
        4
    } else {
        0
    }
}

/// `(density * 2.0).round() as u64`: a block's link density in halves, which the hashed
/// features cross with length and ending. The product is a share times two, at most 2 and in
/// plain text always 0, so three comparisons give `round`'s value (half away from zero;
/// negatives and NaN end as 0 either way) without its library call, two per block.
fn link_halves(density: f32) -> u64 {
    let halves = density * 2.0;
    if halves < 0.5 {
        0
    } else if halves < 1.5 {
        1
    } else if halves < 2.5 {
        2
    } else {
        halves.round() as u64
    }
}

fn hashed_features(
    s: &BlockStats,
    next: Option<&BlockStats>,
    word_hashes: &[u64],
    block: &Block,
    rows: &mut impl FeatureSink,
) {
    let weight = 1.0 / (s.words.max(1) as f32).sqrt();
    let word_space = fnv(b"word");
    let mut first = None;
    let mut last = 0;
    for &hash in word_hashes {
        first.get_or_insert(hash);
        last = hash;
        rows.push_hashed(combine(word_space, hash), weight);
    }
    if let Some(first) = first {
        rows.push_hashed(combine(fnv(b"first"), first), 1.0);
        rows.push_hashed(combine(fnv(b"last"), last), 1.0);
    }
    let bucket = combine(fnv(b"length"), length_bucket(s.words));
    let links = link_halves(s.link_density);
    rows.push_hashed(combine(bucket, links), 1.0);
    // A link that fills a paragraph is a teaser ("Read also: ..." made a link), a link that
    // fills a list item a menu or teaser entry, a linked heading a teaser card's title; the
    // same lengths without links are article text.
    let role = combine(fnv(b"role"), element_role(block.context));
    rows.push_hashed(combine(combine(role, bucket), links), 1.0);
    // How the block ends, by its length and by whether the next block is mostly links: a
    // short label ending in a colon before a link is the lead-in of a teaser list.
    let ending = combine(combine(fnv(b"ending"), ending_kind(&block.text)), bucket);
    rows.push_hashed(ending, 1.0);
    let next_links = next.map_or(3, |n| link_halves(n.link_density));
    rows.push_hashed(combine(ending, 10 + next_links), 1.0);
    for index in set_bits(s.cues) {
        rows.push_hashed(combine(bucket, 100 + u64::from(index)), 1.0);
    }
    for bit in set_bits(block.context) {
        rows.push_hashed(combine(bucket, 200 + u64::from(bit)), 1.0);
    }
    for (position, &token) in block.markup.iter().enumerate() {
        rows.push_hashed(token, 1.0);
        // The innermost element's own tokens say most; mark them apart.
        if position < 4 {
            rows.push_hashed(combine(token, 7), 1.0);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #[test]
        fn link_halves_are_rounded_halves(density in proptest::num::f32::ANY) {
            proptest::prop_assert_eq!(link_halves(density), (density * 2.0).round() as u64);
        }
    }

    #[test]
    fn link_halves_round_half_away_from_zero() {
        for density in [
            0.0, -0.0, 0.2499999, 0.25, 0.7499999, 0.75, 1.0, 1.2499999, 1.25, 7.3,
        ] {
            assert_eq!(
                link_halves(density),
                (density * 2.0).round() as u64,
                "{density}"
            );
        }
        assert_eq!(link_halves(f32::NAN), 0);
        assert_eq!(link_halves(-3.0), 0);
    }

    /// What a byte says about punctuation, as bits of one table so the per-byte loop is two adds
    /// and a rarely taken branch.
    const PUNCT_BIT: u8 = 1;
    /// `. , ! ? ;`: the ASCII marks prose is full of and menus lack.
    const MARK_BIT: u8 = 2;
    /// The first byte of a non-ASCII sentence mark (ideographic, full-width, Arabic).
    const WIDE_MARK_LEAD_BIT: u8 = 4;

    const PUNCTUATION_CLASS: [u8; 256] = {
        let mut table = [0u8; 256];
        let mut byte = 0;
        while byte < 256 {
            if (byte as u8).is_ascii_punctuation() {
                table[byte] |= PUNCT_BIT;
            }
            byte += 1;
        }
        table[b'.' as usize] |= MARK_BIT;
        table[b',' as usize] |= MARK_BIT;
        table[b'!' as usize] |= MARK_BIT;
        table[b'?' as usize] |= MARK_BIT;
        table[b';' as usize] |= MARK_BIT;
        table[0xe3] |= WIDE_MARK_LEAD_BIT;
        table[0xef] |= WIDE_MARK_LEAD_BIT;
        table[0xd8] |= WIDE_MARK_LEAD_BIT;
        table
    };

    /// Counts the ASCII punctuation and the sentence marks of `text`: `. , ! ? ;` and the
    /// ideographic, full-width and Arabic comma, full stop, exclamation and question marks.
    fn punctuation_counts(text: &str) -> (u32, u32) {
        let bytes = text.as_bytes();
        let (mut punct, mut marks) = (0u32, 0u32);
        for (i, &byte) in bytes.iter().enumerate() {
            let class = PUNCTUATION_CLASS[usize::from(byte)];
            punct += u32::from(class & PUNCT_BIT);
            marks += u32::from((class & MARK_BIT) >> 1);
            if class & WIDE_MARK_LEAD_BIT != 0 {
                let next = |k: usize| bytes.get(i + k).copied().unwrap_or(0);
                marks += u32::from(match byte {
                    // 、 。
                    0xe3 => next(1) == 0x80 && matches!(next(2), 0x81 | 0x82),
                    // ！ ， ； ？
                    0xef => next(1) == 0xbc && matches!(next(2), 0x81 | 0x8c | 0x9b | 0x9f),
                    // ، ؛ ؟
                    _ => matches!(next(1), 0x8c | 0x9b | 0x9f),
                });
            }
        }
        (punct, marks)
    }

    #[test]
    fn the_word_scan_counts_punctuation_as_a_pass_over_every_byte_does() {
        let texts = [
            "",
            "Home | News",
            "Yes, it rained. Did it?",
            "snake_case __init__ a_b, (x) [y] {z} \"q\" 'r' -- ... !!!",
            "東京で大雨、交通機関に乱れ。",
            "هل هذا صحيح؟ نعم، صحيح",
            "Ｗｏｗ！ｏｋ？",
            "Größe: 3,5 m; Café – «très» bien!",
            "trailing mark.",
            ".leading mark",
            "\u{e3}\u{ef}\u{d8} \u{3001}\u{ff01}\u{60c}",
        ];
        for text in texts {
            let mut scan = words(text);
            while scan.next_scanned().is_some() {}
            assert_eq!(
                scan.punctuation_counts(),
                punctuation_counts(text),
                "{text:?}"
            );
        }
    }

    #[test]
    fn words_counted_from_masks_are_counted_as_char_by_char() {
        let long = "Paragraph words, 42 of them_all; and more. ".repeat(5);
        let texts = [
            String::new(),
            "Home | News".into(),
            long.clone(),
            format!("{long}\u{2019}s \u{201c}quoted\u{201d} \u{2014} dash\u{a0}\u{2026} Done!"),
            format!("{long} caf\u{e9} at the end"),
            format!("{long} 東京で大雨、交通"),
            format!("{long} ok\u{3002} after an ideographic full stop"),
            "\u{c9}t\u{e9} first".into(),
        ];
        for text in &texts {
            // Hashes of an earlier block stay where they are, fast path or not.
            let mut expected_hashes = vec![7u64, 8];
            let expected = tally_words(text, &mut expected_hashes);
            let mut hashes = vec![7u64, 8];
            if let Some(found) = tally_ascii_words(text, &mut hashes) {
                assert_eq!(found, expected, "{text:?}");
                assert_eq!(hashes, expected_hashes, "{text:?}");
            }
            let mut hashes = vec![7u64, 8];
            let stats = BlockStats::of(&Block::plain(text), Default::default(), &mut hashes);
            assert_eq!(hashes, expected_hashes, "{text:?}");
            assert_eq!(stats.words, expected.0.n, "{text:?}");
            assert_eq!(stats.key, expected.0.key, "{text:?}");
        }
        let ascii = [&texts[1], &texts[2], &texts[3]];
        #[cfg(target_arch = "x86_64")]
        if std::arch::is_x86_feature_detected!("avx2") {
            for text in ascii {
                assert!(
                    tally_ascii_words(text, &mut Vec::new()).is_some(),
                    "{text:?}"
                );
            }
        }
    }

    #[test]
    fn rows_have_bias_and_stay_in_range() {
        let blocks = vec![
            Block::plain("Menu"),
            Block::plain("This is a long enough sentence that is made of the words of a paragraph in a story."),
            Block::plain("© 2025 Example. All rights reserved."),
        ];
        let (stats, rows) = page_features(&blocks);
        assert_eq!(rows.len(), 3);
        for i in 0..rows.len() {
            assert!(rows.row(i).any(|(index, v)| index == 0 && v == 1.0));
            assert!(rows.row(i).all(|(index, v)| index < DIM && v.is_finite()));
        }
        assert!(stats.blocks[1].stop_ratio > 0.3);
        assert_ne!(stats.blocks[2].cues & (1 << Cue::Copyright.index()), 0);
    }

    #[test]
    fn ln_one_plus_from_the_table_is_the_expression() {
        for count in (0..300).chain([1 << 20, usize::from(u16::MAX)]) {
            let direct = (1.0 + count as f32).ln();
            assert_eq!(ln_one_plus(count).to_bits(), direct.to_bits(), "{count}");
        }
    }

    #[test]
    fn set_bits_lowest_first() {
        assert_eq!(set_bits(0).count(), 0);
        assert_eq!(set_bits(0b1010_0001).collect::<Vec<_>>(), [0, 5, 7]);
        let last = context::COUNT as u32 - 1;
        assert_eq!(set_bits(1 << last | 2).collect::<Vec<_>>(), [1, last]);
        assert_eq!(set_bits(1 << 31).count(), 0, "bits above the context bits");
    }

    #[test]
    fn distances_to_long_blocks() {
        assert_eq!(
            distances_to_long(&[false, true, false, false]),
            [1, 0, 1, 2]
        );
        assert_eq!(distances_to_long(&[false, false]), [2, 2]);
    }

    #[test]
    fn repeated_cards_are_template_copies_and_paragraphs_are_not() {
        let card = |serial: u32, text: &str| Block {
            text: text.to_string().into(),
            markup: vec![fnv(b"h3"), fnv(b"card")],
            containers: [serial, 1, 0],
            ..Block::default()
        };
        let paragraph = |text: &str| Block {
            text: text.to_string().into(),
            markup: vec![fnv(b"p"), fnv(b"body")],
            containers: [2, 1, 0],
            ..Block::default()
        };
        let blocks = [
            paragraph("First paragraph."),
            paragraph("Second paragraph."),
            card(10, "Teaser one"),
            card(11, "Teaser two"),
            card(12, "Teaser three"),
            Block::plain("Plain line"),
        ];
        assert_eq!(template_copies(&blocks), [0, 0, 2, 2, 2, 0]);
    }

    #[test]
    fn sentence_marks_of_every_script_are_counted() {
        assert_eq!(punctuation_counts("Home | News"), (1, 0));
        assert_eq!(punctuation_counts("Yes, it rained. Did it?"), (3, 3));
        assert_eq!(punctuation_counts("東京で大雨、交通機関に乱れ。"), (0, 2));
        assert_eq!(punctuation_counts("هل هذا صحيح؟ نعم، صحيح"), (0, 2));
        assert_eq!(punctuation_counts("Ｗｏｗ！ｏｋ？"), (0, 2));
    }

    #[test]
    fn german_and_chinese_paragraphs_are_long_blocks() {
        let german = "Der Fluss ist in der Nacht zum Sonntag über die Ufer getreten, und am \
                      Morgen stand das Wasser schon vor den Türen der alten Mühle.";
        let chinese = "东京周日遭遇强降雨，多条铁路线路暂停运营，数万名乘客滞留车站，\
                       当地政府呼吁市民尽量避免外出。";
        let blocks = [
            Block::plain(german),
            Block::plain(chinese),
            Block::plain("Startseite"),
        ];
        let page = PageStats::of(&blocks);
        assert_eq!(page.long, [true, true, false]);
        assert!(page.blocks[1].words >= 15, "{:?}", page.blocks[1]);
    }

    #[test]
    fn endings_tell_lead_ins_from_sentences() {
        assert_eq!(ending_kind("Read also:"), 3);
        assert_eq!(ending_kind("Schon gelesen?"), 2);
        assert_eq!(ending_kind("It rained."), 1);
        assert_eq!(ending_kind("关注我们："), 3);
        assert_eq!(ending_kind("Home"), 0);
        assert_eq!(ending_kind(""), 0);
    }

    #[test]
    fn empty_page() {
        let (_, rows) = page_features(&[]);
        assert!(rows.is_empty());
    }
}
