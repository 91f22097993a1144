"""textpipe: text-processing pipelines for news and web text, from Python.

>>> import textpipe
>>> nlp = textpipe.Pipeline()
>>> doc = nlp("Residents of Port Ellery voted on Tuesday. The council said work starts in May.")
>>> [s.text for s in doc.sentences]
['Residents of Port Ellery voted on Tuesday.', 'The council said work starts in May.']

``nlp.pipe(items)`` streams many documents on every core, in input order; ``Doc.to_json()``
is the line ``textpipe run`` prints for the same document. See the README for the rest.
"""

from ._textpipe import (
    DEFAULT_PIPELINE,
    Doc,
    DocumentError,
    Entity,
    ErrorRecord,
    PipeIter,
    Pipeline,
    PipelineError,
    Span,
    __version__,
)

__all__ = [
    "DEFAULT_PIPELINE",
    "Doc",
    "DocumentError",
    "Entity",
    "ErrorRecord",
    "PipeIter",
    "Pipeline",
    "PipelineError",
    "Span",
    "__version__",
]
