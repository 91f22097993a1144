"""How closely TextRank variants pick the BBC reference sentences: the quick proxy used to
choose how the `summarize` stage's TextRank tokenizes (see the crate README).

For each dev article whose reference lines are all found among pysbd's sentences (split per
paragraph), every variant ranks the sentences, takes the reference budget, and the script
prints the share of chosen sentences that are reference sentences and the share of articles
where the whole reference set is picked. ROUGE of the chosen variant is measured in Rust by
`examples/evaluate_summaries.rs`.

    python3 -m venv venv && venv/bin/pip install numpy pysbd nltk
    venv/bin/python crates/summarize/scripts/textrank_variants.py ../shared/data/summaries/bbc_dev.jsonl.gz
"""

import collections
import gzip
import json
import math
import re
import string
import sys

import numpy as np
import pysbd
from nltk.stem.snowball import SnowballStemmer

# NLTK's English stop list (nltk.corpus.stopwords.words("english")), inlined so no corpus
# download is needed.
NLTK_STOP = set(
    """i me my myself we our ours ourselves you you're you've you'll you'd your yours yourself
    yourselves he him his himself she she's her hers herself it it's its itself they them their
    theirs themselves what which who whom this that that'll these those am is are was were be
    been being have has had having do does did doing a an the and but if or because as until
    while of at by for with about against between into through during before after above below
    to from up down in out on off over under again further then once here there when where why
    how all any both each few more most other some such no nor not only own same so than too
    very s t can will just don don't should should've now d ll m o re ve y ain aren aren't
    couldn couldn't didn didn't doesn doesn't hadn hadn't hasn hasn't haven haven't isn isn't ma
    mightn mightn't mustn mustn't needn needn't shan shan't shouldn shouldn't wasn wasn't weren
    weren't won won't wouldn wouldn't""".split()
)
# The stage's content-word stop list (`STOP_WORDS` in src/terms.rs).
CONTENT_STOP = set(
    """
    a about above after again against all also am an and any are as at be because been
    before being below between both but by can could did do does doing down during each few
    for from further had has have having he her here hers herself him himself his how i if
    in into is it its itself just me more most mr mrs ms my myself no nor not now of off on
    once one only or other our ours ourselves out over own said same says she should so
    some such than that the their theirs them themselves then there these they this those
    through to too under until up us very was we were what when where which while who whom
    why will with would you your yours yourself yourselves""".split()
)
PUNCTUATION = string.punctuation + "“”‘’£$€"
stem = SnowballStemmer("english").stem


def alnum_runs(stop, pattern=r"\w+"):
    def tokens(sentence):
        words = re.findall(pattern, sentence.lower())
        return [
            w for w in words if len(w) > 1 and w not in stop and not any(c.isdigit() for c in w)
        ]
    return tokens


def whitespace_tokens(stop=NLTK_STOP, case=False, numbers=False, stemmed=False):
    def tokens(sentence):
        out = []
        for token in sentence.split():
            word = token.strip(PUNCTUATION)
            if word.lower() in stop or not word:
                continue
            if not numbers and not any(c.isalpha() for c in word):
                continue
            word = word if case else word.lower()
            out.append(stem(word) if stemmed else word)
        return out
    return tokens


def pagerank(weights, damping=0.85):
    out = weights.sum(1)
    transition = np.where(out[:, None] > 0, weights / np.maximum(out[:, None], 1e-12), 0)
    scores = np.ones(len(weights))
    for _ in range(200):
        following = (1 - damping) + damping * transition.T @ scores
        if np.abs(following - scores).max() < 1e-7:
            return following
        scores = following
    return scores


def textrank(token_lists, repeats=False, damping=0.85):
    n = len(token_lists)
    counts = [collections.Counter(t) for t in token_lists]
    weights = np.zeros((n, n))
    for i in range(n):
        for j in range(i + 1, n):
            if repeats:
                shared = sum(min(c, counts[j][w]) for w, c in counts[i].items() if w in counts[j])
            else:
                shared = len(counts[i].keys() & counts[j].keys())
            li, lj = len(token_lists[i]), len(token_lists[j])
            denominator = (math.log10(li) if li else 0) + (math.log10(lj) if lj else 0)
            if shared and denominator > 0:
                weights[i, j] = weights[j, i] = shared / denominator
    return pagerank(weights, damping)


def variant(tokens, repeats=False, damping=0.85, headline=False):
    def scores(sentences, title):
        lists = [tokens(s) for s in sentences]
        if headline:
            return textrank([tokens(title)] + lists, repeats, damping)[1:]
        return textrank(lists, repeats, damping)
    return scores


VARIANTS = [
    ("alphanumeric runs, content stop list", variant(alnum_runs(CONTENT_STOP))),
    ("alphanumeric runs, NLTK stop list", variant(alnum_runs(NLTK_STOP))),
    ("apostrophes kept in words", variant(alnum_runs(NLTK_STOP, r"[\w']+"))),
    ("  ... with `said` a stop word", variant(alnum_runs(NLTK_STOP | {"said"}, r"[\w']+"))),
    ("whitespace tokens", variant(whitespace_tokens())),
    ("  ... damping 0.5", variant(whitespace_tokens(), damping=0.5)),
    ("whitespace tokens, repeats counted (shipped)", variant(whitespace_tokens(), True)),
    ("  ... Snowball stems", variant(whitespace_tokens(stemmed=True), True)),
    ("  ... case kept", variant(whitespace_tokens(case=True), True)),
    ("  ... numbers kept", variant(whitespace_tokens(numbers=True), True)),
    ("  ... headline as a graph node", variant(whitespace_tokens(), True, headline=True)),
]


def main(path):
    segmenter = pysbd.Segmenter(language="en", clean=False)
    articles = []
    for line in gzip.open(path, "rt"):
        record = json.loads(line)
        sentences = [
            s.strip()
            for paragraph in record["text"].split("\n")
            if paragraph.strip()
            for s in segmenter.segment(paragraph)
            if s.strip()
        ]
        reference = {l.strip() for l in record["summary"].split("\n") if l.strip()}
        labels = [s in reference for s in sentences]
        if sum(labels) == record["budget_sentences"]:
            articles.append((sentences, labels, record["budget_sentences"], record["title"]))
    print(f"{len(articles)} articles whose reference lines are all found")
    for name, scores in VARIANTS:
        right = exact = total = 0
        for sentences, labels, budget, title in articles:
            s = scores(sentences, title)
            chosen = sorted(range(len(sentences)), key=lambda i: (-s[i], i))[:budget]
            hits = sum(labels[i] for i in chosen)
            right, total, exact = right + hits, total + budget, exact + (hits == budget)
        print(f"{name:48} {100 * right / total:5.1f}% right, {100 * exact / len(articles):4.1f}% exact")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "../shared/data/summaries/bbc_dev.jsonl.gz")
