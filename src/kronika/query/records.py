"""Stored event rows → the event record contract of DESIGN.md (plain dicts).

Why pages are read in two steps inside one query: joining ``articles`` or selecting the
wide columns (evidence, JSON sides) before the ``LIMIT`` makes DuckDB carry them through
the whole filtered scan (1.2 s for a 1000-event page of 1M events with the join, 150 ms
against 75 ms for an actor page without it), while looking a page's ids up again with
``IN`` costs 200 ms per 1000 ids. So a page query picks ``rowid``s in a top-N over the
narrow columns and reads ``EVENT_SELECT`` for just those rows (``WHERE rowid IN``, a
direct row fetch); ``with_articles`` then adds the articles' date and title by primary
key. ``fetch_records`` serves look-ups by event id (an article's, a cluster's events).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from kronika.model import TYPE_ALIASES, EventDate, EventPlace, event_contract
from kronika.query.intensity import intensity
from kronika.store import Store

# An event is *background* when its date ends more than this many days before the date of
# the article reporting it: "the 1945 surrender", "in 2003 the war began" — history the
# article mentions, not news it reports. A derived flag (extraction keeps the date as
# written); charts and lists use it to keep the news in view (docs/clusters-and-dates.md).
BACKGROUND_DAYS = 365

# Alias ``e`` = events.
EVENT_SELECT = """e.event_id, e.article_id, e.doc_id, e.sentence, e.evidence, e.type, e.mode,
    e.contexts, e.status, e.cameo, e.quad_class, e.source, e.target, e.date_value,
    e.date_text, e.date_origin, e.location_name, e.location_geonameid, e.location_lat,
    e.location_lon, e.location_country, e.location_origin AS location_origin, e.confidence, e.cluster_id,
    e.evidence_start, e.evidence_end, e.trigger, e.trigger_start, e.date_start, e.date_end"""
_CHUNK = 1000


def event_columns(store: Store, columns: str) -> str:
    """``columns`` (a fixed select list over ``events e``) as ``store`` can answer them: one
    written before migration 0008 and opened read-only (never migrated) has no
    ``location_origin``, which reads as NULL there (every place it holds was its sentence's own)."""
    if store.has_column("events", "location_origin"):
        return columns
    return columns.replace("e.location_origin", "NULL")


def event_select(store: Store) -> str:
    """``EVENT_SELECT`` for ``store`` (``event_columns``)."""
    return event_columns(store, EVENT_SELECT)


def fetch_records(store: Store, ids: Sequence[str], *, spans: bool = False) -> list[dict[str, Any]]:
    """The records of events ``ids``, in that order, with their article's date and title."""
    rows: dict[str, dict[str, Any]] = {}
    for i in range(0, len(ids), _CHUNK):
        part = list(ids[i : i + _CHUNK])
        marks = ", ".join("?" * len(part))
        for r in store.fetch(f"SELECT {event_select(store)} FROM events e WHERE e.event_id IN ({marks})", part):
            rows[r["event_id"]] = r
    return with_articles(store, [rows[eid] for eid in ids if eid in rows], spans=spans)


def with_articles(store: Store, rows: Sequence[dict[str, Any]], *, spans: bool = False) -> list[dict[str, Any]]:
    """Records of event ``rows`` (selected with ``EVENT_SELECT``), in their order, with
    their article's date and title."""
    arts: dict[str, tuple[Any, Any]] = {}
    art_ids = list(dict.fromkeys(r["article_id"] for r in rows))
    for i in range(0, len(art_ids), _CHUNK):
        part = art_ids[i : i + _CHUNK]
        marks = ", ".join("?" * len(part))
        for aid, date, title in store.fetch_tuples(
            f"SELECT id, date, title FROM articles WHERE id IN ({marks})", part
        ):
            arts[aid] = (date, title)
    out = []
    for row in rows:
        row["article_date"], row["article_title"] = arts.get(row["article_id"], (None, None))
        out.append(event_record(row, spans=spans))
    return out


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


def _iso(value: Any) -> str | None:
    return None if value is None else value.isoformat()


def is_background(date_end: Any, article_date: Any) -> bool:
    """True when the event's last day lies more than ``BACKGROUND_DAYS`` before its
    article's date (either unknown: False)."""
    if date_end is None or article_date is None:
        return False
    return (article_date - date_end).days > BACKGROUND_DAYS


def event_record(row: dict[str, Any], *, spans: bool = False) -> dict[str, Any]:
    """The contract record (``model.event_contract``, the one builder) plus the derived
    ``penta_class`` and ``goldstein`` beside ``quad_class``, then ``cluster_id``,
    ``article_date``, ``article_title``, ``background`` (see ``BACKGROUND_DAYS``) and, with
    ``spans``, the character offsets a viewer highlights."""
    type_ = TYPE_ALIASES.get(row["type"], row["type"])  # DEMAND in a store not yet migrated
    scale = intensity()
    loc = None
    if row["location_name"] is not None:
        loc = EventPlace(row["location_name"], row["location_geonameid"], row["location_lat"],
                         row["location_lon"], row["location_country"], row.get("location_origin") or "text")
    record: dict[str, Any] = event_contract(
        event_id=row["event_id"], article_id=row["article_id"], doc_id=row["doc_id"],
        sentence=row["sentence"], evidence=row["evidence"], type=type_, mode=row["mode"],
        contexts=row["contexts"], status=row["status"], cameo=row["cameo"],
        quad_class=row["quad_class"],
        # Derived (issue 20), not stored: see ``kronika.query.intensity``.
        classes={"penta_class": scale.penta(row["cameo"], type_, row["quad_class"]),
                 "goldstein": scale.score(row["cameo"], type_, row["mode"])},
        source=_json(row["source"]), target=_json(row["target"]),
        date=EventDate(row["date_value"], row["date_text"], row["date_origin"]),
        location=loc, confidence=row["confidence"],
    )
    record.update(
        cluster_id=row["cluster_id"],
        article_date=_iso(row["article_date"]),
        article_title=row["article_title"],
        background=is_background(row["date_end"], row["article_date"]),
    )
    if spans:
        record.update(
            evidence_start=row["evidence_start"], evidence_end=row["evidence_end"],
            trigger=row["trigger"], trigger_start=row["trigger_start"],
            date_start=_iso(row["date_start"]), date_end=_iso(row["date_end"]),
        )
    return record
