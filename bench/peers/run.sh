#!/usr/bin/env bash
# The peer comparison end to end: today's Python tools and textpipe on the same dev data
# (../shared/data beside the checkout), every output scored by `textpipe eval`, one markdown
# table of quality and speed written to bench/peers/results.md.
#
#   bench/peers/run.sh                      # everything, in a fresh virtualenv bench/peers/.venv
#   PEERS_VENV=path/to/venv bench/peers/run.sh   # reuse a virtualenv that already has the peers
#   TASKS="sentences entities" bench/peers/run.sh  # some tasks only (the table shows what ran)
#   PEERS_TASKS=summarize bench/peers/run.sh    # rerun these peers only; the other peers'
#                                                # outputs already in OUT are scored again
#   PEERS_TASKS=none bench/peers/run.sh         # rerun textpipe only, against the peers'
#                                                # outputs already in OUT
#
# Speed is one thread for every tool: the peers' own calls timed in one Python process (model
# loading excluded), textpipe by `textpipe bench` (the pipeline's stages, documents already read).
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$root"
data="${DATA:-../shared/data}"
out="${OUT:-bench/peers/out}"
tasks="${TASKS:-boilerplate sentences entities summarize}"
peer_tasks="${PEERS_TASKS:-$tasks}"

if [ ! -d "$data" ]; then
    echo "no dev data at $data (set DATA)" >&2
    exit 1
fi

venv="${PEERS_VENV:-$here/.venv}"
if [ -z "${PEERS_VENV:-}" ]; then
    [ -x "$venv/bin/python" ] || python3 -m venv "$venv"
    # Old pip resolvers mis-handle the spaCy model's pins: upgrade pip first.
    "$venv/bin/python" -m pip install --quiet --upgrade pip
    "$venv/bin/python" -m pip install --quiet -r "$here/requirements.txt"
fi
python="$venv/bin/python"

cargo build --release --quiet --bin textpipe
textpipe="${CARGO_TARGET_DIR:-target}/release/textpipe"

mkdir -p "$out"
load_before="$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown)"
"$python" "$here/peers.py" inputs "$data" "$out"
for task in $peer_tasks; do
    [ "$task" = none ] && continue
    "$python" "$here/peers.py" "$task" "$data" "$out"
done

# textpipe on the same inputs: outputs for scoring (one thread), then its speed.
pipeline_of() { case "$1" in boilerplate-*) echo boilerplate ;; entities-*) echo entities ;;
                summarize-*) echo summarize ;; *) echo "$1" ;; esac; }
gold_of() {
    case "$1" in
        boilerplate-*) echo "$data/boilerplate/wcxb-dev-articles" ;;
        sentences) echo "$data/sentences/ud_en_dev.jsonl.gz" ;;
        entities-*) echo "$data/entities/${1#entities-}.conll.gz" ;;
        summarize-*) echo "$data/summaries/${1#summarize-}.jsonl.gz" ;;
    esac
}
for dir in "$out"/*/; do
    name="$(basename "$dir")"
    case " $tasks " in *" $(pipeline_of "$name") "*) ;; *) continue ;; esac
    pipeline="$here/pipelines/$(pipeline_of "$name").json"
    "$textpipe" run --quiet --threads 1 --pipeline "$pipeline" "$dir/input.jsonl" \
        --output "$dir/textpipe.jsonl" || [ $? -eq 2 ]
    "$textpipe" bench --pipeline "$pipeline" "$dir/input.jsonl" --json > "$dir/textpipe.bench.json"
    # Documented non-default settings for one data set (pipelines/<folder>.<variant>.json)
    # are scored as the tool `textpipe-<variant>`, beside the default.
    for variant_pipeline in "$here/pipelines/$name".*.json; do
        [ -e "$variant_pipeline" ] || continue
        variant="$(basename "$variant_pipeline" .json)"
        variant="textpipe-${variant#"$name".}"
        "$textpipe" run --quiet --threads 1 --pipeline "$variant_pipeline" "$dir/input.jsonl" \
            --output "$dir/$variant.jsonl" || [ $? -eq 2 ]
        "$textpipe" bench --pipeline "$variant_pipeline" "$dir/input.jsonl" --json \
            > "$dir/$variant.bench.json"
    done
    for predictions in "$dir"/*.jsonl; do
        tool="$(basename "$predictions" .jsonl)"
        [ "$tool" = input ] && continue
        "$textpipe" eval "$(pipeline_of "$name")" "$(gold_of "$name")" "$predictions" --json \
            > "$dir/$tool.score.json"
    done
done

"$python" "$here/table.py" "$out" --load "$load_before" \
    --command "${TASKS:+TASKS=\"$TASKS\" }${PEERS_TASKS:+PEERS_TASKS=\"$PEERS_TASKS\" }bench/peers/run.sh" \
    > "$here/results.md"
cat "$here/results.md"
