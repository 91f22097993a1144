//! Team-built textpipe stages as shared libraries: the SDK that exports a stage, and the host
//! that loads it.
//!
//! # Why a C ABI
//!
//! A team should be able to write a stage in its own crate, build it as a `cdylib`, and name it
//! in a pipeline file without rebuilding textpipe:
//!
//! ```json
//! {"stage": "language-id", "plugin": "plugins/libtextpipe_plugin_language_id.so"}
//! ```
//!
//! Rust has no stable ABI, so passing `Document`s or `Box<dyn Stage>` between two separately
//! compiled binaries is undefined behaviour waiting for a compiler upgrade. Only the C types of
//! [`textpipe_plugin_abi`] cross the boundary: documents go as JSON in batches, answers come
//! back as JSON patches through callbacks the host owns, and every call that enters the
//! stage author's code is wrapped in `catch_unwind`. The price is one JSON round trip per
//! document, kept small at both ends: a stage gets only `id`, `text` and the fields it reads
//! (see [`fields`]; the SDK declares the layers the stage requires or provides, `lang`, `meta`
//! and `ext`), and answers with a patch (`{}` when nothing changed) so a stage that only adds
//! `ext.keywords` does not send the text back (see [`patch`]). The `identity` bench measures it.
//!
//! # Writing a stage (the SDK)
//!
//! A plugin is an ordinary [`StageFactory`](textpipe_core::StageFactory) (a unit struct that
//! derives `Default`) and its [`Stage`](textpipe_core::Stage); [`export_plugin!`] generates the
//! exports. Depend on this crate with `default-features = false`:
//!
//! ```ignore
//! #[derive(Default)]
//! pub struct KeywordsFactory;
//! impl textpipe_core::StageFactory for KeywordsFactory { /* kind, schema, build, ... */ }
//!
//! textpipe_plugin::export_plugin!(KeywordsFactory);
//! ```
//!
//! A stage that panics on a document costs only that document: the SDK reruns the batch one
//! document at a time to find it, and the host turns its error into an error record naming the
//! plugin. A plugin in another language that fails a whole batch (returns the panic status)
//! is narrowed the same way by the host: the documents left without a result are sent again
//! one by one.
//!
//! # Loading stages (the host, feature `host`)
//!
//! [`PluginLibrary::load`] checks the file, the exported ABI version (before anything else) and
//! the descriptor; [`PluginLibrary::factories`] gives one `StageFactory` per stage kind, so
//! plugin stages go into the same registry as built-ins. The host parses each answer, checks
//! that it keeps the id (and the text, unless the stage declares it provides `text`) and that
//! every span is valid; anything else becomes a per-document `StageError`. Libraries are loaded
//! once per path and never unloaded: a stage or a descriptor string may point into them until
//! the process ends. [`check_plugin`] and [`scaffold_stage`] back the `textpipe plugin check`
//! and `textpipe new-stage` commands.
#![deny(missing_docs)]

pub use textpipe_plugin_abi as abi;

pub mod fields;
pub mod patch;
pub mod sdk;

#[cfg(feature = "host")]
pub mod host;

#[cfg(feature = "host")]
pub use host::{
    building::{BuildError, CdylibBuild},
    check::{
        check_plugin, check_plugin_with, hostile_documents, sample_document, CheckOptions,
        CheckStep, HostileOutcome, PluginReport, StageReport,
    },
    library::{PluginError, PluginLibrary, StageInfo},
    load_plugin_factories,
    scaffold::{scaffold_stage, ScaffoldError, ScaffoldReport, TextpipeSource},
    stage::{PluginFactory, PluginStage},
    HostPluginLoader,
};

/// Exports stage factories as a textpipe plugin: the ABI-version function and the descriptor
/// table, with `create` / `process_batch` / `destroy` for each factory, all panic-safe.
///
/// Each factory must be a type implementing `StageFactory + Default`. The short form takes the
/// plugin's name and version from the crate (`CARGO_PKG_NAME`, `CARGO_PKG_VERSION`):
///
/// ```ignore
/// textpipe_plugin::export_plugin!(LanguageIdFactory);
/// textpipe_plugin::export_plugin! {
///     name: "news-tools",
///     version: "1.2.0",
///     stages: [LanguageIdFactory { reads: ["sentences"] }, KeywordsFactory],
/// }
/// ```
///
/// A stage gets `id`, `text`, `lang`, `meta`, `ext` and the layers it requires or provides
/// (see [`fields`]); `{ reads: [...] }` after a factory adds fields it reads without
/// requiring them (a layer it uses when present, `"html"`), or `["*"]` for the whole document.
///
/// Use it once per library: it defines the two exported symbols.
#[macro_export]
macro_rules! export_plugin {
    (name: $name:expr, version: $version:expr,
     stages: [$($factory:ty $({ reads: [$($read:literal),* $(,)?] })?),+ $(,)?] $(,)?) => {
        /// The textpipe plugin ABI version this library was built against.
        #[no_mangle]
        pub extern "C" fn textpipe_plugin_abi_version() -> u32 {
            $crate::abi::ABI_VERSION
        }

        /// The textpipe plugin descriptor of this library.
        #[no_mangle]
        pub extern "C" fn textpipe_plugin_descriptor() -> *const $crate::abi::PluginDescriptor {
            static DESCRIPTOR: $crate::sdk::DescriptorCell = $crate::sdk::DescriptorCell::new();
            DESCRIPTOR.get_or_build(
                $name,
                $version,
                &[$($crate::sdk::StageExports::of::<$factory>()
                    $(.reading(&[$($read),*]))?),+],
            )
        }
    };
    ($($factory:ty),+ $(,)?) => {
        $crate::export_plugin! {
            name: env!("CARGO_PKG_NAME"),
            version: env!("CARGO_PKG_VERSION"),
            stages: [$($factory),+],
        }
    };
}
