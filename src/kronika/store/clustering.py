"""Cross-article event clustering: the same happening reported by many articles.

Two events are mentions of one happening when they have the same type, the same country
pair (unordered for CONSULT/AGREE/COOPERATE; see ``rows.cluster_key``), compatible dates
and compatible places:

* dates are compatible when their intervals overlap (granularity-aware: "2019-06" covers
  "2019-06-14"); a date that merely fell back to the article date (origin ``document``)
  is widened by one day each way, since reports lag the event by a day;
* places are compatible when the geonameids agree or either is unknown.

Assignment is incremental and never rewrites stored rows: each new event joins the
(smallest-id) stored cluster it is compatible with, else one formed earlier in the same
batch, else founds a cluster named after its own ``event_id``. Events without a key or
a date are clusters of one.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import duckdb

from kronika.store.rows import EVENT_COLUMNS, Row

_IX = {name: i for i, (name, _) in enumerate(EVENT_COLUMNS)}


def shift(day: dt.date, days: int) -> dt.date:
    """``day`` moved by ``days``, saturating at the ends of the calendar (0001-01-01 and
    9999-12-31) instead of raising ``OverflowError``: widening an event on the first or
    last representable day must not sink the batch it is in."""
    try:
        return day + dt.timedelta(days=days)
    except OverflowError:
        return dt.date.min if days < 0 else dt.date.max


@dataclass(frozen=True, slots=True)
class Item:
    """What clustering needs of one event; ``start``/``end`` already widened."""

    event_id: str
    key: str
    start: dt.date
    end: dt.date
    geonameid: int | None


def item_of(row: Row) -> Item | None:
    """The clustering view of an ``events`` row, None when it cannot be clustered."""
    key, start, end = row[_IX["cluster_key"]], row[_IX["date_start"]], row[_IX["date_end"]]
    if key is None or start is None or end is None:
        return None
    if row[_IX["date_origin"]] == "document":
        start, end = shift(start, -1), shift(end, 1)
    return Item(row[_IX["event_id"]], key, start, end, row[_IX["location_geonameid"]])


def compatible(a: Item, b: Item) -> bool:
    """Same key, overlapping (widened) dates, agreeing or unknown places."""
    if a.key != b.key or a.start > b.end or b.start > a.end:
        return False
    return a.geonameid is None or b.geonameid is None or a.geonameid == b.geonameid


_STORED_MATCHES = """
WITH n AS (
    SELECT unnest($1::VARCHAR[]) AS event_id, unnest($2::VARCHAR[]) AS key,
           unnest($3::DATE[]) AS ws, unnest($4::DATE[]) AS we, unnest($5::BIGINT[]) AS gid
)
SELECT n.event_id, min(e.cluster_id)
FROM n JOIN events e ON e.cluster_key = n.key
WHERE e.cluster_id IS NOT NULL
  AND e.date_start <= $6 AND e.date_end >= $7  -- constant bounds: zone maps skip old row groups
  AND e.date_start - CASE WHEN e.date_origin = 'document' THEN 1 ELSE 0 END <= n.we
  AND e.date_end + CASE WHEN e.date_origin = 'document' THEN 1 ELSE 0 END >= n.ws
  AND (e.location_geonameid IS NULL OR n.gid IS NULL OR e.location_geonameid = n.gid)
GROUP BY n.event_id
"""


def stored_matches(con: duckdb.DuckDBPyConnection, items: Sequence[Item]) -> dict[str, str]:
    """For each item, the smallest compatible cluster id already in the store."""
    if not items:
        return {}
    params = [
        [i.event_id for i in items], [i.key for i in items], [i.start for i in items],
        [i.end for i in items], [i.geonameid for i in items],
        shift(max(i.end for i in items), 1), shift(min(i.start for i in items), -1),
    ]
    return dict(con.execute(_STORED_MATCHES, params).fetchall())


def assign(con: duckdb.DuckDBPyConnection, rows: Sequence[Row]) -> list[Row]:
    """Return ``rows`` with ``cluster_id`` filled (stored clusters first, then in-batch)."""
    items = [item_of(r) for r in rows]
    stored = stored_matches(con, [i for i in items if i is not None])
    placed: dict[str, list[tuple[Item, str]]] = defaultdict(list)
    out: list[Row] = []
    cid_ix = _IX["cluster_id"]
    for row, item in zip(rows, items, strict=True):
        cid = row[_IX["event_id"]]
        if item is not None:
            options = [c for other, c in placed[item.key] if compatible(item, other)]
            if item.event_id in stored:
                options.append(stored[item.event_id])
            cid = min(options) if options else item.event_id
            placed[item.key].append((item, cid))
        out.append(row[:cid_ix] + (cid,) + row[cid_ix + 1 :])
    return out
