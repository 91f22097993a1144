//! textpipe-cli (work in progress).
