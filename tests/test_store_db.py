"""The DuckDB store: migrations, transactional idempotent batches, exports, locking."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from kronika.errors import StoreError
from kronika.model import ActorMention, Analysis, IngestProblem, PlaceMention, TimeExpr
from kronika.store import Store
from kronika.store import synthetic as syn
from kronika.store.migrations import MIGRATIONS

TEXT = "Ministers of two countries met in a capital on Monday. They will meet again next month."


def _analysis(text: str = TEXT, date: str = "2021-03-01", *, src: str = "AAA", tgt: str = "BBB") -> Analysis:
    """One article: a CONSULT event, an actor mention, a place and a time expression."""
    art = syn.article(text, date, doc_id="doc-1", title="A title", source="Wire")
    ev = syn.event(art, "CONSULT", syn.ref(src, "Minister One", entity="Ann One", role="Foreign Minister"),
                   syn.ref(tgt), date, place=syn.place("Capital", 11, 1.0, 2.0, src))
    actor = ActorMention(0, 9, "Ministers", 0, 0, f"{src}GOV", src, "GOV", "Ann One", "Foreign Minister",
                         kind="person", how="appositive:in-doc")
    place = PlaceMention(34, 43, "a capital", 0, 7, "Capital", 11, 1.0, 2.0, src, feature="city")
    time = TimeExpr(47, 53, "Monday", 0, "DATE", date)
    return syn.analysis(art, [ev], [actor], [place], [time])


def _count(store: Store, table: str) -> int:
    return int(store.scalar(f"SELECT count(*) FROM {table}"))


def test_store_migrations_are_named_recorded_and_applied_once(tmp_path: Path) -> None:
    db = tmp_path / "k.duckdb"
    with Store(db) as store:
        first = store.fetch_tuples("SELECT name, applied_at FROM schema_migrations ORDER BY name")
    assert [n for n, _ in first] == [name for name, _ in MIGRATIONS]
    with Store(db) as store:
        assert store.fetch_tuples("SELECT name, applied_at FROM schema_migrations ORDER BY name") == first
    with Store(db, read_only=True) as store:
        assert store.migrations() == [name for name, _ in MIGRATIONS]


def test_store_read_only_open_of_missing_file_says_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no Kronika database") as info:
        Store(tmp_path / "absent.duckdb", read_only=True)
    assert info.value.code == "K403"
    assert not (tmp_path / "absent.duckdb").exists()


def test_store_read_only_refuses_writes(tmp_path: Path) -> None:
    Store(tmp_path / "k.duckdb").close()
    with Store(tmp_path / "k.duckdb", read_only=True) as store, pytest.raises(StoreError, match="read-only"):
        store.write_batch([_analysis()])


def test_store_write_batch_stores_every_table(tmp_path: Path) -> None:
    a = _analysis()
    with Store(tmp_path / "k.duckdb") as store:
        result = store.write_batch([a], [IngestProblem("bad.jsonl:3", "no date", "K102")])
        assert (result.articles_written, result.articles_skipped, result.events_written, result.problems) == (1, 0, 1, 1)
        counts = {t: _count(store, t) for t in ("articles", "sentences", "actor_mentions", "places",
                                                 "timexes", "events", "event_actors", "ingest_errors")}
        row = store.fetch("SELECT * FROM events")[0]
        art = store.fetch("SELECT * FROM articles")[0]
    assert counts == {"articles": 1, "sentences": 2, "actor_mentions": 1, "places": 1, "timexes": 1,
                      "events": 1, "event_actors": 2, "ingest_errors": 1}
    assert (row["source_country"], row["target_country"], row["source_entity"]) == ("AAA", "BBB", "Ann One")
    assert json.loads(row["source"])["role"] == "Foreign Minister"
    assert row["date_start"].isoformat() == row["date_end"].isoformat() == "2021-03-01"
    assert row["cluster_id"] == row["event_id"]  # founder of its own cluster
    assert (art["text"], art["n_sentences"], art["doc_id"]) == (TEXT, 2, "doc-1")


def test_store_reingest_is_a_no_op(tmp_path: Path) -> None:
    a = _analysis()
    with Store(tmp_path / "k.duckdb") as store:
        store.write_batch([a])
        again = store.write_batch([a, a])
        assert (again.articles_written, again.articles_skipped, again.events_written) == (0, 2, 0)
        assert _count(store, "articles") == 1 and _count(store, "events") == 1
        assert store.known_article_ids([a.article.id, "nope"]) == {a.article.id}
        assert store.known_article_ids([]) == set()


def test_store_duplicate_within_one_batch_written_once(tmp_path: Path) -> None:
    a = _analysis()
    with Store(tmp_path / "k.duckdb") as store:
        result = store.write_batch([a, a])
        assert (result.articles_written, result.articles_skipped) == (1, 1)
        assert _count(store, "sentences") == 2


def test_store_failed_batch_keeps_nothing_of_it(tmp_path: Path) -> None:
    first = _analysis()
    with Store(tmp_path / "k.duckdb") as store:
        store.write_batch([first])
        fresh = _analysis("A different article about other ministers. Second sentence.")
        # An event whose id is already stored: the events insert fails after the article rows.
        clash = syn.analysis(syn.article("Third article text here. More.", "2021-03-02"), first.events)
        with pytest.raises(StoreError, match="nothing of it was kept"):
            store.write_batch([fresh, clash])
        assert store.known_article_ids([fresh.article.id, clash.article.id]) == set()
        assert _count(store, "articles") == 1 and _count(store, "sentences") == 2
        # The store is still usable afterwards.
        assert store.write_batch([fresh]).articles_written == 1


def test_store_failure_in_any_table_rolls_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import kronika.store.db as db

    real = db.insert_rows

    def failing(con, table, columns, rows):  # type: ignore[no-untyped-def]
        if table == "event_actors":
            raise RuntimeError("disk on fire")
        return real(con, table, columns, rows)

    monkeypatch.setattr(db, "insert_rows", failing)
    with Store(tmp_path / "k.duckdb") as store:
        with pytest.raises(StoreError, match="disk on fire"):
            store.write_batch([_analysis()])
        assert _count(store, "articles") == 0 and _count(store, "events") == 0


def test_store_crash_mid_batch_leaves_no_half_article(tmp_path: Path) -> None:
    db = tmp_path / "k.duckdb"
    script = textwrap.dedent(f"""
        import os, sys
        sys.path.insert(0, {str(Path(__file__).parent)!r})
        import kronika.store.db as db
        from test_store_db import _analysis
        real = db.insert_rows
        def crash(con, table, columns, rows):
            if table == "events":
                os._exit(3)  # the process dies mid-transaction, articles already inserted
            return real(con, table, columns, rows)
        db.insert_rows = crash
        store = db.Store({str(db)!r})
        store.write_batch([_analysis()])
    """)
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 3, proc.stderr
    with Store(db, read_only=True) as store:
        assert _count(store, "articles") == 0 and _count(store, "sentences") == 0


def test_store_second_process_is_told_about_the_writer(tmp_path: Path) -> None:
    db = tmp_path / "k.duckdb"
    script = textwrap.dedent(f"""
        from kronika.errors import StoreError
        from kronika.store import Store
        try:
            Store({str(db)!r}, read_only=True)
        except StoreError as exc:
            print(exc.code)
    """)
    with Store(db):
        proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert proc.stdout.strip() == "K402", proc.stderr


def test_store_records_problems(tmp_path: Path) -> None:
    with Store(tmp_path / "k.duckdb") as store:
        assert store.record_problems([IngestProblem("x.csv#2", "bad date"), IngestProblem("y", "empty", "K103")]) == 2
        rows = store.fetch("SELECT origin, reason, code FROM ingest_errors ORDER BY origin")
    assert rows == [{"origin": "x.csv#2", "reason": "bad date", "code": "K101"},
                    {"origin": "y", "reason": "empty", "code": "K103"}]


def test_store_learned_actor_rows_from_appositives_and_titles(tmp_path: Path) -> None:
    a1 = _analysis(date="2021-03-01")
    a2 = _analysis("Another report on the same minister. Text.", date="2021-04-09")
    other = syn.analysis(syn.article("Someone spoke. End.", "2021-05-01"), actors=[
        ActorMention(0, 7, "Someone", 0, 0, "CCCGOV", "CCC", "GOV", "Bo Two", None, kind="person", how="kb"),
        ActorMention(0, 7, "Someone", 0, 0, "CCCGOV", "CCC", "GOV", "Cy Three", "Mayor", kind="person",
                     how="title"),
    ])
    with Store(tmp_path / "k.duckdb") as store:
        store.write_batch([a1, a2, other])
        rows = store.learned_actor_rows()
    assert rows == [
        {"entity": "Ann One", "country": "AAA", "sector": "GOV", "role": "Foreign Minister",
         "first_seen": "2021-03-01", "last_seen": "2021-04-09", "count": 2},
        {"entity": "Cy Three", "country": "CCC", "sector": "GOV", "role": "Mayor",
         "first_seen": "2021-05-01", "last_seen": "2021-05-01", "count": 1},
    ]


def test_store_compound_sides_keep_every_member(tmp_path: Path) -> None:
    art = syn.article("Two allies warned a third country. End.", "2021-01-05")
    ev = syn.event(art, "THREATEN", [syn.ref("AAA"), syn.ref("BBB")], syn.ref("CCC"), "2021-01-05")
    with Store(tmp_path / "k.duckdb") as store:
        store.write_batch([syn.analysis(art, [ev])])
        members = store.fetch_tuples("SELECT side, idx, country FROM event_actors ORDER BY side, idx")
        src = json.loads(store.scalar("SELECT source FROM events"))
    assert members == [("source", 0, "AAA"), ("source", 1, "BBB"), ("target", 0, "CCC")]
    assert [s["country"] for s in src] == ["AAA", "BBB"]


@pytest.mark.parametrize("fmt", ["parquet", "jsonl"])
def test_store_export_writes_every_table(tmp_path: Path, fmt: str) -> None:
    with Store(tmp_path / "k.duckdb") as store:
        store.write_batch([_analysis()])
        paths = store.export(fmt, tmp_path / "out")
    assert {p.name.split(".")[0] for p in paths} >= {"articles", "events", "event_actors", "actor_mentions"}
    assert all(p.exists() and p.stat().st_size > 0 for p in paths if not p.name.startswith("ingest_errors"))


def test_store_export_refuses_unknown_format(tmp_path: Path) -> None:
    with Store(tmp_path / "k.duckdb") as store, pytest.raises(StoreError, match="unknown export format"):
        store.export("xml", tmp_path / "out")


def test_store_parquet_round_trip_and_reimport_is_a_no_op(tmp_path: Path) -> None:
    analyses = [_analysis(), _analysis("Other text entirely here. Yes.", "2021-03-02", src="CCC")]
    with Store(tmp_path / "a.duckdb") as store:
        store.write_batch(analyses, [IngestProblem("f", "r")])
        store.export("parquet", tmp_path / "pq")
        want = {t: _count(store, t) for t in ("articles", "events", "event_actors", "sentences", "places")}
    with Store(tmp_path / "b.duckdb") as store:
        store.write_batch([analyses[0]])
        result = store.import_parquet(tmp_path / "pq")
        assert (result.articles_written, result.articles_skipped, result.events_written) == (1, 1, 1)
        got = {t: _count(store, t) for t in want}
        assert store.import_parquet(tmp_path / "pq").articles_written == 0
        assert {t: _count(store, t) for t in want} == got
    assert got == want


def test_store_import_needs_an_export_folder(tmp_path: Path) -> None:
    with Store(tmp_path / "k.duckdb") as store, pytest.raises(StoreError, match="not a Kronika parquet export"):
        store.import_parquet(tmp_path)


def test_store_synthetic_generate_is_deterministic_and_idempotent(tmp_path: Path) -> None:
    with Store(tmp_path / "a.duckdb") as a, Store(tmp_path / "b.duckdb") as b:
        assert syn.generate(a, 2000, seed=7).events_written == 2000
        syn.generate(b, 2000, seed=7)
        assert syn.generate(a, 2000, seed=7).events_written == 0
        q = ("SELECT event_id, type, source_country, target_country, date_value, cluster_id "
             "FROM events ORDER BY event_id")
        assert a.fetch_tuples(q) == b.fetch_tuples(q)
        assert _count(a, "events") == 2000 and _count(a, "articles") == 200
        assert _count(a, "event_actors") == 4000
        assert a.scalar("SELECT count(*) FROM events WHERE source_country = target_country") == 0
        assert a.scalar("SELECT max(mentions) FROM clusters") > 1


def test_store_same_process_reader_meets_writer(tmp_path: Path) -> None:
    db = tmp_path / "k.duckdb"
    with Store(db), pytest.raises(StoreError) as info:
        Store(db, read_only=True)
    assert info.value.code == "K402"


def test_store_interrupt_stops_a_running_query(tmp_path: Path) -> None:
    import threading

    with Store(tmp_path / "k.duckdb") as store:
        errors: list[Exception] = []

        def slow() -> None:
            try:
                store.fetch("SELECT sum(hash(i)) FROM range(100000000000) t(i)")
            except StoreError as exc:
                errors.append(exc)

        worker = threading.Thread(target=slow, daemon=True)
        worker.start()
        for _ in range(300):  # interrupt until it lands (the query may not have started yet)
            store.interrupt()
            worker.join(timeout=0.1)
            if not worker.is_alive():
                break
        assert not worker.is_alive() and errors and "nterrupt" in str(errors[0])


def test_store_creates_missing_folders_and_rejects_non_databases(tmp_path: Path) -> None:
    with Store(tmp_path / "deep" / "er" / "k.duckdb") as store:
        assert store.migrations()
    junk = tmp_path / "junk.duckdb"
    junk.write_text("this is not a database", encoding="utf-8")
    with pytest.raises(StoreError) as info:
        Store(junk)
    assert info.value.code == "K401"
