"""The Python API behind ``kronika`` (the CLI only wraps these).

    >>> import kronika
    >>> events = kronika.extract("Japan and Russia met on Thursday.", "2019-05-30")

Models load when a ``Pipeline`` is built; pass one in to reuse it across calls (building
one takes a few seconds). Nothing here keeps hidden module-level caches.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from kronika.config import Settings
from kronika.ingest import iter_records
from kronika.model import Analysis, Article, Event, IngestProblem
from kronika.pipeline import Pipeline, collect_errors
from kronika.run.report import IngestReport


def _as_date(date: str | dt.date) -> dt.date:
    return dt.date.fromisoformat(date) if isinstance(date, str) else date


def analyze(text: str, date: str | dt.date, *, pipeline: Pipeline | None = None, **meta: str) -> Analysis:
    """Analyse one article given as text and its date."""
    pipeline = pipeline or Pipeline()
    return pipeline.analyze(Article.create(text, _as_date(date), **meta))


def extract(text: str, date: str | dt.date, *, pipeline: Pipeline | None = None) -> list[Event]:
    """The events of one article."""
    return list(analyze(text, date, pipeline=pipeline).events)


def analyses_of(
    paths: Iterable[Path | str],
    settings: Settings | None = None,
    problems: list[IngestProblem] | None = None,
    *,
    pipeline: Pipeline | None = None,
) -> Iterator[Analysis]:
    """Analyse every article under ``paths`` (models loaded once); bad records are appended
    to ``problems`` and skipped."""
    settings = settings or Settings()
    pipeline = pipeline or Pipeline(settings)
    sink = problems if problems is not None else []

    def articles() -> Iterator[Article]:
        for rec in iter_records(paths, settings):
            if isinstance(rec, IngestProblem):
                sink.append(rec)
            else:
                yield rec


    yield from pipeline.analyze_many(articles(), n_process=settings.workers, on_error=collect_errors(sink))


def ingest_paths(paths: Sequence[Path | str], db: Path | str | None = None, *, settings: Settings | None = None,
                 pipeline: Pipeline | None = None) -> IngestReport:
    """Store every article under ``paths`` in the DuckDB file ``db``; returns an IngestReport.

    The run layer's loop, as ``kronika ingest`` runs it: the file is opened for each batch
    (``SharedWriter``), so memory stays flat however large the database grows, and readers
    get in between batches. Not called ``kronika.ingest``: that name is the ingest stage's
    package, and importing it would shadow a function of the same name on the module."""
    from kronika.run import ingest
    from kronika.store.access import SharedWriter

    settings = settings or Settings()
    if db is not None:
        settings = settings.replace(db_path=db)
    return ingest(paths, settings, store=SharedWriter.from_settings(settings), pipeline=pipeline)


def query_events(db: Path | str = "kronika.duckdb", **filters: Any) -> list[dict[str, Any]]:
    """Stored events matching ``filters`` (the fields of ``kronika.query.EventFilter``):
    ``limit`` of them (default 100, any number: never capped), newest first.

    Named ``query_events`` because ``kronika.events`` is the events stage package."""
    from kronika.query import EventFilter, find_events
    from kronika.store import Store

    flt = EventFilter(**filters)
    with Store(db, read_only=True) as store:
        return find_events(store, flt, max_page=max(flt.limit, 1))


def stats(db: Path | str = "kronika.duckdb") -> dict[str, Any]:
    """Summary of a store: articles, events by type/status/quad class, top dyads."""
    from kronika.query import summary
    from kronika.store import Store

    with Store(db, read_only=True) as store:
        return summary(store)


def export(db: Path | str, fmt: str, dest: Path | str) -> list[Path]:
    """Export a store into the folder ``dest`` as parquet, jsonl, csv, plover, gexf or geojson
    (with codebook.md and metadata.json); returns the files written."""
    from kronika.exports import export as run_export
    from kronika.store import Store

    with Store(db, read_only=True) as store:
        return run_export(store, fmt, Path(dest)).files
