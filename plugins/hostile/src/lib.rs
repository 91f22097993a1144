//! A plugin stage that misbehaves on a trigger document: segfault, `abort()`, an endless loop
//! or an endless leak. It exists for textpipe's isolation tests, which run it with
//! `"isolate": true` and check that only the trigger documents fail.
//!
//! Every other document gets `ext.hostile` = its number of characters, so the tests can see
//! that the stage did run on them.
#![deny(missing_docs)]

use serde::Deserialize;
use serde_json::{json, Value};
use textpipe_core::{
    parse_config, BuildContext, ConfigError, Document, Stage, StageError, StageFactory,
};

/// What the stage does to a trigger document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Behaviour {
    /// Writes through a null pointer.
    Segfault,
    /// Calls `abort()`.
    Abort,
    /// Spins forever.
    Loop,
    /// Allocates and touches memory until the allocator fails.
    Leak,
}

/// The `hostile` stage's config.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HostileConfig {
    /// What to do to a trigger document.
    pub behaviour: Behaviour,
    /// Text that makes a document a trigger.
    #[serde(default = "default_marker")]
    pub marker: String,
}

fn default_marker() -> String {
    "HOSTILE".into()
}

/// Builds `hostile` stages.
#[derive(Debug, Default)]
pub struct HostileFactory;

impl StageFactory for HostileFactory {
    fn kind(&self) -> &str {
        "hostile"
    }

    fn summary(&self) -> &str {
        "Crashes, aborts, hangs or leaks on documents containing a marker (for isolation tests)"
    }

    fn config_schema(&self) -> Value {
        json!({"type": "object", "properties": {
            "behaviour": {"type": "string", "enum": ["segfault", "abort", "loop", "leak"],
                          "description": "what to do to a trigger document"},
            "marker": {"type": "string", "default": "HOSTILE",
                       "description": "text that makes a document a trigger"}}})
    }

    fn example(&self) -> Value {
        json!({"behaviour": "abort"})
    }

    fn build(&self, config: &Value, _: &BuildContext) -> Result<Box<dyn Stage>, Vec<ConfigError>> {
        let config: HostileConfig = parse_config(config)?;
        Ok(Box::new(Hostile { config }))
    }
}

/// The `hostile` stage.
#[derive(Debug)]
pub struct Hostile {
    config: HostileConfig,
}

impl Stage for Hostile {
    fn name(&self) -> &str {
        "hostile"
    }

    fn process(&self, doc: &mut Document) -> Result<(), StageError> {
        if doc.text.contains(&self.config.marker) {
            misbehave(self.config.behaviour);
        }
        doc.ext
            .insert("hostile".into(), json!(doc.text.chars().count()));
        Ok(())
    }
}

fn misbehave(behaviour: Behaviour) {
    match behaviour {
        Behaviour::Segfault => {
            // SAFETY: none; crashing the process is this stage's purpose.
            unsafe { std::ptr::null_mut::<u64>().write_volatile(1) }
        }
        Behaviour::Abort => std::process::abort(),
        Behaviour::Loop => loop {
            std::hint::spin_loop();
        },
        Behaviour::Leak => {
            let mut held: Vec<Vec<u8>> = Vec::new();
            loop {
                // Touch every page, so the memory is really taken, not only reserved.
                held.push(vec![1u8; 16 << 20]);
                std::hint::black_box(&held);
            }
        }
    }
}

textpipe_plugin::export_plugin!(HostileFactory);
