"""Crash safety, CI-sized: SIGKILL ``kronika ingest`` a few times, resume, compare with a clean run.

The full benchmark (>= 20 kills over 40 articles) is ``python -m benchmarks.kill_test``; this
test runs the same code with fewer articles and kills so it stays near a minute and a half.
"""

from __future__ import annotations

import importlib.util
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, SHARED

NEWS = SHARED / "data" / "news" / "wikinews_politics.jsonl"


def _kill_test_module():
    spec = importlib.util.spec_from_file_location("kronika_kill_test", ROOT / "benchmarks" / "kill_test.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def kill_test():
    if not NEWS.exists():
        pytest.skip("shared WikiNews data not present")
    return _kill_test_module()


@pytest.mark.slow
def test_reliability_killed_ingest_resumes_to_the_same_store(tmp_path: Path, kill_test) -> None:
    lines: list[str] = []
    summary = kill_test.run(tmp_path, articles=12, kills=3, batch_size=4, seed=7, corpus_source=NEWS,
                            log=lines.append)
    print("\n" + "\n".join(lines))
    assert summary.kills >= 3
    assert summary.differences == [], summary.differences
    assert summary.articles == 12


def test_reliability_compare_detects_lost_duplicated_and_changed_rows() -> None:
    """The comparison itself can fail: a lost article, a duplicate and a changed event show,
    and so does a change in an article that used learned actors (no "drift" exemption)."""
    kt = _kill_test_module()
    ref = {"article_ids": ["a", "b"], "events": [("e1", "a", "CONSULT"), ("e2", "b", "AGREE")],
           "clusters": [("e1", "e1"), ("e2", "e2")], "learned": set(),
           **{t: [("a", 1), ("b", 2)] for t in kt.ROW_TABLES}}
    assert kt.compare(ref, ref) == ([], [])
    lost = {**ref, "article_ids": ["a"], "events": ref["events"][:1]}
    fails, _ = kt.compare(ref, lost)
    assert any("1 missing" in d for d in fails) and any(d.startswith("events") for d in fails)
    dup = {**ref, "article_ids": ["a", "b", "b"], "sentences": [("a", 1), ("b", 2), ("b", 2)]}
    fails, _ = kt.compare(ref, dup)
    assert any("duplicated articles" in d for d in fails) and any(d.startswith("sentences") for d in fails)
    changed = {**ref, "events": [("e1", "a", "CONSULT"), ("e2", "b", "REJECT")]}
    assert kt.compare(ref, changed) == (["events: rows differ in 1 article(s)"], [])
    drifted = {**changed, "learned": {"b"}}
    assert kt.compare(ref, drifted) == (["events: rows differ in 1 article(s)"],
                                        ["events: 1 of them used learned actors"])
    mentions = {**ref, "actor_mentions": [("a", 1), ("b", 3)], "learned": {"b"}}
    assert kt.compare(ref, mentions)[0] == ["actor_mentions: rows differ in 1 article(s)"]


def test_reliability_store_survives_a_writer_killed_mid_transaction(tmp_path: Path) -> None:
    """A process killed inside ``write_batch`` (between BEGIN and COMMIT) leaves nothing of that
    batch, and every batch committed before it, in a store that still opens and accepts writes."""
    db = tmp_path / "k.duckdb"
    script = f"""
import os, signal, sys
sys.path.insert(0, {str(ROOT / "tests")!r})
from test_api_fixtures import analyses
from kronika.store import Store
from kronika.store import db as dbmod
items = analyses()
store = Store({str(db)!r})
store.write_batch(items[:2], [])
real = dbmod.insert_rows
def dying(con, table, columns, rows):
    real(con, table, columns, rows)
    if table == "events":
        print("dying", flush=True)
        os.kill(os.getpid(), signal.SIGKILL)
dbmod.insert_rows = dying
store.write_batch(items[2:], [])
"""
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    assert "dying" in proc.stdout
    from kronika.store import Store

    with Store(db) as store:
        assert store.scalar("SELECT count(*) FROM articles") == 2
        n_events = store.scalar("SELECT count(*) FROM events")
        sys.path.insert(0, str(ROOT / "tests"))
        from test_api_fixtures import analyses

        items = analyses()
        assert n_events == sum(len(a.events) for a in items[:2])
        store.write_batch(items, [])  # resuming writes the rest, skips what is there
        got = {t: store.fetch_tuples(f"SELECT article_id, count(*) FROM {t} GROUP BY 1 ORDER BY 1")
               for t in ("sentences", "events")}
    with Store(tmp_path / "clean.duckdb") as clean:
        clean.write_batch(items, [])
        want = {t: clean.fetch_tuples(f"SELECT article_id, count(*) FROM {t} GROUP BY 1 ORDER BY 1")
                for t in ("sentences", "events")}
    assert got == want
