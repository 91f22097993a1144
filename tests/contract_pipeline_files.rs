//! Pipeline files that used to hang or exhaust the machine: a FIFO or a device named as the
//! pipeline, a folder, YAML, a hundred thousand stages (40,000 `sentences` entries took 2 min
//! and 16 GB) or a hundred thousand problems (quadratic to locate on one long line).

use std::time::{Duration, Instant};

use crate::support;
use crate::support::textpipe;

/// `textpipe validate FILE`: exit code, stderr and how long it took.
fn validate(path: &str) -> (Option<i32>, String, Duration) {
    let started = Instant::now();
    let output = textpipe().args(["validate", path]).output().unwrap();
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
        started.elapsed(),
    )
}

#[cfg(unix)]
#[test]
fn a_device_a_fifo_or_a_folder_is_refused_as_a_pipeline_file_not_read() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("pipeline.json");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    let mut cases = vec![
        ("/dev/zero".to_string(), "is a device"),
        (dir.path().display().to_string(), "is a folder"),
    ];
    if made.is_ok_and(|status| status.success()) {
        cases.push((fifo.display().to_string(), "is a FIFO"));
    }
    for (path, expected) in cases {
        let (code, stderr, took) = validate(&path);
        assert_eq!(code, Some(1), "{path}: {stderr}");
        assert!(
            stderr.contains(&path) && stderr.contains(expected),
            "{stderr}"
        );
        assert!(took < Duration::from_secs(20), "{path}: {took:?}");
    }
}

#[test]
fn a_yaml_pipeline_file_is_refused_with_what_to_use_instead() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("news.yaml");
    std::fs::write(&path, "stages:\n  - stage: sentences\n").unwrap();
    let (code, stderr, _) = validate(&path.display().to_string());
    assert_eq!(code, Some(1));
    assert!(
        stderr.contains("YAML is not supported: use JSON or TOML"),
        "{stderr}"
    );
}

#[test]
fn a_hundred_thousand_stages_are_refused_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("huge.json");
    let entries = vec![r#"{"stage": "sentences"}"#; 100_000].join(",");
    std::fs::write(&path, format!(r#"{{"stages": [{entries}]}}"#)).unwrap();
    let (code, stderr, took) = validate(&path.display().to_string());
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        stderr.contains("100000 stage entries; a pipeline has at most 1000"),
        "{stderr}"
    );
    assert!(took < Duration::from_secs(20), "{took:?}");
}

/// A hundred thousand unknown keys on one line: each problem's column is counted along the
/// line, so locating all of them was quadratic. The first hundred are located, the rest
/// counted.
#[test]
fn a_hundred_thousand_problems_are_reported_in_linear_time() {
    let dir = tempfile::tempdir().unwrap();
    for (name, entry) in [
        ("entry-keys.json", r#"{"stage": "sentences", KEYS}"#),
        (
            "config-keys.json",
            r#"{"stage": "sentences", "with": {KEYS}}"#,
        ),
    ] {
        let keys: Vec<String> = (0..100_000).map(|i| format!(r#""key{i}": 1"#)).collect();
        let path = dir.path().join(name);
        let entry = entry.replace("KEYS", &keys.join(","));
        std::fs::write(&path, format!(r#"{{"stages": [{entry}]}}"#)).unwrap();
        let (code, stderr, took) = validate(&path.display().to_string());
        assert_eq!(code, Some(1), "{name}");
        if name == "entry-keys.json" {
            assert_eq!(stderr.lines().count(), 101, "{name}");
            assert!(
                stderr.contains("99900 more problems not shown (the first 100 are)"),
                "{name}: {}",
                stderr.lines().last().unwrap_or_default()
            );
        } else {
            // A stage's config parser stops at its own bound (64 problems).
            let lines = stderr.lines().count();
            assert!((1..=101).contains(&lines), "{name}: {lines} lines");
        }
        assert!(took < Duration::from_secs(20), "{name}: {took:?}");
    }
}

/// Files named inside stage configs (abbreviation lists, gazetteers, weights, models) get the
/// same checks as the pipeline file: a device or a folder is refused with the entry's key and
/// position, never read until memory runs out or forever.
#[cfg(unix)]
#[test]
fn a_device_or_a_folder_named_in_a_stage_config_is_refused_with_its_key() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().display().to_string();
    let entries = [
        (
            r#"{"stage": "sentences", "with": {"abbreviation_files": ["/dev/zero"]}}"#,
            "abbreviation_files[0]",
            "is a device",
        ),
        (
            r#"{"stage": "sentences"}, {"stage": "entities", "with": {"gazetteers": ["/dev/zero"]}}"#,
            "gazetteers[0]",
            "is a device",
        ),
        (
            &format!(r#"{{"stage": "boilerplate", "with": {{"html_model": "{folder}"}}}}"#),
            "html_model",
            "is a folder",
        ),
        (
            &format!(
                r#"{{"stage": "sentences"}}, {{"stage": "entities", "with": {{"model": "{folder}"}}}}"#
            ),
            "model",
            "is a folder",
        ),
    ];
    for (entry, key, expected) in entries {
        let pipeline = format!(r#"{{"name": "files", "stages": [{entry}]}}"#);
        let path = support::write(dir.path(), "files.json", pipeline.as_bytes());
        let (code, stderr, _) = validate(&path);
        assert_eq!(code, Some(1), "{entry}: {stderr}");
        assert!(
            stderr.contains(key) && stderr.contains(expected),
            "{entry}: {stderr}"
        );
    }
}
