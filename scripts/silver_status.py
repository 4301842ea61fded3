#!/usr/bin/env python3
"""How often the coder's status is right, measured on sentence-complete TRAINING files.

    .venv/bin/python scripts/silver_status.py ../shared/data/events_training/wikinews_silver.jsonl \\
        data/training/wikinews_silver2.jsonl data/training/wikinews_silver3.jsonl [--show N]

Why: the status rules (``events.modality``) are not learned, so the silver news files judge
them fairly, and unlike the dev sets they may be read for examples. Every document runs
through the whole pipeline; a record whose type and sides match a gold event of its sentence
(the rule of ``scripts/news_cv.py``) is paired with that event, and the script counts (gold
status, record status) pairs, then shows up to N sentences of each wrong pair. The training
reader keeps no status, so statuses are read from the JSON lines themselves. Never run it on
an evaluation set: its examples are sentences.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

from kronika.config import Settings
from kronika.model import Article
from kronika.pipeline import Pipeline
from kronika.train.events import _join, _sentence_at, record_sides_match
from kronika.train.sources import read_labelled


def _statuses(path: Path) -> dict[tuple[str, int], list[str]]:
    """(document, sentence index) → the gold statuses of its events, in the file's order."""
    out: dict[tuple[str, int], list[str]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            out[(str(row["doc"]), int(row["i"]))] = [str(e.get("status") or "occurred") for e in row["events"]]
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("files", nargs="+", type=Path)
    ap.add_argument("--show", type=int, default=0)
    args = ap.parse_args()
    pipe = Pipeline(Settings.load(None))
    pairs: Counter[tuple[str, str]] = Counter()
    shown: dict[tuple[str, str], list[str]] = defaultdict(list)
    for path in args.files:
        statuses = _statuses(path)
        for doc in read_labelled(path):
            text, offs = _join(doc)
            events = pipe.analyze(Article.create(text, doc.date, doc_id=doc.id)).events
            for e in events:
                k = _sentence_at(offs, e.evidence_start)
                sent = doc.sentences[k]
                gold_status = statuses.get((doc.id, k), [])
                for g, status in zip(sent.events, gold_status, strict=False):
                    if e.type == g.type and record_sides_match(e, g):
                        pairs[(status, e.status)] += 1
                        if status != e.status and len(shown[(status, e.status)]) < args.show:
                            shown[(status, e.status)].append(f"{e.type} on {e.trigger!r} | {sent.text[:160]}")
                        break
    right = sum(n for (g, s), n in pairs.items() if g == s)
    total = sum(pairs.values())
    sys.stdout.write(f"statuses right: {right}/{total}\n")
    for (g, s), n in pairs.most_common():
        sys.stdout.write(f"  gold {g:12s} coded {s:12s} {n}\n")
    for (g, s), lines in ((key, lines) for key, lines in shown.items() if lines):
        sys.stdout.write(f"== gold {g}, coded {s}\n" + "".join(f"   {x}\n" for x in lines))


if __name__ == "__main__":
    main()
