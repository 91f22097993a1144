//! A plugin's stage kinds as ordinary [`StageFactory`]s and [`Stage`]s, so the registry, the
//! pipeline and the runner cannot tell them from built-ins.

use std::ffi::c_void;

use serde::Deserialize;
use serde_json::Value;
use textpipe_core::{BuildContext, ConfigError, Document, Layer, Stage, StageError, StageFactory};
use textpipe_plugin_abi::{ErrorSink, ResultSink, StrRef, STATUS_ERROR, STATUS_OK, STATUS_PANIC};

use crate::fields::write_document;
use crate::host::library::{PluginLibrary, StageInfo};
use crate::patch::DocumentPatch;

/// Builds stages of one kind of a plugin by calling the plugin's `create`.
pub struct PluginFactory {
    library: PluginLibrary,
    index: usize,
}

impl PluginFactory {
    pub(crate) fn new(library: PluginLibrary, index: usize) -> Self {
        PluginFactory { library, index }
    }

    fn info(&self) -> &StageInfo {
        &self.library.stages()[self.index]
    }

    /// The library this kind comes from.
    pub fn library(&self) -> &PluginLibrary {
        &self.library
    }
}

impl StageFactory for PluginFactory {
    fn kind(&self) -> &str {
        &self.info().kind
    }

    fn summary(&self) -> &str {
        &self.info().summary
    }

    fn config_schema(&self) -> Value {
        self.info().config_schema.clone()
    }

    fn example(&self) -> Value {
        self.info().example.clone()
    }

    fn build(
        &self,
        config: &Value,
        ctx: &BuildContext,
    ) -> Result<Box<dyn Stage>, Vec<ConfigError>> {
        let info = self.info();
        let config = config.to_string();
        let base_dir = ctx.base_dir.to_string_lossy();
        let mut messages: Vec<String> = Vec::new();
        let sink = ErrorSink {
            context: (&mut messages as *mut Vec<String>).cast(),
            write: collect_error,
        };
        let mut handle: *mut c_void = std::ptr::null_mut();
        // SAFETY: the strings and the sink outlive the call; `create` has the ABI's signature.
        let status = unsafe {
            (info.raw.create)(
                StrRef::from_str(&config),
                StrRef::from_str(&base_dir),
                &mut handle,
                &sink,
            )
        };
        let origin = format!("plugin `{}` ({})", info.kind, self.library.file_name());
        if status == STATUS_OK && !handle.is_null() {
            return Ok(Box::new(PluginStage {
                origin,
                library: self.library.clone(),
                index: self.index,
                handle,
            }));
        }
        if messages.is_empty() {
            messages.push(format!(
                "the plugin refused the config (status {status}) without saying why"
            ));
        }
        Err(messages
            .iter()
            .flat_map(|m| config_errors(m, &origin))
            .collect())
    }
}

/// The plugin's config messages as `ConfigError`s: structured when the plugin sent the JSON
/// form (paths and suggestions survive the boundary), else one error with the plain message.
fn config_errors(message: &str, origin: &str) -> Vec<ConfigError> {
    #[derive(Deserialize)]
    struct Structured {
        #[serde(default)]
        path: Vec<String>,
        message: String,
        #[serde(default)]
        suggestion: Option<String>,
    }
    match serde_json::from_str::<Vec<Structured>>(message) {
        Ok(items) if !items.is_empty() => items
            .into_iter()
            .map(|item| ConfigError {
                path: item.path,
                message: format!("{} [{origin}]", item.message),
                suggestion: item.suggestion,
            })
            .collect(),
        _ => vec![ConfigError::at(&[], format!("{message} [{origin}]"))],
    }
}

unsafe extern "C" fn collect_error(context: *mut c_void, message: *const u8, len: usize) {
    // SAFETY: `context` is the `Vec<String>` set up in `build`, alive during the call.
    let messages = &mut *context.cast::<Vec<String>>();
    let bytes = StrRef { ptr: message, len }.as_bytes();
    messages.push(String::from_utf8_lossy(bytes).into_owned());
}

/// A stage living in a plugin, driven through its handle.
pub struct PluginStage {
    /// ``plugin `kind` (libfile.so)``, the prefix of every error this stage reports.
    origin: String,
    library: PluginLibrary,
    index: usize,
    handle: *mut c_void,
}

// SAFETY: the ABI requires `process_batch` to be callable from several threads at once on one
// handle (the SDK guarantees it through `Stage: Send + Sync`); `destroy` runs in `Drop`, when
// no call can be running.
unsafe impl Send for PluginStage {}
// SAFETY: as above.
unsafe impl Sync for PluginStage {}

impl Drop for PluginStage {
    fn drop(&mut self) {
        // SAFETY: the handle came from this descriptor's `create` and is released once.
        unsafe { (self.info().raw.destroy)(self.handle) }
    }
}

/// One document's answer, as the host-owned callbacks collect it.
enum Answer {
    Missing,
    Patch(Vec<u8>),
    Error(String),
}

unsafe extern "C" fn collect_patch(
    context: *mut c_void,
    index: usize,
    json: *const u8,
    len: usize,
) {
    // SAFETY: `context` is the answer vector of the running `process_batch` call.
    let answers = &mut *context.cast::<Vec<Answer>>();
    if let Some(slot) = answers.get_mut(index) {
        *slot = Answer::Patch(StrRef { ptr: json, len }.as_bytes().to_vec());
    }
}

unsafe extern "C" fn collect_doc_error(
    context: *mut c_void,
    index: usize,
    message: *const u8,
    len: usize,
) {
    // SAFETY: as in `collect_patch`.
    let answers = &mut *context.cast::<Vec<Answer>>();
    if let Some(slot) = answers.get_mut(index) {
        let bytes = StrRef { ptr: message, len }.as_bytes();
        *slot = Answer::Error(String::from_utf8_lossy(bytes).into_owned());
    }
}

impl PluginStage {
    fn info(&self) -> &StageInfo {
        &self.library.stages()[self.index]
    }

    fn failure(&self, message: impl std::fmt::Display) -> StageError {
        StageError::Failed(format!("{}: {message}", self.origin))
    }

    /// One `process_batch` call into the plugin: its status and one answer per document.
    fn call(&self, docs: &[Document]) -> (i32, Vec<Answer>) {
        let reads = self.info().reads;
        let mut inputs = Vec::with_capacity(docs.len());
        for doc in docs {
            let mut json = Vec::with_capacity(doc.text.len() + 256);
            write_document(doc, reads, &mut json);
            inputs.push(json);
        }
        let refs: Vec<StrRef> = inputs
            .iter()
            .map(|bytes| StrRef {
                ptr: bytes.as_ptr(),
                len: bytes.len(),
            })
            .collect();
        let mut answers: Vec<Answer> = docs.iter().map(|_| Answer::Missing).collect();
        let sink = ResultSink {
            context: (&mut answers as *mut Vec<Answer>).cast(),
            write_patch: collect_patch,
            write_error: collect_doc_error,
        };
        // SAFETY: inputs and sink outlive the call; the handle is alive until `Drop`.
        let status = unsafe {
            (self.info().raw.process_batch)(self.handle, refs.as_ptr(), refs.len(), &sink)
        };
        (status, answers)
    }

    fn apply_all(
        &self,
        status: i32,
        answers: Vec<Answer>,
        docs: &mut [Document],
    ) -> Vec<Result<(), StageError>> {
        answers
            .into_iter()
            .zip(docs.iter_mut())
            .map(|(answer, doc)| self.apply_one(status, answer, doc))
            .collect()
    }

    /// Applies the answer of a call with `status`; a document left without one failed with it.
    fn apply_one(&self, status: i32, answer: Answer, doc: &mut Document) -> Result<(), StageError> {
        match answer {
            Answer::Missing if status != STATUS_OK => Err(self.failure(format_args!(
                "the plugin failed on this document ({}) and gave no result",
                status_name(status)
            ))),
            answer => self.apply(answer, doc),
        }
    }

    /// Applies one answer to its document, refusing patches that would break it.
    fn apply(&self, answer: Answer, doc: &mut Document) -> Result<(), StageError> {
        let json = match answer {
            Answer::Patch(json) => json,
            Answer::Error(message) => return Err(self.failure(message)),
            Answer::Missing => {
                return Err(self.failure("the plugin returned no result for this document"))
            }
        };
        let patch: DocumentPatch = serde_json::from_slice(&json)
            .map_err(|e| self.failure(format_args!("the plugin answered invalid JSON: {e}")))?;
        if patch.id.as_ref().is_some_and(|id| *id != doc.id) {
            return Err(self.failure("the plugin changed the document id"));
        }
        if patch.rewrites_text(doc) && !self.info().provides.contains(&Layer::Text) {
            return Err(self.failure(
                "the plugin rewrote the text but does not declare that it provides `text`",
            ));
        }
        // Spans the patch does not touch were the host's before the call: only check again
        // when the text or a span layer changed (most plugins only add to `ext`).
        let touches_spans = patch.touches_spans();
        let undo = patch.apply(doc);
        if !touches_spans {
            return Ok(());
        }
        if let Err(error) = doc.check_spans() {
            undo.apply(doc);
            return Err(self.failure(format_args!("the plugin wrote a broken span: {error}")));
        }
        Ok(())
    }
}

/// A status code as the header names it, for error records.
fn status_name(status: i32) -> String {
    match status {
        STATUS_PANIC => "status 2, TEXTPIPE_STATUS_PANIC".to_string(),
        STATUS_ERROR => "status 1, TEXTPIPE_STATUS_ERROR".to_string(),
        other => format!("status {other}"),
    }
}

impl Stage for PluginStage {
    fn name(&self) -> &str {
        &self.info().kind
    }

    fn process(&self, doc: &mut Document) -> Result<(), StageError> {
        self.process_batch(std::slice::from_mut(doc))
            .pop()
            .unwrap_or_else(|| Err(self.failure("no result")))
    }

    fn process_batch(&self, docs: &mut [Document]) -> Vec<Result<(), StageError>> {
        let (status, answers) = self.call(docs);
        if status == STATUS_OK || docs.len() == 1 {
            return self.apply_all(status, answers, docs);
        }
        // The batch failed as a whole: keep the answers the plugin gave before it failed and
        // run each document left without one alone, as the Rust SDK does after a panic, so
        // only the document that makes the plugin fail gets an error record and the other
        // documents of the batch go on.
        answers
            .into_iter()
            .zip(docs.iter_mut())
            .map(|(answer, doc)| match answer {
                Answer::Missing => {
                    let (status, mut alone) = self.call(std::slice::from_ref(doc));
                    let answer = alone.pop().unwrap_or(Answer::Missing);
                    self.apply_one(status, answer, doc)
                }
                answer => self.apply(answer, doc),
            })
            .collect()
    }

    fn requires(&self) -> &[Layer] {
        &self.info().requires
    }

    fn provides(&self) -> &[Layer] {
        &self.info().provides
    }
}
