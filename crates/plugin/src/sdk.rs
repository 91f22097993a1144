//! The plugin side: the `extern "C"` functions that [`export_plugin!`](crate::export_plugin)
//! puts behind the ABI for an ordinary [`StageFactory`] and its [`Stage`].
//!
//! Every function here runs the stage author's code inside `catch_unwind`: a panic must never
//! unwind into the host (that is undefined behaviour across `extern "C"`). When a batch panics,
//! its documents are processed again one by one, each under its own `catch_unwind`, so only the
//! document that panics gets an error and the others still get their results.

use std::any::Any;
use std::ffi::c_void;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::OnceLock;

use serde_json::Value;
use textpipe_core::{BuildContext, Document, Stage, StageFactory};
use textpipe_plugin_abi::{
    ErrorSink, PluginDescriptor, ResultSink, StageDescriptor, StrRef, STATUS_ERROR, STATUS_OK,
    STATUS_PANIC,
};

use crate::fields::Fields;
use crate::patch::write_patch;

/// The ABI functions of one factory type. Factories are unit structs deriving `Default`, so
/// each `extern "C"` function can make its factory without any global state.
pub struct StageExports {
    describe: fn(&[&str]) -> StageDescriptor,
    extra_reads: &'static [&'static str],
}

impl StageExports {
    /// The exports of factory type `F`.
    pub fn of<F: StageFactory + Default + 'static>() -> StageExports {
        StageExports {
            describe: describe::<F>,
            extra_reads: &[],
        }
    }

    /// Declares document fields the stage reads besides those it gets anyway (see
    /// [`Fields::for_stage`]): names as in [`Fields::parse`], `"*"` for all. A wrong name
    /// makes the host refuse the plugin with the name in the message.
    pub fn reading(self, fields: &'static [&'static str]) -> StageExports {
        StageExports {
            extra_reads: fields,
            ..self
        }
    }
}

/// The descriptor of a plugin, built once on first request and kept for the life of the
/// library (its strings are leaked on purpose: the library is never unloaded).
pub struct DescriptorCell {
    cell: OnceLock<Option<LeakedDescriptor>>,
}

struct LeakedDescriptor(&'static PluginDescriptor);
// SAFETY: the descriptor and everything it points to are immutable and live forever.
unsafe impl Send for LeakedDescriptor {}
// SAFETY: as above: shared reads of immutable data.
unsafe impl Sync for LeakedDescriptor {}

impl DescriptorCell {
    /// An empty cell, for a `static`.
    pub const fn new() -> Self {
        DescriptorCell {
            cell: OnceLock::new(),
        }
    }

    /// The descriptor, built on first call; null if building it panicked (the host then
    /// reports the plugin as unable to describe itself).
    pub fn get_or_build(
        &self,
        name: &str,
        version: &str,
        stages: &[StageExports],
    ) -> *const PluginDescriptor {
        let built = self.cell.get_or_init(|| {
            install_quiet_panic_hook();
            catch_unwind(AssertUnwindSafe(|| build_descriptor(name, version, stages))).ok()
        });
        match built {
            Some(LeakedDescriptor(descriptor)) => *descriptor,
            None => std::ptr::null(),
        }
    }
}

impl Default for DescriptorCell {
    fn default() -> Self {
        DescriptorCell::new()
    }
}

fn build_descriptor(name: &str, version: &str, stages: &[StageExports]) -> LeakedDescriptor {
    let stage_pointers: Vec<*const StageDescriptor> = stages
        .iter()
        .map(|stage| {
            Box::leak(Box::new((stage.describe)(stage.extra_reads))) as *const StageDescriptor
        })
        .collect();
    let stage_count = stage_pointers.len();
    let stages = Box::leak(stage_pointers.into_boxed_slice()).as_ptr();
    LeakedDescriptor(Box::leak(Box::new(PluginDescriptor {
        size: std::mem::size_of::<PluginDescriptor>(),
        name: leak_str(name.to_string()),
        version: leak_str(version.to_string()),
        stage_count,
        stages,
    })))
}

fn leak_str(s: String) -> StrRef {
    StrRef::from_str(Box::leak(s.into_boxed_str()))
}

fn describe<F: StageFactory + Default + 'static>(extra_reads: &[&str]) -> StageDescriptor {
    let factory = F::default();
    // The ABI declares layers per kind, the Stage trait per built stage: the default config
    // stands for the kind (every factory must accept it, see `textpipe_testkit::check_factory`).
    let (requires, provides, reads) = match factory.build(&Value::Null, &BuildContext::default()) {
        Ok(stage) => (
            layer_names(stage.requires()),
            layer_names(stage.provides()),
            reads_json(
                Fields::for_stage(stage.requires(), stage.provides()),
                extra_reads,
            ),
        ),
        Err(_) => ("[]".to_string(), "[]".to_string(), Fields::ALL.to_json()),
    };
    StageDescriptor {
        size: std::mem::size_of::<StageDescriptor>(),
        kind: leak_str(factory.kind().to_string()),
        summary: leak_str(factory.summary().to_string()),
        config_schema: leak_str(factory.config_schema().to_string()),
        example_config: leak_str(factory.example().to_string()),
        requires: leak_str(requires),
        provides: leak_str(provides),
        create: create::<F>,
        process_batch,
        destroy,
        reads: leak_str(reads),
    }
}

/// The `reads` of the descriptor: the SDK's fields plus the declared ones. A name that is no
/// field is written as it is, for the host to refuse with a message naming it.
fn reads_json(fields: Fields, extra: &[&str]) -> String {
    let mut names: Vec<String> = serde_json::from_str(&fields.to_json()).unwrap_or_default();
    names.extend(extra.iter().map(|name| name.to_string()));
    serde_json::to_string(&names).unwrap_or_else(|_| Fields::ALL.to_json())
}

fn layer_names(layers: &[textpipe_core::Layer]) -> String {
    let names: Vec<&str> = layers.iter().map(|layer| layer.name()).collect();
    serde_json::to_string(&names).unwrap_or_else(|_| "[]".to_string())
}

/// The handle the host holds: a boxed trait object, boxed again so it is a thin pointer.
type Handle = Box<dyn Stage>;

unsafe extern "C" fn create<F: StageFactory + Default + 'static>(
    config: StrRef,
    base_dir: StrRef,
    handle: *mut *mut c_void,
    errors: *const ErrorSink,
) -> i32 {
    let report = |message: &str| {
        if let Some(sink) = errors.as_ref() {
            (sink.write)(sink.context, message.as_ptr(), message.len());
        }
    };
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        let config: Value = serde_json::from_slice(config.as_bytes())
            .map_err(|e| format!("the config is not valid JSON: {e}"))?;
        let base_dir = String::from_utf8_lossy(base_dir.as_bytes()).into_owned();
        F::default()
            .build(&config, &BuildContext::new(base_dir))
            .map_err(|errors| config_errors_json(&errors))
    }));
    match outcome {
        Ok(Ok(stage)) => {
            let boxed: Box<Handle> = Box::new(stage);
            *handle = Box::into_raw(boxed).cast();
            STATUS_OK
        }
        Ok(Err(message)) => {
            report(&message);
            STATUS_ERROR
        }
        Err(panic) => {
            report(&format!(
                "the stage panicked while being built: {}",
                panic_message(&*panic)
            ));
            STATUS_PANIC
        }
    }
}

/// Config errors as the JSON array the host turns back into `ConfigError`s.
fn config_errors_json(errors: &[textpipe_core::ConfigError]) -> String {
    let items: Vec<Value> = errors
        .iter()
        .map(|e| serde_json::json!({"path": e.path, "message": e.message, "suggestion": e.suggestion}))
        .collect();
    Value::Array(items).to_string()
}

unsafe extern "C" fn process_batch(
    handle: *mut c_void,
    docs: *const StrRef,
    count: usize,
    sink: *const ResultSink,
) -> i32 {
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        let (Some(stage), Some(sink)) = (handle.cast::<Handle>().as_ref(), sink.as_ref()) else {
            return STATUS_ERROR;
        };
        let inputs: &[StrRef] = if count == 0 || docs.is_null() {
            &[]
        } else {
            std::slice::from_raw_parts(docs, count)
        };
        BatchRun {
            stage: &**stage,
            sink,
        }
        .run(inputs);
        STATUS_OK
    }));
    outcome.unwrap_or(STATUS_PANIC)
}

unsafe extern "C" fn destroy(handle: *mut c_void) {
    if !handle.is_null() {
        // Dropping user code may panic too; it must not unwind into the host.
        let _ = catch_unwind(AssertUnwindSafe(|| {
            drop(Box::from_raw(handle.cast::<Handle>()))
        }));
    }
}

/// One call of `process_batch`: parses the documents, runs the stage, reports patches.
struct BatchRun<'a> {
    stage: &'a dyn Stage,
    sink: &'a ResultSink,
}

impl BatchRun<'_> {
    fn run(&self, inputs: &[StrRef]) {
        // Documents that do not parse get their error now and sit out the batch.
        let mut indices = Vec::with_capacity(inputs.len());
        let mut originals = Vec::with_capacity(inputs.len());
        for (index, input) in inputs.iter().enumerate() {
            // SAFETY: the host guarantees each input is valid for the call.
            match serde_json::from_slice::<Document>(unsafe { input.as_bytes() }) {
                Ok(doc) => {
                    indices.push(index);
                    originals.push(doc);
                }
                Err(e) => self.error(
                    index,
                    &format!("the plugin could not read the document: {e}"),
                ),
            }
        }
        let mut docs = originals.clone();
        match catch_unwind(AssertUnwindSafe(|| self.stage.process_batch(&mut docs))) {
            Ok(results) => {
                for (i, result) in results.into_iter().enumerate().take(indices.len()) {
                    self.report(indices[i], &originals[i], &docs[i], result);
                }
            }
            // Find the document that panicked: run each alone on a fresh copy.
            Err(_) => {
                for (i, original) in originals.iter().enumerate() {
                    let mut doc = original.clone();
                    match catch_unwind(AssertUnwindSafe(|| self.stage.process(&mut doc))) {
                        Ok(result) => self.report(indices[i], original, &doc, result),
                        Err(panic) => self.error(
                            indices[i],
                            &format!("the stage panicked: {}", panic_message(&*panic)),
                        ),
                    }
                }
            }
        }
    }

    fn report(
        &self,
        index: usize,
        before: &Document,
        after: &Document,
        result: Result<(), textpipe_core::StageError>,
    ) {
        if let Err(error) = result {
            return self.error(index, &error.to_string());
        }
        let mut patch = Vec::with_capacity(64);
        match write_patch(before, after, &mut patch) {
            // SAFETY: the sink's callbacks copy the bytes before returning.
            Ok(()) => unsafe {
                (self.sink.write_patch)(self.sink.context, index, patch.as_ptr(), patch.len())
            },
            Err(e) => self.error(
                index,
                &format!("the result could not be written as JSON: {e}"),
            ),
        }
    }

    fn error(&self, index: usize, message: &str) {
        // SAFETY: as in `report`.
        unsafe {
            (self.sink.write_error)(self.sink.context, index, message.as_ptr(), message.len())
        }
    }
}

std::thread_local! {
    /// Where the last panic on this thread happened, kept by the quiet hook.
    static LAST_PANIC_LOCATION: std::cell::RefCell<Option<String>> =
        const { std::cell::RefCell::new(None) };
}

/// Replaces the default panic hook of the plugin library, which would print "thread panicked"
/// (and a backtrace) to the host's stderr for a panic that the SDK catches and turns into an
/// error record anyway. A cdylib carries its own copy of std, so this hook governs the plugin's
/// panics only, never the host's. The location is kept for the error message.
fn install_quiet_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        let location = info
            .location()
            .map(|l| format!("{}:{}", l.file(), l.line()));
        LAST_PANIC_LOCATION.with(|last| *last.borrow_mut() = location);
    }));
}

/// The message of a panic payload (`panic!` with a string or a format), else a placeholder,
/// with the panic's location when the quiet hook recorded it.
pub(crate) fn panic_message(payload: &(dyn Any + Send)) -> String {
    let message = if let Some(s) = payload.downcast_ref::<&str>() {
        s.to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "(no message)".to_string()
    };
    match LAST_PANIC_LOCATION.with(|last| last.borrow_mut().take()) {
        Some(location) => format!("{message} (at {location})"),
        None => message,
    }
}
