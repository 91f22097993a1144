"""textpipe over Hugging Face ``datasets``: a function for ``Dataset.map(..., batched=True)``.

>>> from datasets import Dataset
>>> from textpipe.integrations.hf import annotate
>>> ds = Dataset.from_dict({"text": ["Rain in Oslo. Sun in Rome."]})
>>> ds = ds.map(annotate(), batched=True)
>>> ds[0]["textpipe_entities"][0]["text"]
'Oslo'

The batch's texts run through ``Pipeline.pipe`` on every core. New columns, one value per
row (``None`` where a row failed, with the reason in ``textpipe_error``):

- ``textpipe_text``: the cleaned text the offsets point into (differs from the input for HTML);
- ``textpipe_lang``: the language tag;
- ``textpipe_sentences``: ``[{"start", "end"}]`` in characters of ``textpipe_text``;
- ``textpipe_entities``: ``[{"start", "end", "label", "text", "score"}]``, characters too;
- ``textpipe_summary``: the summary's text;
- ``textpipe_error``: ``None``, or ``"stage: message"``.

This module does not import ``datasets``: any mapping of columns to lists works as a batch.
"""

from typing import Any, Callable, Mapping, Optional, Union

from .. import Doc, Pipeline

COLUMNS = (
    "textpipe_text",
    "textpipe_lang",
    "textpipe_sentences",
    "textpipe_entities",
    "textpipe_summary",
    "textpipe_error",
)


def annotate(
    pipeline: Optional[Union[Pipeline, Mapping[str, Any], str]] = None,
    text_column: str = "text",
    id_column: Optional[str] = None,
    threads: Optional[int] = None,
    batch_size: int = 64,
) -> Callable[[Mapping[str, list]], dict]:
    """A batched map function adding the ``textpipe_*`` columns.

    ``pipeline`` is a :class:`Pipeline`, a pipeline dict, a pipeline file path, or ``None``
    for the default pipeline; it is built on first use, so the function pickles (as
    ``datasets`` needs for caching and ``num_proc``) when given a dict or a path.
    """
    built: dict = {}

    def nlp() -> Pipeline:
        if "p" not in built:
            if pipeline is None:
                built["p"] = Pipeline()
            elif isinstance(pipeline, Pipeline):
                built["p"] = pipeline
            elif isinstance(pipeline, str):
                built["p"] = Pipeline.from_file(pipeline)
            else:
                built["p"] = Pipeline.from_dict(dict(pipeline))
        return built["p"]

    def map_batch(batch: Mapping[str, list]) -> dict:
        texts = batch[text_column]
        ids = batch[id_column] if id_column else range(len(texts))
        items = [{"id": str(i), "text": t if t is not None else ""} for i, t in zip(ids, texts)]
        out: dict = {column: [] for column in COLUMNS}
        for result in nlp().pipe(items, threads=threads, batch_size=batch_size):
            if isinstance(result, Doc):
                _add_doc(out, result)
            else:
                for column in COLUMNS[:-1]:
                    out[column].append(None)
                out["textpipe_error"].append(f"{result.stage}: {result.message}")
        return out

    return map_batch


def _add_doc(out: dict, doc: Doc) -> None:
    out["textpipe_text"].append(doc.text)
    out["textpipe_lang"].append(doc.lang)
    sentences = doc.sentences
    out["textpipe_sentences"].append(
        None if sentences is None else [{"start": s.start, "end": s.end} for s in sentences]
    )
    entities = doc.entities
    out["textpipe_entities"].append(
        None
        if entities is None
        else [
            {"start": e.start, "end": e.end, "label": e.label, "text": e.text, "score": e.score}
            for e in entities
        ]
    )
    out["textpipe_summary"].append(doc.summary)
    out["textpipe_error"].append(None)
