#!/usr/bin/env python3
"""The `quotes` stage: direct quotations in news text, with the speaker when entities say who.

A process stage written with textpipe's Python SDK (`sdk/python/textpipe_stage.py`). It finds
passages between quotation marks ("...", “...”, „...“, «...», ‘...’ is left out: it is also an
apostrophe), keeps those of at least `min_words` words, and attributes each to the nearest
person entity in the same sentence when the document has sentences and entities. Results go
to `ext.quotes`, each with byte offsets into the text (textpipe's span convention), the quote's
text and the speaker's name or null.
"""

import os
import re
import sys

# The SDK lives in the textpipe checkout (sdk/python) or is installed with the Python package.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "sdk", "python"))

from textpipe_stage import Stage, run  # noqa: E402

# Opening mark -> closing marks it pairs with.
_PAIRS = {'"': '"', "\u201c": "\u201d", "\u201e": "\u201c\u201d", "\u00ab": "\u00bb", "\u00bb": "\u00ab"}
_QUOTE = re.compile(
    '|'.join('%s([^%s\\n]{1,2000}?)[%s]' % (re.escape(o), re.escape(c), re.escape(c)) for o, c in _PAIRS.items())
)


class Quotes(Stage):
    name = "quotes"
    summary = "Direct quotations, with the speaker from person entities in the same sentence"
    config = {
        "min_words": {"type": "integer", "default": 3, "description": "fewest words a quotation has"},
    }
    reads = ("sentences", "entities")

    def configure(self, config):
        super().configure(config)
        if self.min_words < 1:
            raise ValueError("min_words must be at least 1")

    def process(self, doc):
        quotes = []
        sentences = doc.sentences or []
        people = [e for e in (doc.entities or []) if e.label == "PER"]
        for match in _QUOTE.finditer(doc.text):
            group = next(i for i in range(1, len(_PAIRS) + 1) if match.group(i) is not None)
            words = match.group(group).split()
            if len(words) < self.min_words:
                continue
            start, end = match.span()
            quote = doc.byte_span(start, end)
            quote["text"] = match.group(group).strip()
            quote["speaker"] = _speaker(start, end, sentences, people, doc.text)
            quotes.append(quote)
        doc.ext["quotes"] = quotes


def _speaker(start, end, sentences, people, text):
    """The person entity nearest the quotation within its sentence, or None."""
    sentence = next((s for s in sentences if s.start <= start < s.end), None)
    if sentence is None:
        return None
    inside = [p for p in people if sentence.start <= p.start and p.end <= max(sentence.end, end)
              and not (start <= p.start < end)]
    if not inside:
        return None
    nearest = min(inside, key=lambda p: min(abs(p.start - end), abs(start - p.end)))
    return text[nearest.start:nearest.end]


if __name__ == "__main__":
    run(Quotes)
