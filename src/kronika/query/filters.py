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
from kronika.model import PLOVER_TYPES, STATUSES, TYPE_ALIASES, plover_type, type_names
from kronika.numbers import looks_numeric, parse_int
from kronika.query.lookup import ActorMatch, check_known, resolve_values
from kronika.store.dates import date_interval
from kronika.store.keys import MEMBER_FORM

if TYPE_CHECKING:
    from kronika.store import Store

DEFAULT_MAX_PAGE = 1000  # Settings.api_max_page's default; callers pass their own
QUAD_CLASSES: tuple[str, ...] = (
    "verbal_cooperation", "material_cooperation", "verbal_conflict", "material_conflict",
)
UNKNOWN_VALUE = "K513"  # a type, status or quad class that does not exist


@dataclass(frozen=True)
class EventFilter:
    """Which events a query is about. Every field is optional; they combine with AND.

    ``actor``/``source``/``target`` (and each half of ``dyad``) are read by the one actor
    lookup (``kronika.query.lookup``): a country code, name or demonym ("RUS", "Russia",
    "Russians" alike), a capital, an organisation, a person ("Lavrov"), an actor code
    ("RUSGOV"), or a name the store holds; matched case-insensitively against any member
    of a compound side. ``type``, ``quad_class`` and ``status`` take one value or several
    separated by commas; ``type`` takes PLOVER 2021 names and their old aliases (DEMAND
    for REQUEST), case-insensitively. An unknown value of any of these is a coded
    ``QueryError`` listing what is valid, never an empty answer.
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

# What each actor value stands for (``lookup.resolve_values``); None = resolve on the spot.
Matches = dict[str, ActorMatch] | None

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


def _side(side: str, value: str, params: list[Any], forms: KeyForms = None,
          matches: Matches = None) -> str:
    """Match one side against every store term ``value`` stands for (``lookup``)."""
    terms = matches[value].terms if matches and value in matches else (value,)
    tests = [_term(side, t, params, forms) for t in terms]
    tests = [t for t in tests if t != "FALSE"] or ["FALSE"]
    return tests[0] if len(tests) == 1 else f"({' OR '.join(tests)})"


def _term(side: str, value: str, params: list[Any], forms: KeyForms = None) -> str:
    """Match one term: flattened first member, or any later member of a compound side.

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


def _either(value: str, params: list[Any], forms: KeyForms = None, matches: Matches = None) -> str:
    return (f"({_side('source', value, params, forms, matches)} OR "
            f"{_side('target', value, params, forms, matches)})")


def _items(value: str) -> list[str]:
    return [v.strip() for v in str(value).split(",") if v.strip()]


def check_listed(name: str, value: str, valid: tuple[str, ...]) -> list[str]:
    """The items of the comma-separated ``value`` (lower case), each one of ``valid``, or a
    coded error listing the valid values."""
    items = [v.lower() for v in _items(value)]
    bad = [v for v in items if v not in valid]
    if bad or not items:
        raise QueryError(f"unknown {name} {', '.join(map(repr, bad or [value]))}: valid are {', '.join(valid)}",
                         code=UNKNOWN_VALUE)
    return items


def _listed(column: str, name: str, value: str, valid: tuple[str, ...], params: list[Any]) -> str:
    """``column`` in the comma-separated ``value``; every item must be one of ``valid``."""
    params.append(check_listed(name, value, valid))
    return f"list_contains(?::VARCHAR[], {column})"


def check_types(value: str) -> list[str]:
    """The PLOVER 2021 names of the comma-separated ``value`` ("demand" → REQUEST), or a
    coded error listing the valid names and aliases."""
    items = _items(value)
    bad = [v for v in items if plover_type(v) not in PLOVER_TYPES]
    if bad or not items:
        aliases = ", ".join(f"{old} for {new}" for old, new in TYPE_ALIASES.items())
        raise QueryError(f"unknown type {', '.join(map(repr, bad or [value]))}: valid are "
                         f"{', '.join(PLOVER_TYPES)} (or {aliases})", code=UNKNOWN_VALUE)
    return [plover_type(v) for v in items]


def _types(value: str, params: list[Any]) -> str:
    """Types by their 2021 names or old aliases ("DEMAND" → REQUEST); see ``type_names``."""
    params.append(type_names(check_types(value)))
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
    """``where`` narrowed by what ``store`` holds: the form every query uses. Actor values
    are read by the one lookup; a value that neither the knowledge base nor the store
    knows is refused (``lookup.check_known``)."""
    values = actor_values(flt)
    if not values:
        return where(flt)
    matches = resolve_values(values)
    terms = list(dict.fromkeys(t for m in matches.values() for t in m.terms))
    forms = store.actor_key_forms(terms)
    check_known(store, matches, forms)
    return where(flt, forms, matches)


def where(flt: EventFilter, forms: KeyForms = None, matches: Matches = None) -> tuple[str, list[Any]]:
    """The ``WHERE`` clause (over alias ``e`` = events) and its parameters.

    ``matches`` (``lookup.resolve_values``; resolved here when None) says which store
    terms each actor value stands for; ``forms`` (from ``Store.actor_key_forms`` over
    those terms) narrows each test to the columns that can match; without it every form
    is tested."""
    clauses: list[str] = []
    params: list[Any] = []
    values = actor_values(flt)
    if values and matches is None:
        matches = resolve_values(values)
    if flt.actor:
        clauses.append(_either(flt.actor, params, forms, matches))
    if flt.source:
        clauses.append(_side("source", flt.source, params, forms, matches))
    if flt.target:
        clauses.append(_side("target", flt.target, params, forms, matches))
    if flt.dyad:
        if len(flt.dyad) != 2 or not all(flt.dyad):
            raise QueryError(f"dyad needs exactly two actors, got {flt.dyad!r}", code="K505")
        a, b = flt.dyad
        ab = f"({_side('source', a, params, forms, matches)} AND {_side('target', b, params, forms, matches)})"
        ba = f"({_side('source', b, params, forms, matches)} AND {_side('target', a, params, forms, matches)})"
        clauses.append(f"({ab} OR {ba})")
    if flt.type:
        clauses.append(_types(flt.type, params))
    if flt.quad_class:
        clauses.append(_listed("e.quad_class", "quad_class", flt.quad_class, QUAD_CLASSES, params))
    if flt.status:
        clauses.append(_listed("e.status", "status", flt.status, STATUSES, params))
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
