//! Stages in their own processes: programs in any language, and native plugins isolated from
//! the run, so that no stage can take a run down.
//!
//! # Why processes
//!
//! An in-process plugin shares the address space of the run: a segfault, an `abort()` or an
//! endless loop in it ends or hangs the whole run and loses finished work. And only languages
//! that export C functions can write one, while most teams that mine news text write Python.
//! A stage in its own process answers both: it is written in anything that reads and writes
//! lines, and when it dies only the document it was working on is lost.
//!
//! ```json
//! {"stage": "quotes", "command": ["python3", "stages/quotes.py"], "timeout": 10}
//! {"stage": "keywords", "plugin": "libkeywords.so", "isolate": true}
//! ```
//!
//! # How it works
//!
//! The program speaks the JSON Lines [`protocol`]: a hello (version, stage name, config
//! schema, requires/provides, the fields it reads), its config, then one answer per document,
//! a *patch* of what changed (as native plugins answer). The host checks every answer as it
//! checks a native plugin's: the id is kept, only declared layers change, every span is on
//! char boundaries; anything else fails that document alone. A stage is sent only the fields
//! it declares it reads, and sends back only what it changed, so the boundary costs little
//! more than writing the text once (see `benches/boundary.rs`).
//!
//! [`ProcessStage`] keeps a pool of worker processes, one per run thread that needs one,
//! started on demand. A batch goes to one worker in one write, and the answers are read back
//! with a per-document deadline (the entry's `timeout`, [`DEFAULT_TIMEOUT`] otherwise). When a
//! worker crashes, is killed, or misses the deadline, the first document without an answer
//! fails with an error record naming the signal or the timeout, the worker is replaced, and
//! the rest of the batch goes to the new one. After `max_restarts` lost workers
//! ([`DEFAULT_MAX_RESTARTS`]) the stage stops: it says so once on stderr and every later
//! document becomes an error record at once, so the run ends quickly with everything finished
//! written. `max_memory` caps each worker's address space, so a leaking stage dies alone.
//!
//! Native plugins with `"isolate": true` run in `textpipe-plugin-host`, a small program that
//! loads the library with `textpipe-plugin` and speaks the same protocol ([`plugin_host`]).
//! Without it they stay in process, on the fast path.
//!
//! Front-ends pass [`StageLoader`] to `PipelineFile::build`; it loads in-process plugins as
//! `textpipe_plugin::HostPluginLoader` does and starts everything else.
#![deny(missing_docs)]

mod loader;
pub mod plugin_host;
pub mod protocol;
mod stage;
pub mod worker;

pub use loader::{StageLoader, PLUGIN_HOST_PROGRAM};
pub use stage::{ProcessFactory, ProcessStage, DEFAULT_MAX_RESTARTS, DEFAULT_TIMEOUT};
