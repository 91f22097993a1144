//! Reading files that a pipeline names (the pipeline file itself, models, gazetteers, weights,
//! abbreviation lists) with a type and a size check first.
//!
//! A path in a config is data someone typed, and a wrong one must fail with a message, not
//! hang or exhaust memory: a FIFO blocks a reader forever, `/dev/zero` never ends, a folder
//! cannot be read as a file, and a multi-gigabyte file read whole takes the machine's memory.
//! So before a file is opened it must be a regular file (symbolic links are followed) no larger
//! than a documented limit, and it is read through [`Read::take`] so a file that grows after
//! the check still stops at the limit.
//!
//! The limits: [`MAX_PIPELINE_FILE_BYTES`] for a pipeline file, [`MAX_CONFIG_FILE_BYTES`] for a
//! file named in a stage's config or a plugin library.
//!
//! ```
//! use textpipe_core::checked_file::{read_to_string_checked, FileCheckError, MAX_CONFIG_FILE_BYTES};
//! let error = read_to_string_checked(std::path::Path::new("."), MAX_CONFIG_FILE_BYTES).unwrap_err();
//! assert!(matches!(error, FileCheckError::Folder));
//! ```

use std::fs::File;
use std::io::Read;
use std::path::Path;

/// The largest pipeline file read: 16 MiB, thousands of times a real one.
pub const MAX_PIPELINE_FILE_BYTES: u64 = 16 << 20;

/// The largest file a stage's config or a plugin entry may name: 2 GiB (the built-in models
/// are a few MiB).
pub const MAX_CONFIG_FILE_BYTES: u64 = 2 << 30;

/// Why a named file was not read. The caller names the file and the entry; these messages
/// say what is wrong with it.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum FileCheckError {
    /// The path names a folder.
    #[error("is a folder, not a file")]
    Folder,
    /// The path names a FIFO, a device, a socket: something that may never end.
    #[error("is a {0}, not a regular file; refusing to read it")]
    NotRegular(&'static str),
    /// The file is larger than the limit for its kind.
    #[error("is {size} bytes, over the limit of {limit} bytes")]
    TooLarge {
        /// Its size (or the bytes read before the limit was passed).
        size: u64,
        /// The limit.
        limit: u64,
    },
    /// The file is not UTF-8 text where text was expected.
    #[error("is not UTF-8 text (first bad byte at offset {0})")]
    NotText(usize),
    /// The system could not stat, open or read it.
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

/// Opens `path` for reading once it is known to be a regular file of at most `limit` bytes.
pub fn open_checked(path: &Path, limit: u64) -> Result<File, FileCheckError> {
    // The type is checked before the open: opening a FIFO for reading blocks until a writer
    // comes. What is opened is checked again, in case the path changed in between.
    check_metadata(&std::fs::metadata(path)?, limit)?;
    let file = File::open(path)?;
    check_metadata(&file.metadata()?, limit)?;
    Ok(file)
}

/// The bytes of `path`, under the checks of [`open_checked`].
pub fn read_checked(path: &Path, limit: u64) -> Result<Vec<u8>, FileCheckError> {
    let file = open_checked(path, limit)?;
    let mut bytes = Vec::new();
    file.take(limit.saturating_add(1)).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(FileCheckError::TooLarge {
            size: bytes.len() as u64,
            limit,
        });
    }
    Ok(bytes)
}

/// The text of `path`, under the checks of [`open_checked`].
pub fn read_to_string_checked(path: &Path, limit: u64) -> Result<String, FileCheckError> {
    String::from_utf8(read_checked(path, limit)?)
        .map_err(|error| FileCheckError::NotText(error.utf8_error().valid_up_to()))
}

fn check_metadata(metadata: &std::fs::Metadata, limit: u64) -> Result<(), FileCheckError> {
    let kind = metadata.file_type();
    if kind.is_dir() {
        return Err(FileCheckError::Folder);
    }
    if !kind.is_file() {
        return Err(FileCheckError::NotRegular(special_kind(&kind)));
    }
    if metadata.len() > limit {
        return Err(FileCheckError::TooLarge {
            size: metadata.len(),
            limit,
        });
    }
    Ok(())
}

#[cfg(unix)]
fn special_kind(kind: &std::fs::FileType) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    if kind.is_fifo() {
        "FIFO (named pipe)"
    } else if kind.is_char_device() || kind.is_block_device() {
        "device"
    } else if kind.is_socket() {
        "socket"
    } else {
        "special file"
    }
}

#[cfg(not(unix))]
fn special_kind(_: &std::fs::FileType) -> &'static str {
    "special file"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_regular_file_within_the_limit_is_read() {
        let dir = std::env::temp_dir().join(format!("checked-file-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("list.txt");
        std::fs::write(&path, "Dr.\nMr.\n").unwrap();
        assert_eq!(read_to_string_checked(&path, 100).unwrap(), "Dr.\nMr.\n");
        let error = read_to_string_checked(&path, 4).unwrap_err();
        assert!(matches!(
            error,
            FileCheckError::TooLarge { size: 8, limit: 4 }
        ));
        std::fs::write(&path, b"ok \xff").unwrap();
        assert!(matches!(
            read_to_string_checked(&path, 100).unwrap_err(),
            FileCheckError::NotText(3)
        ));
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[cfg(unix)]
    #[test]
    fn devices_and_folders_are_refused_without_reading() {
        let error = read_checked(Path::new("/dev/zero"), 1 << 20).unwrap_err();
        assert!(
            matches!(error, FileCheckError::NotRegular("device")),
            "{error}"
        );
        let error = read_checked(Path::new("/"), 1 << 20).unwrap_err();
        assert!(matches!(error, FileCheckError::Folder), "{error}");
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn a_fifo_is_refused_instead_of_blocking() {
        let dir = std::env::temp_dir().join(format!("checked-fifo-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let fifo = dir.join("pipe");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        if !made.is_ok_and(|status| status.success()) {
            eprintln!("SKIPPED: mkfifo is not available");
            return;
        }
        let error = read_checked(&fifo, 1 << 20).unwrap_err();
        assert!(matches!(error, FileCheckError::NotRegular(kind) if kind.starts_with("FIFO")));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
