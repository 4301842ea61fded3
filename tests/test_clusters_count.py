"""Events, not reports (issue 20, item 5): every view can count happenings or reports."""

from __future__ import annotations

from pathlib import Path

import pytest

from kronika.errors import QueryError
from kronika.query import EventFilter
from kronika.query.clusters import COUNTS, count_matching, count_sql
from kronika.store import Store
from kronika.store import synthetic as syn


def _write(store: Store) -> None:
    analyses = []
    for outlet in range(3):  # one meeting, three outlets
        art = syn.article(f"Outlet {outlet}: the ministers met on Friday. End.", "2019-06-15")
        analyses.append(syn.analysis(art, [syn.event(art, "CONSULT", syn.ref("AAA"), syn.ref("BBB"), "2019-06-14")]))
    for day in ("2019-06-01", "2019-06-20"):  # two different accusations
        art = syn.article(f"On {day} AAA accused BBB. End.", day)
        analyses.append(syn.analysis(art, [syn.event(art, "ACCUSE", syn.ref("AAA"), syn.ref("BBB"), day)]))
    store.write_batch(analyses)


def test_clusters_count_events_or_reports(tmp_path: Path) -> None:
    with Store(tmp_path / "c.duckdb") as store:
        _write(store)
        assert COUNTS == ("reports", "events")
        assert count_matching(store) == 5 == count_matching(store, count="reports")
        assert count_matching(store, count="events") == 3
        assert count_matching(store, EventFilter(type="CONSULT"), count="EVENTS") == 1
        assert count_matching(store, EventFilter(type="CONSULT"), count="reports") == 3
        # The fragment other views group by: one happening per period, however many reports.
        rows = store.fetch_tuples(f"SELECT e.type, {count_sql('events')}, {count_sql('reports')} "
                                  "FROM events e GROUP BY 1 ORDER BY 1")
    assert rows == [("ACCUSE", 2, 2), ("CONSULT", 1, 3)]


@pytest.mark.parametrize("bad", ["mentions", "", "events; DROP TABLE events"])
def test_clusters_count_unit_is_checked(bad: str) -> None:
    with pytest.raises(QueryError, match="reports, events") as err:
        count_sql(bad)
    assert err.value.code == "K513"


def test_clusters_count_switch_in_summary_volume_and_api(tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    from kronika.api import create_app
    from kronika.config import Settings
    from kronika.query import summary, volume

    db = tmp_path / "v.duckdb"
    with Store(db) as store:
        _write(store)
        assert (summary(store)["events"], summary(store, count="events")["events"]) == (5, 3)
        assert summary(store, count="events")["by_type"] == {"ACCUSE": 2, "CONSULT": 1}
        assert summary(store, count="events")["top_dyads"] == [{"a": "AAA", "b": "BBB", "events": 3}]
        june = {r["period"]: r["events"] for r in volume(store, interval="month", count="events")}
        assert june == {"2019-06-01": 3}
        assert {r["period"]: r["events"] for r in volume(store, interval="month")} == {"2019-06-01": 5}
    client = TestClient(create_app(Settings(), store_path=db))
    assert client.get("/api/summary", params={"count": "events"}).json()["events"] == 3
    assert client.get("/api/volume", params={"count": "events"}).json()["series"][0]["events"] == 3
    bad = client.get("/api/volume", params={"count": "mentions"})
    assert bad.status_code == 422 and bad.json()["code"]


def test_clusters_count_switch_in_the_network(tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    from kronika.api import create_app
    from kronika.config import Settings
    from kronika.query import actor_network

    db = tmp_path / "n.duckdb"
    with Store(db) as store:
        _write(store)
        # A symmetric meeting told with the sides swapped is still one happening.
        art = syn.article("Outlet 4: BBB and AAA met on Friday. End.", "2019-06-15")
        store.write_batch([syn.analysis(art, [syn.event(art, "CONSULT", syn.ref("BBB"), syn.ref("AAA"), "2019-06-14")])])
        weights = {(e["source"], e["target"]): e["weight"] for e in actor_network(store)["edges"]}
        happenings = {(e["source"], e["target"]): e["weight"] for e in actor_network(store, count="events")["edges"]}
    assert weights == {("AAA", "BBB"): 6}  # 4 meeting reports + 2 accusations
    assert happenings == {("AAA", "BBB"): 3}  # 1 meeting + 2 accusations
    client = TestClient(create_app(Settings(), store_path=db))
    assert client.get("/api/network", params={"count": "events"}).json()["edges"][0]["weight"] == 3
    assert client.get("/api/network", params={"count": "some"}).status_code == 422


def test_clusters_count_switch_in_the_dyad_series(tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    from kronika.api import create_app
    from kronika.config import Settings
    from kronika.query import dyad_report

    db = tmp_path / "d.duckdb"
    with Store(db) as store:
        _write(store)
        reports = dyad_report(store, "AAA", "BBB", "month")
        events = dyad_report(store, "AAA", "BBB", "month", count="events")
    assert (reports["totals"]["events"], events["totals"]["events"]) == (5, 3)
    assert events["series"][0]["by_type"] == {"ACCUSE": 2, "CONSULT": 1} and events["count"] == "events"
    client = TestClient(create_app(Settings(), store_path=db))
    body = client.get("/api/dyads/AAA/BBB", params={"count": "events"}).json()
    assert body["totals"]["events"] == 3
