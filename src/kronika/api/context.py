"""The per-app state every endpoint shares, and running a query under a time limit.

Why a time limit in the API: one unbounded query (a text search over millions of rows)
must not hold a worker thread and the store for minutes. A query that passes the limit
is interrupted in DuckDB and answered with 504.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

import anyio
from fastapi import HTTPException, Request

from kronika.api.access import StoreAccess, interrupt
from kronika.config import Settings

T = TypeVar("T")


@dataclass
class ApiContext:
    """What ``create_app`` wires once: settings, store access and the lazy pipeline."""

    settings: Settings
    access: StoreAccess
    pipeline_factory: Callable[[], Any] | None
    _pipeline: Any = None
    _pipeline_lock: threading.Lock = field(default_factory=threading.Lock)
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

    def pipeline(self) -> Any:
        """The pipeline, built on first ingest (loading spaCy takes seconds; reads never
        need it)."""
        if self.pipeline_factory is None:
            raise HTTPException(status_code=503, detail="this server was started without a pipeline")
        with self._pipeline_lock:
            if self._pipeline is None:
                self._pipeline = self.pipeline_factory()
            return self._pipeline


def ctx_of(request: Request) -> ApiContext:
    return request.app.state.kronika


async def run_query(request: Request, fn: Callable[[Any], T]) -> T:
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
