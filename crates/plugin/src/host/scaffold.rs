//! `textpipe new-stage NAME`: a plugin crate that builds, tests, benches and loads as
//! generated, so a team starts from something that works and changes it step by step.
//!
//! textpipe's crates are not on crates.io, so the generated crate must say where they come
//! from, and it must build from wherever it was created. [`TextpipeSource::choose`] decides:
//! the checkout the user names (`--checkout PATH`, path dependencies), a git repository
//! (`--git URL [--rev REV]`), else the checkout the new crate's folder lies in. Outside a
//! checkout with neither flag it refuses, with the two flags in the message, rather than write
//! a manifest that cannot resolve. The generated README states the choice and how to change it.

use std::path::{Path, PathBuf};

use crate::host::building::{absolute, lib_name_of, library_file_name};

/// Where the generated crate gets textpipe's crates from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TextpipeSource {
    /// A checkout of textpipe (its root folder): path dependencies.
    Checkout(PathBuf),
    /// A git repository holding textpipe (cargo finds the crates in its workspace), at a
    /// commit, tag or branch when `rev` is given, else its default branch.
    Git {
        /// The repository's URL, as `git clone` takes it.
        url: String,
        /// A commit, tag or branch name (`rev = ...` in the manifest).
        rev: Option<String>,
    },
    /// Published crates of this version requirement (e.g. `"0.1"`), once they are published.
    Version(String),
}

impl TextpipeSource {
    /// The source `textpipe new-stage` uses for a crate created in `folder`: the `checkout` or
    /// `git` repository the user named (not both), else the textpipe checkout that `folder`
    /// lies in, else an error naming both flags.
    pub fn choose(
        folder: &Path,
        checkout: Option<PathBuf>,
        git: Option<String>,
        rev: Option<String>,
    ) -> Result<TextpipeSource, ScaffoldError> {
        match (checkout, git) {
            (Some(_), Some(_)) => Err(ScaffoldError::TwoSources),
            (Some(root), None) => {
                if is_checkout(&root) {
                    Ok(TextpipeSource::Checkout(absolute(&root)))
                } else {
                    Err(ScaffoldError::NotACheckout(root))
                }
            }
            (None, Some(url)) => Ok(TextpipeSource::Git { url, rev }),
            (None, None) if rev.is_some() => Err(ScaffoldError::RevWithoutGit),
            (None, None) => enclosing_checkout(folder)
                .map(TextpipeSource::Checkout)
                .ok_or_else(|| ScaffoldError::NoSource(absolute(folder))),
        }
    }

    /// One sentence for the generated README: where the crates come from.
    fn describe(&self) -> String {
        match self {
            TextpipeSource::Checkout(root) => format!(
                "path dependencies on the textpipe checkout at `{}`: the crate builds on this \
                 machine as long as that checkout is there. To build it elsewhere, point the \
                 three `path = ...` entries of `Cargo.toml` at a checkout there, or replace \
                 them with `git = \"URL\"` entries naming textpipe's repository",
                absolute(root).display()
            ),
            TextpipeSource::Git { url, rev } => format!(
                "the git repository `{url}`{}: cargo fetches it on the first build. To build \
                 against a local checkout instead, replace the three `git = ...` entries of \
                 `Cargo.toml` with `path = \"CHECKOUT/crates/core\"` (and `crates/plugin`, \
                 `crates/benchkit`)",
                rev.as_ref()
                    .map(|rev| format!(" at `{rev}`"))
                    .unwrap_or_else(|| " (its default branch)".to_string())
            ),
            TextpipeSource::Version(version) => {
                format!("the published crates, version `{version}`, from crates.io")
            }
        }
    }
}

/// True when `root` is a textpipe checkout: the workspace whose `crates/plugin` is this crate.
fn is_checkout(root: &Path) -> bool {
    let manifest = |relative: &str| std::fs::read_to_string(root.join(relative));
    manifest("Cargo.toml").is_ok_and(|m| m.contains("[workspace]"))
        && manifest("crates/plugin/Cargo.toml")
            .is_ok_and(|m| m.contains("name = \"textpipe-plugin\""))
        && root.join("crates/core/Cargo.toml").is_file()
        && root.join("crates/benchkit/Cargo.toml").is_file()
}

/// The textpipe checkout that `folder` (which need not exist yet) lies in.
pub fn enclosing_checkout(folder: &Path) -> Option<PathBuf> {
    absolute(folder)
        .ancestors()
        .find(|ancestor| is_checkout(ancestor))
        .map(Path::to_path_buf)
}

/// Why a crate could not be scaffolded.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ScaffoldError {
    /// The name cannot be a stage kind and crate name.
    #[error("`{0}` is not a valid stage name: use lowercase ASCII letters, digits and `-`, starting with a letter")]
    InvalidName(String),
    /// The folder exists already; nothing is overwritten.
    #[error("`{0}` already exists; choose another name or folder")]
    Exists(PathBuf),
    /// Outside a checkout, with no source named.
    #[error("`{0}` is not inside a textpipe checkout, and textpipe's crates are not on crates.io: say where the new crate gets them, with `--checkout PATH` (a textpipe checkout on this machine) or `--git URL [--rev REV]` (textpipe's repository)")]
    NoSource(PathBuf),
    /// `--checkout` names a folder that is not a textpipe checkout.
    #[error("`{0}` is not a textpipe checkout (no workspace with crates/core, crates/plugin and crates/benchkit there)")]
    NotACheckout(PathBuf),
    /// Both a checkout and a git repository were named.
    #[error("name either a checkout (`--checkout`) or a git repository (`--git`), not both")]
    TwoSources,
    /// `--rev` without `--git`.
    #[error("`--rev` chooses a revision of the `--git` repository; name the repository too")]
    RevWithoutGit,
    /// Writing a file failed.
    #[error("cannot write `{path}`: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
}

/// What was generated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScaffoldReport {
    /// The new crate's folder.
    pub crate_dir: PathBuf,
    /// The files written, relative to `crate_dir`.
    pub files: Vec<PathBuf>,
    /// The library's file name once built (e.g. `libmy_stage.so`).
    pub library_file: String,
}

/// Creates the crate `parent/name` for a stage kind called `name`.
pub fn scaffold_stage(
    name: &str,
    parent: impl AsRef<Path>,
    source: &TextpipeSource,
) -> Result<ScaffoldReport, ScaffoldError> {
    if !is_valid_name(name) {
        return Err(ScaffoldError::InvalidName(name.to_string()));
    }
    let crate_dir = parent.as_ref().join(name);
    if crate_dir.exists() {
        return Err(ScaffoldError::Exists(crate_dir));
    }
    let lib_name = lib_name_of(name);
    let library_file = library_file_name(&lib_name);
    let fill = |template: &str| {
        template
            .replace("{{name}}", name)
            .replace("{{lib_name}}", &lib_name)
            .replace("{{lib_file}}", &library_file)
            .replace("{{Type}}", &type_name(name))
            .replace("{{textpipe_deps}}", &dependencies(source))
            .replace("{{textpipe_dev_deps}}", &dev_dependencies(source))
            .replace("{{textpipe_source}}", &source.describe())
    };
    let files: [(&str, &str); 4] = [
        ("Cargo.toml", include_str!("templates/Cargo.toml.tmpl")),
        ("src/lib.rs", include_str!("templates/lib.rs.tmpl")),
        ("benches/stage.rs", include_str!("templates/bench.rs.tmpl")),
        ("README.md", include_str!("templates/README.md.tmpl")),
    ];
    let mut written = Vec::new();
    for (relative, template) in files {
        let path = crate_dir.join(relative);
        let io = |source| ScaffoldError::Io {
            path: path.clone(),
            source,
        };
        if let Some(folder) = path.parent() {
            std::fs::create_dir_all(folder).map_err(io)?;
        }
        std::fs::write(&path, fill(template)).map_err(io)?;
        written.push(PathBuf::from(relative));
    }
    Ok(ScaffoldReport {
        crate_dir,
        files: written,
        library_file,
    })
}

fn is_valid_name(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_lowercase())
        && !name.ends_with('-')
        && !name.contains("--")
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// `language-id` → `LanguageId`.
fn type_name(name: &str) -> String {
    name.split('-')
        .map(|part| {
            let mut chars = part.chars();
            chars
                .next()
                .map(|first| first.to_ascii_uppercase().to_string() + chars.as_str())
                .unwrap_or_default()
        })
        .collect()
}

fn dependencies(source: &TextpipeSource) -> String {
    format!(
        "textpipe-core = {}\ntextpipe-plugin = {}",
        dependency(source, "core", ""),
        dependency(source, "plugin", ", default-features = false")
    )
}

/// The bench helper, from the same source as the other textpipe crates.
fn dev_dependencies(source: &TextpipeSource) -> String {
    format!("textpipe-benchkit = {}", dependency(source, "benchkit", ""))
}

/// The manifest value for textpipe's crate `crates/<folder>`, with `extra` keys appended.
fn dependency(source: &TextpipeSource, folder: &str, extra: &str) -> String {
    match source {
        TextpipeSource::Checkout(root) => {
            let path = absolute(root).join("crates").join(folder);
            format!(
                "{{ path = {}{extra} }}",
                toml_string(&path.to_string_lossy())
            )
        }
        TextpipeSource::Git { url, rev } => {
            let rev = rev
                .as_ref()
                .map(|rev| format!(", rev = {}", toml_string(rev)))
                .unwrap_or_default();
            format!("{{ git = {}{rev}{extra} }}", toml_string(url))
        }
        TextpipeSource::Version(version) if extra.is_empty() => toml_string(version),
        TextpipeSource::Version(version) => {
            format!("{{ version = {}{extra} }}", toml_string(version))
        }
    }
}

/// A TOML basic string (paths on Windows have backslashes, which TOML treats as escapes).
fn toml_string(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_checked() {
        for good in ["word-count", "langid2", "a"] {
            assert!(is_valid_name(good), "{good}");
        }
        for bad in ["", "Word", "2words", "word_count", "word-", "a--b", "wörd"] {
            assert!(!is_valid_name(bad), "{bad}");
        }
    }

    #[test]
    fn the_source_is_the_named_one_else_the_enclosing_checkout_else_an_error() {
        let checkout = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let checkout = std::fs::canonicalize(checkout).unwrap();
        let inside = checkout.join("target").join("not-yet-created");
        assert_eq!(
            TextpipeSource::choose(&inside, None, None, None).unwrap(),
            TextpipeSource::Checkout(checkout.clone())
        );
        let outside = tempfile::tempdir().unwrap();
        let error = TextpipeSource::choose(outside.path(), None, None, None).unwrap_err();
        let message = error.to_string();
        assert!(
            message.contains("--checkout PATH") && message.contains("--git URL"),
            "{message}"
        );
        assert_eq!(
            TextpipeSource::choose(outside.path(), Some(checkout.clone()), None, None).unwrap(),
            TextpipeSource::Checkout(checkout.clone())
        );
        assert!(matches!(
            TextpipeSource::choose(outside.path(), Some(outside.path().into()), None, None),
            Err(ScaffoldError::NotACheckout(_))
        ));
        let git = TextpipeSource::choose(
            outside.path(),
            None,
            Some("https://example.org/textpipe.git".into()),
            Some("v0.1.0".into()),
        )
        .unwrap();
        assert_eq!(
            dependencies(&git),
            "textpipe-core = { git = \"https://example.org/textpipe.git\", rev = \"v0.1.0\" }\n\
             textpipe-plugin = { git = \"https://example.org/textpipe.git\", rev = \"v0.1.0\", default-features = false }"
        );
        assert!(matches!(
            TextpipeSource::choose(outside.path(), None, None, Some("main".into())),
            Err(ScaffoldError::RevWithoutGit)
        ));
    }

    #[test]
    fn type_names_are_camel_case() {
        assert_eq!(type_name("language-id"), "LanguageId");
        assert_eq!(type_name("x"), "X");
    }

    #[test]
    fn scaffold_writes_a_crate_with_its_own_workspace_and_refuses_to_overwrite() {
        let dir = tempfile::tempdir().unwrap();
        let source = TextpipeSource::Version("0.1".into());
        let report = scaffold_stage("word-count", dir.path(), &source).unwrap();
        let manifest = std::fs::read_to_string(report.crate_dir.join("Cargo.toml")).unwrap();
        assert!(manifest.contains("\n[workspace]"));
        assert!(manifest.contains("crate-type = [\"cdylib\", \"rlib\"]"));
        assert!(
            manifest.contains("textpipe-plugin = { version = \"0.1\", default-features = false }")
        );
        assert!(manifest.contains("\n[dev-dependencies]\ntextpipe-benchkit = \"0.1\"\n"));
        let bench = std::fs::read_to_string(report.crate_dir.join("benches/stage.rs")).unwrap();
        assert!(bench.contains(r#"{"stage": "word-count""#));
        assert!(!bench.contains("{{"), "unfilled placeholder");
        let lib = std::fs::read_to_string(report.crate_dir.join("src/lib.rs")).unwrap();
        assert!(lib.contains("pub struct WordCountFactory;"));
        assert!(!lib.contains("{{"), "unfilled placeholder");
        assert!(matches!(
            scaffold_stage("word-count", dir.path(), &source),
            Err(ScaffoldError::Exists(_))
        ));
    }
}
