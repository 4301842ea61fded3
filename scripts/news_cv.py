#!/usr/bin/env python3
"""End-to-end cross-validation on the sentence-complete news training files.

    .venv/bin/python scripts/news_cv.py --news ../shared/data/events_training/wikinews_silver.jsonl \\
        --news data/training/wikinews_silver2.jsonl [--train OTHER ...] [--folds 5] [--seed 13] [--recipe R]
    .venv/bin/python scripts/news_cv.py --news NEW.jsonl --model src/kronika/data/events/model

Why: the cross-corpus table judges on the evaluation sets, which no choice may be fitted to,
and the training folds of `kronika train events` score candidates, not records. This scores
records the way `score_corpus.py` does, on news the model did not train on: the news
documents are split into folds by article; for each fold a model is trained (the shipped
recipe, one cross-validation draw) on every other fold plus the ``--train`` files, and the
whole pipeline codes the held-out articles with it. A record matches a gold event of its
sentence when the type is equal, each gold side's country is among the record's (a gold side
with no country matches anything; either order for symmetric types); dates and statuses are
not checked (the training reader keeps neither).
Recall counts gold events matched; precision counts records that match a gold event. Prints
P / R / F1 per fold and pooled, and how many gold events had their type coded on their
sentence and, of those, both sides right (the issue-18 line of `score_corpus.py`).

``--model DIR`` trains nothing: it codes the ``--news`` articles with that trained model and
prints the same pooled figures, for a labelled file no model in the comparison saw (a new
silver round scored by the shipped model before it joins the training data).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from dataclasses import replace
from pathlib import Path
from typing import NamedTuple

from kronika.config import Settings
from kronika.events.classifier import Recipe, expected_calibration_error, reliability_table
from kronika.model import Article, Event
from kronika.nlp import SpacyParser
from kronika.pipeline import Pipeline
from kronika.train.events import (
    Corpus,
    ExampleBuilder,
    _join,
    _sentence_at,
    folds,
    load_recipe,
    record_sides_match,
    train_model,
    trigger_nouns,
)
from kronika.train.sources import LabelledDoc, apply_corrections, read_corrections, read_labelled


class Seen(NamedTuple):
    """One coded record: enough to replay any confidence floor's figures without coding again."""

    confidence: float
    right: bool
    component: str
    typed: frozenset[str]  # ``doc:sentence:index`` of the gold events of its sentence with its type
    found: frozenset[str]  # those whose sides it also has right


def score(docs: list[LabelledDoc], pipe: Pipeline,
          seen: list[Seen] | None = None) -> tuple[int, int, int, int, int]:
    """(records, right records, gold events, gold typed on their sentence, gold found: typed
    with both sides right). ``seen`` collects each record (``Seen``)."""
    n_sys = n_right = n_gold = typed = n_found = 0
    for d in docs:
        text, offs = _join(d)
        events = pipe.analyze(Article.create(text, d.date, doc_id=d.id)).events
        by_sent: dict[int, list[Event]] = {}
        for e in events:
            by_sent.setdefault(_sentence_at(offs, e.evidence_start), []).append(e)
        for k, sent in enumerate(d.sentences):
            mine = by_sent.get(k, [])
            n_sys += len(mine)
            gold = list(sent.events)
            n_gold += len(gold)
            right = [any(e.type == g.type and record_sides_match(e, g) for g in gold) for e in mine]
            n_right += sum(right)
            if seen is not None:
                seen.extend(Seen(e.confidence, ok, e.component,
                                 frozenset(f"{d.id}:{k}:{i}" for i, g in enumerate(gold) if e.type == g.type),
                                 frozenset(f"{d.id}:{k}:{i}" for i, g in enumerate(gold)
                                           if e.type == g.type and record_sides_match(e, g)))
                            for e, ok in zip(mine, right, strict=True))
            for g in gold:
                same = [e for e in mine if e.type == g.type]
                typed += bool(same)
                n_found += any(record_sides_match(e, g) for e in same)
    return n_sys, n_right, n_gold, typed, n_found


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--news", type=Path, action="append", required=True)
    ap.add_argument("--train", type=Path, action="append", default=[])
    ap.add_argument("--corrections", type=Path,
                    help="label corrections applied to the --train files (as `kronika train events --corrections`)")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--recipe", type=Path, action="append",
                    help="a recipe YAML instead of the shipped one; repeat it to compare recipes on one build")
    ap.add_argument("--margins", type=float, nargs="*",
                    help="code each fold at these margins on NONE (default: the recipe's)")
    ap.add_argument("--floors", type=float, nargs="*",
                    help="report the pooled figures at these floors on a record's confidence (default: the recipe's)")
    ap.add_argument("--dump", type=Path, help="append each record's margin, confidence, rightness and component here")
    ap.add_argument("--model", type=Path, help="code the --news articles with this trained model; no folds")
    args = ap.parse_args()
    settings = Settings.load(None)
    if args.model is not None:
        news = [d for p in args.news for d in read_labelled(p)]
        rows: list[Seen] = []
        score(news, Pipeline(settings.replace(events_model=str(args.model))), rows)
        _pooled(f"model {args.model}", rows, sum(len(s.events) for d in news for s in d.sentences))
        if args.dump is not None:
            _dump(args.dump, "model", rows)
        return
    recipes = [load_recipe(r) for r in args.recipe or [None]]
    recipe = recipes[0][0]
    news = [d for p in args.news for d in read_labelled(p)]
    fixes = read_corrections(args.corrections) if args.corrections else {}
    others = {p: apply_corrections(read_labelled(p), fixes)[0] for p in args.train}
    builder = ExampleBuilder(settings, unbound=recipe.unbound)  # the first recipe's proposer
    nouns = trigger_nouns(news + [d for ds in others.values() for d in ds if d.complete], builder.lemma,
                          recipe.noun_min_share)
    corpus = Corpus()
    for ds in [news, *others.values()]:
        part = builder.build(ds, nouns)
        corpus.examples.extend(part.examples)
        corpus.roles.extend(part.roles)
    for path, (recipe, k) in zip(args.recipe or [None], recipes, strict=True):
        sys.stdout.write(f"recipe {path or 'shipped'}\n")
        margins = args.margins or [recipe.none_margin]
        floors = args.floors if args.floors is not None else [recipe.min_confidence]
        _cross_validate(news, corpus, settings, replace(recipe, cv_repeats=1), k, args.folds, args.seed, margins,
                        builder.parser, args.dump, floors)


def _cross_validate(news: list[LabelledDoc], corpus: Corpus, settings: Settings, recipe: Recipe, k: int,
                    n_folds: int, seed: int, margins: list[float], parser: SpacyParser, dump: Path | None = None,
                    floors: list[float] | None = None) -> None:
    """Train one model per fold; code its held-out articles once per margin on NONE (the
    weights do not depend on it) with no confidence floor, and print the pooled figures per
    margin and per floor in ``floors`` (a floor only removes records, so each is replayed
    from the records coded without one). ``parser``: the builder's, loaded once (each coding
    pipeline needs only its own event model)."""
    ids = sorted({d.id for d in news})
    fold_of = dict(zip(ids, folds(ids, n_folds, seed), strict=True))
    n_gold = sum(len(s.events) for d in news for s in d.sentences)
    seen: dict[float, list[Seen]] = {m: [] for m in margins}
    for f in range(n_folds):
        held = {i for i, g in fold_of.items() if g == f}
        part = Corpus(examples=[e for e in corpus.examples if e.group not in held],
                      roles=[r for r in corpus.roles if r.group not in held])
        model = train_model(part, recipe, sources=[], k=k)
        for margin in margins:
            with tempfile.TemporaryDirectory() as tmp:
                replace(model, none_margin=margin, min_confidence=0.0).save(Path(tmp))
                pipe = Pipeline(settings.replace(events_model=tmp), parser=parser)
                n_sys, n_right, n_fold_gold, _typed, n_found = score([d for d in news if d.id in held], pipe,
                                                                     seen[margin])
            sys.stdout.write(f"fold {f}, margin {margin}: {len(held)} articles, records {n_sys}, right {n_right}, "
                             f"gold {n_fold_gold}, found {n_found}\n")
            sys.stdout.flush()
    for margin in margins:
        for floor in floors or [0.0]:
            _pooled(f"margin {margin}, floor {floor}", [r for r in seen[margin] if r.confidence >= floor], n_gold)
        if dump is not None:
            _dump(dump, str(margin), seen[margin])


def _dump(path: Path, tag: str, rows: list[Seen]) -> None:
    """Append one line per record: tag (the margin, or "model"), confidence, right, component,
    the gold events it found."""
    with path.open("a", encoding="utf-8") as fh:
        fh.writelines(f"{tag}\t{r.confidence:.4f}\t{int(r.right)}\t{r.component}\t"
                      f"{','.join(sorted(r.found)) or '-'}\n" for r in rows)


def _pooled(name: str, rows: list[Seen], n_gold: int) -> None:
    """The pooled figures of the records ``rows`` (the issue-18 line, P / R / F1, reliability)."""
    n_sys, n_right = len(rows), sum(r.right for r in rows)
    typed = len(frozenset().union(*(r.typed for r in rows)))
    n_found = len(frozenset().union(*(r.found for r in rows)))
    p = n_right / n_sys if n_sys else 0.0
    r = n_found / n_gold if n_gold else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    sys.stdout.write(f"{name}: gold events typed on their sentence: {typed}/{n_gold}; of those, "
                     f"both sides right: {n_found}/{typed}\n")
    sys.stdout.write(f"{name}: news end to end: precision {p:.3f} recall {r:.3f} F1 {f1:.3f} "
                     f"({n_sys} records, {n_right} right, {n_found}/{n_gold} gold found)\n")
    conf = [x.confidence for x in rows]
    right = [x.right for x in rows]
    bins = reliability_table(conf, right)
    sys.stdout.write(f"{name}: records' confidence: ECE {expected_calibration_error(conf, right):.3f}; "
                     + "; ".join(f"{b['bin']}: n {b['n']}, confidence {b['confidence']:.3f}, right {b['accuracy']:.3f}"
                                 for b in bins) + "\n")


if __name__ == "__main__":
    main()
