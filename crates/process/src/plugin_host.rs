//! The far side of `"isolate": true`: serves one stage of a native plugin library over the
//! process [`protocol`](crate::protocol), inside `textpipe-plugin-host`.
//!
//! The library is loaded with `textpipe-plugin` exactly as the run would load it in process,
//! so the plugin cannot tell the difference; the host answers with the same patches. A crash
//! in the library ends only this program, which the run then replaces.

use std::io::{BufRead, Write};
use std::path::Path;

use serde::Deserialize;
use serde_json::Value;
use textpipe_core::{BuildContext, Document, Stage};
use textpipe_plugin::patch::write_patch;

use crate::protocol::{Hello, PROTOCOL_VERSION};

/// Why the host could not serve.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum HostError {
    /// The library could not be loaded or lacks the kind.
    #[error("{0}")]
    Load(String),
    /// stdin or stdout failed.
    #[error("i/o error: {0}")]
    Io(#[from] std::io::Error),
    /// textpipe sent something that is not the protocol.
    #[error("unexpected message from textpipe: {0}")]
    Protocol(String),
}

#[derive(Deserialize)]
struct ConfigureMessage {
    configure: Value,
}

/// Serves stage `kind` of the library at `library` on `input`/`output` until `input` ends.
pub fn serve(
    library: &Path,
    kind: &str,
    input: impl BufRead,
    mut output: impl Write,
) -> Result<(), HostError> {
    let factories = textpipe_plugin::load_plugin_factories(library)
        .map_err(|e| HostError::Load(e.to_string()))?;
    let factory = factories
        .into_iter()
        .find(|f| f.kind() == kind)
        .ok_or_else(|| HostError::Load(format!("{} has no stage `{kind}`", library.display())))?;
    // The stage's layers are only known once it is built; the hello states them from a
    // stage built with the example config, which every plugin must accept.
    let probe = factory
        .build(&factory.example(), &BuildContext::new("."))
        .map_err(|errors| HostError::Load(format!("the example config fails: {errors:?}")))?;
    let names =
        |layers: &[textpipe_core::Layer]| layers.iter().map(|l| l.name().to_string()).collect();
    // Ask textpipe for only what the plugin reads, as the in-process host would send it.
    let reads = textpipe_plugin::PluginLibrary::load(library)
        .ok()
        .and_then(|plugin| {
            let info = plugin.stages().iter().find(|s| s.kind == kind)?;
            Some(field_names(&info.reads))
        })
        .unwrap_or_else(|| field_names(&textpipe_plugin::fields::Fields::ALL));
    let hello = Hello {
        textpipe_process: PROTOCOL_VERSION,
        stage: kind.to_string(),
        summary: factory.summary().to_string(),
        config_schema: factory.config_schema(),
        example: factory.example(),
        requires: names(probe.requires()),
        provides: names(probe.provides()),
        reads: Some(reads),
        languages: factory.languages(),
    };
    drop(probe);
    writeln!(
        output,
        "{}",
        serde_json::to_string(&hello).unwrap_or_default()
    )?;
    output.flush()?;

    let mut lines = input.lines();
    let Some(first) = lines.next() else {
        return Ok(());
    };
    let configure: ConfigureMessage =
        serde_json::from_str(&first?).map_err(|e| HostError::Protocol(e.to_string()))?;
    let base_dir = std::env::current_dir()?;
    let stage = match factory.build(&configure.configure, &BuildContext::new(base_dir)) {
        Ok(stage) => {
            writeln!(output, r#"{{"ready":true}}"#)?;
            stage
        }
        Err(errors) => {
            let errors: Vec<Value> = errors
                .iter()
                .map(|e| serde_json::json!({"path": e.path, "message": e.message, "suggestion": e.suggestion}))
                .collect();
            writeln!(output, "{}", serde_json::json!({ "config_errors": errors }))?;
            output.flush()?;
            return Ok(());
        }
    };
    output.flush()?;
    let mut answer = Vec::new();
    for line in lines {
        answer.clear();
        answer_document(stage.as_ref(), &line?, &mut answer);
        output.write_all(&answer)?;
        // Flushed per document: a crash on the next one must not lose this answer.
        output.flush()?;
    }
    Ok(())
}

/// The fields of a plugin's `reads` that the process protocol sends (`id`, `text` and `lang`
/// always go).
fn field_names(fields: &textpipe_plugin::fields::Fields) -> Vec<String> {
    [
        ("meta", fields.meta),
        ("html", fields.html),
        ("sentences", fields.sentences),
        ("entities", fields.entities),
        ("summary", fields.summary),
        ("removed", fields.removed),
        ("ext", fields.ext),
    ]
    .into_iter()
    .filter(|(_, read)| *read)
    .map(|(name, _)| name.to_string())
    .collect()
}

/// The answer line for one document line.
fn answer_document(stage: &dyn Stage, line: &str, out: &mut Vec<u8>) {
    let before: Document = match serde_json::from_str(line) {
        Ok(doc) => doc,
        Err(e) => {
            let message = format!("the plugin host could not read the document: {e}");
            out.extend_from_slice(
                serde_json::json!({ "error": message })
                    .to_string()
                    .as_bytes(),
            );
            out.push(b'\n');
            return;
        }
    };
    let mut after = before.clone();
    match stage.process(&mut after) {
        Ok(()) => {
            out.extend_from_slice(b"{\"patch\":");
            if write_patch(&before, &after, out).is_err() {
                out.truncate(0);
                out.extend_from_slice(
                    br#"{"error":"the plugin's result cannot be written as JSON""#,
                );
            }
            out.extend_from_slice(b"}\n");
        }
        Err(error) => {
            out.extend_from_slice(
                serde_json::json!({ "error": error.to_string() })
                    .to_string()
                    .as_bytes(),
            );
            out.push(b'\n');
        }
    }
}

/// The `textpipe-plugin-host LIBRARY KIND` program: serves on stdin/stdout, reports on stderr.
pub fn main_entry() -> std::process::ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [library, kind] = args.as_slice() else {
        eprintln!("usage: textpipe-plugin-host LIBRARY KIND (textpipe starts it for `\"isolate\": true` entries)");
        return std::process::ExitCode::from(2);
    };
    let stdin = std::io::stdin().lock();
    let stdout = std::io::BufWriter::new(std::io::stdout().lock());
    match serve(Path::new(library), kind, stdin, stdout) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("textpipe-plugin-host: {error}");
            std::process::ExitCode::FAILURE
        }
    }
}
