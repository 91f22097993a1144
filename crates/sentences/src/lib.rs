//! textpipe-sentences (work in progress).
