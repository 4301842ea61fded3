"""The analyst's command line (issue 20, items 1–4): `kronika dyad`, `kronika timeline` and
`kronika events` on the same query functions as the API, nothing silently cut, one actor
lookup, coded refusals (exit 2) that list what is valid."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from kronika.api import create_app
from kronika.config import Settings
from kronika.query import EventFilter, count_events
from kronika.store import Store
from kronika.store.synthetic import generate
from test_api_fixtures import N_EVENTS, build_store

N_BIG = 2500


def _app():  # type: ignore[no-untyped-def]
    from kronika.cli import _register, app

    _register()
    return app


def _run(db: Path, *args: str) -> Any:
    return CliRunner().invoke(_app(), [*args, "--db", str(db)], env={"COLUMNS": "200"})


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_store(tmp_path_factory.mktemp("cli-analysis") / "demo.duckdb")


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("cli-big") / "big.duckdb"
    with Store(path) as s:
        generate(s, N_BIG, seed=5)
    return path


# ----------------------------------------------------------------------------- dyad


@pytest.mark.parametrize("name", ["Japan", "JPN", "Japanese", "japanese"])
def test_cli_dyad_names_codes_and_demonyms_give_the_same_series(demo: Path, name: str) -> None:
    reference = _run(demo, "dyad", "JPN", "RUS", "--by", "month", "--format", "csv")
    res = _run(demo, "dyad", name, "Russia", "--by", "month", "--format", "csv")
    assert res.exit_code == 0 and reference.exit_code == 0
    assert res.stdout == reference.stdout
    rows = list(csv.DictReader(io.StringIO(res.stdout)))
    assert sum(int(r["events"]) for r in rows) == 7  # every JPN–RUS event of the fixture


def test_cli_dyad_json_is_what_the_api_answers(demo: Path) -> None:
    res = _run(demo, "dyad", "Japan", "Russia", "--by", "week", "--directed", "--format", "json")
    api = TestClient(create_app(Settings(), store_path=demo)).get(
        "/api/dyads/Japan/Russia", params={"interval": "week", "directed": "true"}).json()
    assert json.loads(res.stdout) == api
    assert api["directed"] is True and api["totals"]["events"] == 5  # JPN as source only


def test_cli_dyad_table_and_file_output(demo: Path, tmp_path: Path) -> None:
    res = _run(demo, "dyad", "Japan", "Russia", "--by", "year")
    assert res.exit_code == 0
    assert "Japan (JPN) ↔ Russia (RUS), by year: 7 events" in res.stdout and "mean Goldstein" in res.stdout
    out = tmp_path / "sub" / "dyad.csv"
    res = _run(demo, "dyad", "Japan", "Russia", "--by", "day", "--format", "csv", "--out", str(out))
    assert res.exit_code == 0 and out.exists()
    rows = list(csv.DictReader(out.open()))
    assert rows[0]["kind"] == "period" and sum(int(r["events"]) for r in rows) == 7


def test_cli_dyad_unknown_actor_exits_2_with_nearest_names(demo: Path) -> None:
    res = _run(demo, "dyad", "Japn", "Russia")
    assert res.exit_code == 2
    assert "K514" in res.output and "Japan (JPN)" in res.output


# ----------------------------------------------------------------------------- timeline


def test_cli_timeline_pages_and_says_how_many(demo: Path) -> None:
    total = 8  # events with Japan on either side in the fixture
    res = _run(demo, "timeline", "Japanese", "--limit", "3")
    assert res.exit_code == 0
    assert f"showing 1–3 of {total} matching events" in res.stdout and "--all" in res.stdout
    res = _run(demo, "timeline", "Japan", "--all", "--format", "json")
    page = json.loads(res.stdout)
    assert page["total"] == len(page["items"]) == total
    dates = [r["date_start"] for r in page["items"]]
    assert dates == sorted(dates)
    api = TestClient(create_app(Settings(), store_path=demo)).get(
        "/api/timeline", params={"actor": "Japan", "limit": 100}).json()
    assert [r["event_id"] for r in api["items"]] == [r["event_id"] for r in page["items"]]


def test_cli_timeline_filters(demo: Path) -> None:
    res = _run(demo, "timeline", "JPN", "--type", "CONSULT", "--status", "planned", "--format", "jsonl")
    recs = [json.loads(line) for line in res.stdout.splitlines() if line.startswith("{")]
    assert [(r["type"], r["status"]) for r in recs] == [("CONSULT", "planned")]


# ----------------------------------------------------------------------------- events


@pytest.mark.parametrize("name", ["REQUEST", "DEMAND", "request"])
def test_cli_events_type_request_and_its_old_name_demand(demo: Path, name: str) -> None:
    res = _run(demo, "events", "--type", name, "--format", "jsonl")
    assert res.exit_code == 0
    recs = [json.loads(line) for line in res.stdout.splitlines() if line.startswith("{")]
    assert [r["type"] for r in recs] == ["REQUEST"]


@pytest.mark.parametrize(("args", "code", "listed"), [
    (("--type", "REQUST"), "K513", "REQUEST"),
    (("--status", "ocurred"), "K513", "occurred"),
    (("--actor", "Japn"), "K514", "Japan (JPN)"),
    (("--source", "JPX"), "K515", "Japan (JPN)"),
    (("--dyad", "Rusia,JPN"), "K514", "Russia (RUS)"),
])
def test_cli_events_unknown_values_exit_2_listing_valid_ones(demo: Path, args: tuple[str, ...], code: str,
                                                            listed: str) -> None:
    res = _run(demo, "events", *args)
    assert res.exit_code == 2
    text = " ".join(res.output.split())  # rich wraps the message
    assert code in text and listed in text


def test_cli_events_says_n_of_m(big: Path) -> None:
    res = _run(big, "events")
    assert res.exit_code == 0
    assert f"showing 1–50 of {N_BIG} matching events — use --all" in res.stdout


def test_cli_events_limit_beyond_a_page_returns_every_row(big: Path) -> None:
    res = _run(big, "events", "--limit", "100000", "--format", "jsonl")
    ids = [json.loads(line)["event_id"] for line in res.stdout.splitlines() if line.startswith("{")]
    assert len(ids) == len(set(ids)) == N_BIG  # more than the old 1,000-row cap


def test_cli_events_all_streams_every_row_as_csv(big: Path, tmp_path: Path) -> None:
    out = tmp_path / "all.csv"
    res = _run(big, "events", "--all", "--format", "csv", "--out", str(out))
    assert res.exit_code == 0
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert len(rows) == N_BIG and {"event_id", "goldstein", "penta_class"} <= set(rows[0])
    with Store(big, read_only=True) as s:
        total = count_events(s, EventFilter(actor="RUS"))
    res = _run(big, "events", "--all", "--actor", "Russia", "--format", "jsonl")
    assert sum(1 for line in res.stdout.splitlines() if line.startswith("{")) == total


def test_cli_events_fixture_count(demo: Path) -> None:
    res = _run(demo, "events", "--limit", "100")
    assert f"all {N_EVENTS} matching events" in res.stdout


def test_python_query_events_is_not_capped_either(big: Path) -> None:
    import kronika

    assert len(kronika.query_events(big, limit=100000)) == N_BIG
    assert len(kronika.query_events(big, actor="Japanese", limit=100000)) == len(
        kronika.query_events(big, actor="JPN", limit=100000)) > 0


# ----------------------------------------------------------------------------- count switch


def test_cli_dyad_and_network_count_events_or_reports_as_the_api_does(tmp_path: Path) -> None:
    """``--count events`` counts each clustered happening once, as ``count=events`` does in the
    API: one meeting told by three outlets and two separate accusations are 5 reports, 3 events."""
    from kronika.store import synthetic as syn

    db = tmp_path / "count.duckdb"
    with Store(db) as store:
        analyses = []
        for outlet in range(3):
            art = syn.article(f"Outlet {outlet}: the ministers met on Friday. End.", "2019-06-15")
            analyses.append(syn.analysis(art, [syn.event(art, "CONSULT", syn.ref("JPN"), syn.ref("RUS"),
                                                         "2019-06-14")]))
        for day in ("2019-06-01", "2019-06-20"):
            art = syn.article(f"On {day} Japan accused Russia. End.", day)
            analyses.append(syn.analysis(art, [syn.event(art, "ACCUSE", syn.ref("JPN"), syn.ref("RUS"), day)]))
        store.write_batch(analyses)
    api = TestClient(create_app(Settings(), store_path=db))
    reports = json.loads(_run(db, "dyad", "Japan", "Russia", "--format", "json").stdout)
    events = json.loads(_run(db, "dyad", "Japan", "Russia", "--count", "events", "--format", "json").stdout)
    assert events == api.get("/api/dyads/Japan/Russia", params={"count": "events"}).json()
    assert (reports["totals"]["events"], events["totals"]["events"]) == (5, 3)
    net = json.loads(_run(db, "network", "--count", "events", "--format", "json").stdout)
    assert net == api.get("/api/network", params={"count": "events"}).json()
    assert [e["weight"] for e in net["edges"]] == [3]
    bad = _run(db, "dyad", "Japan", "Russia", "--count", "happenings")
    assert bad.exit_code == 2 and "K513" in bad.output


def test_cli_recluster_redoes_clusters_under_the_settings_rule(tmp_path: Path) -> None:
    """A store written under the default one-day window keeps three clusters for reports five
    days apart; `kronika recluster --window-days 7` joins them (and the API's ``count=events``
    follows); a missing store is refused (K403) rather than created empty."""
    from kronika.store import synthetic as syn

    db = tmp_path / "re.duckdb"
    with Store(db) as store:
        analyses = []
        for day in ("2019-06-10", "2019-06-13", "2019-06-18"):
            art = syn.article(f"On {day} Japan and Russia held talks. End.", day)
            analyses.append(syn.analysis(art, [syn.event(art, "CONSULT", syn.ref("JPN"), syn.ref("RUS"), day)]))
        store.write_batch(analyses)

    def clusters() -> int:
        with Store(db, read_only=True) as s:
            return int(s.scalar("SELECT count(DISTINCT cluster_id) FROM events"))

    assert clusters() == 3
    res = _run(db, "recluster", "--window-days", "7")
    assert res.exit_code == 0, res.output
    assert "2 clusters (window 7 days" in res.output and clusters() == 2
    api = TestClient(create_app(Settings(), store_path=db))
    assert api.get("/api/dyads/Japan/Russia", params={"count": "events"}).json()["totals"]["events"] == 2
    assert _run(db, "recluster").exit_code == 0 and clusters() == 3  # back to the default rule
    missing = _run(tmp_path / "none.duckdb", "recluster")
    assert missing.exit_code == 2 and "K403" in missing.output and not (tmp_path / "none.duckdb").exists()
    assert _run(db, "recluster", "--window-days", "-1").exit_code == 2


def test_map_count_events_draws_each_happening_once(tmp_path: Path) -> None:
    """`count=events` on the map: a meeting in Tokyo told by three outlets is one point with
    reports=3, the newest report; two accusations in Moscow weeks apart stay two points. The
    API, `kronika map --count events` (table, GeoJSON, CSV) and the Python query agree."""
    from kronika.query import count_located, map_page
    from kronika.store import synthetic as syn

    tokyo, moscow = syn.place("Tokyo", 1850147, 35.69, 139.69, "JPN"), syn.place("Moscow", 524901, 55.75, 37.62, "RUS")
    db = tmp_path / "map.duckdb"
    with Store(db) as store:
        analyses = []
        for outlet, published in enumerate(("2019-06-15", "2019-06-15", "2019-06-16")):
            art = syn.article(f"Outlet {outlet}: the ministers met in Tokyo on Friday. End.", published)
            analyses.append(syn.analysis(art, [syn.event(art, "CONSULT", syn.ref("JPN"), syn.ref("RUS"),
                                                         "2019-06-14", place=tokyo)]))
        for day in ("2019-06-01", "2019-06-20"):
            art = syn.article(f"On {day} Japan accused Russia in Moscow. End.", day)
            analyses.append(syn.analysis(art, [syn.event(art, "ACCUSE", syn.ref("JPN"), syn.ref("RUS"), day,
                                                         place=moscow)]))
        store.write_batch(analyses)
        assert (count_located(store, EventFilter()), count_located(store, EventFilter(), "events")) == (5, 3)
        page_ = map_page(store, EventFilter(), count="events")
    assert [(p["place"], p["reports"]) for p in page_["points"]] == [("Moscow", 1), ("Tokyo", 3), ("Moscow", 1)]
    assert page_["total"] == 3
    api = TestClient(create_app(Settings(), store_path=db))
    got = api.get("/api/map", params={"count": "events"}).json()
    assert [p["event_id"] for p in got["points"]] == [p["event_id"] for p in page_["points"]] and got["total"] == 3
    assert len(api.get("/api/map").json()["points"]) == 5 and "reports" not in api.get("/api/map").json()["points"][0]
    assert api.get("/api/map", params={"count": "happenings"}).status_code == 422
    geo = json.loads(_run(db, "map", "--count", "events", "--format", "geojson").stdout)
    assert sorted(f["properties"]["reports"] for f in geo["features"]) == [1, 1, 3]
    rows = list(csv.DictReader(io.StringIO(_run(db, "map", "--count", "events", "--format", "csv").stdout)))
    assert len(rows) == 3 and sorted(int(r["reports"]) for r in rows) == [1, 1, 3]
    table = _run(db, "map", "--count", "events", "--limit", "2")
    assert table.exit_code == 0 and "2 of 3 located events" in table.output
    bad = _run(db, "map", "--count", "happenings")
    assert bad.exit_code == 2 and "K513" in bad.output
