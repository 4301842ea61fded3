"""Golden test: the canonical seed article's eight required events, with status and date,
through the real stages (time, actors, geo, events) — no stand-in knowledge of the seed.
Scored with the matching rules of ``shared/eval/score_events.py``.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest

from conftest import GOLD_SEED
from kronika.evaluate.events import score_kronika_gold
from kronika.model import Article


@pytest.fixture(scope="module")
def gold() -> dict:
    path = GOLD_SEED / "events.json"
    if not path.exists():
        pytest.skip("shared gold not present")
    return json.loads(path.read_text(encoding="utf-8"))


def _seed_article(seed_path) -> Article:
    _, _, date, text = seed_path.read_text(encoding="utf-8").split(" ", 3)
    return Article.create(text, dt.date.fromisoformat(date))


@pytest.fixture(scope="module")
def seed_events(seed_path, settings, parser):
    """The rule coder on the seed (``events_coder = "rules"``): its rules were written with the
    seed in view, so it must code every required event."""
    from kronika.pipeline import Pipeline

    rules = Pipeline(settings.replace(events_coder="rules"), parser=parser)
    return rules.analyze(_seed_article(seed_path)).events


def test_events_seed_all_required_events(seed_events, gold) -> None:
    score = score_kronika_gold(gold, [e.to_json() for e in seed_events])
    assert score["missing"] == [], score
    assert score["recall"] == 1.0
    assert score["precision"] >= 0.9, score


def test_events_seed_learned_coder_floor(seed_path, pipeline, gold) -> None:
    """The learned coder (the default), never trained on the seed: a floor at its measured
    figures. Every required event, and at most four events that match no gold event (models
    2026.12.06 and .07: 0 and 1 of 11; the model trained with the second silver file, 1 of 9,
    the same wrong ACCUSE; since the proposer offers predicates no side is bound to, 3 of 14:
    that model was chosen on held-out training news, where it gains recall at some precision,
    and the seed is one of the sets that pays for it; docs/events.md; 2 of 12 with the model of
    2026.12.07+5e1d4482, at the margin 0.5 its card's rule chose; 4 of 15 with 2026.12.08+b2e8b0ab
    at 0.75, the margin the paired rule chose on held-out training folds before the seed was
    scored: it gains on the unseen silver files and GSR, and the seed is again a set that pays).
    A count, not a
    precision: the seed's 8 required events make one error 0.89 or 0.91 by how many optional
    ones are coded."""
    events = pipeline.analyze(_seed_article(seed_path)).events
    score = score_kronika_gold(gold, [e.to_json() for e in events])
    assert score["recall"] == 1.0, score
    wrong = score["system"] - round(score["precision"] * score["system"])
    assert wrong <= 4, score
    assert all(e.component.startswith("events.learned/") for e in events)


@pytest.mark.parametrize(
    ("sentence", "type_", "status", "date"),
    [
        (0, "CONSULT", "occurred", "2019-05-30"),
        (2, "ACCUSE", "occurred", "2019-05-30"),
        (3, "REJECT", "occurred", "2019-05-30"),
        (6, "CONSULT", "planned", "2019-05-31"),
        (6, "CONSULT", "planned", "2019-06"),
        (8, "ACCUSE", "occurred", "2019-05-30"),
        (9, "REJECT", "occurred", "2019-05-30"),
        (11, "AGREE", "occurred", "2019-05-30"),
    ],
)
def test_events_seed_status_and_date(seed_events, sentence: int, type_: str, status: str, date: str) -> None:
    hits = [e for e in seed_events if e.sentence == sentence and e.type == type_ and e.date.value == date]
    assert hits, [(e.sentence, e.type, e.status, e.date.value) for e in seed_events]
    assert hits[0].status == status
