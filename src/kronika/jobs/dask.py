"""Scale-out ingest on a Dask cluster (``kronika ingest --dask ADDRESS|local``).

Reading and deduplication stay on the client (they are cheap and need the store); the
expensive per-article work — parse and extraction — runs on the workers, in chunks. Each
worker builds the ``Pipeline`` once, in a worker plugin, so models load once per worker
process, not per task. Results come back as ``Analysis`` records and go through the
store's single writer, one transaction per chunk, so the store never sees two writers
and a crash loses at most the chunks in flight (re-running skips what is stored).

Point it at a real cluster with ``--dask tcp://scheduler:8786``: every worker needs the
same ``kronika`` install (same pins) as the client; nothing else is shipped.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from kronika.config import Settings
from kronika.errors import ConfigError
from kronika.ingest import iter_records
from kronika.jobs.local import (
    IngestReport,
    Progress,
    finish,
    learned_index_and_id,
    new_articles,
    write_results,
)
from kronika.model import Analysis, Article, IngestProblem
from kronika.store import Store
from kronika.store.writer import SharedWriter

try:  # the [dask] extra is optional; ``_client`` reports its absence clearly
    from distributed import WorkerPlugin
except ImportError:  # pragma: no cover
    WorkerPlugin = object  # type: ignore[misc,assignment]

PLUGIN_NAME = "kronika-pipeline"


class PipelinePlugin(WorkerPlugin):
    """A Dask worker plugin that owns the worker's one ``Pipeline``."""

    name = PLUGIN_NAME

    def __init__(self, settings: Settings, learned: Any = None) -> None:
        self.settings = settings
        self.learned = learned
        self.pipeline: Any = None

    def setup(self, worker: Any) -> None:
        from kronika.pipeline import Pipeline

        self.pipeline = Pipeline(self.settings, learned=self.learned)


def analyze_chunk(articles: list[Article]) -> tuple[list[Analysis], list[IngestProblem]]:
    """Runs on a worker: analyse a chunk with the worker's pipeline."""
    from distributed import get_worker

    from kronika.pipeline import collect_errors

    plugin = get_worker().plugins[PLUGIN_NAME]
    problems: list[IngestProblem] = []


    analyses = list(plugin.pipeline.analyze_many(articles, on_error=collect_errors(problems)))
    return analyses, problems


def _client(address: str, settings: Settings) -> Any:
    try:
        from distributed import Client, LocalCluster
    except ImportError as exc:  # the [dask] extra is optional
        raise ConfigError("Dask is not installed: pip install 'kronika[dask]'", code="K005") from exc
    if address == "local":
        cluster = LocalCluster(n_workers=settings.workers, threads_per_worker=1, processes=True,
                               dashboard_address=None)
        return Client(cluster)
    return Client(address)


def ingest_dask(
    paths: Iterable[Path | str],
    settings: Settings,
    *,
    store: Store | SharedWriter,
    address: str = "local",
    chunk_size: int = 64,
    progress: Progress | None = None,
    client: Any = None,
) -> IngestReport:
    """Analyse on the cluster, write through this process's store writer."""
    from distributed import as_completed

    report = IngestReport()
    problems: list[IngestProblem] = []
    own = client is None
    client = client or _client(address, settings)
    try:
        report.learned_snapshot, index = learned_index_and_id(store)
        client.register_plugin(PipelinePlugin(settings, index), name=PLUGIN_NAME)
        fresh = new_articles(iter_records(paths, settings), store, report, problems)
        in_flight = as_completed()
        limit = max(2, 2 * len(client.scheduler_info().get("workers", {})))
        for chunk in _chunks(fresh, chunk_size):
            in_flight.add(client.submit(analyze_chunk, chunk, pure=False))
            if in_flight.count() >= limit:
                _write(next(in_flight).result(), store, problems, report, progress)
        for fut in in_flight:
            _write(fut.result(), store, problems, report, progress)
        if problems:
            _write(([], []), store, problems, report, progress)
        finish(store, report, settings)
    finally:
        if own:
            cluster = getattr(client, "cluster", None)
            client.close()
            if cluster is not None:
                cluster.close()
    return report


def _write(result: tuple[list[Analysis], list[IngestProblem]], store: Store | SharedWriter,
           problems: list[IngestProblem], report: IngestReport, progress: Progress | None) -> None:
    analyses, failed = result
    problems.extend(failed)
    write_results(store, analyses, problems, report, progress)


def _chunks(items: Iterator[Article], size: int) -> Iterator[list[Article]]:
    buf: list[Article] = []
    for a in items:
        buf.append(a)
        if len(buf) >= size:
            yield buf
            buf = []
    if buf:
        yield buf
