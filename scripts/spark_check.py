#!/usr/bin/env python3
"""Runs textpipe under PySpark the way docs/spark.md describes and checks the result.

    python scripts/spark_check.py BINARY WORKDIR [--documents 20000]

1. Generates the corpus (deterministic): news-like plain text and HTML pages, multi-byte text
   (accents, CJK, Arabic, emoji), and a few poison documents that must come out as error
   records: a wrong-typed `text`, spans that do not fit the text, a line cut off mid-JSON, and
   a document over `--max-document-size`.
2. Runs the pipeline once as a single process over the whole corpus on stdin.
3. Runs it with Spark on `local[2]`: `sc.addFile` ships the binary and the pipeline file,
   `rdd.pipe` streams each partition through `textpipe run`.
4. Checks: the Spark output sorted by id is byte-identical to the single-process output sorted
   by id; every poison document is an error record; no Spark task failed.
5. Runs the same recipe with a pipeline file that does not exist and checks that the Spark job
   fails (textpipe exits 1): only exit codes 0 and 2 may pass as a successful partition.

Exits non-zero with the reason on the first check that fails.
"""
import argparse
import json
import os
import subprocess
import sys
import time

# The corpus generator beside this script: the same words and portable random numbers.
from generate_corpus import NAMES as corpus_names
from generate_corpus import WORDS, Lcg

# More multi-byte names than the scale corpus has.
NAMES = corpus_names + ["Jürgen Weiß", "Łódź", "São Paulo"]
FOREIGN = ["東京の港で新しい防波堤の工事が始まった。", "قال المجلس إن العمل سيبدأ في مايو.",
           "Der Rat hat am Dienstag abgestimmt.", "Жители проголосовали во вторник.",
           "The crowd cheered 🎉👩‍👩‍👧 as the ferry arrived."]
PIPELINE = {"name": "spark-check", "stages": [
    {"stage": "boilerplate"}, {"stage": "sentences"}, {"stage": "entities"},
    {"stage": "summarize", "with": {"sentences": 3}}]}
MAX_DOCUMENT = "256K"


def sentence(rng):
    words = [WORDS[rng.next(len(WORDS))] for _ in range(6 + rng.next(14))]
    words.insert(rng.next(len(words)), NAMES[rng.next(len(NAMES))])
    text = " ".join(words)
    return text[0].upper() + text[1:] + "."


def paragraphs(rng):
    out = []
    for _ in range(1 + rng.next(4)):
        parts = [sentence(rng) for _ in range(1 + rng.next(4))]
        if rng.next(5) == 0:
            parts.append(FOREIGN[rng.next(len(FOREIGN))])
        out.append(" ".join(parts))
    return out


def document(number, rng):
    doc_id = f"doc-{number:06d}"
    paras = paragraphs(rng)
    if rng.next(2) == 0:
        return {"id": doc_id, "text": "\n\n".join(paras)}
    body = "".join(f"<p>{p}</p>" for p in paras)
    html = (f"<html><head><title>{NAMES[rng.next(len(NAMES))]}</title></head><body>"
            f"<nav><a href='/'>Home</a> | <a href='/news'>News</a></nav>"
            f"<article><h1>{sentence(rng)}</h1>{body}</article>"
            f"<footer>We use cookies to improve your experience. © 2026</footer></body></html>")
    return {"id": doc_id, "html": html}


def poison_lines():
    """Lines that must each become an error record with their id."""
    big = "word " * (300 * 1024 // 5)
    return {
        "poison-type": json.dumps({"id": "poison-type", "text": 12345}),
        "poison-spans": json.dumps({"id": "poison-spans", "text": "ab",
                                    "sentences": [{"start": 0, "end": 99}]}),
        "poison-cut": '{"id": "poison-cut", "text": "a line cut off in the middle',
        "poison-huge": json.dumps({"id": "poison-huge", "text": big}),
    }


def write_corpus(path, count):
    rng = Lcg(20261125)
    poison = poison_lines()
    every = max(1, count // (len(poison) + 1))
    slots = {every * (i + 1): line for i, line in enumerate(poison.values())}
    with open(path, "w", encoding="utf-8") as out:
        for number in range(count):
            if number in slots:
                out.write(slots[number] + "\n")
            else:
                out.write(json.dumps(document(number, rng), ensure_ascii=False) + "\n")
    return sorted(poison)


def textpipe_command(binary, pipeline):
    return [binary, "run", "--quiet", "--input-format", "jsonl", "--pipeline", pipeline,
            "--max-document-size", MAX_DOCUMENT]


def pipe_command(command):
    """The docs/spark.md wrapper: exit 0 (all went through) and 2 (finished, some documents
    are error records) pass; 1 (could not start), 3 (output lost) or a signal fail the task."""
    wrapped = ["sh", "-c",
               f'{command}; code=$?; [ "$code" -eq 0 ] || [ "$code" -eq 2 ] || exit "$code"']
    return " ".join(_quote(part) for part in wrapped)


def sorted_by_id(lines):
    keyed = []
    for line in lines:
        keyed.append((json.loads(line)["id"], line))
    keyed.sort(key=lambda pair: pair[0])
    return [line for _, line in keyed]


def fail(message):
    print(f"FAIL: {message}", file=sys.stderr)
    sys.exit(1)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("binary")
    parser.add_argument("workdir")
    parser.add_argument("--documents", type=int, default=20000)
    args = parser.parse_args()
    started = time.monotonic()
    os.makedirs(args.workdir, exist_ok=True)
    corpus = os.path.join(args.workdir, "corpus.jsonl")
    pipeline = os.path.join(args.workdir, "pipeline.json")
    with open(pipeline, "w", encoding="utf-8") as out:
        json.dump(PIPELINE, out)
    poison = write_corpus(corpus, args.documents)
    print(f"corpus: {args.documents} documents ({len(poison)} poison), "
          f"{os.path.getsize(corpus) / 1e6:.1f} MB")

    t0 = time.monotonic()
    with open(corpus, "rb") as stdin:
        single = subprocess.run(textpipe_command(args.binary, pipeline), stdin=stdin,
                                capture_output=True, check=False)
    if single.returncode not in (0, 2):
        fail(f"single-process run exited {single.returncode}: {single.stderr.decode()}")
    single_lines = single.stdout.decode("utf-8").splitlines()
    print(f"single process: {len(single_lines)} lines in {time.monotonic() - t0:.1f} s")

    from pyspark import SparkConf, SparkContext, SparkFiles

    conf = (SparkConf().setMaster("local[2]").setAppName("textpipe-spark-check")
            .set("spark.ui.enabled", "false").set("spark.ui.showConsoleProgress", "false").set("spark.task.maxFailures", "1"))
    sc = SparkContext(conf=conf)
    sc.setLogLevel("ERROR")
    try:
        t0 = time.monotonic()
        sc.addFile(args.binary)
        sc.addFile(pipeline)
        binary = SparkFiles.get(os.path.basename(args.binary))
        shipped_pipeline = SparkFiles.get("pipeline.json")
        command = " ".join(textpipe_command(binary, shipped_pipeline) + ["--threads", "1"])
        sc.setJobGroup("textpipe", "textpipe over the corpus")
        rdd = sc.textFile(corpus, minPartitions=8)
        spark_lines = rdd.pipe(pipe_command(command), checkCode=True).collect()
        tracker = sc.statusTracker()
        failed_tasks = 0
        for job_id in tracker.getJobIdsForGroup("textpipe"):
            job = tracker.getJobInfo(job_id)
            if job is None or job.status != "SUCCEEDED":
                fail(f"Spark job {job_id} did not succeed: {job}")
            for stage_id in job.stageIds:
                stage = tracker.getStageInfo(stage_id)
                if stage is not None:
                    failed_tasks += stage.numFailedTasks
        print(f"spark local[2]: {len(spark_lines)} lines from {rdd.getNumPartitions()} "
              f"partitions in {time.monotonic() - t0:.1f} s, {failed_tasks} failed tasks")
        check_bad_pipeline_fails_the_job(sc, binary, corpus, args.workdir)
    finally:
        sc.stop()

    if failed_tasks:
        fail(f"{failed_tasks} Spark tasks failed")
    if len(spark_lines) != args.documents or len(single_lines) != args.documents:
        fail(f"{len(spark_lines)} Spark lines, {len(single_lines)} single-process lines, "
             f"{args.documents} documents in")
    spark_sorted = "\n".join(sorted_by_id(spark_lines)).encode("utf-8")
    single_sorted = "\n".join(sorted_by_id(single_lines)).encode("utf-8")
    with open(os.path.join(args.workdir, "spark.sorted.jsonl"), "wb") as out:
        out.write(spark_sorted)
    with open(os.path.join(args.workdir, "single.sorted.jsonl"), "wb") as out:
        out.write(single_sorted)
    if spark_sorted != single_sorted:
        fail("the Spark output sorted by id differs from the single-process output "
             f"(see {args.workdir}/spark.sorted.jsonl and single.sorted.jsonl)")
    errors = {}
    for line in single_lines:
        record = json.loads(line)
        if "error" in record:
            errors[record["id"]] = record["error"]
    if sorted(errors) != poison:
        fail(f"error records for {sorted(errors)}, poison documents {poison}")
    for doc_id, error in sorted(errors.items()):
        print(f"  {doc_id}: error record from `{error['stage']}`: {error['message'][:90]}")
    print(f"OK: Spark output sorted by id is byte-identical to the single-process run "
          f"({len(spark_sorted)} bytes); {len(errors)} poison documents are error records; "
          f"no task failed; {time.monotonic() - started:.1f} s in all")


def check_bad_pipeline_fails_the_job(sc, binary, corpus, workdir):
    """A missing pipeline file makes every textpipe exit 1 with empty output: the job must
    fail, not succeed with nothing."""
    t0 = time.monotonic()
    missing = os.path.join(workdir, "no-such-pipeline.json")
    command = " ".join(textpipe_command(binary, missing) + ["--threads", "1"])
    sc.setJobGroup("textpipe-bad", "textpipe with a missing pipeline file")
    rdd = sc.parallelize(open(corpus, encoding="utf-8").readlines()[:200], 2)
    try:
        lines = rdd.pipe(pipe_command(command), checkCode=True).collect()
    except Exception as error:  # py4j's Py4JJavaError: the job failed, as it must
        reason = str(error).splitlines()[0][:120]
        print(f"bad pipeline: the Spark job failed as it must ({reason}) "
              f"in {time.monotonic() - t0:.1f} s")
        return
    fail(f"with a missing pipeline file the Spark job succeeded with {len(lines)} lines")


def _quote(part):
    import shlex
    return shlex.quote(part)


if __name__ == "__main__":
    main()
