"""Cross-article clusters: one happening, many reports (see ``kronika.store.clustering``).

A cluster dict: ``cluster_id``, ``type``, ``source_country``/``target_country`` (the
most common), ``mentions`` (events), ``articles``, ``first_seen``/``last_seen`` (article
dates), ``date_start``/``date_end`` (event date span), ``date_value``, ``location``,
``statuses`` and ``evidence`` (the earliest report's sentence). ``get_cluster`` adds
``events``: every mention as an event record.
"""

from __future__ import annotations

from typing import Any

from kronika.errors import QueryError
from kronika.query.errors import NotFoundError
from kronika.query.filters import EventFilter, page, store_where
from kronika.query.records import fetch_records
from kronika.store import Store

# What a view counts: ``reports`` (stored event rows: one per sentence that reports a
# happening; every count before issue 20) or ``events`` (happenings: distinct clusters,
# so a meeting reported by thirty outlets counts once). See ``store.clustering``.
COUNTS: tuple[str, ...] = ("reports", "events")


def check_count(count: str) -> str:
    """``count`` when it is one of ``COUNTS`` (any case), else a coded ``QueryError``."""
    value = str(count).strip().lower()
    if value not in COUNTS:
        raise QueryError(f"count={count!r} is not one of {', '.join(COUNTS)} "
                         "(reports: every stored report; events: each happening once)", code="K513")
    return value


def count_sql(count: str = "reports", alias: str = "e") -> str:
    """The SQL aggregate that counts ``count`` over events aliased ``alias`` (a fixed
    fragment, safe to inline; ``alias`` must be a literal of the caller). An event without
    a cluster id (none in a migrated store) counts as a happening of its own."""
    if check_count(count) == "reports":
        return "count(*)"
    return f"count(DISTINCT coalesce({alias}.cluster_id, {alias}.event_id))"


def count_matching(store: Store, flt: EventFilter | None = None, count: str = "reports") -> int:
    """How many reports or events (happenings) match ``flt``: the figure every view shows
    beside its list, in the unit the reader chose."""
    clause, params = store_where(store, flt or EventFilter())
    return int(store.scalar(f"SELECT {count_sql(count)} FROM events e {clause}", params) or 0)


_CLUSTER_COLUMNS = """e.cluster_id,
       any_value(e.type) AS type,
       mode(e.source_country) AS source_country,
       mode(e.target_country) AS target_country,
       count(*) AS mentions,
       count(DISTINCT e.article_id) AS articles,
       min(a.date) AS first_seen,
       max(a.date) AS last_seen,
       min(e.date_start) AS date_start,
       max(e.date_end) AS date_end,
       mode(e.date_value) AS date_value,
       mode(e.location_name) AS location,
       list(DISTINCT e.status ORDER BY e.status) AS statuses,
       arg_min(e.evidence, a.date) AS evidence"""
_FROM = "FROM events e JOIN articles a ON a.id = e.article_id"
_ORDER = "ORDER BY mentions DESC, date_end DESC NULLS LAST, cluster_id"


def _plain(row: dict[str, Any]) -> dict[str, Any]:
    out = dict(row)
    for key in ("first_seen", "last_seen", "date_start", "date_end"):
        if out.get(key) is not None:
            out[key] = out[key].isoformat()
    out["statuses"] = [s for s in (out.get("statuses") or []) if s is not None]
    return out


def list_clusters(
    store: Store, flt: EventFilter | None = None, min_mentions: int = 1, max_page: int | None = None
) -> list[dict[str, Any]]:
    """Clusters having at least one event that matches ``flt``, most reported first.

    Counts cover the whole cluster, not only its matching events. Two steps: rank
    cluster ids on ``events`` alone (cheap), then describe only the page's clusters.
    """
    flt = flt or EventFilter()
    limit, offset = page(flt, max_page)
    clause, params = store_where(store, flt)
    scope = f"WHERE cluster_id IN (SELECT e.cluster_id FROM events e {clause})" if clause else ""
    ranked = store.fetch_tuples(
        f"""SELECT cluster_id, count(*) AS mentions, max(date_end) AS date_end FROM events {scope}
            GROUP BY cluster_id HAVING count(*) >= ? {_ORDER} LIMIT ? OFFSET ?""",
        [*params, min_mentions, limit, offset],
    )
    ids = [r[0] for r in ranked]
    if not ids:
        return []
    marks = ", ".join("?" * len(ids))
    rows = store.fetch(
        f"SELECT {_CLUSTER_COLUMNS} {_FROM} WHERE e.cluster_id IN ({marks}) GROUP BY e.cluster_id {_ORDER}",
        ids,
    )
    return [_plain(r) for r in rows]


def get_cluster(store: Store, cluster_id: str) -> dict[str, Any]:
    """One cluster's summary and every mention (``events``, earliest report first)."""
    rows = store.fetch(
        f"SELECT {_CLUSTER_COLUMNS} {_FROM} WHERE e.cluster_id = ? GROUP BY e.cluster_id",
        [cluster_id],
    )
    if not rows:
        raise NotFoundError(f"no cluster {cluster_id!r} in the store", code="K511")
    ids = [r[0] for r in store.fetch_tuples(
        "SELECT event_id FROM events WHERE cluster_id = ? ORDER BY article_id, sentence, event_id",
        [cluster_id],
    )]
    out = _plain(rows[0])
    mentions = fetch_records(store, ids, spans=True)
    mentions.sort(key=lambda r: (r["article_date"] or "", r["article_id"], r["sentence"], r["event_id"]))
    out["events"] = mentions
    return out
