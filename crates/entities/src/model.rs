//! The trained model: quantized weight rows, the name lexicon and the word tables, in one
//! deflate-compressed file.
//!
//! Weights are stored as 8-bit codes on a square-root scale (fine steps near zero where most
//! weights are, coarse steps for the few large ones): a row of nine tags is 9 bytes. Only the
//! distinct rows are kept, in the file and in memory: most of the 2^20 buckets hold no
//! feature (their row is all zeros) and many others hold the same few small weights, so the
//! English model's million buckets have about 180,000 distinct rows. The file stores each
//! distinct row's codes once and a reference per bucket, mostly one byte (see
//! [`BucketReference`]); at load the rows are decoded once into floats. In memory a bucket
//! is an index into those rows (4 bytes), and scoring a
//! feature is one read of that index and one contiguous read of nine floats, added to the
//! running scores as vectors, instead of nine table look-ups that decode a code each. The
//! index and the decoded rows of English take 10.4 MB (the codes took 9.4 MB), plus 2.8 MB
//! of the distinct rows' codes for writing the file back; the sums are the same floats added
//! in the same order, so every score, tag and confidence is what the codes gave.
//!
//! The shipped model is embedded in the binary and loaded once, on first use, for all threads.

use std::io::{Read, Write};
use std::path::Path;
use std::sync::Arc;

use crate::decode::{Decoder, DocumentFeatures};
use crate::features::{bucket_of, PrehashedMap, WeightRows};
use crate::lexicon::Lexicon;
use crate::tags::NUM_TAGS;
use crate::word_tables::WordTables;
use crate::EntitiesError;

/// Files of greedy models, whose layout predates the choice of decoder.
const MAGIC: &[u8; 8] = b"TPNER\x00\x00\x01";

/// Files that name their decoder in a byte after the magic (bit 0: Viterbi; bit 1: layout
/// features; bit 2: section features; bit 3: mention-context features).
const MAGIC_WITH_DECODER: &[u8; 8] = b"TPNER\x00\x00\x02";

/// Files that store each distinct weight row once and a row index per bucket (see
/// [`WeightTable::write_rows`]), with the options byte of [`MAGIC_WITH_DECODER`]. What
/// [`Model::to_bytes`] writes; the two layouts before still load.
const MAGIC_DISTINCT_ROWS: &[u8; 8] = b"TPNER\x00\x00\x03";

/// A trained tagger model.
#[derive(Debug, Clone, PartialEq)]
pub struct Model {
    bucket_bits: u32,
    table: WeightTable,
    /// The largest weight magnitude, the scale of the codes.
    max: f32,
    pub(crate) lexicon: Lexicon,
    pub(crate) words: WordTables,
    decoder: Decoder,
    /// The optional feature groups the model was trained with; models without them never
    /// compute them, so their tags are what they were before the templates existed.
    groups: FeatureGroups,
}

/// The optional feature groups a model is trained with (and then reads when tagging), each
/// a flag in the model file.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FeatureGroups {
    /// Layout features: table rows, lines in capitals, numbers around a word, results
    /// documents (see [`crate::features::layout`]).
    pub layout: bool,
    /// Section features: the section label a wire story begins with ("SOCCER - ..."),
    /// joined with every capitalized word (see [`DocumentFeatures::annotate_section`]).
    pub sections: bool,
    /// Mention-context features: what the other occurrences of a capitalized word in the
    /// document stand beside (see [`DocumentFeatures::annotate_mention_context`]).
    pub mention_context: bool,
}

impl FeatureGroups {
    /// Adds these groups' features to an annotated document, as a model trained with them
    /// reads it (and as its training documents are prepared).
    pub(crate) fn annotate(self, doc: &mut DocumentFeatures) {
        if self.layout {
            doc.annotate_layout();
        }
        if self.sections {
            doc.annotate_section();
        }
        if self.mention_context {
            doc.annotate_mention_context();
        }
    }
}

impl Model {
    /// A model from float weights (`NUM_TAGS` per row, `2^bucket_bits` rows), quantized the
    /// way it will be stored so that a freshly trained model scores exactly as when reloaded.
    pub fn from_weights(
        bucket_bits: u32,
        weights: &[f32],
        lexicon: Lexicon,
        words: WordTables,
    ) -> Model {
        let max = weights.iter().fold(0f32, |m, w| m.max(w.abs())).max(1e-9);
        let codes: Vec<u8> = weights.iter().map(|&w| encode(w, max) as u8).collect();
        Model::from_codes(bucket_bits, &codes, max, lexicon, words)
    }

    fn from_codes(
        bucket_bits: u32,
        codes: &[u8],
        max: f32,
        lexicon: Lexicon,
        words: WordTables,
    ) -> Model {
        let mut table = WeightTableBuilder::new(codes.len() / NUM_TAGS, max);
        table.add_rows(codes);
        Model::from_table(bucket_bits, table.finish(), max, lexicon, words)
    }

    fn from_table(
        bucket_bits: u32,
        table: WeightTable,
        max: f32,
        lexicon: Lexicon,
        words: WordTables,
    ) -> Model {
        // Scoring reads a bucket's row index and the row without bounds checks (see
        // `add_rows`): every bucket a hash can name must exist.
        assert!(
            (1..=32).contains(&bucket_bits) && table.row_of_bucket.len() == 1 << bucket_bits,
            "a weight table of 2^{bucket_bits} buckets has {} buckets",
            table.row_of_bucket.len()
        );
        Model {
            bucket_bits,
            table,
            max,
            lexicon,
            words,
            decoder: Decoder::Greedy,
            groups: FeatureGroups::default(),
        }
    }

    /// The same model decoded with `decoder` (the one it was trained for).
    pub fn with_decoder(mut self, decoder: Decoder) -> Model {
        self.decoder = decoder;
        self
    }

    /// How the model chooses tags.
    pub fn decoder(&self) -> Decoder {
        self.decoder
    }

    /// The same model reading the feature groups `groups` (those it was trained with).
    pub fn with_feature_groups(mut self, groups: FeatureGroups) -> Model {
        self.groups = groups;
        self
    }

    /// The optional feature groups the model reads.
    pub fn feature_groups(&self) -> FeatureGroups {
        self.groups
    }

    /// The English model embedded in the crate, loaded on first use and shared by all
    /// threads; [`crate::languages::shipped_model`] gives the others.
    pub fn embedded() -> Arc<Model> {
        crate::languages::shipped_model(textpipe_core::DEFAULT_LANGUAGE)
            .expect("an English model is always shipped")
            .load()
    }

    /// Reads a model file written by [`Model::save`].
    pub fn load(path: &Path) -> Result<Model, EntitiesError> {
        // Checked like every file a pipeline names: a device or a folder is refused, not read.
        let bytes = textpipe_core::checked_file::read_checked(
            path,
            textpipe_core::checked_file::MAX_CONFIG_FILE_BYTES,
        )
        .map_err(|error| EntitiesError::Io {
            path: path.display().to_string(),
            source: std::io::Error::other(error.to_string()),
        })?;
        Model::from_bytes(&bytes).map_err(|e| match e {
            EntitiesError::BadModel(message) => {
                EntitiesError::BadModel(format!("{}: {message}", path.display()))
            }
            other => other,
        })
    }

    /// The number of weight rows as a power of two.
    pub fn bucket_bits(&self) -> u32 {
        self.bucket_bits
    }

    /// Entries of the name lexicon (names and their prefixes).
    pub fn lexicon_entries(&self) -> usize {
        self.lexicon.len()
    }

    /// The name lexicon built from the training data.
    pub fn lexicon(&self) -> &Lexicon {
        &self.lexicon
    }

    /// The word tables learned from unlabeled text.
    pub fn word_tables(&self) -> &WordTables {
        &self.words
    }

    /// Writes the model to `path`.
    pub fn save(&self, path: &Path) -> Result<(), EntitiesError> {
        let io = |source| EntitiesError::Io {
            path: path.display().to_string(),
            source,
        };
        std::fs::write(path, self.to_bytes()).map_err(io)
    }

    /// The compressed file form.
    pub fn to_bytes(&self) -> Vec<u8> {
        let max = self.max;
        let mut raw = Vec::new();
        let options = (self.decoder == Decoder::Viterbi) as u8
            | (self.groups.layout as u8) << 1
            | (self.groups.sections as u8) << 2
            | (self.groups.mention_context as u8) << 3;
        raw.extend_from_slice(MAGIC_DISTINCT_ROWS);
        raw.push(options);
        raw.extend_from_slice(&self.bucket_bits.to_le_bytes());
        raw.extend_from_slice(&max.to_le_bytes());
        write_table(&mut raw, self.lexicon.entries().map(|(k, v)| (k, v as u32)));
        write_table(
            &mut raw,
            self.words.case_stats.iter().map(|(&k, &v)| (k, v as u32)),
        );
        write_table(&mut raw, self.words.clusters.iter().map(|(&k, &v)| (k, v)));
        self.table.write_rows(&mut raw);
        let mut encoder =
            flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::best());
        encoder
            .write_all(&raw)
            .and_then(|_| encoder.finish())
            .expect("writing to memory cannot fail")
    }

    /// Parses the compressed file form: the current layout, or either earlier one (every
    /// bucket's codes, decoded a few thousand rows at a time as they are decompressed).
    pub fn from_bytes(bytes: &[u8]) -> Result<Model, EntitiesError> {
        let mut reader = StreamReader {
            // Buffered: the tables are read a field at a time.
            inner: std::io::BufReader::with_capacity(
                1 << 16,
                flate2::bufread::DeflateDecoder::new(bytes),
            ),
            error: None,
        };
        let bad = |reader: &mut StreamReader<_>, m: &str| {
            EntitiesError::BadModel(match reader.error.take() {
                Some(error) => format!("not a compressed model: {error}"),
                None => m.to_string(),
            })
        };
        let Some(magic) = reader.take::<8>() else {
            return Err(bad(&mut reader, "too short"));
        };
        let (options, distinct_rows) = if &magic == MAGIC {
            (0, false)
        } else if &magic == MAGIC_WITH_DECODER || &magic == MAGIC_DISTINCT_ROWS {
            match reader.take::<1>() {
                Some([options]) if options < 16 => (options, &magic == MAGIC_DISTINCT_ROWS),
                Some([other]) => {
                    return Err(bad(&mut reader, &format!("unknown model options {other}")))
                }
                None => return Err(bad(&mut reader, "truncated header")),
            }
        } else {
            return Err(bad(
                &mut reader,
                "not a textpipe entity model (or another version)",
            ));
        };
        let (Some(bucket_bits), Some(max)) = (reader.u32(), reader.u32()) else {
            return Err(bad(&mut reader, "truncated header"));
        };
        let max = f32::from_bits(max);
        if !(1..=28).contains(&bucket_bits) || !max.is_finite() || max <= 0.0 {
            return Err(bad(&mut reader, "implausible header"));
        }
        let Some(lexicon) = read_table(&mut reader) else {
            return Err(bad(&mut reader, "truncated lexicon"));
        };
        let Some(case_stats) = read_table(&mut reader) else {
            return Err(bad(&mut reader, "truncated word table"));
        };
        let Some(clusters) = read_table(&mut reader) else {
            return Err(bad(&mut reader, "truncated cluster table"));
        };
        let buckets = 1usize << bucket_bits;
        let table = if distinct_rows {
            read_distinct_rows(&mut reader, buckets, max)
        } else {
            read_bucket_codes(&mut reader, buckets, max)
        };
        let Some(table) = table else {
            return Err(bad(
                &mut reader,
                "weight table has the wrong size or is damaged",
            ));
        };
        if reader.take::<1>().is_some() {
            return Err(bad(
                &mut reader,
                "weight table has the wrong size or is damaged",
            ));
        }
        let words = WordTables {
            case_stats: case_stats.into_iter().map(|(k, v)| (k, v as u8)).collect(),
            clusters: clusters.into_iter().collect::<PrehashedMap<u32>>(),
        };
        let lexicon = Lexicon::from_entries(lexicon.into_iter().map(|(k, v)| (k, v as u8)));
        Ok(Model::from_table(bucket_bits, table, max, lexicon, words)
            .with_decoder(if options & 1 != 0 {
                Decoder::Viterbi
            } else {
                Decoder::Greedy
            })
            .with_feature_groups(FeatureGroups {
                layout: options & 2 != 0,
                sections: options & 4 != 0,
                mention_context: options & 8 != 0,
            }))
    }
}

/// The weight rows of a model, decoded, each distinct row once.
#[derive(Debug, Clone, PartialEq)]
struct WeightTable {
    /// For each bucket, the index of its row in `rows` (0 is the row of zeros).
    row_of_bucket: Box<[u32]>,
    /// The distinct rows, decoded, in the order their first bucket comes.
    rows: Box<[[f32; NUM_TAGS]]>,
    /// The same rows as stored, their 8-bit codes packed into one number each (the first
    /// code in the lowest byte), for writing the file back.
    codes: Box<[u128]>,
}

// A row's codes fit in the 16 bytes of a `u128`.
const _: () = assert!(NUM_TAGS <= 16);

/// Builds a [`WeightTable`] from the codes of its buckets in order.
struct WeightTableBuilder {
    /// The largest weight magnitude, the scale of the codes.
    max: f32,
    /// Open addressing over the distinct rows seen so far (their index; 0 marks an empty
    /// slot, as the zero row is never looked up). A slot per bucket: the table is never
    /// full, and for a trained model (a fifth of its buckets distinct) rarely probed twice.
    seen: Vec<u32>,
    distinct: Vec<u128>,
    row_of_bucket: Vec<u32>,
    /// How many buckets were added so far.
    added: usize,
}

impl WeightTableBuilder {
    fn new(buckets: usize, max: f32) -> WeightTableBuilder {
        WeightTableBuilder {
            max,
            seen: vec![0; buckets.next_power_of_two()],
            distinct: vec![0],
            row_of_bucket: vec![0; buckets],
            added: 0,
        }
    }

    /// Adds the buckets of `codes` (`NUM_TAGS` codes each) after those added before.
    fn add_rows(&mut self, codes: &[u8]) {
        let mask = self.seen.len() - 1;
        let first = self.added;
        self.added += codes.len() / NUM_TAGS;
        let indexes = &mut self.row_of_bucket[first..self.added];
        for (chunk, index) in codes.chunks_exact(NUM_TAGS).zip(indexes) {
            let row = pack_row(chunk);
            // Most buckets hold no feature; their index stays 0, the zero row.
            if row == 0 {
                continue;
            }
            let mut slot = row_hash(row) as usize & mask;
            *index = loop {
                match self.seen[slot] {
                    0 => {
                        self.distinct.push(row);
                        let index = (self.distinct.len() - 1) as u32;
                        self.seen[slot] = index;
                        break index;
                    }
                    index if self.distinct[index as usize] == row => break index,
                    _ => slot = (slot + 1) & mask,
                }
            };
        }
    }

    fn finish(self) -> WeightTable {
        debug_assert!(self
            .row_of_bucket
            .iter()
            .all(|&index| (index as usize) < self.distinct.len()));
        WeightTable {
            row_of_bucket: self.row_of_bucket.into_boxed_slice(),
            rows: decode_rows(&self.distinct, self.max),
            codes: self.distinct.into_boxed_slice(),
        }
    }
}

impl WeightTable {
    /// Appends the table as the file stores it: the number of distinct rows after the zero
    /// row and their codes, then the byte length of the bucket references and the
    /// references, one per bucket (see [`BucketReference`]). Loading then decodes each
    /// distinct row once and reads a byte or two per bucket, where the codes of every bucket
    /// had to be decompressed (nine bytes each, ten megabytes for English) and matched
    /// against the rows seen so far, over half of the model's load time.
    fn write_rows(&self, out: &mut Vec<u8>) {
        let stored = &self.codes[1..];
        out.extend_from_slice(&(stored.len() as u32).to_le_bytes());
        for row in stored {
            out.extend_from_slice(&row.to_le_bytes()[..NUM_TAGS]);
        }
        let mut references = Vec::with_capacity(2 * self.row_of_bucket.len());
        // The rows are numbered in the order their first bucket comes (the builder's order,
        // and the loader's), so a row's first bucket can say "the next row".
        let mut next = 1;
        for &index in self.row_of_bucket.iter() {
            let reference = match index {
                0 => BucketReference::Zero,
                _ if index == next => {
                    next += 1;
                    BucketReference::NextRow
                }
                _ => BucketReference::Row(index),
            };
            reference.write(&mut references);
        }
        out.extend_from_slice(&(references.len() as u64).to_le_bytes());
        out.extend_from_slice(&references);
    }

    /// Appends the codes of every bucket in order, as the first two file layouts stored them.
    #[cfg(test)]
    fn write_codes(&self, out: &mut Vec<u8>) {
        out.reserve(self.row_of_bucket.len() * NUM_TAGS);
        for &index in self.row_of_bucket.iter() {
            out.extend_from_slice(&self.codes[index as usize].to_le_bytes()[..NUM_TAGS]);
        }
    }
}

/// A row's `NUM_TAGS` codes as one number, the first in the lowest byte.
fn pack_row(row: &[u8]) -> u128 {
    let mut bytes = [0u8; 16];
    bytes[..NUM_TAGS].copy_from_slice(row);
    u128::from_le_bytes(bytes)
}

/// A hash of a packed row for the distinct-row table; the high bits of a multiplication.
fn row_hash(row: u128) -> u64 {
    let folded = (row as u64) ^ ((row >> 64) as u64).rotate_left(23);
    let product = folded.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    product ^ (product >> 32)
}

impl WeightRows for Model {
    #[inline]
    fn add_row(&self, hash: u64, scores: &mut [f32; NUM_TAGS]) {
        let bucket = bucket_of(hash, self.bucket_bits);
        let row = &self.table.rows[self.table.row_of_bucket[bucket] as usize];
        for (score, weight) in scores.iter_mut().zip(row) {
            *score += weight;
        }
    }

    /// The rows of every feature are asked for first (a prefetch of each bucket's row index:
    /// the rows are scattered over a table larger than the fast caches, and asking for all
    /// of them before summing any lets their loads overlap), then added in the features'
    /// order, the same floats in the same order as one [`WeightRows::add_row`] after another.
    #[inline]
    fn add_rows(&self, hashes: &[u64], scores: &mut [f32; NUM_TAGS]) {
        let bits = self.bucket_bits;
        let row_of_bucket = &*self.table.row_of_bucket;
        for &hash in hashes {
            prefetch(row_of_bucket.as_ptr().wrapping_add(bucket_of(hash, bits)));
        }
        for &hash in hashes {
            let bucket = bucket_of(hash, bits);
            // SAFETY: a 64-bit hash shifted right by `64 - bucket_bits` is below
            // `2^bucket_bits`, the number of buckets (`Model::from_table` asserts it), and
            // every bucket holds the index of a row the builder stored before writing it
            // (`WeightTableBuilder::add_rows`), so both reads are in bounds. Checked, they
            // were four of a feature's fourteen instructions.
            let row = unsafe {
                let index = *row_of_bucket.get_unchecked(bucket);
                self.table.rows.get_unchecked(index as usize)
            };
            for (score, weight) in scores.iter_mut().zip(row) {
                *score += weight;
            }
        }
    }

    #[inline]
    fn prefetch_row(&self, hash: u64) {
        let bucket = bucket_of(hash, self.bucket_bits);
        prefetch(self.table.row_of_bucket.as_ptr().wrapping_add(bucket));
    }
}

/// Asks the CPU to start loading the cache line of `pointer`, which needs not point into
/// anything: a prefetch is a hint and never faults, so the bucket needs no bounds check.
#[inline(always)]
fn prefetch(pointer: *const u32) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: a prefetch only hints the cache; it never reads into the program or faults,
    // whatever the address.
    #[allow(unused_unsafe)]
    unsafe {
        std::arch::x86_64::_mm_prefetch::<{ std::arch::x86_64::_MM_HINT_T0 }>(pointer as *const i8);
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = pointer;
}

/// An 8-bit code of `w` on a square-root scale of `max`.
fn encode(w: f32, max: f32) -> i8 {
    let magnitude = (w.abs() / max).sqrt() * 127.0;
    (magnitude.round().min(127.0) * w.signum()) as i8
}

fn decode(code: i8, max: f32) -> f32 {
    let unit = code as f32 / 127.0;
    unit * unit.abs() * max
}

/// Packed rows of codes (see [`pack_row`]) as the weights they stand for.
fn decode_rows(codes: &[u128], max: f32) -> Box<[[f32; NUM_TAGS]]> {
    let values: [f32; 256] = std::array::from_fn(|byte| decode(byte as u8 as i8, max));
    codes
        .iter()
        .map(|&packed| {
            let bytes = packed.to_le_bytes();
            std::array::from_fn(|tag| values[bytes[tag] as usize])
        })
        .collect()
}

/// The weight table of the first two file layouts: every bucket's codes in order, each
/// distinct row found as they are read.
fn read_bucket_codes(
    reader: &mut StreamReader<impl Read>,
    buckets: usize,
    max: f32,
) -> Option<WeightTable> {
    let mut table = WeightTableBuilder::new(buckets, max);
    let mut chunk = vec![0u8; NUM_TAGS * 4096];
    let mut left = buckets * NUM_TAGS;
    while left > 0 {
        let n = left.min(chunk.len());
        if !reader.fill(&mut chunk[..n]) {
            return None;
        }
        table.add_rows(&chunk[..n]);
        left -= n;
    }
    Some(table.finish())
}

/// The weight table as [`WeightTable::write_rows`] stores it. Every index is checked against
/// the number of rows, since scoring reads rows by index without bounds checks.
fn read_distinct_rows(
    reader: &mut StreamReader<impl Read>,
    buckets: usize,
    max: f32,
) -> Option<WeightTable> {
    let stored = reader.u32()? as usize;
    // At most one distinct row per bucket: a larger count is damage, and must not reserve
    // memory the file does not hold.
    if stored > buckets {
        return None;
    }
    // Read in pieces larger than the reader's buffer, which then copies nothing.
    const PIECE: usize = 1 << 17;
    let mut piece = vec![0u8; PIECE];
    let mut codes = Vec::with_capacity(stored + 1);
    codes.push(0u128);
    let mut left = stored;
    while left > 0 {
        let n = left.min(PIECE / NUM_TAGS);
        let bytes = &mut piece[..n * NUM_TAGS];
        if !reader.fill(bytes) {
            return None;
        }
        codes.extend(bytes.chunks_exact(NUM_TAGS).map(pack_row));
        left -= n;
    }
    let rows = decode_rows(&codes, max);
    let length = reader.u64()? as usize;
    // At most five bytes per bucket; more is damage, and must not allocate.
    if length > 5 * buckets {
        return None;
    }
    let mut references = vec![0u8; length];
    if !reader.fill(&mut references) {
        return None;
    }
    let mut row_of_bucket = vec![0u32; buckets];
    let (mut at, mut next) = (0, 1u32);
    for index in row_of_bucket.iter_mut() {
        *index = match BucketReference::read(&references, &mut at)? {
            BucketReference::Zero => 0,
            BucketReference::NextRow => {
                next += 1;
                next - 1
            }
            // Only a row met before: scoring reads rows by index without bounds checks.
            BucketReference::Row(index) if (1..next).contains(&index) => index,
            BucketReference::Row(_) => return None,
        };
    }
    // Every stored row is some bucket's, and every reference byte was read.
    if next as usize != stored + 1 || at != references.len() {
        return None;
    }
    Some(WeightTable {
        row_of_bucket: row_of_bucket.into_boxed_slice(),
        rows,
        codes: codes.into_boxed_slice(),
    })
}

/// What a bucket of the weight table holds, as the file writes it: a varint of 0 for the zero
/// row, 1 for the first bucket of the next distinct row, `index + 1` for a row met before.
/// Most buckets hold no feature and most rows are first met once, so most references are a
/// single byte: the English model's index stream is a quarter of four bytes per bucket.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum BucketReference {
    Zero,
    NextRow,
    Row(u32),
}

impl BucketReference {
    fn write(self, out: &mut Vec<u8>) {
        let mut value = match self {
            BucketReference::Zero => 0,
            BucketReference::NextRow => 1,
            BucketReference::Row(index) => u64::from(index) + 1,
        };
        // LEB128: seven bits a byte, the high bit set on all but the last.
        while value >= 0x80 {
            out.push(value as u8 | 0x80);
            value >>= 7;
        }
        out.push(value as u8);
    }

    /// The reference at `bytes[*at..]`, moving `at` past it; `None` when the bytes end or
    /// the value does not fit.
    fn read(bytes: &[u8], at: &mut usize) -> Option<BucketReference> {
        let mut value = 0u64;
        for shift in (0..35).step_by(7) {
            let byte = *bytes.get(*at)?;
            *at += 1;
            value |= u64::from(byte & 0x7f) << shift;
            if byte < 0x80 {
                return Some(match value {
                    0 => BucketReference::Zero,
                    1 => BucketReference::NextRow,
                    _ => BucketReference::Row(u32::try_from(value - 1).ok()?),
                });
            }
        }
        None
    }
}

fn write_table(out: &mut Vec<u8>, entries: impl Iterator<Item = (u64, u32)>) {
    // Sorted, so the same model always serializes to the same bytes.
    let mut entries: Vec<(u64, u32)> = entries.collect();
    entries.sort_unstable();
    out.extend_from_slice(&(entries.len() as u64).to_le_bytes());
    for (key, value) in entries {
        out.extend_from_slice(&key.to_le_bytes());
        out.extend_from_slice(&value.to_le_bytes());
    }
}

fn read_table(reader: &mut StreamReader<impl Read>) -> Option<Vec<(u64, u32)>> {
    let n = reader.u64()? as usize;
    // A damaged count must not reserve memory the file does not hold: the entries are read
    // one by one and the vector grows only with entries that were there.
    let mut entries = Vec::with_capacity(n.min(1 << 20));
    for _ in 0..n {
        entries.push((reader.u64()?, reader.u32()?));
    }
    Some(entries)
}

/// Reads fixed-size fields from the decompressed stream, keeping the first error that was
/// not the stream's end (a damaged compressed stream).
struct StreamReader<R> {
    inner: R,
    error: Option<std::io::Error>,
}

impl<R: Read> StreamReader<R> {
    /// Fills `buf`, or returns false at the end of the stream or on an error.
    fn fill(&mut self, buf: &mut [u8]) -> bool {
        match self.inner.read_exact(buf) {
            Ok(()) => true,
            Err(error) => {
                if error.kind() != std::io::ErrorKind::UnexpectedEof && self.error.is_none() {
                    self.error = Some(error);
                }
                false
            }
        }
    }

    fn take<const N: usize>(&mut self) -> Option<[u8; N]> {
        let mut bytes = [0u8; N];
        self.fill(&mut bytes).then_some(bytes)
    }

    fn u32(&mut self) -> Option<u32> {
        self.take().map(u32::from_le_bytes)
    }

    fn u64(&mut self) -> Option<u64> {
        self.take().map(u64::from_le_bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `raw` deflate-compressed, as a model file holds it.
    fn deflate(raw: &[u8]) -> Vec<u8> {
        let mut encoder =
            flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::fast());
        encoder.write_all(raw).unwrap();
        encoder.finish().unwrap()
    }

    /// The uncompressed bytes of `model`'s file.
    fn raw_bytes(model: &Model) -> Vec<u8> {
        let mut raw = Vec::new();
        flate2::read::DeflateDecoder::new(&model.to_bytes()[..])
            .read_to_end(&mut raw)
            .unwrap();
        raw
    }

    #[test]
    fn quantization_keeps_sign_and_order() {
        let max = 10.0;
        let values = [-10.0, -1.0, -0.01, 0.0, 0.01, 0.5, 3.0, 10.0];
        let decoded: Vec<f32> = values
            .iter()
            .map(|&w| decode(encode(w, max), max))
            .collect();
        for pair in decoded.windows(2) {
            assert!(pair[0] <= pair[1], "{decoded:?}");
        }
        assert!((decoded[6] - 3.0).abs() < 0.1);
    }

    #[test]
    fn a_model_round_trips_through_bytes() {
        let mut weights = vec![0f32; (1 << 4) * NUM_TAGS];
        weights[3] = 2.5;
        weights[40] = -0.25;
        let mut lexicon = Lexicon::new();
        lexicon.insert(&[1, 2], crate::tags::Label::Org);
        let model = Model::from_weights(4, &weights, lexicon, WordTables::default());
        let again = Model::from_bytes(&model.to_bytes()).unwrap();
        assert_eq!(model, again);
        let viterbi = model.clone().with_decoder(Decoder::Viterbi);
        let again = Model::from_bytes(&viterbi.to_bytes()).unwrap();
        assert_eq!(again.decoder(), Decoder::Viterbi);
        assert_eq!(viterbi, again);
        for decoder in [Decoder::Greedy, Decoder::Viterbi] {
            for (sections, mention_context) in [(false, false), (true, false), (false, true)] {
                let groups = FeatureGroups {
                    layout: true,
                    sections,
                    mention_context,
                };
                let with_layout = viterbi
                    .clone()
                    .with_decoder(decoder)
                    .with_feature_groups(groups);
                let again = Model::from_bytes(&with_layout.to_bytes()).unwrap();
                assert!(again.feature_groups().layout);
                assert_eq!(again.feature_groups().sections, sections);
                assert_eq!(again.feature_groups().mention_context, mention_context);
                assert_eq!(with_layout, again);
            }
        }
        assert!(
            !Model::from_bytes(&model.to_bytes())
                .unwrap()
                .feature_groups()
                .layout
        );
    }

    /// The file layouts before the distinct rows (every bucket's nine codes; a greedy model
    /// without an options byte, or with one) still load, to the same model.
    #[test]
    fn files_of_the_earlier_layouts_still_load() {
        let mut weights = vec![0f32; (1 << 5) * NUM_TAGS];
        for (i, weight) in weights.iter_mut().enumerate().step_by(7) {
            *weight = (i % 13) as f32 - 6.0;
        }
        let mut lexicon = Lexicon::new();
        lexicon.insert(&[1, 2], crate::tags::Label::Org);
        let model = Model::from_weights(5, &weights, lexicon, WordTables::default())
            .with_decoder(Decoder::Viterbi);
        let earlier = |model: &Model, magic: &[u8; 8], options: Option<u8>| {
            let mut raw = magic.to_vec();
            raw.extend(options);
            raw.extend_from_slice(&model.bucket_bits.to_le_bytes());
            raw.extend_from_slice(&model.max.to_le_bytes());
            write_table(
                &mut raw,
                model.lexicon.entries().map(|(k, v)| (k, v as u32)),
            );
            write_table(&mut raw, std::iter::empty());
            write_table(&mut raw, std::iter::empty());
            model.table.write_codes(&mut raw);
            deflate(&raw)
        };
        let loaded = Model::from_bytes(&earlier(&model, MAGIC_WITH_DECODER, Some(1))).unwrap();
        assert_eq!(loaded, model);
        assert_eq!(loaded.to_bytes(), model.to_bytes());
        let greedy = model.clone().with_decoder(Decoder::Greedy);
        assert_eq!(
            Model::from_bytes(&earlier(&greedy, MAGIC, None)).unwrap(),
            greedy
        );
    }

    #[test]
    fn bucket_references_round_trip_in_a_byte_or_more() {
        let references = [
            BucketReference::Zero,
            BucketReference::NextRow,
            BucketReference::Row(1),
            BucketReference::Row(126),
            BucketReference::Row(127),
            BucketReference::Row(180_000),
            BucketReference::Row(u32::MAX - 1),
        ];
        let mut bytes = Vec::new();
        for reference in references {
            reference.write(&mut bytes);
        }
        assert_eq!(bytes[..4], [0, 1, 2, 127], "one byte each below 127");
        let mut at = 0;
        for reference in references {
            assert_eq!(BucketReference::read(&bytes, &mut at), Some(reference));
        }
        assert_eq!(at, bytes.len());
        assert_eq!(BucketReference::read(&bytes, &mut at), None, "the end");
        // Five bytes that do not end a varint, or a value past u32.
        assert_eq!(BucketReference::read(&[0x80; 5], &mut 0), None);
        assert_eq!(
            BucketReference::read(&[0xff, 0xff, 0xff, 0xff, 0x1f], &mut 0),
            None
        );
    }

    /// A reference to a row no bucket has met yet, or a stored row no bucket refers to, is
    /// a damaged file: scoring reads rows by index unchecked, and a canonical file has
    /// neither.
    #[test]
    fn bucket_references_must_name_rows_met_before() {
        let mut weights = vec![0f32; (1 << 3) * NUM_TAGS];
        weights[NUM_TAGS] = 1.0;
        weights[3 * NUM_TAGS] = 1.0;
        weights[5 * NUM_TAGS + 1] = -2.0;
        let model = Model::from_weights(3, &weights, Lexicon::new(), WordTables::default());
        let good = raw_bytes(&model);
        // Buckets 0..8 are the last eight bytes: zero, next, zero, row 1, zero, next, zero,
        // zero.
        let references = good.len() - 8;
        assert_eq!(good[references..], [0, 1, 0, 2, 0, 1, 0, 0]);
        assert_eq!(Model::from_bytes(&deflate(&good)).unwrap(), model);
        let mut ahead = good.clone();
        ahead[references + 3] = 3; // row 2 before its first bucket
        let mut unused = good.clone();
        unused[references + 5] = 2; // row 2 never referred to
        for damaged in [ahead, unused] {
            let error = Model::from_bytes(&deflate(&damaged)).unwrap_err();
            assert!(error.to_string().contains("wrong size"), "{error}");
        }
    }

    #[test]
    fn equal_rows_are_stored_once_and_score_as_their_codes() {
        // Rows 1 and 3 are equal, row 2 differs, every other row is zero.
        let mut weights = vec![0f32; (1 << 3) * NUM_TAGS];
        for tag in 0..NUM_TAGS {
            weights[NUM_TAGS + tag] = tag as f32 - 4.0;
            weights[3 * NUM_TAGS + tag] = tag as f32 - 4.0;
            weights[2 * NUM_TAGS + tag] = 0.5 * tag as f32;
        }
        let model = Model::from_weights(3, &weights, Lexicon::new(), WordTables::default());
        assert_eq!(
            model.table.rows.len(),
            3,
            "the zero row and two distinct ones"
        );
        assert_eq!(model.table.row_of_bucket[1], model.table.row_of_bucket[3]);
        for bucket in 0..8u64 {
            let mut scores = [1f32; NUM_TAGS];
            model.add_row(bucket << 61, &mut scores);
            for (tag, score) in scores.iter().enumerate() {
                let weight = weights[bucket as usize * NUM_TAGS + tag];
                let coded = decode(encode(weight, model.max), model.max);
                assert_eq!(score.to_bits(), (1.0 + coded).to_bits(), "bucket {bucket}");
            }
        }
        let mut stored = Vec::new();
        model.table.write_codes(&mut stored);
        let codes: Vec<u8> = weights
            .iter()
            .map(|&w| encode(w, model.max) as u8)
            .collect();
        assert_eq!(stored, codes);
    }

    #[test]
    fn a_weight_table_of_the_wrong_size_is_an_error() {
        let model = Model::from_weights(
            4,
            &vec![0.5f32; (1 << 4) * NUM_TAGS],
            Lexicon::new(),
            WordTables::default(),
        );
        let raw = raw_bytes(&model);
        assert_eq!(Model::from_bytes(&deflate(&raw)).unwrap(), model);
        for damaged in [&raw[..raw.len() - 1], &[&raw[..], &[7]].concat()[..]] {
            let error = Model::from_bytes(&deflate(damaged)).unwrap_err();
            assert!(error.to_string().contains("wrong size"), "{error}");
        }
        let cut = model.to_bytes();
        assert!(Model::from_bytes(&cut[..cut.len() / 2]).is_err());
    }

    /// Any byte of the weight table changed to any of a few values gives an error or a model
    /// whose every bucket scores (rows are read by index without bounds checks).
    #[test]
    fn a_damaged_weight_table_is_an_error_or_a_sound_model() {
        let mut weights = vec![0f32; (1 << 6) * NUM_TAGS];
        for (i, weight) in weights.iter_mut().enumerate().step_by(5) {
            *weight = (i % 7) as f32 - 3.0;
        }
        let model = Model::from_weights(6, &weights, Lexicon::new(), WordTables::default());
        let raw = raw_bytes(&model);
        // The header and the three (empty) tables, then the weight table.
        let table_start = 8 + 1 + 4 + 4 + 3 * 8;
        let (mut errors, mut loaded) = (0, 0);
        for at in table_start..raw.len() {
            for value in [0u8, 1, 2, 0x7f, 0x80, 0xff] {
                let mut damaged = raw.clone();
                damaged[at] = value;
                match Model::from_bytes(&deflate(&damaged)) {
                    Err(_) => errors += 1,
                    Ok(damaged) => {
                        loaded += 1;
                        for bucket in 0..1u64 << 6 {
                            let mut scores = [0f32; NUM_TAGS];
                            damaged.add_rows(&[bucket << 58], &mut scores);
                        }
                    }
                }
            }
        }
        assert!(errors > 0 && loaded > 0, "{errors} errors, {loaded} loaded");
    }

    #[test]
    fn garbage_is_an_error_not_a_panic() {
        assert!(Model::from_bytes(b"not a model").is_err());
        assert!(Model::from_bytes(&[]).is_err());
    }
}
