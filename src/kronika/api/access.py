"""How the API reaches the DuckDB store: many short read-only opens, one guarded writer.

Why not hold connections for the server's lifetime: DuckDB takes a file lock, and a
process that keeps the file open (even read-only) would stop ``kronika ingest`` in another
process from ever writing. Reads share one read-only store only while requests keep
coming and close it soon after, leaving the file free for a writer; when the file is
locked by another process the open is retried with back-off and, failing that, reported
as "busy" (HTTP 503 with Retry-After).

Inside this process DuckDB refuses to open one file read-only and read-write at once, so
reads and the ingest writer share a readers-writer lock: many readers, or one writer
holding the file only for the length of one ``write_batch`` transaction.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from kronika.deadline import Watchdog
from kronika.errors import QueryError, StoreError
from kronika.store.writer import writer_waiting

T = TypeVar("T")

OPEN_RETRIES = 6
OPEN_BACKOFF_S = 0.05


class StoreBusy(StoreError):
    """The store file is locked by another writer; try again shortly."""

    code = "K410"


class StoreMissing(StoreError):
    """No store file at the configured path yet (nothing ingested)."""

    code = "K411"


class ReadWriteLock:
    """Many readers or one writer; a waiting writer blocks new readers (no starvation)."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._readers = 0
        self._writer = False
        self._writers_waiting = 0

    @contextmanager
    def read(self) -> Iterator[None]:
        with self._cond:
            while self._writer or self._writers_waiting:
                self._cond.wait()
            self._readers += 1
        try:
            yield
        finally:
            with self._cond:
                self._readers -= 1
                self._cond.notify_all()

    @contextmanager
    def write(self) -> Iterator[None]:
        with self._cond:
            self._writers_waiting += 1
            while self._writer or self._readers:
                self._cond.wait()
            self._writers_waiting -= 1
            self._writer = True
        try:
            yield
        finally:
            with self._cond:
                self._writer = False
                self._cond.notify_all()


class StoreAccess:
    """Opens the store for reads and the one writer; shared by all requests.

    Opening a DuckDB file costs ~40-150 ms, but a second connection to a file this process
    already has open costs ~0.2 ms and shares its caches. So an *anchor* read-only store
    stays open while requests keep coming, and each request opens its own store next to
    it (its own cursors: a timed-out request interrupts only its own queries). The anchor
    is closed ``linger_s`` after the last read, and none older than ``max_age_s`` is
    reused, so another process that wants to write finds the file free whenever the
    dashboard is idle. ``opener(path, read_only)`` returns a store; injectable for tests.
    """

    def __init__(self, path: Path, opener: Callable[[Path, bool], Any] | None = None,
                 linger_s: float = 1.0, max_age_s: float = 30.0) -> None:
        self.path = path
        self.linger_s, self.max_age_s = linger_s, max_age_s
        self._opener = opener or _open_store
        self._lock = ReadWriteLock()
        self._mu = threading.Lock()
        self._shared: _Shared | None = None
        # One thread closes idle read handles for every request (not a Timer per read).
        self._watchdog = Watchdog("kronika-store-linger")

    def read(self, fn: Callable[[Any], T], on_open: Callable[[Any], None] | None = None) -> T:
        """Run ``fn(store)`` on a read-only store of its own; ``on_open`` sees the store
        first (the time limit uses it to interrupt this request's queries, and only them)."""
        if not self.path.exists():
            raise StoreMissing(f"no store at {self.path.name}; ingest articles first", code="K411")
        self._yield_to_writer()
        with self._lock.read():
            anchor = self._acquire()
            try:
                store = self._open(read_only=True)  # cheap while the anchor keeps DuckDB open
                try:
                    if on_open is not None:
                        on_open(store)
                    return fn(store)
                finally:
                    _close(store)
            except QueryError:
                raise  # the question was wrong, not the connection
            except Exception:
                anchor.broken = True  # reopen on the next read instead of reusing it
                raise
            finally:
                self._release(anchor)

    def write(self, fn: Callable[[Any], T]) -> T:
        """Run ``fn(store)`` on the one read-write store, exclusively (readers drained and
        the shared read-only store closed first: DuckDB allows one mode per file)."""
        with self._lock.write():
            self.close()
            store = self._open(read_only=False)
            try:
                return fn(store)
            finally:
                _close(store)

    def close(self) -> None:
        """Close the shared read-only store now if no request is using it."""
        with self._mu:
            shared = self._shared
            if shared is not None and shared.users == 0:
                self._shared = None
                _close(shared.store)

    def _acquire(self) -> _Shared:
        with self._mu:
            shared = self._shared
            if shared is None or shared.broken or time.monotonic() - shared.opened > self.max_age_s:
                if shared is not None and shared.users == 0:
                    _close(shared.store)
                shared = _Shared(self._open(read_only=True))  # an old one in use closes on release
                self._shared = shared
            shared.users += 1
            return shared

    def _yield_to_writer(self) -> None:
        """While another process (a ``kronika ingest`` between batches, see
        ``kronika.store.writer``) announces it wants to write, open nothing: close the idle
        read handle and wait with back-off; still waiting after ~3 s means busy (K410)."""
        delay = OPEN_BACKOFF_S
        for _ in range(OPEN_RETRIES):
            if not writer_waiting(self.path):
                return
            self.close()
            time.sleep(delay)
            delay *= 2
        if writer_waiting(self.path):
            raise StoreBusy("another process is writing the store; retry shortly", code="K410")

    def _release(self, handle: _Shared) -> None:
        with self._mu:
            handle.users -= 1
            handle.released = time.monotonic()
            if handle.users == 0 and (handle is not self._shared or writer_waiting(self.path)):
                if handle is self._shared:
                    self._shared = None  # a writer waits: let it have the file now
                _close(handle.store)
                return
            if handle.reap_scheduled:
                return  # the pending check re-arms itself until the handle is idle
            handle.reap_scheduled = True
        self._watchdog.call_later(self.linger_s, lambda: self._close_if_idle(handle))

    def _close_if_idle(self, handle: _Shared) -> None:
        """Close the shared handle once it has been idle ``linger_s``; else check again."""
        with self._mu:
            if handle is not self._shared:
                handle.reap_scheduled = False
                return
            idle_for = time.monotonic() - handle.released
            if handle.users == 0 and idle_for >= self.linger_s * 0.99:
                self._shared = None
                handle.reap_scheduled = False
                _close(handle.store)
                return
            again = self.linger_s - idle_for if handle.users == 0 else self.linger_s
        self._watchdog.call_later(max(again, 0.01), lambda: self._close_if_idle(handle))

    def _open(self, *, read_only: bool) -> Any:
        delay = OPEN_BACKOFF_S
        last: Exception | None = None
        for _ in range(OPEN_RETRIES):
            try:
                return self._opener(self.path, read_only)
            except Exception as exc:  # duckdb.IOException (lock held) or StoreError
                if not _looks_locked(exc):
                    raise
                last = exc
                time.sleep(delay)
                delay *= 2
        raise StoreBusy(f"store is locked by another writer ({last}); retry shortly", code="K410")


class _Shared:
    """A read-only store and how many requests are using it."""

    def __init__(self, store: Any) -> None:
        self.store = store
        self.users = 0
        self.opened = time.monotonic()
        self.released = self.opened
        self.broken = False
        self.reap_scheduled = False  # a linger check is pending on the watchdog


def _open_store(path: Path, read_only: bool) -> Any:
    from kronika.store import Store

    return Store(path, read_only=read_only)


def _close(store: Any) -> None:
    close = getattr(store, "close", None)
    if close is not None:
        close()


def _looks_locked(exc: BaseException) -> bool:
    """True for the errors DuckDB gives while another process holds the file lock."""
    seen: BaseException | None = exc
    while seen is not None:
        text = str(seen).lower()
        if "lock" in text or "conflicting" in text or "different configuration" in text:
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def interrupt(store: Any) -> None:
    """Ask DuckDB to stop the query running on ``store`` (used by the query timeout)."""
    for name in ("interrupt",):
        fn = getattr(store, name, None)
        if callable(fn):
            fn()
            return
    for attr in ("con", "conn", "connection", "db"):
        con = getattr(store, attr, None)
        fn = getattr(con, "interrupt", None)
        if callable(fn):
            fn()
            return
