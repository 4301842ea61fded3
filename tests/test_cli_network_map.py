"""``kronika network`` and ``kronika map`` (issue 20, item 3): the same numbers as
``/api/network`` and ``/api/map`` for the same filter, as a table, a file or stdout."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from kronika.api import create_app
from kronika.config import Settings
from kronika.store import Store
from kronika.store import synthetic as syn

GEXF = "{http://gexf.net/1.3}"


def _app():  # type: ignore[no-untyped-def]
    from kronika.cli import _register, app

    _register()
    return app


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("netmap") / "k.duckdb"
    with Store(path) as store:
        syn.generate(store, 400, seed=21)
    return path


@pytest.fixture(scope="module")
def client(db: Path) -> TestClient:
    return TestClient(create_app(Settings(), store_path=db))


def _run(db: Path, *args: str) -> Any:
    res = CliRunner().invoke(_app(), [*args, "--db", str(db)], env={"COLUMNS": "200"})
    return res


def test_cli_network_json_is_the_api_network(db: Path, client: TestClient) -> None:
    res = _run(db, "network", "--format", "json", "--type", "ASSAULT", "--since", "2021")
    assert res.exit_code == 0, res.output
    api = client.get("/api/network", params={"type": "ASSAULT", "since": "2021"}).json()
    assert json.loads(res.stdout) == api and api["edges"]
    everything = json.loads(_run(db, "network", "--format", "json").stdout)
    assert sum(e["weight"] for e in everything["edges"]) > sum(e["weight"] for e in api["edges"])


def test_cli_network_top_keeps_the_main_nodes_and_their_edges(db: Path) -> None:
    full = json.loads(_run(db, "network", "-f", "json").stdout)
    top = json.loads(_run(db, "network", "-f", "json", "--top", "4").stdout)
    assert [n["id"] for n in top["nodes"]] == [n["id"] for n in full["nodes"][:4]]
    kept = {n["id"] for n in top["nodes"]}
    assert top["edges"] == [e for e in full["edges"] if e["source"] in kept and e["target"] in kept]
    res = _run(db, "network", "--top", "4")
    assert f"4 of {len(full['nodes'])} nodes, {len(top['edges'])} of {len(full['edges'])} edges" in res.output
    res = _run(db, "network", "--top", "0")
    assert res.exit_code == 2 and "K502" in res.output


def test_cli_network_table_lists_the_heaviest_edges(db: Path) -> None:
    net = json.loads(_run(db, "network", "-f", "json").stdout)
    res = _run(db, "network")
    assert res.exit_code == 0, res.output
    assert f"{len(net['nodes'])} nodes, {len(net['edges'])} edges" in res.output
    first = net["edges"][0]
    line = next(ln for ln in res.output.splitlines() if f"({first['source']})" in ln and f"({first['target']})" in ln)
    assert str(first["weight"]) in line.split()


def test_cli_network_gexf_and_csv_files(db: Path, tmp_path: Path) -> None:
    net = json.loads(_run(db, "network", "-f", "json", "--status", "occurred").stdout)
    res = _run(db, "network", "-f", "gexf", "--status", "occurred", "--out", str(tmp_path / "n" / "net.gexf"))
    assert res.exit_code == 0, res.output
    root = ET.parse(tmp_path / "n" / "net.gexf").getroot()
    assert root.tag == f"{GEXF}gexf" and root.get("version") == "1.3"
    edges = root.findall(f"{GEXF}graph/{GEXF}edges/{GEXF}edge")
    assert [(e.get("source"), e.get("target"), int(e.get("weight", "0"))) for e in edges] == \
           [(e["source"], e["target"], e["weight"]) for e in net["edges"]]
    res = _run(db, "network", "-f", "csv", "--status", "occurred")
    rows = list(csv.DictReader(io.StringIO(res.stdout)))
    assert [(r["source"], r["target"], int(r["weight"])) for r in rows] == \
           [(e["source"], e["target"], e["weight"]) for e in net["edges"]]
    assert all(int(r["weight"]) == sum(int(r[q]) for q in ("verbal_cooperation", "material_cooperation",
                                                            "verbal_conflict", "material_conflict")) for r in rows)


def test_cli_network_refuses_an_unknown_level(db: Path) -> None:
    res = _run(db, "network", "--level", "planet")
    assert res.exit_code == 2 and "K507" in res.output


def test_cli_map_geojson_is_the_api_map(db: Path, client: TestClient) -> None:
    res = _run(db, "map", "--format", "geojson", "--type", "assault")
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    api = client.get("/api/map", params={"type": "ASSAULT", "limit": 1000}).json()["points"]
    assert data["type"] == "FeatureCollection" and len(data["features"]) == len(api) > 0
    for feature, point in zip(data["features"], api, strict=True):
        assert feature["geometry"] == {"type": "Point", "coordinates": [point["lon"], point["lat"]]}
        assert feature["properties"]["event_id"] == point["event_id"]
        assert feature["properties"]["type"] == "ASSAULT"
    with Store(db, read_only=True) as store:
        located = store.scalar("SELECT count(*) FROM events WHERE location_lat IS NOT NULL")
    everything = json.loads(_run(db, "map", "-f", "geojson").stdout)
    assert len(everything["features"]) == located > len(data["features"])


def test_cli_map_csv_file_and_table(db: Path, tmp_path: Path) -> None:
    res = _run(db, "map", "-f", "csv", "--limit", "25", "--out", str(tmp_path / "m.csv"))
    assert res.exit_code == 0, res.output
    with (tmp_path / "m.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 25 and all(-90 <= float(r["lat"]) <= 90 and -180 <= float(r["lon"]) <= 180 for r in rows)
    dates = [r["date"] for r in rows]
    assert dates == sorted(dates, reverse=True), "newest first, as /api/map"
    with Store(db, read_only=True) as store:
        located = store.scalar("SELECT count(*) FROM events WHERE location_lat IS NOT NULL")
    res = _run(db, "map", "--limit", "5")
    assert res.exit_code == 0 and f"5 of {located} located events" in res.output
    assert f"showing the 5 newest of {located} located events" in " ".join(res.stderr.split())
    assert rows[0]["place"] in res.output
    res = _run(db, "map", "--limit", "5", "--out", str(tmp_path / "t.txt"))
    assert res.exit_code == 0 and f"5 of {located} located events" in (tmp_path / "t.txt").read_text(encoding="utf-8")
