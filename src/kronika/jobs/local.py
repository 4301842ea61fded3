"""Batch jobs that join the stages to the store: streaming ingest with bounded memory.

Articles flow: readers → skip ids already stored (cheap, resumable) → ``nlp.pipe`` in
batches (optionally several processes) → extraction → one store transaction per batch.
Memory stays flat: at most one write batch of analyses is held at a time. A bad record
or an article whose extraction fails is recorded as an ``IngestProblem`` (stored in
``ingest_errors``) and the run goes on.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from kronika.actors import LearnedIndex
from kronika.config import Settings
from kronika.errors import StoreError
from kronika.ingest import iter_records
from kronika.model import Analysis, Article, IngestProblem
from kronika.pipeline import Pipeline, collect_errors
from kronika.store import Store
from kronika.store.db import BatchResult
from kronika.store.writer import SharedWriter

Progress = Callable[[int], None]


@dataclass
class IngestReport:
    """What one ingest run did; printed by the CLI, returned by the library."""

    articles_seen: int = 0
    articles_written: int = 0
    articles_skipped: int = 0
    events_written: int = 0
    problems: list[IngestProblem] = field(default_factory=list)
    learned_snapshot: int | None = None  # the learned-actor snapshot the job coded with
    compacted: bool = False


def ingest(
    paths: Iterable[Path | str],
    settings: Settings,
    *,
    store: Store | SharedWriter,
    pipeline: Pipeline | None = None,
    progress: Progress | None = None,
) -> IngestReport:
    """Read, analyse and store every article under ``paths``; idempotent and resumable.

    A pipeline built here knows the people earlier *completed* ingests taught (the
    learned-actor snapshot, see ``Store.learned_snapshot``); once all input is stored the
    snapshot is refreshed for the next job. So a job killed and resumed stores exactly
    what one uninterrupted job stores. ``store`` may be a ``SharedWriter`` (the CLI), which
    holds the file only while it writes a batch."""
    report = IngestReport()
    if pipeline is None:
        report.learned_snapshot, index = learned_index_and_id(store)
        pipeline = Pipeline(settings, learned=index)
    pending_problems: list[IngestProblem] = []
    fresh = new_articles(iter_records(paths, settings), store, report, pending_problems)

    batch: list[Analysis] = []
    for analysis in pipeline.analyze_many(
        fresh, n_process=settings.workers, on_error=collect_errors(pending_problems)
    ):
        batch.append(analysis)
        if len(batch) >= settings.batch_size:
            write_results(store, batch, pending_problems, report, progress)
    write_results(store, batch, pending_problems, report, progress)
    finish(store, report, settings)
    return report


def finish(store: Store | SharedWriter, report: IngestReport, settings: Settings) -> None:
    """After all input is stored: refresh the learned snapshot (only a completed job
    teaches the next one) and compact the events table after a large load."""
    if report.articles_written:
        store.refresh_learned()
    report.compacted = maybe_compact(store, report, settings)


def maybe_compact(store: Store | SharedWriter, report: IngestReport, settings: Settings) -> bool:
    """``Store.compact`` (one transaction, then CHECKPOINT) when the job wrote at least
    ``compact_after_events`` events: bulk loads leave ``events`` in arrival order."""
    threshold = settings.store.compact_after_events
    if threshold <= 0 or report.events_written < threshold:
        return False
    store.compact()
    return True


def learned_index(store: Store | SharedWriter) -> LearnedIndex:
    """What completed ingests taught about people (appositives seen in other articles)."""
    return learned_index_and_id(store)[1]


def learned_index_and_id(store: Store | SharedWriter) -> tuple[int, LearnedIndex]:
    """The frozen learned-actor snapshot: its id and the index built from it."""
    sid, rows = store.learned_snapshot()
    return sid, LearnedIndex.from_rows(rows)


def new_articles(
    records: Iterator[Article | IngestProblem],
    store: Store | SharedWriter,
    report: IngestReport,
    problems: list[IngestProblem],
    chunk: int = 256,
) -> Iterator[Article]:
    """Articles not yet stored (nor seen earlier in this run), looked up a chunk at a time;
    bad records go to ``problems``. Shared by the local and the Dask job."""
    seen: set[str] = set()
    buf: list[Article] = []

    def drain() -> Iterator[Article]:
        known = store.known_article_ids(a.id for a in buf)
        for a in buf:
            if a.id in known or a.id in seen:
                report.articles_skipped += 1
                continue
            seen.add(a.id)
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
    store: Store | SharedWriter,
    analyses: list[Analysis],
    problems: list[IngestProblem],
    report: IngestReport,
    progress: Progress | None,
) -> None:
    """Write one batch (one transaction), add it to ``report``, then empty both lists."""
    if not analyses and not problems:
        return
    try:
        result = store.write_batch(analyses, problems)
    except StoreError as exc:
        if exc.code != "K407" or not analyses:
            raise
        result = _write_one_by_one(store, analyses, problems, exc)
    report.articles_written += result.articles_written
    report.articles_skipped += result.articles_skipped
    report.events_written += result.events_written
    report.problems.extend(problems)
    if progress is not None:
        progress(len(analyses))
    analyses.clear()
    problems.clear()


def _write_one_by_one(
    store: Store | SharedWriter,
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
            one = store.write_batch([a])
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
        store.record_problems(problems)
    except StoreError as exc:
        raise batch_error from exc
    return BatchResult(articles_written=written, articles_skipped=skipped,
                       events_written=events, problems=len(problems))
