"""The span of the articles' dates, and the events dated outside it.

Why: a corpus of 2004–2008 news mentions 1826 and 1945 in passing, and an event dated by
such a mention stretched the overview's time axis over two centuries (issue 20). Charts
default to the span of the *articles'* dates (what the corpus reports on) and list what
lies outside it instead of drawing it; nothing is dropped, only kept off the default axis.
"""

from __future__ import annotations

import calendar
import datetime as dt
from typing import Any

from kronika.query.filters import EventFilter, store_where
from kronika.query.records import BACKGROUND_DAYS
from kronika.store import Store


def date_span(store: Store, flt: EventFilter | None = None) -> dict[str, Any]:
    """``{"first", "last"}``: the articles' first and last dates (ISO; None when the store
    is empty); ``axis``: the whole months they fall in, the default time axis;
    ``outside``: how many matching events are dated wholly before or after the axis, with
    ``before``/``after`` and ``by_year`` (``[{"year", "events"}]``, by each event's first
    year, oldest first); ``background``: how many matching events end more than
    ``BACKGROUND_DAYS`` before their own article's date."""
    first, last = store.fetch_tuples("SELECT min(date), max(date) FROM articles")[0]
    clause, params = store_where(store, flt or EventFilter())
    out: dict[str, Any] = {
        "first": first.isoformat() if first else None, "last": last.isoformat() if last else None,
        "axis": None, "outside": 0, "before": 0, "after": 0, "by_year": [], "background": 0,
        "background_days": BACKGROUND_DAYS,
    }
    if first is None:
        return out
    first = first.replace(day=1)  # whole months: what a monthly axis shows of the span
    last = dt.date(last.year, last.month, calendar.monthrange(last.year, last.month)[1])
    out["axis"] = [first.isoformat(), last.isoformat()]
    years = store.fetch_tuples(
        f"""SELECT year(e.date_start) AS y, e.date_end < ? AS before, count(*) FROM events e {clause}
            {'AND' if clause else 'WHERE'} e.date_start IS NOT NULL AND (e.date_end < ? OR e.date_start > ?)
            GROUP BY ALL ORDER BY y""",
        [first, *params, first, last],
    )
    by_year: dict[int, int] = {}
    for year, before, n in years:
        out["before" if before else "after"] += int(n)
        by_year[int(year)] = by_year.get(int(year), 0) + int(n)
    out["outside"] = out["before"] + out["after"]
    out["by_year"] = [{"year": y, "events": n} for y, n in sorted(by_year.items())]
    out["background"] = int(store.scalar(
        f"""SELECT count(*) FROM events e JOIN articles a ON a.id = e.article_id {clause}
            {'AND' if clause else 'WHERE'} e.date_end IS NOT NULL AND a.date - e.date_end > ?""",
        [*params, BACKGROUND_DAYS],
    ) or 0)
    return out
