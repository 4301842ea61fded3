"""Analyses → column-typed rows for each table, and the bulk insert that writes them.

Why column-wise ``unnest`` inserts: DuckDB's ``executemany`` runs one statement per row
(~500 rows/s here); passing each column as one typed list parameter and unnesting them
in a single ``INSERT … SELECT`` writes tens of thousands of rows per second, with every
value still a bound parameter and without pandas or Arrow.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from typing import Any

import duckdb

from kronika.model import SYMMETRIC_TYPES, ActorRef, Analysis, Event
from kronika.store.dates import date_interval

Columns = tuple[tuple[str, str], ...]
Row = tuple[Any, ...]

ARTICLE_COLUMNS: Columns = (
    ("id", "VARCHAR"), ("doc_id", "VARCHAR"), ("date", "DATE"), ("title", "VARCHAR"),
    ("url", "VARCHAR"), ("source", "VARCHAR"), ("origin", "VARCHAR"), ("text", "VARCHAR"),
    ("n_sentences", "INTEGER"), ("ingested_at", "TIMESTAMP"),
)
SENTENCE_COLUMNS: Columns = (
    ("article_id", "VARCHAR"), ("idx", "INTEGER"), ("start", "INTEGER"), ("end", "INTEGER"),
)
_SPAN: Columns = (
    ("article_id", "VARCHAR"), ("start", "INTEGER"), ("end", "INTEGER"), ("text", "VARCHAR"),
    ("sentence", "INTEGER"),
)
ACTOR_COLUMNS: Columns = _SPAN + (
    ("head_token", "INTEGER"), ("code", "VARCHAR"), ("country", "VARCHAR"), ("sector", "VARCHAR"),
    ("entity", "VARCHAR"), ("role", "VARCHAR"), ("kind", "VARCHAR"), ("how", "VARCHAR"),
    ("confidence", "DOUBLE"),
)
PLACE_COLUMNS: Columns = _SPAN + (
    ("head_token", "INTEGER"), ("name", "VARCHAR"), ("geonameid", "BIGINT"), ("lat", "DOUBLE"),
    ("lon", "DOUBLE"), ("country", "VARCHAR"), ("feature", "VARCHAR"), ("admin1", "VARCHAR"),
    ("confidence", "DOUBLE"),
)
TIMEX_COLUMNS: Columns = _SPAN + (
    ("type", "VARCHAR"), ("value", "VARCHAR"), ("mod", "VARCHAR"), ("quant", "VARCHAR"),
    ("freq", "VARCHAR"), ("anchor_token", "INTEGER"), ("rule", "VARCHAR"),
)
EVENT_COLUMNS: Columns = (
    ("event_id", "VARCHAR"), ("article_id", "VARCHAR"), ("doc_id", "VARCHAR"),
    ("sentence", "INTEGER"), ("evidence", "VARCHAR"), ("evidence_start", "INTEGER"),
    ("evidence_end", "INTEGER"), ("type", "VARCHAR"), ("mode", "VARCHAR"),
    ("contexts", "VARCHAR[]"), ("status", "VARCHAR"), ("cameo", "VARCHAR"),
    ("quad_class", "VARCHAR"), ("source", "JSON"), ("target", "JSON"),
    ("source_country", "VARCHAR"), ("target_country", "VARCHAR"), ("source_actor", "VARCHAR"),
    ("target_actor", "VARCHAR"), ("source_text", "VARCHAR"), ("target_text", "VARCHAR"),
    ("source_entity", "VARCHAR"), ("target_entity", "VARCHAR"),
    ("date_value", "VARCHAR"), ("date_text", "VARCHAR"), ("date_origin", "VARCHAR"),
    ("date_start", "DATE"), ("date_end", "DATE"),
    ("location_name", "VARCHAR"), ("location_geonameid", "BIGINT"), ("location_lat", "DOUBLE"),
    ("location_lon", "DOUBLE"), ("location_country", "VARCHAR"), ("location_origin", "VARCHAR"),
    ("confidence", "DOUBLE"), ("trigger", "VARCHAR"), ("trigger_start", "INTEGER"),
    ("component", "VARCHAR"), ("cluster_key", "VARCHAR"), ("cluster_id", "VARCHAR"),
)
EVENT_ACTOR_COLUMNS: Columns = (
    ("event_id", "VARCHAR"), ("side", "VARCHAR"), ("idx", "INTEGER"), ("text", "VARCHAR"),
    ("actor", "VARCHAR"), ("country", "VARCHAR"), ("sector", "VARCHAR"), ("entity", "VARCHAR"),
    ("role", "VARCHAR"),
)
PROBLEM_COLUMNS: Columns = (
    ("origin", "VARCHAR"), ("reason", "VARCHAR"), ("code", "VARCHAR"), ("at", "TIMESTAMP"),
)


def insert_rows(con: duckdb.DuckDBPyConnection, table: str, columns: Columns, rows: Sequence[Row]) -> int:
    """Insert ``rows`` (tuples in ``columns`` order) in one statement; table and column
    names are module constants, every value is a bound parameter."""
    if not rows:
        return 0
    names = ", ".join(f'"{name}"' for name, _ in columns)
    unnests = ", ".join(f"unnest(${i + 1}::{typ}[])" for i, (_, typ) in enumerate(columns))
    values = [list(col) for col in zip(*rows, strict=True)]
    con.execute(f"INSERT INTO {table} ({names}) SELECT {unnests}", values)
    return len(rows)


def now_utc() -> dt.datetime:
    """Naive UTC timestamp (DuckDB TIMESTAMP has no zone)."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def article_row(a: Analysis, at: dt.datetime) -> Row:
    art = a.article
    return (art.id, art.doc_id, art.date, art.title, art.url, art.source, art.origin, art.text,
            len(a.doc.sentences), at)


def mention_rows(a: Analysis) -> dict[str, list[Row]]:
    """Sentence, actor, place and time rows of one article, keyed by table."""
    aid = a.article.id
    return {
        "sentences": [(aid, s.index, s.start, s.end) for s in a.doc.sentences],
        "actor_mentions": [
            (aid, m.start, m.end, m.text, m.sentence, m.head_token, m.code, m.country, m.sector,
             m.entity, m.role, m.kind, m.how, m.confidence) for m in a.actors
        ],
        "places": [
            (aid, p.start, p.end, p.text, p.sentence, p.head_token, p.name, p.geonameid, p.lat,
             p.lon, p.country, p.feature, p.admin1, p.confidence) for p in a.places
        ],
        "timexes": [
            (aid, t.start, t.end, t.text, t.sentence, t.type, t.value, t.mod, t.quant, t.freq,
             t.anchor_token, t.rule) for t in a.times
        ],
    }


def cluster_key(type_: str, source_country: str | None, target_country: str | None) -> str | None:
    """Events that may be the same happening share this key: type plus the country pair,
    unordered for symmetric types. None when neither side has a country (no basis)."""
    if source_country is None and target_country is None:
        return None
    a, b = source_country or "", target_country or ""
    if type_ in SYMMETRIC_TYPES and b < a:
        a, b = b, a
    return f"{type_}|{a}|{b}"


def _side_json(refs: tuple[ActorRef, ...]) -> str | None:
    if not refs:
        return None
    if len(refs) == 1:
        return json.dumps(refs[0].to_json(), ensure_ascii=False)
    return json.dumps([r.to_json() for r in refs], ensure_ascii=False)


def _country(refs: tuple[ActorRef, ...]) -> str | None:
    """The side's country for clustering: the first member that has one."""
    return next((r.country for r in refs if r.country), None)


def event_row(e: Event) -> Row:
    """One ``events`` row, ``cluster_id`` left None for the clustering step to fill."""
    # Flattened columns hold the first member of each side (``event_actors`` holds all).
    s = e.source[0] if e.source else None
    t = e.target[0] if e.target else None
    iv = date_interval(e.date.value)
    loc = e.location
    return (
        e.event_id, e.article_id, e.doc_id, e.sentence, e.evidence, e.evidence_start,
        e.evidence_end, e.type, e.mode, list(e.contexts), e.status, e.cameo, e.quad_class,
        _side_json(e.source), _side_json(e.target),
        s and s.country, t and t.country, s and s.actor, t and t.actor, s and s.text,
        t and t.text, s and s.entity, t and t.entity,
        e.date.value, e.date.text, e.date.origin,
        iv and iv[0], iv and iv[1],
        loc and loc.name, loc and loc.geonameid, loc and loc.lat, loc and loc.lon,
        loc and loc.country, loc and loc.origin,
        e.confidence, e.trigger, e.trigger_start, e.component,
        cluster_key(e.type, _country(e.source), _country(e.target)), None,
    )


def event_actor_rows(e: Event) -> list[Row]:
    """Every member of both sides, so compound actors stay queryable."""
    return [
        (e.event_id, side, i, r.text, r.actor, r.country, r.sector, r.entity, r.role)
        for side, refs in (("source", e.source), ("target", e.target))
        for i, r in enumerate(refs)
    ]
