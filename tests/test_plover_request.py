"""PLOVER 2021 names (issue 17): the type PLOVER 0.5b1 called DEMAND is REQUEST.

Records, the lexicon and the CAMEO table say REQUEST; stores written before are renamed
by migration ``0007_plover_2021_request``, exports by import; DEMAND stays an accepted
alias of every type filter (query layer, CLI, HTTP API, which the dashboard calls)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import duckdb
import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from kronika.api import create_app
from kronika.config import Settings
from kronika.evaluate.events import load_version_map, map_type
from kronika.events.ontology import DEFAULT_ROOT, load_cameo_table, parse_cameo_table
from kronika.model import PLOVER_TYPES, Article, plover_type, type_names
from kronika.query import EventFilter, count_events, find_events, summary
from kronika.resources import read_text
from kronika.store import Store
from kronika.store import synthetic as syn
from kronika.store.migrations import MIGRATIONS
from test_api_fixtures import build_store

MIGRATION = "0007_plover_2021_request"
JPN, RUS = syn.ref("JPN", "Japan"), syn.ref("RUS", "Russia")


def _app():  # type: ignore[no-untyped-def]
    from kronika.cli import _register, app

    _register()
    return app


# --------------------------------------------------------------------------- names


def test_plover_types_say_request_and_accept_demand() -> None:
    assert "REQUEST" in PLOVER_TYPES and "DEMAND" not in PLOVER_TYPES
    assert plover_type("demand") == plover_type(" DEMAND ") == plover_type("request") == "REQUEST"
    assert plover_type("consult") == "CONSULT"
    assert type_names("DEMAND") == type_names("request") == ["DEMAND", "REQUEST"]
    assert type_names("consult, demand") == ["CONSULT", "DEMAND", "REQUEST"]
    assert type_names("ACCUSE") == ["ACCUSE"]


def test_plover_cameo_table_and_lexicon_say_request() -> None:
    table = load_cameo_table()
    assert {c.type for c in table.values()} <= set(PLOVER_TYPES)
    assert table["10"].type == table["100"].type == table["1011"].type == "REQUEST"
    assert DEFAULT_ROOT["REQUEST"] == "10" and "DEMAND" not in DEFAULT_ROOT
    # A table in PLOVER 0.5b1 terms still loads: its DEMAND lines are REQUEST.
    assert parse_cameo_table("100: DEMAND,  ,  # Make request\n")["100"].type == "REQUEST"


def test_plover_manual_corrections_override_the_published_table() -> None:
    """Sanctions and convictions are SANCTION as the manual says (3.13.3), though the 2021
    table says COERCE and ACCUSE; the published table itself stays verbatim."""
    published = load_cameo_table(corrections=None)
    assert (published["163"].type, published["116"].type) == ("COERCE", "ACCUSE")
    table = load_cameo_table()
    assert (table["163"].type, table["163"].mode) == ("SANCTION", "discontinue")
    assert (table["116"].type, table["116"].mode) == ("SANCTION", "convict")
    corrected = parse_cameo_table(read_text("events/cameo2plover_manual.txt"))
    assert corrected and set(corrected) <= set(published)  # corrections name codes the table has
    assert {c: table[c] for c in published if c not in corrected} == \
        {c: published[c] for c in published if c not in corrected}


def test_plover_version_map_reads_both_0_5b1_names_as_request() -> None:
    table = load_version_map()
    assert map_type("DEMAND", "assist", table) == ("REQUEST", "assist")
    assert map_type("REQUEST", None, table) == ("REQUEST", None)


def test_plover_pipeline_records_say_request(pipeline, tmp_path: Path) -> None:
    art = Article.create("Japan demanded that Russia return the islands.", dt.date(2019, 5, 30))
    analysis = pipeline.analyze(art)
    types = {e.type for e in analysis.events}
    assert "REQUEST" in types and "DEMAND" not in types
    with Store(tmp_path / "k.duckdb") as store:
        store.write_batch([analysis])
        records = find_events(store, EventFilter(type="DEMAND"))
    assert records and {r["type"] for r in records} == {"REQUEST"}


# --------------------------------------------------------------------------- filters


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_store(tmp_path_factory.mktemp("req") / "demo.duckdb")


def test_plover_query_filter_takes_demand_as_request(demo_db: Path) -> None:
    with Store(demo_db, read_only=True) as store:
        [rec] = find_events(store, EventFilter(type="REQUEST"))
        assert rec["type"] == "REQUEST" and rec["source"]["country"] == "JPN"
        assert [r["event_id"] for r in find_events(store, EventFilter(type="demand"))] == [rec["event_id"]]
        assert count_events(store, EventFilter(type="DEMAND,CONSULT")) == count_events(
            store, EventFilter(type="request,consult")) == 1 + count_events(store, EventFilter(type="CONSULT"))
        assert summary(store, EventFilter())["by_type"].get("REQUEST") == 1


def test_plover_cli_events_type_demand_lists_request(demo_db: Path) -> None:
    runner, app = CliRunner(), _app()
    for value in ("DEMAND", "demand", "REQUEST"):
        res = runner.invoke(app, ["events", "--db", str(demo_db), "--type", value, "--format", "jsonl"])
        assert res.exit_code == 0, res.output
        rows = [json.loads(line) for line in res.stdout.splitlines() if line.strip()]
        assert [(r["type"], r["source"]["country"], r["target"]["country"]) for r in rows] == [
            ("REQUEST", "JPN", "RUS")], value


def test_plover_api_type_demand_is_request(demo_db: Path) -> None:
    client = TestClient(create_app(Settings(), store_path=demo_db))
    want = client.get("/api/events", params={"type": "REQUEST"}).json()
    assert [e["type"] for e in want["items"]] == ["REQUEST"]
    for value in ("DEMAND", "demand"):
        got = client.get("/api/events", params={"type": value})
        assert got.status_code == 200 and got.json()["items"] == want["items"]
    net = client.get("/api/network", params={"type": "DEMAND"})
    assert net.status_code == 200 and net.json() == client.get("/api/network", params={"type": "REQUEST"}).json()
    bad = client.get("/api/events", params={"type": "PLEAD"})
    assert bad.status_code == 422 and "REQUEST" in bad.text and "DEMAND" in bad.text


# --------------------------------------------------------------------------- stored data


def _old_store(db: Path) -> list[str]:
    """A real store as Kronika wrote it before the rename: DEMAND events (with their
    ``DEMAND|…`` cluster keys), and no record of migration 0007. Returns the DEMAND ids."""
    art = syn.article("Japan demanded that Russia return the islands. Japan and Russia met.", "2021-06-18")
    events = [syn.event(art, "REQUEST", JPN, RUS, "2021-06-18"),
              syn.event(art, "CONSULT", JPN, RUS, "2021-06-18", sentence=1)]
    with Store(db) as store:
        store.write_batch([syn.analysis(art, events)])
    con = duckdb.connect(str(db))
    con.execute("UPDATE events SET type = 'DEMAND', cluster_key = replace(cluster_key, 'REQUEST|', 'DEMAND|') "
                "WHERE type = 'REQUEST'")
    con.execute("DELETE FROM schema_migrations WHERE name = ?", [MIGRATION])
    con.close()
    return [events[0].event_id]


def test_plover_migration_renames_stored_demand_events(tmp_path: Path) -> None:
    db = tmp_path / "old.duckdb"
    ids = _old_store(db)
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT event_id, type, cluster_key FROM events WHERE type = 'DEMAND'").fetchall() == [
        (ids[0], "DEMAND", "DEMAND|JPN|RUS")]
    con.close()
    with Store(db) as store:  # a writable open migrates
        assert MIGRATION in store.migrations()
        assert MIGRATION in [name for name, _ in MIGRATIONS]
        rows = store.fetch_tuples("SELECT event_id, type, cluster_key, cluster_id FROM events ORDER BY type")
        assert [r[1:3] for r in rows] == [("CONSULT", "CONSULT|JPN|RUS"), ("REQUEST", "REQUEST|JPN|RUS")]
        assert rows[1][0] == ids[0] and rows[1][3] is not None  # ids are kept
        applied = store.scalar("SELECT applied_at FROM schema_migrations WHERE name = ?", [MIGRATION])
        # A later report of the same request joins the stored cluster under the new key.
        later = syn.article("Japan asked Russia to return the islands.", "2021-06-19")
        store.write_batch([syn.analysis(later, [syn.event(later, "REQUEST", JPN, RUS, "2021-06-18")])])
        assert store.scalar("SELECT count(DISTINCT cluster_id) FROM events WHERE type = 'REQUEST'") == 1
    with Store(db) as store:  # applied once
        assert store.scalar("SELECT applied_at FROM schema_migrations WHERE name = ?", [MIGRATION]) == applied
        assert store.scalar("SELECT count(*) FROM events WHERE type = 'DEMAND'") == 0


def test_plover_unmigrated_read_only_store_answers_in_2021_names(tmp_path: Path) -> None:
    db = tmp_path / "old.duckdb"
    ids = _old_store(db)
    with Store(db, read_only=True) as store:  # read-only opens never migrate
        assert MIGRATION not in store.migrations()
        for value in ("REQUEST", "DEMAND"):
            assert [(r["event_id"], r["type"]) for r in find_events(store, EventFilter(type=value))] == [
                (ids[0], "REQUEST")]


def test_plover_import_renames_an_old_export(tmp_path: Path) -> None:
    db, backup, restored = tmp_path / "k.duckdb", tmp_path / "backup", tmp_path / "restored.duckdb"
    runner, app = CliRunner(), _app()
    build_store(db)
    res = runner.invoke(app, ["export", str(backup), "--format", "jsonl", "--db", str(db)])
    assert res.exit_code == 0, res.output
    path = backup / "events.jsonl"
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    for r in rows:  # as an export written before the rename
        if r["type"] == "REQUEST":
            r["type"], r["cluster_key"] = "DEMAND", r["cluster_key"].replace("REQUEST|", "DEMAND|")
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    res = runner.invoke(app, ["import", str(backup), "--db", str(restored)])
    assert res.exit_code == 0, res.output
    with Store(restored, read_only=True) as store:
        assert store.fetch_tuples("SELECT type, cluster_key FROM events WHERE type IN ('DEMAND', 'REQUEST')") == [
            ("REQUEST", "REQUEST|JPN|RUS")]
