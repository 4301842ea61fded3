"""Narrative time: an act told in the past with no date in its sentence takes the first date
of the previous sentence (``events.anchoring.narrative_date``), never a date ahead of the
article's, never for a predicate in the present, never across a relational
preposition."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from kronika.config import Settings
from kronika.events.anchoring import narrative_date
from kronika.events.lexicon import load_lexicon
from kronika.events.syntax import DocView
from kronika.model import ParsedDoc
from kronika.time import TimeTagger


@pytest.fixture(scope="module")
def tagger(settings: Settings) -> TimeTagger:
    return TimeTagger(settings)


def _told(parse: Callable[..., ParsedDoc], tagger: TimeTagger, text: str, verb: str,
          date: str = "2021-03-05") -> str | None:
    doc = parse(text, date)
    pred = next(t.i for t in doc.tokens if t.text == verb and t.sent == 1)
    got = narrative_date(DocView(doc, ()), tagger(doc), 1, load_lexicon(), pred)
    return got.value if got is not None else None


def test_a_past_act_takes_the_previous_sentence_date(parse, tagger) -> None:
    text = "On Tuesday police raided the offices of the newspaper in Lagos. They arrested three editors."
    assert _told(parse, tagger, text, "arrested") == "2021-03-02"


def test_the_first_date_of_the_previous_sentence(parse, tagger) -> None:
    text = ("Troops entered the town on Monday, and aid arrived on Wednesday. "
            "They detained the mayor.")
    assert _told(parse, tagger, text, "detained") == "2021-03-01"


def test_present_predicates_keep_the_article_date(parse, tagger) -> None:
    text = "On Tuesday police raided the offices of the newspaper. They arrest editors every year."
    assert _told(parse, tagger, text, "arrest") is None


def test_a_date_ahead_of_the_article_is_a_plan_not_narrative_time(parse, tagger) -> None:
    text = "The summit will open on Monday. Police arrested three activists."
    assert _told(parse, tagger, text, "arrested", date="2021-03-05") is None


def test_no_previous_date_no_narrative_time(parse, tagger) -> None:
    text = "Police raided the offices of the newspaper. They arrested three editors."
    assert _told(parse, tagger, text, "arrested") is None


def test_a_relational_date_dates_nothing(parse, tagger) -> None:
    text = "Police raided the offices ahead of Tuesday's vote. They arrested three editors."
    assert _told(parse, tagger, text, "arrested") is None


def test_a_sentence_with_its_own_relational_date_is_not_narrated(parse, tagger) -> None:
    text = ("Rebels attacked a police station on Tuesday. "
            "The army shelled the city for three days before a ceasefire on Wednesday.")
    assert _told(parse, tagger, text, "shelled") is None
