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


@dataclass(frozen=True, slots=True)
class Duplicate:
    """A record skipped because an article with the same text and date is already stored
    (or was read earlier in this run) under another document id or from another place.

    Article ids hash only text and date, so a renamed file or a JSON line with a new
    ``id`` is the same article: the reader is told which one it duplicates."""

    origin: str  # where the skipped record was read (file:line)
    article_id: str  # the article it duplicates (same id: same text and date)
    doc_id: str | None  # the skipped record's own id
    earlier: str | None  # the stored (or earlier) article's doc_id, else its origin

    @property
    def reason(self) -> str:
        where = f" ({self.earlier})" if self.earlier else ""
        return f"same text as article {self.article_id}{where}; not stored again"


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
    # skipped records whose text was stored under another doc id or read twice in this run
    # (a plain re-ingest of the same files is only counted in ``articles_skipped``)
    duplicates: list[Duplicate] = field(default_factory=list)


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
    bad records go to ``problems``; content duplicates under another name go to
    ``report.duplicates``. Shared by the local and the Dask job."""
    seen: dict[str, tuple[str | None, str | None]] = {}  # id → (doc_id, origin): no text held
    buf: list[Article] = []

    def drain() -> Iterator[Article]:
        known = stored_names(store, [a.id for a in buf])
        for a in buf:
            if a.id in known or a.id in seen:
                report.articles_skipped += 1
                earlier = known[a.id] if a.id in known else seen[a.id]
                if earlier[0] != a.doc_id or a.id in seen:
                    report.duplicates.append(Duplicate(
                        a.origin or a.id, a.id, a.doc_id, earlier[0] or earlier[1]))
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


def stored_names(store: Store | SharedWriter, ids: list[str]) -> dict[str, tuple[str | None, str | None]]:
    """``{article id: (doc_id, origin)}`` for the ``ids`` already stored (one indexed
    look-up): the skip test, plus what a duplicate's message names."""
    wanted = list(dict.fromkeys(ids))
    if not wanted:
        return {}
    sql = "SELECT id, doc_id, origin FROM articles WHERE id IN (SELECT unnest($1::VARCHAR[]))"
    if isinstance(store, SharedWriter):
        with store.open() as opened:
            rows = opened.fetch_tuples(sql, [wanted])
    else:
        rows = store.fetch_tuples(sql, [wanted])
    return {r[0]: (r[1], r[2]) for r in rows}


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
