"""Scale-out ingest on a Dask cluster (``kronika ingest --dask ADDRESS|local``).

Reading and deduplication stay on the client (they are cheap and need the store); the
expensive per-article work — parse and extraction — runs on the workers, in chunks. Each
worker builds the ``Pipeline`` once, in a worker plugin, so models load once per worker
process, not per task. Results come back as ``Analysis`` records and go through the
store's single writer, one transaction per ``batch_size`` analyses, so the store never sees two writers
and a crash loses at most the chunks in flight (re-running skips what is stored). The
loop itself — skip, batch, write, refresh the learned snapshot — is the run layer's
(``kronika.run.Runner``); this module only supplies the cluster analysis.

Point it at a real cluster with ``--dask tcp://scheduler:8786``: every worker needs the
same ``kronika`` install (same pins) as the client; nothing else is shipped.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from kronika.actors import LearnedIndex
from kronika.config import Settings
from kronika.errors import ConfigError
from kronika.ingest import iter_records
from kronika.model import Analysis, Article, IngestProblem
from kronika.run import IngestReport, Progress, Runner
from kronika.run.loop import Analyse
from kronika.store.access import Writer

try:  # the [dask] extra is optional; ``_client`` reports its absence clearly
    from distributed import WorkerPlugin
except ImportError:  # pragma: no cover
    WorkerPlugin = object  # type: ignore[misc,assignment]

PLUGIN_NAME = "kronika-pipeline"


class PipelinePlugin(WorkerPlugin):
    """A Dask worker plugin that owns the worker's one ``Pipeline``."""

    name = PLUGIN_NAME

    def __init__(self, settings: Settings, learned: LearnedIndex | None = None) -> None:
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
    store: Writer,
    address: str = "local",
    chunk_size: int = 64,
    progress: Progress | None = None,
    client: Any = None,
) -> IngestReport:
    """The run layer's loop with the analysis on the cluster; writes go through this
    process's ``store`` writer (reading and the skip test stay here too)."""
    own = client is None
    client = client or _client(address, settings)
    try:
        runner = Runner(settings, store)
        snapshot, index = runner.learned()
        client.register_plugin(PipelinePlugin(settings, index), name=PLUGIN_NAME)
        return runner.ingest(iter_records(paths, settings), analyse=cluster_analyse(client, chunk_size),
                             snapshot=snapshot, progress=progress)
    finally:
        if own:
            cluster = getattr(client, "cluster", None)
            client.close()
            if cluster is not None:
                cluster.close()


def cluster_analyse(client: Any, chunk_size: int) -> Analyse:
    """An ``Analyse`` for the run layer: chunks go to the workers, at most two per worker
    in flight; analyses come back as chunks complete (any order: the store does not care)."""

    def analyse(articles: Iterator[Article], problems: list[IngestProblem]) -> Iterator[Analysis]:
        from distributed import as_completed

        in_flight = as_completed()
        limit = max(2, 2 * len(client.scheduler_info().get("workers", {})))
        for chunk in _chunks(articles, chunk_size):
            in_flight.add(client.submit(analyze_chunk, chunk, pure=False))
            if in_flight.count() >= limit:
                yield from _done(next(in_flight).result(), problems)
        for fut in in_flight:
            yield from _done(fut.result(), problems)

    return analyse


def _done(result: tuple[list[Analysis], list[IngestProblem]], problems: list[IngestProblem]) -> Iterator[Analysis]:
    analyses, failed = result
    problems.extend(failed)
    yield from analyses


def _chunks(items: Iterator[Article], size: int) -> Iterator[list[Article]]:
    buf: list[Article] = []
    for a in items:
        buf.append(a)
        if len(buf) >= size:
            yield buf
            buf = []
    if buf:
        yield buf
