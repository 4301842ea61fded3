"""Store access in the API: one watchdog thread (not a Timer per read) closes idle read
handles, and reads step aside while another process announces a write (issue 9, bugs 5-6)."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from kronika.store import access
from kronika.store.access import StoreAccess, intent_path


class FakeStore:
    def __init__(self, log: list[str]) -> None:
        self.log = log
        self.closed = False

    def close(self) -> None:
        self.closed = True
        self.log.append("close")


def _access(tmp_path: Path, linger_s: float = 0.2) -> tuple[StoreAccess, list[FakeStore], list[str]]:
    db = tmp_path / "k.duckdb"
    db.write_bytes(b"")
    opened: list[FakeStore] = []
    log: list[str] = []

    def opener(path: Path, read_only: bool) -> FakeStore:
        store = FakeStore(log)
        opened.append(store)
        return store

    return StoreAccess(db, opener=opener, linger_s=linger_s), opened, log


def _timers() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if isinstance(t, threading.Timer)]


def test_api_reads_start_no_timer_thread_per_read(tmp_path: Path) -> None:
    acc, opened, _ = _access(tmp_path)
    before = threading.active_count()
    for _ in range(100):
        acc.read(lambda st: None)
    assert _timers() == []
    assert threading.active_count() <= before + 1  # at most the one watchdog thread
    anchor = opened[0]
    assert not anchor.closed  # still lingering for the next request
    time.sleep(0.6)
    assert anchor.closed and acc._shared is None  # closed once idle for linger_s
    assert not acc._watchdog.running  # and the watchdog went idle too


def test_api_anchor_used_continuously_is_kept_then_closed(tmp_path: Path) -> None:
    acc, opened, _ = _access(tmp_path, linger_s=0.15)
    t_end = time.monotonic() + 0.5
    while time.monotonic() < t_end:
        acc.read(lambda st: None)
        time.sleep(0.02)
    anchor = opened[0]
    assert not anchor.closed  # never idle for linger_s while requests kept coming
    time.sleep(0.5)
    assert anchor.closed


def test_api_reads_step_aside_for_an_announced_writer(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    acc, opened, _ = _access(tmp_path, linger_s=30)
    acc.read(lambda st: None)
    anchor = opened[0]
    writer = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        intent_path(acc.path).write_text(str(writer.pid), encoding="ascii")
        monkeypatch.setattr(access, "OPEN_BACKOFF_S", 0.01)
        with pytest.raises(access.StoreBusy):  # the writer never finishes here: busy (503)
            acc.read(lambda st: None)
        assert anchor.closed  # the idle handle was closed at once, not after linger_s
        n = len(opened)

        def finish_write() -> None:
            time.sleep(0.2)
            intent_path(acc.path).unlink()

        threading.Thread(target=finish_write).start()
        monkeypatch.setattr(access, "OPEN_BACKOFF_S", 0.05)
        assert acc.read(lambda st: "ok") == "ok"  # waited for the write, then read
        assert len(opened) > n
    finally:
        writer.kill()
        writer.wait()
        intent_path(acc.path).unlink(missing_ok=True)
    acc.close()
