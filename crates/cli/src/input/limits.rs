//! Limits on what one input may hold, so hostile input ends in an error record and never in
//! an out-of-memory: the largest document, and the most bytes a compressed input may inflate
//! to (a compression bomb stops with an error naming the limit).

use std::fmt;
use std::io::{self, BufRead, Read};

/// The limits a run reads its inputs under (`--max-document-size`, `--max-input-size`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InputLimits {
    /// The largest document, in bytes: a text or HTML file, a JSON line, a WARC record's
    /// payload. A larger one becomes an error record naming it; it is never held in memory.
    pub max_document_bytes: u64,
    /// The most bytes one compressed input (gzip, zstd) may decompress to. Past it, the input
    /// stops with an error record; plain inputs are not limited (their size is on disk).
    pub max_decompressed_bytes: u64,
}

impl InputLimits {
    /// 64 MiB: far above any real article or web page, low enough that a batch of them fits in
    /// memory on every core.
    pub const DEFAULT_MAX_DOCUMENT_BYTES: u64 = 64 << 20;
    /// 32 GiB: above the decompressed size of any Common Crawl WARC file (about 5 GB) or of
    /// the usual JSON Lines shard, and reached by a bomb in seconds rather than hours.
    pub const DEFAULT_MAX_DECOMPRESSED_BYTES: u64 = 32 << 30;
}

impl Default for InputLimits {
    fn default() -> Self {
        InputLimits {
            max_document_bytes: Self::DEFAULT_MAX_DOCUMENT_BYTES,
            max_decompressed_bytes: Self::DEFAULT_MAX_DECOMPRESSED_BYTES,
        }
    }
}

/// A byte count as people write it: `1048576`, `512K`, `64M`, `32G` (powers of 1024; a
/// trailing `B` or `iB` is accepted).
///
/// ```
/// use textpipe_cli::input::parse_byte_size;
/// assert_eq!(parse_byte_size("64M"), Ok(64 << 20));
/// assert_eq!(parse_byte_size("1.5KiB"), Ok(1536));
/// assert!(parse_byte_size("lots").is_err());
/// ```
pub fn parse_byte_size(text: &str) -> Result<u64, String> {
    let text = text.trim();
    let digits_end = text
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(digits_end);
    let number: f64 = number
        .parse()
        .map_err(|_| format!("`{text}` is not a size (examples: 1048576, 512K, 64M, 32G)"))?;
    let unit = unit.trim().to_ascii_uppercase();
    let unit = unit
        .strip_suffix("IB")
        .or_else(|| unit.strip_suffix('B'))
        .unwrap_or(&unit);
    let scale: u64 = match unit {
        "" => 1,
        "K" => 1 << 10,
        "M" => 1 << 20,
        "G" => 1 << 30,
        "T" => 1 << 40,
        _ => return Err(format!("unknown unit in `{text}` (use K, M, G or T)")),
    };
    let bytes = number * scale as f64;
    if !(1.0..=u64::MAX as f64).contains(&bytes) {
        return Err(format!("`{text}` is not a size of at least one byte"));
    }
    Ok(bytes as u64)
}

/// `bytes` for people: `64 MiB`, `1.5 KiB`, `512 bytes`.
pub(crate) fn human_bytes(bytes: u64) -> String {
    const UNITS: [(&str, u64); 4] = [
        ("TiB", 1 << 40),
        ("GiB", 1 << 30),
        ("MiB", 1 << 20),
        ("KiB", 1 << 10),
    ];
    for (name, size) in UNITS {
        if bytes >= size {
            let value = bytes as f64 / size as f64;
            // Sizes are powers of two, so the low bits tell whether `bytes` is a whole number of them.
            return if bytes & (size - 1) == 0 {
                format!("{} {name}", bytes / size)
            } else {
                format!("{value:.1} {name}")
            };
        }
    }
    format!("{bytes} bytes")
}

/// The read error of a compressed input that inflated past its limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DecompressedTooLarge {
    /// The limit that was passed.
    pub limit: u64,
}

impl fmt::Display for DecompressedTooLarge {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "decompressed input passed the limit of {} (--max-input-size); a compression bomb, \
             or raise the limit",
            human_bytes(self.limit)
        )
    }
}

impl std::error::Error for DecompressedTooLarge {}

/// A decompressed stream that fails once more than `limit` bytes came out of it.
pub(super) struct DecompressedLimit<R> {
    inner: R,
    produced: u64,
    limit: u64,
}

impl<R> DecompressedLimit<R> {
    pub fn new(inner: R, limit: u64) -> Self {
        DecompressedLimit {
            inner,
            produced: 0,
            limit,
        }
    }
}

impl<R: Read> Read for DecompressedLimit<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.produced > self.limit {
            return Err(io::Error::other(DecompressedTooLarge { limit: self.limit }));
        }
        let n = self.inner.read(buf)?;
        self.produced += n as u64;
        if self.produced > self.limit {
            return Err(io::Error::other(DecompressedTooLarge { limit: self.limit }));
        }
        Ok(n)
    }
}

/// The message of a document over the size limit.
pub(super) fn too_large_message(size: Option<u64>, limit: u64) -> String {
    let size = size.map_or_else(|| "more than the limit".to_string(), human_bytes);
    format!(
        "document too large: {size} > {} (--max-document-size)",
        human_bytes(limit)
    )
}

/// Appends bytes of `reader` to `buffer` up to and including the next `\n`, or until `most`
/// bytes were read, or to the end: `read_until(b'\n')` on `reader.take(most)`, with the newline
/// found by `memchr`'s vectorised search (the standard library's byte search took a byte or
/// more of work per byte of input, on every line of a corpus). Returns the bytes read.
pub(super) fn read_until_newline(
    reader: &mut dyn BufRead,
    buffer: &mut Vec<u8>,
    most: u64,
) -> std::io::Result<usize> {
    let mut read = 0usize;
    loop {
        let available = match reader.fill_buf() {
            Ok(available) => available,
            Err(error) if error.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(error) => return Err(error),
        };
        let room = usize::try_from(most - read as u64).unwrap_or(usize::MAX);
        let window = &available[..available.len().min(room)];
        let (used, found) = match memchr::memchr(b'\n', window) {
            Some(newline) => (newline + 1, true),
            None => (window.len(), false),
        };
        buffer.extend_from_slice(&window[..used]);
        reader.consume(used);
        read += used;
        if found || used == 0 {
            return Ok(read);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_parse_with_binary_units() {
        assert_eq!(parse_byte_size("10"), Ok(10));
        assert_eq!(parse_byte_size("2k"), Ok(2048));
        assert_eq!(parse_byte_size("64 MiB"), Ok(64 << 20));
        assert_eq!(parse_byte_size("32GB"), Ok(32 << 30));
        assert!(parse_byte_size("0").is_err());
        assert!(parse_byte_size("3X").is_err());
        assert!(parse_byte_size("").is_err());
    }

    #[test]
    fn sizes_print_for_people() {
        assert_eq!(human_bytes(64 << 20), "64 MiB");
        assert_eq!(human_bytes(1536), "1.5 KiB");
        assert_eq!(human_bytes(12), "12 bytes");
    }

    #[test]
    fn a_stream_fails_once_past_its_limit() {
        let mut limited = DecompressedLimit::new(&[7u8; 100][..], 60);
        let mut out = Vec::new();
        let error = limited.read_to_end(&mut out).unwrap_err();
        assert!(error.to_string().contains("--max-input-size"), "{error}");
        let mut exact = DecompressedLimit::new(&[7u8; 60][..], 60);
        assert_eq!(exact.read_to_end(&mut Vec::new()).unwrap(), 60);
    }

    #[test]
    fn newline_reads_match_read_until_on_take() {
        let text = b"{\"a\":1}\n\n{\"b\":\"two\"}\nno newline at the end";
        for capacity in [1, 2, 3, 7, 64] {
            for most in [0, 1, 5, 9, 10, 11, 40, u64::MAX] {
                let mut ours = std::io::BufReader::with_capacity(capacity, &text[..]);
                let mut theirs = std::io::BufReader::with_capacity(capacity, &text[..]);
                loop {
                    let (mut a, mut b) = (Vec::new(), Vec::new());
                    let n = read_until_newline(&mut ours, &mut a, most).unwrap();
                    let m = (&mut theirs).take(most).read_until(b'\n', &mut b).unwrap();
                    assert_eq!((n, &a), (m, &b), "capacity {capacity}, most {most}");
                    if n == 0 {
                        break;
                    }
                }
            }
        }
    }
}
