//! The `textpipe` binary: a thin layer over `textpipe-cli`, built with the facade's stages.

fn main() -> std::process::ExitCode {
    textpipe_cli::main_entry(&textpipe::BUILTINS)
}
