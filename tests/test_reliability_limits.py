"""Limits that must hold anywhere: a huge file is refused before it is read (issue 9, bug 2),
and the per-article time limit works in any thread, the API's included (bug 4)."""

from __future__ import annotations

import datetime as dt
import gzip
import threading
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import peak_traced_bytes
from kronika.config import Settings
from kronika.deadline import Deadline, Watchdog, deadline
from kronika.ingest import iter_records
from kronika.ingest.dispatch import byte_cap
from kronika.model import Article, IngestProblem, ParsedDoc
from kronika.pipeline import Pipeline, Stages, build_stages

SMALL = Settings(max_article_chars=1000)


# --------------------------------------------------------------------------- 2. size before reading




@pytest.mark.parametrize("name", ["2020-01-02-big.txt", "big.html", "big"])
def test_reliability_oversized_single_article_file_is_refused_unread(tmp_path: Path, name: str) -> None:
    big = tmp_path / name
    big.write_bytes(b"word " * 1_000_000)  # 5 MB, far over 4 bytes x 1000 chars (+ 1 MiB)
    out: list[object] = []
    peak = peak_traced_bytes(lambda: out.extend(iter_records([big], SMALL)))
    [prob] = out
    assert isinstance(prob, IngestProblem) and prob.code == "K105" and prob.origin == f"{big}:1"
    assert "5000000 bytes" in prob.reason and "not read" in prob.reason
    assert peak < 1_000_000, f"peak {peak} bytes: the file was read"


def test_reliability_oversized_multi_article_file_is_refused_by_max_file_bytes(tmp_path: Path) -> None:
    csv = tmp_path / "many.csv"
    csv.write_text("date,text\n" + "2020-01-02,Some text here.\n" * 2000, encoding="utf-8")
    recs = list(iter_records([csv], Settings(max_file_bytes=10_000)))
    assert [(r.origin, r.code) for r in recs if isinstance(r, IngestProblem)] == [(str(csv), "K105")]
    assert len(list(iter_records([csv], Settings()))) == 2000  # the default lets it through


def test_reliability_gzip_bomb_is_streamed_with_a_cap(tmp_path: Path) -> None:
    bomb = tmp_path / "2020-01-02-bomb.txt.gz"
    bomb.write_bytes(gzip.compress(b"a" * 20_000_000, 9))  # ~20 KB on disk
    out: list[object] = []
    peak = peak_traced_bytes(lambda: out.extend(iter_records([bomb], SMALL)))
    [prob] = out
    assert isinstance(prob, IngestProblem) and prob.code == "K105" and "unpacks to more than" in prob.reason
    assert peak < 4 * byte_cap("text", SMALL), f"peak {peak} bytes: the whole bomb was unpacked"


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 3000), st.sampled_from(["a", "é", "€", "𝄞"]))
def test_reliability_size_precheck_never_refuses_an_article_within_the_limit(n: int, ch: str) -> None:
    """4 bytes per character bound: a file the pre-check refuses is over the char limit too."""
    data = (ch * n).encode("utf-8")
    refused = len(data) > byte_cap("text", SMALL)
    assert not refused or n > SMALL.max_article_chars


# --------------------------------------------------------------------------- 4. time limit in any thread


def test_reliability_deadline_interrupts_a_loop_in_a_worker_thread() -> None:
    dog = Watchdog()
    result: list[str] = []

    def work() -> None:
        try:
            with deadline(0.2, dog):
                while True:
                    sum(range(100))
        except Deadline:
            result.append("stopped")
        time.sleep(0.3)  # a withdrawn or spent deadline never fires later
        result.append("after")

    t = threading.Thread(target=work)
    t0 = time.perf_counter()
    t.start()
    t.join(timeout=10)
    assert result == ["stopped", "after"] and time.perf_counter() - t0 < 5


def test_reliability_deadline_that_is_met_never_fires() -> None:
    dog = Watchdog()
    errors: list[BaseException] = []

    def work() -> None:
        try:
            for _ in range(200):
                with deadline(0.05, dog):
                    pass
            time.sleep(0.2)  # any leftover would be raised here
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    t = threading.Thread(target=work)
    t.start()
    t.join(timeout=10)
    assert errors == []
    assert not dog.running  # and the watchdog thread has gone idle


def test_reliability_main_thread_deadline_cuts_a_blocking_sleep() -> None:
    t0 = time.perf_counter()
    with pytest.raises(Deadline):
        with deadline(0.2, Watchdog()):
            time.sleep(5)
    assert time.perf_counter() - t0 < 2


def test_reliability_watchdog_runs_callbacks_in_due_order_on_one_thread() -> None:
    dog = Watchdog()
    seen: list[tuple[int, str]] = []
    before = threading.active_count()
    handles = [dog.call_later(0.05 * (5 - i), lambda i=i: seen.append((i, threading.current_thread().name)))
               for i in range(5)]
    dog.cancel(handles[0])
    assert threading.active_count() <= before + 1
    time.sleep(0.5)
    assert [i for i, _ in seen] == [4, 3, 2, 1] and len({name for _, name in seen}) == 1


def _runaway_pipeline(parser, settings: Settings):  # type: ignore[no-untyped-def]
    real = build_stages(settings)

    def runaway_time(doc: ParsedDoc):  # type: ignore[no-untyped-def]
        if "HANG" in doc.article.text:
            while True:
                sum(range(1000))  # pure Python, never sleeps: only an async exception stops it
        return real.time(doc)

    stages = Stages(time=runaway_time, actors=real.actors, geo=real.geo, events=real.events)  # type: ignore[arg-type]
    return Pipeline(settings.replace(article_timeout_s=0.5), parser=parser, stages=stages)


def test_reliability_time_limit_holds_outside_the_main_thread(parser, settings: Settings) -> None:
    from kronika.pipeline import collect_errors

    pipe = _runaway_pipeline(parser, settings)
    arts = [Article.create(t, dt.date(2020, 1, 2), origin=o) for o, t in (("hang", "HANG now."), ("ok", "Peru met Chile."))]
    problems: list[IngestProblem] = []
    out: list[object] = []
    t = threading.Thread(target=lambda: out.extend(pipe.analyze_many(arts, on_error=collect_errors(problems))))
    t.start()
    t.join(timeout=20)
    assert not t.is_alive(), "the runaway stage was never stopped in a worker thread"
    assert [(p.origin, p.code) for p in problems] == [("hang", "K302")]
    assert [a.article.origin for a in out] == ["ok"]  # type: ignore[attr-defined]


def test_reliability_api_ingest_has_a_per_article_time_limit(tmp_path: Path, parser, settings: Settings) -> None:
    from kronika.api import create_app

    pipe = _runaway_pipeline(parser, settings)
    app = create_app(Settings(api_token="t"), store_path=tmp_path / "api.duckdb", pipeline_factory=lambda: pipe)
    t0 = time.perf_counter()
    res = TestClient(app).post("/api/articles", headers={"Authorization": "Bearer t"}, json=[
        {"text": "HANG forever.", "date": "2020-01-02", "id": "hang"},
        {"text": "Peru met Chile.", "date": "2020-01-02", "id": "ok"}])
    assert time.perf_counter() - t0 < 20
    body = res.json()
    assert res.status_code == 200, body
    assert [p["code"] for p in body["problems"]] == ["K302"]
    assert body["articles_written"] == 1
