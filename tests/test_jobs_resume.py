"""A job killed and resumed stores exactly what one uninterrupted job stores, learned actors
included (issue 9, bug 3); learning still carries over from one *completed* job to the next."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import kronika.run.loop as local
from kronika.config import Settings
from kronika.store import Store

# Invented people: the first article introduces one by title, the next names her by surname only.
ARTICLES = [
    {"id": "intro", "date": "2021-03-01",
     "text": "Croatian Foreign Minister Ana Kovač met officials in Zagreb on Monday. Kovač said talks went well."},
    {"id": "later", "date": "2021-03-05", "text": "Kovač criticised the plan on Tuesday. Kovač met the Serbian ambassador."},
]
NEXT_JOB = {"id": "next", "date": "2021-03-09", "text": "Kovač travelled to Vienna on Friday for more talks."}


class Crash(Exception):
    """Stands for SIGKILL after the first committed batch."""


def _corpus(path: Path, items: list[dict[str, str]]) -> Path:
    path.write_text("".join(json.dumps(a, ensure_ascii=False) + "\n" for a in items), encoding="utf-8")
    return path


def _mentions(db: Path) -> list[tuple]:
    with Store(db, read_only=True) as store:
        return store.fetch_tuples("SELECT * FROM actor_mentions ORDER BY ALL")


@pytest.fixture()
def fast_pipelines(monkeypatch: pytest.MonkeyPatch, parser):  # type: ignore[no-untyped-def]
    """Jobs build their pipeline (with the snapshot's learned index) on the session's parser."""
    from kronika.pipeline import Pipeline

    built: list[int] = []

    def make(settings: Settings, learned=None):  # type: ignore[no-untyped-def]
        built.append(len(learned) if learned is not None else 0)
        return Pipeline(settings, parser=parser, learned=learned)

    monkeypatch.setattr(local, "Pipeline", make)
    return built


def test_jobs_killed_and_resumed_job_codes_like_a_clean_job(tmp_path: Path, settings: Settings,
                                                           fast_pipelines: list[int]) -> None:
    corpus = _corpus(tmp_path / "c.jsonl", ARTICLES)
    clean, killed = tmp_path / "clean.duckdb", tmp_path / "killed.duckdb"
    with Store(clean) as store:
        report = local.ingest([corpus], settings.replace(db_path=clean, batch_size=1), store=store)
    assert report.articles_written == 2 and report.learned_snapshot == 1

    def crash(n: int) -> None:
        raise Crash()

    with Store(killed) as store, pytest.raises(Crash):
        local.ingest([corpus], settings.replace(db_path=killed, batch_size=1), store=store, progress=crash)
    with Store(killed) as store:
        assert store.scalar("SELECT count(*) FROM articles") == 1  # the first batch was committed
        resumed = local.ingest([corpus], settings.replace(db_path=killed, batch_size=1), store=store)
    assert resumed.articles_written == 1 and resumed.learned_snapshot == 1  # the snapshot the killed job used
    assert fast_pipelines == [0, 0, 0]  # no job of the first run learned from its own articles
    assert _mentions(killed) == _mentions(clean)


def test_jobs_a_completed_job_teaches_the_next_one(tmp_path: Path, settings: Settings,
                                                   fast_pipelines: list[int]) -> None:
    db = tmp_path / "k.duckdb"
    with Store(db) as store:
        local.ingest([_corpus(tmp_path / "c.jsonl", ARTICLES)], settings.replace(db_path=db), store=store)
        nxt = local.ingest([_corpus(tmp_path / "n.jsonl", [NEXT_JOB])], settings.replace(db_path=db), store=store)
        assert nxt.learned_snapshot == 2 and fast_pipelines[-1] >= 1
        hows = [r[0] for r in store.fetch_tuples(
            "SELECT m.how FROM actor_mentions m JOIN articles a ON a.id = m.article_id "
            "WHERE a.doc_id = 'next' AND m.text = 'Kovač'")]
    assert hows and all(h.startswith("learned") for h in hows), hows


class _CountingStore:
    """Just what ``maybe_compact`` needs."""

    def __init__(self) -> None:
        self.compacted = 0

    def compact(self) -> int:
        self.compacted += 1
        return 0


@pytest.mark.parametrize(("events", "threshold", "expected"), [(10, 10, 1), (9, 10, 0), (10**6, 0, 0)])
def test_jobs_large_load_is_compacted(events: int, threshold: int, expected: int) -> None:
    store = _CountingStore()
    report = local.IngestReport(events_written=events)
    done = local.maybe_compact(store, report, Settings(compact_after_events=threshold))  # type: ignore[arg-type]
    assert store.compacted == expected and done is bool(expected)


def test_jobs_ingest_compacts_after_a_large_load_and_keeps_every_row(tmp_path: Path, settings: Settings,
                                                                    fast_pipelines: list[int]) -> None:
    db = tmp_path / "k.duckdb"
    with Store(db) as store:
        report = local.ingest([_corpus(tmp_path / "c.jsonl", ARTICLES)],
                              settings.replace(db_path=db, compact_after_events=1),
                              store=store)
        assert report.compacted == (report.events_written >= 1)
        assert store.scalar("SELECT count(*) FROM events") == report.events_written
        assert store.scalar("SELECT count(*) FROM duckdb_indexes() WHERE table_name = 'events'") == 2
