"""Where an event happened: the most specific place of the phrase, spelled as English news does."""

from __future__ import annotations

import datetime as dt

import pytest

from kronika.events.anchoring import english_name
from kronika.model import Article


@pytest.mark.parametrize(("name", "want"), [
    ("‘Afrīn", "Afrin"), ("Ālbū Kamāl", "Albu Kamal"), ("São Paulo", "Sao Paulo"), ("Tokyo", "Tokyo"),
    ("Москва", "Москва"),  # nothing to fold: the name stays as it is
])
def test_events_place_english_name(name: str, want: str) -> None:
    assert english_name(name) == want


def test_events_place_most_specific_in_phrase(pipeline) -> None:
    text = "Turkey said it had begun a ground incursion into the Kurdish enclave in Syria known as Afrin."
    events = pipeline.analyze(Article.create(text, dt.date(2018, 1, 20))).events
    located = [e.location.name for e in events if e.location is not None]
    assert "Afrin" in located and "Syria" not in located


def test_events_complement_is_no_second_event_and_target_is_the_other_side(pipeline) -> None:
    text = "The foreign ministers of France and Germany met on Monday. France and Germany agreed to push for a ceasefire."
    events = pipeline.analyze(Article.create(text, dt.date(2020, 3, 2))).events
    for e in events:
        if e.type in ("CONSULT", "AGREE") and e.source and e.target:
            src = {r.country for r in e.source}
            assert not src & {r.country for r in e.target}, e
    agree = [e for e in events if e.type == "AGREE" and e.sentence == 1]
    assert len({e.trigger for e in agree}) <= 1  # "push" is the content of "agreed", not an event


def test_events_verbal_conflict_without_target_aims_at_the_other_main_party(pipeline) -> None:
    text = ("Turkey and Russia held talks in Ankara on Monday. Russia said Turkey must act. "
            "Turkey rejected the plan on Tuesday.")
    events = pipeline.analyze(Article.create(text, dt.date(2018, 9, 5))).events
    inferred = [e for e in events if e.component.endswith("+inferred-target")]
    assert inferred
    assert all(e.status == "occurred" for e in events if e.type == "REQUEST")  # the saying happened
    for e in inferred:
        assert {r.country for r in e.target} == {"TUR", "RUS"} - {r.country for r in e.source}
