"""The per-app state every endpoint shares, and running a query under a time limit.

Why a time limit in the API: one unbounded query (a text search over millions of rows)
must not hold a worker thread and the store for minutes. A query that passes the limit
is interrupted in DuckDB and answered with 504.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

import anyio
from fastapi import HTTPException, Request

from kronika.config import Settings
from kronika.store import Store
from kronika.store.access import StoreAccess, interrupt

if TYPE_CHECKING:  # the run layer imports spaCy's pipeline: loaded on the first ingest only
    from kronika.pipeline import Pipeline
    from kronika.run import Runner

T = TypeVar("T")


@dataclass
class ApiContext:
    """What ``create_app`` wires once: settings, store access and the lazy ingest runner.

    ``pipeline_factory``: a pipeline to use as given (tests); ``None`` lets the run layer
    build it with the store's learned-actor snapshot and refresh it, as ``kronika ingest``
    codes, so an article posted here gets the records the CLI would store."""

    settings: Settings
    access: StoreAccess
    pipeline_factory: Callable[[], Pipeline] | None = None
    _runner: Runner | None = None
    _runner_lock: threading.Lock = field(default_factory=threading.Lock)
    analysis_lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def query_timeout_s(self) -> float:
        return self.settings.api.query_timeout_s

    @property
    def max_body(self) -> int:
        return self.settings.api.max_body_bytes

    @property
    def max_articles(self) -> int:
        return self.settings.api.max_articles

    def runner(self) -> Runner:
        """The run layer over this server's store, built on first ingest (the pipeline
        loads spaCy on its first run, seconds; reads never need it)."""
        from kronika.run import Runner

        with self._runner_lock:
            if self._runner is None:
                self._runner = Runner(self.settings, self.access.writer(), factory=self.pipeline_factory)
            return self._runner


def ctx_of(request: Request) -> ApiContext:
    return request.app.state.kronika


async def run_query(request: Request, fn: Callable[[Store], T]) -> T:
    """Run ``fn(store)`` in a worker thread on a read-only store, within the time limit."""
    ctx = ctx_of(request)
    opened: list[Any] = []
    try:
        with anyio.fail_after(ctx.query_timeout_s):
            return await anyio.to_thread.run_sync(
                lambda: ctx.access.read(fn, on_open=opened.append), abandon_on_cancel=True
            )
    except TimeoutError as exc:
        for store in opened:
            try:
                interrupt(store)
            except Exception:  # noqa: BLE001 - best effort; the thread ends on its own
                pass
        raise HTTPException(
            status_code=504, detail=f"query took longer than {ctx.query_timeout_s:g} s; narrow the filter"
        ) from exc
