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

import importlib
from typing import Any

__version__ = "0.1.0"

_EXPORTS = {
    "Settings": "kronika.config",
    "Pipeline": "kronika.pipeline",
    "analyses_of": "kronika.library",
    "analyze": "kronika.library",
    "query_events": "kronika.library",
    "stats": "kronika.library",
    "export": "kronika.library",
    "extract": "kronika.library",
    "ingest_paths": "kronika.library",
}

__all__ = [
    "Pipeline", "Settings", "__version__", "analyses_of", "analyze", "export", "extract", "ingest_paths",
    "query_events", "stats",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'kronika' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
