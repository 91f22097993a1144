//! textpipe-plugin-abi (work in progress).
