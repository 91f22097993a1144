"""Tests of the Python SDK for textpipe process stages: ``python3 -m unittest`` in sdk/python."""

import io
import json
import unittest

import textpipe_stage
from textpipe_stage import Document, Entity, Span, Stage, serve


class Names(Stage):
    name = "names"
    summary = "Marks capitalised words as entities"
    config = {"label": {"type": "string", "default": "NAME", "description": "entity label"}}
    requires = ("sentences",)
    provides = ("entities",)

    def process(self, doc):
        position = 0
        for word in doc.text.split(" "):
            if word[:1].isupper():
                doc.add_entity(position, position + len(word.rstrip(".")), self.label)
            position += len(word) + 1
        doc.ext["names"] = {"sentences": len(doc.sentences)}


def converse(stage_class, config, documents):
    """Runs the protocol over in-memory streams; returns the lines the stage wrote."""
    lines = [json.dumps({"configure": config})] + [json.dumps(d, ensure_ascii=False) for d in documents]
    output = io.BytesIO()
    serve(stage_class, io.BytesIO(("\n".join(lines) + "\n").encode("utf-8")), output)
    return [json.loads(line) for line in output.getvalue().decode("utf-8").splitlines()]


class ProtocolTest(unittest.TestCase):
    def test_hello_states_version_name_schema_and_layers(self):
        hello = converse(Names, {}, [])[0]
        self.assertEqual(hello["textpipe_process"], 1)
        self.assertEqual(hello["stage"], "names")
        self.assertEqual(hello["requires"], ["sentences"])
        self.assertEqual(hello["provides"], ["entities"])
        self.assertEqual(hello["config_schema"]["properties"]["label"]["default"], "NAME")
        self.assertEqual(hello["example"], {"label": "NAME"})

    def test_entities_in_character_offsets_become_byte_offsets(self):
        text = "Über Zoë and Ann."
        doc = {"id": "1", "text": text, "sentences": [{"start": 0, "end": len(text.encode())}]}
        hello, ready, answer = converse(Names, {"label": "PER"}, [doc])
        self.assertEqual(ready, {"ready": True})
        entities = answer["patch"]["entities"]
        data = text.encode("utf-8")
        self.assertEqual([data[e["start"]:e["end"]].decode() for e in entities], ["Über", "Zoë", "Ann"])
        self.assertEqual([e["text"] for e in entities], ["Über", "Zoë", "Ann"])
        self.assertEqual(answer["patch"]["ext"], {"names": {"sentences": 1}})

    def test_sentences_arrive_in_character_offsets(self):
        text = "日本語。Next one."
        data = text.encode("utf-8")
        doc = Document({"id": "1", "text": text, "sentences": [{"start": 0, "end": 12}, {"start": 12, "end": len(data)}]})
        self.assertEqual(doc.sentences, [Span(0, 4), Span(4, len(text))])
        self.assertEqual(text[doc.sentences[1].start:doc.sentences[1].end], "Next one.")

    def test_unknown_and_mistyped_config_keys_are_reported_with_a_suggestion(self):
        _, reply = converse(Names, {"lable": "X", "label": 3}, [])
        problems = reply["config_errors"]
        self.assertEqual(problems[0]["path"], ["lable"])
        self.assertEqual(problems[0]["suggestion"], "label")
        self.assertEqual(problems[1], {"path": ["label"], "message": "must be of type string"})

    def test_a_document_that_raises_is_an_error_and_the_next_goes_on(self):
        class Picky(Stage):
            name = "picky"

            def process(self, doc):
                if doc.text == "bad":
                    raise ValueError("not this one")
                doc.ext["picky"] = True

        stderr = io.StringIO()
        real_stderr, textpipe_stage.sys.stderr = textpipe_stage.sys.stderr, stderr
        try:
            answers = converse(Picky, {}, [{"id": "a", "text": "bad"}, {"id": "b", "text": "good"}])[2:]
        finally:
            textpipe_stage.sys.stderr = real_stderr
        self.assertEqual(answers[0], {"error": "ValueError: not this one"})
        self.assertEqual(answers[1], {"patch": {"ext": {"picky": True}}})
        self.assertIn("not this one", stderr.getvalue())

    def test_an_unchanged_document_gives_an_empty_patch(self):
        class Reader(Stage):
            name = "reader"
            reads = ("entities", "ext", "meta")

            def process(self, doc):
                assert doc.entities[0] == Entity(0, 1, "X")
                assert doc.meta == {"url": "u"}

        doc = {"id": "1", "text": "é", "entities": [{"start": 0, "end": 2, "label": "X", "text": "é"}],
               "ext": {"other": [1]}, "meta": {"url": "u"}}
        self.assertEqual(converse(Reader, {}, [doc])[2], {"patch": {}})

    def test_removed_ext_keys_and_layers_are_sent_as_null(self):
        class Dropper(Stage):
            name = "dropper"
            provides = ("entities",)
            reads = ("entities", "ext")

            def process(self, doc):
                doc.entities = None
                del doc.ext["old"]

        doc = {"id": "1", "text": "a", "entities": [], "ext": {"old": 1, "kept": 2}}
        self.assertEqual(converse(Dropper, {}, [doc])[2], {"patch": {"entities": None, "ext": {"old": None}}})

    def test_byte_span_of_a_multibyte_quote(self):
        doc = Document({"id": "1", "text": "„Ja“, sagte er."})
        self.assertEqual(doc.byte_span(0, 4), {"start": 0, "end": 8})

    def test_a_rewritten_text_gets_its_spans_on_the_new_text(self):
        class Upper(Stage):
            name = "upper"
            provides = ("text", "sentences")

            def process(self, doc):
                doc.text = "ÄÖ. " + doc.text
                doc.sentences = [Span(0, 3), Span(4, len(doc.text))]

        patch = converse(Upper, {}, [{"id": "1", "text": "ok"}])[2]["patch"]
        self.assertEqual(patch["text"], "ÄÖ. ok")
        self.assertEqual(patch["sentences"], [{"start": 0, "end": 5}, {"start": 6, "end": 8}])

    def test_a_stage_with_languages_accepts_a_checked_fallback(self):
        class German(Stage):
            name = "german"
            languages = ("de",)

            def process(self, doc):
                pass

        hello = converse(German, {}, [])[0]
        self.assertEqual(hello["languages"], ["de"])
        self.assertEqual(hello["example"], {"fallback": "skip"})
        self.assertEqual(converse(German, {"fallback": "error"}, [])[1], {"ready": True})
        problems = converse(German, {"fallback": "french"}, [])[1]["config_errors"]
        self.assertEqual(problems, [{"path": ["fallback"], "message": "must be one of skip, english, error"}])


if __name__ == "__main__":
    unittest.main()
