"""Kronika: dated news articles in, verifiable event data out.

Public API (a test keeps ``__all__`` in sync with the documentation)::

    kronika.extract(text, date)      → list[Event] for one article
    kronika.analyze(text, date)      → Analysis (times, actors, places, events)
    kronika.analyses_of(paths)       → stream of Analysis for files/directories
    kronika.ingest_paths(paths, db)  → store articles and events in DuckDB
    kronika.query_events(db, **f)    → stored event records
    kronika.stats(db), kronika.export(db, fmt, dest)
    kronika.Pipeline, kronika.Settings

Names load lazily, so ``import kronika.model`` (or the store, or the API) does not pull in
spaCy and every stage.
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"

# Names the library module provides; each loads on first use (see ``__getattr__``).
_LIBRARY = frozenset({"analyses_of", "analyze", "export", "extract", "ingest_paths", "query_events", "stats"})

__all__ = [
    "Pipeline", "Settings", "__version__", "analyses_of", "analyze", "export", "extract", "ingest_paths",
    "query_events", "stats",
]


def __getattr__(name: str) -> Any:
    """The public names, imported on first access with plain imports (so the import graph
    sees them), not at ``import kronika``: the pipeline pulls in spaCy and every stage."""
    if name == "Settings":
        from kronika.config import Settings

        return Settings
    if name == "Pipeline":
        from kronika.pipeline import Pipeline

        return Pipeline
    if name in _LIBRARY:
        from kronika import library

        return getattr(library, name)
    raise AttributeError(f"module 'kronika' has no attribute {name!r}")
