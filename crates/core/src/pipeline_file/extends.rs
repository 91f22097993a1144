//! `"extends"`: a pipeline file that starts from another pipeline (today: `"default"`) and
//! says only what differs, so its configs cannot drift from the default's.
//!
//! ```json
//! {"name": "news-with-quotes", "extends": "default",
//!  "stages": [{"stage": "summarize", "with": {"sentences": 5}},
//!             {"stage": "quotes", "command": ["python3", "quotes.py"], "after": "entities"},
//!             {"stage": "language", "remove": true}]}
//! ```
//!
//! Each entry, in order, changes the extended pipeline's list of stages:
//!
//! - an entry whose kind is already there **reconfigures** it: its `with` keys are laid over
//!   the existing ones, and its other keys (`plugin`, `command`, `timeout`, ...) replace them;
//! - an entry of a new kind is **appended**, or inserted `"before"` / `"after"` the stage of
//!   the named kind; an existing kind with `before`/`after` is reconfigured and moved there;
//! - `"remove": true` drops the stage of that kind.
//!
//! Who resolves the name is the front-end's business (it owns the default pipeline): it calls
//! [`PipelineFile::extend`] with the base file; a file whose `extends` nobody resolved is a
//! problem at build time. `textpipe validate` prints the expanded list.

use serde_json::{Map, Value};

use super::{entry_path, PipelineFile, PipelineFileError, StageEntry};

/// Entry keys only a file that `extends` another may use.
pub(super) const EXTEND_KEYS: [&str; 3] = ["before", "after", "remove"];

/// The index of an entry that came from the extended pipeline: it has no place in this file.
pub(super) const BASE_ENTRY: usize = usize::MAX;

/// Where an entry goes in the extended pipeline.
#[derive(Debug, Clone, Default, PartialEq)]
pub(super) enum Placement {
    /// Reconfigures the stage of its kind, else is appended.
    #[default]
    InPlace,
    /// Goes before the stage of this kind.
    Before(String),
    /// Goes after the stage of this kind.
    After(String),
    /// Drops the stage of its kind.
    Remove,
}

/// True when `path` points into an entry of the extended pipeline.
pub(super) fn is_base_path(path: &[String]) -> bool {
    path.first().is_some_and(|p| p == "stages")
        && path.get(1).is_some_and(|p| *p == BASE_ENTRY.to_string())
}

impl PipelineFile {
    /// The pipeline this file extends (`"extends"`), if any.
    pub fn extends(&self) -> Option<&str> {
        self.extends.as_deref()
    }

    /// Expands this file over `base`, the pipeline its `extends` names: afterwards `stages`
    /// is the whole list. Problems (a `before` naming a kind the base lacks, ...) are reported
    /// by [`PipelineFile::build`] with the others.
    pub fn extend(&mut self, base: &PipelineFile) {
        let mut stages: Vec<StageEntry> = base
            .stages
            .iter()
            .cloned()
            .map(|mut entry| {
                entry.index = BASE_ENTRY;
                entry
            })
            .collect();
        for entry in std::mem::take(&mut self.stages) {
            let existing = stages.iter().position(|s| s.kind == entry.kind);
            let anchor = match &entry.placement {
                Placement::Before(kind) | Placement::After(kind) => {
                    match stages.iter().position(|s| s.kind == *kind) {
                        Some(at) => Some(at),
                        None => {
                            let key = match entry.placement {
                                Placement::Before(_) => "before",
                                _ => "after",
                            };
                            let problem = self.no_such_stage(&stages, entry.index, key, kind);
                            self.shape_problems.push(problem);
                            continue;
                        }
                    }
                }
                _ => None,
            };
            match (&entry.placement, existing) {
                (Placement::Remove, Some(at)) => {
                    stages.remove(at);
                }
                (Placement::Remove, None) => {
                    let problem = self.no_such_stage(&stages, entry.index, "stage", &entry.kind);
                    self.shape_problems.push(problem);
                }
                (Placement::InPlace, Some(at)) => {
                    let merged = merge(stages[at].clone(), entry);
                    stages[at] = merged;
                }
                (Placement::InPlace, None) => stages.push(entry),
                (Placement::Before(_) | Placement::After(_), existing) => {
                    let mut entry = entry;
                    let mut anchor = anchor.unwrap_or(stages.len());
                    if let Some(at) = existing {
                        entry = merge(stages.remove(at), entry);
                        if at < anchor {
                            anchor -= 1;
                        }
                    }
                    let at = match entry.placement {
                        Placement::After(_) => anchor + 1,
                        _ => anchor,
                    };
                    stages.insert(at.min(stages.len()), entry);
                }
            }
        }
        self.stages = stages;
        self.expanded = true;
    }

    fn no_such_stage(
        &self,
        stages: &[StageEntry],
        index: usize,
        key: &str,
        kind: &str,
    ) -> PipelineFileError {
        let kinds: Vec<&str> = stages.iter().map(|s| s.kind.as_str()).collect();
        let mut problem = self.problem(
            &entry_path(index, &[key]),
            false,
            format!(
                "the extended pipeline has no stage `{kind}`; it has: {}",
                kinds.join(", ")
            ),
        );
        problem.suggestion =
            crate::config::nearest(kind, kinds.iter().copied()).map(str::to_string);
        problem
    }

    /// The problem of a file whose `extends` no front-end resolved.
    pub(super) fn unexpanded_problem(&self) -> Option<PipelineFileError> {
        let name = self.extends.as_ref().filter(|_| !self.expanded)?;
        Some(self.problem(
            &["extends".to_string()],
            false,
            format!("unknown pipeline `{name}`; only `default` can be extended"),
        ))
    }

    pub(super) fn read_extends(&mut self, object: &Map<String, Value>) {
        match object.get("extends") {
            None => {}
            Some(Value::String(name)) => self.extends = Some(name.clone()),
            Some(_) => self.shape_problem(
                &["extends".into()],
                false,
                r#"must name the pipeline to extend, e.g. "default""#.into(),
            ),
        }
    }

    pub(super) fn read_placement(
        &mut self,
        index: usize,
        object: &Map<String, Value>,
    ) -> Placement {
        let mut placement = Placement::InPlace;
        let mut given = Vec::new();
        for key in EXTEND_KEYS {
            let Some(value) = object.get(key) else {
                continue;
            };
            given.push(key);
            placement = match (key, value) {
                ("before", Value::String(kind)) => Placement::Before(kind.clone()),
                ("after", Value::String(kind)) => Placement::After(kind.clone()),
                ("remove", Value::Bool(true)) => Placement::Remove,
                ("remove", Value::Bool(false)) => Placement::InPlace,
                ("remove", _) => {
                    self.shape_problem(
                        &entry_path(index, &[key]),
                        false,
                        "must be true or false".into(),
                    );
                    continue;
                }
                _ => {
                    let message = "must name the stage kind to place this one next to".into();
                    self.shape_problem(&entry_path(index, &[key]), false, message);
                    continue;
                }
            };
        }
        if given.len() > 1 {
            let message = format!(
                "use one of `before`, `after` and `remove`, not {}",
                given.join(" and ")
            );
            self.shape_problem(&entry_path(index, &[given[1]]), true, message);
        }
        placement
    }
}

/// `base` reconfigured by `over`: `with` keys laid over the base's, other keys replaced.
fn merge(base: StageEntry, over: StageEntry) -> StageEntry {
    let with = match (base.with, over.with) {
        (Value::Object(mut base), Value::Object(over)) => {
            base.extend(over);
            Value::Object(base)
        }
        (base, Value::Null) => base,
        (_, over) => over,
    };
    StageEntry {
        kind: over.kind,
        with,
        plugin: over.plugin.or(base.plugin),
        sha256: over.sha256.or(base.sha256),
        command: over.command.or(base.command),
        isolate: over.isolate || base.isolate,
        timeout: over.timeout.or(base.timeout),
        max_restarts: over.max_restarts.or(base.max_restarts),
        max_memory: over.max_memory.or(base.max_memory),
        placement: over.placement,
        index: over.index,
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use serde_json::json;

    use super::*;
    use crate::pipeline_file::PipelineFormat;
    use crate::registry::Registry;

    const BASE: &str = r#"{"name": "default", "stages": [
        {"stage": "language"}, {"stage": "sentences"}, {"stage": "entities"},
        {"stage": "summarize", "with": {"sentences": 3, "method": "lead"}}]}"#;

    fn parse(text: &str) -> PipelineFile {
        PipelineFile::parse(text, PipelineFormat::Json, "mine.json", Path::new(".")).unwrap()
    }

    fn expanded(text: &str) -> PipelineFile {
        let mut file = parse(text);
        file.extend(&parse(BASE));
        file
    }

    fn kinds(file: &PipelineFile) -> Vec<&str> {
        file.stages.iter().map(|s| s.kind.as_str()).collect()
    }

    #[test]
    fn entries_reconfigure_append_insert_move_and_remove() {
        let file = expanded(
            r#"{"extends": "default", "stages": [
                {"stage": "summarize", "with": {"sentences": 5}},
                {"stage": "keywords", "plugin": "libkeywords.so"},
                {"stage": "quotes", "command": ["python3", "quotes.py"], "after": "entities"},
                {"stage": "entities", "before": "sentences"},
                {"stage": "language", "remove": true}]}"#,
        );
        assert!(file.shape_problems.is_empty(), "{:?}", file.shape_problems);
        assert_eq!(
            kinds(&file),
            ["entities", "sentences", "quotes", "summarize", "keywords"]
        );
        let summarize = &file.stages[3];
        assert_eq!(summarize.with, json!({"sentences": 5, "method": "lead"}));
        assert_eq!(summarize.index, 0, "a reconfigured entry is this file's");
        assert_eq!(file.stages[1].index, BASE_ENTRY);
    }

    #[test]
    fn naming_a_stage_the_base_lacks_is_a_problem_with_a_suggestion() {
        let file = expanded(
            r#"{"extends": "default", "stages": [
                {"stage": "quotes", "command": ["q"], "after": "entitie"},
                {"stage": "boilerplate", "remove": true}]}"#,
        );
        let messages: Vec<String> = file.shape_problems.iter().map(|p| p.to_string()).collect();
        assert_eq!(messages.len(), 2, "{messages:?}");
        assert!(
            messages[0].contains("`stages[0].after`: the extended pipeline has no stage `entitie`")
        );
        assert!(
            messages[0].ends_with("(did you mean `entities`?)"),
            "{}",
            messages[0]
        );
        assert!(
            messages[1].contains("no stage `boilerplate`"),
            "{}",
            messages[1]
        );
    }

    #[test]
    fn placement_keys_exist_only_in_a_file_that_extends_another() {
        let file = parse(r#"{"stages": [{"stage": "quotes", "after": "entities"}]}"#);
        let message = file.shape_problems[0].to_string();
        assert!(
            message.contains("`stages[0].after`: unknown key"),
            "{message}"
        );
        let file = parse(
            r#"{"extends": "default", "stages": [{"stage": "x", "after": "a", "remove": true}]}"#,
        );
        assert!(file.shape_problems[0]
            .message
            .contains("not after and remove"));
    }

    #[test]
    fn an_extends_nobody_resolved_is_reported_at_build() {
        let file = parse(r#"{"extends": "news", "stages": []}"#);
        let error = file
            .build(&Registry::new(), None, &[])
            .err()
            .unwrap()
            .to_string();
        assert!(
            error.contains("`extends`: unknown pipeline `news`; only `default` can be extended"),
            "{error}"
        );
    }

    #[test]
    fn problems_of_a_base_entry_point_at_extends() {
        let file = expanded(r#"{"extends": "default", "stages": []}"#);
        let error = file
            .build(&Registry::new(), None, &[])
            .err()
            .unwrap()
            .to_string();
        assert!(error.contains("mine.json:1:13: `extends`: in the extended pipeline: unknown stage kind `language`"), "{error}");
    }
}
