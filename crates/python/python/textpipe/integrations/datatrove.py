"""textpipe as a datatrove pipeline step: :class:`TextpipeAnnotator`.

>>> from datatrove.executor import LocalPipelineExecutor
>>> from textpipe.integrations.datatrove import TextpipeAnnotator
>>> LocalPipelineExecutor(pipeline=[reader, TextpipeAnnotator(), writer]).run()

Each datatrove ``Document`` runs through the pipeline (on every core, in order). Its text is
replaced by the cleaned text (``replace_text=True``) and ``metadata["textpipe"]`` gets the
language, sentences and entities (character offsets into the new text) and the summary.
Documents a stage fails on are dropped and counted (``drop_failed=True``), or kept with
``metadata["textpipe_error"]``.

Importing this module needs datatrove; the rest of textpipe does not.
"""

from collections import deque
from typing import Any, Mapping, Optional, Union

from datatrove.data import DocumentsPipeline
from datatrove.pipeline.base import PipelineStep

from .. import Doc, Pipeline


class TextpipeAnnotator(PipelineStep):
    """Runs a textpipe pipeline over datatrove Documents."""

    name = "textpipe"
    type = "✍️ - ANNOTATOR"

    def __init__(
        self,
        pipeline: Optional[Union[Mapping[str, Any], str]] = None,
        threads: Optional[int] = None,
        batch_size: int = 64,
        replace_text: bool = True,
        drop_failed: bool = True,
    ):
        """``pipeline`` is a pipeline dict, a pipeline file path, or ``None`` for the default
        pipeline. It is built in ``run``, so the step pickles for datatrove's executors."""
        super().__init__()
        self.pipeline = pipeline
        self.threads = threads
        self.batch_size = batch_size
        self.replace_text = replace_text
        self.drop_failed = drop_failed

    def _build(self) -> Pipeline:
        if self.pipeline is None:
            return Pipeline()
        if isinstance(self.pipeline, str):
            return Pipeline.from_file(self.pipeline)
        return Pipeline.from_dict(dict(self.pipeline))

    def run(self, data: DocumentsPipeline, rank: int = 0, world_size: int = 1) -> DocumentsPipeline:
        nlp = self._build()
        pending: deque = deque()

        def items():
            for document in data:
                pending.append(document)
                yield {"id": str(document.id), "text": document.text}

        for result in nlp.pipe(items(), threads=self.threads, batch_size=self.batch_size):
            document = pending.popleft()
            if not isinstance(result, Doc):
                self.stat_update("textpipe_failed")
                if self.drop_failed:
                    continue
                document.metadata["textpipe_error"] = f"{result.stage}: {result.message}"
                yield document
                continue
            self.stat_update("textpipe_done")
            if self.replace_text:
                document.text = result.text
            sentences = result.sentences or []
            entities = result.entities or []
            document.metadata["textpipe"] = {
                "lang": result.lang,
                "sentences": [[s.start, s.end] for s in sentences],
                "entities": [[e.start, e.end, e.label] for e in entities],
                "summary": result.summary,
            }
            yield document
