"""Store access in one place: the ``Writer`` protocol, the one-writer protocol and its pieces.

Why one module: DuckDB lets one process open a file for writing and then no other process
may open it at all, and inside one process it refuses to open a file read-only and
read-write at once. Everything that copes with that lives here:

* ``Writer`` — what the run layer (``kronika.run``) needs of a store: skip what is stored,
  write a batch in one transaction, record problems, the learned-actor snapshot, compact.
  ``Store`` implements it directly (a job that owns the file); ``SharedWriter`` (batch jobs:
  ``kronika ingest``, ``watch``, the Python API) and ``StoreAccess.writer()`` (the HTTP API)
  implement it by opening the store for each call and closing it after (``OneCallWriter``).
* ``SharedWriter`` holds the file only while it writes. A ``kronika ingest`` that kept its
  ``Store`` for the whole job made every read of a running ``kronika serve`` answer 503
  for minutes; between batches (seconds of spaCy) the file is now free for readers.
* The write intent: readers must not starve the writer, so a ``SharedWriter`` writes its
  process id to ``<db>.write-intent`` before opening and removes it after closing.
  ``StoreAccess`` closes its idle read handles and holds new reads back while a *live*
  process has announced itself; a stale intent (the writer was killed) is ignored.
* ``StoreAccess`` (the HTTP API): many short read-only opens sharing one anchor store, one
  guarded writer, a readers-writer lock between them. Why not hold connections for the
  server's lifetime: a process that keeps the file open (even read-only) would stop
  ``kronika ingest`` in another process from ever writing. When the file is locked by
  another process the open is retried with back-off and, failing that, reported as busy
  (``StoreBusy`` K410: HTTP 503 with Retry-After).

Readers get a read-only ``Store`` (the query layer's one type); writers are typed by
``Writer``.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Protocol, TypeVar, runtime_checkable

from kronika.config import Settings
from kronika.deadline import Watchdog
from kronika.errors import QueryError, StoreError
from kronika.model import Analysis, IngestProblem
from kronika.store.clustering import DEFAULT_RULE, ClusterRule
from kronika.store.db import BatchResult, Store

T = TypeVar("T")

StoredNames = dict[str, tuple[str | None, str | None]]  # article id -> (doc_id, origin)


@runtime_checkable
class Writer(Protocol):
    """The store as the run layer writes it; ``Store``, ``SharedWriter`` and the API's
    ``StoreAccess.writer()`` implement it."""

    def stored_articles(self, ids: Iterable[str]) -> StoredNames:
        """``{id: (doc_id, origin)}`` for those of ``ids`` already stored."""
        ...

    def known_article_ids(self, ids: Iterable[str]) -> set[str]:
        """Which of ``ids`` are already stored."""
        ...

    def write_batch(self, analyses: Sequence[Analysis], problems: Sequence[IngestProblem] = ()) -> BatchResult:
        """Store new articles (and ``problems``) in one transaction; stored ones are skipped."""
        ...

    def record_problems(self, problems: Sequence[IngestProblem]) -> int:
        """Store records that could not be ingested."""
        ...

    def learned_snapshot(self) -> tuple[int, list[dict[str, Any]]]:
        """(id, rows) of the frozen learned-actor snapshot."""
        ...

    def learned_snapshot_id(self) -> int:
        """The snapshot's id alone (cheap)."""
        ...

    def refresh_learned(self) -> int:
        """Recompute the snapshot after a completed job; its id."""
        ...

    def compact(self) -> int:
        """Rewrite ``events`` in date order."""
        ...


class OneCallWriter:
    """A ``Writer`` that reaches the store anew for every call (``_call``): the file is
    held only for the length of one transaction."""

    def _call(self, fn: Callable[[Store], T]) -> T:
        raise NotImplementedError

    def stored_articles(self, ids: Iterable[str]) -> StoredNames:
        wanted = list(ids)
        return self._call(lambda store: store.stored_articles(wanted)) if wanted else {}

    def known_article_ids(self, ids: Iterable[str]) -> set[str]:
        wanted = list(ids)
        return self._call(lambda store: store.known_article_ids(wanted)) if wanted else set()

    def write_batch(self, analyses: Sequence[Analysis], problems: Sequence[IngestProblem] = ()) -> BatchResult:
        return self._call(lambda store: store.write_batch(analyses, problems))

    def record_problems(self, problems: Sequence[IngestProblem]) -> int:
        return self._call(lambda store: store.record_problems(problems))

    def learned_snapshot(self) -> tuple[int, list[dict[str, Any]]]:
        return self._call(lambda store: store.learned_snapshot())

    def learned_snapshot_id(self) -> int:
        return self._call(lambda store: store.learned_snapshot_id())

    def learned_actor_rows(self) -> list[dict[str, Any]]:
        return self._call(lambda store: store.learned_actor_rows())

    def refresh_learned(self) -> int:
        return self._call(lambda store: store.refresh_learned())

    def compact(self) -> int:
        return self._call(lambda store: store.compact())


# ---------------------------------------------------------------------- the write intent

INTENT_SUFFIX = ".write-intent"
STALE_INTENT_S = 120.0  # an intent older than this is ignored even if its pid is alive


def intent_path(db: Path | str) -> Path:
    """Where a writer announces that it wants ``db``."""
    return Path(str(db) + INTENT_SUFFIX)


def writer_waiting(db: Path | str, *, own_pid: int | None = None) -> bool:
    """True while a live process other than ``own_pid`` has announced it wants to write ``db``."""
    path = intent_path(db)
    try:
        age = time.time() - path.stat().st_mtime
        pid = int(path.read_text(encoding="ascii").strip() or "0")
    except (OSError, ValueError):
        return False
    if age > STALE_INTENT_S or pid <= 0 or pid == (own_pid or os.getpid()):
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class SharedWriter(OneCallWriter):
    """The batch jobs' ``Writer``: every call opens, uses and closes the store.

    ``wait_s``: how long one call retries while readers (or another writer) hold the
    file before it gives up with ``StoreError`` K402.
    """

    def __init__(self, path: Path | str, *, wait_s: float = 60.0, backoff_s: float = 0.05,
                 cluster_rule: ClusterRule = DEFAULT_RULE) -> None:
        self.path = Path(path)
        self.cluster_rule = cluster_rule
        self.wait_s = wait_s
        self.backoff_s = backoff_s
        self.opens = 0  # how many times the file was opened (tests check the release)

    @classmethod
    def from_settings(cls, settings: Settings) -> SharedWriter:
        """The writer for ``settings.db_path``, clustering by ``settings``' rule
        (``cluster_window_days``, ``cluster_distance_km``)."""
        return cls(settings.db_path, cluster_rule=ClusterRule.from_settings(settings))

    @contextmanager
    def open(self) -> Iterator[Store]:
        """The store, opened read-write for one operation and closed after it."""
        intent = intent_path(self.path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        intent.write_text(str(os.getpid()), encoding="ascii")
        try:
            store = self._open()
            try:
                yield store
            finally:
                store.close()
        finally:
            intent.unlink(missing_ok=True)

    def _open(self) -> Store:
        deadline = time.monotonic() + self.wait_s
        delay = self.backoff_s
        while True:
            try:
                store = Store(self.path, cluster_rule=self.cluster_rule)
            except StoreError as exc:
                if exc.code != "K402" or time.monotonic() + delay > deadline:
                    raise
                time.sleep(delay)
                delay = min(delay * 2, 1.0)
                continue
            self.opens += 1
            return store

    def _call(self, fn: Callable[[Store], T]) -> T:
        with self.open() as store:
            return fn(store)

    def import_export(self, folder: Path | str) -> BatchResult:
        return self._call(lambda store: store.import_export(folder))

    def recluster(self) -> int:
        """Redo every cluster under this writer's rule (a store built with other
        ``cluster_*`` settings); returns the number of clusters."""
        return self._call(lambda store: store.recluster())

    def scalar(self, sql: str, params: Sequence[Any] = ()) -> Any:
        return self._call(lambda store: store.scalar(sql, params))


# ---------------------------------------------------------------------- the API's access

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

    def __init__(self, path: Path, opener: Callable[[Path, bool], Store] | None = None,
                 linger_s: float = 1.0, max_age_s: float = 30.0) -> None:
        self.path = path
        self.linger_s, self.max_age_s = linger_s, max_age_s
        self._opener = opener or _open_store
        self._lock = ReadWriteLock()
        self._mu = threading.Lock()
        self._shared: _Shared | None = None
        # One thread closes idle read handles for every request (not a Timer per read).
        self._watchdog = Watchdog("kronika-store-linger")

    def read(self, fn: Callable[[Store], T], on_open: Callable[[Store], None] | None = None) -> T:
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

    def writer(self) -> Writer:
        """This store as a ``Writer`` for the run layer: each call runs under ``write``."""
        return LockedWriter(self)

    def write(self, fn: Callable[[Store], T]) -> T:
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
        ``SharedWriter``) announces it wants to write, open nothing: close the idle
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

    def _open(self, *, read_only: bool) -> Store:
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


class LockedWriter(OneCallWriter):
    """The HTTP API's ``Writer``: each call takes ``StoreAccess``'s write lock, opens the
    file read-write, runs one transaction and closes it (readers wait only that long)."""

    def __init__(self, access: StoreAccess) -> None:
        self.access = access
        self.path = access.path

    def _call(self, fn: Callable[[Store], T]) -> T:
        return self.access.write(fn)

    def stored_articles(self, ids: Iterable[str]) -> StoredNames:
        """The skip test is a read: it shares the readers' store instead of taking the
        write lock (and creates no file: nothing is stored where there is none)."""
        wanted = list(ids)
        if not wanted or not self.path.exists():
            return {}
        return self.access.read(lambda store: store.stored_articles(wanted))


class _Shared:
    """A read-only store and how many requests are using it."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.users = 0
        self.opened = time.monotonic()
        self.released = self.opened
        self.broken = False
        self.reap_scheduled = False  # a linger check is pending on the watchdog


def _open_store(path: Path, read_only: bool) -> Store:
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
