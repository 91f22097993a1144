//! textpipe-entities (work in progress).
