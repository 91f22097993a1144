"""Write textpipe stages in Python: a class with ``process(doc)``, run as its own process.

A pipeline entry names the program::

    {"stage": "quotes", "command": ["python3", "quotes.py"], "with": {"min_words": 3}}

and the program is a subclass of :class:`Stage` handed to :func:`run`::

    from textpipe_stage import Stage, run

    class Shouting(Stage):
        name = "shouting"
        summary = "Counts words written in capitals"
        config = {"min_length": {"type": "integer", "default": 2,
                                 "description": "shortest word that counts"}}

        def process(self, doc):
            words = [w for w in doc.text.split() if w.isupper() and len(w) >= self.min_length]
            doc.ext["shouting"] = len(words)

    if __name__ == "__main__":
        run(Shouting)

Offsets are Python string offsets. textpipe's documents use UTF-8 byte offsets; this module
converts both ways, so ``doc.text[s.start:s.end]`` is the sentence and an entity added with
``doc.add_entity(start, end, "ORG")`` lands on the right bytes. Offsets inside ``ext`` are
yours to choose; :meth:`Document.byte_span` gives byte offsets for a span you store there.

The module speaks textpipe's process protocol (version 1) on stdin and stdout, and uses only
the standard library. ``print`` goes to stderr, which textpipe copies to its log, so stray
output never corrupts the protocol. An exception in ``process`` fails that document only.
"""

import difflib
import json
import sys
import traceback

__all__ = ["Stage", "Document", "Span", "Entity", "run", "PROTOCOL_VERSION"]

PROTOCOL_VERSION = 1

_LAYERS = ("text", "sentences", "entities", "summary", "removed")
_FIELDS = ("meta", "html", "sentences", "entities", "summary", "removed", "ext")
_JSON_TYPES = {
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    "string": lambda v: isinstance(v, str),
    "boolean": lambda v: isinstance(v, bool),
    "array": lambda v: isinstance(v, list),
    "object": lambda v: isinstance(v, dict),
}


class Span:
    """A sentence: ``start``/``end`` are offsets into ``doc.text`` (Python, not bytes)."""

    __slots__ = ("start", "end")

    def __init__(self, start, end):
        self.start = start
        self.end = end

    def __eq__(self, other):
        return isinstance(other, Span) and (self.start, self.end) == (other.start, other.end)

    def __repr__(self):
        return "Span(%d, %d)" % (self.start, self.end)


class Entity:
    """A labelled mention; ``start``/``end`` are offsets into ``doc.text``."""

    __slots__ = ("start", "end", "label", "source", "score")

    def __init__(self, start, end, label, source=None, score=None):
        self.start = start
        self.end = end
        self.label = label
        self.source = source
        self.score = score

    def __eq__(self, other):
        return isinstance(other, Entity) and self._key() == other._key()

    def _key(self):
        return (self.start, self.end, self.label, self.source, self.score)

    def __repr__(self):
        return "Entity(%d, %d, %r)" % (self.start, self.end, self.label)


class _Offsets:
    """Converts between Python string offsets and UTF-8 byte offsets of one text."""

    def __init__(self, text):
        self.ascii = text.isascii()
        if self.ascii:
            return
        # byte_of[i] is the byte offset of character i; char_of maps a byte offset back.
        byte_of = [0] * (len(text) + 1)
        position = 0
        for i, ch in enumerate(text):
            byte_of[i] = position
            code = ord(ch)
            position += 1 if code < 0x80 else 2 if code < 0x800 else 3 if code < 0x10000 else 4
        byte_of[len(text)] = position
        self.byte_of = byte_of
        self.char_of = {b: i for i, b in enumerate(byte_of)}

    def to_bytes(self, offset):
        return offset if self.ascii else self.byte_of[offset]

    def to_chars(self, offset):
        if self.ascii:
            return offset
        try:
            return self.char_of[offset]
        except KeyError:
            raise ValueError("byte offset %d is not on a character boundary" % offset) from None


class Document:
    """One document as a stage sees it.

    ``id``, ``text``, ``lang``, ``meta`` (dict), ``html``, ``sentences`` (list of
    :class:`Span`), ``entities`` (list of :class:`Entity`), ``summary`` and ``removed`` (as in
    textpipe's JSON), ``ext`` (dict keyed by stage name). Only the fields the stage lists in
    ``reads`` (and the layers it ``requires``) are filled; the others are ``None``.
    """

    def __init__(self, fields):
        self._fields = fields
        self.id = fields.get("id", "")
        self.text = fields.get("text", "")
        self.lang = fields.get("lang")
        self.meta = fields.get("meta", {})
        self.html = fields.get("html")
        self.summary = fields.get("summary")
        self.removed = fields.get("removed")
        self.ext = fields.get("ext", {})
        self._offsets = None
        self._sentences = None
        self._entities = None
        # Layers the stage assigned (even to None), so a removed layer is sent back too.
        self._touched = set()

    def _offsets_of_input(self):
        if self._offsets is None:
            self._offsets = _Offsets(self._fields.get("text", ""))
        return self._offsets

    @property
    def sentences(self):
        if self._sentences is None and self._fields.get("sentences") is not None:
            at = self._offsets_of_input().to_chars
            self._sentences = [Span(at(s["start"]), at(s["end"])) for s in self._fields["sentences"]]
        return self._sentences

    @sentences.setter
    def sentences(self, spans):
        self._sentences = list(spans) if spans is not None else None
        self._touched.add("sentences")

    @property
    def entities(self):
        if self._entities is None and self._fields.get("entities") is not None:
            at = self._offsets_of_input().to_chars
            self._entities = [
                Entity(at(e["start"]), at(e["end"]), e["label"], e.get("source"), e.get("score"))
                for e in self._fields["entities"]
            ]
        return self._entities

    @entities.setter
    def entities(self, entities):
        self._entities = list(entities) if entities is not None else None
        self._touched.add("entities")

    def add_entity(self, start, end, label, source=None, score=None):
        """Adds an entity over ``text[start:end]``, keeping the layer sorted."""
        entities = self.entities
        if entities is None:
            entities = self._entities = []
            self._touched.add("entities")
        entities.append(Entity(start, end, label, source, score))
        entities.sort(key=lambda e: (e.start, e.end))

    def byte_span(self, start, end):
        """``{"start", "end"}`` in UTF-8 bytes of ``text[start:end]``, for spans kept in ``ext``."""
        offsets = _Offsets(self.text) if self.text != self._fields.get("text", "") else self._offsets_of_input()
        return {"start": offsets.to_bytes(start), "end": offsets.to_bytes(end)}


def _entity_json(entity, text, to_bytes):
    item = {
        "start": to_bytes(entity.start),
        "end": to_bytes(entity.end),
        "label": entity.label,
        "text": text[entity.start:entity.end],
    }
    if entity.source is not None:
        item["source"] = entity.source
    if entity.score is not None:
        item["score"] = entity.score
    return item


def _patch(doc, ext_before):
    """The fields the stage changed, as textpipe's patch JSON."""
    fields = doc._fields
    patch = {}
    text_changed = doc.text != fields.get("text", "")
    if text_changed:
        patch["text"] = doc.text
    touched = doc._touched
    need_offsets = text_changed or touched or doc._sentences is not None or doc._entities is not None
    to_bytes = (_Offsets(doc.text) if text_changed else doc._offsets_of_input()).to_bytes if need_offsets else None
    if doc._sentences is not None or "sentences" in touched:
        value = None if doc._sentences is None else [
            {"start": to_bytes(s.start), "end": to_bytes(s.end)} for s in doc._sentences
        ]
        if value != fields.get("sentences"):
            patch["sentences"] = value
    if doc._entities is not None or "entities" in touched:
        value = None if doc._entities is None else [
            _entity_json(e, doc.text, to_bytes) for e in doc._entities
        ]
        if value != fields.get("entities"):
            patch["entities"] = value
    for name in ("summary", "removed", "html"):
        if getattr(doc, name) != fields.get(name):
            patch[name] = getattr(doc, name)
    if doc.meta != fields.get("meta", {}):
        patch["meta"] = doc.meta
    if doc.ext or ext_before:
        ext = {k: v for k, v in doc.ext.items() if ext_before.get(k, _MISSING) != v}
        ext.update({k: None for k in ext_before if k not in doc.ext})
        if ext:
            patch["ext"] = ext
    return patch


_MISSING = object()


class Stage:
    """Base class of a Python stage. Set the class attributes and write :meth:`process`.

    - ``name``: the stage kind, as pipeline files name it;
    - ``summary``: one line saying what it does;
    - ``config``: ``{key: {"type", "default", "description"}}``; each key becomes an
      attribute of the stage, set from the entry's ``with`` or the default;
    - ``requires`` / ``provides``: layers (``sentences``, ``entities``, ``summary``,
      ``removed``, ``text``) needed before the stage and written by it;
    - ``reads``: fields sent besides ``id``, ``text`` and ``lang`` (``meta``, ``html``,
      ``ext`` or layers); by default the layers in ``requires``;
    - ``languages``: the languages it has models for, or ``None`` for any.
    """

    name = None
    summary = ""
    config = {}
    requires = ()
    provides = ()
    reads = None
    languages = None

    def configure(self, config):
        """Called once with the entry's ``with`` merged over the defaults; raise ``ValueError``
        to refuse it. The default sets each key as an attribute."""
        for key, value in config.items():
            setattr(self, key, value)

    def process(self, doc):
        """Changes ``doc`` in place. Raise to fail this document (its error record says why)."""
        raise NotImplementedError("a Stage must define process(doc)")

    @classmethod
    def _config_keys(cls):
        """``config``, plus ``fallback`` when the stage states its languages: textpipe then
        sends it only documents in those languages, and ``fallback`` says what happens to the
        others (``skip`` with a note in ``skipped``, ``english`` sent as English, ``error``)."""
        if cls.languages is None or "fallback" in cls.config:
            return cls.config
        keys = dict(cls.config)
        keys["fallback"] = {
            "type": "string",
            "default": "skip",
            "enum": ["skip", "english", "error"],
            "description": "what to do with a document in a language without a model",
        }
        return keys

    @classmethod
    def hello(cls):
        """The first line the program writes: who it is and what it needs."""
        properties = {}
        for key, spec in cls._config_keys().items():
            properties[key] = {k: v for k, v in spec.items() if k in ("type", "default", "description", "enum")}
        example = {k: spec["default"] for k, spec in cls._config_keys().items() if "default" in spec}
        hello = {
            "textpipe_process": PROTOCOL_VERSION,
            "stage": cls.name,
            "summary": cls.summary,
            "config_schema": {"type": "object", "properties": properties, "additionalProperties": False},
            "example": example,
            "requires": list(cls.requires),
            "provides": list(cls.provides),
            "languages": None if cls.languages is None else list(cls.languages),
        }
        if cls.reads is not None:
            hello["reads"] = list(cls.reads)
        return hello

    @classmethod
    def check_config(cls, given):
        """``(config with defaults, problems)``; each problem is textpipe's config-error form."""
        problems = []
        if not isinstance(given, dict):
            return {}, [{"path": [], "message": "`with` must be an object"}]
        keys = cls._config_keys()
        config = {k: spec.get("default") for k, spec in keys.items()}
        for key, value in given.items():
            spec = keys.get(key)
            if spec is None:
                near = difflib.get_close_matches(key, list(keys), n=1)
                problem = {"path": [key], "message": "unknown key; valid keys: %s" % ", ".join(keys)}
                if near:
                    problem["suggestion"] = near[0]
                problems.append(problem)
                continue
            check = _JSON_TYPES.get(spec.get("type"))
            if check is not None and not check(value):
                problems.append({"path": [key], "message": "must be of type %s" % spec["type"]})
                continue
            if "enum" in spec and value not in spec["enum"]:
                problems.append({"path": [key], "message": "must be one of %s" % ", ".join(spec["enum"])})
                continue
            config[key] = value
        return config, problems


def serve(stage_class, input_stream, output_stream):
    """Speaks the protocol for ``stage_class`` on binary streams until the input ends."""
    if not stage_class.name:
        raise TypeError("%s must set `name`, the stage kind" % stage_class.__name__)
    for layer in tuple(stage_class.requires) + tuple(stage_class.provides):
        if layer not in _LAYERS:
            raise TypeError("unknown layer %r; layers: %s" % (layer, ", ".join(_LAYERS)))

    def write(message):
        output_stream.write(json.dumps(message, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))
        output_stream.write(b"\n")
        output_stream.flush()

    write(stage_class.hello())
    first = input_stream.readline()
    if not first:
        return
    config, problems = stage_class.check_config(json.loads(first).get("configure", {}))
    stage = stage_class()
    if not problems:
        try:
            stage.configure(config)
        except Exception as error:  # the author's refusal, in their words
            problems.append({"path": [], "message": str(error) or type(error).__name__})
    if problems:
        write({"config_errors": problems})
        return
    write({"ready": True})
    for line in input_stream:
        write(_answer(stage, line))


def _answer(stage, line):
    try:
        fields = json.loads(line)
    except ValueError as error:
        return {"error": "the stage could not read the document: %s" % error}
    doc = Document(fields)
    ext_before = json.loads(json.dumps(doc.ext)) if doc.ext else {}
    meta_before = fields.get("meta", {})
    fields["meta"] = json.loads(json.dumps(meta_before)) if meta_before else {}
    try:
        stage.process(doc)
        return {"patch": _patch(doc, ext_before)}
    except Exception as error:
        traceback.print_exc(file=sys.stderr)
        return {"error": "%s: %s" % (type(error).__name__, error)}


def run(stage_class):
    """Runs ``stage_class`` as a textpipe process stage on this program's stdin and stdout."""
    protocol_out = sys.stdout.buffer
    # print() in a stage must not corrupt the protocol: it goes to the log instead.
    sys.stdout = sys.stderr
    try:
        serve(stage_class, sys.stdin.buffer, protocol_out)
    except BrokenPipeError:
        pass
