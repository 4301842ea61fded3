"""Query-string parameters → validated values → the query layer's ``EventFilter``.

Why validate here although the query layer binds parameters: the API is the trust
boundary. Every value is checked for shape and size before it reaches SQL, so a hostile
request gets a clear 422 instead of a slow or odd query, and no parameter ever names a
file, a table or a column.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Annotated, Any

from fastapi import Depends, HTTPException, Query, Request
from pydantic import BeforeValidator

from kronika.errors import QueryError
from kronika.model import STATUSES
from kronika.numbers import parse_decimal, parse_int

QUAD_CLASSES = ("verbal_cooperation", "material_cooperation", "verbal_conflict", "material_conflict")  # = query's
ISO_DATE = re.compile(r"[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?", re.ASCII)  # ASCII digits: "٢٠١٩" is refused
MAX_TEXT = 200
MAX_OFFSET = 10_000_000


class BadParameter(HTTPException):
    """A 422 with a stable code (``{"detail": ..., "code": "K5xx"}``, see ``api.app``)."""

    def __init__(self, detail: str, code: str = "K509") -> None:
        super().__init__(status_code=422, detail=detail)
        self.code = code


def bad(detail: str, code: str = "K509") -> BadParameter:
    return BadParameter(detail, code)


class NumberError(QueryError, ValueError):
    """``kronika.numbers``' refusal, raised inside a parameter validator: pydantic keeps a
    ``ValueError`` as the error's ``ctx["error"]``, whose code the 422 handler reports."""


def whole(name: str, *, lo: int = 0, hi: int | None = None) -> BeforeValidator:
    """The validator of an integer query parameter: ``kronika.numbers.parse_int`` (ASCII
    digits only, bounded) in place of pydantic's lax ``int`` (which takes " 1_0")."""

    def check(value: Any) -> Any:
        if value is None or isinstance(value, int):
            return value
        try:
            return parse_int(value, name, lo=lo, hi=hi)
        except QueryError as exc:
            raise NumberError(str(exc.args[0]), code=exc.code) from None

    return BeforeValidator(check)


def check_date(value: str | None, name: str) -> str | None:
    if value is None or value == "":
        return None
    if not ISO_DATE.fullmatch(value):
        raise bad(f"{name} must be an ISO date (YYYY, YYYY-MM or YYYY-MM-DD)", "K503")
    return value


def check_name(value: str | None, name: str) -> str | None:
    """Actor codes and names: printable, short; no control characters."""
    if value is None or value.strip() == "":
        return None
    value = value.strip()
    if len(value) > MAX_TEXT or any(ord(c) < 32 for c in value):
        raise bad(f"{name} must be printable text of at most {MAX_TEXT} characters")
    return value


def check_choice(value: str | None, name: str, choices: tuple[str, ...], upper: bool) -> str | None:
    if value is None or value == "":
        return None
    v = value.upper() if upper else value.lower()
    if v not in choices:
        raise bad(f"{name} must be one of {', '.join(choices)}")
    return v


def check_type(value: str | None) -> str | None:
    """PLOVER 2021 types, one or several separated by commas, by name or old alias
    (``DEMAND`` → ``REQUEST``): the query layer's own check (``K513``, valid names listed),
    so every door refuses the same values the same way."""
    if value is None or value.strip() == "":
        return None
    from kronika.query.filters import check_types

    try:
        return ",".join(check_types(value))
    except QueryError as exc:
        raise bad(str(exc.args[0]), exc.code) from None


def check_values(value: str | None, name: str, valid: tuple[str, ...]) -> str | None:
    """``status`` or ``quad_class``: one value or several separated by commas, each one of
    ``valid`` (the query layer's check, ``K513``)."""
    if value is None or value.strip() == "":
        return None
    from kronika.query.filters import check_listed

    try:
        return ",".join(check_listed(name, value, valid))
    except QueryError as exc:
        raise bad(str(exc.args[0]), exc.code) from None


def parse_dyad(value: str | None) -> tuple[str, str] | None:
    if value is None or value.strip() == "":
        return None
    parts = [p.strip() for p in re.split(r"[,\-–]", value) if p.strip()]
    if len(parts) != 2:
        raise bad("dyad must be two actors separated by a comma, e.g. JPN,RUS", "K505")
    a, b = (check_name(p, "dyad") for p in parts)
    return (a or "", b or "")


def parse_bbox(value: str | None) -> tuple[float, float, float, float] | None:
    if value is None or value.strip() == "":
        return None
    parts = value.split(",")
    if len(parts) != 4:
        raise bad("bbox must be min_lon,min_lat,max_lon,max_lat", "K504")
    try:
        w, e = (parse_decimal(p, "bbox longitude", lo=-180, hi=180) for p in (parts[0], parts[2]))
        s, n = (parse_decimal(p, "bbox latitude", lo=-90, hi=90) for p in (parts[1], parts[3]))
    except QueryError as exc:
        raise bad(f"bbox is outside the world (lon -180..180, lat -90..90) or not numbers: {exc.args[0]}",
                  "K504") from None
    if s > n:
        raise bad("bbox is outside the world (lon -180..180, lat -90..90, south <= north)", "K504")
    return (w, s, e, n)


@dataclasses.dataclass(frozen=True)
class Page:
    limit: int
    offset: int


Limit = Annotated[int | None, whole("limit", lo=1), Query(ge=1, description="Page size (capped by api_max_page)")]
Offset = Annotated[int, whole("offset", lo=0, hi=MAX_OFFSET), Query(ge=0, le=MAX_OFFSET)]


def page(request: Request, limit: Limit = None, offset: Offset = 0) -> Page:
    cap = request.app.state.kronika.settings.api_max_page
    size = min(limit or min(100, cap), cap)
    return Page(limit=size, offset=offset)


def event_filter_values(
    actor: Annotated[str | None, Query(description="Either side: a country code, name or demonym, a capital, "
                                       "an organisation, a person or an actor code (one lookup)")] = None,
    source: Annotated[str | None, Query(description="Source actor (as actor)")] = None,
    target: Annotated[str | None, Query(description="Target actor (as actor)")] = None,
    dyad: Annotated[str | None, Query(description="Two actors, e.g. JPN,RUS")] = None,
    type: Annotated[str | None, Query(description="PLOVER 2021 types, e.g. CONSULT or CONSULT,AGREE (DEMAND: REQUEST)")] = None,
    quad_class: Annotated[str | None, Query(description="verbal_cooperation, … (several: comma-separated)")] = None,
    status: Annotated[str | None, Query(description="occurred|planned|denied|hypothetical (several: comma-separated)")] = None,
    since: Annotated[str | None, Query(description="ISO date; events on or after")] = None,
    until: Annotated[str | None, Query(description="ISO date; events on or before")] = None,
    place: Annotated[str | None, Query(description="Place name or GeoNames id")] = None,
    bbox: Annotated[str | None, Query(description="min_lon,min_lat,max_lon,max_lat")] = None,
    text: Annotated[str | None, Query(description="Words in the evidence sentence")] = None,
    article_id: Annotated[str | None, Query(pattern=r"^[0-9A-Za-z_\-]{1,64}$")] = None,
    cluster_id: Annotated[str | None, Query(pattern=r"^[0-9A-Za-z_\-]{1,64}$")] = None,
) -> dict[str, Any]:
    """The filter parameters every event-listing endpoint accepts, validated."""
    return {
        "actor": check_name(actor, "actor"),
        "source": check_name(source, "source"),
        "target": check_name(target, "target"),
        "dyad": parse_dyad(dyad),
        "type": check_type(type),
        "quad_class": check_values(quad_class, "quad_class", QUAD_CLASSES),
        "status": check_values(status, "status", STATUSES),
        "since": check_date(since, "since"),
        "until": check_date(until, "until"),
        "place": check_name(place, "place"),
        "bbox": parse_bbox(bbox),
        "text": check_name(text, "text"),
        "article_id": article_id,
        "cluster_id": cluster_id,
    }


FilterValues = Annotated[dict[str, Any], Depends(event_filter_values)]
PageParams = Annotated[Page, Depends(page)]


def make_filter(values: dict[str, Any], pg: Page | None = None, limit: int | None = None) -> Any:
    """Build the query layer's ``EventFilter`` from validated values (only fields it has)."""
    from kronika.query import EventFilter

    known = {f.name for f in dataclasses.fields(EventFilter)}
    kwargs = {k: v for k, v in values.items() if v is not None and k in known}
    if pg is not None:
        kwargs["limit"], kwargs["offset"] = pg.limit, pg.offset
    elif limit is not None and "limit" in known:
        kwargs["limit"] = limit
    return EventFilter(**kwargs)
