#!/usr/bin/env python3
"""Pick and sentence-split the WikiNews articles of the silver training files.

    .venv/bin/python scripts/pick_training_articles.py ../shared [--out DIR]          # silver2
    .venv/bin/python scripts/pick_training_articles.py ../shared --exclude \
        data/training/wikinews_silver2.jsonl --out DIR                                 # silver3
    .venv/bin/python scripts/pick_training_articles.py ../shared --rank types --articles 48 \
        --exclude data/training/wikinews_silver2.jsonl \
        --exclude data/training/wikinews_silver3.jsonl --out DIR                       # silver4

Writes ``DIR/batchN.jsonl`` (six batches, one line per sentence: ``doc``, ``date``, ``i``,
``text``, ``"events": []``) for annotators following ``data/training/ANNOTATION.md``.

Which articles, and why: "Politics and conflicts" articles of ``news/wikinews_politics.jsonl``
of 150–420 words, ranked by how densely they use words of political action (attack, troops,
protest, arrest, talks, sanctions …: the event types the coder is weakest on), the top 400
shuffled (seed 7), at most 14 per year. ``--exclude FILE`` (repeatable) leaves out the
articles of earlier silver files, so the next round takes the next articles of the same
ranking.

``--rank types`` ranks by the words of the types the first three files hold least of instead
(aid, sanctions, agreements, refusals, requests, cooperation, concessions, releases …: 8 AID
and 13 SANCTION events in the first two files against 208 ASSAULT), so that a round adds the
contexts the coder has seen least rather than more attacks. Never an article of the evaluation set
``news/wikinews_dev``, never one already in ``events_training/wikinews_silver.jsonl``, and
never one whose mentions are the coreference test set (``tests/fixtures/coref_wikinews.jsonl``).
Sentences are the parser's (the pinned spaCy model), so annotators label what the coder sees.
The output is deterministic.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from pathlib import Path

ACTION = re.compile(r"\b(kill|attack|troops|soldiers|protest|arrest|minister|talks|sanction|accus|condemn"
                    r"|militar|rebel|police|bomb|clash|strike|urged|demand|agreement|embassy|envoy|president)\w*",
                    re.IGNORECASE)
TYPES = re.compile(r"\b(aid|donat|grant|loan|humanitarian|sanction|embargo|expel|suspend|sever|agree|deal|accord"
                   r"|treaty|pledg|promis|offer|sign|reject|refus|denied|deny|veto|oppos|urge|appeal|demand|ask"
                   r"|cooperat|joint|extradit|talks|negotiat|welcom|prais|endors|releas|withdr|ceasefire|truce"
                   r"|resign|allow|lift|eas|pardon|convict|sentenc|recogni|apologi)\w*",
                   re.IGNORECASE)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("shared", type=Path)
    ap.add_argument("--out", type=Path, default=Path("batches"))
    ap.add_argument("--exclude", type=Path, action="append", default=[],
                    help="a silver JSON-lines file whose articles an earlier round labelled")
    ap.add_argument("--rank", choices=("action", "types"), default="action",
                    help="action: words of political action; types: words of the least-labelled types")
    ap.add_argument("--articles", type=int, default=72, help="how many articles to pick")
    args = ap.parse_args()
    data = args.shared / "data"
    dev = {p.stem.removeprefix("wn") for p in (data / "news/wikinews_dev/articles").glob("*.txt")}
    with (data / "events_training/wikinews_silver.jsonl").open(encoding="utf-8") as fh:
        silver = {json.loads(line)["doc"] for line in fh}
    with Path("tests/fixtures/coref_wikinews.jsonl").open(encoding="utf-8") as fh:
        coref = {json.loads(line)["id"] for line in fh}
    earlier = set()
    for path in args.exclude:
        with path.open(encoding="utf-8") as fh:
            earlier |= {json.loads(line)["doc"] for line in fh if line.strip()}
    excluded = dev | silver | coref | earlier
    with (data / "news/wikinews_politics.jsonl").open(encoding="utf-8") as fh:
        articles = [json.loads(line) for line in fh]
    ranked = []
    words_of = ACTION if args.rank == "action" else TYPES
    for a in articles:
        words = len(a["text"].split())
        if a["id"] not in excluded and 150 <= words <= 420:
            ranked.append((len(words_of.findall(a["text"])) / words, a))
    ranked.sort(key=lambda x: -x[0])
    top = [a for _, a in ranked[:400]]
    random.Random(7).shuffle(top)
    per_year: dict[str, int] = {}
    picked = []
    for a in top:
        year = a["date"][:4]
        if per_year.get(year, 0) < 14:
            per_year[year] = per_year.get(year, 0) + 1
            picked.append(a)
        if len(picked) == args.articles:
            break
    import spacy  # the parser's pinned pipeline package: sentences as the coder sees them

    from kronika.config import Settings

    nlp = spacy.load(Settings.load(None).spacy_model)
    args.out.mkdir(parents=True, exist_ok=True)
    docs = [a["id"] for a in picked]
    rows = []
    for a in picked:
        for i, sent in enumerate(nlp(a["text"]).sents):
            if sent.text.strip():
                rows.append({"doc": a["id"], "date": a["date"], "i": i, "text": sent.text.strip(), "events": []})
    for b in range(6):
        ids = set(docs[b::6])
        with (args.out / f"batch{b}.jsonl").open("w", encoding="utf-8") as fh:
            for r in rows:
                if r["doc"] in ids:
                    fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    sys.stdout.write(f"{len(picked)} articles, {len(rows)} sentences → {args.out}\n")


if __name__ == "__main__":
    main()
