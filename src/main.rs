//! The `textpipe` binary: a thin layer over `textpipe-cli`.

fn main() -> std::process::ExitCode {
    textpipe_cli::main_entry()
}
