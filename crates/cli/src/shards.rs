//! Sharded, resumable batch runs: `textpipe run --output-dir DIR --shard I/N`.
//!
//! Each of `N` shards takes a deterministic, disjoint part of the input, and shards `0..N`
//! together cover it exactly once, so `N` processes (on one machine or many, started by any
//! scheduler) can share a corpus without talking to each other:
//!
//! - **by input** when there are at least [`FILES_PER_SHARD`] inputs per shard: input `k` (in
//!   reading order: arguments as given, folders and patterns sorted) belongs to shard
//!   `k mod N`, and a shard never opens the others' files;
//! - **by document id** otherwise: a document belongs to shard `fnv1a64(id) mod N`, where
//!   [`stable_hash`] is 64-bit FNV-1a over the id's UTF-8 bytes, so the split is the same on
//!   every machine, Rust version and process. A record that could not be read and has no id
//!   is hashed by `INPUT:LINE`.
//!
//! A shard's results are written to a temporary file beside the final one, synced, then renamed
//! to `DIR/<shard>.jsonl[.gz]` (a rename within a folder is atomic); then
//! `DIR/stats/<shard>.json` and last the completion marker `DIR/<shard>.done` (written the same
//! way). A rerun skips shards whose marker is there; a run killed at any point before the
//! marker leaves at most a temporary file, which the next run of that shard removes, so a
//! shard is never counted as done with partial output.
//!
//! Two attempts at the same shard may run at once: a retry that overlaps the original, Spark's
//! speculative execution, a scheduler that lost track. Each attempt first takes an exclusive
//! lock on `DIR/.<shard>.lock` (`flock`, which the system releases when a process dies, even
//! by `SIGKILL`), so a second attempt waits for the first and then finds the shard complete,
//! or runs it when the first died. Temporary files carry the attempt's process id and start
//! time besides, so attempts never write into the same file even where locks do not work
//! (some network file systems): the output and the marker are each whole files of one attempt.

use std::fmt;
use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use textpipe_core::{Outcome, Pipeline, RunReport};

use crate::input::{DocumentReader, Record};
use textpipe_runner::{run_shared, JsonLinesSink, RunError, RunOptions};

/// Below this many inputs per shard, shards split by document id instead of by input, so a
/// few large files still spread evenly.
pub const FILES_PER_SHARD: usize = 4;

/// One shard of a corpus: `index` of `count`, written `I/N` on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ShardSpec {
    /// This shard, from 0.
    pub index: u32,
    /// How many shards the corpus is split into.
    pub count: u32,
}

impl ShardSpec {
    /// The whole input as one shard.
    pub const WHOLE: ShardSpec = ShardSpec { index: 0, count: 1 };

    /// The shard's file stem: `00003-of-00007`, so names sort in shard order and shards of a
    /// different split never collide.
    pub fn name(&self) -> String {
        format!("{:05}-of-{:05}", self.index, self.count)
    }

    /// Whether a document with this key (its id) belongs to this shard.
    pub fn owns_key(&self, key: &str) -> bool {
        stable_hash(key.as_bytes()) % u64::from(self.count) == u64::from(self.index)
    }
}

impl fmt::Display for ShardSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

/// A `--shard` value that is not `I/N` with `0 <= I < N`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not a shard: write I/N with 0 <= I < N, e.g. 3/8")]
pub struct BadShardSpec(String);

impl FromStr for ShardSpec {
    type Err = BadShardSpec;

    fn from_str(text: &str) -> Result<Self, BadShardSpec> {
        let bad = || BadShardSpec(text.to_string());
        let (index, count) = text.split_once('/').ok_or_else(bad)?;
        let index: u32 = index.trim().parse().map_err(|_| bad())?;
        let count: u32 = count.trim().parse().map_err(|_| bad())?;
        if count == 0 || index >= count {
            return Err(bad());
        }
        Ok(ShardSpec { index, count })
    }
}

/// 64-bit FNV-1a: a fixed, documented function, unlike `std`'s hasher, whose output may change
/// between Rust versions and is seeded per process.
///
/// ```
/// use textpipe_cli::shards::stable_hash;
/// assert_eq!(stable_hash(b""), 0xcbf29ce484222325);
/// assert_eq!(stable_hash(b"a"), 0xaf63dc4c8601ec8c);
/// ```
pub fn stable_hash(bytes: &[u8]) -> u64 {
    const OFFSET_BASIS: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0000_0100_0000_01b3;
    bytes.iter().fold(OFFSET_BASIS, |hash, &byte| {
        (hash ^ u64::from(byte)).wrapping_mul(PRIME)
    })
}

/// How a corpus is split among shards.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Partition {
    /// Whole inputs go to shards in turn.
    ByInput,
    /// Documents go to shards by a stable hash of their id.
    ById,
}

impl Partition {
    /// The split for `inputs` inputs among `shards` shards.
    pub fn choose(inputs: usize, shards: u32) -> Partition {
        if shards > 1 && inputs >= FILES_PER_SHARD * shards as usize {
            Partition::ByInput
        } else {
            Partition::ById
        }
    }
}

/// Restricts `reader` to the records of `shard`; returns the partition used.
pub fn select_shard(
    mut reader: DocumentReader,
    shard: ShardSpec,
) -> (Partition, Box<dyn Iterator<Item = Record> + Send>) {
    let partition = Partition::choose(reader.input_count(), shard.count);
    if shard.count == 1 {
        return (partition, Box::new(reader));
    }
    match partition {
        Partition::ByInput => {
            let (index, count) = (shard.index as usize, shard.count as usize);
            reader.retain_inputs(|position| position % count == index);
            (partition, Box::new(reader))
        }
        Partition::ById => (
            partition,
            Box::new(reader.filter(move |record| shard.owns_key(&record_key(record)))),
        ),
    }
}

/// What a record is sharded by: its id, or where it was for a record without one.
fn record_key(record: &Record) -> String {
    match record {
        Record::Document(doc) => doc.id.clone(),
        Record::Unreadable(failure) => match (&failure.id, failure.line) {
            (Some(id), _) => id.clone(),
            (None, Some(line)) => format!("{}:{line}", failure.input),
            (None, None) => failure.input.clone(),
        },
    }
}

/// Counts the text and HTML bytes of the documents passing through, for the shard's stats.
pub struct CountingRecords<I> {
    records: I,
    bytes: Arc<AtomicU64>,
}

impl<I> CountingRecords<I> {
    /// Wraps `records`; the total so far is readable through [`CountingRecords::counter`].
    pub fn new(records: I) -> Self {
        CountingRecords {
            records,
            bytes: Arc::new(AtomicU64::new(0)),
        }
    }

    /// The shared byte counter (it keeps counting after the iterator moved to another thread).
    pub fn counter(&self) -> Arc<AtomicU64> {
        Arc::clone(&self.bytes)
    }
}

impl<I: Iterator<Item = Record>> Iterator for CountingRecords<I> {
    type Item = Record;

    fn next(&mut self) -> Option<Record> {
        let record = self.records.next()?;
        if let Record::Document(doc) = &record {
            let size = doc.text.len() + doc.html.as_ref().map_or(0, String::len);
            self.bytes.fetch_add(size as u64, Ordering::Relaxed);
        }
        Some(record)
    }
}

/// What `DIR/stats/<shard>.json` (and the completion marker) hold.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ShardStats {
    /// The shard, `I/N`.
    pub shard: String,
    /// How the corpus was split.
    pub partition: Partition,
    /// The pipeline's name.
    pub pipeline: String,
    /// Input items of this shard (documents and unreadable items).
    pub documents_in: usize,
    /// Documents every stage ran on.
    pub documents_out: usize,
    /// Error records written.
    pub documents_failed: usize,
    /// Text and HTML bytes of the documents read.
    pub bytes_in: u64,
    /// Bytes of the output file (compressed when it is gzipped).
    pub bytes_out: u64,
    /// Wall-clock seconds of the run.
    pub seconds: f64,
    /// Seconds in each stage, summed over threads, in pipeline order.
    pub stage_seconds: Vec<(String, f64)>,
}

impl ShardStats {
    /// The stats of a finished run.
    pub fn new(
        shard: ShardSpec,
        partition: Partition,
        pipeline: &str,
        report: &RunReport,
        bytes_in: u64,
        bytes_out: u64,
    ) -> Self {
        ShardStats {
            shard: shard.to_string(),
            partition,
            pipeline: pipeline.to_string(),
            documents_in: report.read,
            documents_out: report.written,
            documents_failed: report.failed,
            bytes_in,
            bytes_out,
            seconds: report.elapsed.as_secs_f64(),
            stage_seconds: report
                .stage_times()
                .map(|(name, time)| (name.to_string(), time.as_secs_f64()))
                .collect(),
        }
    }
}

/// The files of one shard in an output folder.
#[derive(Debug, Clone)]
pub struct ShardFiles {
    dir: PathBuf,
    shard: ShardSpec,
    gzip: bool,
}

impl ShardFiles {
    /// The files of `shard` in `dir`, gzipped or not.
    pub fn new(dir: &Path, shard: ShardSpec, gzip: bool) -> Self {
        ShardFiles {
            dir: dir.to_path_buf(),
            shard,
            gzip,
        }
    }

    /// `DIR/<shard>.jsonl` or `DIR/<shard>.jsonl.gz`.
    pub fn output(&self) -> PathBuf {
        let extension = if self.gzip { "jsonl.gz" } else { "jsonl" };
        self.dir.join(format!("{}.{extension}", self.shard.name()))
    }

    /// `DIR/<shard>.done`, written last.
    pub fn marker(&self) -> PathBuf {
        self.dir.join(format!("{}.done", self.shard.name()))
    }

    /// `DIR/stats/<shard>.json`.
    pub fn stats(&self) -> PathBuf {
        self.dir
            .join("stats")
            .join(format!("{}.json", self.shard.name()))
    }

    /// A temporary name for `path` that no other attempt uses: `.NAME.PID-NANOS.partial`.
    fn temporary(path: &Path) -> PathBuf {
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |since| since.as_nanos());
        path.with_file_name(format!(".{name}.{}-{nanos}.partial", std::process::id()))
    }

    /// `DIR/.<shard>.lock`, held by the attempt running the shard.
    pub fn lock_file(&self) -> PathBuf {
        self.dir.join(format!(".{}.lock", self.shard.name()))
    }

    /// Removes the temporary files that killed attempts of this shard left; only called with
    /// the shard's lock held, when no other attempt can be writing them.
    fn remove_stale_temporaries(&self) {
        let prefixes = [self.output(), self.marker(), self.stats()].map(|path| {
            let name = path.file_name().unwrap_or_default().to_string_lossy();
            (path.parent().map(Path::to_path_buf), format!(".{name}."))
        });
        for (folder, prefix) in prefixes {
            let Some(entries) = folder.and_then(|folder| fs::read_dir(folder).ok()) else {
                continue;
            };
            for entry in entries.flatten() {
                let name = entry.file_name().to_string_lossy().into_owned();
                if name.starts_with(&prefix) && name.ends_with(".partial") {
                    let _ = fs::remove_file(entry.path());
                }
            }
        }
    }

    /// The stats of a complete shard (its marker and output are both there), or `None`.
    pub fn completed(&self) -> Option<ShardStats> {
        if !self.output().is_file() {
            return None;
        }
        let marker = fs::read(self.marker()).ok()?;
        serde_json::from_slice(&marker).ok()
    }

    /// Starts writing the shard's output to a temporary file (replacing one a killed run left).
    pub fn begin(&self) -> io::Result<ShardWriter> {
        fs::create_dir_all(self.dir.join("stats"))?;
        let temporary = Self::temporary(&self.output());
        let file = BufWriter::with_capacity(1 << 20, File::create(&temporary)?);
        let sink = if self.gzip {
            let level = flate2::Compression::fast();
            Sink::Gzip(flate2::write::GzEncoder::new(file, level))
        } else {
            Sink::Plain(file)
        };
        Ok(ShardWriter {
            sink,
            temporary,
            files: self.clone(),
        })
    }
}

/// A shard's output while it is written; nothing is visible under the final name until
/// [`ShardWriter::commit`].
pub struct ShardWriter {
    sink: Sink,
    temporary: PathBuf,
    files: ShardFiles,
}

enum Sink {
    Plain(BufWriter<File>),
    Gzip(flate2::write::GzEncoder<BufWriter<File>>),
}

impl Write for ShardWriter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match &mut self.sink {
            Sink::Plain(out) => out.write(buf),
            Sink::Gzip(out) => out.write(buf),
        }
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        match &mut self.sink {
            Sink::Plain(out) => out.write_all(buf),
            Sink::Gzip(out) => out.write_all(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match &mut self.sink {
            Sink::Plain(out) => out.flush(),
            Sink::Gzip(out) => out.flush(),
        }
    }
}

impl ShardWriter {
    /// Makes the output durable under its final name, then writes the stats and, last, the
    /// completion marker. `stats` gets the output's size.
    pub fn commit(self, mut stats: ShardStats) -> io::Result<ShardStats> {
        let buffered = match self.sink {
            Sink::Plain(out) => out,
            Sink::Gzip(out) => out.finish()?,
        };
        let file = buffered.into_inner().map_err(|e| e.into_error())?;
        file.sync_all()?;
        stats.bytes_out = file.metadata()?.len();
        drop(file);
        fs::rename(&self.temporary, self.files.output())?;
        let json = serde_json::to_vec_pretty(&stats).map_err(io::Error::other)?;
        write_atomically(&self.files.stats(), &json)?;
        write_atomically(&self.files.marker(), &json)?;
        sync_folder(&self.files.dir);
        Ok(stats)
    }
}

/// Why a shard could not be run or recorded.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ShardError {
    /// A file of the output folder could not be written.
    #[error("shard {shard}: cannot write {}: {source}", .path.display())]
    Write {
        /// The shard.
        shard: ShardSpec,
        /// The file or folder.
        path: PathBuf,
        /// Why.
        source: io::Error,
    },
    /// The run itself stopped.
    #[error("shard {shard}: {source}")]
    Run {
        /// The shard.
        shard: ShardSpec,
        /// Why.
        source: RunError,
    },
    /// `--fail-fast` met a failure: the output is partial, so the shard is not marked done.
    #[error(
        "shard {shard} stopped at its first failed document (--fail-fast); not marked complete"
    )]
    StoppedAtFailure {
        /// The shard.
        shard: ShardSpec,
    },
    /// A stage gave up (a process stage past its `max_restarts`): the shard's output is
    /// incomplete.
    #[error(
        "shard {shard} stopped: stage `{stage}` gave up (its worker kept failing past \
         `max_restarts`); not marked complete"
    )]
    StageGaveUp {
        /// The shard.
        shard: ShardSpec,
        /// The stage.
        stage: String,
    },
}

/// What running a shard did.
#[derive(Debug)]
pub enum ShardOutcome {
    /// The shard was already complete; its recorded stats.
    AlreadyComplete(ShardStats),
    /// The shard ran and is now complete.
    Completed {
        /// What was recorded in the stats file and the marker.
        stats: ShardStats,
        /// The run's report (for the summary on stderr).
        report: RunReport,
    },
}

/// Runs `pipeline` over `shard`'s part of `reader` into `files`, unless it is already complete.
pub fn run_shard(
    pipeline: Arc<Pipeline>,
    reader: DocumentReader,
    shard: ShardSpec,
    files: &ShardFiles,
    options: &RunOptions,
    on_batch: &mut dyn FnMut(usize),
) -> Result<ShardOutcome, ShardError> {
    if let Some(stats) = files.completed() {
        return Ok(ShardOutcome::AlreadyComplete(stats));
    }
    let write_error = |path: PathBuf| {
        move |source| ShardError::Write {
            shard,
            path,
            source,
        }
    };
    fs::create_dir_all(&files.dir).map_err(write_error(files.dir.clone()))?;
    // Held to the end of this function: one attempt at a time runs (and commits) the shard.
    let _lock = ShardLock::acquire(&files.lock_file()).map_err(write_error(files.lock_file()))?;
    if let Some(stats) = files.completed() {
        return Ok(ShardOutcome::AlreadyComplete(stats));
    }
    files.remove_stale_temporaries();
    let mut writer = files.begin().map_err(write_error(files.output()))?;
    let (partition, records) = select_shard(reader, shard);
    let records = CountingRecords::new(records);
    let bytes_in = records.counter();
    let mut sink = JsonLinesSink::new(&mut writer);
    let pipeline_name = pipeline.name().to_string();
    let report = run_shared(
        pipeline,
        records.map(Outcome::from),
        &mut sink,
        options,
        on_batch,
    )
    .map_err(|source| ShardError::Run { shard, source })?;
    if options.fail_fast && report.failed > 0 {
        return Err(ShardError::StoppedAtFailure { shard });
    }
    if let Some(stage) = report.stopped_by {
        return Err(ShardError::StageGaveUp { shard, stage });
    }
    let stats = ShardStats::new(
        shard,
        partition,
        &pipeline_name,
        &report,
        bytes_in.load(Ordering::Relaxed),
        0,
    );
    let stats = writer.commit(stats).map_err(write_error(files.output()))?;
    Ok(ShardOutcome::Completed { stats, report })
}

/// An exclusive lock on a shard's lock file, released when dropped or when the process ends.
struct ShardLock {
    _file: File,
}

impl ShardLock {
    /// Takes the lock, waiting (with a note on stderr) while another attempt holds it.
    fn acquire(path: &Path) -> io::Result<ShardLock> {
        let file = fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(path)?;
        lock_exclusive(&file, path)?;
        Ok(ShardLock { _file: file })
    }
}

#[cfg(unix)]
fn lock_exclusive(file: &File, path: &Path) -> io::Result<()> {
    use std::os::unix::io::AsRawFd;
    let fd = file.as_raw_fd();
    // SAFETY: `fd` is an open descriptor owned by `file` for the duration of the calls.
    if unsafe { libc::flock(fd, libc::LOCK_EX | libc::LOCK_NB) } == 0 {
        return Ok(());
    }
    let error = io::Error::last_os_error();
    if error.kind() != io::ErrorKind::WouldBlock {
        return Err(error);
    }
    crate::log!(
        "textpipe: another run holds {}; waiting for it to finish",
        path.display()
    );
    loop {
        // SAFETY: as above.
        if unsafe { libc::flock(fd, libc::LOCK_EX) } == 0 {
            return Ok(());
        }
        let error = io::Error::last_os_error();
        if error.kind() != io::ErrorKind::Interrupted {
            return Err(error);
        }
    }
}

#[cfg(not(unix))]
fn lock_exclusive(_: &File, _: &Path) -> io::Result<()> {
    // No advisory lock here: attempts still write distinct temporary files and rename them.
    Ok(())
}

/// Writes `bytes` under a temporary name, syncs, and renames it to `path`.
fn write_atomically(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let temporary = ShardFiles::temporary(path);
    let mut file = File::create(&temporary)?;
    file.write_all(bytes)?;
    file.sync_all()?;
    fs::rename(&temporary, path)
}

/// Makes the renames durable. Not every platform can open a folder for syncing; there a
/// crash may still lose a rename, never expose a partial file.
fn sync_folder(dir: &Path) {
    if let Ok(folder) = File::open(dir) {
        let _ = folder.sync_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn shard_specs_parse_and_name() {
        let spec: ShardSpec = "3/7".parse().unwrap();
        assert_eq!(spec, ShardSpec { index: 3, count: 7 });
        assert_eq!(spec.name(), "00003-of-00007");
        for bad in ["7/7", "1/0", "3", "-1/4", "a/b"] {
            assert!(bad.parse::<ShardSpec>().is_err(), "{bad}");
        }
    }

    #[test]
    fn fnv1a_matches_its_published_test_vectors() {
        // From the FNV reference test suite (64-bit FNV-1a).
        assert_eq!(stable_hash(b"foobar"), 0x85944171f73967e8);
        assert_eq!(stable_hash(b"a"), 0xaf63dc4c8601ec8c);
    }

    #[test]
    fn many_inputs_split_by_input_and_few_by_id() {
        assert_eq!(Partition::choose(28, 7), Partition::ByInput);
        assert_eq!(Partition::choose(27, 7), Partition::ById);
        assert_eq!(Partition::choose(100, 1), Partition::ById);
    }

    proptest! {
        // Every id belongs to exactly one shard of any split.
        #[test]
        fn each_id_has_exactly_one_shard(id in "\\PC{0,30}", count in 1u32..20) {
            let owners = (0..count)
                .filter(|&index| ShardSpec { index, count }.owns_key(&id))
                .count();
            prop_assert_eq!(owners, 1);
        }
    }

    #[test]
    fn a_shard_is_complete_only_after_commit() {
        let dir = tempfile::tempdir().unwrap();
        let files = ShardFiles::new(dir.path(), ShardSpec { index: 1, count: 2 }, true);
        let mut writer = files.begin().unwrap();
        writer
            .write_all(b"{\"id\":\"a\",\"text\":\"A.\"}\n")
            .unwrap();
        assert!(files.completed().is_none());
        assert!(!files.output().exists());
        let stats = ShardStats {
            shard: "1/2".into(),
            partition: Partition::ById,
            pipeline: "p".into(),
            documents_in: 1,
            documents_out: 1,
            documents_failed: 0,
            bytes_in: 2,
            bytes_out: 0,
            seconds: 0.0,
            stage_seconds: vec![],
        };
        let stats = writer.commit(stats).unwrap();
        assert!(stats.bytes_out > 0);
        assert_eq!(files.completed(), Some(stats));
        assert!(files.stats().is_file());
        let names: Vec<String> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|name| name.starts_with('.'))
            .collect();
        assert!(names.is_empty(), "temporary files left: {names:?}");
    }
}
