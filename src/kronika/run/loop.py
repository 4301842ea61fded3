"""The one ingest loop: records → skip what is stored → analyse → write in batches.

Every way into the store runs this loop — ``kronika ingest`` and ``kronika watch``, the
Python API (``kronika.ingest_paths``), Dask workers (``jobs.dask``) and ``POST
/api/articles`` — so the same article gets the same records whichever way it came in.
The entry points keep only their own concerns (arguments, HTTP, scheduling, a cluster).

``Runner`` is the one place that builds the analysis pipeline with the learned-actor
snapshot (people earlier *completed* ingests taught, see ``Store.learned_snapshot``) and
the one place that refreshes it: a long-lived runner (``watch``, the API) swaps in the new
snapshot when a completed run changed it, as a fresh ``kronika ingest`` would see it.

Memory stays flat: at most one write batch of analyses is held at a time. A bad record or
an article whose extraction fails is recorded as an ``IngestProblem`` (stored in
``ingest_errors``) with the next batch and the run goes on; a batch the store refuses
(K407) is written again one article at a time, so one refused record costs only itself.
"""

from __future__ import annotations

import copy
import dataclasses
import itertools
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path

from kronika.actors import LearnedIndex
from kronika.config import Settings
from kronika.errors import StoreError
from kronika.ingest import iter_records
from kronika.model import Analysis, Article, IngestProblem
from kronika.pipeline import Pipeline, collect_errors
from kronika.run.report import Duplicate, IngestReport, Progress
from kronika.store.access import Writer
from kronika.store.db import BatchResult

# Analyse a stream of fresh articles; failures go into the problem list, in any order.
Analyse = Callable[[Iterator[Article], list[IngestProblem]], Iterator[Analysis]]
Stored = Callable[[Sequence[Analysis]], None]  # the analyses a batch wrote
Skipped = Callable[[Article], None]  # an article not analysed: it is already stored


class Runner:
    """The ingest loop over one ``Writer``, with the pipeline that knows the learned snapshot.

    ``pipeline`` (or one ``factory`` builds when first needed): used as given (tests, a
    caller that set its own learned index); by default the runner builds it on first use from ``settings`` and
    the store's learned snapshot, and rebuilds the actor stage's index (nothing else is
    reloaded) whenever a later run finds a newer snapshot."""

    def __init__(self, settings: Settings, writer: Writer, *, pipeline: Pipeline | None = None,
                 factory: Callable[[], Pipeline] | None = None) -> None:
        self.settings = settings
        self.writer = writer
        self._pipeline = pipeline
        self._factory = factory  # builds a pipeline to use as given, at the first fresh article
        self._owned = pipeline is None and factory is None
        self.snapshot: int | None = None  # the snapshot id the owned pipeline codes with

    def pipeline(self, stored_snapshot: int | None = None) -> Pipeline:
        """The pipeline for the next run: built, or refreshed when the stored snapshot
        (``stored_snapshot`` if the caller just read its id) is not the one it codes with."""
        if not self._owned:
            if self._pipeline is None:
                assert self._factory is not None
                self._pipeline = self._factory()
            return self._pipeline
        if self._pipeline is None:
            self.snapshot, index = learned_index_and_id(self.writer)
            self._pipeline = Pipeline(self.settings, learned=index)
        else:
            sid = self.writer.learned_snapshot_id() if stored_snapshot is None else stored_snapshot
            if sid != self.snapshot:
                self.snapshot, index = learned_index_and_id(self.writer)
                self._pipeline = with_learned(self._pipeline, index)
        return self._pipeline

    def learned(self) -> tuple[int, LearnedIndex]:
        """The stored snapshot's id and index, for analysis done elsewhere (Dask workers)."""
        return learned_index_and_id(self.writer)

    def ingest_paths(self, paths: Iterable[Path | str], *, progress: Progress | None = None) -> IngestReport:
        """Read, analyse and store every article under ``paths``; idempotent and resumable."""
        return self.ingest(iter_records(paths, self.settings), progress=progress)

    def ingest(
        self,
        records: Iterable[Article | IngestProblem],
        *,
        analyse: Analyse | None = None,
        snapshot: int | None = None,
        n_process: int | None = None,
        progress: Progress | None = None,
        on_stored: Stored | None = None,
        on_skipped: Skipped | None = None,
    ) -> IngestReport:
        """Store the articles among ``records`` (problems among them are recorded).

        ``analyse`` replaces the local pipeline (Dask; ``snapshot`` then names the learned
        snapshot it codes with); ``n_process`` overrides ``settings.workers`` (the API
        analyses in its own thread). Once all input is stored the learned snapshot is
        refreshed for the next run, so a run killed and resumed stores exactly what one
        uninterrupted run stores."""
        report = IngestReport(learned_snapshot=snapshot)
        if analyse is None:
            if self._owned:  # the store is opened before reading: a damaged one is K401 at once
                report.learned_snapshot = self.writer.learned_snapshot_id()
            analyse = self._local_analyse(report, n_process or self.settings.workers)
        pending: list[IngestProblem] = []
        fresh = new_articles(records, self.writer, report, pending, on_skipped=on_skipped)
        batch: list[Analysis] = []
        for analysis in analyse(fresh, pending):
            batch.append(analysis)
            if len(batch) >= self.settings.batch_size:
                write_results(self.writer, batch, pending, report, progress, on_stored)
        write_results(self.writer, batch, pending, report, progress, on_stored)
        finish(self.writer, report, self.settings)
        return report

    def _local_analyse(self, report: IngestReport, n_process: int) -> Analyse:
        """Analysis in this process (``nlp.pipe`` batches, optionally several processes).
        The pipeline is built (or refreshed) at the first fresh article: a run with
        nothing new — a re-ingest, a request of stored articles — loads no model."""

        def analyse(articles: Iterator[Article], problems: list[IngestProblem]) -> Iterator[Analysis]:
            first = next(articles, None)
            if first is None:
                return
            pipeline = self.pipeline(report.learned_snapshot)
            report.learned_snapshot = self.snapshot if self._owned else None
            yield from pipeline.analyze_many(itertools.chain([first], articles), n_process=n_process,
                                             on_error=collect_errors(problems))

        return analyse


def ingest(
    paths: Iterable[Path | str],
    settings: Settings,
    *,
    store: Writer,
    pipeline: Pipeline | None = None,
    progress: Progress | None = None,
) -> IngestReport:
    """Read, analyse and store every article under ``paths``; idempotent and resumable.

    A pipeline built here knows the people earlier *completed* ingests taught; once all
    input is stored the snapshot is refreshed for the next run. ``store`` is any
    ``Writer``: a ``SharedWriter`` (the CLI) holds the file only while it writes a batch."""
    return Runner(settings, store, pipeline=pipeline).ingest_paths(paths, progress=progress)


def with_learned(pipeline: Pipeline, index: LearnedIndex) -> Pipeline:
    """``pipeline`` coding with another learned index: the parser and every other stage
    are shared (no model or knowledge base is loaded again); only the actor stage is a
    shallow copy holding the new index, so a pipeline in use elsewhere is not changed."""
    actors = copy.copy(pipeline.stages.actors)
    actors.learned = index
    stages = dataclasses.replace(pipeline.stages, actors=actors)
    return Pipeline(pipeline.settings, parser=pipeline.parser, stages=stages)


def learned_index_and_id(writer: Writer) -> tuple[int, LearnedIndex]:
    """The frozen learned-actor snapshot: its id and the index built from it."""
    sid, rows = writer.learned_snapshot()
    return sid, LearnedIndex.from_rows(rows)


def learned_index(writer: Writer) -> LearnedIndex:
    """What completed ingests taught about people (appositives seen in other articles)."""
    return learned_index_and_id(writer)[1]


def finish(writer: Writer, report: IngestReport, settings: Settings) -> None:
    """After all input is stored: refresh the learned snapshot (only a completed run
    teaches the next one) and compact the events table after a large load."""
    if report.articles_written:
        writer.refresh_learned()
    report.compacted = maybe_compact(writer, report, settings)


def maybe_compact(writer: Writer, report: IngestReport, settings: Settings) -> bool:
    """``Store.compact`` (one transaction, then CHECKPOINT) when the run wrote at least
    ``store.compact_after_events`` events: bulk loads leave ``events`` in arrival order."""
    threshold = settings.store.compact_after_events
    if threshold <= 0 or report.events_written < threshold:
        return False
    writer.compact()
    return True


def new_articles(
    records: Iterable[Article | IngestProblem],
    writer: Writer,
    report: IngestReport,
    problems: list[IngestProblem],
    chunk: int = 256,
    on_skipped: Skipped | None = None,
) -> Iterator[Article]:
    """Articles not yet stored (nor seen earlier in this run), looked up a chunk at a time;
    bad records go to ``problems``; content duplicates under another name go to
    ``report.duplicates``."""
    seen: dict[str, tuple[str | None, str | None]] = {}  # id → (doc_id, origin): no text held
    buf: list[Article] = []

    def drain() -> Iterator[Article]:
        known = writer.stored_articles([a.id for a in buf]) if buf else {}
        for a in buf:
            if a.id in known or a.id in seen:
                report.articles_skipped += 1
                earlier = known[a.id] if a.id in known else seen[a.id]
                if earlier[0] != a.doc_id or a.id in seen:
                    report.duplicates.append(Duplicate(
                        a.origin or a.id, a.id, a.doc_id, earlier[0] or earlier[1]))
                if on_skipped is not None:
                    on_skipped(a)
                continue
            seen[a.id] = (a.doc_id, a.origin)
            yield a
        buf.clear()

    for rec in records:
        if isinstance(rec, IngestProblem):
            problems.append(rec)
            continue
        report.articles_seen += 1
        buf.append(rec)
        if len(buf) >= chunk:
            yield from drain()
    yield from drain()


def write_results(
    writer: Writer,
    analyses: list[Analysis],
    problems: list[IngestProblem],
    report: IngestReport,
    progress: Progress | None = None,
    on_stored: Stored | None = None,
) -> None:
    """Write one batch (one transaction), add it to ``report``, then empty both lists."""
    if not analyses and not problems:
        return
    try:
        result = writer.write_batch(analyses, problems)
    except StoreError as exc:
        if exc.code != "K407" or not analyses:
            raise
        result = _write_one_by_one(writer, analyses, problems, exc)
    report.articles_written += result.articles_written
    report.articles_skipped += result.articles_skipped
    report.events_written += result.events_written
    report.problems.extend(problems)
    if on_stored is not None:
        refused = {p.origin for p in problems if p.code == "K407"}
        on_stored([a for a in analyses if (a.article.origin or a.article.id) not in refused])
    if progress is not None:
        progress(len(analyses))
    analyses.clear()
    problems.clear()


def _write_one_by_one(
    writer: Writer,
    analyses: list[Analysis],
    problems: list[IngestProblem],
    batch_error: StoreError,
) -> BatchResult:
    """A batch that could not be written (K407): write its articles one at a time, so one
    record the store refuses costs only that record. Each refused article becomes a K407
    problem in ``problems`` (and so in ``ingest_errors``). When recording the problems
    fails too, the store itself is at fault and the original error is raised."""
    written = skipped = events = 0
    refused: list[IngestProblem] = []
    for a in analyses:
        try:
            one = writer.write_batch([a])
        except StoreError as exc:
            if exc.code != "K407":
                raise
            refused.append(IngestProblem(
                a.article.origin or a.article.id,
                f"article {a.article.id} not stored: {exc.args[0]}", "K407",
            ))
            continue
        written += one.articles_written
        skipped += one.articles_skipped
        events += one.events_written
    problems.extend(refused)
    try:
        writer.record_problems(problems)
    except StoreError as exc:
        raise batch_error from exc
    return BatchResult(articles_written=written, articles_skipped=skipped,
                       events_written=events, problems=len(problems))
