#!/usr/bin/env bash
# Renders the HTML report of the example news articles in headless Chromium, saves the
# screenshot shown in the README (docs/report.png), and measures how long a 10,000-document
# report takes to open.
#
#   scripts/report_screenshot.sh            # from the checkout; ../shared must be beside it
#
# Installs Debian's `chromium` with apt-get when it is missing. Reports go to a temporary
# folder (kept, its path is printed) so they can be opened by hand afterwards.
set -euo pipefail

cd "$(dirname "$0")/.."
shared="${TEXTPIPE_SHARED:-../shared}"
work="$(mktemp -d -t textpipe-report.XXXXXX)"
copies="${COPIES:-5000}" # two articles x 5000 = the 10,000-document report

echo "== building textpipe and the report renderer (release)"
cargo build --release --quiet --bin textpipe
cargo build --release --quiet -p textpipe-report --example render
target="${CARGO_TARGET_DIR:-target}"
textpipe="$(realpath "$target/release/textpipe")"
render="$(realpath "$target/release/examples/render")"

echo "== processing the example articles"
inputs=(examples/news/article.txt)
if [[ -f "$shared/examples/news-with-cookie-notice.txt" ]]; then
    inputs+=("$shared/examples/news-with-cookie-notice.txt")
fi
"$textpipe" run "${inputs[@]}" > "$work/news.jsonl"
# A document with markup in it, and a line that is not JSON, so the report shows escaping and
# an error record.
cat > "$work/awkward.jsonl" <<'JSONL'
{"id": "markup", "meta": {"title": "A page with <script> in it"}, "text": "Officials in Oslo said <script>alert('hi')</script> was only text. Statoil and Equinor agreed."}
{"id": "broken", "text": 
JSONL
# Run from the temporary folder so the error record names the file, not a machine path.
(cd "$work" && "$textpipe" run awkward.jsonl > awkward-out.jsonl) || [[ $? -eq 2 ]]
cat "$work/news.jsonl" "$work/awkward-out.jsonl" > "$work/run.jsonl"
"$render" "$work/run.jsonl" "$work/report.html" --title "textpipe report: example news"
"$render" "$work/news.jsonl" "$work/large.html" --copies "$copies" \
    --title "textpipe report: $((copies * $(wc -l < "$work/news.jsonl"))) documents"

if ! command -v chromium > /dev/null; then
    echo "== installing chromium"
    sudo=""
    [[ $(id -u) -eq 0 ]] || sudo="sudo"
    $sudo apt-get update -qq
    $sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium > /dev/null
fi

# A fresh profile each time, and nothing that talks to the network on its own.
chrome() {
    chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
        --disable-background-networking --disable-component-update --disable-sync \
        --hide-scrollbars --user-data-dir="$(mktemp -d)" "$@" 2> /dev/null
}

echo "== screenshot"
mkdir -p docs
chrome --screenshot=docs/report.png --window-size=1280,1600 "file://$work/report.html" > /dev/null
echo "docs/report.png written"

# Seconds (3 decimals) that a command takes.
seconds() {
    local start end
    start=$(date +%s%N)
    "$@" > /dev/null
    end=$(date +%s%N)
    awk -v ns=$((end - start)) 'BEGIN { printf "%.3f", ns / 1e9 }'
}

# "Open" is measured as Chromium's whole job for a screenshot: start, read the file, parse,
# run the page script, lay out and paint the first screen, write the PNG. `--dump-dom` is not
# used for the large page: it would time the serialization of 60+ MB of stored text instead.
# The empty page gives Chromium's own start-up cost on this machine.
echo "== time to open in Chromium (best of 3, screenshot of the first 1280x1600 screen)"
printf '<!DOCTYPE html><title>empty</title><p>empty' > "$work/empty.html"
for page in empty report large; do
    best=""
    for _ in 1 2 3; do
        t=$(seconds chrome --screenshot="$work/$page.png" --window-size=1280,1600 \
            "file://$work/$page.html")
        best=$(awk -v a="$t" -v b="${best:-$t}" 'BEGIN { print (a < b) ? a : b }')
    done
    size=$(du -h "$work/$page.html" | cut -f1)
    echo "$page.html ($size): ${best} s"
done
echo "reports kept in $work"
