"""How an event's place is known travels with it: extraction → store → records, exports and
imports (``location.origin``: "text" or "context"), and stores and exports written before
migration ``0008_location_origin`` read as they did (every place then was "text")."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
from typer.testing import CliRunner

from kronika.model import EventPlace
from kronika.query import EventFilter, find_events, map_points
from kronika.store import Store
from kronika.store import synthetic as syn

MIGRATION = "0008_location_origin"
TUR, USA = syn.ref("TUR", "Turkey"), syn.ref("USA", "United States")
ISTANBUL = dict(name="Istanbul", geonameid=745044, lat=41.01, lon=28.95, country="TUR")


def _app():  # type: ignore[no-untyped-def]
    from kronika.cli import _register, app

    _register()
    return app


def _write(db: Path) -> dict[str, str | None]:
    """Three events: placed by their sentence, by the story's context, and not placed."""
    art = syn.article("Police detained protesters in Istanbul. Police arrested a leader. Washington objected.",
                      "2021-05-04")
    events = [syn.event(art, "COERCE", TUR, None, "2021-05-01", place=EventPlace(**ISTANBUL)),
              syn.event(art, "COERCE", TUR, None, "2021-05-04", sentence=1,
                        place=EventPlace(**ISTANBUL, origin="context")),
              syn.event(art, "ACCUSE", USA, TUR, "2021-05-04", sentence=2)]
    with Store(db) as store:
        store.write_batch([syn.analysis(art, events)])
    return {e.event_id: (e.location.origin if e.location else None) for e in events}


def _origins(store: Store) -> dict[str, str | None]:
    return {r["event_id"]: (r["location"] or {}).get("origin") for r in find_events(store, EventFilter(limit=50))}


def test_store_location_origin_round_trips_through_store_and_records(tmp_path: Path) -> None:
    db = tmp_path / "k.duckdb"
    want = _write(db)
    assert sorted(v for v in want.values() if v) == ["context", "text"]
    with Store(db, read_only=True) as store:
        assert MIGRATION in store.migrations()
        assert _origins(store) == want
        points = map_points(store, EventFilter(limit=50))
        assert {p["event_id"]: p["place_origin"] for p in points} == {k: v for k, v in want.items() if v}


def test_store_location_origin_survives_csv_and_parquet_export_and_import(tmp_path: Path) -> None:
    db = tmp_path / "k.duckdb"
    want = _write(db)
    runner, app = CliRunner(), _app()
    for fmt in ("csv", "parquet"):
        out, restored = tmp_path / f"out-{fmt}", tmp_path / f"restored-{fmt}.duckdb"
        res = runner.invoke(app, ["export", str(out), "--format", fmt, "--db", str(db)])
        assert res.exit_code == 0, res.output
        res = runner.invoke(app, ["import", str(out), "--db", str(restored)])
        assert res.exit_code == 0, res.output
        with Store(restored, read_only=True) as store:
            assert _origins(store) == want, fmt


def _unmigrate(db: Path) -> None:
    """The store as Kronika wrote it before migration 0008: no location_origin column."""
    con = duckdb.connect(str(db))
    indexes = [r for r in con.execute(
        "SELECT index_name, sql FROM duckdb_indexes() WHERE table_name = 'events'").fetchall()]
    for name, _ in indexes:  # DuckDB alters no table an index depends on
        con.execute(f'DROP INDEX "{name}"')
    con.execute("ALTER TABLE events DROP COLUMN location_origin")
    for _, sql in indexes:
        con.execute(sql)
    con.execute("DELETE FROM schema_migrations WHERE name = ?", [MIGRATION])
    con.close()


def test_store_location_origin_old_store_reads_read_only_and_migrates(tmp_path: Path) -> None:
    db = tmp_path / "old.duckdb"
    want = _write(db)
    _unmigrate(db)
    old = {k: ("text" if v else None) for k, v in want.items()}  # what an old store knew
    with Store(db, read_only=True) as store:  # read-only opens never migrate, and still answer
        assert MIGRATION not in store.migrations()
        assert _origins(store) == old
        assert {p["place_origin"] for p in map_points(store, EventFilter(limit=50))} == {"text"}
    with Store(db) as store:  # a writable open migrates: old places read as their sentence's
        assert MIGRATION in store.migrations()
        assert _origins(store) == old


def test_store_location_origin_old_jsonl_export_imports(tmp_path: Path) -> None:
    db, backup, restored = tmp_path / "k.duckdb", tmp_path / "backup", tmp_path / "restored.duckdb"
    want = _write(db)
    runner, app = CliRunner(), _app()
    res = runner.invoke(app, ["export", str(backup), "--format", "jsonl", "--db", str(db)])
    assert res.exit_code == 0, res.output
    path = backup / "events.jsonl"
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert all("location_origin" in r for r in rows)
    for r in rows:  # as an export written before migration 0008
        r.pop("location_origin")
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    res = runner.invoke(app, ["import", str(backup), "--db", str(restored)])
    assert res.exit_code == 0, res.output
    with Store(restored, read_only=True) as store:
        assert _origins(store) == {k: ("text" if v else None) for k, v in want.items()}


def test_store_location_origin_in_polecat_reason() -> None:
    from kronika.exports.plover import polecat_record

    base = {"event_id": "e1", "type": "COERCE", "contexts": [], "evidence": "Police arrested a leader."}
    reasons = []
    for loc in (None, {**ISTANBUL, "lat": 41.01, "origin": "text"}, {**ISTANBUL, "origin": "context"}):
        rec = polecat_record({**base, "location": loc}, coder="kronika")
        reasons.append(rec["event_geolocation"]["reason"])
    assert reasons[0] == "no place named for the event" and reasons[1] == "the place the sentence names"
    assert "not repeated in the sentence" in reasons[2]
