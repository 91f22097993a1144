//! The end-to-end tests: the `textpipe` binary run as a user runs it, on files written for
//! it, with its output, exit codes and error records checked. Each `tests/*.rs` file is a
//! module of this one test binary rather than a binary of its own: each binary linked the
//! whole workspace, and 29 of them took about 80 s of a fresh build's CPU time.
//!
//! Run one file's tests with `cargo test --test end_to_end <file>::`, for example
//! `cargo test --test end_to_end contract_exit_codes::`.

mod support;

mod adversarial;
mod cli;
mod contract;
mod contract_cli_conventions;
mod contract_columns;
mod contract_exit_codes;
mod contract_flush;
mod contract_inputs;
mod contract_linear_time;
mod contract_pipeline_files;
mod contract_shards;
mod contract_spark_recipe;
mod determinism;
mod inputs;
mod languages;
mod markdown;
mod pipeline_file;
mod plugin_input_layers;
mod plugin_new_stage;
mod plugins;
mod process_extends;
mod process_isolation;
mod process_node;
mod process_python;
mod regression;
mod report;
mod shards;
mod streaming;
mod warc;
