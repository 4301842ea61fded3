"""A batch job's writer that holds the store file only while it writes.

Why: DuckDB lets one process open a file for writing and then no other process may open
it at all, so a ``kronika ingest`` that kept its ``Store`` for the whole job made every
read of a running ``kronika serve`` answer 503 for minutes. ``SharedWriter`` offers the
few ``Store`` methods the jobs use, and each call opens the file read-write, does its one
transaction, and closes it again (commit, then release). Between batches (seconds of
spaCy) the file is free for readers.

Readers must not starve the writer, so the writer announces itself first: it writes its
process id to ``<db>.write-intent`` before opening and removes it after closing. The API
(``kronika.api.access``) closes its idle read handles and holds new reads back while a
*live* process has announced itself; a stale intent (the writer was killed) is ignored.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from kronika.config import Settings
from kronika.errors import StoreError
from kronika.model import Analysis, IngestProblem
from kronika.store.clustering import DEFAULT_RULE, ClusterRule
from kronika.store.db import BatchResult, Store

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


class SharedWriter:
    """Store-like facade for batch jobs: every call opens, uses and closes the store.

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

    # The ``Store`` methods the jobs use ------------------------------------------------

    def known_article_ids(self, ids: Iterable[str]) -> set[str]:
        wanted = list(ids)
        if not wanted:
            return set()
        with self.open() as store:
            return store.known_article_ids(wanted)

    def write_batch(self, analyses: Sequence[Analysis], problems: Sequence[IngestProblem] = ()) -> BatchResult:
        with self.open() as store:
            return store.write_batch(analyses, problems)

    def record_problems(self, problems: Sequence[IngestProblem]) -> int:
        with self.open() as store:
            return store.record_problems(problems)

    def learned_snapshot(self) -> tuple[int, list[dict[str, Any]]]:
        with self.open() as store:
            return store.learned_snapshot()

    def learned_actor_rows(self) -> list[dict[str, Any]]:
        with self.open() as store:
            return store.learned_actor_rows()

    def refresh_learned(self) -> int:
        with self.open() as store:
            return store.refresh_learned()

    def compact(self) -> int:
        with self.open() as store:
            return store.compact()

    def import_export(self, folder: Path | str) -> BatchResult:
        with self.open() as store:
            return store.import_export(folder)

    def scalar(self, sql: str, params: Sequence[Any] = ()) -> Any:
        with self.open() as store:
            return store.scalar(sql, params)
