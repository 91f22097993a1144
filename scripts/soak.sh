#!/usr/bin/env bash
# Soak run: streams COUNT mixed documents (default 1,000,000) through the default pipeline of a
# release build, samples the process's resident memory every second, and checks that every
# input id comes out exactly once, in order, as a result or as an error record.
#
#   scripts/soak.sh            # 1,000,000 documents
#   scripts/soak.sh 100000     # fewer
#
# The mix (deterministic, seeded): news-like text of 50 B to 20 KB, HTML pages with
# navigation and footers, hostile text (NUL bytes, bidi and zero-width controls, CJK, Arabic,
# emoji ZWJ sequences, empty documents), lines that must fail (spans outside their text,
# invalid UTF-8, broken JSON). Nothing touches the disk: generator, textpipe and checker are
# joined by pipes, so the run measures textpipe, not the corpus size.
#
# Prints the peak RSS of the first and last 10% of the run (by time) and their difference;
# fails if it exceeds 10% or if any id is missing, repeated or out of order. The samples are
# kept in $SOAK_SAMPLES (default: a temporary file) as `seconds,rss_kib`.
set -euo pipefail
cd "$(dirname "$0")/.."

count="${1:-1000000}"
cargo build --release --quiet
binary="${CARGO_TARGET_DIR:-target}/release/textpipe"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
samples="${SOAK_SAMPLES:-$work/samples.csv}"

cat > "$work/generate.py" <<'PY'
import json, random, sys

count = int(sys.argv[1])
rng = random.Random(20261125)
names = ["Ana Ruiz", "Harbor Point", "the Port Authority", "Lena Okafor", "Brussels",
         "Kenji Sato", "the World Bank", "Nairobi", "Maria Costa", "Oslo"]
words = ("the council said plans for a new sea wall would cost more than expected and "
         "residents voted on tuesday after months of debate over flooding risk").split()
hostile = ["A\u0000B\u0000 NUL bytes.", "\u202eright to left\u202c and \u200bzero\u200dwidth.",
           "東京都の知事は火曜日に記者会見を開いた。", "أعلن رئيس البلدية عن خطة جديدة.",
           "Family 👨‍👩‍👧‍👦 and flags 🏳️‍🌈 🇺🇸.", "", "\r\n\r\n", "&amp;&#128512;&nosuch;"]
out = sys.stdout.buffer
for i in range(count):
    doc_id = f"doc-{i:07d}"
    kind = rng.random()
    if kind < 0.6:
        sentences = []
        for _ in range(rng.choice((1, 2, 4, 8, 16, 40, 120))):
            body = " ".join(rng.choice(words) for _ in range(rng.randint(4, 18)))
            sentences.append(f"{rng.choice(names)} {body}.")
        line = json.dumps({"id": doc_id, "text": " ".join(sentences)})
    elif kind < 0.85:
        paragraphs = "".join(
            f"<p>{rng.choice(names)} " + " ".join(rng.choice(words) for _ in range(12)) + ".</p>"
            for _ in range(rng.randint(1, 12)))
        html = ("<html><head><title>Story</title></head><body><nav>Home | World | Sport</nav>"
                f"<article>{paragraphs}</article><footer>Subscribe. Cookies help us.</footer>"
                "</body></html>")
        line = json.dumps({"id": doc_id, "html": html})
    elif kind < 0.95:
        line = json.dumps({"id": doc_id, "text": rng.choice(hostile) * rng.randint(0, 30)})
    elif kind < 0.97:
        line = json.dumps({"id": doc_id, "text": "Short.", "sentences": [{"start": 0, "end": 99}]})
    elif kind < 0.985:
        out.write(b'{"id": "' + doc_id.encode() + b'", "text": "bad \xff byte"}\n')
        continue
    else:
        line = '{"id": "' + doc_id + '", "text": "truncated'
    out.write(line.encode() + b"\n")
PY

cat > "$work/check.py" <<'PY'
import json, sys

count = int(sys.argv[1])
expected = 0
failed = 0
for raw in sys.stdin.buffer:
    record = json.loads(raw)
    if "id" in record:
        number = int(record["id"].removeprefix("doc-"))
    else:
        # An unparseable line has no id; its line number is the id's number plus one.
        number = record["line"] - 1
    if number != expected:
        sys.exit(f"record {expected}: expected doc-{expected:07d}, got {raw[:120]!r}")
    failed += "error" in record
    expected += 1
if expected != count:
    sys.exit(f"{expected} records out, {count} in")
print(f"every one of {count} ids came out once, in order ({failed} as error records)")
PY

mkfifo "$work/in" "$work/out"
python3 "$work/generate.py" "$count" > "$work/in" &
python3 "$work/check.py" "$count" < "$work/out" > "$work/check.txt" 2>&1 &
checker=$!
started=$(date +%s.%N)
"$binary" run --quiet --input-format jsonl - < "$work/in" > "$work/out" &
textpipe=$!

: > "$samples"
while kill -0 "$textpipe" 2> /dev/null; do
  rss=$(awk '/^VmRSS:/ {print $2}' "/proc/$textpipe/status" 2> /dev/null || true)
  [[ -n "$rss" ]] && echo "$(date +%s.%N | awk -v s="$started" '{printf "%.1f", $1 - s}'),$rss" >> "$samples"
  sleep 1
done
status=0
wait "$textpipe" || status=$?
wait "$checker" || { cat "$work/check.txt" >&2; echo "FAIL: ids not accounted for" >&2; exit 1; }
(( status == 0 || status == 2 )) || { echo "FAIL: textpipe exited with $status" >&2; exit 1; }
elapsed=$(awk -v s="$started" -v e="$(date +%s.%N)" 'BEGIN {printf "%.0f", e - s}')
cat "$work/check.txt"

awk -F, -v elapsed="$elapsed" -v count="$count" '
  { t[NR] = $1; r[NR] = $2 }
  END {
    last = t[NR]
    for (i = 1; i <= NR; i++) {
      if (t[i] <= last * 0.1 && r[i] > first_peak) first_peak = r[i]
      if (t[i] >= last * 0.9 && r[i] > last_peak) last_peak = r[i]
      if (r[i] > peak) peak = r[i]
    }
    change = (last_peak - first_peak) * 100 / first_peak
    printf "%d documents in %d s (%.0f docs/s), %d RSS samples\n", count, elapsed, count / elapsed, NR
    printf "peak RSS: first 10%% %d KiB, last 10%% %d KiB (%+.1f%%), whole run %d KiB\n",
      first_peak, last_peak, change, peak
    if (change > 10 || change < -10) { print "FAIL: peak RSS changed by more than 10%"; exit 1 }
  }' "$samples"
