//! Boilerplate removal: a web page in, the article's text out, and an audit trail of every
//! block that was dropped and why.
//!
//! (Design essay: see the end of the session; filled in below.)
#![deny(missing_docs)]

pub mod block;
pub mod cues;
pub mod dataset;
pub mod extract;
pub mod features;
pub mod html;
pub mod model;
pub mod score;
pub mod stage;
pub mod train;
pub mod words;

pub use extract::{Extraction, Extractor, Overrides};
pub use stage::{BoilerplateConfig, BoilerplateFactory, BoilerplateStage, Mode};
