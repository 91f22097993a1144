//! Criterion benches of textpipe stages in a few lines.
//!
//! A team that adds a stage wants to know what it costs before it goes into a pipeline; the
//! answer should not need a page of criterion plumbing per stage. This crate does the three
//! things every stage bench needs:
//!
//! 1. **Fixture documents** ([`Fixture`]): text files, HTML pages, folders and JSON Lines
//!    corpora read the way `textpipe run` reads them, or documents made in code, such as
//!    [`news_documents`]: ~5 KB articles with ~70 sentences and ~110 entities, the shape a
//!    boundary between stages has to carry.
//! 2. **The stage** ([`build_pipeline`]): built from a pipeline-file snippet through a
//!    [`Registry`](textpipe_core::Registry) and, for `plugin` entries, a
//!    [`PluginLoader`](textpipe_core::PluginLoader), so a built-in and a plugin stage are
//!    configured and loaded exactly as in a pipeline file.
//! 3. **The measurement** ([`bench_process`], [`bench_process_batch`]): one criterion
//!    iteration is one pass over the fixture on fresh copies (copying is not timed), with the
//!    throughput set to the fixture's documents *and* bytes at once, so criterion prints
//!    documents per second (`elem/s`) and MB/s (`MiB/s`) from the same samples.
//!
//! Reporting both units from one measurement (criterion's `Throughput::ElementsAndBytes`)
//! rather than benchmarking twice keeps the two numbers consistent and halves the run time.
//!
//! ```no_run
//! use criterion::Criterion;
//! use textpipe_benchkit::{bench_process, build_pipeline, Fixture};
//! # fn registry() -> textpipe_core::Registry { textpipe_core::Registry::new() }
//!
//! fn bench(c: &mut Criterion) {
//!     let fixture = Fixture::load(["benches/fixtures/sentences"]).unwrap();
//!     let stage = build_pipeline(r#"{"stage": "sentences"}"#, &registry(), None).unwrap();
//!     let mut group = c.benchmark_group("sentences");
//!     bench_process(&mut group, "stage", &stage, &fixture);
//!     group.finish();
//! }
//! ```
#![deny(missing_docs)]

mod fixture;
mod measure;
mod news;
mod snippet;

pub use fixture::{Fixture, FixtureError};
pub use measure::{bench_process, bench_process_batch, process_batch, process_each};
pub use news::{news_document, news_documents, NEWS_DOCUMENT_BYTES};
pub use snippet::{build_pipeline, build_pipeline_in, SnippetError};
