"""Where an event happened: the most specific place of the phrase, spelled as English news does."""

from __future__ import annotations

import datetime as dt

import pytest

from kronika.events.anchoring import english_name, narrative_place
from kronika.model import Article, PlaceMention


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


# --------------------------------------------------------------------------- narrative place


def _place(name: str, sentence: int, country: str, feature: str = "city") -> PlaceMention:
    return PlaceMention(0, len(name), name, sentence, 0, name, 1, 0.0, 0.0, country, feature)


def test_events_narrative_place_is_the_latest_earlier_act_s_place() -> None:
    tunis, sfax = _place("Tunis", 0, "TUN"), _place("Sfax", 1, "TUN")
    assert narrative_place((tunis, sfax), [tunis, sfax], 2, {"TUN"}) is sfax
    assert narrative_place((tunis,), [tunis, sfax], 1, {"TUN"}) is tunis  # only earlier sentences
    assert narrative_place((tunis,), [tunis], 0, set()) is None  # nothing told before
    assert narrative_place((tunis,), [tunis], 3, set()) is tunis  # sides with no country: the story's place


def test_events_narrative_place_gives_way_to_the_sentence_s_own_geography_and_sides() -> None:
    tunis = _place("Tunis", 0, "TUN")
    own = _place("Paris", 2, "FRA")
    assert narrative_place((tunis, own), [tunis], 2, {"TUN"}) is None  # the sentence names a town
    country = _place("France", 2, "FRA", feature="country")
    assert narrative_place((tunis, country), [tunis], 2, {"TUN", "FRA"}) is tunis  # a country is a side, not a place
    assert narrative_place((tunis,), [tunis], 2, {"FRA", "USA"}) is None  # an act between others
    # an act aimed at a state named as such happened there, not where the story was
    assert narrative_place((tunis,), [tunis], 2, {"TUN", "LBY"}, {"LBY"}) is None
    assert narrative_place((tunis,), [tunis], 2, {"TUN", "LBY"}, {"TUN"}) is tunis


def test_events_narrative_place_in_records_says_context(pipeline) -> None:
    text = ("Turkish police detained 40 protesters in Istanbul on Saturday. "
            "Police also arrested the leader of a Turkish opposition party. "
            "The United States criticised the arrests.")
    events = pipeline.analyze(Article.create(text, dt.date(2021, 5, 4))).events
    first = [e for e in events if e.sentence == 0 and e.location is not None]
    assert first and all(e.location.origin == "text" for e in first)
    second = [e for e in events if e.sentence == 1 and e.type == "COERCE"]
    assert second and second[0].location is not None
    assert (second[0].location.name, second[0].location.origin) == ("Istanbul", "context")
    assert second[0].to_json()["location"]["origin"] == "context"
    # a statement is located by its own sentence only; the arrests' critic is elsewhere
    assert all(e.location is None for e in events if e.sentence == 2)
