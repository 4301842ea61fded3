"""Event volume per period by quad class, for the overview chart.

Why here: ``kronika.query`` has per-dyad series but no all-events series yet. This is the
same kind of named, parameterised query (it reuses ``query.filters.where``), kept small so
it can move into ``kronika.query.aggregates`` unchanged.
"""

from __future__ import annotations

from typing import Any

from kronika.query import QUAD_CLASSES, EventFilter
from kronika.query.filters import where

INTERVALS = ("day", "week", "month", "quarter", "year")


def volume(store: Any, flt: EventFilter, interval: str = "month") -> list[dict[str, Any]]:
    """Rows ``{period, events, <quad class>: n …}`` in period order (dated events only).

    An event counts in the period holding its first day.
    """
    if interval not in INTERVALS:
        raise ValueError(f"interval must be one of {INTERVALS}")
    clause, params = where(flt)
    dated = "e.date_start IS NOT NULL"
    clause = f"{clause} AND {dated}" if clause else f"WHERE {dated}"
    rows = store.fetch_tuples(
        f"""SELECT CAST(date_trunc('{interval}', e.date_start) AS DATE) AS p, e.quad_class, count(*)
            FROM events e {clause} GROUP BY ALL ORDER BY p""",
        params,
    )
    periods: dict[Any, dict[str, Any]] = {}
    for p, quad, n in rows:
        row = periods.setdefault(p, {"period": p.isoformat(), "events": 0, **dict.fromkeys(QUAD_CLASSES, 0)})
        row["events"] += n
        if quad in QUAD_CLASSES:
            row[quad] += n
    return list(periods.values())
