//! `textpipe new-stage NAME`: a plugin crate that builds, tests, benches and loads as
//! generated, so a team starts from something that works and changes it step by step.

use std::path::{Path, PathBuf};

use crate::host::building::{absolute, lib_name_of, library_file_name};

/// Where the generated crate gets textpipe's crates from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TextpipeSource {
    /// A checkout of textpipe (its root folder): path dependencies.
    Checkout(PathBuf),
    /// Published crates of this version requirement (e.g. `"0.1"`).
    Version(String),
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
    match source {
        TextpipeSource::Checkout(root) => {
            let root = absolute(root);
            let path =
                |krate: &str| toml_string(&root.join("crates").join(krate).to_string_lossy());
            format!(
                "textpipe-core = {{ path = {} }}\n\
                 textpipe-plugin = {{ path = {}, default-features = false }}",
                path("core"),
                path("plugin")
            )
        }
        TextpipeSource::Version(version) => format!(
            "textpipe-core = {0}\ntextpipe-plugin = {{ version = {0}, default-features = false }}",
            toml_string(version)
        ),
    }
}

/// The bench helper, from the same source as the other textpipe crates.
fn dev_dependencies(source: &TextpipeSource) -> String {
    match source {
        TextpipeSource::Checkout(root) => format!(
            "textpipe-benchkit = {{ path = {} }}",
            toml_string(
                &absolute(root)
                    .join("crates")
                    .join("benchkit")
                    .to_string_lossy()
            )
        ),
        TextpipeSource::Version(version) => {
            format!("textpipe-benchkit = {}", toml_string(version))
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
