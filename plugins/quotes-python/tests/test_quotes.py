"""Tests of the quotes stage: ``python3 -m unittest discover -s tests`` in plugins/quotes-python."""

import io
import json
import os
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, ".."))
sys.path.insert(0, os.path.join(HERE, "..", "..", "..", "sdk", "python"))

from quotes import Quotes  # noqa: E402
from textpipe_stage import serve  # noqa: E402


def quotes_of(document, config=None):
    lines = [json.dumps({"configure": config or {}}), json.dumps(document, ensure_ascii=False)]
    output = io.BytesIO()
    serve(Quotes, io.BytesIO(("\n".join(lines) + "\n").encode("utf-8")), output)
    answer = json.loads(output.getvalue().decode("utf-8").splitlines()[-1])
    return answer["patch"]["ext"]["quotes"]


def sentence_and_person(text, person):
    data = text.encode("utf-8")
    start = data.index(person.encode("utf-8"))
    return {
        "sentences": [{"start": 0, "end": len(data)}],
        "entities": [{"start": start, "end": start + len(person.encode("utf-8")), "label": "PER", "text": person}],
    }


class QuotesTest(unittest.TestCase):
    def test_german_quote_with_speaker_on_byte_offsets(self):
        text = "„Wir bauen die Mauer“, sagte Anna Schmidt."
        document = {"id": "1", "text": text, **sentence_and_person(text, "Anna Schmidt")}
        [quote] = quotes_of(document)
        self.assertEqual(text.encode("utf-8")[quote["start"]:quote["end"]].decode("utf-8"), "„Wir bauen die Mauer“")
        self.assertEqual(quote["text"], "Wir bauen die Mauer")
        self.assertEqual(quote["speaker"], "Anna Schmidt")

    def test_short_quotes_are_left_out_and_min_words_is_configurable(self):
        document = {"id": "1", "text": 'He called it "absurd" and "a waste of money".'}
        self.assertEqual([q["text"] for q in quotes_of(document)], ["a waste of money"])
        self.assertEqual(len(quotes_of(document, {"min_words": 1})), 2)

    def test_without_entities_there_is_no_speaker(self):
        [quote] = quotes_of({"id": "1", "text": "« Nous voterons en mai », dit le maire."})
        self.assertIsNone(quote["speaker"])
        self.assertEqual(quote["text"], "Nous voterons en mai")

    def test_a_text_without_quotes_gives_an_empty_list(self):
        self.assertEqual(quotes_of({"id": "1", "text": "No quotation here."}), [])


if __name__ == "__main__":
    unittest.main()
