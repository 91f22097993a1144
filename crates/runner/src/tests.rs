use textpipe_core::{Document, Layer, Stage, StageError};

use super::*;

/// Marks each document in `ext` and fails the ones whose text contains `FAIL`; panics on
/// `PANIC`. Only for exercising the runner.
struct Marker;

impl Stage for Marker {
    fn name(&self) -> &str {
        "marker"
    }
    fn process(&self, doc: &mut Document) -> Result<(), StageError> {
        if doc.text.contains("PANIC") {
            panic!("asked to");
        }
        if let Some(millis) = doc.text.strip_prefix("SLEEP ") {
            std::thread::sleep(std::time::Duration::from_millis(millis.parse().unwrap()));
        }
        if doc.text.contains("GIVE UP") {
            return Err(StageError::Fatal("asked to give up".into()));
        }
        if doc.text.contains("FAIL") {
            return Err(StageError::invalid("asked to fail"));
        }
        doc.ext
            .insert("marker".into(), serde_json::Value::Bool(true));
        Ok(())
    }
    fn provides(&self) -> &[Layer] {
        &[]
    }
}

fn pipeline() -> Pipeline {
    Pipeline::new("test", vec![Box::new(Marker)], &[]).unwrap()
}

fn records(texts: &[&str]) -> Vec<Outcome> {
    texts
        .iter()
        .enumerate()
        .map(|(i, text)| Outcome::from(Document::new(i.to_string(), *text)))
        .collect()
}

fn run_on(texts: &[&str], options: RunOptions) -> (RunReport, Vec<serde_json::Value>) {
    let mut sink = JsonLinesSink::new(Vec::new());
    let report = run(
        &pipeline(),
        records(texts),
        &mut sink,
        &options,
        &mut |_| {},
    )
    .unwrap();
    let lines = String::from_utf8(sink.into_inner())
        .unwrap()
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    (report, lines)
}

fn options(threads: usize, batch_docs: usize) -> RunOptions {
    RunOptions {
        threads,
        batch_docs,
        ..RunOptions::default()
    }
}

#[test]
fn output_keeps_input_order_on_many_threads() {
    let texts: Vec<String> = (0..500).map(|i| "x".repeat(i % 37)).collect();
    let texts: Vec<&str> = texts.iter().map(String::as_str).collect();
    for (threads, batch) in [(1, 7), (3, 1), (4, 5)] {
        let (report, lines) = run_on(&texts, options(threads, batch));
        let ids: Vec<String> = lines
            .iter()
            .map(|l| l["id"].as_str().unwrap().into())
            .collect();
        let expected: Vec<String> = (0..500).map(|i| i.to_string()).collect();
        assert_eq!(ids, expected, "threads {threads}, batch {batch}");
        assert_eq!((report.read, report.written, report.failed), (500, 500, 0));
        assert_eq!(report.stages.len(), 1);
        assert_eq!(
            (
                report.stages[0].documents_in,
                report.stages[0].documents_out
            ),
            (500, 500)
        );
    }
}

#[test]
fn a_failing_document_becomes_an_error_record_and_the_run_goes_on() {
    let (report, lines) = run_on(&["a", "FAIL", "c"], options(2, 1));
    assert_eq!((report.written, report.failed), (2, 1));
    assert_eq!(lines[1]["id"], "1");
    assert_eq!(lines[1]["error"]["stage"], "marker");
    assert_eq!(lines[1]["error"]["message"], "invalid input: asked to fail");
    assert_eq!(lines[2]["ext"]["marker"], true);
}

#[test]
fn a_panic_fails_only_the_document_that_caused_it() {
    for threads in [1, 2] {
        let (report, lines) = run_on(&["a", "PANIC", "c", "d"], options(threads, 4));
        assert_eq!((report.written, report.failed), (3, 1), "{lines:?}");
        assert!(lines[1]["error"]["message"]
            .as_str()
            .unwrap()
            .contains("the stage panicked: asked to"));
        for i in [0, 2, 3] {
            assert_eq!(lines[i]["ext"]["marker"], true, "{lines:?}");
        }
    }
}

#[test]
fn fail_fast_stops_after_the_first_failure() {
    for threads in [1, 3] {
        let texts = ["a", "b", "FAIL", "d", "FAIL", "f"];
        let options = RunOptions {
            fail_fast: true,
            ..options(threads, 2)
        };
        let (report, lines) = run_on(&texts, options);
        assert_eq!(lines.len(), 3, "threads {threads}: {lines:?}");
        assert_eq!(lines[2]["error"]["stage"], "marker");
        assert_eq!((report.written, report.failed), (2, 1));
    }
}

#[test]
fn a_stage_that_gives_up_stops_the_run_after_its_batch() {
    for threads in [1, 3] {
        let texts = ["a", "b", "c", "GIVE UP", "e", "f", "g"];
        let (report, lines) = run_on(&texts, options(threads, 2));
        // The batch of the document it gave up on ("c", "GIVE UP") is written, then nothing.
        assert_eq!(lines.len(), 4, "threads {threads}: {lines:?}");
        assert_eq!(lines[3]["error"]["message"], "asked to give up");
        assert_eq!(report.stopped_by.as_deref(), Some("marker"));
        assert_eq!((report.written, report.failed), (3, 1));
    }
    let (report, lines) = run_on(&["a", "FAIL", "c"], options(1, 2));
    assert_eq!((lines.len(), report.stopped_by), (3, None));
}

#[test]
fn batches_close_on_size_too() {
    let big = "y".repeat(100);
    let texts = [big.as_str(); 10];
    let options = RunOptions {
        batch_docs: 100,
        batch_bytes: 250,
        ..options(1, 100)
    };
    let batches: Vec<usize> = Batches::new(records(&texts).into_iter(), &options)
        .map(|b| b.len())
        .collect();
    assert_eq!(batches, [3, 3, 3, 1]);
}

#[test]
fn a_collecting_sink_gets_the_same_documents_as_json_lines() {
    let texts = ["a", "FAIL", "c", "d", "e"];
    for (threads, batch) in [(1, 2), (2, 1), (3, 2)] {
        let mut sink = CollectSink::default();
        let options = options(threads, batch);
        let report = run(
            &pipeline(),
            records(&texts),
            &mut sink,
            &options,
            &mut |_| {},
        )
        .unwrap();
        let (_, lines) = run_on(&texts, options);
        let collected: Vec<serde_json::Value> = sink
            .outcomes
            .iter()
            .map(|outcome| {
                let mut line = Vec::new();
                outcome.write_json_line(&mut line);
                serde_json::from_slice(&line).unwrap()
            })
            .collect();
        assert_eq!(collected, lines);
        assert_eq!((report.written, report.failed), (4, 1));
    }
}

#[test]
fn unreadable_items_pass_through_in_their_place() {
    let mut items = records(&["a", "b"]);
    items.insert(
        1,
        Outcome::Failed(textpipe_core::ErrorRecord::unreadable(
            None,
            Some("in.jsonl".into()),
            Some(2),
            "not valid JSON",
        )),
    );
    let mut sink = CollectSink::default();
    let report = run(&pipeline(), items, &mut sink, &options(2, 1), &mut |_| {}).unwrap();
    assert_eq!((report.read, report.written, report.failed), (3, 2, 1));
    assert!(matches!(&sink.outcomes[1], Outcome::Failed(r) if r.stage == "input"));
    assert_eq!(report.stages[0].documents_in, 2);
}

#[test]
fn a_document_over_the_time_budget_becomes_an_error_record_and_the_run_goes_on() {
    // The slow document sleeps 3 s against a 200 ms budget; without the watchdog the run would
    // wait for it, with it the run ends well before.
    let texts = ["a", "b", "SLEEP 3000", "d", "e", "f", "g"];
    for (threads, batch) in [(1, 7), (2, 3), (3, 1)] {
        let options = RunOptions {
            document_timeout: Some(std::time::Duration::from_millis(200)),
            ..options(threads, batch)
        };
        let started = std::time::Instant::now();
        let mut sink = JsonLinesSink::new(Vec::new());
        let report = run_shared(
            std::sync::Arc::new(pipeline()),
            records(&texts),
            &mut sink,
            &options,
            &mut |_| {},
        )
        .unwrap();
        let took = started.elapsed();
        let lines: Vec<serde_json::Value> = String::from_utf8(sink.into_inner())
            .unwrap()
            .lines()
            .map(|line| serde_json::from_str(line).unwrap())
            .collect();
        assert!(took.as_millis() < 2500, "threads {threads}: took {took:?}");
        assert_eq!((report.written, report.failed), (6, 1), "{lines:?}");
        let ids: Vec<&str> = lines.iter().map(|l| l["id"].as_str().unwrap()).collect();
        assert_eq!(ids, ["0", "1", "2", "3", "4", "5", "6"]);
        // Named after the stage it was stuck in.
        assert_eq!(lines[2]["error"]["stage"], "marker");
        assert!(lines[2]["error"]["message"]
            .as_str()
            .unwrap()
            .contains("0.2 s"));
        for i in [0, 1, 3, 4, 5, 6] {
            assert_eq!(lines[i]["ext"]["marker"], true, "{lines:?}");
        }
    }
}

#[test]
fn documents_within_the_budget_come_out_as_without_one() {
    let texts = ["a", "FAIL", "SLEEP 5", "PANIC", "e"];
    for threads in [1, 2] {
        let (_, plain) = run_on(&texts, options(threads, 2));
        let budget = RunOptions {
            document_timeout: Some(std::time::Duration::from_secs(30)),
            ..options(threads, 2)
        };
        let (report, timed) = run_on(&texts, budget);
        assert_eq!(plain, timed);
        assert_eq!(report.stages[0].documents_in, 5);
    }
}

/// Records what reached the sink and when it was flushed.
#[derive(Default)]
struct FlushLog {
    lines: usize,
    flushed_at: Vec<usize>,
}

impl Sink for FlushLog {
    fn renderer(&self) -> Option<Renderer> {
        Some(Outcome::write_json_line)
    }
    fn write(&mut self, batch: Batch) -> std::io::Result<()> {
        if let Batch::Rendered(bytes) = batch {
            self.lines += bytes.iter().filter(|&&b| b == b'\n').count();
        }
        Ok(())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.flushed_at.push(self.lines);
        Ok(())
    }
}

#[test]
fn the_sink_is_flushed_as_batches_are_written_not_only_at_the_end() {
    let texts: Vec<String> = (0..40).map(|i| format!("SLEEP {}", i % 3)).collect();
    let texts: Vec<&str> = texts.iter().map(String::as_str).collect();
    for threads in [1, 2] {
        let mut sink = FlushLog::default();
        run(
            &pipeline(),
            records(&texts),
            &mut sink,
            &options(threads, 4),
            &mut |_| {},
        )
        .unwrap();
        assert_eq!(sink.lines, 40);
        assert!(sink.flushed_at.len() >= 2, "{:?}", sink.flushed_at);
        assert!(sink.flushed_at[0] < 40, "{:?}", sink.flushed_at);
        assert_eq!(sink.flushed_at.last(), Some(&40));
    }
}

#[test]
fn too_many_threads_is_an_error_not_an_abort() {
    let mut sink = CollectSink::default();
    let error = run(
        &pipeline(),
        records(&["a"]),
        &mut sink,
        &options(MAX_THREADS + 1, 1),
        &mut |_| {},
    )
    .unwrap_err();
    assert!(matches!(error, RunError::TooManyThreads { .. }), "{error}");
    assert!(sink.outcomes.is_empty());
}
