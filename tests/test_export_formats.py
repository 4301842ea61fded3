"""Exports an analyst can cite (issue 20, item 8): one CSV layout that round-trips through
``kronika import``, PLOVER records, GEXF 1.3, GeoJSON, and codebook.md + metadata.json in
every export folder. Everything goes through the real CLI on a real DuckDB store."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import duckdb
import pytest
import yaml
from typer.testing import CliRunner

from kronika.query import EventFilter, actor_network, count_events
from kronika.query.export import CSV_COLUMNS, iter_export_records
from kronika.resources import data_path
from kronika.store import Store
from kronika.store import synthetic as syn

GEXF = "{http://gexf.net/1.3}"


def _app():  # type: ignore[no-untyped-def]
    from kronika.cli import _register, app

    _register()
    return app


def _tricky() -> list[Any]:
    """Articles whose events test the edges of the layout: a compound side, a month date,
    formula-like and quoted text, a comma and a newline in a title, non-ASCII names,
    contexts and a mode."""
    a = syn.article("=SUM(A1) Allies warned Iran. 'Quoted' talks, in Zürich. End.", "2021-03-05",
                    doc_id="doc,1", title='Title, with "quotes"\nand a line')
    compound = syn.event(a, "THREATEN", [syn.ref("USA", entity="Joe Biden", role="President"),
                                         syn.ref("GBR", "Britain")], syn.ref("IRN"), "2021-03",
                         contexts=("military", "cbrn"), place=syn.place("Zürich", 2657896, 47.36667, 8.55, "CH"))
    quoted = syn.event(a, "CONSULT", syn.ref("CHE", "Swiss"), syn.ref("RUS", entity="Сергей Лавров"), "2021-03-04",
                       sentence=1, status="planned", place=syn.place("Zürich", 2657896, 47.36667, 8.55, "CH"))
    quoted = dataclasses.replace(quoted, mode="visit")
    minus = syn.event(a, "ASSAULT", syn.ref(None, "gunmen", sector=None, actor="UAF"), None, None, sentence=2,
                      evidence="-5 soldiers were hurt", status="hypothetical",
                      place=syn.place("Minus", 1, -33.9, -70.6, "CL"))
    b = syn.article("@Someone requested aid from Japan. End.", "2021-04-01", title="+plus")
    req = syn.event(b, "REQUEST", syn.ref("PHL"), syn.ref("JPN"), "2021-04-01")
    recalled = syn.event(b, "AID", syn.ref("USA"), syn.ref("IRQ"), "2003")  # background: years before
    return [syn.analysis(a, [compound, quoted, minus]), syn.analysis(b, [req, recalled])]


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("export") / "src.duckdb"
    with Store(path) as store:
        syn.generate(store, 200, seed=11)
        store.write_batch(_tricky())
    return path


@pytest.fixture(scope="module")
def exported(db: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """One export folder per format, written once through the CLI."""
    root, app, runner = tmp_path_factory.mktemp("out"), _app(), CliRunner()
    out = {}
    for fmt in ("csv", "plover", "polecat", "gexf", "geojson", "parquet", "jsonl"):
        res = runner.invoke(app, ["export", str(root / fmt), "--format", fmt, "--db", str(db)])
        assert res.exit_code == 0, res.output
        out[fmt] = root / fmt
    return out


def _records(db: Path) -> dict[str, dict[str, Any]]:
    with Store(db, read_only=True) as store:
        return {r["event_id"]: r for r in iter_export_records(store)}


def _csv_text_rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def _csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_export_csv_round_trips_through_import(db: Path, exported: dict[str, Path], tmp_path: Path) -> None:
    """export --format csv → import into a new store → the same events, field by field
    (cluster ids included: a restore into an empty store keeps the exported clusters)."""
    runner, app = CliRunner(), _app()
    restored = tmp_path / "restored.duckdb"
    res = runner.invoke(app, ["import", str(exported["csv"]), "--db", str(restored)])
    assert res.exit_code == 0, res.output
    want, got = _records(db), _records(restored)
    assert sorted(got) == sorted(want) and len(got) == 205
    for event_id, record in want.items():
        for field, value in record.items():
            assert got[event_id][field] == value, (event_id, field)
    with Store(db, read_only=True) as a, Store(restored, read_only=True) as b:
        q = "SELECT id, doc_id, date, title, url, source, origin, text, n_sentences FROM articles ORDER BY id"
        assert b.fetch_tuples(q) == a.fetch_tuples(q)
        q = "SELECT * FROM event_actors ORDER BY event_id, side, idx"
        assert b.fetch_tuples(q) == a.fetch_tuples(q)
        assert b.scalar("SELECT count(*) FROM events WHERE cluster_id IS NULL") == 0
    res = runner.invoke(app, ["import", str(exported["csv"]), "--db", str(restored)])
    assert res.exit_code == 0 and "0 imported" in res.output, res.output


def test_import_into_a_store_with_events_reclusters_them(db: Path, exported: dict[str, Path], tmp_path: Path) -> None:
    """Into a store that already holds events, imported events join its clusters by its rule
    (the exported cluster ids are not trusted there)."""
    target = tmp_path / "k.duckdb"
    with Store(target) as store:
        store.write_batch(_tricky()[1:])
    res = CliRunner().invoke(_app(), ["import", str(exported["csv"]), "--db", str(target)])
    assert res.exit_code == 0 and "1 already stored" in res.output, res.output
    want, got = _records(db), _records(target)
    assert sorted(got) == sorted(want)
    with Store(target, read_only=True) as store:
        assert store.scalar("SELECT count(*) FROM events WHERE cluster_id IS NULL") == 0
        # every cluster id names one of its own events (none is carried over from the export)
        assert store.scalar("SELECT count(*) FROM (SELECT DISTINCT cluster_id FROM events) c "
                            "WHERE cluster_id NOT IN (SELECT event_id FROM events)") == 0


def test_export_csv_file_alone_imports_its_events(db: Path, exported: dict[str, Path], tmp_path: Path) -> None:
    """events.csv without its folder (what `events --format csv` or the API give) still
    imports: the events are identical, their articles carry date and title but no text."""
    res = CliRunner().invoke(_app(), ["import", str(exported["csv"] / "events.csv"), "--db", str(tmp_path / "k.duckdb")])
    assert res.exit_code == 0, res.output
    want, got = _records(db), _records(tmp_path / "k.duckdb")
    assert {k: {f: v for f, v in r.items() if f != "cluster_id"} for k, r in got.items()} == \
           {k: {f: v for f, v in r.items() if f != "cluster_id"} for k, r in want.items()}


def test_export_csv_is_the_documented_layout(db: Path, exported: dict[str, Path]) -> None:
    rows = _csv(exported["csv"] / "events.csv")
    records = _records(db)
    for row in rows:  # the derived columns say what the query layer says
        record = records[row["event_id"]]
        assert float(row["goldstein"]) == record["goldstein"] and row["penta_class"] == record["penta_class"]
        assert row["background"] == str(record["background"]).lower()
    by_type = {(r["type"], r["date"]): r["background"] for r in rows if r["article_title"] == "'+plus"}
    assert by_type == {("AID", "2003"): "true", ("REQUEST", "2021-04-01"): "false"}
    assert list(rows[0]) == list(CSV_COLUMNS)
    book = yaml.safe_load(data_path("export/codebook.yaml").read_text(encoding="utf-8"))
    assert list(book["csv"]) == list(CSV_COLUMNS), "every CSV column is documented, in file order"
    text = (exported["csv"] / "codebook.md").read_text(encoding="utf-8")
    assert all(f"| {c} |" in text for c in CSV_COLUMNS)
    by_text = {r["evidence"]: r for r in rows}
    # Formula-like cells are guarded with one apostrophe (a spreadsheet shows them as text).
    assert "'=SUM(A1) Allies warned Iran." in by_text
    assert "'-5 soldiers were hurt" in by_text
    assert by_text["'-5 soldiers were hurt"]["location_lon"] == "-70.6"  # numbers are not touched
    compound = by_text["'=SUM(A1) Allies warned Iran."]
    assert compound["source_country"] == "USA + GBR" and compound["contexts"] == "military; cbrn"
    assert compound["date"] == "2021-03" and (compound["date_start"], compound["date_end"]) == ("2021-03-01",
                                                                                               "2021-03-31")
    assert json.loads(compound["source_json"])[1]["country"] == "GBR"


def test_export_plover_records_follow_the_plover_layout(db: Path, exported: dict[str, Path]) -> None:
    lines = (exported["plover"] / "events.plover.jsonl").read_text(encoding="utf-8").splitlines()
    records = {r["id"]: r for r in map(json.loads, lines)}
    want = _records(db)
    assert sorted(records) == sorted(want)
    quads = {"verbal_cooperation": 1, "material_cooperation": 2, "verbal_conflict": 3, "material_conflict": 4}
    for event_id, rec in records.items():
        src = want[event_id]
        assert {"id", "date", "enddate", "source", "recipient", "event", "mode", "context", "quad_code",
                "event_loc", "event_text", "text", "text_info", "cite_info", "link", "coder"} <= set(rec)
        assert rec["event"] == [src["type"]] and rec["context"] == src["contexts"]
        assert (rec["date"], rec["enddate"]) == (src["date_start"], src["date_end"])
        assert rec["quad_code"] == quads.get(src["quad_class"]) and rec["link"] == src["cluster_id"]
        assert rec["event_scale"] == src["goldstein"] is not None
        assert rec["text"] == src["evidence"] and rec["text_info"]["start"] == src["evidence_start"]
        if src["location"]:
            assert (rec["event_loc"]["latitude"], rec["event_loc"]["longitude"]) == (src["location"]["lat"],
                                                                                      src["location"]["lon"])
    compound = next(r for r in records.values() if r["text"].startswith("=SUM"))
    assert [a["code"] for a in compound["source"]] == ["USA", "GBR"]
    assert compound["source"][0]["office"] == "President" and compound["source"][0]["sector"] == "GOV"
    assert compound["source"][0]["identifier_text"] == "Joe Biden" and compound["recipient"][0]["code"] == "IRN"
    assert (compound["date"], compound["enddate"]) == ("2021-03-01", "2021-03-31")
    visit = next(r for r in records.values() if r["event"] == ["CONSULT"] and r["mode"] == "visit")
    assert visit["recipient"][0]["identifier_text"] == "Сергей Лавров"


def test_export_polecat_records_follow_the_polecat_layout(db: Path, exported: dict[str, Path]) -> None:
    """POLECAT's coder (NGEC) writes event_type, event_mode, contexts, attributes.ACTOR/RECIP/LOC,
    event_geolocation.geo, date_resolved, story_id, headline."""
    lines = (exported["polecat"] / "events.polecat.jsonl").read_text(encoding="utf-8").splitlines()
    records = {r["id"]: r for r in map(json.loads, lines)}
    want = _records(db)
    assert sorted(records) == sorted(want)
    for event_id, rec in records.items():
        src = want[event_id]
        assert rec["event_type"] == src["type"] and rec["contexts"] == src["contexts"]
        assert rec["event_mode"] == ([src["mode"]] if src["mode"] else [])
        assert rec["date_resolved"] == src["date_start"] and rec["pub_date"] == src["article_date"]
        assert rec["story_id"] == src["article_id"] and rec["event_text"] == src["evidence"]
        geo = rec["event_geolocation"]["geo"]
        assert (geo is None) == (src["location"] is None)
        if geo:
            assert (geo["lat"], geo["lon"]) == (src["location"]["lat"], src["location"]["lon"])
    compound = next(r for r in records.values() if r["event_text"].startswith("=SUM"))
    assert [a["country"] for a in compound["attributes"]["ACTOR"]] == ["USA", "GBR"]
    assert compound["attributes"]["ACTOR"][0]["wiki"] == "Joe Biden"
    assert compound["attributes"]["ACTOR"][0]["country_name"] == "United States"
    assert compound["attributes"]["RECIP"][0]["country"] == "IRN"
    assert compound["attributes"]["LOC"] == [{"text": "Zürich"}]
    assert compound["event_geolocation"]["geo"]["country_code3"] == "CHE"
    assert compound["headline"] == 'Title, with "quotes"\nand a line'


def test_export_gexf_has_the_gexf_1_3_shape(db: Path, exported: dict[str, Path]) -> None:
    root = ET.parse(exported["gexf"] / "network.gexf").getroot()
    assert root.tag == f"{GEXF}gexf" and root.get("version") == "1.3"
    graph = root.find(f"{GEXF}graph")
    assert graph is not None and graph.get("defaultedgetype") == "directed"
    assert root.find(f"{GEXF}meta/{GEXF}creator") is not None
    classes = {a.get("class") for a in graph.findall(f"{GEXF}attributes")}
    assert classes == {"node", "edge"}
    nodes = graph.findall(f"{GEXF}nodes/{GEXF}node")
    edges = graph.findall(f"{GEXF}edges/{GEXF}edge")
    with Store(db, read_only=True) as store:
        net = actor_network(store, EventFilter())
    assert [n.get("id") for n in nodes] == [n["id"] for n in net["nodes"]]
    assert [(e.get("source"), e.get("target"), int(e.get("weight", "0"))) for e in edges] == \
           [(e["source"], e["target"], e["weight"]) for e in net["edges"]]
    ids = {n.get("id") for n in nodes}
    assert all(e.get("source") in ids and e.get("target") in ids for e in edges)
    first = edges[0].findall(f"{GEXF}attvalues/{GEXF}attvalue")
    assert sum(int(v.get("value", "0")) for v in first) == int(edges[0].get("weight", "0"))
    assert len(_csv(exported["gexf"] / "network.csv")) == len(edges)


def test_export_geojson_points_are_lon_lat(db: Path, exported: dict[str, Path]) -> None:
    data = json.loads((exported["geojson"] / "map.geojson").read_text(encoding="utf-8"))
    assert data["type"] == "FeatureCollection"
    with Store(db, read_only=True) as store:
        located = dict((eid, (lon, lat)) for eid, lon, lat in store.fetch_tuples(
            "SELECT event_id, location_lon, location_lat FROM events WHERE location_lat IS NOT NULL"))
    assert len(data["features"]) == len(located) > 0
    for f in data["features"]:
        assert f["type"] == "Feature" and f["geometry"]["type"] == "Point"
        assert tuple(f["geometry"]["coordinates"]) == located[f["properties"]["event_id"]]
    minus = next(f for f in data["features"] if f["properties"]["place"] == "Minus")
    assert minus["geometry"]["coordinates"] == [-70.6, -33.9]


def _data_rows(fmt: str, folder: Path) -> dict[str, int]:
    """Rows counted in the files themselves, to check metadata.json against."""
    if fmt == "csv":
        return {n: len(_csv(folder / n)) for n in ("events.csv", "articles.csv")}
    if fmt in ("plover", "polecat"):
        name = f"events.{fmt}.jsonl"
        return {name: len((folder / name).read_text(encoding="utf-8").splitlines())}
    if fmt == "gexf":
        graph = ET.parse(folder / "network.gexf").getroot().find(f"{GEXF}graph")
        assert graph is not None
        return {"nodes": len(graph.findall(f"{GEXF}nodes/{GEXF}node")),
                "edges": len(graph.findall(f"{GEXF}edges/{GEXF}edge"))}
    if fmt == "geojson":
        return {"map.geojson": len(json.loads((folder / "map.geojson").read_text())["features"])}
    reader = "read_parquet" if fmt == "parquet" else "read_json_auto"
    con = duckdb.connect()
    return {p.name: (con.execute(f"SELECT count(*) FROM {reader}('{p}')").fetchone() or [0])[0]
            if p.stat().st_size else 0 for p in sorted(folder.glob(f"*.{fmt}"))}


@pytest.mark.parametrize("fmt", ["csv", "plover", "polecat", "gexf", "geojson", "parquet", "jsonl"])
def test_export_folder_carries_codebook_and_metadata(db: Path, exported: dict[str, Path], fmt: str) -> None:
    folder = exported[fmt]
    meta = json.loads((folder / "metadata.json").read_text(encoding="utf-8"))
    assert meta["format"] == fmt and meta["query"] == {}
    assert meta["rows"] == _data_rows(fmt, folder)
    from kronika import __version__

    model = json.loads(data_path("events/model/meta.json").read_text(encoding="utf-8"))
    assert meta["kronika_version"] == __version__
    assert meta["models"]["events/model"]["version"] == model["version"]
    assert meta["knowledge_base"]["actors/countries.yaml"]["version"] is not None
    book = (folder / "codebook.md").read_text(encoding="utf-8")
    for heading in ("## Files", "## Event types", "## Modes", "## Contexts", "## Statuses",
                    "## Actor codes", "## Sectors", "## Versions"):
        assert heading in book, heading
    assert "| REQUEST |" in book and "| GOV |" in book and "| USAGOV | USA | United States |" in book
    assert "| CONSULT | visit |" in book and "| cbrn |" in book and "| diplomatic |" in book
    assert model["version"] in book


def test_export_filters_narrow_the_rows_and_metadata_names_them(db: Path, tmp_path: Path) -> None:
    res = CliRunner().invoke(_app(), ["export", str(tmp_path / "x"), "-f", "csv", "--type", "consult,demand",
                                      "--since", "2021", "--db", str(db)])
    assert res.exit_code == 0, res.output
    rows = _csv(tmp_path / "x" / "events.csv")
    with Store(db, read_only=True) as store:
        n = count_events(store, EventFilter(type="consult,demand", since="2021"))
    assert len(rows) == n > 0 and {r["type"] for r in rows} <= {"CONSULT", "REQUEST"}
    meta = json.loads((tmp_path / "x" / "metadata.json").read_text(encoding="utf-8"))
    assert meta["query"] == {"type": "consult,demand", "since": "2021"} and meta["rows"]["events.csv"] == n
    assert "type=consult,demand" in (tmp_path / "x" / "codebook.md").read_text(encoding="utf-8")


def test_export_refuses_what_it_cannot_do(db: Path, tmp_path: Path) -> None:
    runner, app = CliRunner(), _app()
    res = runner.invoke(app, ["export", str(tmp_path / "b"), "-f", "parquet", "--type", "AID", "--db", str(db)])
    assert res.exit_code == 2 and "K408" in res.output and "takes no filter" in " ".join(res.output.split())
    (tmp_path / "file.jsonl").write_text("x")
    res = runner.invoke(app, ["export", str(tmp_path / "file.jsonl"), "-f", "plover", "--db", str(db)])
    assert res.exit_code == 2 and "K408" in res.output and "is a file" in " ".join(res.output.split())


def test_export_help_says_every_format_writes_a_folder() -> None:
    res = CliRunner().invoke(_app(), ["export", "--help"], env={"COLUMNS": "200"})
    assert res.exit_code == 0
    text = " ".join(res.output.split())
    assert "every format writes a folder" in text and "codebook.md" in text
    assert "file (jsonl/plover)" not in text


def test_import_names_the_bad_csv_row_and_keeps_nothing(exported: dict[str, Path], tmp_path: Path) -> None:
    with (exported["csv"] / "events.csv").open(encoding="utf-8", newline="") as fh:
        header, *rows = list(csv.reader(fh))
    rows[1][header.index("sentence")] = "three"
    bad = tmp_path / "events.csv"
    with bad.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows([header, *rows[:3]])
    res = CliRunner().invoke(_app(), ["import", str(bad), "--db", str(tmp_path / "k.duckdb")])
    assert res.exit_code == 2 and "K409" in res.output and "events.csv:3:" in "".join(res.output.split()), res.output
    with Store(tmp_path / "k.duckdb", read_only=True) as store:
        assert store.scalar("SELECT count(*) FROM events") == 0


def test_every_door_writes_the_one_csv_layout(db: Path, exported: dict[str, Path], tmp_path: Path) -> None:
    """`kronika events --format csv`, the API's `format=csv` download and `kronika export -f csv`
    write the same columns, and what each writes imports back to the same events."""
    from fastapi.testclient import TestClient

    from kronika.api import create_app
    from kronika.config import Settings

    runner, app = CliRunner(), _app()
    cli = runner.invoke(app, ["events", "--format", "csv", "--all", "--db", str(db)])
    assert cli.exit_code == 0, cli.output
    api = TestClient(create_app(Settings(), store_path=db)).get("/api/events", params={"format": "csv"})
    assert api.status_code == 200
    export = (exported["csv"] / "events.csv").read_text(encoding="utf-8")
    want = {k: (r["type"], r["source"], r["target"], r["date"], r["evidence"], r["location"])
            for k, r in _records(db).items()}
    for name, text in (("cli", cli.stdout), ("api", api.text), ("export", export)):
        assert next(csv.reader(io.StringIO(text))) == list(CSV_COLUMNS), name
        (tmp_path / f"{name}.csv").write_text(text, encoding="utf-8")
        res = runner.invoke(app, ["import", str(tmp_path / f"{name}.csv"), "--db", str(tmp_path / f"{name}.duckdb")])
        assert res.exit_code == 0, (name, res.output)
        got = {k: (r["type"], r["source"], r["target"], r["date"], r["evidence"], r["location"])
               for k, r in _records(tmp_path / f"{name}.duckdb").items()}
        assert got == want, name


def test_import_reads_a_csv_in_batches(exported: dict[str, Path]) -> None:
    """A large file is read ``size`` events at a time; each article is named once, in the
    batch of its first event, and nothing is lost between batches."""
    from kronika.store.eventcsv import iter_event_batches

    path = exported["csv"] / "events.csv"
    with path.open(encoding="utf-8", newline="") as fh:
        batches = list(iter_event_batches(fh, str(path), size=50))
    rows = _csv(path)
    assert [len(b.events) for b in batches] == [50, 50, 50, 50, len(rows) - 200]
    assert [e[0] for b in batches for e in b.events] == [r["event_id"] for r in rows]
    named = [a[0] for b in batches for a in b.articles]
    assert len(named) == len(set(named)) and set(named) == {r["article_id"] for r in rows}


def test_api_event_lists_are_csv_in_the_one_layout(db: Path) -> None:
    """Every API answer that is a list of events (a timeline, an article's, a cluster's, one
    event) comes as CSV in the one layout; other tables (map points, series) stay flat."""
    from fastapi.testclient import TestClient

    from kronika.api import create_app
    from kronika.config import Settings

    client = TestClient(create_app(Settings(), store_path=db))
    first = client.get("/api/events", params={"limit": 1}).json()["items"][0]
    timeline = client.get("/api/timeline", params={"actor": "USA", "format": "csv"})
    assert next(csv.reader(io.StringIO(timeline.text))) == list(CSV_COLUMNS)
    assert len(_csv_text_rows(timeline.text)) == len(client.get("/api/timeline", params={"actor": "USA"}).json()["items"])
    for path in (f"/api/articles/{first['article_id']}", f"/api/events/{first['event_id']}",
                 f"/api/clusters/{first['cluster_id']}"):
        res = client.get(path, params={"format": "csv"})
        assert res.status_code == 200, path
        assert next(csv.reader(io.StringIO(res.text))) == list(CSV_COLUMNS), path
        assert first["event_id"] in {r["event_id"] for r in _csv_text_rows(res.text)}, path
    points = client.get("/api/map", params={"format": "csv"}).text
    assert next(csv.reader(io.StringIO(points)))[:3] == ["event_id", "lat", "lon"]
