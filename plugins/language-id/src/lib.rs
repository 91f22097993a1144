//! The `language-id` plugin stage (work in progress).
