#!/usr/bin/env python3
"""Build ``data/events/word_clusters.tsv.gz``: word → distributional classes, coarse to fine.

    .venv/bin/python scripts/build_word_clusters.py VOCAB_DIR [--k 100 800] [--seed 13] [--max-rank N]
        [--out src/kronika/data/events/word_clusters.tsv.gz]

VOCAB_DIR is the ``vocab/`` folder of the spaCy ``en_core_web_md`` 3.8.0 pipeline (its 20,000
unique 300-dimensional vectors, "Explosion Vectors", CC0; provenance in data/events/README.md).

Why classes and not the vectors: the event model is a linear model over named string features
(docs/events.md). A word's class is one more such feature: "shelled" and "bombarded" share a
class with "bombed" though training never saw them, and coding needs no vectors, no second
spaCy pipeline and no new dependency, only this table. The classes are k-means clusters
(scikit-learn MiniBatchKMeans, fixed seed) of the length-normalised unique vectors; every
lower-case word the vectors table keys (a pruned table maps a rare word to the row of a
frequent neighbour) takes its row's classes.
"""

from __future__ import annotations

import argparse
import gzip
import io
import re
import sys
from pathlib import Path

import numpy as np

WORD = re.compile(r"^[a-z][a-z\-]{1,24}$")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("vocab", type=Path)
    ap.add_argument("--k", type=int, nargs="+", default=[100, 800])
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--max-rank", type=int, default=0,
                    help="keep only words whose own row is among the first N rows (0: every word)")
    ap.add_argument("--out", type=Path, default=Path("src/kronika/data/events/word_clusters.tsv.gz"))
    args = ap.parse_args()
    from sklearn.cluster import MiniBatchKMeans
    from spacy.strings import StringStore
    from spacy.vectors import Vectors

    strings = StringStore().from_disk(args.vocab / "strings.json")
    vectors = Vectors(strings=strings).from_disk(args.vocab)
    data = np.asarray(vectors.data, dtype=np.float64)
    unit = data / np.maximum(np.linalg.norm(data, axis=1, keepdims=True), 1e-9)
    labels = [MiniBatchKMeans(n_clusters=k, random_state=args.seed, batch_size=4096, n_init=3).fit(unit).labels_
              for k in args.k]
    rows: dict[str, int] = {}
    for key, row in vectors.key2row.items():
        try:
            word = strings[key]
        except KeyError:
            continue
        if WORD.match(word) and (not args.max_rank or row < args.max_rank):
            rows[word] = int(row)
    with gzip.GzipFile(args.out, "wb", mtime=0) as raw, \
            io.TextIOWrapper(raw, encoding="utf-8") as fh:
        fh.write("# word\t" + "\t".join(f"k{k}" for k in args.k) + "\n")
        for word in sorted(rows):
            fh.write(word + "\t" + "\t".join(str(lab[rows[word]]) for lab in labels) + "\n")
    sys.stdout.write(f"{len(rows)} words, classes {args.k}, written to {args.out}\n")


if __name__ == "__main__":
    main()
