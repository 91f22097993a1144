"""Type stubs of textpipe's compiled core."""

from typing import Any, Iterable, Iterator, Literal, Mapping, Optional, Union

__version__: str
DEFAULT_PIPELINE: str

class DocumentError(Exception):
    """A stage failed on a document; ``record`` is its :class:`ErrorRecord`."""
    record: ErrorRecord

class PipelineError(ValueError):
    """A pipeline file or dict that cannot be built."""

class Span:
    """A sentence: ``start``/``end`` in characters, ``start_byte``/``end_byte`` in UTF-8 bytes."""
    start: int
    end: int
    start_byte: int
    end_byte: int
    text: str

class Entity:
    """An entity span with its label, and the score and source its stage gave it."""
    start: int
    end: int
    start_byte: int
    end_byte: int
    text: str
    label: str
    score: Optional[float]
    source: Optional[str]

class ErrorRecord:
    """A document that could not be read or that a stage failed on. Falsy."""
    @property
    def id(self) -> Optional[str]: ...
    @property
    def stage(self) -> str: ...
    @property
    def message(self) -> str: ...
    def to_dict(self) -> dict[str, Any]: ...
    def to_json(self) -> str: ...

class Doc:
    """A processed document; layers are converted when read."""
    @property
    def id(self) -> str: ...
    @property
    def text(self) -> str: ...
    @property
    def html(self) -> Optional[str]: ...
    @property
    def lang(self) -> Optional[str]: ...
    @property
    def sentences(self) -> Optional[list[Span]]: ...
    @property
    def entities(self) -> Optional[list[Entity]]: ...
    @property
    def summary(self) -> Optional[str]: ...
    @property
    def summary_sentences(self) -> Optional[list[int]]: ...
    @property
    def removed(self) -> Optional[list[dict[str, Any]]]: ...
    @property
    def meta(self) -> dict[str, Any]: ...
    @property
    def ext(self) -> dict[str, Any]: ...
    @property
    def skipped(self) -> list[dict[str, Any]]: ...
    def to_dict(self) -> dict[str, Any]: ...
    def to_json(self) -> str: ...
    def _repr_html_(self) -> str: ...
    def __len__(self) -> int: ...

class PipeIter(Iterator[Union[Doc, ErrorRecord]]):
    def __iter__(self) -> PipeIter: ...
    def __next__(self) -> Union[Doc, ErrorRecord]: ...

class Pipeline:
    """A chain of stages; ``Pipeline()`` is the default pipeline."""
    def __init__(self) -> None: ...
    @staticmethod
    def from_file(path: Union[str, "os.PathLike[str]"]) -> Pipeline: ...
    @staticmethod
    def from_dict(spec: Mapping[str, Any]) -> Pipeline: ...
    @property
    def name(self) -> str: ...
    @property
    def stages(self) -> list[str]: ...
    def __call__(
        self,
        text: str,
        id: Optional[str] = None,
        meta: Optional[Mapping[str, Any]] = None,
        lang: Optional[str] = None,
    ) -> Doc: ...
    def pipe(
        self,
        items: Iterable[Union[str, Mapping[str, Any]]],
        threads: Optional[int] = None,
        batch_size: int = 64,
        on_error: Literal["record", "raise"] = "record",
        text_field: Optional[str] = None,
        id_field: Optional[str] = None,
        html_field: Optional[str] = None,
    ) -> PipeIter: ...

import os
