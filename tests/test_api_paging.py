"""Nothing silently cut, one actor lookup (issue 20, items 1 and 2), over real HTTP.

A synthetic store of 2,500 events (``store.synthetic.generate``), more than a page can hold:
``next`` links walk every event exactly once; ``format=csv|jsonl|parquet`` downloads every
matching event; actor names, codes and demonyms answer alike; an unknown type, status,
country or actor is a coded 422 that lists what is valid.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import duckdb
import pytest
from fastapi.testclient import TestClient

from kronika.api import create_app
from kronika.config import Settings
from kronika.query import EventFilter, count_events
from kronika.store import Store
from kronika.store.synthetic import generate

N = 2500
PAGE = 400


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("paging") / "big.duckdb"
    with Store(path) as s:
        generate(s, N, seed=3)
    return path


@pytest.fixture(scope="module")
def client(db: Path) -> TestClient:
    return TestClient(create_app(Settings(api_max_page=PAGE), store_path=db))


def _count(db: Path, flt: EventFilter) -> int:
    with Store(db, read_only=True) as s:
        return count_events(s, flt)


def test_api_next_links_walk_every_event_exactly_once(client: TestClient) -> None:
    url: str | None = "/api/events?limit=100000"  # asks for more than a page: capped, not cut silently
    seen: list[str] = []
    pages = 0
    while url:
        body = client.get(url).json()
        assert body["total"] == N and body["limit"] == PAGE
        assert body["showing"].endswith(f"of {N}")
        seen += [r["event_id"] for r in body["items"]]
        url = body["next"]
        pages += 1
    assert pages == -(-N // PAGE)
    assert len(seen) == len(set(seen)) == N


def test_api_next_links_keep_the_filters(client: TestClient, db: Path) -> None:
    total = _count(db, EventFilter(actor="RUS", type="CONSULT,AGREE"))
    assert total > 0
    url: str | None = "/api/events?actor=Russia&type=CONSULT,AGREE&limit=7"
    ids: set[str] = set()
    while url:
        body = client.get(url).json()
        assert body["total"] == total
        ids |= {r["event_id"] for r in body["items"]}
        url = body["next"]
    assert len(ids) == total


def test_api_timeline_pages_with_next(client: TestClient, db: Path) -> None:
    total = _count(db, EventFilter(actor="JPN"))
    body = client.get("/api/timeline", params={"actor": "Japanese", "limit": 50}).json()
    assert body["total"] == total and len(body["items"]) == 50 and "offset=50" in body["next"]
    dates = [r["date_start"] for r in body["items"]]
    assert dates == sorted(dates)


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "parquet"])
def test_api_download_streams_every_matching_row(client: TestClient, db: Path, tmp_path: Path, fmt: str) -> None:
    res = client.get("/api/events", params={"format": fmt})
    assert res.status_code == 200
    assert "attachment" in res.headers["content-disposition"] and f"events.{fmt}" in res.headers["content-disposition"]
    assert res.headers["x-total-count"] == str(N)
    if fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(res.text)))
        assert len(rows) == N and len({r["event_id"] for r in rows}) == N
    elif fmt == "jsonl":
        recs = [json.loads(line) for line in res.text.splitlines()]
        assert len(recs) == N and {"goldstein", "penta_class", "source", "date"} <= set(recs[0])
    else:
        path = tmp_path / "e.parquet"
        path.write_bytes(res.content)
        [(n, typ)] = duckdb.sql(f"SELECT count(*), typeof(any_value(confidence)) FROM '{path}'").fetchall()
        assert (n, typ) == (N, "DOUBLE")


def test_api_download_of_a_filtered_query(client: TestClient, db: Path) -> None:
    total = _count(db, EventFilter(actor="USA", since="2019"))
    assert total > 0
    res = client.get("/api/events", params={"actor": "United States", "since": "2019", "format": "csv"})
    rows = list(csv.DictReader(io.StringIO(res.text)))
    assert len(rows) == total
    assert all("USA" in (r["source_country"] + r["target_country"]) for r in rows)
    # an explicit limit bounds a download, uncapped by the page size
    res = client.get("/api/events", params={"format": "csv", "limit": PAGE + 5, "offset": 10})
    assert len(list(csv.DictReader(io.StringIO(res.text)))) == PAGE + 5


@pytest.mark.parametrize("name", ["Japan", "JPN", "Japanese", "japan", "Japanese"])
def test_api_dyad_names_codes_and_demonyms_answer_alike(client: TestClient, name: str) -> None:
    reference = client.get("/api/dyads/JPN/RUS", params={"interval": "year"}).json()
    body = client.get(f"/api/dyads/{name}/Russians", params={"interval": "year"}).json()
    assert body["series"] == reference["series"] and body["totals"]["events"] > 0
    assert body["a_label"] == "Japan (JPN)"


def test_api_dyad_directed_is_one_way(client: TestClient) -> None:
    both = client.get("/api/dyads/JPN/RUS", params={"interval": "year"}).json()["totals"]["events"]
    ab = client.get("/api/dyads/JPN/RUS", params={"interval": "year", "directed": "true"}).json()
    ba = client.get("/api/dyads/RUS/JPN", params={"interval": "year", "directed": "true"}).json()
    assert ab["directed"] is True
    assert 0 < ab["totals"]["events"] < both and ab["totals"]["events"] + ba["totals"]["events"] == both


@pytest.mark.parametrize(("params", "code", "listed"), [
    ({"type": "REQUST"}, "K513", "REQUEST"),
    ({"status": "ocurred"}, "K513", "occurred"),
    ({"quad_class": "verbal"}, "K513", "verbal_cooperation"),
    ({"actor": "Japn"}, "K514", "Japan (JPN)"),
    ({"dyad": "Japn,RUS"}, "K514", "Japan (JPN)"),
    ({"source": "JPX"}, "K515", "Japan (JPN)"),
])
def test_api_unknown_filter_values_are_coded_422_listing_valid_ones(client: TestClient, params: dict,
                                                                    code: str, listed: str) -> None:
    for path in ("/api/events", "/api/timeline", "/api/map", "/api/network", "/api/volume"):
        res = client.get(path, params=params)
        assert res.status_code == 422, (path, res.text)
        assert res.json()["code"] == code and listed in res.json()["detail"]


def test_api_request_and_its_old_name_demand_find_the_same_events(client: TestClient, db: Path) -> None:
    total = _count(db, EventFilter(type="REQUEST"))
    assert total > 0
    for name in ("REQUEST", "DEMAND", "request"):
        body = client.get("/api/events", params={"type": name}).json()
        assert body["total"] == total and {r["type"] for r in body["items"]} == {"REQUEST"}


@pytest.mark.parametrize(("path", "key"), [("/api/map", "points"), ("/api/clusters", "items")])
def test_api_map_and_clusters_say_n_of_m_and_link_the_rest(client: TestClient, path: str, key: str) -> None:
    url: str | None = f"{path}?actor=Russia&limit=40"
    first = client.get(url).json()
    assert first["total"] > 40 and first["showing"] == f"1–40 of {first['total']}"
    seen: list[str] = []
    while url:
        body = client.get(url).json()
        seen += [r.get("event_id") or r.get("cluster_id") for r in body[key]]
        url = body["next"]
    assert len(seen) == len(set(seen)) == first["total"]
