"""Jobs: the Dask path gives the same events as the local path; watch is incremental."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest

from conftest import SHARED
from kronika.errors import ConfigError
from kronika.jobs.watch import Watcher, parse_every, watch
from kronika.run import ingest

NEWS = SHARED / "data" / "news" / "wikinews_politics.jsonl"


def _corpus(tmp_path: Path, n: int) -> Path:
    if not NEWS.exists():
        pytest.skip("shared WikiNews data not present")
    p = tmp_path / "news.jsonl"
    with NEWS.open(encoding="utf-8") as src:
        p.write_text("".join(itertools.islice(src, n)), encoding="utf-8")
    return p


def _events(db: Path) -> list[tuple]:
    from kronika.store import Store

    with Store(db, read_only=True) as store:
        return store.con.execute(
            "select event_id, type, status, source_country, target_country, date_value "
            "from events order by event_id"
        ).fetchall()


@pytest.mark.slow
def test_jobs_dask_matches_local(tmp_path: Path, settings, pipeline) -> None:
    pytest.importorskip("distributed")
    from distributed import Client, LocalCluster

    from kronika.jobs.dask import ingest_dask
    from kronika.store import Store

    corpus = _corpus(tmp_path, 24)
    local_db, dask_db = tmp_path / "local.duckdb", tmp_path / "dask.duckdb"
    with Store(local_db) as store:
        local = ingest([corpus], settings.replace(db_path=local_db), store=store, pipeline=pipeline)
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
            Client(cluster) as client, Store(dask_db) as store:
        remote = ingest_dask([corpus], settings.replace(db_path=dask_db), store=store, client=client,
                             chunk_size=8)
    assert local.articles_written == remote.articles_written == 24
    assert _events(local_db) == _events(dask_db)
    assert local.events_written > 0


def test_jobs_parse_every() -> None:
    assert parse_every("15m") == 900
    assert parse_every("30s") == 30
    assert parse_every("2h") == 7200
    assert parse_every("45") == 45
    for bad in ("", "m15", "-1m", "0s", "15 minutes"):
        with pytest.raises(ConfigError):
            parse_every(bad)


def test_jobs_watcher_sees_only_changed_files(tmp_path: Path, settings) -> None:
    w = Watcher(str(tmp_path), settings)
    (tmp_path / "a.jsonl").write_text(json.dumps({"text": "x", "date": "2020-01-01"}) + "\n")
    assert w.changed_paths() == [tmp_path / "a.jsonl"]
    assert w.changed_paths() == []
    (tmp_path / "b.jsonl").write_text(json.dumps({"text": "y", "date": "2020-01-02"}) + "\n")
    (tmp_path / ".hidden").write_text("ignored")
    assert w.changed_paths() == [tmp_path / "b.jsonl"]


def test_jobs_watch_rounds_are_idempotent(tmp_path: Path, settings, pipeline) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "one.jsonl").write_text(json.dumps(
        {"text": "Germany and France signed a trade agreement on Monday.", "date": "2020-01-06"}) + "\n")
    db = tmp_path / "w.duckdb"
    reports = []

    def sleep(_: float) -> None:  # a new file arrives between rounds
        (folder / "two.jsonl").write_text(json.dumps(
            {"text": "Police in Brazil arrested a mayor on Tuesday.", "date": "2020-01-07"}) + "\n")

    watch(str(folder), settings.replace(db_path=db), every=0.01, rounds=3,
          on_round=lambda n, r: reports.append(r), sleep=sleep, pipeline=pipeline)
    assert [r.articles_written for r in reports] == [1, 1, 0]


def test_jobs_ingest_learns_people_from_earlier_articles(tmp_path: Path, settings, parser) -> None:
    """A person introduced with title and country in one stored article is known by
    surname in a later article that never says who they are."""
    from kronika.store import Store

    first = tmp_path / "first.jsonl"
    first.write_text(json.dumps({"date": "2021-05-03", "text": (
        "Peruvian Foreign Minister Elena Quispaya said on Monday that Peru would expand "
        "trade with Chile.")}) + "\n", encoding="utf-8")
    second = tmp_path / "second.jsonl"
    second.write_text(json.dumps({"date": "2021-06-10", "text": (
        "Quispaya criticised the new tariffs on Thursday.")}) + "\n", encoding="utf-8")
    db = tmp_path / "learn.duckdb"
    s = settings.replace(db_path=db)
    from kronika.pipeline import Pipeline

    with Store(db) as store:
        ingest([first], s, store=store, pipeline=Pipeline(s, parser=parser))
        rows = store.learned_actor_rows()
    assert any(r["entity"] == "Elena Quispaya" and r["country"] == "PER" for r in rows), rows
    with Store(db) as store:
        from kronika.run import learned_index

        learned = Pipeline(s, parser=parser, learned=learned_index(store))
        ingest([second], s, store=store, pipeline=learned)
        got = store.con.execute(
            "select country, entity from actor_mentions where text = 'Quispaya'").fetchall()
    assert ("PER", "Elena Quispaya") in got, got
