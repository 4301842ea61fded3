"""The store stage: analyses in a DuckDB file (see ``access`` for the one-writer protocol).

``Store`` writes batches transactionally and idempotently, clusters events across
articles, exports/imports Parquet; ``kronika.query`` reads it.
"""

from kronika.store.dates import date_interval
from kronika.store.db import BatchResult, Store

__all__ = ["BatchResult", "Store", "date_interval"]
