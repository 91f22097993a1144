"""Writes the peer comparison table (markdown) from what run.sh left in OUT_DIR.

Usage: python table.py OUT_DIR --command CMD [--load "1.0 1.2 1.3"]

Quality comes from `textpipe eval` (<tool>.score.json), speed from the peers' own timing
(<tool>.time.json) and from `textpipe bench` (textpipe.bench.json, the whole pipeline's row).
"""

import argparse
import datetime
import json
import os
import platform

# (folder, what is scored, how quality is shown)
TASKS = [
    ("boilerplate-html", "boilerplate, HTML pages (WCXB dev, 300 pages)", "shingle"),
    ("boilerplate-text", "boilerplate, flattened text (WCXB dev, 300 pages)", "shingle"),
    ("sentences", "sentences (UD English EWT + GUM dev)", "boundary"),
    ("entities-conll2003_dev", "entities (CoNLL-2003 dev)", "spans"),
    ("entities-uner_ewt_dev", "entities (UniversalNER EWT dev; PER/ORG/LOC)", "spans"),
    ("summarize-cnndm_dev", "summarize (CNN/DailyMail dev)", "rouge"),
    ("summarize-bbc_dev", "summarize (BBC News dev)", "rouge"),
]

NOTES = {
    ("boilerplate-html", "textpipe"): "in-sample: the shipped model was trained on these pages",
    ("boilerplate-text", "textpipe"): "in-sample: the shipped model was trained on these pages",
    ("boilerplate-text", "do-nothing"): "the page text unchanged (a baseline)",
    ("summarize-bbc_dev", "textpipe"): "default pipeline; in-sample: its weights were fitted on these articles (5-fold CV R2 76.97)",
    ("summarize-cnndm_dev", "textpipe"): "in-sample: the default weights were fitted on these stories (5-fold CV R1 34.14)",
    ("summarize-bbc_dev", "textpipe-textrank"): "`bench/peers/pipelines/summarize-bbc_dev.textrank.json`",
}


def load(path):
    with open(path) as f:
        return json.load(f)


def quality(kind, score):
    if kind in ("shingle", "boundary"):
        return (f"F1 {score['f1']:.3f} (P {score['precision']:.3f}, R {score['recall']:.3f})",
                score["f1"])
    if kind == "spans":
        return (f"F1 {score['f1']:.2f} (P {score['precision']:.2f}, R {score['recall']:.2f})",
                score["f1"])
    return (f"R1 {score['rouge1']:.2f} / R2 {score['rouge2']:.2f} / "
            f"RLsum {score['rougeLsum']:.2f}", score["rouge2"])


def speed(folder, tool):
    """(docs/s, MB/s) of one tool, or None when it was not timed."""
    if tool == "textpipe" or tool.startswith("textpipe-"):
        path = os.path.join(folder, tool + ".bench.json")
        if not os.path.exists(path):
            return None
        total = load(path)["total"]
        return total["docs_per_sec"], total["mb_per_sec"]
    path = os.path.join(folder, tool + ".time.json")
    if not os.path.exists(path):
        return None
    timing = load(path)
    if timing["seconds"] <= 0:
        return None
    return timing["documents"] / timing["seconds"], timing["bytes"] / 1e6 / timing["seconds"]


def machine():
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return f"{cpu}, {os.cpu_count()} cores, {platform.system()} {platform.release()}"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("out")
    parser.add_argument("--command", required=True)
    parser.add_argument("--load", default="unknown")
    args = parser.parse_args()

    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        f"Measured {now} on {machine()} (load average {args.load} when the run started; the "
        f"machine may have been shared), one thread per tool, by `{args.command}`. Quality from "
        "`textpipe eval` on every tool's output; speed is documents and MB of input per second "
        "of the tool's own calls (model loading excluded; textpipe: `textpipe bench`).",
        "",
        "| task | tool | quality | docs/s | MB/s | note |",
        "|---|---|---|---:|---:|---|",
    ]
    for folder_name, title, kind in TASKS:
        folder = os.path.join(args.out, folder_name)
        if not os.path.isdir(folder):
            continue
        rows = []
        for name in sorted(os.listdir(folder)):
            if not name.endswith(".score.json"):
                continue
            tool = name[: -len(".score.json")]
            text, key = quality(kind, load(os.path.join(folder, name)))
            rows.append((key, tool, text, speed(folder, tool)))
        rows.sort(key=lambda row: (-row[0], row[1]))
        for key, tool, text, timing in rows:
            docs, mb = (f"{timing[0]:,.0f}", f"{timing[1]:.2f}") if timing else ("—", "—")
            name = f"**{tool}**" if tool.startswith("textpipe") else tool
            note = NOTES.get((folder_name, tool), "")
            lines.append(f"| {title} | {name} | {text} | {docs} | {mb} | {note} |")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
