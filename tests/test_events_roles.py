"""The argument-role model (``events.roles``): how it revises the sides the parse gives, how it
is trained, and that the shipped one beats the parse on held-out training folds."""

from __future__ import annotations

import numpy as np

from kronika.events.candidates import Candidate
from kronika.events.classifier import EventModel, Recipe, fit_linear
from kronika.events.roles import NO_ROLE, SOURCE, TARGET, choose_sides, pick, role_features, sentence_mentions
from kronika.events.syntax import DocView

LABELS = (NO_ROLE, SOURCE, TARGET)


def _p(*rows: tuple[float, float, float]) -> np.ndarray:
    return np.array(rows, dtype=float)


def test_roles_source_is_fill_only() -> None:
    probs = _p((0.1, 0.8, 0.1), (0.3, 0.6, 0.1))
    # The parse found row 1 as the source: the model's stronger row 0 does not replace it.
    assert pick(probs, LABELS, [False, True], SOURCE) is None
    # The parse found no source: the model's best SOURCE row fills it.
    assert pick(probs, LABELS, [False, False], SOURCE) == 0
    # A source the parse found outside the sentence also stands.
    assert pick(probs, LABELS, [False, False], SOURCE, has_rules=True) is None


def test_roles_target_replaced_only_when_more_probable() -> None:
    probs = _p((0.2, 0.1, 0.7), (0.4, 0.1, 0.5), (0.9, 0.05, 0.05))
    assert pick(probs, LABELS, [False, True, False], TARGET) == 0  # 0.7 beats the parse's 0.5
    assert pick(probs, LABELS, [True, False, False], TARGET) is None  # the parse's is the best
    assert pick(probs, LABELS, [False, False, True], TARGET) == 0  # the parse chose a NONE row
    # A mention already taken as the source is never the target.
    assert pick(probs, LABELS, [False, True, False], TARGET, taken=[True, False, False]) is None
    # No row labelled TARGET nor reaching the floor: the parse's side stands, and so does "no target".
    none = _p((0.85, 0.1, 0.05), (0.6, 0.35, 0.05))
    assert pick(none, LABELS, [False, False], TARGET) is None
    # A target under NONE but at the floor (FLOOR[TARGET], 0.1) fills a missing target; a
    # source never fills below its argmax.
    weak = _p((0.7, 0.1, 0.2), (0.6, 0.3, 0.1))
    assert pick(weak, LABELS, [False, False], TARGET) == 0
    assert pick(weak, LABELS, [False, False], SOURCE) is None


def test_roles_features_and_choice_on_a_parse(parse, settings) -> None:
    from kronika.actors import ActorResolver

    doc = parse("Kenya shelled positions near the border, Chile said on Friday.", "2021-03-10")
    actors = ActorResolver(settings)(doc, ())
    view = DocView(doc, actors)
    ments = sentence_mentions(view, 0)
    assert [m.country for m in ments] == ["KEN", "CHL"]
    shelled = next(t.i for t in doc.tokens if t.text == "shelled")
    bare = Candidate(0, shelled, (shelled,), (), (), "verb")
    feats = [role_features(view, bare, m, k) for k, m in enumerate(ments)]
    assert "rdir=before" in feats[0] and "rdir=after" in feats[1]
    assert all("rsyn=none" in f for f in feats)
    # A role model that learned "the mention before the predicate is its source" fills the
    # empty source from the parse; the mention after it stays no side.
    rows = [["rdir=before"], ["rdir=after"]] * 10
    model = fit_linear(rows, [SOURCE, NO_ROLE] * 10, Recipe(c=10.0, min_count=1))
    choice = choose_sides(model, view, bare)
    assert choice.changed and [m.country for m in choice.source] == ["KEN"] and choice.target == ()


def test_roles_shipped_model_beats_the_parse_on_held_out_folds() -> None:
    from kronika.resources import data_path

    model = EventModel.load(data_path("events/model"))
    assert model.roles is not None and set(model.roles.labels) == {NO_ROLE, SOURCE, TARGET}
    card = model.meta["roles"]
    assert card["predicates"] > 1000 and card["folds"] == 5
    assert card["source_model_right"] >= card["source_rules_right"]
    assert card["target_model_right"] > card["target_rules_right"]


def test_roles_rows_say_nearness_and_the_sources_country(parse, settings) -> None:
    """Role rows carry each mention's rank among the mentions on its side of the predicate
    (nearest first) and, for a mention that is not the source, whether it shares the
    source's country: a target from the source's own country is rarely right."""
    from kronika.actors import ActorResolver
    from kronika.events.roles import role_rows

    doc = parse("Kenya and Uganda shelled positions held by Kenyan rebels and Chile, Peru said.", "2021-03-10")
    actors = ActorResolver(settings)(doc, ())
    view = DocView(doc, actors)
    shelled = next(t.i for t in doc.tokens if t.text == "shelled")
    kenya = next(m for m in actors if m.text == "Kenya")
    cand = Candidate(0, shelled, (shelled,), (kenya,), (), "verb")
    ments, rows = role_rows(view, cand)
    feats = {m.text: set(r) for m, r in zip(ments, rows, strict=True)}
    assert "rnear=b0" in feats["Uganda"] and "rnear=b1" in feats["Kenya"]
    assert "rnear=a0" in feats["Kenyan rebels"] and "rnear=a2" in feats["Peru"]
    assert "rsamesrc=yes" in feats["Kenyan rebels"] and "rsamesrc=no" in feats["Chile"]
    assert not any(f.startswith("rsamesrc=") for f in feats["Kenya"])  # the source itself
