//! textpipe-summarize (work in progress).
