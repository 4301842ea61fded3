"""The run layer: the one loop that reads, analyses and writes, for every entry point.

``Runner`` (``loop``) is that loop over a ``kronika.store.access.Writer``; ``ingest`` is the
one-call form the CLI, the Python API and the tests use. ``jobs.watch`` schedules runs,
``jobs.dask`` swaps in analysis on a cluster, ``api.ingest`` feeds it validated JSON.
"""

from __future__ import annotations

from kronika.run.loop import (
    Runner,
    finish,
    ingest,
    learned_index,
    learned_index_and_id,
    maybe_compact,
    new_articles,
    with_learned,
    write_results,
)
from kronika.run.report import Duplicate, IngestReport, Progress

__all__ = [
    "Duplicate", "IngestReport", "Progress", "Runner", "finish", "ingest", "learned_index",
    "learned_index_and_id", "maybe_compact", "new_articles", "with_learned", "write_results",
]

