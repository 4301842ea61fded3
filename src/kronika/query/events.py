"""Event look-ups: filtered lists, counts, timelines, map points, one article's mentions."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import Any

from kronika.query.clusters import check_count, count_sql
from kronika.query.errors import NotFoundError
from kronika.query.filters import EventFilter, page, store_where
from kronika.query.records import event_columns, event_record, event_select, fetch_records, with_articles
from kronika.store import Store

_ORDER_RECENT = "ORDER BY e.date_start DESC NULLS LAST, e.article_id, e.sentence, e.event_id"
_ORDER_CHRONO = "ORDER BY e.date_start NULLS LAST, e.date_end, e.article_id, e.sentence, e.event_id"


def find_events(store: Store, flt: EventFilter, max_page: int | None = None) -> list[dict[str, Any]]:
    """Events matching ``flt``, most recent event date first, one page of them."""
    return _page(store, flt, _ORDER_RECENT, max_page)


def events_page(store: Store, flt: EventFilter, max_page: int | None = None) -> dict[str, Any]:
    """One page of ``find_events`` with the paging facts every door shows ("N of M and
    how to get the rest"): ``items``, ``total`` (all matching events), ``limit``,
    ``offset`` and ``next_offset`` (None on the last page). Shared by ``GET /api/events``
    and ``kronika events``."""
    items = find_events(store, flt, max_page)
    return _paged(items, count_events(store, flt), flt, max_page)


def _paged(items: list[dict[str, Any]], total: int, flt: EventFilter, max_page: int | None) -> dict[str, Any]:
    limit, offset = page(flt, max_page)
    nxt = offset + limit
    return {"total": total, "limit": limit, "offset": offset, "items": items,
            "next_offset": nxt if nxt < total else None}


def _page(store: Store, flt: EventFilter, order: str, max_page: int | None, *, spans: bool = False) -> list[dict[str, Any]]:
    """One page of records: the inner top-N picks row ids reading only the filter and
    order columns, the outer query reads the wide columns of just those rows (see
    ``records`` for the measurements)."""
    limit, offset = page(flt, max_page)
    clause, params = store_where(store, flt)
    rows = store.fetch(
        f"SELECT {event_select(store)} FROM events e WHERE e.rowid IN "
        f"(SELECT e.rowid FROM events e {clause} {order} LIMIT ? OFFSET ?) {order}",
        [*params, limit, offset],
    )
    return with_articles(store, rows, spans=spans)


def get_event(store: Store, event_id: str) -> dict[str, Any]:
    """One event's record with its evidence spans (an index look-up on the primary key)."""
    records = fetch_records(store, [event_id], spans=True)
    if not records:
        raise NotFoundError(f"no event {event_id!r} in the store", code="K512")
    return records[0]


def count_events(store: Store, flt: EventFilter) -> int:
    """How many events match ``flt`` (ignoring its limit/offset)."""
    clause, params = store_where(store, flt)
    return int(store.scalar(f"SELECT count(*) FROM events e {clause}", params) or 0)


def iter_event_records(store: Store, flt: EventFilter, chunk: int = 10_000) -> Iterator[dict[str, Any]]:
    """Every matching record (no paging), streamed a chunk at a time from one cursor."""
    clause, params = store_where(store, flt)
    with store.cursor() as cur:
        res = cur.execute(
            f"SELECT {event_select(store)}, a.date AS article_date, a.title AS article_title "
            f"FROM events e JOIN articles a ON a.id = e.article_id {clause} "
            "ORDER BY e.article_id, e.sentence, e.event_id",
            params,
        )
        names = [d[0] for d in res.description]
        while rows := res.fetchmany(chunk):
            for row in rows:
                yield event_record(dict(zip(names, row, strict=True)))


def timeline(
    store: Store,
    actor: str | None = None,
    dyad: tuple[str, str] | None = None,
    place: str | int | None = None,
    limit: int = 200,
    *,
    flt: EventFilter | None = None,
    max_page: int | None = None,
) -> list[dict[str, Any]]:
    """Events in date order (oldest first) with their evidence, for a chronology."""
    base = flt or EventFilter()
    flt = replace(base, actor=actor or base.actor, dyad=dyad or base.dyad,
                  place=place if place is not None else base.place, limit=limit)
    return _page(store, flt, _ORDER_CHRONO, max_page, spans=True)


def timeline_page(store: Store, flt: EventFilter, max_page: int | None = None) -> dict[str, Any]:
    """A page of the chronology of ``flt`` (oldest first, with evidence spans) and its
    paging facts, as ``events_page``. Shared by ``GET /api/timeline`` and ``kronika timeline``."""
    items = _page(store, flt, _ORDER_CHRONO, max_page, spans=True)
    return _paged(items, count_events(store, flt), flt, max_page)


def count_clusters(store: Store, flt: EventFilter) -> int:
    """How many clusters have an event matching ``flt`` (what ``list_clusters`` pages
    through; unclustered events count as one group, as there)."""
    clause, params = store_where(store, flt)
    return int(store.scalar(f"SELECT count(*) FROM (SELECT DISTINCT e.cluster_id FROM events e {clause})", params) or 0)


def _located(store: Store, flt: EventFilter) -> tuple[str, list[Any]]:
    clause, params = store_where(store, flt)
    located = "e.location_lat IS NOT NULL AND e.location_lon IS NOT NULL"
    return (f"{clause} AND {located}" if clause else f"WHERE {located}"), params


def count_located(store: Store, flt: EventFilter, count: str = "reports") -> int:
    """How many located events match ``flt``: reports (rows) or events (happenings, one
    per cluster), as ``map_points`` lists them."""
    clause, params = _located(store, flt)
    return int(store.scalar(f"SELECT {count_sql(count)} FROM events e {clause}", params) or 0)


def map_page(store: Store, flt: EventFilter, max_page: int | None = None, count: str = "reports") -> dict[str, Any]:
    """A page of ``map_points`` with its paging facts (``total``: located matching reports,
    or happenings with ``count="events"``)."""
    points = map_points(store, flt, max_page, count)
    page_ = _paged(points, count_located(store, flt, count), flt, max_page)
    page_["points"] = page_.pop("items")
    return page_


_POINT_COLUMNS = """e.event_id, e.location_lat AS lat, e.location_lon AS lon,
                   e.location_name AS place, e.location_geonameid AS geonameid,
                   coalesce(e.location_origin, 'text') AS place_origin,
                   e.type, e.quad_class, e.status, e.date_value AS date,
                   e.source_country, e.target_country, e.evidence, e.article_id, e.cluster_id"""


# One happening: its cluster, or the event alone (a migrated store's rows have no cluster id).
_HAPPENING = "coalesce(e.cluster_id, e.event_id)"


def map_points(store: Store, flt: EventFilter, max_page: int | None = None,
               count: str = "reports") -> list[dict[str, Any]]:
    """Located events as points (lat/lon plus what a popup shows), newest first.

    ``count="events"``: one point per happening (cluster), its newest located report that
    matches, with ``reports``: how many located reports of it match. A meeting told by
    three outlets is one point, not three stacked on one city."""
    limit, offset = page(flt, max_page)
    clause, params = _located(store, flt)
    if check_count(count) == "reports":
        return store.fetch(f"SELECT {event_columns(store, _POINT_COLUMNS)} FROM events e {clause} {_ORDER_RECENT} LIMIT ? OFFSET ?",
                           [*params, limit, offset])
    return store.fetch(
        f"""SELECT * EXCLUDE (rn, date_start, sentence) FROM (
                SELECT {event_columns(store, _POINT_COLUMNS)}, e.date_start, e.sentence,
                       count(*) OVER (PARTITION BY {_HAPPENING}) AS reports,
                       row_number() OVER (PARTITION BY {_HAPPENING} {_ORDER_RECENT}) AS rn
                  FROM events e {clause}) e
            WHERE rn = 1 {_ORDER_RECENT} LIMIT ? OFFSET ?""",
        [*params, limit, offset],
    )


def _article_rows(store: Store, table: str, article_id: str) -> list[dict[str, Any]]:
    # ``table`` is one of this module's literal names, never user input.
    return store.fetch(
        f'SELECT * EXCLUDE (article_id) FROM {table} WHERE article_id = ? ORDER BY start, "end"',
        [article_id],
    )


def article_view(store: Store, article_id: str) -> dict[str, Any]:
    """An article's text with every mention's character span, for highlighting."""
    rows = store.fetch(
        "SELECT id, doc_id, date, title, url, source, origin, text, n_sentences, ingested_at "
        "FROM articles WHERE id = ?", [article_id],
    )
    if not rows:
        raise NotFoundError(f"no article {article_id!r} in the store", code="K510")
    art = rows[0]
    ids = [r[0] for r in store.fetch_tuples(
        "SELECT event_id FROM events WHERE article_id = ? ORDER BY sentence, evidence_start, event_id",
        [article_id],
    )]
    return {
        "id": art["id"], "doc_id": art["doc_id"], "date": art["date"].isoformat(),
        "title": art["title"], "url": art["url"], "source": art["source"], "origin": art["origin"],
        "text": art["text"], "n_sentences": art["n_sentences"],
        "ingested_at": art["ingested_at"].isoformat() if art["ingested_at"] else None,
        "sentences": store.fetch(
            'SELECT idx, start, "end" FROM sentences WHERE article_id = ? ORDER BY idx', [article_id]
        ),
        "actors": _article_rows(store, "actor_mentions", article_id),
        "places": _article_rows(store, "places", article_id),
        "timexes": _article_rows(store, "timexes", article_id),
        "events": _with_cluster_sizes(store, fetch_records(store, ids, spans=True)),
    }


def _with_cluster_sizes(store: Store, records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Add ``cluster_articles`` (how many articles report each event's happening), so a
    reader can say "reported by N articles" without a request per event."""
    cids = sorted({r["cluster_id"] for r in records if r.get("cluster_id")})
    sizes: dict[str, int] = {}
    if cids:
        marks = ", ".join("?" * len(cids))
        sizes = dict(store.fetch_tuples(
            f"SELECT cluster_id, count(DISTINCT article_id) FROM events WHERE cluster_id IN ({marks}) "
            "GROUP BY cluster_id", cids))
    for r in records:
        r["cluster_articles"] = sizes.get(r.get("cluster_id") or "", 0)
    return records
