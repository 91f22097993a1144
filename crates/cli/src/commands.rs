//! The subcommands: argument definitions and what each one does.

use std::fs::File;
use std::io::{BufWriter, ErrorKind, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use clap::{Args, CommandFactory, Parser, Subcommand};
use serde_json::Value;
use textpipe_core::{Layer, Outcome, Registry, RunReport, StageFactory};
use textpipe_runner::{
    run_shared, HtmlSink, JsonLinesSink, RunError, RunOptions, Sink, TextSink, MAX_THREADS,
};

use crate::builtins::Builtins;
use crate::input::{parse_byte_size, DocumentReader, InputFormat, InputLimits, JsonFields, Record};
use crate::progress::Progress;
use crate::shards::{run_shard, ShardError, ShardFiles, ShardOutcome, ShardSpec};

/// How `textpipe run` writes results.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum OutputFormat {
    /// One JSON document (or error record) per line.
    #[default]
    Jsonl,
    /// Cleaned text, one sentence per line, entities marked like `[Iraq](LOC)`, the summary.
    Text,
    /// One self-contained HTML report (inline CSS, no external assets) of the whole run.
    Html,
    /// Each document's content as Markdown (headings, lists, tables, links, emphasis), as
    /// the boilerplate stage kept it; spans in the other formats still refer to plain `text`.
    Markdown,
}

/// How `run` writes its summary on stderr.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum LogFormat {
    /// Lines for people.
    #[default]
    Text,
    /// One JSON object per line: `{"event": "summary", "read": ..., "stages": [...]}`.
    Json,
}

/// The run summary on stderr in the chosen format.
fn log_summary(report: &RunReport, format: LogFormat) {
    match format {
        LogFormat::Text => crate::log_part!("{report}"),
        LogFormat::Json => {
            let mut event = serde_json::json!({"event": "summary"});
            if let (Some(event), Ok(Value::Object(fields))) =
                (event.as_object_mut(), serde_json::to_value(report))
            {
                event.extend(fields);
            }
            crate::write_stderr_event(&event);
        }
    }
}

/// How the process ends; the numbers are part of the interface (`--help` and the README's
/// exit-code table list them, and a test holds the table to [`Exit::ALL`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// 0: every document went through.
    Success,
    /// 1: the run could not start (bad arguments, bad pipeline file, unreadable input,
    /// worker threads that could not be started); nothing was written.
    CouldNotStart,
    /// 2: the run finished, but some documents failed (their error records are in the output).
    SomeFailed,
    /// 3: the output could not be written (a closed pipe or stdout, a full disk): the run
    /// stopped and the output is incomplete.
    OutputFailed,
    /// 4: a stage gave up (a process stage whose worker kept failing past `max_restarts`):
    /// the run stopped after the batch it gave up in; everything before is written.
    StageGaveUp,
}

impl Exit {
    /// Every exit code the binary returns, in order.
    pub const ALL: [Exit; 5] = [
        Exit::Success,
        Exit::CouldNotStart,
        Exit::SomeFailed,
        Exit::OutputFailed,
        Exit::StageGaveUp,
    ];

    /// The process exit code.
    pub fn code(self) -> u8 {
        match self {
            Exit::Success => 0,
            Exit::CouldNotStart => 1,
            Exit::SomeFailed => 2,
            Exit::OutputFailed => 3,
            Exit::StageGaveUp => 4,
        }
    }

    /// The exit of a command that ended in `error`: 3 when the output could not be written,
    /// 4 when a shard's stage gave up, else 1.
    pub fn of_error(error: &anyhow::Error) -> Exit {
        if let Some(ShardError::StageGaveUp { .. }) = error.downcast_ref::<ShardError>() {
            return Exit::StageGaveUp;
        }
        let output_failed = error.downcast_ref::<OutputError>().is_some()
            || matches!(
                error.downcast_ref::<ShardError>(),
                Some(ShardError::Write { .. })
                    | Some(ShardError::Run {
                        source: RunError::Write(_),
                        ..
                    })
            );
        if output_failed {
            Exit::OutputFailed
        } else {
            Exit::CouldNotStart
        }
    }
}

/// The output (stdout or `--output`) could not be written: a closed pipe, a full disk. The OS
/// error is part of the message and not a separate source, so it is printed once.
#[derive(Debug, thiserror::Error)]
#[error("cannot write output: {0}")]
pub struct OutputError(pub std::io::Error);

/// A run that stopped: an [`OutputError`] when the output could not be written, else the run
/// error itself (threads that could not start).
fn run_failure(error: RunError) -> anyhow::Error {
    match error {
        RunError::Write(error) => OutputError(error).into(),
        other => other.into(),
    }
}

/// Writes to stdout for the commands that print (validate, stages, ...); a closed stdout is an
/// [`OutputError`], not a panic.
fn print_out(text: std::fmt::Arguments<'_>) -> Result<(), OutputError> {
    std::io::stdout()
        .lock()
        .write_all(text.to_string().as_bytes())
        .map_err(OutputError)
}

macro_rules! out {
    ($($arg:tt)*) => {
        print_out(format_args!($($arg)*))?
    };
}

macro_rules! outln {
    ($($arg:tt)*) => {
        print_out(format_args!("{}\n", format_args!($($arg)*)))?
    };
}

const EXIT_CODES: &str = "\
Exit codes:
  0  all documents went through
  1  the run could not start (bad arguments, bad pipeline file, unreadable input, no threads)
  2  the run finished but some documents failed: each is an error record
     {\"id\" or \"line\", \"error\": {\"stage\", \"message\"}} in the output
  3  the output could not be written (closed pipe, full disk); the output is incomplete
  4  a stage gave up (a process stage kept failing past max_restarts): the run stopped;
     every document before the batch it gave up in is written";

/// Text-processing pipelines for news and web text: boilerplate removal, sentences, entities,
/// summaries.
#[derive(Debug, Parser)]
#[command(name = "textpipe", version, after_help = EXIT_CODES)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run a pipeline over documents and write the results as JSON Lines (or text).
    #[command(after_help = format!("{RUN_NOTES}\n{EXIT_CODES}"))]
    Run(RunArgs),
    /// Check a pipeline file: print every problem with its line and column, or its stages.
    Validate {
        /// The pipeline file (JSON, or TOML by extension).
        pipeline: PathBuf,
        /// Layers the input documents will already carry (see `run --input-layers`).
        #[arg(long, value_delimiter = ',', value_parser = parse_layer)]
        input_layers: Vec<textpipe_core::Layer>,
    },
    /// List every stage kind with its config keys, defaults and an example.
    Stages {
        /// Print the kinds as JSON instead of text.
        #[arg(long)]
        json: bool,
        /// Also list the stages of this plugin library (repeatable).
        #[arg(long)]
        plugin: Vec<PathBuf>,
    },
    /// Measure what each stage of a pipeline costs on your documents (one thread): docs/s,
    /// MB/s, p50/p99 latency per document, share of the time, peak memory.
    Bench {
        /// Documents to measure (same kinds of input as `run`).
        #[arg(required = true)]
        inputs: Vec<PathBuf>,
        /// Pipeline file. Default: the embedded pipeline.
        #[arg(long, short)]
        pipeline: Option<PathBuf>,
        /// Read every input as this format instead of detecting it from the file name.
        #[arg(long, value_enum)]
        input_format: Option<InputFormat>,
        /// Run the documents through this many times (more samples for small inputs).
        #[arg(long, default_value_t = 1)]
        repeat: usize,
        /// Layers the input documents already carry (see `run --input-layers`).
        #[arg(long, value_delimiter = ',', value_parser = parse_layer)]
        input_layers: Vec<textpipe_core::Layer>,
        /// Print the table as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Score predicted documents (JSON Lines in the output contract, from textpipe or any
    /// other tool) against gold data with the stages' own scorers.
    Eval {
        /// What to score.
        #[arg(value_enum)]
        task: crate::eval::Task,
        /// Gold data: a WCXB folder (boilerplate), gold sentence spans (sentences), a CoNLL
        /// file (entities), articles with reference summaries (summarize).
        gold: PathBuf,
        /// Predicted documents (JSON Lines, optionally gzipped), matched to the gold by id.
        predictions: PathBuf,
        /// Print the scores as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Train a stage's model.
    #[command(subcommand)]
    Train(TrainCommand),
    /// Work with plugin libraries.
    #[command(subcommand)]
    Plugin(PluginCommand),
    /// Print documents of a `textpipe run` JSON Lines output to the terminal: entities coloured
    /// by label, summary sentences in bold (plain marks when NO_COLOR is set or stdout is not a
    /// terminal).
    Show {
        /// JSON Lines output of `textpipe run` (`-` for stdin).
        file: PathBuf,
    },
    /// Print a shell completion script: `textpipe completions bash > /etc/bash_completion.d/textpipe`.
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff): `textpipe man > textpipe.1 && man ./textpipe.1`.
    Man,
    /// Create a new plugin crate for a stage kind called NAME, ready to build.
    NewStage {
        /// The stage kind and crate name (lowercase letters, digits and `-`).
        name: String,
        /// Folder the crate is created in.
        #[arg(long, default_value = ".")]
        dir: PathBuf,
        /// Depend on the textpipe checkout at this path (path dependencies). Without it and
        /// without --git, the checkout DIR lies in; outside a checkout one of the two is needed.
        #[arg(long, conflicts_with = "git")]
        checkout: Option<PathBuf>,
        /// Depend on textpipe's git repository at this URL instead of a local checkout.
        #[arg(long)]
        git: Option<String>,
        /// With --git: the commit, tag or branch to build against.
        #[arg(long, requires = "git")]
        rev: Option<String>,
    },
}

/// `textpipe train ...`
#[derive(Debug, Subcommand)]
pub enum TrainCommand {
    /// Train the entity tagger on CoNLL files; the epoch with the best dev F1 is kept.
    Entities {
        /// Gold CoNLL training files.
        #[arg(long, required = true, num_args = 1..)]
        train: Vec<PathBuf>,
        /// Gold CoNLL files scored after every epoch.
        #[arg(long, num_args = 1..)]
        dev: Vec<PathBuf>,
        /// Extra unlabeled text for the word tables (CoNLL, JSON Lines, plain text).
        #[arg(long, num_args = 1..)]
        unlabeled: Vec<PathBuf>,
        /// Where to write the model (name it in the entities stage's `model` key).
        #[arg(long)]
        out: PathBuf,
        /// Passes over the training data.
        #[arg(long, default_value_t = 12)]
        epochs: usize,
        /// Seed of the document order; the same seed gives the same model.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Keep the last epoch's weights instead of the one with the best dev F1 (so the dev
        /// files only report, and choose nothing).
        #[arg(long)]
        keep_last_epoch: bool,
        /// Instead of writing a model, score K-fold cross-validation on the training files
        /// and print the pooled F1 of every epoch.
        #[arg(long, value_name = "K")]
        cross_validate: Option<usize>,
        /// Train and decode with the Viterbi decoder (whole tag sequences) instead of one
        /// tag at a time; the model file says which it was trained with.
        #[arg(long)]
        viterbi: bool,
        /// The perceptron's margin: a correct tag that leads by less is learned from as if
        /// wrong (the Viterbi models are trained with 32).
        #[arg(long, default_value_t = 16.0)]
        margin: f32,
        /// Learn section features: the section label a wire story begins with ("SOCCER -
        /// ...") joined with every capitalized word (the shipped English model has them).
        #[arg(long)]
        section_features: bool,
        /// Learn layout features: table rows, lines in capitals, numbers around a word,
        /// results documents (the shipped English model has them).
        #[arg(long)]
        layout_features: bool,
        /// Learn mention-context features: what a capitalized word's other occurrences in
        /// the document stand beside (the shipped English model has them).
        #[arg(long)]
        context_features: bool,
        /// List the stems of the names' words in the lexicon too, so a name seen in one form
        /// is recognised in its other forms ("Holding", "Holdinga"): for inflected
        /// languages (the shipped Croatian, Danish, Slovak and German models have it).
        #[arg(long)]
        stem_lexicon: bool,
        /// Also learn from every training document rewritten as users' text writes it:
        /// `pt-contractions` joins the Portuguese treebank's `de o` as "do", `zh-simplified`
        /// writes Traditional Chinese in Simplified characters, `de-umlauts` writes the
        /// CoNLL-2003 German file's stand-ins back as umlauts, `ascii-letters` drops letters
        /// outside ASCII (the shipped Portuguese, Chinese and German models have them).
        /// Repeatable.
        #[arg(long, value_name = "NAME", value_parser = parse_rewrite)]
        rewrite: Vec<textpipe_entities::rewrite::Rewrite>,
    },
}

/// A rewrite of `--rewrite`.
fn parse_rewrite(name: &str) -> Result<textpipe_entities::rewrite::Rewrite, String> {
    use textpipe_entities::rewrite::Rewrite;
    Rewrite::from_name(name)
        .ok_or_else(|| format!("no rewrite `{name}` (known: {})", Rewrite::names()))
}

/// `textpipe plugin ...`
#[derive(Debug, Subcommand)]
pub enum PluginCommand {
    /// Load a plugin library, build each of its stages with its example config and run a
    /// sample document through it.
    Check {
        /// The shared library (`.so`, `.dylib`, `.dll`).
        path: PathBuf,
        /// The longest a stage may take on one document (seconds) before the check fails.
        #[arg(long, default_value_t = 10.0)]
        timeout: f64,
    },
}

const RUN_NOTES: &str = "\
Sharded runs:
  textpipe run 'corpus/*.jsonl.zst' --output-dir out --shard 3/8
  writes out/00003-of-00008.jsonl, then out/stats/00003-of-00008.json and the marker
  out/00003-of-00008.done. Shards 0..N cover the input exactly once: by input file when there
  are at least 4 inputs per shard, else by a stable hash (64-bit FNV-1a) of the document id.
  A rerun skips complete shards; a killed run leaves no shard marked complete.

Limits:
  A document over --max-document-size (a file, a JSON line, a WARC record) becomes an error
  record naming it. A compressed input that inflates past --max-input-size stops with an
  error record (a compression bomb). Sizes take K, M, G suffixes (powers of 1024).
";

/// Arguments of `textpipe run`.
#[derive(Debug, Args)]
pub struct RunArgs {
    /// Text (.txt), HTML (.html/.htm) files, folders (walked recursively, sorted), glob
    /// patterns (quoted: 'crawl/*.warc.gz'), JSON Lines corpora (.jsonl), web archives
    /// (.warc: HTML responses become documents), each optionally gzip- or zstd-compressed,
    /// or `-` for stdin (format sniffed). None: stdin.
    pub inputs: Vec<PathBuf>,
    /// Pipeline file (JSON, or TOML by extension). Default: the embedded pipeline
    /// boilerplate → sentences → entities → summarize (3 sentences).
    #[arg(long, short)]
    pub pipeline: Option<PathBuf>,
    /// Layers the input documents already carry, comma-separated (sentences, entities,
    /// summary, removed), e.g. JSON Lines from an earlier run: stages that need them are
    /// accepted, and a document that lacks one becomes an error record of the stage that
    /// needs it.
    #[arg(long, value_delimiter = ',', value_parser = parse_layer)]
    pub input_layers: Vec<textpipe_core::Layer>,
    /// Write results here instead of stdout (gzipped when the name ends in .gz).
    #[arg(long, short)]
    pub output: Option<PathBuf>,
    /// Output format.
    #[arg(long, short, value_enum, default_value_t = OutputFormat::Jsonl)]
    pub format: OutputFormat,
    /// Read every input as this format instead of detecting it from the file name.
    #[arg(long, value_enum)]
    pub input_format: Option<InputFormat>,
    /// The language of input documents that declare none, as a language tag (de, pt-BR,
    /// zh-Hans); a JSON line's own `lang` wins. The language stage checks it against the text
    /// as any declared language, and stages pick their models by it.
    #[arg(long, value_name = "TAG", value_parser = parse_language_tag)]
    pub lang: Option<String>,
    /// Worker threads, 1 to 1024. Default: all cores.
    #[arg(long, short = 'j', value_parser = parse_threads)]
    pub threads: Option<usize>,
    /// Documents per batch handed to a worker.
    #[arg(long, default_value_t = 64)]
    pub batch_size: usize,
    /// Stop at the first document that fails (exit code 2).
    #[arg(long)]
    pub fail_fast: bool,
    /// No progress bar and no summary on stderr.
    #[arg(long, short)]
    pub quiet: bool,
    /// Write this shard's results into DIR as <shard>.jsonl, with stats/<shard>.json and a
    /// completion marker <shard>.done; a complete shard is skipped on rerun.
    #[arg(long, value_name = "DIR", conflicts_with = "output")]
    pub output_dir: Option<PathBuf>,
    /// Which part of the input this process runs, I/N (from 0), with --output-dir.
    #[arg(
        long,
        value_name = "I/N",
        requires = "output_dir",
        default_value = "0/1"
    )]
    pub shard: ShardSpec,
    /// Gzip the shard files (<shard>.jsonl.gz).
    #[arg(long, requires = "output_dir")]
    pub gzip: bool,
    /// Largest document (file, JSON line or WARC record); larger ones become error records.
    #[arg(long, value_name = "SIZE", value_parser = parse_byte_size, default_value = "64M")]
    pub max_document_size: u64,
    /// Most bytes one gzip or zstd input may decompress to; past it the input stops with an
    /// error record.
    #[arg(long, value_name = "SIZE", value_parser = parse_byte_size, default_value = "32G")]
    pub max_input_size: u64,
    /// Longest time one document may spend in the pipeline (e.g. 90s, 5m, 1h; 0 for no
    /// limit). A document over it becomes an error record and the run goes on; the stage call
    /// itself cannot be stopped and keeps one core until it returns.
    #[arg(long, value_name = "TIME", value_parser = parse_duration, default_value = "5m")]
    pub document_timeout: Duration,
    /// How the run summary on stderr is written: `text` for people, `json` (one object per
    /// line) for batch schedulers.
    #[arg(long, value_enum, default_value_t = LogFormat::Text)]
    pub log_format: LogFormat,
    /// JSON Lines: the field that holds the text (default `text`).
    #[arg(long, value_name = "FIELD")]
    pub text_field: Option<String>,
    /// JSON Lines: the field that holds the id (default `id`).
    #[arg(long, value_name = "FIELD")]
    pub id_field: Option<String>,
    /// JSON Lines: the field that holds the HTML (default `html`).
    #[arg(long, value_name = "FIELD")]
    pub html_field: Option<String>,
}

/// `--lang`: a language tag, a primary subtag of 2 or 3 letters and optional subtags of 1 to 8
/// letters or digits (`de`, `pt-BR`, `zh-Hans`); `und` and `mul` say no language and are
/// refused.
fn parse_language_tag(text: &str) -> Result<String, String> {
    let tag = text.trim();
    let mut subtags = tag.split('-');
    let primary = subtags.next().unwrap_or_default();
    let primary_ok =
        (2..=3).contains(&primary.len()) && primary.chars().all(|c| c.is_ascii_alphabetic());
    let rest_ok =
        subtags.all(|s| (1..=8).contains(&s.len()) && s.chars().all(|c| c.is_ascii_alphanumeric()));
    if !primary_ok || !rest_ok {
        return Err(format!(
            "`{tag}` is not a language tag: give an ISO 639-1 code such as `de`, optionally with \
             a region or script (`pt-BR`, `zh-Hans`)"
        ));
    }
    if ["und", "mul"].contains(&primary.to_ascii_lowercase().as_str()) {
        return Err(format!(
            "`{tag}` names no language: leave --lang out to identify each document's language"
        ));
    }
    Ok(tag.to_string())
}

/// `--threads`: a whole number from 1 to [`MAX_THREADS`].
fn parse_threads(text: &str) -> Result<usize, String> {
    let threads: usize = text
        .trim()
        .parse()
        .map_err(|_| format!("`{text}` is not a number of threads"))?;
    if threads == 0 || threads > MAX_THREADS {
        return Err(format!("threads must be from 1 to {MAX_THREADS}"));
    }
    Ok(threads)
}

/// A time span: a number with `ms`, `s` (the default), `m` or `h`.
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    let split = text
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let number: f64 = number
        .parse()
        .map_err(|_| format!("`{text}` is not a time: write e.g. 500ms, 90s, 5m or 1h"))?;
    let seconds = match unit.trim() {
        "ms" => number / 1000.0,
        "" | "s" => number,
        "m" | "min" => number * 60.0,
        "h" => number * 3600.0,
        other => return Err(format!("unknown time unit `{other}`: use ms, s, m or h")),
    };
    Duration::try_from_secs_f64(seconds).map_err(|error| format!("`{text}`: {error}"))
}

/// Runs a parsed command line; errors that stop a command before it starts are returned.
pub fn execute(cli: Cli, builtins: &Builtins) -> anyhow::Result<Exit> {
    match cli.command {
        Command::Run(args) => run_command(&args, builtins),
        Command::Validate {
            pipeline,
            input_layers,
        } => validate_command(&pipeline, &input_layers, builtins),
        Command::Stages { json, plugin } => {
            let mut registry = (builtins.registry)();
            for path in &plugin {
                for factory in textpipe_plugin::load_plugin_factories(path)
                    .with_context(|| format!("cannot load plugin {}", path.display()))?
                {
                    registry.register(factory);
                }
            }
            stages_command(&registry, json)
        }
        Command::Train(TrainCommand::Entities {
            train,
            dev,
            unlabeled,
            out,
            epochs,
            seed,
            keep_last_epoch,
            cross_validate,
            viterbi,
            margin,
            section_features,
            layout_features,
            context_features,
            stem_lexicon,
            rewrite,
        }) => {
            let mut options = textpipe_entities::TrainOptions {
                train,
                dev,
                unlabeled,
                epochs,
                seed,
                output: Some(out.clone()),
                select_epoch_on_dev: !keep_last_epoch,
                margin,
                decoder: if viterbi {
                    textpipe_entities::decode::Decoder::Viterbi
                } else {
                    textpipe_entities::decode::Decoder::Greedy
                },
                feature_groups: textpipe_entities::FeatureGroups {
                    layout: layout_features,
                    sections: section_features,
                    mention_context: context_features,
                },
                rewrites: rewrite,
                stem_lexicon,
                ..Default::default()
            };
            if let Some(folds) = cross_validate {
                options.output = None;
                let cv = textpipe_entities::train::cross_validate(
                    &options,
                    folds,
                    print_training_progress,
                )?;
                // Scores are in percent already.
                for (n, epoch) in cv.epochs.iter().enumerate() {
                    outln!(
                        "epoch {:>2}: {folds}-fold F1 {:.2}",
                        n + 1,
                        epoch.overall.f1()
                    );
                }
                let (best, f1) = cv.best_epoch();
                outln!("best epoch {best}: F1 {f1:.2}");
                // With several training files (a second language's file helping the first),
                // each file's held-out part at the last epoch: the first is the score of the
                // language the model is for.
                if let (true, Some(by_file)) = (options.train.len() > 1, cv.epochs_by_file.last()) {
                    for (path, part) in options.train.iter().zip(by_file) {
                        outln!("{}: held-out F1 {:.2}", path.display(), part.overall.f1());
                    }
                }
                return Ok(Exit::Success);
            }
            let report = textpipe_entities::train(&options, print_training_progress)?;
            outln!(
                "kept epoch {} of {}; model written to {}",
                report.best_epoch,
                report.epochs.len(),
                out.display()
            );
            Ok(Exit::Success)
        }
        Command::Show { file } => show_command(&file),
        Command::Completions { shell } => {
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "textpipe", &mut script);
            print_out(format_args!("{}", String::from_utf8_lossy(&script)))?;
            Ok(Exit::Success)
        }
        Command::Man => {
            let mut page = Vec::new();
            clap_mangen::Man::new(Cli::command()).render(&mut page)?;
            print_out(format_args!("{}", String::from_utf8_lossy(&page)))?;
            Ok(Exit::Success)
        }
        Command::Bench {
            inputs,
            pipeline,
            input_format,
            repeat,
            input_layers,
            json,
        } => bench_command(
            &inputs,
            pipeline.as_deref(),
            input_format,
            repeat,
            json,
            &input_layers,
            builtins,
        ),
        Command::Eval {
            task,
            gold,
            predictions,
            json,
        } => {
            let evaluation = crate::eval::evaluate(task, &gold, &predictions)?;
            if json {
                outln!("{}", evaluation.to_json());
            } else {
                outln!("{evaluation}");
            }
            Ok(Exit::Success)
        }
        Command::Plugin(PluginCommand::Check { path, timeout }) => {
            let options = textpipe_plugin::CheckOptions {
                timeout: std::time::Duration::try_from_secs_f64(timeout)
                    .ok()
                    .filter(|t| !t.is_zero())
                    .ok_or_else(|| {
                        anyhow::anyhow!("--timeout must be a positive number of seconds")
                    })?,
            };
            // Each document is announced before it runs, so a crash is named by the last line.
            let report = textpipe_plugin::check_plugin_with(&path, &options, &mut |step| {
                crate::log!("{step}")
            })?;
            out!("{report}");
            Ok(Exit::Success)
        }
        Command::NewStage {
            name,
            dir,
            checkout,
            git,
            rev,
        } => {
            let source = textpipe_plugin::TextpipeSource::choose(&dir, checkout, git, rev)?;
            let report = textpipe_plugin::scaffold_stage(&name, &dir, &source)?;
            outln!(
                "created {} ({}); build it with `cargo build --release` there and name \
                 `{}` in a pipeline entry's `plugin`",
                report.crate_dir.display(),
                report
                    .files
                    .iter()
                    .map(|f| f.display().to_string())
                    .collect::<Vec<_>>()
                    .join(", "),
                report.library_file
            );
            Ok(Exit::Success)
        }
    }
}

fn print_training_progress(progress: textpipe_entities::train::Progress) {
    match progress {
        textpipe_entities::train::Progress::Step(step) => crate::log!("{step}"),
        textpipe_entities::train::Progress::Epoch(epoch) => crate::log!(
            "epoch {:>2}: train error {:.4}, mean dev F1 {:.4}",
            epoch.epoch,
            epoch.train_error_rate,
            epoch.mean_dev_f1()
        ),
    }
}

fn run_command(args: &RunArgs, builtins: &Builtins) -> anyhow::Result<Exit> {
    if args.log_format == LogFormat::Json {
        crate::log_as_json();
    }
    let assumed = assumed_input_layers(args);
    let loaded = if args.format == OutputFormat::Markdown {
        // The Markdown comes from the boilerplate stage, which renders it only when asked.
        builtins
            .pipeline_file(args.pipeline.as_deref())
            .and_then(|mut file| {
                textpipe_runner::ask_for_markdown(&mut file);
                builtins.build(&file, &assumed)
            })
    } else {
        builtins.load_pipeline(args.pipeline.as_deref(), &assumed)
    };
    let pipeline = match loaded {
        Ok(pipeline) => pipeline,
        Err(error) => {
            crate::log!("{error}");
            return Ok(Exit::CouldNotStart);
        }
    };
    let limits = InputLimits {
        max_document_bytes: args.max_document_size,
        max_decompressed_bytes: args.max_input_size,
    };
    let pipeline = Arc::new(pipeline);
    let fields = JsonFields {
        text: args.text_field.clone(),
        id: args.id_field.clone(),
        html: args.html_field.clone(),
    };
    let reader = DocumentReader::open(&args.inputs, args.input_format)?
        .with_limits(limits)
        .with_fields(fields)
        .with_default_lang(args.lang.clone());
    if let Some(dir) = &args.output_dir {
        return shard_command(args, dir, pipeline, reader);
    }
    if let Some(output) = &args.output {
        refuse_output_among_inputs(output, &reader)?;
    }
    if !args.quiet && reads_stdin(&args.inputs) && std::io::stdin().is_terminal() {
        crate::log!(
            "textpipe: reading documents from stdin (type or paste, end with Ctrl-D; \
             `textpipe run --help` for files)"
        );
    }
    let out = OutputSink::open(args.output.as_deref())?;
    let mut sink: Box<dyn FinishingSink> = match args.format {
        OutputFormat::Jsonl => Box::new(JsonLinesSink::new(out)),
        OutputFormat::Text => Box::new(TextSink::new(out)),
        OutputFormat::Markdown => Box::new(textpipe_runner::MarkdownSink::new(out)),
        OutputFormat::Html => {
            let title = format!("textpipe report: pipeline `{}`", pipeline.name());
            Box::new(HtmlSink::new(out, &title).context("cannot write output")?)
        }
    };
    let options = run_options(args);
    let total = reader
        .total_input_bytes()
        .map(|total| (total, reader.bytes_read()));
    let progress = Progress::with_total(!args.quiet && std::io::stderr().is_terminal(), total);
    let report = run_shared(
        Arc::clone(&pipeline),
        reader.map(Outcome::from),
        sink.as_mut(),
        &options,
        &mut |done| progress.set(done),
    );
    progress.finish();
    // Output that could not be written (a closed pipe, a full disk) is never a success: the
    // documents after it are lost, and a scheduler must see it.
    let report = report.map_err(run_failure)?;
    sink.close().map_err(OutputError)?;
    if !args.quiet {
        log_summary(&report, args.log_format);
    }
    Ok(exit_of(&report))
}

/// The layers a run may take from its input: `--input-layers`, plus those the first input
/// document carries (an annotated corpus, such as textpipe's own output), so that a stage
/// needing `sentences` runs on pre-split documents without a flag. A later document without
/// the layer fails alone, at the stage that needs it. Stdin is not peeked (it cannot be read
/// twice): there the flag says it.
fn assumed_input_layers(args: &RunArgs) -> Vec<textpipe_core::Layer> {
    let mut layers = args.input_layers.clone();
    if reads_stdin(&args.inputs) {
        return layers;
    }
    let fields = JsonFields {
        text: args.text_field.clone(),
        id: args.id_field.clone(),
        html: args.html_field.clone(),
    };
    let first = DocumentReader::open(&args.inputs, args.input_format)
        .ok()
        .and_then(|reader| reader.with_fields(fields).next());
    if let Some(Record::Document(doc)) = first {
        for layer in [
            Layer::Sentences,
            Layer::Entities,
            Layer::Summary,
            Layer::Removed,
        ] {
            if doc.carries(layer) && !layers.contains(&layer) {
                layers.push(layer);
            }
        }
    }
    layers
}

fn exit_of(report: &RunReport) -> Exit {
    if let Some(stage) = &report.stopped_by {
        crate::log!(
            "textpipe: stage `{stage}` gave up (its worker kept failing past `max_restarts`): \
             the run stopped; the documents after the batch it gave up in were not processed"
        );
        Exit::StageGaveUp
    } else if report.failed > 0 {
        Exit::SomeFailed
    } else {
        Exit::Success
    }
}

/// A sink over the output file, which must be closed (a gzip trailer written) at the end.
trait FinishingSink: Sink {
    fn close(self: Box<Self>) -> std::io::Result<()>;
}

impl FinishingSink for JsonLinesSink<OutputSink> {
    fn close(self: Box<Self>) -> std::io::Result<()> {
        self.into_inner().finish()
    }
}

impl FinishingSink for TextSink<OutputSink> {
    fn close(self: Box<Self>) -> std::io::Result<()> {
        self.into_inner().finish()
    }
}

impl FinishingSink for textpipe_runner::MarkdownSink<OutputSink> {
    fn close(self: Box<Self>) -> std::io::Result<()> {
        self.into_inner().finish()
    }
}

impl FinishingSink for HtmlSink<OutputSink> {
    fn close(self: Box<Self>) -> std::io::Result<()> {
        match self.into_inner() {
            Some(out) => out.finish(),
            None => Ok(()),
        }
    }
}

fn run_options(args: &RunArgs) -> RunOptions {
    RunOptions {
        threads: args
            .threads
            .unwrap_or_else(|| RunOptions::default().threads),
        batch_docs: args.batch_size,
        fail_fast: args.fail_fast,
        document_timeout: Some(args.document_timeout).filter(|timeout| !timeout.is_zero()),
        ..RunOptions::default()
    }
}

/// Whether the run reads stdin: no inputs, or `-` among them.
fn reads_stdin(inputs: &[PathBuf]) -> bool {
    inputs.is_empty() || inputs.iter().any(|input| input.as_os_str() == "-")
}

/// `--output` naming one of the inputs would truncate it before it is read: refused before
/// anything is opened for writing.
fn refuse_output_among_inputs(output: &Path, reader: &DocumentReader) -> anyhow::Result<()> {
    let Ok(output_file) = std::fs::metadata(output) else {
        return Ok(()); // a file that does not exist yet is no input
    };
    for input in reader.input_files() {
        if std::fs::metadata(input).is_ok_and(|input_file| same_file(&input_file, &output_file)) {
            anyhow::bail!(
                "--output {} is also an input ({}): refusing to overwrite it before it is read",
                output.display(),
                input.display()
            );
        }
    }
    Ok(())
}

#[cfg(unix)]
fn same_file(a: &std::fs::Metadata, b: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    a.dev() == b.dev() && a.ino() == b.ino()
}

#[cfg(not(unix))]
fn same_file(a: &std::fs::Metadata, b: &std::fs::Metadata) -> bool {
    // Without inode numbers, the same size and modification time is the best cheap sign.
    a.len() == b.len() && a.modified().ok() == b.modified().ok()
}

/// `run --output-dir`: one shard into its files, or nothing when it is already complete.
fn shard_command(
    args: &RunArgs,
    dir: &Path,
    pipeline: Arc<textpipe_core::Pipeline>,
    reader: DocumentReader,
) -> anyhow::Result<Exit> {
    if args.format != OutputFormat::Jsonl {
        anyhow::bail!("--output-dir writes JSON Lines; drop --format");
    }
    let files = ShardFiles::new(dir, args.shard, args.gzip);
    let progress = Progress::new(!args.quiet && std::io::stderr().is_terminal());
    let outcome = run_shard(
        pipeline,
        reader,
        args.shard,
        &files,
        &run_options(args),
        &mut |done| progress.set(done),
    );
    progress.finish();
    let stats = match outcome? {
        ShardOutcome::AlreadyComplete(stats) => {
            if !args.quiet {
                crate::log!(
                    "textpipe: shard {} is already complete ({}); skipped",
                    args.shard,
                    files.marker().display()
                );
            }
            stats
        }
        ShardOutcome::Completed { stats, report } => {
            if !args.quiet {
                log_summary(&report, args.log_format);
                crate::log!(
                    "textpipe: shard {} written to {}",
                    args.shard,
                    files.output().display()
                );
            }
            stats
        }
    };
    Ok(if stats.documents_failed > 0 {
        Exit::SomeFailed
    } else {
        Exit::Success
    })
}

/// Where results go. Gzip needs an explicit `finish` so a write error in its trailer is
/// reported rather than lost in a drop.
enum OutputSink {
    Plain(Box<dyn Write>),
    Gzip(flate2::write::GzEncoder<BufWriter<File>>),
}

impl Write for OutputSink {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match self {
            OutputSink::Plain(out) => out.write(buf),
            OutputSink::Gzip(out) => out.write(buf),
        }
    }

    fn write_all(&mut self, buf: &[u8]) -> std::io::Result<()> {
        match self {
            OutputSink::Plain(out) => out.write_all(buf),
            OutputSink::Gzip(out) => out.write_all(buf),
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        match self {
            OutputSink::Plain(out) => out.flush(),
            OutputSink::Gzip(out) => out.flush(),
        }
    }
}

impl OutputSink {
    fn open(path: Option<&Path>) -> anyhow::Result<Self> {
        const BUFFER: usize = 1 << 20;
        let Some(path) = path else {
            let stdout = BufWriter::with_capacity(BUFFER, std::io::stdout());
            return Ok(OutputSink::Plain(Box::new(stdout)));
        };
        let file =
            File::create(path).with_context(|| format!("cannot create {}", path.display()))?;
        let file = BufWriter::with_capacity(BUFFER, file);
        if path.extension().is_some_and(|e| e == "gz") {
            let level = flate2::Compression::fast();
            return Ok(OutputSink::Gzip(flate2::write::GzEncoder::new(file, level)));
        }
        Ok(OutputSink::Plain(Box::new(file)))
    }

    fn finish(self) -> std::io::Result<()> {
        match self {
            OutputSink::Plain(mut out) => out.flush(),
            OutputSink::Gzip(out) => out.finish()?.flush(),
        }
    }
}

/// A layer name of `--input-layers`.
fn parse_layer(name: &str) -> Result<textpipe_core::Layer, String> {
    match textpipe_core::Layer::from_name(name.trim()) {
        Some(textpipe_core::Layer::Text) | None => Err(format!(
            "`{name}` is not a layer an input can carry; layers: sentences, entities, summary, removed"
        )),
        Some(layer) => Ok(layer),
    }
}

fn validate_command(
    path: &Path,
    input_layers: &[textpipe_core::Layer],
    builtins: &Builtins,
) -> anyhow::Result<Exit> {
    let file = match builtins.pipeline_file(Some(path)) {
        Ok(file) => file,
        Err(error) => {
            crate::log!("{error}");
            return Ok(Exit::CouldNotStart);
        }
    };
    let registry = (builtins.registry)();
    match file.build(
        &registry,
        Some(&textpipe_process::StageLoader),
        input_layers,
    ) {
        Ok(pipeline) => {
            outln!(
                "{}: pipeline `{}` is valid",
                path.display(),
                pipeline.name()
            );
            for (entry, stage) in file.stages.iter().zip(pipeline.stages()) {
                let with = match &entry.with {
                    Value::Null => "defaults".to_string(),
                    with => with.to_string(),
                };
                let languages = registry
                    .get(&entry.kind)
                    .map(|factory| language_list(factory.as_ref()))
                    .unwrap_or_else(|| "as its plugin says".into());
                outln!(
                    "  {:<14} with {with}; requires [{}], provides [{}]; languages: {languages}",
                    stage.name(),
                    layer_list(stage.requires()),
                    layer_list(stage.provides())
                );
            }
            Ok(Exit::Success)
        }
        Err(error) => {
            crate::log!("{error}");
            Ok(Exit::CouldNotStart)
        }
    }
}

/// The languages a kind has models for, or that it works in any.
fn language_list(factory: &dyn StageFactory) -> String {
    match factory.languages() {
        Some(languages) => languages.join(", "),
        None => "any (no per-language model)".into(),
    }
}

fn layer_list(layers: &[textpipe_core::Layer]) -> String {
    layers
        .iter()
        .map(|l| l.name())
        .collect::<Vec<_>>()
        .join(", ")
}

fn stages_command(registry: &Registry, json: bool) -> anyhow::Result<Exit> {
    let mut out = std::io::stdout().lock();
    if json {
        let kinds: Vec<Value> = registry
            .kinds()
            .map(|f| {
                serde_json::json!({"kind": f.kind(), "summary": f.summary(),
                    "languages": f.languages(),
                    "schema": f.config_schema(), "example": f.example()})
            })
            .collect();
        serde_json::to_writer_pretty(&mut out, &kinds)?;
        writeln!(out)?;
        return Ok(Exit::Success);
    }
    if registry.kinds().next().is_none() {
        writeln!(out, "no stage kinds are registered")?;
    }
    for factory in registry.kinds() {
        write!(out, "{}", describe_kind(factory.as_ref()))?;
    }
    Ok(Exit::Success)
}

/// A stage kind for `textpipe stages`: summary, each key with type, default and meaning, and
/// an example entry.
pub fn describe_kind(factory: &dyn StageFactory) -> String {
    let mut text = format!("{}\n  {}\n", factory.kind(), factory.summary());
    text.push_str(&format!("  languages: {}\n", language_list(factory)));
    let schema = factory.config_schema();
    if let Some(properties) = schema["properties"].as_object() {
        for (key, property) in properties {
            let kind = property["type"].as_str().unwrap_or("any");
            let default = match &property["default"] {
                Value::Null => String::new(),
                value => format!(" = {value}"),
            };
            let about = property["description"].as_str().unwrap_or_default();
            text.push_str(&format!("    {key} ({kind}{default}): {about}\n"));
        }
    }
    let example = serde_json::json!({"stage": factory.kind(), "with": factory.example()});
    text.push_str(&format!("  example: {example}\n\n"));
    text
}

fn show_command(path: &Path) -> anyhow::Result<Exit> {
    use std::io::BufRead;
    use textpipe_report::{render_terminal, render_terminal_error, should_color};

    let input: Box<dyn BufRead> = if path == Path::new("-") {
        Box::new(std::io::stdin().lock())
    } else {
        let file = File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
        Box::new(std::io::BufReader::new(file))
    };
    let color = should_color();
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let mut exit = Exit::Success;
    for (at, line) in input.lines().enumerate() {
        let line = line.with_context(|| format!("cannot read {}", path.display()))?;
        if line.trim().is_empty() {
            continue;
        }
        let shown = match Outcome::parse_line(&line) {
            Ok(Outcome::Done(doc)) => render_terminal(&doc, color),
            Ok(Outcome::Failed(record)) => render_terminal_error(&record, color),
            Err(error) => {
                crate::log!(
                    "{}:{}: not a textpipe output line: {error}",
                    path.display(),
                    at + 1
                );
                exit = Exit::SomeFailed;
                continue;
            }
        };
        match out.write_all(shown.as_bytes()) {
            Err(error) if error.kind() == ErrorKind::BrokenPipe => return Ok(exit),
            other => other?,
        }
    }
    Ok(exit)
}

fn bench_command(
    inputs: &[PathBuf],
    pipeline: Option<&Path>,
    input_format: Option<InputFormat>,
    repeat: usize,
    json: bool,
    input_layers: &[textpipe_core::Layer],
    builtins: &Builtins,
) -> anyhow::Result<Exit> {
    use crate::input::Record;

    let pipeline = match builtins.load_pipeline(pipeline, input_layers) {
        Ok(pipeline) => pipeline,
        Err(error) => {
            crate::log!("{error}");
            return Ok(Exit::CouldNotStart);
        }
    };
    let mut documents = Vec::new();
    for record in DocumentReader::open(inputs, input_format)? {
        match record {
            Record::Document(doc) => documents.push(*doc),
            Record::Unreadable(failure) => crate::log!(
                "skipped {}{}: {}",
                failure.input,
                failure
                    .line
                    .map(|l| format!(", line {l}"))
                    .unwrap_or_default(),
                failure.message
            ),
        }
    }
    let documents: Vec<_> = std::iter::repeat_n(documents, repeat.max(1))
        .flatten()
        .collect();
    let report = crate::bench::bench(&pipeline, documents);
    if json {
        outln!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        out!("{report}");
    }
    Ok(Exit::Success)
}
