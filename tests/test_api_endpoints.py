"""The read API against a real DuckDB store built from hand-made records."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from kronika.api import create_app
from kronika.api.formats import flatten, to_csv
from kronika.config import Settings
from test_api_fixtures import N_EVENTS, build_store


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_store(tmp_path_factory.mktemp("api") / "demo.duckdb")


@pytest.fixture(scope="module")
def client(db: Path) -> TestClient:
    return TestClient(create_app(Settings(), store_path=db))


def rows_of(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_api_health_and_version(client: TestClient) -> None:
    assert client.get("/api/health").json() == {"status": "ok", "store": True, "writable": False}
    assert client.get("/api/version").json()["kronika"]


def test_api_events_pages_through_everything(client: TestClient) -> None:
    first = client.get("/api/events", params={"limit": 5}).json()
    assert (first["total"], len(first["items"]), first["next_offset"]) == (N_EVENTS, 5, 5)
    last = client.get("/api/events", params={"limit": 5, "offset": 10}).json()
    assert len(last["items"]) == N_EVENTS - 10 and last["next_offset"] is None
    seen = set()
    for off in range(0, N_EVENTS, 5):
        seen |= {e["event_id"] for e in client.get("/api/events", params={"limit": 5, "offset": off}).json()["items"]}
    assert len(seen) == N_EVENTS


def test_api_page_size_is_capped_by_settings(db: Path) -> None:
    small = TestClient(create_app(Settings(api_max_page=3), store_path=db))
    body = small.get("/api/events", params={"limit": 1000}).json()
    assert body["limit"] == 3 and len(body["items"]) == 3


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"type": "consult"}, 3),
        ({"status": "planned"}, 1),
        ({"dyad": "JPN,RUS"}, 7),
        ({"source": "RUS"}, 2),
        ({"actor": "DEU"}, 1),
        ({"since": "2021-06", "until": "2021-06-30"}, 5),
        ({"place": "Tokyo"}, 4),
        ({"text": "sanctions"}, 1),
        ({"quad_class": "material_conflict"}, 1),
        ({"bbox": "100,20,150,50"}, 5),
    ],
)
def test_api_events_filters(client: TestClient, params: dict[str, str], expected: int) -> None:
    body = client.get("/api/events", params=params).json()
    assert body["total"] == expected, body


@pytest.mark.parametrize(
    "params",
    [{"type": "FLY"}, {"status": "maybe"}, {"since": "last week"}, {"limit": 0}, {"offset": -1},
     {"bbox": "1,2,3"}, {"bbox": "0,95,10,99"}, {"dyad": "JPN"}, {"format": "xml"}, {"actor": "a\x01b"}],
)
def test_api_events_rejects_bad_parameters(client: TestClient, params: dict[str, object]) -> None:
    assert client.get("/api/events", params=params).status_code == 422


def test_api_events_csv_flattens_records(client: TestClient) -> None:
    """format=csv is a download in the one events layout (``query.export``); an explicit
    limit still bounds it."""
    res = client.get("/api/events", params={"format": "csv", "limit": 4})
    assert res.status_code == 200 and res.headers["content-type"].startswith("text/csv")
    rows = rows_of(res.text)
    assert len(rows) == 4
    assert {"event_id", "type", "source_actor", "target_country", "date", "evidence"} <= set(rows[0])


@pytest.mark.parametrize(
    "path",
    ["/api/summary", "/api/volume", "/api/dyads/JPN/RUS", "/api/network", "/api/timeline?actor=JPN",
     "/api/clusters", "/api/map", "/api/events"],
)
def test_api_every_read_endpoint_answers_json_and_csv(client: TestClient, path: str) -> None:
    sep = "&" if "?" in path else "?"
    assert client.get(path).status_code == 200
    res = client.get(f"{path}{sep}format=csv")
    assert res.status_code == 200 and res.headers["content-type"].startswith("text/csv")
    assert len(rows_of(res.text)) >= 1


def test_api_summary_counts(client: TestClient) -> None:
    s = client.get("/api/summary").json()
    assert (s["articles"], s["events"]) == (5, N_EVENTS)
    assert s["top_dyads"][0] == {"a": "JPN", "b": "RUS", "events": 7}


def test_api_volume_covers_every_dated_event(client: TestClient) -> None:
    series = client.get("/api/volume").json()["series"]
    assert [r["period"][:7] for r in series] == ["2021-03", "2021-04", "2021-05", "2021-06"]
    assert sum(r["events"] for r in series) == N_EVENTS


def test_api_dyad_series_splits_cooperation_and_conflict(client: TestClient) -> None:
    series = client.get("/api/dyads/JPN/RUS").json()["series"]
    march = series[0]
    assert march["period"] == "2021-03-01"
    assert march["by_quad"]["verbal_cooperation"] == 1 and march["by_quad"]["verbal_conflict"] == 2


def test_api_network_links_actors(client: TestClient) -> None:
    net = client.get("/api/network").json()
    ids = {n["id"] for n in net["nodes"]}
    assert {"JPN", "RUS", "USA", "CHN", "DEU"} == ids
    assert any({e["source"], e["target"]} == {"JPN", "RUS"} for e in net["edges"])


def test_api_article_view_has_evidence_spans(client: TestClient) -> None:
    ev = client.get("/api/events", params={"type": "SANCTION"}).json()["items"][0]
    art = client.get(f"/api/articles/{ev['article_id']}").json()
    mine = next(e for e in art["events"] if e["event_id"] == ev["event_id"])
    assert art["text"][mine["evidence_start"] : mine["evidence_end"]] == ev["evidence"]


def test_api_cluster_and_article_not_found(client: TestClient) -> None:
    cid = client.get("/api/clusters", params={"limit": 1}).json()["items"][0]["cluster_id"]
    assert client.get(f"/api/clusters/{cid}").status_code == 200
    assert client.get("/api/clusters/nope").status_code == 404
    assert client.get("/api/articles/0123abcd").status_code == 404


def test_api_map_points_are_located(client: TestClient) -> None:
    points = client.get("/api/map").json()["points"]
    assert len(points) == 10 and all(p["lat"] is not None for p in points)
    # how each place is known: named by the event's sentence, or by the article elsewhere
    assert {p["place_origin"] for p in points} == {"text", "context"}


def test_api_missing_store_is_a_clear_404(tmp_path: Path) -> None:
    c = TestClient(create_app(Settings(), store_path=tmp_path / "none.duckdb"))
    res = c.get("/api/summary")
    assert res.status_code == 404 and res.json()["code"] == "K411"
    assert "ingest" in res.json()["detail"]
    assert not (tmp_path / "none.duckdb").exists()  # reading never creates a store


def test_api_docs_are_served_offline(client: TestClient) -> None:
    pytest.importorskip("swagger_ui", reason="swagger-ui-py (Swagger UI assets) is not installed")
    page = client.get("/docs").text
    assert "/static/vendor/swagger-ui/swagger-ui-bundle.js" in page and "cdn" not in page.lower()
    assert client.get("/static/vendor/swagger-ui/swagger-ui-bundle.js").status_code == 200
    assert client.get("/static/vendor/plotly.min.js").status_code == 200


def test_api_openapi_documents_every_endpoint(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    app_paths = {r.path for r in client.app.routes if getattr(r, "path", "").startswith("/api/")}
    assert app_paths <= set(paths)
    assert "requestBody" in paths["/api/articles"]["post"]


def test_api_csv_guards_against_formulas() -> None:
    text = to_csv([{"evidence": "=HYPERLINK(\"x\")", "n": -1, "who": "+cmd"}])
    row = rows_of(text)[0]
    assert row == {"evidence": "'=HYPERLINK(\"x\")", "n": "-1", "who": "'+cmd"}


def test_api_flatten_joins_compound_sides() -> None:
    flat = flatten({"source": [{"actor": "JPNGOV"}, {"actor": "USAGOV"}], "contexts": ["a", "b"]})
    assert flat == {"source.actor": "JPNGOV + USAGOV", "contexts": "a; b"}


def test_api_single_event_and_dyad_coarse_bucket(client: TestClient) -> None:
    first = client.get("/api/events", params={"limit": 1}).json()["items"][0]
    one = client.get(f"/api/events/{first['event_id']}")
    assert one.status_code == 200 and one.json()["event_id"] == first["event_id"]
    assert one.json()["evidence"] == first["evidence"] and "evidence_start" in one.json()
    assert client.get("/api/events/nosuchevent").status_code == 404
    assert client.get("/api/events/bad%20id").status_code == 422
    body = client.get("/api/dyads/JPN/RUS", params={"interval": "day"}).json()
    assert isinstance(body["coarse"], list)
    assert all({"date", "events", "by_quad"} <= set(c) for c in body["coarse"])
