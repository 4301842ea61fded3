"""The query layer beyond filtering: one event by id, the overview volume series,
the coarse-date bucket beside a dyad series, and ``Store.compact``.

Reuses the invented corpus of ``test_query_layer`` (generic countries, no seed names).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kronika.errors import QueryError
from kronika.query import (
    QUAD_CLASSES,
    EventFilter,
    NotFoundError,
    article_view,
    count_events,
    dyad_coarse,
    dyad_series,
    find_events,
    get_cluster,
    get_event,
    list_clusters,
    volume,
)
from kronika.store import Store
from kronika.store.synthetic import generate
from test_query_layer import corpus  # noqa: F401 - the shared module fixture


def test_query_get_event_returns_the_record_with_spans(corpus) -> None:  # noqa: F811
    store, events = corpus
    spy_row = events["spy_row"].event_id
    rec = get_event(store, spy_row)
    assert (rec["event_id"], rec["type"], rec["date"]["value"]) == (spy_row, "ACCUSE", "2020-01")
    assert rec["date_start"] == "2020-01-01" and "evidence_start" in rec
    assert rec == find_events(store, EventFilter(text="spying"))[0] | {
        k: rec[k] for k in ("evidence_start", "evidence_end", "trigger", "trigger_start", "date_start", "date_end")}
    with pytest.raises(NotFoundError):
        get_event(store, "no-such-event")


def test_query_article_view_says_how_many_articles_report_each_event(corpus) -> None:  # noqa: F811
    store, events = corpus
    talks = events["paris_talks"]
    view = article_view(store, talks.article_id)
    [rec] = [r for r in view["events"] if r["event_id"] == talks.event_id]
    cluster = get_cluster(store, rec["cluster_id"])
    assert rec["cluster_articles"] == cluster["articles"] >= 1


def test_query_volume_counts_every_dated_event_once(corpus) -> None:  # noqa: F811
    store, _ = corpus
    rows = volume(store)
    assert sum(r["events"] for r in rows) == count_events(store, EventFilter()) == 10
    assert all(r["events"] == sum(r[q] for q in QUAD_CLASSES) for r in rows)
    assert [r["period"] for r in rows] == sorted(r["period"] for r in rows)
    assert [r["events"] for r in volume(store, EventFilter(actor="UKR"), "year")] == [1]
    with pytest.raises(QueryError):
        volume(store, interval="fortnight")


def test_query_dyad_coarse_holds_what_the_series_leaves_out(corpus) -> None:  # noqa: F811
    store, _ = corpus
    # RUS-DEU: one event dated "2020-01": inside a month, too coarse for a day.
    assert dyad_coarse(store, "RUS", "DEU") == []
    [month] = dyad_coarse(store, "RUS", "DEU", interval="day")
    assert (month["date"], month["events"], month["by_quad"]["verbal_conflict"]) == ("2020-01", 1, 1)
    assert dyad_series(store, "RUS", "DEU", interval="day") == []
    # FRA-CVL protest dated "2020": every monthly event is in the series or in coarse.
    for a, b in (("FRA", "DEU"), ("USA", "RUS"), ("FRA", "CVL"), ("RUS", "DEU")):
        in_series = sum(r["events"] for r in dyad_series(store, a, b, interval="week"))
        coarse = sum(r["events"] for r in dyad_coarse(store, a, b, interval="week"))
        assert in_series + coarse == count_events(store, EventFilter(dyad=(a, b))), (a, b)


def test_store_compact_orders_by_date_and_keeps_everything(tmp_path: Path) -> None:
    db = tmp_path / "c.duckdb"
    with Store(db) as store:
        generate(store, 2000, seed=5)
        before = store.con.execute("SELECT * FROM events ORDER BY event_id").fetchall()
        clusters = list_clusters(store, EventFilter(limit=5))
        store.con.execute("UPDATE events SET sentence = sentence")  # writes still work after
        assert store.compact() == 2000
        assert store.con.execute("SELECT * FROM events ORDER BY event_id").fetchall() == before
        starts = [r[0] for r in store.con.execute("SELECT date_start FROM events").fetchall()]
        assert starts == sorted(starts)
        assert list_clusters(store, EventFilter(limit=5)) == clusters
        idx = {r[0] for r in store.con.execute(
            "SELECT index_name FROM duckdb_indexes() WHERE table_name = 'events'").fetchall()}
        assert {"events_article", "events_cluster"} <= idx
        with pytest.raises(Exception, match="(?i)constraint|duplicate"):
            store.con.execute("INSERT INTO events SELECT * FROM events LIMIT 1")
