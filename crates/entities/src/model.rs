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
        let codes: Vec<[i8; NUM_TAGS]> = codes.chunks_exact(NUM_TAGS).map(row_of_codes).collect();
        let table = WeightTable::new(NumberedRows::of(codes.iter()));
        Model::from_table(bucket_bits, table, max, lexicon, words)
    }

    fn from_table(
        bucket_bits: u32,
        table: WeightTable,
        max: f32,
        lexicon: Lexicon,
        words: WordTables,
    ) -> Model {
        // Scoring reads a bucket's row without bounds checks (see `add_rows`): every bucket
        // a hash can name must exist.
        assert!(
            (1..=32).contains(&bucket_bits) && table.buckets() == 1 << bucket_bits,
            "a weight table of 2^{bucket_bits} buckets has {} buckets",
            table.buckets()
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
        let mut encoder =
            flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::best());
        encoder
            .write_all(&self.raw_bytes())
            .and_then(|_| encoder.finish())
            .expect("writing to memory cannot fail")
    }

    /// The file form before compression.
    pub(crate) fn raw_bytes(&self) -> Vec<u8> {
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
        raw
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
            read_distinct_rows(&mut reader, buckets)
        } else {
            read_bucket_codes(&mut reader, buckets)
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

/// The weights of a model: each bucket's row of `NUM_TAGS` 8-bit codes (see [`encode`]),
/// laid out for tagging in one of two ways, chosen by how many distinct rows there are.
///
/// Tagging reads about fifty rows per token, scattered over the table, and waited on those
/// loads more than on anything else. A model with many distinct rows (English 180,068 in
/// 2^20 buckets) keeps every bucket's nine codes in place, so a feature costs one load;
/// kept as the file has them (a row number per bucket and each distinct row once), a
/// feature cost two loads, the second waiting for the first. A model with few distinct rows
/// (Danish 35,958) keeps them numbered, with a 2-byte number per bucket: 2 MB of numbers
/// and rows that stay in the fast caches, where its codes in place would take 9.4 MB.
#[derive(Debug, Clone, PartialEq)]
enum WeightTable {
    /// Every bucket's codes.
    InPlace(Box<[[i8; NUM_TAGS]]>),
    /// Each bucket's row number and the distinct rows, numbered as [`NumberedRows`] does.
    Numbered {
        row_of_bucket: Box<[u16]>,
        rows: Box<[[i8; NUM_TAGS]]>,
    },
}

// A row's codes fit in the 16 bytes of a `u128` (see [`pack_row`]).
const _: () = assert!(NUM_TAGS <= 16);

/// The rows of a table's buckets, each distinct row once, numbered in the order of its first
/// bucket (0 is the row of zeros, whether or not a bucket has it): the file's order, so a
/// row's first bucket can say "the next row".
struct NumberedRows {
    row_of_bucket: Vec<u32>,
    rows: Vec<[i8; NUM_TAGS]>,
}

impl NumberedRows {
    /// Numbers the rows of `buckets`, in order.
    fn of<'a>(buckets: impl ExactSizeIterator<Item = &'a [i8; NUM_TAGS]>) -> NumberedRows {
        // Open addressing over the distinct rows seen so far: a slot per bucket, so the
        // table is never full and, for a trained model (a fifth of its buckets distinct),
        // rarely probed twice.
        let mut seen = vec![0u32; buckets.len().next_power_of_two()];
        let mask = seen.len() - 1;
        let mut packed: Vec<u128> = vec![0];
        let mut numbered = NumberedRows {
            row_of_bucket: Vec::with_capacity(buckets.len()),
            rows: vec![[0; NUM_TAGS]],
        };
        for codes in buckets {
            let row = pack_row(codes);
            // Most buckets hold no feature: the zero row.
            let number = if row == 0 {
                0
            } else {
                let mut slot = row_hash(row) as usize & mask;
                loop {
                    match seen[slot] {
                        0 => {
                            packed.push(row);
                            numbered.rows.push(*codes);
                            let number = (packed.len() - 1) as u32;
                            seen[slot] = number;
                            break number;
                        }
                        number if packed[number as usize] == row => break number,
                        _ => slot = (slot + 1) & mask,
                    }
                }
            };
            numbered.row_of_bucket.push(number);
        }
        numbered
    }
}

impl WeightTable {
    /// The most rows a table keeps numbered (a row number is two bytes).
    const MAX_NUMBERED_ROWS: usize = 1 << 16;

    /// The table of these rows, in the layout their count calls for.
    fn new(numbered: NumberedRows) -> WeightTable {
        let NumberedRows {
            row_of_bucket,
            rows,
        } = numbered;
        if rows.len() <= WeightTable::MAX_NUMBERED_ROWS {
            WeightTable::Numbered {
                row_of_bucket: row_of_bucket.iter().map(|&n| n as u16).collect(),
                rows: rows.into_boxed_slice(),
            }
        } else {
            WeightTable::InPlace(row_of_bucket.iter().map(|&n| rows[n as usize]).collect())
        }
    }

    /// The number of buckets.
    fn buckets(&self) -> usize {
        match self {
            WeightTable::InPlace(codes) => codes.len(),
            WeightTable::Numbered { row_of_bucket, .. } => row_of_bucket.len(),
        }
    }

    /// Every bucket's codes, in order.
    fn bucket_rows(&self) -> Box<dyn ExactSizeIterator<Item = &[i8; NUM_TAGS]> + '_> {
        match self {
            WeightTable::InPlace(codes) => Box::new(codes.iter()),
            WeightTable::Numbered {
                row_of_bucket,
                rows,
            } => Box::new(row_of_bucket.iter().map(|&n| &rows[n as usize])),
        }
    }

    /// Appends the table as the file stores it: the number of distinct rows after the zero
    /// row and their codes, then the byte length of the bucket references and the
    /// references, one per bucket (see [`BucketReference`]). Loading then reads each
    /// distinct row once and a byte or two per bucket, where the codes of every bucket had
    /// to be decompressed (nine bytes each, ten megabytes for English), over half of the
    /// model's load time in the first layouts.
    fn write_rows(&self, out: &mut Vec<u8>) {
        let numbered = NumberedRows::of(self.bucket_rows());
        let stored = &numbered.rows[1..];
        out.extend_from_slice(&(stored.len() as u32).to_le_bytes());
        for row in stored {
            out.extend(row.iter().map(|&code| code as u8));
        }
        let mut references = Vec::with_capacity(2 * numbered.row_of_bucket.len());
        let mut next = 1;
        for &number in &numbered.row_of_bucket {
            let reference = match number {
                0 => BucketReference::Zero,
                _ if number == next => {
                    next += 1;
                    BucketReference::NextRow
                }
                _ => BucketReference::Row(number),
            };
            reference.write(&mut references);
        }
        out.extend_from_slice(&(references.len() as u64).to_le_bytes());
        out.extend_from_slice(&references);
    }

    /// Appends the codes of every bucket in order, as the first two file layouts stored them.
    #[cfg(test)]
    fn write_codes(&self, out: &mut Vec<u8>) {
        for codes in self.bucket_rows() {
            out.extend(codes.iter().map(|&code| code as u8));
        }
    }
}

/// A row's `NUM_TAGS` codes as one number, the first in the lowest byte.
fn pack_row(row: &[i8; NUM_TAGS]) -> u128 {
    let mut bytes = [0u8; 16];
    for (byte, &code) in bytes.iter_mut().zip(row) {
        *byte = code as u8;
    }
    u128::from_le_bytes(bytes)
}

/// The first `NUM_TAGS` bytes of `bytes` as a row of codes.
fn row_of_codes(bytes: &[u8]) -> [i8; NUM_TAGS] {
    std::array::from_fn(|tag| bytes[tag] as i8)
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
        self.add_rows(std::slice::from_ref(&hash), scores);
    }

    /// The rows of every feature are asked for first (a prefetch of each bucket's codes or
    /// row number: the buckets are scattered over a table larger than the fast caches, and
    /// asking for all of them before summing any lets their loads overlap), then summed.
    ///
    /// The sum is taken in integers, in units of [`code_unit`]: a code `c` stands for
    /// `c·|c|` units (see [`decode`]), so the sum is exact, needs no table lookup per code,
    /// and becomes a float once per call. A model scores the same in either layout.
    #[inline]
    fn add_rows(&self, hashes: &[u64], scores: &mut [f32; NUM_TAGS]) {
        let bits = self.bucket_bits;
        // SAFETY (both arms): a 64-bit hash shifted right by `64 - bucket_bits` is below
        // `2^bucket_bits`, the number of buckets (`Model::from_table` asserts it), and every
        // row number is below the number of rows (`NumberedRows::of` numbers only rows it
        // stores, `read_distinct_rows` checks every number it reads). Bounds checks on
        // these reads cost a feature four of its fourteen instructions when they were last
        // counted, in the layout before.
        let units = match &self.table {
            WeightTable::InPlace(codes) => {
                for &hash in hashes {
                    prefetch(codes.as_ptr().wrapping_add(bucket_of(hash, bits)));
                }
                sum_units(
                    hashes
                        .iter()
                        .map(|&hash| unsafe { codes.get_unchecked(bucket_of(hash, bits)) }),
                )
            }
            WeightTable::Numbered {
                row_of_bucket,
                rows,
            } => {
                for &hash in hashes {
                    prefetch(row_of_bucket.as_ptr().wrapping_add(bucket_of(hash, bits)));
                }
                sum_units(hashes.iter().map(|&hash| unsafe {
                    let number = *row_of_bucket.get_unchecked(bucket_of(hash, bits));
                    rows.get_unchecked(usize::from(number))
                }))
            }
        };
        let unit = code_unit(self.max);
        for (score, units) in scores.iter_mut().zip(units) {
            *score += units as f32 * unit;
        }
    }

    #[inline]
    fn prefetch_row(&self, hash: u64) {
        let bucket = bucket_of(hash, self.bucket_bits);
        match &self.table {
            WeightTable::InPlace(codes) => prefetch(codes.as_ptr().wrapping_add(bucket)),
            WeightTable::Numbered { row_of_bucket, .. } => {
                prefetch(row_of_bucket.as_ptr().wrapping_add(bucket))
            }
        }
    }
}

/// The sum of `rows` per tag, in units of [`code_unit`]: eight tags at a time in the vector
/// units where the CPU has AVX2, else one by one; the sums are integers, so both give the
/// same to the bit (a test holds them equal).
#[inline(always)]
fn sum_units<'a>(rows: impl Iterator<Item = &'a [i8; NUM_TAGS]>) -> [i32; NUM_TAGS] {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx2") {
        // SAFETY: the CPU has AVX2, checked just above.
        return unsafe { sum_units_avx2(rows) };
    }
    sum_units_scalar(rows)
}

/// [`sum_units`] one code at a time.
#[inline(always)]
fn sum_units_scalar<'a>(rows: impl Iterator<Item = &'a [i8; NUM_TAGS]>) -> [i32; NUM_TAGS] {
    let mut units = [0i32; NUM_TAGS];
    for row in rows {
        // Squared in 16 bits, where the vector units multiply eight lanes at a time.
        let row: [i16; NUM_TAGS] = std::array::from_fn(|tag| code_units(row[tag]));
        for (units, units_of_tag) in units.iter_mut().zip(row) {
            *units += i32::from(units_of_tag);
        }
    }
    units
}

// The vector sum below takes the first eight tags in one register and the ninth alone.
const _: () = assert!(NUM_TAGS == 9);

/// [`sum_units`] with AVX2: a row's first eight codes widened to 32 bits in one register,
/// squared with their signs (`c·|c|`) and added, the ninth code as [`sum_units_scalar`]
/// takes it. The scalar form cost a feature about twenty instructions, most of the tagging
/// time of a Chinese character (about fifty features each).
///
/// # Safety
/// The CPU must have AVX2.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn sum_units_avx2<'a>(rows: impl Iterator<Item = &'a [i8; NUM_TAGS]>) -> [i32; NUM_TAGS] {
    use std::arch::x86_64::{
        __m128i, __m256i, _mm256_abs_epi32, _mm256_add_epi32, _mm256_cvtepi8_epi32,
        _mm256_mullo_epi32, _mm256_setzero_si256, _mm256_storeu_si256, _mm_loadl_epi64,
    };
    let mut first_eight = _mm256_setzero_si256();
    let mut last = 0i32;
    for row in rows {
        // SAFETY: a row is NUM_TAGS (9) bytes, so its first eight can be read; the load
        // needs no alignment.
        let codes =
            _mm256_cvtepi8_epi32(unsafe { _mm_loadl_epi64(row.as_ptr().cast::<__m128i>()) });
        first_eight = _mm256_add_epi32(
            first_eight,
            _mm256_mullo_epi32(codes, _mm256_abs_epi32(codes)),
        );
        last += i32::from(code_units(row[NUM_TAGS - 1]));
    }
    let mut units = [0i32; NUM_TAGS];
    // SAFETY: `units` holds nine i32, the store writes the first eight, unaligned.
    unsafe { _mm256_storeu_si256(units.as_mut_ptr().cast::<__m256i>(), first_eight) };
    units[NUM_TAGS - 1] = last;
    units
}

/// Asks the CPU to start loading the cache line of `pointer`, which needs not point into
/// anything: a prefetch is a hint and never faults, so the bucket needs no bounds check.
#[inline(always)]
fn prefetch<T>(pointer: *const T) {
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

/// What a code stands for, in units of [`code_unit`]: `c·|c|`, the inverse of [`encode`]'s
/// square root. At most 127² = 16,129, so it fits an `i16`, which vector units multiply
/// eight at a time, and sums of thousands of rows fit an `i32`.
#[inline(always)]
fn code_units(code: i8) -> i16 {
    let code = i16::from(code);
    code * code.abs()
}

/// The weight of one unit of [`code_units`] in a model whose largest weight is `max`.
#[inline(always)]
fn code_unit(max: f32) -> f32 {
    max / (127.0 * 127.0)
}

/// The weight a code stands for.
#[cfg(test)]
fn decode(code: i8, max: f32) -> f32 {
    code_units(code) as f32 * code_unit(max)
}

/// The weight table of the first two file layouts: every bucket's codes in order.
fn read_bucket_codes(reader: &mut StreamReader<impl Read>, buckets: usize) -> Option<WeightTable> {
    let mut codes = Vec::with_capacity(buckets);
    let mut chunk = vec![0u8; NUM_TAGS * 4096];
    let mut left = buckets * NUM_TAGS;
    while left > 0 {
        let n = left.min(chunk.len());
        if !reader.fill(&mut chunk[..n]) {
            return None;
        }
        codes.extend(chunk[..n].chunks_exact(NUM_TAGS).map(row_of_codes));
        left -= n;
    }
    Some(WeightTable::new(NumberedRows::of(codes.iter())))
}

/// The weight table as [`WeightTable::write_rows`] stores it, each bucket given its row's
/// codes. A file whose references name a row not met yet, or leave a stored row unused, is
/// refused: a canonical file has neither, so such a file is damaged.
fn read_distinct_rows(reader: &mut StreamReader<impl Read>, buckets: usize) -> Option<WeightTable> {
    let stored = reader.u32()? as usize;
    // At most one distinct row per bucket: a larger count is damage, and must not reserve
    // memory the file does not hold.
    if stored > buckets {
        return None;
    }
    // Read in pieces larger than the reader's buffer, which then copies nothing.
    const PIECE: usize = 1 << 17;
    let mut piece = vec![0u8; PIECE];
    let mut rows = Vec::with_capacity(stored + 1);
    rows.push([0i8; NUM_TAGS]);
    let mut left = stored;
    while left > 0 {
        let n = left.min(PIECE / NUM_TAGS);
        let bytes = &mut piece[..n * NUM_TAGS];
        if !reader.fill(bytes) {
            return None;
        }
        rows.extend(bytes.chunks_exact(NUM_TAGS).map(row_of_codes));
        left -= n;
    }
    let length = reader.u64()? as usize;
    // At most five bytes per bucket; more is damage, and must not allocate.
    if length > 5 * buckets {
        return None;
    }
    let mut references = vec![0u8; length];
    if !reader.fill(&mut references) {
        return None;
    }
    let mut row_of_bucket = Vec::with_capacity(buckets);
    let (mut at, mut next) = (0, 1u32);
    for _ in 0..buckets {
        let number = match BucketReference::read(&references, &mut at)? {
            BucketReference::Zero => 0,
            BucketReference::NextRow => {
                next += 1;
                next - 1
            }
            // Only a row met before: scoring reads rows by number without bounds checks.
            BucketReference::Row(number) if (1..next).contains(&number) => number,
            BucketReference::Row(_) => return None,
        };
        row_of_bucket.push(number);
    }
    // Every stored row is some bucket's, and every reference byte was read.
    if next as usize != stored + 1 || at != references.len() {
        return None;
    }
    Some(WeightTable::new(NumberedRows {
        row_of_bucket,
        rows,
    }))
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

    proptest::proptest! {
        /// The vector sum of rows is the scalar one, for any codes, -128 included (a file
        /// may hold it though the trainer never writes it).
        #[test]
        fn vector_and_scalar_row_sums_agree(
            rows in proptest::collection::vec(proptest::array::uniform9(proptest::num::i8::ANY), 0..200)
        ) {
            let scalar = sum_units_scalar(rows.iter());
            proptest::prop_assert_eq!(sum_units(rows.iter()), scalar);
            #[cfg(target_arch = "x86_64")]
            if std::arch::is_x86_feature_detected!("avx2") {
                // SAFETY: the CPU has AVX2, checked just above.
                proptest::prop_assert_eq!(unsafe { sum_units_avx2(rows.iter()) }, scalar);
            }
        }
    }

    /// `raw` deflate-compressed, as a model file holds it.
    fn deflate(raw: &[u8]) -> Vec<u8> {
        let mut encoder =
            flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::fast());
        encoder.write_all(raw).unwrap();
        encoder.finish().unwrap()
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
        let good = model.raw_bytes();
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
        let WeightTable::Numbered { rows, .. } = &model.table else {
            panic!("three rows are kept numbered");
        };
        assert_eq!(rows.len(), 3, "the zero row and two distinct ones");
        let raw = model.raw_bytes();
        // The last eight bytes are the references of buckets 0..8: row 1 is met again at
        // bucket 3, and stored once.
        assert_eq!(raw[raw.len() - 8..], [0, 1, 1, 2, 0, 0, 0, 0]);
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

    /// A model with more distinct rows than fit 2-byte numbers keeps every bucket's codes in
    /// place; it round-trips through its file, and a feature scores what its bucket's codes
    /// stand for, as in the numbered layout (`equal_rows_are_stored_once_and_score_as_their_codes`).
    #[test]
    fn many_distinct_rows_are_kept_in_place_and_score_as_their_codes() {
        let bits = 17;
        let weights: Vec<f32> = (0..(1usize << bits) * NUM_TAGS)
            .map(|i| {
                let mixed = (i as u64 ^ 0x5851_F42D).wrapping_mul(0x9E37_79B9_7F4A_7C15);
                ((mixed ^ (mixed >> 29)).wrapping_mul(0xBF58_476D_1CE4_E5B9) >> 56) as f32 - 128.0
            })
            .collect();
        let model = Model::from_weights(bits, &weights, Lexicon::new(), WordTables::default());
        assert!(
            matches!(model.table, WeightTable::InPlace(_)),
            "{} buckets, most rows distinct, are kept in place",
            1 << bits
        );
        assert_eq!(Model::from_bytes(&model.to_bytes()).unwrap(), model);
        for bucket in (0..1u64 << bits).step_by(997) {
            let mut scores = [1f32; NUM_TAGS];
            model.add_row(bucket << (64 - bits), &mut scores);
            for (tag, score) in scores.iter().enumerate() {
                let weight = weights[bucket as usize * NUM_TAGS + tag];
                let coded = decode(encode(weight, model.max), model.max);
                assert_eq!(score.to_bits(), (1.0 + coded).to_bits(), "bucket {bucket}");
            }
        }
    }

    #[test]
    fn a_weight_table_of_the_wrong_size_is_an_error() {
        let model = Model::from_weights(
            4,
            &vec![0.5f32; (1 << 4) * NUM_TAGS],
            Lexicon::new(),
            WordTables::default(),
        );
        let raw = model.raw_bytes();
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
        let raw = model.raw_bytes();
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
