#!/usr/bin/env bash
# Memory stays flat with corpus size: runs `textpipe run` over 100,000 and 1,000,000
# generated documents, prints each run's peak RSS (GNU time) and checks that every input id
# comes out exactly once, in input order.
#
#   scripts/scale_run.sh                 # the embedded default pipeline
#   PIPELINE=examples/pipelines/passthrough.json scripts/scale_run.sh   # runner only
#
# Needs python3 and /usr/bin/time; writes its temporary corpora (about 0.6 GB) under $TMPDIR.
set -euo pipefail
cd "$(dirname "$0")/.."

cargo build --release --quiet
binary="${CARGO_TARGET_DIR:-target}/release/textpipe"
pipeline_args=()
if [[ -n "${PIPELINE:-}" ]]; then
  pipeline_args=(--pipeline "$PIPELINE")
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

declare -A rss
for count in 100000 1000000; do
  python3 scripts/generate_corpus.py "$count" > "$work/docs.jsonl"
  /usr/bin/time -v "$binary" run --quiet "${pipeline_args[@]}" "$work/docs.jsonl" \
    --output "$work/out.jsonl" 2> "$work/time.txt" || {
    cat "$work/time.txt" >&2
    exit 1
  }
  rss[$count]="$(awk -F': ' '/Maximum resident set size/ {print $2}' "$work/time.txt")"
  wall="$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$work/time.txt")"
  # Every id once, in order: the output's ids must be exactly doc-0000000 .. doc-(count-1).
  python3 - "$work/out.jsonl" "$count" <<'PY'
import json, sys
path, count = sys.argv[1], int(sys.argv[2])
with open(path, encoding="utf-8") as out:
    for expected, line in enumerate(out):
        doc = json.loads(line)
        if "error" in doc or doc.get("id") != f"doc-{expected:07d}":
            sys.exit(f"line {expected + 1}: expected doc-{expected:07d}, got {line[:120]}")
if expected + 1 != count:
    sys.exit(f"{expected + 1} documents out, {count} in")
PY
  echo "$count documents: peak RSS ${rss[$count]} KiB, wall ${wall}, every id once and in order"
  rm -f "$work/docs.jsonl" "$work/out.jsonl"
done
growth=$(( (rss[1000000] - rss[100000]) * 100 / rss[100000] ))
echo "peak RSS growth from 100,000 to 1,000,000 documents: ${growth}%"
if (( growth > 10 )); then
  echo "FAIL: more than 10%" >&2
  exit 1
fi
