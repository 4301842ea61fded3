#!/usr/bin/env python3
"""Where the coder's sides go wrong, measured on sentence-complete TRAINING files.

    .venv/bin/python scripts/silver_sides.py data/training/wikinews_silver2.jsonl \\
        ../shared/data/events_training/wikinews_silver.jsonl [--show N]

Runs every document through the whole pipeline (the shipped model, which was trained on these
files: types are optimistic, but the actor stage's countries and the sides' binding are not
learned from them) and, for each gold event whose type the coder emitted on its sentence,
classifies each side: right (the gold country is among the side's countries, or the gold has
none), missing (the side is empty), the right mention with the wrong country (the actor stage's
error), or another mention (the binding's error). Prints the counts, then up to N examples of
each pair of classes. Never run it on an evaluation set: its examples are sentences.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter, defaultdict
from pathlib import Path

from kronika.config import Settings
from kronika.model import ActorRef, Article
from kronika.pipeline import Pipeline
from kronika.train.events import _join, _sentence_at
from kronika.train.sources import read_labelled


def _norm(text: str | None) -> str:
    return " ".join((text or "").lower().split())


def side_class(refs: tuple[ActorRef, ...], text: str | None, country: str | None) -> str:
    """right / missing / country-wrong (the gold mention, another country) / other-mention."""
    if country is None:
        return "right"
    if country in {r.country for r in refs if r.country}:
        return "right"
    if not refs:
        return "missing"
    if any(_norm(r.text) in _norm(text) or _norm(text) in _norm(r.text) for r in refs if r.text):
        return "country-wrong"
    return "other-mention"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("files", nargs="+", type=Path)
    ap.add_argument("--show", type=int, default=0)
    args = ap.parse_args()
    pipe = Pipeline(Settings.load(None))
    counts: Counter[str] = Counter()
    shown: dict[tuple[str, str], list[str]] = defaultdict(list)
    for doc in (d for p in args.files for d in read_labelled(p)):
        text, offs = _join(doc)
        events = pipe.analyze(Article.create(text, doc.date, doc_id=doc.id)).events
        for k, sent in enumerate(doc.sentences):
            mine = [e for e in events if _sentence_at(offs, e.evidence_start) == k]
            for gold in sent.events:
                same = [e for e in mine if e.type == gold.type]
                if not same:
                    counts["type missed" if not mine else "type wrong"] += 1
                    continue
                classes = [(side_class(e.source, gold.source, gold.source_country),
                            side_class(e.target, gold.target, gold.target_country), e) for e in same]
                src, tgt, best = max(classes, key=lambda c: (c[0] == "right") + (c[1] == "right"))
                counts[f"source {src}"] += 1
                counts[f"target {tgt}"] += 1
                counts["typed, both sides right" if src == tgt == "right" else "typed, a side wrong"] += 1
                if args.show and (src, tgt) != ("right", "right") and len(shown[(src, tgt)]) < args.show:
                    shown[(src, tgt)].append(
                        f"{gold.type} gold {gold.source!r}/{gold.source_country} -> {gold.target!r}/"
                        f"{gold.target_country} | system {[(r.text, r.country) for r in best.source]} -> "
                        f"{[(r.text, r.country) for r in best.target]} | {sent.text[:140]}")
    for key, n in sorted(counts.items()):
        sys.stdout.write(f"{key:28s} {n}\n")
    for (src, tgt), lines in shown.items():
        sys.stdout.write(f"== source {src}, target {tgt}\n" + "".join(f"   {x}\n" for x in lines))


if __name__ == "__main__":
    main()
