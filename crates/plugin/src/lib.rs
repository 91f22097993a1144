//! textpipe-plugin (work in progress).
