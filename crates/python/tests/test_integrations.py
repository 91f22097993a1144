"""The adapters. The libraries they adapt to are large and not installed by
scripts/test_python.sh: their tests skip with a notice unless the environment has them."""

import importlib.util

import pytest

from textpipe.integrations.hf import COLUMNS, annotate

TEXTS = ["Rain in Oslo. Sun in Rome.", "Zoë flew to Zürich 😀. Angela Merkel met her there."]


def skip_without(module):
    if importlib.util.find_spec(module) is None:
        print(f"NOTICE: {module} is not installed; its adapter test is skipped")
        pytest.skip(f"{module} not installed")


def test_hf_map_function_on_a_plain_batch():
    out = annotate(threads=2)({"text": TEXTS + [None]})
    assert set(out) == set(COLUMNS) and all(len(v) == 3 for v in out.values())
    for text, entities in zip(out["textpipe_text"][:2], out["textpipe_entities"][:2]):
        for e in entities:
            assert text[e["start"] : e["end"]] == e["text"]
    assert out["textpipe_error"] == [None, None, None]


def test_hf_with_datasets():
    skip_without("datasets")
    from datasets import Dataset

    ds = Dataset.from_dict({"text": TEXTS}).map(annotate({"name": "s", "stages": [{"stage": "sentences"}]}), batched=True)
    assert [len(s) for s in ds["textpipe_sentences"]] == [2, 2]


def test_datatrove_step():
    skip_without("datatrove")
    from datatrove.data import Document

    from textpipe.integrations.datatrove import TextpipeAnnotator

    step = TextpipeAnnotator(threads=2)
    docs = [Document(text=t, id=str(i)) for i, t in enumerate(TEXTS)]
    out = list(step.run(iter(docs)))
    assert [d.id for d in out] == ["0", "1"]
    for d in out:
        for start, end, label in d.metadata["textpipe"]["entities"]:
            assert label and d.text[start:end]
