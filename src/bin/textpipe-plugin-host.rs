//! `textpipe-plugin-host LIBRARY KIND`: runs one stage of a plugin library in its own process
//! for pipeline entries with `"isolate": true`. Built and installed beside `textpipe`, which
//! starts it; not meant to be run by hand.

fn main() -> std::process::ExitCode {
    textpipe_process::plugin_host::main_entry()
}
