#!/usr/bin/env python3
"""Writes tests/fixtures/rouge_pairs.json: ROUGE F1 values from Google's `rouge-score`
package for short self-written pairs, which `src/rouge.rs` must reproduce.

    python3 -m venv venv && venv/bin/pip install rouge-score
    venv/bin/python scripts/rouge_fixtures.py > tests/fixtures/rouge_pairs.json
"""
import json

from rouge_score import rouge_scorer

PAIRS = [
    ("The cat sat on the mat.", "The cat sat on the mat."),
    ("The cat sat on the mat.", "A dog lay under the table."),
    ("Police arrested two men after the robbery.\nThe shop owner was unhurt.",
     "Two men were arrested by police.\nNobody was hurt in the robbery."),
    ("The company reported rising profits.\nShares jumped 5% on Monday.",
     "Shares jumped on Monday after the company reported profits rising."),
    ("Running runners run quickly; they ran yesterday.", "The runner runs and is running."),
    ("Prices fell 3.5% in 2004, the lowest since 1999.", "In 2004 prices fell by 3.5 per cent."),
    ("A café in Köln serves crêpes.", "The cafe in Koln serves crepes!"),
    ("first second third\nfourth fifth sixth", "sixth fifth fourth\nthird second first"),
    ("the the the cat", "the cat the cat the cat"),
    ("Ministers agreed a new plan for schools.\nTeachers welcomed the plan.\n"
     "Unions said the plan was late.",
     "Teachers welcomed the new plan.\nMinisters agreed it for schools and unions.\n"
     "The plan was late, said the unions."),
    ("Generalization of happiness and relational conditioning.",
     "Generalizations happily related to conditional relations."),
    ("", "Something was said."),
]


def main():
    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeL", "rougeLsum"], use_stemmer=True)
    out = []
    for reference, candidate in PAIRS:
        scores = scorer.score(reference, candidate)
        row = {"reference": reference, "candidate": candidate}
        row.update({name: s.fmeasure for name, s in scores.items()})
        out.append(row)
    print(json.dumps(out, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
