"""``EventFilter`` and its translation into a parameterised SQL ``WHERE`` clause.

Every user value becomes a bound parameter; only fixed SQL fragments written here are
ever concatenated, so a filter value like ``x' OR 1=1 --`` matches nothing instead of
everything. Dates filter by *overlap*: ``since="2019-06"`` keeps events whose interval
ends on or after 1 June 2019, so a "2019" event and a "2019-06-14" event both count.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kronika.errors import QueryError
from kronika.model import type_names
from kronika.numbers import looks_numeric, parse_int
from kronika.store.dates import date_interval
from kronika.store.keys import MEMBER_FORM

if TYPE_CHECKING:
    from kronika.store import Store

DEFAULT_MAX_PAGE = 1000  # Settings.api_max_page's default; callers pass their own


@dataclass(frozen=True)
class EventFilter:
    """Which events a query is about. Every field is optional; they combine with AND.

    ``actor``/``source``/``target`` (and each half of ``dyad``) match a country code
    ("RUS"), an actor code ("RUSGOV"), or an entity or mention text ("Sergey Lavrov"),
    case-insensitively, against any member of a compound side. ``type``, ``quad_class``
    and ``status`` take one value or several separated by commas; ``type`` takes PLOVER
    2021 names and their old aliases (DEMAND for REQUEST), case-insensitively.
    """

    actor: str | None = None
    source: str | None = None
    target: str | None = None
    dyad: tuple[str, str] | None = None
    type: str | None = None
    quad_class: str | None = None
    status: str | None = None
    since: str | None = None
    until: str | None = None
    place: str | int | None = None
    bbox: tuple[float, float, float, float] | None = None
    text: str | None = None
    article_id: str | None = None
    doc_id: str | None = None  # the input's own id (file name, JSONL id)
    cluster_id: str | None = None
    limit: int = 100
    offset: int = 0


def page(flt: EventFilter, max_page: int | None = None) -> tuple[int, int]:
    """(limit, offset), the limit clamped to ``max_page``; negative values are refused."""
    cap = max_page or DEFAULT_MAX_PAGE
    if flt.limit < 0 or flt.offset < 0:
        raise QueryError(f"limit and offset must be >= 0 (got {flt.limit}, {flt.offset})", code="K502")
    return min(flt.limit, cap), flt.offset


# Which (side, form) pairs each actor value occurs under in the store
# (``Store.actor_key_forms``); None = unknown, try every form.
KeyForms = dict[str, frozenset[tuple[str, str]]] | None

# The events column tested for each flattened form, and how the value is compared.
_FLAT_TESTS = {
    "country": "e.{side}_country = upper(?)",
    "actor": "e.{side}_actor = upper(?)",
    "entity": "lower(e.{side}_entity) = lower(?)",
    "text": "lower(e.{side}_text) = lower(?)",
}
_MEMBER_TEST = (
    "e.event_id IN (SELECT event_id FROM event_actors WHERE side = ? AND idx > 0"
    " AND (country = upper(?) OR actor = upper(?) OR lower(entity) = lower(?)))"
)


def _side(side: str, value: str, params: list[Any], forms: KeyForms = None) -> str:
    """Match one side: flattened first member, or any later member of a compound side.

    With ``forms`` only the columns that name ``value`` somewhere in the store are tested
    (same result, a fraction of the cost); a value named nowhere matches nothing."""
    known = None if forms is None else forms.get(value, frozenset())
    tests = []
    for form, test in _FLAT_TESTS.items():
        if known is None or (side, form) in known:
            tests.append(test.format(side=side))
            params.append(value)
    if known is None or (side, MEMBER_FORM) in known:
        tests.append(_MEMBER_TEST)
        params.extend([side, value, value, value])
    return f"({' OR '.join(tests)})" if tests else "FALSE"


def _either(value: str, params: list[Any], forms: KeyForms = None) -> str:
    return f"({_side('source', value, params, forms)} OR {_side('target', value, params, forms)})"


def _listed(column: str, value: str, params: list[Any]) -> str:
    params.append([v.strip() for v in str(value).split(",") if v.strip()])
    return f"list_contains(?::VARCHAR[], {column})"


def _types(value: str, params: list[Any]) -> str:
    """Types by their 2021 names or old aliases ("DEMAND" → REQUEST); see ``type_names``."""
    params.append(type_names(str(value)))
    return "list_contains(?::VARCHAR[], e.type)"


def _dates(flt: EventFilter, clauses: list[str], params: list[Any]) -> None:
    lo = hi = None
    if flt.since:
        iv = date_interval(flt.since)
        if iv is None:
            raise QueryError(f"since={flt.since!r} is not an ISO date (YYYY, YYYY-MM or YYYY-MM-DD)", code="K503")
        lo = iv[0]
        clauses.append("e.date_end >= ?")
        params.append(lo)
    if flt.until:
        iv = date_interval(flt.until)
        if iv is None:
            raise QueryError(f"until={flt.until!r} is not an ISO date (YYYY, YYYY-MM or YYYY-MM-DD)", code="K503")
        hi = iv[1]
        clauses.append("e.date_start <= ?")
        params.append(hi)
    if lo is not None and hi is not None and lo > hi:
        raise QueryError(f"since={flt.since} is after until={flt.until}", code="K503")


def _place(value: str | int, clauses: list[str], params: list[Any]) -> None:
    """A GeoNames id when ``value`` is all digits (ASCII only: "²" or "١٢" are refused with
    K508, see ``kronika.numbers``), else a place name."""
    text = str(value).strip()
    if isinstance(value, int) or looks_numeric(text):
        clauses.append("e.location_geonameid = ?")
        params.append(parse_int(value, "place (a GeoNames id)"))
    else:
        clauses.append("lower(e.location_name) = lower(?)")
        params.append(text)


def _bbox(bbox: tuple[float, float, float, float], clauses: list[str], params: list[Any]) -> None:
    try:
        min_lon, min_lat, max_lon, max_lat = (float(v) for v in bbox)
    except (TypeError, ValueError) as exc:
        raise QueryError(f"bbox must be four numbers min_lon,min_lat,max_lon,max_lat: {exc}", code="K504") from exc
    if not all(map(math.isfinite, (min_lon, min_lat, max_lon, max_lat))) or min_lat > max_lat:
        raise QueryError(f"bbox {bbox} is not a box (min_lat must be <= max_lat)", code="K504")
    clauses.append("e.location_lat BETWEEN ? AND ?")
    params.extend([min_lat, max_lat])
    # min_lon > max_lon: the box crosses the antimeridian.
    joiner = "AND" if min_lon <= max_lon else "OR"
    clauses.append(f"(e.location_lon >= ? {joiner} e.location_lon <= ?)")
    params.extend([min_lon, max_lon])


def _like_pattern(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def actor_values(flt: EventFilter) -> list[str]:
    """The actor values ``flt`` filters on, to look up in ``Store.actor_key_forms``."""
    return [v for v in (flt.actor, flt.source, flt.target, *(flt.dyad or ())) if v]


def store_where(store: Store, flt: EventFilter) -> tuple[str, list[Any]]:
    """``where`` narrowed by what ``store`` holds: the form every query uses."""
    values = actor_values(flt)
    return where(flt, store.actor_key_forms(values) if values else None)


def where(flt: EventFilter, forms: KeyForms = None) -> tuple[str, list[Any]]:
    """The ``WHERE`` clause (over alias ``e`` = events) and its parameters.

    ``forms`` (from ``Store.actor_key_forms(actor_values(flt))``) narrows each actor test
    to the columns that can match; without it every form is tested."""
    clauses: list[str] = []
    params: list[Any] = []
    if flt.actor:
        clauses.append(_either(flt.actor, params, forms))
    if flt.source:
        clauses.append(_side("source", flt.source, params, forms))
    if flt.target:
        clauses.append(_side("target", flt.target, params, forms))
    if flt.dyad:
        if len(flt.dyad) != 2 or not all(flt.dyad):
            raise QueryError(f"dyad needs exactly two actors, got {flt.dyad!r}", code="K505")
        a, b = flt.dyad
        ab = f"({_side('source', a, params, forms)} AND {_side('target', b, params, forms)})"
        ba = f"({_side('source', b, params, forms)} AND {_side('target', a, params, forms)})"
        clauses.append(f"({ab} OR {ba})")
    if flt.type:
        clauses.append(_types(flt.type, params))
    if flt.quad_class:
        clauses.append(_listed("e.quad_class", flt.quad_class, params))
    if flt.status:
        clauses.append(_listed("e.status", flt.status, params))
    _dates(flt, clauses, params)
    if flt.place is not None and str(flt.place).strip():
        _place(flt.place, clauses, params)
    if flt.bbox is not None:
        _bbox(flt.bbox, clauses, params)
    if flt.text:
        clauses.append("e.evidence ILIKE ? ESCAPE '\\'")
        params.append(_like_pattern(flt.text))
    if flt.article_id:
        clauses.append("e.article_id = ?")
        params.append(flt.article_id)
    if flt.doc_id:
        clauses.append("e.doc_id = ?")
        params.append(flt.doc_id)
    if flt.cluster_id:
        clauses.append("e.cluster_id = ?")
        params.append(flt.cluster_id)
    return ("WHERE " + " AND ".join(clauses)) if clauses else "", params
