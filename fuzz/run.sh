#!/usr/bin/env bash
# Runs every fuzz target (or the ones named) for SECONDS each, one after the other, on one
# core and at low priority, and prints a line per target for the log in fuzz/README.md.
#
#   fuzz/run.sh 300                       # every target, 5 minutes each
#   fuzz/run.sh 60 sentences entities     # two targets, a minute each
#
# Corpora grow in fuzz/corpus/TARGET (seeded from the checked-in examples and hostile
# fixtures on first use); a crash leaves its input in fuzz/artifacts/TARGET and stops that
# target. Needs cargo-fuzz (`cargo install cargo-fuzz`); see fuzz/README.md for why the flags.
set -euo pipefail
cd "$(dirname "$0")"

seconds="${1:?usage: fuzz/run.sh SECONDS [TARGET...]}"
shift
targets=("$@")
if (( ${#targets[@]} == 0 )); then
  mapfile -t targets < <(cargo fuzz list)
fi
target_dir="${CARGO_TARGET_DIR:-target}"
flags=(-O --sanitizer none --target-dir "$target_dir")

nice cargo fuzz build "${flags[@]}"

seed() {
  local corpus="corpus/$1"
  mkdir -p "$corpus"
  [[ -n "$(ls -A "$corpus")" ]] && return
  case "$1" in
    pipeline_file) cp ../examples/pipelines/* "$corpus"/ ;;
    plugin_patch) printf '{}' > "$corpus/empty"
      printf '{"ext": {"k": [1, "x"]}, "sentences": [{"start": 0, "end": 5}]}' > "$corpus/layers" ;;
    report_views)
      printf '%s' '{"id":"a","text":"Rain in Oslo. Sun in Rome.","meta":{"title":"Weather"},"sentences":[{"start":0,"end":13},{"start":14,"end":26}],"entities":[{"start":8,"end":12,"label":"LOC","text":"Oslo"}],"summary":{"text":"Sun in Rome.","sentences":[1],"scores":[0.2,0.9]},"removed":[{"text":"Accept cookies","reason":"cookie-notice"}]}' > "$corpus/document"
      printf '%s' '{"id":"b\u001b[2J","text":"x\u0007y","sentences":[{"start":0,"end":9}],"entities":[{"start":1,"end":0,"label":"\u001b]0;t","text":""}]}' > "$corpus/broken"
      printf '%s' '{"line":4,"input":"c.jsonl","error":{"stage":"input","message":"bad \u001b[31m"}}' > "$corpus/error" ;;
    *) cp ../examples/news/article.txt ../tests/adversarial/* "$corpus"/ 2> /dev/null || true ;;
  esac
}

status=0
for target in "${targets[@]}"; do
  seed "$target"
  log="$(mktemp)"
  started=$SECONDS
  if nice cargo fuzz run "${flags[@]}" "$target" "corpus/$target" -- \
      -max_total_time="$seconds" -max_len=16384 -rss_limit_mb=4096 -timeout=60 \
      -print_final_stats=1 > "$log" 2>&1; then
    result="no crash"
  else
    result="CRASH, see fuzz/artifacts/$target"
    status=1
    tail -40 "$log" >&2
  fi
  runs=$(awk '/stat::number_of_executed_units/ {print $2}' "$log")
  # Wall time actually fuzzed: a crash ends a target early.
  printf '%s\t%ss\t%s runs\t%s\n' "$target" "$((SECONDS - started))" "${runs:-?}" "$result"
  rm -f "$log"
done
exit "$status"
