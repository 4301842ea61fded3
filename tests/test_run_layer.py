"""One run layer: the same articles through every entry point give identical stored records.

Each entry point — ``kronika ingest`` (the CLI), ``kronika.ingest_paths``, ``kronika watch``
(polling rounds), Dask workers and ``POST /api/articles`` — ingests the same articles into
its own store, in two runs: first the seed, three WikiNews articles and one that introduces
a person ("Peruvian Foreign Minister Elena Quispaya"), then an article that names her by
surname only. The second run's records depend on the learned-actor snapshot the first one
left, so an entry point that builds its pipeline without it (the API did) or never refreshes
it (``watch`` did) stores different records and fails here.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from conftest import ROOT
from kronika.config import Settings
from kronika.ingest import iter_records
from kronika.model import Article
from kronika.store import Store

EXAMPLES = ROOT / "examples"
TOKEN = "run-layer-token"
TEACHES = {"id": "teach", "date": "2021-05-03", "text": (
    "Peruvian Foreign Minister Elena Quispaya said on Monday that Peru would expand "
    "trade with Chile.")}
USES = {"id": "use", "date": "2021-06-10", "text": "Quispaya criticised the new tariffs on Thursday."}

# Ingest times differ run to run; the API's origin is the request ("api#0"), not a file line.
ARTICLE_COLUMNS = "id, doc_id, date, title, url, source, text, n_sentences"
TABLES = {
    "articles": f"SELECT {ARTICLE_COLUMNS} FROM articles ORDER BY id",
    "events": "SELECT * FROM events ORDER BY event_id",
    "event_actors": "SELECT * FROM event_actors ORDER BY ALL",
    "actor_mentions": "SELECT * FROM actor_mentions ORDER BY ALL",
    "places": "SELECT * FROM places ORDER BY ALL",
    "timexes": "SELECT * FROM timexes ORDER BY ALL",
}


def _runs(folder: Path) -> tuple[list[Path], list[Path]]:
    """The two runs' input files: run 1 = seed + 3 WikiNews + the teaching article."""
    wikinews = EXAMPLES / "wikinews" / "wikinews_politics_sample.jsonl"
    seed = EXAMPLES / "seed" / "2019-05-30-japan-russia.txt"
    first, second = folder / "first", folder / "second"
    first.mkdir(parents=True)
    second.mkdir()
    (first / seed.name).write_text(seed.read_text(encoding="utf-8"), encoding="utf-8")
    with wikinews.open(encoding="utf-8") as src:
        lines = list(itertools.islice(src, 3))
    (first / "news.jsonl").write_text("".join(lines) + json.dumps(TEACHES) + "\n", encoding="utf-8")
    (second / "later.jsonl").write_text(json.dumps(USES) + "\n", encoding="utf-8")
    return [first / seed.name, first / "news.jsonl"], [second / "later.jsonl"]


def _tables(db: Path) -> dict[str, list[tuple[Any, ...]]]:
    with Store(db, read_only=True) as store:
        return {name: store.con.execute(sql).fetchall() for name, sql in TABLES.items()}


def _cli(runs: list[list[Path]], db: Path) -> None:
    from kronika.cli import _register, app

    _register()
    for paths in runs:
        res = CliRunner().invoke(app, ["ingest", *map(str, paths), "--db", str(db)])
        assert res.exit_code == 0, res.output


def _library(runs: list[list[Path]], db: Path) -> None:
    import kronika

    for paths in runs:
        assert kronika.ingest_paths(paths, db).articles_written == len(list(_articles(paths)))


def _watch(runs: list[list[Path]], db: Path) -> None:
    from kronika.jobs.watch import watch

    folder = db.parent / "watched"
    folder.mkdir()
    pending = iter(runs)
    reports: list[Any] = []

    def arrive(_: float = 0.0) -> None:  # the next run's files appear between rounds
        for p in next(pending, []):
            (folder / p.name).write_bytes(p.read_bytes())

    arrive()
    watch(str(folder), Settings(db_path=db), every=0.0, rounds=len(runs), sleep=arrive,
          on_round=lambda n, r: reports.append(r))
    assert [r.articles_written for r in reports] == [len(list(_articles(p))) for p in runs]


def _dask(runs: list[list[Path]], db: Path) -> None:
    pytest.importorskip("distributed")
    from distributed import Client, LocalCluster

    from kronika.jobs.dask import ingest_dask
    from kronika.store.access import SharedWriter

    settings = Settings(db_path=db)
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
            Client(cluster) as client:
        for paths in runs:
            ingest_dask(paths, settings, store=SharedWriter.from_settings(settings), client=client, chunk_size=2)


def _api(runs: list[list[Path]], db: Path) -> None:
    from kronika.api import create_app

    client = TestClient(create_app(Settings(api_token=TOKEN), store_path=db, dashboard=False))
    for paths in runs:
        body = [{"text": a.text, "date": a.date.isoformat(), "title": a.title, "url": a.url,
                 "source": a.source, "id": a.doc_id} for a in _articles(paths)]
        res = client.post("/api/articles", json=body, headers={"Authorization": f"Bearer {TOKEN}"})
        assert res.status_code == 200, res.text
        assert res.json()["problems"] == []


def _articles(paths: list[Path]) -> list[Article]:
    return [r for r in iter_records(paths, Settings()) if isinstance(r, Article)]


ENTRY_POINTS: dict[str, Callable[[list[list[Path]], Path], None]] = {
    "library": _library, "watch": _watch, "dask": _dask, "api": _api,
}


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> list[list[Path]]:
    return list(_runs(tmp_path_factory.mktemp("run-layer-input")))


@pytest.fixture(scope="module")
def cli_tables(runs: list[list[Path]], tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[tuple[Any, ...]]]:
    db = tmp_path_factory.mktemp("run-layer-cli") / "k.duckdb"
    _cli(runs, db)
    return _tables(db)


def test_run_layer_the_cli_learns_between_runs(cli_tables: dict[str, list[tuple[Any, ...]]]) -> None:
    """The comparison means something: the later article's surname is the person the
    first run taught, and the stores hold every article of both runs."""
    assert len(cli_tables["articles"]) == 6 and cli_tables["events"]
    later = [r for r in cli_tables["actor_mentions"] if r[3] == "Quispaya"]
    assert later and all(r[7] == "PER" and r[9] == "Elena Quispaya" for r in later), later


@pytest.mark.parametrize("entry", sorted(ENTRY_POINTS))
def test_run_layer_every_entry_point_stores_what_the_cli_stores(
    entry: str, runs: list[list[Path]], cli_tables: dict[str, list[tuple[Any, ...]]],
    tmp_path: Path,
) -> None:
    db = tmp_path / f"{entry}.duckdb"
    ENTRY_POINTS[entry](runs, db)
    got = _tables(db)
    for table, rows in cli_tables.items():
        assert got[table] == rows, f"{entry}: {table} differs from the CLI's"


def test_run_layer_every_writer_is_a_writer(tmp_path: Path) -> None:
    """The run layer writes through one protocol: the store itself, the batch jobs'
    per-call writer and the API's locked writer all implement it, and give the same
    answers about the same file."""
    from kronika.store import synthetic as syn
    from kronika.store.access import SharedWriter, StoreAccess, Writer

    db = tmp_path / "w.duckdb"
    art = syn.article("France met Germany in Paris on Monday.", "2021-03-01", doc_id="d1")
    shared = SharedWriter(db)
    assert isinstance(shared, Writer)
    assert shared.write_batch([syn.analysis(art, [])]).articles_written == 1
    access = StoreAccess(db, linger_s=0.01)
    locked = access.writer()
    assert isinstance(locked, Writer)
    assert locked.stored_articles([art.id, "nope"]) == shared.stored_articles([art.id]) == {
        art.id: ("d1", None)}
    assert locked.refresh_learned() == shared.learned_snapshot_id() == 1
    with Store(db) as store:
        assert isinstance(store, Writer)
        assert store.learned_snapshot_id() == 1 and store.known_article_ids([art.id]) == {art.id}
