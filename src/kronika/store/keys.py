"""The actor-key directory: which ways of naming an actor occur on which side.

Why: an actor filter ("RUS", "RUSGOV", "Sergey Lavrov") must match a country code, an
actor code, an entity or a mention text, on the flattened first member or on any later
member of a compound side. Written as one OR over all those forms it costs ~8x the plain
country comparison (0.21 s against 0.026 s for a dyad series over 1M events), because
every row pays for the ``lower()`` calls and the compound-member semi-joins even when no
event names the actor that way. This small table (one row per distinct side, form and
lower-cased value, not per event) lets the query layer ask first under which forms a value
occurs at all and keep only those branches: "USA" becomes ``source_country = 'USA'``.

Correctness rests on one invariant: every (side, form, key) of a stored event is in the
table. Extra rows are harmless (a branch that matches nothing), so rows are never
deleted. Every path that adds events calls into this module: ``Store.write_batch``
(``rows_for``) and the bulk paths (import, synthetic data) with ``index_sql`` over the
events they added; migration 0006 created and filled the table. Tests compare the table
against a rebuild after each path.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import duckdb

from kronika.store.rows import EVENT_ACTOR_COLUMNS, EVENT_COLUMNS, Row

# (side, form, events column) for the flattened first member of each side.
FLAT_FORMS: tuple[tuple[str, str, str], ...] = tuple(
    (side, form, f"{side}_{form}")
    for side in ("source", "target")
    for form in ("country", "actor", "entity", "text")
)
MEMBER_FORM = "member"  # country, actor or entity of a compound side's later member (idx > 0)

_EVENT_IDX = {name: i for i, (name, _) in enumerate(EVENT_COLUMNS)}
_FLAT_IDX = tuple((side, form, _EVENT_IDX[col]) for side, form, col in FLAT_FORMS)
_ACTOR_IDX = {name: i for i, (name, _) in enumerate(EVENT_ACTOR_COLUMNS)}
_MEMBER_IDX = tuple(_ACTOR_IDX[c] for c in ("country", "actor", "entity"))

_INSERT_NEW = """
INSERT INTO actor_keys
SELECT DISTINCT side, form, lower(raw) FROM ({rows}) k WHERE raw IS NOT NULL
EXCEPT SELECT side, form, key FROM actor_keys"""


# The keys arrive as three bound list parameters (side, form, raw value).
_INSERT_LISTS = _INSERT_NEW.format(
    rows="SELECT unnest($1::VARCHAR[]) AS side, unnest($2::VARCHAR[]) AS form, unnest($3::VARCHAR[]) AS raw")


def index_sql(events_where: str = "TRUE", actors_where: str = "TRUE") -> str:
    """SQL adding the keys of the stored events matching ``events_where`` (over ``events``)
    and of the compound members matching ``actors_where`` (over ``event_actors``)."""
    flat = " UNION ALL ".join(
        f"SELECT '{side}' AS side, '{form}' AS form, {col} AS raw FROM events WHERE {events_where}"
        for side, form, col in FLAT_FORMS
    )
    members = " UNION ALL ".join(
        f"SELECT side, '{MEMBER_FORM}', {col} FROM event_actors WHERE idx > 0 AND ({actors_where})"
        for col in ("country", "actor", "entity")
    )
    return _INSERT_NEW.format(rows=f"{flat} UNION ALL {members}")


def rows_for(events: Sequence[Row], event_actors: Sequence[Row]) -> set[tuple[str, str, str]]:
    """The raw (side, form, value) keys of rows about to be written (lower-cased in SQL,
    so the table and the query agree on DuckDB's idea of case)."""
    keys = {(side, form, r[i]) for r in events for side, form, i in _FLAT_IDX if r[i] is not None}
    side_i, idx_i = _ACTOR_IDX["side"], _ACTOR_IDX["idx"]
    keys.update((r[side_i], MEMBER_FORM, r[i]) for r in event_actors if r[idx_i] > 0
                for i in _MEMBER_IDX if r[i] is not None)
    return keys


def add(con: duckdb.DuckDBPyConnection, keys: Iterable[tuple[str, str, str]]) -> None:
    """Add the keys from ``rows_for`` that the table lacks."""
    keys = list(keys)
    if not keys:
        return
    sides, forms, raws = (list(col) for col in zip(*keys, strict=True))
    con.execute(_INSERT_LISTS, [sides, forms, raws])


def forms_of(con: duckdb.DuckDBPyConnection, values: Sequence[str]) -> dict[str, frozenset[tuple[str, str]]]:
    """For each value, the (side, form) pairs under which some stored event names it.

    A value matches a code column as ``upper(value)`` and a text column as
    ``lower(value)``, so both spellings are looked up."""
    rows: list[Any] = con.execute(
        """SELECT v, k.side, k.form FROM (SELECT unnest($1::VARCHAR[]) AS v) q
           JOIN actor_keys k ON k.key = lower(q.v) OR k.key = lower(upper(q.v))""",
        [list(values)],
    ).fetchall()
    out: dict[str, set[tuple[str, str]]] = {v: set() for v in values}
    for v, side, form in rows:
        out[v].add((side, form))
    return {v: frozenset(s) for v, s in out.items()}
