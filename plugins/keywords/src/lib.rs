//! The `keywords` plugin stage (work in progress).
