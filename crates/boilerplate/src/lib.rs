//! textpipe-boilerplate (work in progress).
