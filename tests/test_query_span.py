"""Dates on screen (issue 20, item 6): background events and the articles' date span.

An event dated years before the article that reports it ("the 1826 treaty") is history
the article mentions: records mark it ``background``; charts default to the span of the
articles' dates and ``date_span`` lists what lies outside it (``/api/summary``'s ``dates``).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from kronika.config import Settings
from kronika.query import EventFilter, find_events, iter_event_records
from kronika.query.records import BACKGROUND_DAYS, is_background
from kronika.query.span import date_span
from kronika.store import Store
from kronika.store import synthetic as syn

# (article date, [(event date, label)])
CORPUS = [
    ("2005-06-01", [("1826", "treaty"), ("2005-05-31", "news"), ("2004-05-31", "year_and_a_day"),
                    ("2004-06-01", "a_year")]),
    ("2007-03-10", [("2007-03-09", "later_news"), ("1945-05", "surrender"), ("2008-01", "planned")]),
]


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Store, dict[str, str]]]:
    db = tmp_path_factory.mktemp("span") / "s.duckdb"
    labels: dict[str, str] = {}
    analyses = []
    for published, events in CORPUS:
        art = syn.article(f"An article of {published}. It says things. End.", published)
        made = []
        for i, (date, label) in enumerate(events):
            ev = syn.event(art, "CONSULT", syn.ref("AAA"), syn.ref("BBB"), date, sentence=i)
            labels[ev.event_id] = label
            made.append(ev)
        analyses.append(syn.analysis(art, made))
    with Store(db) as writer:
        writer.write_batch(analyses)
    with Store(db, read_only=True) as reader:
        yield reader, labels


def test_query_background_flag_marks_events_dated_over_a_year_before_their_article(store) -> None:
    st, labels = store
    flags = {labels[r["event_id"]]: r["background"] for r in find_events(st, EventFilter(limit=100))}
    assert flags == {"treaty": True, "news": False, "year_and_a_day": True, "a_year": False,
                     "later_news": False, "surrender": True, "planned": False}
    # The export stream carries the same derived flag.
    assert {labels[r["event_id"]]: r["background"] for r in iter_event_records(st, EventFilter())} == flags


def test_query_background_threshold_is_a_year() -> None:
    import datetime as dt

    day = dt.date(2005, 6, 1)
    assert BACKGROUND_DAYS == 365
    assert not is_background(day - dt.timedelta(days=365), day)
    assert is_background(day - dt.timedelta(days=366), day)
    assert not is_background(None, day) and not is_background(day, None)


def test_query_date_span_is_the_articles_and_lists_what_lies_outside(store) -> None:
    st, _ = store
    span = date_span(st)
    assert (span["first"], span["last"]) == ("2005-06-01", "2007-03-10")
    assert span["axis"] == ["2005-06-01", "2007-03-31"]  # whole months
    # 1826, 1945-05, 2004-05-31, 2004-06-01 and 2005-05-31 end before June 2005; 2008-01
    # starts after March 2007.
    assert (span["before"], span["after"], span["outside"]) == (5, 1, 6)
    assert span["by_year"] == [{"year": 1826, "events": 1}, {"year": 1945, "events": 1},
                               {"year": 2004, "events": 2}, {"year": 2005, "events": 1},
                               {"year": 2008, "events": 1}]
    assert span["background"] == 3
    # A filter narrows the events counted, never the articles' span.
    narrow = date_span(st, EventFilter(since="1900"))
    assert (narrow["first"], narrow["outside"], narrow["background"]) == ("2005-06-01", 5, 2)


def test_query_date_span_of_an_empty_store(tmp_path: Path) -> None:
    with Store(tmp_path / "e.duckdb") as st:
        span = date_span(st)
    assert span["first"] is None and span["outside"] == 0 and span["by_year"] == []


def test_api_summary_carries_the_article_span(store) -> None:
    from kronika.api import create_app

    st, _ = store
    client = TestClient(create_app(Settings(), store_path=st.path))
    body = client.get("/api/summary").json()
    assert body["dates"]["first"] == "2005-06-01" and body["dates"]["outside"] == 6
    assert body["first_date"] == "1826-01-01"  # the events' own span stays as it was
    assert client.get("/api/summary", params={"format": "csv"}).status_code == 200
