"""Property tests: normalization never raises and always emits TIMEX3-grammatical values.

The documents are built by hand (whitespace tokens, no parse), so these run without spaCy.
"""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from kronika.config import Settings
from kronika.model import Article, ParsedDoc, Sentence, Token
from kronika.time import TimeTagger
from kronika.time import calendar as cal
from kronika.time.normalize import _duration_value

TAGGER = TimeTagger(Settings())
NARRATIVE = TimeTagger(Settings(time_strategy="narrative"))

WORDS = [
    "the", "a", "last", "next", "this", "early", "late", "mid-", "end", "of", "on", "in", "ago", "earlier",
    "later", "following", "previous", "same", "day", "week", "weekend", "month", "year", "quarter",
    "half", "decade", "century", "years", "months", "days", "hours", "Monday", "Friday", "Sunday",
    "night", "morning", "May", "March", "Sept.", "December", "spring", "fall", "winter", "two", "twenty",
    "four", "several", "first", "third", "fourth", "1990s", "1998", "2019", "'90s", "30", "31", "29,",
    "10", "p.m.", "a.m.", "noon", "today", "yesterday", "tomorrow", "tonight", "now", "recently",
    "daily", "every", "each", "twice", "per", "fiscal", "about", "more", "than", "nineteen", "ninety-six",
    "Thanksgiving", "Christmas", "period", "year-earlier", "-", ",", ".", "will", "met", "Feb.", "2000",
]

dates = st.dates(min_value=dt.date(1600, 1, 1), max_value=dt.date(2399, 12, 31))


def _doc(text: str, date: dt.date) -> ParsedDoc:
    toks, pos = [], 0
    for i, w in enumerate(text.split()):
        start = text.index(w, pos)
        pos = start + len(w)
        toks.append(Token(i, w, start, pos, w.lower(), "X", "X", "dep", i, 0))
    article = Article.create(text or " ", date)
    return ParsedDoc(article, tuple(toks), (Sentence(0, 0, len(text), 0, len(toks)),), ())


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(WORDS), min_size=1, max_size=12), dates | st.dates())
def test_time_tagger_never_raises_and_values_follow_grammar(words: list[str], date: dt.date) -> None:
    text = " ".join(words)
    doc = _doc(text, date)
    for tagger in (TAGGER, NARRATIVE):
        for t in tagger(doc):
            assert cal.is_value(t.value), t
            assert t.type in ("DATE", "TIME", "DURATION", "SET")
            assert text[t.start : t.end] == t.text and t.start < t.end
            # the day a signalled duration points to ("two days later") is a calendar day
            assert t.date is None or (t.type == "DURATION" and dt.date.fromisoformat(t.date)), t


@given(dates, st.sampled_from(["D", "W", "WE", "M", "Q", "H", "Y", "E", "C"]), st.integers(-400, 400))
def test_time_shift_emits_valid_values(date: dt.date, unit: str, n: int) -> None:
    value = cal.shift(date, unit, n)
    assert value is None or cal.is_value(value)


@given(dates, st.integers(1, 7), st.sampled_from([-1, 1]))
def test_time_weekday_near_lands_on_the_weekday_within_a_week(date: dt.date, wd: int, direction: int) -> None:
    d = cal.weekday_near(date, wd, direction)
    assert d.isoweekday() == wd
    assert 0 <= (d - date).days * direction <= 6


@given(dates, st.sampled_from(["SP", "SU", "FA", "WI"]), st.sampled_from([-1, 0, 1]))
def test_time_season_near_is_valid_and_directed(date: dt.date, code: str, step: int) -> None:
    value = cal.season_near(date, code, step)
    assert cal.is_value(value) and value.endswith(code)
    year = int(value[:4])
    assert abs(year - date.year) <= 2  # "last winter" in January is the one before this one
    if step == 0:
        assert year == date.year


@given(st.text(max_size=60), st.dates())
def test_time_tagger_survives_arbitrary_text(text: str, date: dt.date) -> None:
    for t in TAGGER(_doc(text, date)):
        assert cal.is_value(t.value)


def test_time_value_grammar_rejects_malformed_values() -> None:
    for bad in ("2019-13", "2019-W60", "P", "PT", "2019-05-32", "19-05", "NOW", "P1.5", "P3E", "P2C", "PT"):
        assert not cal.is_value(bad), bad
    for good in ("2019", "2019-06", "2019-05-30", "2013-W11", "2019-W21-WE", "2019-Q2", "2019-H1",
                 "2019-SU", "2019-05-30TMO", "2019-05-30T22:30", "201", "20", "P3M", "PT2H", "PXY",
                 "PRESENT_REF", "XXXX-WXX-4", "XXXX-WXX-2TNI", "P1W", "P3DE", "P2CE", "PXDE", "P2Y6M",
                 "PT5H30M", "P1DT12H", "PT1M30S"):
        assert cal.is_value(good), good


@given(st.integers(0, 500), st.sampled_from([0.25, 0.5, 0.75, 1 / 3]),
       st.sampled_from(["Y", "M", "W", "D", "E", "C", "Q", "TH", "TM", "TS"]))
def test_time_fractional_durations_are_valid_or_dropped(whole: int, frac: float, unit: str) -> None:
    """"2 1/2 years" → P2Y6M; a fraction no smaller unit holds exactly is dropped, not garbled."""
    value = _duration_value(whole + frac, unit)
    assert value is None or cal.is_value(value), value
    if value is not None and whole:
        assert value.startswith(("P", "PT")) and str(whole) in value
