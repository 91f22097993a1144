//! The contract between textpipe and a stage built as a shared library, and nothing else.
//!
//! Rust has no stable ABI: two crates built by different compilers (or the same compiler with
//! other flags) may lay out a `Vec`, a `String` or a trait object differently, and memory
//! allocated by one allocator must not be freed by another. Projects that passed Rust types
//! across `dlopen` boundaries (Bevy's dynamic plugins, for one) crashed on exactly that. So
//! this crate defines a small C ABI, and only C types cross it:
//!
//! - the library exports [`ABI_VERSION_SYMBOL`], a function returning the ABI version it was
//!   built against; the host calls it before anything else and refuses any other version;
//! - it exports [`DESCRIPTOR_SYMBOL`], returning a static [`PluginDescriptor`] that names the
//!   plugin and lists its stages ([`StageDescriptor`]); each table starts with its own size, so
//!   later versions only ever append fields and an old host can read a newer table;
//! - documents cross as JSON in textpipe's output-contract form, in batches, as borrowed
//!   [`StrRef`]s; the plugin answers each document through the host-owned callbacks of a
//!   [`ResultSink`], which copy the bytes, so no allocation is ever freed on the other side;
//! - a stage receives only the fields it declares it reads ([`StageDescriptor::reads`]):
//!   `id` and `text` always, and e.g. `["meta", "sentences"]` besides. A 5 KB article that
//!   carries 110 entities costs a stage that never looks at them nothing for them;
//! - an answer is a *patch*: a JSON object whose top-level keys replace the document's fields
//!   (`ext` is merged key by key; a `null` entry removes one). `{}` means "nothing changed",
//!   which keeps stages that only read cheap to call.
//!
//! The same contract is written for C in `include/textpipe_plugin.h`, with the ownership and
//! threading rules. This crate is versioned on its own and kept tiny: it is what plugins build
//! against. Stage authors in Rust do not use it directly; the `textpipe-plugin` SDK turns an
//! ordinary `impl Stage` into these exports.
//!
//! ```
//! use textpipe_plugin_abi::{StrRef, ABI_VERSION};
//! let s = StrRef::from_str("language-id");
//! assert_eq!(unsafe { s.as_bytes() }, b"language-id");
//! assert!(ABI_VERSION >= 1);
//! ```
#![deny(missing_docs)]

use std::ffi::c_void;

/// The ABI version this crate describes. A host loads only plugins built for the same version.
pub const ABI_VERSION: u32 = 1;

/// Name of the exported `extern "C" fn() -> u32` returning the plugin's ABI version.
pub const ABI_VERSION_SYMBOL: &str = "textpipe_plugin_abi_version";

/// Name of the exported `extern "C" fn() -> *const PluginDescriptor`.
pub const DESCRIPTOR_SYMBOL: &str = "textpipe_plugin_descriptor";

/// Status returned by [`CreateFn`] and [`ProcessBatchFn`]: success.
pub const STATUS_OK: i32 = 0;
/// Status: the call failed; details were written to the error sink (or the batch results).
pub const STATUS_ERROR: i32 = 1;
/// Status: the plugin caught a panic (or another unexpected failure) inside the call.
pub const STATUS_PANIC: i32 = 2;

/// The exported ABI-version function.
pub type AbiVersionFn = unsafe extern "C" fn() -> u32;

/// The exported descriptor function. It returns a pointer to a table that lives as long as the
/// library (the host never unloads it), or null when the plugin cannot describe itself.
pub type DescriptorFn = unsafe extern "C" fn() -> *const PluginDescriptor;

/// Builds a stage from its config: `config` is the JSON `with` object (`null` for none),
/// `base_dir` the folder relative paths in it resolve against. On success the plugin stores an
/// opaque handle in `*handle` and returns [`STATUS_OK`]; otherwise it writes one or more
/// messages to `errors` and returns [`STATUS_ERROR`].
pub type CreateFn = unsafe extern "C" fn(
    config: StrRef,
    base_dir: StrRef,
    handle: *mut *mut c_void,
    errors: *const ErrorSink,
) -> i32;

/// Processes `count` documents (`docs[i]` is one document as JSON) and reports, for each index,
/// either a patch or an error through `sink`. May be called from several threads at once with
/// the same handle. An index left without a report becomes an error for that document.
pub type ProcessBatchFn = unsafe extern "C" fn(
    handle: *mut c_void,
    docs: *const StrRef,
    count: usize,
    sink: *const ResultSink,
) -> i32;

/// Releases a handle made by [`CreateFn`]. Called once, when no call on it is running.
pub type DestroyFn = unsafe extern "C" fn(handle: *mut c_void);

/// Borrowed UTF-8 bytes: valid for the duration of the call that receives them (host to
/// plugin) or for the life of the library (descriptor strings). Never freed by the receiver.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct StrRef {
    /// First byte (may be null when `len` is 0).
    pub ptr: *const u8,
    /// Length in bytes.
    pub len: usize,
}

impl StrRef {
    /// Borrows a string slice. The result must not outlive `s`.
    #[allow(clippy::should_implement_trait)] // not a fallible parse: a borrow
    pub const fn from_str(s: &str) -> StrRef {
        StrRef {
            ptr: s.as_ptr(),
            len: s.len(),
        }
    }

    /// The bytes.
    ///
    /// # Safety
    /// `ptr` must point to `len` readable bytes that stay valid for the chosen lifetime (or
    /// `len` must be 0).
    pub unsafe fn as_bytes<'a>(&self) -> &'a [u8] {
        if self.len == 0 || self.ptr.is_null() {
            &[]
        } else {
            std::slice::from_raw_parts(self.ptr, self.len)
        }
    }
}

/// Host-owned callback receiving error messages (UTF-8) from [`CreateFn`]. A message is plain
/// text, or a JSON array of `{"path": [..], "message": "..", "suggestion": ".."}` objects when
/// the plugin can point at the offending keys.
#[repr(C)]
pub struct ErrorSink {
    /// Opaque host state, passed back to `write`.
    pub context: *mut c_void,
    /// Copies one message; the bytes stay owned by the plugin.
    pub write: unsafe extern "C" fn(context: *mut c_void, message: *const u8, len: usize),
}

/// Host-owned callbacks receiving the per-document results of [`ProcessBatchFn`]. Each copies
/// the bytes it is given before returning. Reporting an index twice keeps the last report;
/// an index out of range is ignored.
#[repr(C)]
pub struct ResultSink {
    /// Opaque host state, passed back to the callbacks.
    pub context: *mut c_void,
    /// Reports the patch (a JSON object, see the crate docs) for document `index`.
    pub write_patch:
        unsafe extern "C" fn(context: *mut c_void, index: usize, json: *const u8, len: usize),
    /// Reports that document `index` failed, with a UTF-8 message.
    pub write_error:
        unsafe extern "C" fn(context: *mut c_void, index: usize, message: *const u8, len: usize),
}

/// Describes one stage kind of a plugin. Lives as long as the library.
#[repr(C)]
#[derive(Debug)]
pub struct StageDescriptor {
    /// `size_of::<StageDescriptor>()` as the plugin was built; fields past it are absent.
    pub size: usize,
    /// The kind name used in pipeline files (`"stage": "keywords"`).
    pub kind: StrRef,
    /// One line saying what the stage does.
    pub summary: StrRef,
    /// JSON Schema of the `with` object.
    pub config_schema: StrRef,
    /// An example `with` object (JSON) that `create` accepts.
    pub example_config: StrRef,
    /// JSON array of layer names the stage needs (`["sentences"]`).
    pub requires: StrRef,
    /// JSON array of layer names the stage writes; `"text"` if it rewrites the text.
    pub provides: StrRef,
    /// Builds a stage from its config.
    pub create: CreateFn,
    /// Processes a batch of documents.
    pub process_batch: ProcessBatchFn,
    /// Releases a stage.
    pub destroy: DestroyFn,
    /// JSON array of the document fields the stage reads besides `id` and `text`, which it
    /// always gets: any of `lang`, `meta`, `html`, `sentences`, `entities`, `summary`,
    /// `removed`, `ext`, `skipped`; `["*"]` for the whole document. The host sends only these,
    /// so a stage must not write back whole a field it did not read (`meta`, a layer): the
    /// patch would replace what it never saw. Appended to version 1 of the table: a
    /// descriptor whose `size` ends before this field, or whose `reads` is empty, gets the
    /// whole document, as before.
    pub reads: StrRef,
}

/// The plugin's table of contents. Lives as long as the library.
#[repr(C)]
#[derive(Debug)]
pub struct PluginDescriptor {
    /// `size_of::<PluginDescriptor>()` as the plugin was built; fields past it are absent.
    pub size: usize,
    /// The plugin's name (usually its crate or library name).
    pub name: StrRef,
    /// The plugin's own version (not the ABI version).
    pub version: StrRef,
    /// Number of entries in `stages`.
    pub stage_count: usize,
    /// Pointers to the stage descriptors (each carries its own size, so it can grow too).
    pub stages: *const *const StageDescriptor,
}

/// Smallest [`StageDescriptor`] a host of this version can use: every field up to `destroy`,
/// the table as first published.
pub const STAGE_DESCRIPTOR_MIN_SIZE: usize = std::mem::offset_of!(StageDescriptor, reads);

/// Size of a [`StageDescriptor`] that has the `reads` field.
pub const STAGE_DESCRIPTOR_READS_SIZE: usize = std::mem::size_of::<StageDescriptor>();

/// The `reads` value that asks for the whole document.
pub const READS_EVERYTHING: &str = "[\"*\"]";

/// Smallest [`PluginDescriptor`] a host of this version can use.
pub const PLUGIN_DESCRIPTOR_MIN_SIZE: usize = std::mem::size_of::<PluginDescriptor>();

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_str_ref_reads_as_empty_even_when_null() {
        let s = StrRef {
            ptr: std::ptr::null(),
            len: 0,
        };
        assert!(unsafe { s.as_bytes() }.is_empty());
    }

    #[test]
    fn header_declares_the_same_version_and_symbols() {
        // The C header is the contract for other languages; it must not drift from this crate.
        let header = include_str!("../include/textpipe_plugin.h");
        assert!(header.contains(&format!(
            "#define TEXTPIPE_PLUGIN_ABI_VERSION {ABI_VERSION}u"
        )));
        assert!(header.contains(ABI_VERSION_SYMBOL));
        assert!(header.contains(DESCRIPTOR_SYMBOL));
        assert!(header.contains(&format!("#define TEXTPIPE_STATUS_PANIC {STATUS_PANIC}")));
    }

    #[test]
    fn descriptor_layout_is_pointer_sized_fields_only() {
        // Every field is a pointer, a usize or a pair of them, so the C struct in the header
        // has the same layout on every platform without padding surprises.
        let word = std::mem::size_of::<usize>();
        assert_eq!(STAGE_DESCRIPTOR_MIN_SIZE, word * (1 + 6 * 2 + 3));
        assert_eq!(STAGE_DESCRIPTOR_READS_SIZE, word * (1 + 6 * 2 + 3 + 2));
        assert_eq!(PLUGIN_DESCRIPTOR_MIN_SIZE, word * (1 + 2 * 2 + 2));
    }
}
