#!/usr/bin/env python3
"""Throughput of `nlp.pipe(..., threads=N)` against `textpipe run --threads N` on the same
JSON Lines, and the per-call overhead of `nlp(text)` over an empty pipeline.

Both sides must be release builds: `pip install ./crates/python` and `cargo build --release`.

    python3 crates/python/bench/pipe_speed.py --cli target/release/textpipe --threads 2

The corpus is 20,000 documents from scripts/generate_corpus.py (deterministic). The machine
load (`os.getloadavg()`) is printed with the numbers, since a shared machine skews them.
"""

import argparse
import json
import os
import pathlib
import subprocess
import sys
import tempfile
import time

import textpipe

CHECKOUT = pathlib.Path(__file__).resolve().parents[3]


def corpus(n):
    out = subprocess.run(
        [sys.executable, str(CHECKOUT / "scripts" / "generate_corpus.py"), str(n)],
        capture_output=True, check=True,
    ).stdout
    return out


def best_of(repeats, fn):
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return min(times)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cli", default=str(CHECKOUT / "target" / "release" / "textpipe"))
    parser.add_argument("--threads", type=int, default=os.cpu_count())
    parser.add_argument("--docs", type=int, default=20000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()

    data = corpus(args.docs)
    lines = [json.loads(line) for line in data.splitlines()]
    with tempfile.NamedTemporaryFile(suffix=".jsonl") as file:
        file.write(data)
        file.flush()

        def cli():
            subprocess.run(
                [args.cli, "run", "--threads", str(args.threads), file.name],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True,
            )

        cli_seconds = best_of(args.repeats, cli)

    nlp = textpipe.Pipeline()

    def python_pipe():
        # Written out as JSON lines like the CLI does, so both do the same work.
        for doc in nlp.pipe(lines, threads=args.threads):
            doc.to_json()

    py_seconds = best_of(args.repeats, python_pipe)

    empty = textpipe.Pipeline.from_dict({"name": "empty", "stages": []})
    short = "Residents of Port Ellery voted on Tuesday to build a sea wall."
    calls = 20000
    call_seconds = best_of(args.repeats, lambda: [empty(short) for _ in range(calls)])

    load = os.getloadavg()
    print(f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}, {os.cpu_count()} cores")
    print(f"{args.docs} documents, {len(data) / 1e6:.1f} MB, threads={args.threads}, best of {args.repeats}")
    print(f"textpipe run : {cli_seconds:7.2f} s  {args.docs / cli_seconds:9.0f} docs/s")
    print(f"nlp.pipe     : {py_seconds:7.2f} s  {args.docs / py_seconds:9.0f} docs/s"
          f"  ({100 * cli_seconds / py_seconds:.0f}% of the CLI)")
    print(f"nlp(text), empty pipeline: {1e6 * call_seconds / calls:.1f} µs per call")


if __name__ == "__main__":
    main()
