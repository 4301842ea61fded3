"""Dates at the ends of the calendar (issue 19, F4): never a batch abort.

A record dated 0001-01-01, or an event on 9999-12-31, once made clustering's date
arithmetic overflow, so the whole batch, and every re-run, stopped with K407. Now:
clustering saturates at the calendar's ends, document dates outside the supported range
are a per-record K103 problem, and an article the store still refuses costs only itself
(a K407 problem in ``ingest_errors``) while the rest of its batch lands.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from kronika.config import Settings
from kronika.ingest import iter_records, read_date
from kronika.ingest.dates import EARLIEST_DATE, LATEST_DATE
from kronika.model import Article, IngestProblem
from kronika.run import IngestReport, write_results
from kronika.store import Store
from kronika.store import synthetic as syn

_EDGE = st.one_of(
    st.dates(max_value=dt.date.min + dt.timedelta(days=3)),
    st.dates(min_value=dt.date.max - dt.timedelta(days=3)),
)
_n = itertools.count()


def _analysis(published: dt.date, event_date: dt.date | None, type_: str = "CONSULT"):
    art = syn.article(f"Japan and Russia met, report {next(_n)}. End.", published)
    ev = syn.event(art, type_, syn.ref("JPN"), syn.ref("RUS"),
                   None if event_date is None else event_date.isoformat())
    return syn.analysis(art, [ev])


@given(published=_EDGE, event_date=st.one_of(st.none(), _EDGE), again=_EDGE)
@hsettings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_store_dates_at_calendar_ends_cluster_without_overflow(
    published: dt.date, event_date: dt.date | None, again: dt.date
) -> None:
    with tempfile.TemporaryDirectory() as d, Store(Path(d) / "k.duckdb") as store:
        first = store.write_batch([_analysis(published, event_date), _analysis(dt.date(2019, 5, 30), None)])
        # a second batch meets the stored rows (the SQL side of clustering)
        second = store.write_batch([_analysis(again, again), _analysis(again, None)])
        assert (first.articles_written, second.articles_written) == (2, 2)
        assert store.scalar("SELECT count(*) FROM events WHERE cluster_id IS NULL") == 0
        assert store.scalar("SELECT count(*) FROM events") == 4


@given(day=_EDGE)
@hsettings(max_examples=50, deadline=None)
def test_ingest_document_dates_outside_the_range_are_k103(day: dt.date) -> None:
    for value in (day.isoformat(), day, day.isoformat().replace("-", "")):
        result = read_date(value)
        assert result.date is None and "supported range" in (result.reason or "")
    assert read_date(EARLIEST_DATE.isoformat()).date == EARLIEST_DATE
    assert read_date(LATEST_DATE.isoformat()).date == LATEST_DATE


@given(bad=_EDGE)
@hsettings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_ingest_file_with_an_edge_date_keeps_its_good_records(tmp_path: Path, bad: dt.date) -> None:
    p = tmp_path / "c.jsonl"
    p.write_text("\n".join(json.dumps(r) for r in (
        {"date": "2019-05-30", "text": "Japan and Russia met."},
        {"date": bad.isoformat(), "text": "A record from the end of time."},
        {"date": "2019-05-31", "text": "France and Germany agreed."},
    )) + "\n", encoding="utf-8")
    records = list(iter_records([p], Settings()))
    assert [type(r) for r in records] == [Article, IngestProblem, Article]
    assert records[1].code == "K103" and records[1].origin.endswith("c.jsonl:2")


def test_store_refused_article_costs_only_itself(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Whatever makes the store refuse one article (here: clustering raising on it), the
    other articles of its batch land and the refused one is a K407 row in ingest_errors."""
    from kronika.store import clustering

    good1, bad, good2 = (_analysis(dt.date(2019, 5, 30), None) for _ in range(3))
    bad_id = bad.events[0].event_id
    real = clustering.assign

    def assign(con, rows, *rule):
        if any(bad_id in r for r in rows):
            raise OverflowError("date value out of range")
        return real(con, rows, *rule)

    monkeypatch.setattr(clustering, "assign", assign)
    report = IngestReport()
    earlier = [IngestProblem("c.jsonl:7", "missing date", "K103")]
    with Store(tmp_path / "k.duckdb") as store:
        write_results(store, [good1, bad, good2], earlier, report, None)
        stored = {r[0] for r in store.fetch_tuples("SELECT id FROM articles")}
        errors = store.fetch_tuples("SELECT code, reason FROM ingest_errors ORDER BY code")
    assert stored == {good1.article.id, good2.article.id}
    assert report.articles_written == 2
    assert [c for c, _ in errors] == ["K103", "K407"]
    assert bad.article.id in errors[1][1]
    assert {p.code for p in report.problems} == {"K103", "K407"}


def test_store_systemic_failure_still_raises(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """When the store refuses everything, problems included, the job stops (K407)."""
    from kronika.errors import StoreError

    with Store(tmp_path / "k.duckdb") as store:
        def broken(*a, **k):
            raise StoreError("disk full", code="K407")

        monkeypatch.setattr(store, "write_batch", broken)
        monkeypatch.setattr(store, "record_problems", broken)
        with pytest.raises(StoreError, match="disk full"):
            write_results(store, [_analysis(dt.date(2019, 5, 30), None)], [], IngestReport(), None)
