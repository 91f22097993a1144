//! zstd inputs: every frame of a stream, in order, as one reader.
//!
//! A `.zst` corpus is often several files joined with `cat`, so a stream may hold many frames
//! (RFC 8878 allows it); skippable frames between them carry no content and are skipped. A
//! frame's checksum, when it has one, is checked at its end, so a damaged file stops with an
//! error instead of feeding corrupted text on. The decoding is pure Rust (`ruzstd`): inputs
//! only need a decoder, and the C library took longer to build than any crate of ours.

use std::io::{self, BufRead, Read};

use ruzstd::decoding::errors::{FrameDecoderError, ReadFrameHeaderError};
use ruzstd::decoding::{BlockDecodingStrategy, FrameDecoder};

/// The four bytes every zstd frame starts with (0xFD2FB528, little-endian).
pub const MAGIC: [u8; 4] = [0x28, 0xb5, 0x2f, 0xfd];

/// The decompressed content of every frame of `source`, one after another.
pub struct ZstdFrames<R> {
    source: R,
    frame: FrameDecoder,
    /// Whether `frame` holds a frame begun and not yet read to its end.
    in_frame: bool,
}

impl<R: BufRead> ZstdFrames<R> {
    pub fn new(source: R) -> Self {
        ZstdFrames {
            source,
            frame: FrameDecoder::new(),
            in_frame: false,
        }
    }

    /// Starts the next frame with content. `false` at the end of the stream.
    fn next_frame(&mut self) -> io::Result<bool> {
        loop {
            if self.source.fill_buf()?.is_empty() {
                return Ok(false);
            }
            match self.frame.reset(&mut self.source) {
                Ok(()) => return Ok(true),
                Err(FrameDecoderError::ReadFrameHeaderError(ReadFrameHeaderError::SkipFrame {
                    length,
                    ..
                })) => {
                    let skipped = io::copy(
                        &mut (&mut self.source).take(u64::from(length)),
                        &mut io::sink(),
                    )?;
                    if skipped < u64::from(length) {
                        return Err(invalid("the stream ends inside a skippable frame"));
                    }
                }
                Err(error) => return Err(invalid(error)),
            }
        }
    }

    /// Fails when the frame just read to its end carried a checksum its content does not match.
    fn check_finished_frame(&self) -> io::Result<()> {
        match (
            self.frame.get_checksum_from_data(),
            self.frame.get_calculated_checksum(),
        ) {
            (Some(stored), Some(computed)) if stored != computed => Err(invalid(format!(
                "a frame's checksum does not match its content ({stored:08x} stored, \
                 {computed:08x} computed): the file is damaged"
            ))),
            _ => Ok(()),
        }
    }
}

impl<R: BufRead> Read for ZstdFrames<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        loop {
            if self.in_frame {
                // Blocks are decoded until some content can be handed out: a frame keeps its
                // last window back until it is finished.
                while self.frame.can_collect() == 0 && !self.frame.is_finished() {
                    self.frame
                        .decode_blocks(&mut self.source, BlockDecodingStrategy::UptoBlocks(1))
                        .map_err(invalid)?;
                }
                let read = self.frame.read(buf)?;
                if read > 0 {
                    return Ok(read);
                }
                self.check_finished_frame()?;
                self.in_frame = false;
            }
            if !self.next_frame()? {
                return Ok(0);
            }
            self.in_frame = true;
        }
    }
}

fn invalid(error: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, error)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Lines `{"id":"d<i>","text":"Residents of Port Ellery voted."}` for `ids`.
    fn docs(ids: std::ops::Range<usize>) -> String {
        ids.map(|i| format!("{{\"id\":\"d{i}\",\"text\":\"Residents of Port Ellery voted.\"}}\n"))
            .collect()
    }

    fn decode(bytes: &[u8]) -> io::Result<Vec<u8>> {
        let mut out = Vec::new();
        ZstdFrames::new(io::BufReader::new(bytes)).read_to_end(&mut out)?;
        Ok(out)
    }

    /// Written by the reference `zstd` command line (1.5.4): `docs(0..20)` and `docs(20..40)`,
    /// each compressed with `zstd -3 --check`, the two files joined with `cat`.
    const REFERENCE_TWO_FRAMES: &[u8] = include_bytes!("testdata/two_frames.jsonl.zst");

    #[test]
    fn frames_of_the_reference_encoder_are_read_one_after_another() {
        let out = decode(REFERENCE_TWO_FRAMES).unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), docs(0..40));
    }

    #[test]
    fn skippable_frames_between_frames_are_skipped() {
        let first_frame_end = REFERENCE_TWO_FRAMES
            .windows(4)
            .skip(1)
            .position(|w| w == MAGIC)
            .unwrap()
            + 1;
        let mut bytes = REFERENCE_TWO_FRAMES[..first_frame_end].to_vec();
        // Magic 0x184D2A5? (any last digit), a 4-byte length, then that many bytes.
        bytes.extend_from_slice(&[0x53, 0x2a, 0x4d, 0x18, 5, 0, 0, 0, 1, 2, 3, 4, 5]);
        bytes.extend_from_slice(&REFERENCE_TWO_FRAMES[first_frame_end..]);
        let out = decode(&bytes).unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), docs(0..40));

        let mut cut = REFERENCE_TWO_FRAMES[..first_frame_end].to_vec();
        cut.extend_from_slice(&[0x50, 0x2a, 0x4d, 0x18, 200, 0, 0, 0, 1, 2, 3]);
        let error = decode(&cut).unwrap_err();
        assert!(error.to_string().contains("skippable frame"), "{error}");
    }

    #[test]
    fn a_damaged_frame_is_an_error_not_text() {
        // The last four bytes are the second frame's checksum.
        let mut bytes = REFERENCE_TWO_FRAMES.to_vec();
        *bytes.last_mut().unwrap() ^= 0x55;
        let error = decode(&bytes).unwrap_err();
        assert_eq!(error.kind(), io::ErrorKind::InvalidData);
        assert!(error.to_string().contains("checksum"), "{error}");

        // A stream cut inside a block, and bytes that are no frame at all after a good one.
        let cut = &REFERENCE_TWO_FRAMES[..REFERENCE_TWO_FRAMES.len() - 20];
        assert!(decode(cut).is_err());
        let mut trailing = REFERENCE_TWO_FRAMES.to_vec();
        trailing.extend_from_slice(b"not a frame");
        assert_eq!(
            decode(&trailing).unwrap_err().kind(),
            io::ErrorKind::InvalidData
        );
    }

    #[test]
    fn an_empty_stream_has_no_content() {
        assert!(decode(&[]).unwrap().is_empty());
    }

    #[test]
    fn what_the_pure_rust_encoder_writes_reads_back() {
        let text = docs(0..500);
        let compressed = ruzstd::encoding::compress_to_vec(
            text.as_bytes(),
            ruzstd::encoding::CompressionLevel::Fastest,
        );
        assert!(compressed.len() < text.len() / 4);
        assert_eq!(decode(&compressed).unwrap(), text.as_bytes());
    }
}
