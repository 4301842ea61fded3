"""The dateline that opens a wire story (``nlp.dateline``): found in its common shapes, never
in an ordinary first sentence, and its offsets always inside the text. Its date is the report's
day, so an event takes the time its own clause gives (``events.anchoring.story_times``)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kronika.library import extract
from kronika.nlp.dateline import find_dateline


@pytest.mark.parametrize(("text", "place"), [
    ("TOKYO, May 30 (Reuters) — Japan and Russia met.", "TOKYO"),
    ("KYIV, 12 March 2022 (Reuters) - Russian forces shelled the city.", "KYIV"),
    ("WASHINGTON, March 12, 2022 - The Senate voted.", "WASHINGTON"),
    ("WASHINGTON (AP) — The Senate voted.", "WASHINGTON"),
    ("Kansas City, Mo. - Police said.", "Kansas City, Mo."),
])
def test_nlp_dateline_shapes(text: str, place: str) -> None:
    line = find_dateline(text)
    assert line is not None
    assert text[line.place_start:line.place_end] == place
    assert text[line.end - 2:line.end].strip() in ("—", "-")


@pytest.mark.parametrize("text", [
    "Russian forces shelled the city on Monday.",
    "On 12 March 2022 the Senate voted - and then adjourned.",
    "the capital, May 30 - lower case is no dateline.",
])
def test_nlp_no_dateline_in_an_ordinary_sentence(text: str) -> None:
    assert find_dateline(text) is None


@given(st.text(max_size=200))
def test_nlp_dateline_offsets_stay_inside_any_text(text: str) -> None:
    line = find_dateline(text)
    if line is not None:
        assert 0 <= line.place_start < line.place_end <= line.end <= len(text)


@pytest.mark.parametrize(("text", "value", "words", "origin"), [
    # the parser keeps this dateline in the first sentence and hangs its date on "imposed"
    ("LONDON, 12 March 2022 - The European Union imposed new sanctions on Russia on Monday.",
     "2022-03-07", "Monday", "text"),
    # no time of its own: the report's day (the dateline's, a day before the feed's date)
    ("LONDON, 11 March 2022 (Reuters) - Police raided the offices of a newspaper in Moscow.",
     "2022-03-11", "11 March 2022", "document"),
    # the parser makes this dateline a sentence of its own: every later act falls back to it too
    ("LONDON, 11 March 2022 (Reuters) - The European Union imposed new sanctions on Russia.\n\n"
     "Britain expelled two Russian diplomats.", "2022-03-11", "11 March 2022", "document"),
])
def test_events_dateline_date_is_the_report_date(pipeline, text: str, value: str, words: str, origin: str) -> None:
    events = extract(text, dt.date(2022, 3, 12), pipeline=pipeline)
    assert events
    assert {(e.date.value, e.date.text, e.date.origin) for e in events} == {(value, words, origin)}
