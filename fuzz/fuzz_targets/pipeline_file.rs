//! Pipeline files in JSON and TOML: parsing and building against the built-in registry must
//! give a pipeline or a list of problems with positions inside the file, never a panic.
#![no_main]

use std::path::Path;
use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use textpipe_core::{LoadError, PipelineFile, PipelineFormat, Registry};

static REGISTRY: LazyLock<Registry> = LazyLock::new(textpipe::builtin_registry);

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let format = if mode & 1 == 0 {
        PipelineFormat::Json
    } else {
        PipelineFormat::Toml
    };
    // No plugin loader: a fuzzer must never open the libraries a generated file names.
    let built = PipelineFile::parse(text, format, "fuzz", Path::new("."))
        .and_then(|file| file.build(&REGISTRY, None, &[]));
    if let Err(LoadError::Invalid(problems)) = built {
        assert!(
            !problems.is_empty(),
            "an invalid file has at least one problem"
        );
        let lines = text.split('\n').count();
        for problem in &problems {
            assert!(problem.line >= 1 && problem.column >= 1, "{problem}");
            assert!(
                problem.line <= lines + 1,
                "{problem} is past the end of the file"
            );
        }
    }
});
