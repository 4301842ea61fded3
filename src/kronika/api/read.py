"""Read endpoints: one per named query of ``kronika.query``, JSON or CSV.

Every endpoint is a thin wrapper: validate parameters (``params``), run the named query
on a read-only store under the time limit (``context.run_query``), render (``formats``).
The dashboard draws only what these endpoints return, so every page has a JSON twin.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Path, Query, Request
from fastapi.responses import Response

from kronika.api.context import run_query
from kronika.api.formats import Format, render
from kronika.api.params import (
    FilterValues,
    Limit,
    PageParams,
    check_date,
    check_name,
    make_filter,
    parse_dyad,
    whole,
)

router = APIRouter(prefix="/api", tags=["read"])

FormatParam = Annotated[Format, Query(description="json (default) or csv")]
ActorCode = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[^\x00-\x1f/\\]+$")]


def _q():  # the query module, imported late so the API starts without it being built yet
    import kronika.query as q

    return q


@router.get("/events", summary="Events matching a filter, paged")
async def events(request: Request, flt: FilterValues, pg: PageParams,
                 format: FormatParam = Format.json) -> Response:
    q = _q()
    f = make_filter(flt, pg)

    def work(store: Any) -> dict[str, Any]:
        items = q.find_events(store, f, max_page=pg.limit)
        total = q.count_events(store, f)
        return {"total": total, "limit": pg.limit, "offset": pg.offset, "items": items}

    data = await run_query(request, work)
    nxt = pg.offset + pg.limit
    data["next_offset"] = nxt if nxt < int(data["total"] or 0) else None
    return render(data, format, "events")


@router.get("/events/{event_id}", summary="One event with its evidence spans")
async def event(
    request: Request,
    event_id: Annotated[str, Path(pattern=r"^[0-9A-Za-z_\-]{1,64}$")],
    format: FormatParam = Format.json,
) -> Response:
    q = _q()
    data = await run_query(request, lambda st: q.get_event(st, event_id))
    return render(data, format, f"event-{event_id}")


@router.get("/summary", summary="Store overview: counts by type, status, quad class; top actors and dyads")
async def summary(request: Request, format: FormatParam = Format.json) -> Response:
    q = _q()
    from kronika.query.span import date_span

    # ``dates``: the articles' date span and what lies outside it (the overview's axis).
    data = await run_query(request, lambda st: {**q.summary(st), "dates": date_span(st)})
    return render(data, format, "summary")


@router.get("/volume", summary="Events per period by quad class (for the overview chart)")
async def volume(
    request: Request,
    flt: FilterValues,
    interval: Annotated[str, Query(pattern="^(day|week|month|quarter|year)$")] = "month",
    format: FormatParam = Format.json,
) -> Response:
    q = _q()
    f = make_filter(flt)
    rows = await run_query(request, lambda st: q.volume(st, f, interval))
    return render({"interval": interval, "series": rows}, format, "volume")


@router.get("/dyads/{a}/{b}", summary="Cooperation and conflict over time between two actors")
async def dyad(
    request: Request,
    a: ActorCode,
    b: ActorCode,
    interval: Annotated[str, Query(pattern="^(day|week|month|quarter|year)$")] = "month",
    since: str | None = None,
    until: str | None = None,
    symmetric: bool = True,
    format: FormatParam = Format.json,
) -> Response:
    q = _q()
    a_, b_ = check_name(a, "a"), check_name(b, "b")
    s, u = check_date(since, "since"), check_date(until, "until")

    def work(st: Any) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        args = {"interval": interval, "since": s, "until": u, "symmetric": symmetric}
        return q.dyad_series(st, a_, b_, **args), q.dyad_coarse(st, a_, b_, **args)

    rows, coarse = await run_query(request, work)
    # ``coarse``: events dated more coarsely than one period ("2019" in a monthly series),
    # kept out of ``series`` and listed here by their own date (CSV renders ``series``).
    return render({"a": a_, "b": b_, "interval": interval, "series": rows, "coarse": coarse},
                  format, f"dyad-{a_}-{b_}")


@router.get("/network", summary="Actor network: who acts on whom, weighted by events")
async def network(
    request: Request,
    flt: FilterValues,
    level: Annotated[str, Query(pattern="^(country|actor|entity)$")] = "country",
    min_weight: Annotated[int, whole("min_weight", lo=1, hi=1_000_000), Query(ge=1, le=1_000_000)] = 1,
    format: FormatParam = Format.json,
) -> Response:
    q = _q()
    f = make_filter(flt)
    data = await run_query(request, lambda st: q.actor_network(st, f, level=level, min_weight=min_weight))
    return render(data, format, "network")


@router.get("/timeline", summary="Events in date order for an actor, a dyad or a place")
async def timeline(
    request: Request,
    actor: str | None = None,
    dyad: str | None = None,
    place: str | None = None,
    limit: Limit = None,
    format: FormatParam = Format.json,
) -> Response:
    q = _q()
    cap = request.app.state.kronika.settings.api_max_page
    n = min(limit or min(200, cap), cap)
    a, d, p = check_name(actor, "actor"), parse_dyad(dyad), check_name(place, "place")
    rows = await run_query(request, lambda st: q.timeline(st, actor=a, dyad=d, place=p, limit=n, max_page=cap))
    return render({"items": rows}, format, "timeline")


@router.get("/clusters", summary="Cross-article event clusters (one real event, many reports)")
async def clusters(request: Request, flt: FilterValues, pg: PageParams,
                   format: FormatParam = Format.json) -> Response:
    q = _q()
    f = make_filter(flt, pg)
    rows = await run_query(request, lambda st: q.list_clusters(st, f))
    return render({"limit": pg.limit, "offset": pg.offset, "items": rows}, format, "clusters")


@router.get("/clusters/{cluster_id}", summary="One event cluster with its mentions")
async def cluster(
    request: Request,
    cluster_id: Annotated[str, Path(pattern=r"^[0-9A-Za-z_\-]{1,64}$")],
    format: FormatParam = Format.json,
) -> Response:
    q = _q()
    data = await run_query(request, lambda st: q.get_cluster(st, cluster_id))
    if not data:
        raise HTTPException(status_code=404, detail="no such cluster")
    return render(data, format, f"cluster-{cluster_id}")


@router.get("/articles/{article_id}", summary="An article with its events and their evidence spans")
async def article(
    request: Request,
    article_id: Annotated[str, Path(pattern=r"^[0-9A-Za-z_\-]{1,64}$")],
    format: FormatParam = Format.json,
) -> Response:
    q = _q()
    data = await run_query(request, lambda st: q.article_view(st, article_id))
    if not data:
        raise HTTPException(status_code=404, detail="no such article")
    return render(data, format, f"article-{article_id}")


@router.get("/map", summary="Located events (newest first, paged), for the map")
async def map_points(request: Request, flt: FilterValues, pg: PageParams,
                     format: FormatParam = Format.json) -> Response:
    q = _q()
    f = make_filter(flt, pg)
    rows = await run_query(request, lambda st: q.map_points(st, f, max_page=pg.limit))
    return render({"limit": pg.limit, "offset": pg.offset, "points": rows}, format, "map")
