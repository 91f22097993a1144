#!/usr/bin/env python3
"""Writes N small synthetic news-like documents as JSON Lines to stdout, deterministically.

Used for the runner bench fixture and the 1,000,000-document scale run. The text is made of
invented words and names (no third-party text); a few documents carry non-ASCII characters,
quotes and line breaks so JSON escaping is exercised. Same N, same bytes, on any machine.

    python3 scripts/generate_corpus.py 1000 > docs.jsonl
"""
import json
import sys

WORDS = (
    "council harbour vote residents storm wall budget engineers project minister report "
    "river town coast market bridge school hospital station festival museum ferry road "
    "said would could after before during against between towards announced approved "
    "rejected delayed expected new old larger smaller higher lower early late first last"
).split()
NAMES = ["Port Ellery", "Kessby", "Arnhavn", "Maren Ekholm", "Tomas Varga", "Lindmark",
         "Ingrid Solberg", "Halden", "Zoë Åkerlund", "Café Nordlys"]


class Lcg:
    """A tiny linear congruential generator: identical output in every Python version."""

    def __init__(self, seed):
        self.state = seed

    def next(self, bound):
        self.state = (self.state * 6364136223846793005 + 1442695040888963407) % 2**64
        return (self.state >> 33) % bound


def sentence(rng):
    words = [WORDS[rng.next(len(WORDS))] for _ in range(6 + rng.next(14))]
    words.insert(rng.next(len(words)), NAMES[rng.next(len(NAMES))])
    text = " ".join(words)
    if rng.next(8) == 0:
        text = '"' + text + '," she said'
    return text[0].upper() + text[1:] + "."


def document(number, rng):
    paragraphs = []
    for _ in range(1 + rng.next(3)):
        paragraphs.append(" ".join(sentence(rng) for _ in range(1 + rng.next(4))))
    return {"id": f"doc-{number:07d}", "text": "\n\n".join(paragraphs)}


def main():
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    rng = Lcg(20240917)
    out = sys.stdout
    for number in range(count):
        out.write(json.dumps(document(number, rng), ensure_ascii=False))
        out.write("\n")


if __name__ == "__main__":
    main()
