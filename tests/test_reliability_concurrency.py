"""Concurrent use: the API serves reads while its own ingest endpoint writes (the one-writer
protocol of docs/operations.md), and a foreign writer process makes reads wait or answer
503 with Retry-After, never fail otherwise.

The server is real: uvicorn in a child process on 127.0.0.1, driven by
``benchmarks/load_test.py`` (the same code as the load benchmark, with small numbers).
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

from conftest import ROOT

TOKEN = "concurrency-test-token"


def _load_test_module():
    spec = importlib.util.spec_from_file_location("kronika_load_test", ROOT / "benchmarks" / "load_test.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def lt():
    return _load_test_module()


@pytest.fixture()
def server(tmp_path: Path, lt):
    db = tmp_path / "live.duckdb"
    lt.build_store(db, 2000)  # 200 articles x 10 events
    proc, base = lt.start_server(db, TOKEN)
    try:
        yield base, db
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_reliability_reads_during_api_ingest_have_zero_errors(server, lt) -> None:
    base, _ = server
    before = httpx.get(f"{base}/api/summary", timeout=30).json()
    invariant = before["events"] - before["articles"]  # each posted article adds one event
    torn: list[tuple[int, int]] = []
    stop = threading.Event()

    def watch_summaries() -> None:  # a half-written batch would break events - articles
        with httpx.Client(base_url=base, timeout=30) as c:
            while not stop.is_set():
                s = c.get("/api/summary").json()
                if s["events"] - s["articles"] != invariant:
                    torn.append((s["articles"], s["events"]))

    watcher = threading.Thread(target=watch_summaries, daemon=True)
    watcher.start()
    try:
        results = lt.run_load(base, clients=4, seconds=4, token=TOKEN, write_every=0.3)
    finally:
        stop.set()
        watcher.join(timeout=30)
    summary = results.summary()
    assert summary["errors"] == 0, summary["error_samples"]
    assert results.writes >= 2 and results.articles_written >= 2
    assert sum(len(v) for k, v in results.latencies.items() if k != "write") >= 8
    after = httpx.get(f"{base}/api/summary", timeout=30).json()
    assert after["articles"] == before["articles"] + results.articles_written
    assert torn == []
    print(f"\n[concurrency] {summary['requests']} requests, {results.writes} writes, "
          f"p50 {summary['overall_ms']['p50']} ms, p99 {summary['overall_ms']['p99']} ms, 0 errors")


def test_reliability_foreign_writer_means_busy_then_back(server) -> None:
    """While another process holds the store for writing (a CLI ingest), reads answer 503
    with Retry-After and code K410 — never 500 — and succeed again once it is gone."""
    base, db = server
    time.sleep(1.5)  # the server's shared read-only store lingers 1 s after the last read
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import duckdb, sys, time; con = duckdb.connect(sys.argv[1]); print('locked', flush=True); "
         "time.sleep(12); con.close()", str(db)],
        stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        res = httpx.get(f"{base}/api/events", timeout=30)
        assert res.status_code == 503, res.text
        assert res.headers.get("retry-after") == "1" and res.json()["code"] == "K410"
        post = httpx.post(f"{base}/api/articles", json={"text": "JPN met RUS.", "date": "2021-01-01"},
                          headers={"Authorization": f"Bearer {TOKEN}"}, timeout=60)
        assert post.status_code == 503 and post.json()["code"] == "K410"
    finally:
        holder.wait(timeout=30)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        res = httpx.get(f"{base}/api/events", timeout=30)
        if res.status_code == 200:
            break
        time.sleep(0.5)
    assert res.status_code == 200


def test_reliability_load_test_only_targets_loopback(lt) -> None:
    for base in ("http://10.0.0.1:8000", "https://127.0.0.1:8000", "http://localhost.example.com:80"):
        with pytest.raises(ValueError):
            lt.run_load(base, clients=1, seconds=0.1)
    assert lt.percentiles([0.001 * i for i in range(1, 101)])["p99"] == 100.0


class _SlowPipeline:
    """The load test's fake pipeline, slowed to spaCy-like speed so the job spans seconds."""

    def __init__(self, lt, per_article_s: float) -> None:  # type: ignore[no-untyped-def]
        self.fake, self.per_article_s = lt.FakePipeline(), per_article_s

    def analyze_many(self, articles, *, n_process: int = 1, on_error=None):  # type: ignore[no-untyped-def]
        for a in self.fake.analyze_many(articles, n_process=n_process, on_error=on_error):
            time.sleep(self.per_article_s)
            yield a


def test_reliability_reads_keep_working_during_a_cli_ingest(server, lt, tmp_path: Path) -> None:
    """``kronika ingest`` (a ``SharedWriter`` job in another process than the server) holds the
    file only while it commits a batch: the server's reads wait milliseconds, never 503."""
    import json

    from kronika.config import Settings
    from kronika.run import ingest
    from kronika.store.access import SharedWriter

    base, db = server
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text("".join(json.dumps({"id": f"n{i}", "date": f"2021-02-{i + 1:02d}", "text": f"JPN met KOR {i}."})
                              + "\n" for i in range(14)), encoding="utf-8")
    before = httpx.get(f"{base}/api/summary", timeout=30).json()
    statuses: list[int] = []
    stop = threading.Event()

    def read_all_the_time() -> None:
        with httpx.Client(base_url=base, timeout=30) as c:
            while not stop.is_set():
                statuses.append(c.get("/api/summary").status_code)
                time.sleep(0.02)

    watcher = threading.Thread(target=read_all_the_time, daemon=True)
    watcher.start()
    writer = SharedWriter(db)
    try:
        t0 = time.perf_counter()
        report = ingest([corpus], Settings(db_path=db, batch_size=2), store=writer,
                        pipeline=_SlowPipeline(lt, 0.4))
        took = time.perf_counter() - t0
    finally:
        stop.set()
        watcher.join(timeout=30)
    assert report.articles_written == 14 and writer.opens >= 7
    assert took > 5 and len(statuses) >= 20
    assert set(statuses) == {200}, f"{statuses.count(503)} of {len(statuses)} reads answered 503"
    after = httpx.get(f"{base}/api/summary", timeout=30).json()
    assert after["articles"] == before["articles"] + 14
    print(f"\n[concurrency] {len(statuses)} reads during a {took:.1f} s CLI ingest, all 200")
