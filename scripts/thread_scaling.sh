#!/usr/bin/env bash
# Does `textpipe run` scale with cores? Runs the embedded default pipeline over generated
# documents with 1 thread and with 2 threads and prints the throughput of each and the ratio.
# The target is 2 threads >= 1.8x one thread on a 2-core machine; the script exits 1 below it.
#
#   scripts/thread_scaling.sh                    # 20,000 documents, best of 3 runs each
#   DOCUMENTS=50000 REPEATS=5 scripts/thread_scaling.sh
#
# The ratio only means something on an otherwise idle machine: the script prints the load
# average (`uptime`) before and after, and a busy machine understates the 2-thread figure.
# Needs python3; writes its corpus under $TMPDIR.
set -euo pipefail
cd "$(dirname "$0")/.."

documents="${DOCUMENTS:-20000}"
repeats="${REPEATS:-3}"
target="${TARGET:-1.8}"
cargo build --release --quiet --bin textpipe
binary="${CARGO_TARGET_DIR:-target}/release/textpipe"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
python3 scripts/generate_corpus.py "$documents" > "$work/docs.jsonl"
bytes=$(stat -c %s "$work/docs.jsonl")

echo "cores: $(nproc); load before: $(uptime | sed 's/.*load average: //')"
status=0
python3 - "$binary" "$work/docs.jsonl" "$documents" "$repeats" "$target" <<'PY' || status=$?
import os, subprocess, sys, time
binary, corpus, documents, repeats, target = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5])
size = os.path.getsize(corpus)
best = {}
for threads in (1, 2):
    times = []
    for _ in range(repeats):
        start = time.monotonic()
        subprocess.run([binary, "run", "--quiet", "--threads", str(threads), corpus],
                       stdout=subprocess.DEVNULL, check=True)
        times.append(time.monotonic() - start)
    best[threads] = min(times)
    print(f"{threads} thread(s): best of {repeats} runs {best[threads]:.2f} s "
          f"(all: {', '.join(f'{t:.2f}' for t in times)}), {documents / best[threads]:.0f} docs/s, "
          f"{size / best[threads] / 1e6:.2f} MB/s")
ratio = best[1] / best[2]
print(f"speed-up with 2 threads: {ratio:.2f}x (target {target}x)")
if ratio < target:
    print("BELOW TARGET (a busy machine understates the speed-up: check the load)", file=sys.stderr)
    sys.exit(1)
PY
echo "load after: $(uptime | sed 's/.*load average: //')"
exit "$status"
