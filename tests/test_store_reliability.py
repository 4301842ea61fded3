"""Store fixes from the reliability review (issue 9): idempotent problem rows, the frozen
learned-actor snapshot, and the writer that holds the file only per operation."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kronika.errors import StoreError
from kronika.model import ActorMention, IngestProblem
from kronika.store import Store
from kronika.store import synthetic as syn
from kronika.store.access import SharedWriter, intent_path, writer_waiting
from kronika.store.migrations import MIGRATIONS, migrate


def _problems(store: Store) -> list[tuple[str, str, str]]:
    return store.fetch_tuples("SELECT origin, reason, code FROM ingest_errors ORDER BY ALL")


# --------------------------------------------------------------------------- 1. problems


def test_store_reingesting_the_same_bad_input_keeps_one_row_per_problem(tmp_path: Path) -> None:
    bad = [IngestProblem("c.jsonl:2", "malformed JSON", "K101"), IngestProblem("c.jsonl:5", "bad date", "K103")]
    with Store(tmp_path / "k.duckdb") as store:
        store.record_problems(bad)
        store.record_problems(bad)
        store.write_batch([], bad)
        store.write_batch([], [*bad, bad[0]])  # repeated within one batch too
        assert _problems(store) == sorted((p.origin, p.reason, p.code) for p in bad)
        store.record_problems([IngestProblem("c.jsonl:2", "another reason", "K101")])
        assert len(_problems(store)) == 3  # a different reason for the same line is a new row


@settings(max_examples=12, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["a:1", "a:2", "b", "ü:1"]), st.sampled_from(["x", "y", "it's"]),
                          st.sampled_from(["K101", "K103"])), max_size=12), st.integers(1, 3))
def test_store_problem_rows_are_the_distinct_problems(tmp_path_factory: pytest.TempPathFactory,
                                                      items: list[tuple[str, str, str]], repeats: int) -> None:
    with Store(tmp_path_factory.mktemp("p") / "k.duckdb") as store:
        for _ in range(repeats):
            store.record_problems([IngestProblem(*i) for i in items])
        assert _problems(store) == sorted(set(items))


def test_store_migration_removes_duplicates_an_older_store_holds(tmp_path: Path) -> None:
    db = tmp_path / "old.duckdb"
    con = duckdb.connect(str(db))
    con.execute("CREATE TABLE schema_migrations (name VARCHAR PRIMARY KEY, applied_at TIMESTAMP)")
    for name, statements in MIGRATIONS[:3]:  # a store written before the fix
        for sql in statements:
            con.execute(sql)
        con.execute("INSERT INTO schema_migrations VALUES (?, now()::TIMESTAMP)", [name])
    con.executemany("INSERT INTO ingest_errors VALUES (?, ?, ?, now()::TIMESTAMP)",
                    [["x:1", "bad", "K101"]] * 3 + [["y:1", "bad", "K101"]])
    assert "0004_dedupe_ingest_errors" in migrate(con)
    assert con.execute("SELECT origin, count(*) FROM ingest_errors GROUP BY 1 ORDER BY 1").fetchall() == [
        ("x:1", 1), ("y:1", 1)]
    con.close()


# --------------------------------------------------------------------------- 3. learned snapshot


def _person_article(text: str, date: str, entity: str):
    return syn.analysis(syn.article(text, date), actors=[
        ActorMention(0, 4, text[:4], 0, 0, "AAAGOV", "AAA", "GOV", entity, "Minister", kind="person",
                     how="appositive:in-doc")])


def test_store_learned_snapshot_changes_only_when_refreshed(tmp_path: Path) -> None:
    with Store(tmp_path / "k.duckdb") as store:
        assert store.learned_snapshot() == (1, [])
        store.write_batch([_person_article("Anna spoke. End.", "2021-01-01", "Anna Example")])
        assert store.learned_snapshot() == (1, [])  # what this job stores does not teach this job
        assert [r["entity"] for r in store.learned_actor_rows()] == ["Anna Example"]
        assert store.refresh_learned() == 2
        sid, rows = store.learned_snapshot()
        assert sid == 2 and [(r["entity"], r["first_seen"], r["count"]) for r in rows] == [
            ("Anna Example", "2021-01-01", 1)]
        assert store.refresh_learned() == 2  # nothing new: same snapshot id
        assert store.scalar("SELECT count(*) FROM learned_snapshots") == 2


def test_store_migration_seeds_the_snapshot_from_an_existing_corpus(tmp_path: Path) -> None:
    db = tmp_path / "k.duckdb"
    with Store(db) as store:
        store.write_batch([_person_article("Bo spoke. End.", "2021-02-01", "Bo Example")])
        store.con.execute("DROP TABLE learned_actors")
        store.con.execute("DROP TABLE learned_snapshots")
        store.con.execute("DELETE FROM schema_migrations WHERE name = '0005_learned_actor_snapshot'")
    with Store(db) as store:  # re-migrates like a store written before the snapshot existed
        assert [r["entity"] for r in store.learned_snapshot()[1]] == ["Bo Example"]


# --------------------------------------------------------------------------- 5. shared writer


def test_store_shared_writer_releases_the_file_between_operations(tmp_path: Path) -> None:
    db = tmp_path / "k.duckdb"
    writer = SharedWriter(db)
    items = [_person_article(f"Cy{i} spoke. End.", f"2021-03-0{i + 1}", f"Cy{i} Example") for i in range(3)]
    for a in items:
        writer.write_batch([a])
        with Store(db, read_only=True) as reader:  # would be K402 if the writer still held it
            assert reader.scalar("SELECT count(*) FROM articles") >= 1
    assert writer.opens == 3
    assert writer.known_article_ids(a.article.id for a in items) == {a.article.id for a in items}
    assert not intent_path(db).exists()


def test_store_shared_writer_waits_for_a_reader_then_writes(tmp_path: Path) -> None:
    db = tmp_path / "k.duckdb"
    Store(db).close()
    holder = subprocess.Popen(
        [sys.executable, "-c", "import duckdb, sys, time; con = duckdb.connect(sys.argv[1], read_only=True); "
         "print('open', flush=True); time.sleep(1.5); con.close()", str(db)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "open"
        with pytest.raises(StoreError) as info:  # too short a wait: K402, as before
            SharedWriter(db, wait_s=0.2).scalar("SELECT 1")
        assert info.value.code == "K402"
        writer = SharedWriter(db, wait_s=20)
        assert writer.write_batch([_person_article("Di spoke. End.", "2021-04-01", "Di Example")]).articles_written == 1
    finally:
        holder.wait(timeout=20)


def test_store_write_intent_is_ignored_when_its_process_is_gone(tmp_path: Path) -> None:
    db = tmp_path / "k.duckdb"
    assert not writer_waiting(db)
    proc = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        intent_path(db).write_text(str(proc.pid), encoding="ascii")
        assert writer_waiting(db)
        assert not writer_waiting(db, own_pid=proc.pid)  # a process never waits for itself
    finally:
        proc.kill()
        proc.wait()
    assert not writer_waiting(db)  # killed writer: stale intent
    intent_path(db).write_text(str(os.getpid()), encoding="ascii")
    assert not writer_waiting(db)
