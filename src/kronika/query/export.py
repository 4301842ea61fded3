"""The query side of exports: every matching record, streamed, in the one CSV layout.

The doors that write events as CSV (``kronika events --format csv``, ``kronika export
--format csv``, the API's ``format=csv`` and the dashboard download through it) call
``csv_rows``/``write_csv`` here, so they share ``CSV_COLUMNS``; the layout itself lives in
``kronika.store.eventcsv`` beside its reader (``kronika import``). ``iter_export_records``
reads the full record (evidence spans, date interval, component) that a round trip needs.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from kronika.query.filters import EventFilter, store_where
from kronika.query.records import event_record, event_select
from kronika.store import Store
from kronika.store.eventcsv import CSV_COLUMNS, csv_row, csv_rows, csv_values, safe_text, write_csv

__all__ = ["CSV_COLUMNS", "csv_row", "csv_rows", "csv_values", "iter_export_records", "safe_text", "write_csv"]

_ORDER = "ORDER BY e.article_id, e.sentence, e.event_id"


def iter_export_records(store: Store, flt: EventFilter | None = None, chunk: int = 10_000) -> Iterator[dict[str, Any]]:
    """Every record matching ``flt`` (no paging), with spans and ``component``, in a
    stable order (article, sentence, event), streamed a chunk at a time from one cursor."""
    clause, params = store_where(store, flt or EventFilter())
    with store.cursor() as cur:
        res = cur.execute(
            f"SELECT {event_select(store)}, e.component, a.date AS article_date, a.title AS article_title "
            f"FROM events e JOIN articles a ON a.id = e.article_id {clause} {_ORDER}",
            params,
        )
        names = [d[0] for d in res.description]
        while rows := res.fetchmany(chunk):
            for row in rows:
                values = dict(zip(names, row, strict=True))
                record = event_record(values, spans=True)
                record["component"] = values["component"]
                yield record
