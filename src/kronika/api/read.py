"""Read endpoints: one per named query of ``kronika.query``, JSON or CSV.

Every endpoint is a thin wrapper: validate parameters (``params``), run the named query
on a read-only store under the time limit (``context.run_query``), render (``formats``).
The dashboard draws only what these endpoints return, so every page has a JSON twin.

Nothing is cut silently (issue 20): every list says how many events match (``total``)
and links the next page (``next``, a relative URL with the same filters); and
``/api/events?<filters>&format=csv|jsonl|parquet`` downloads every matching event, not a
page (``download``).
"""

from __future__ import annotations

import contextlib
import itertools
import os
import tempfile
from pathlib import Path as FilePath
from typing import Annotated, Any
from urllib.parse import urlencode

import anyio
from fastapi import APIRouter, Depends, HTTPException, Path, Query, Request
from fastapi.responses import FileResponse, Response
from starlette.background import BackgroundTask

import kronika.query as q
from kronika.api.context import ctx_of, run_query
from kronika.api.formats import MEDIA_TYPES, EventFormat, Format, content_disposition, render, write_download
from kronika.api.params import (
    FilterValues,
    PageParams,
    check_date,
    check_name,
    make_filter,
    whole,
)
from kronika.store import Store
from kronika.store.access import interrupt


async def knowledge_loaded() -> None:
    """Load the actor lookup and the intensity tables (once per process, about 1 s) in a
    worker thread before a request takes the store, so the first request with an actor
    filter does not hold the store's read lock (and a waiting writer) while they load."""
    from kronika.query.intensity import intensity
    from kronika.query.lookup import default_lookup

    await anyio.to_thread.run_sync(lambda: (default_lookup(), intensity()))


router = APIRouter(prefix="/api", tags=["read"], dependencies=[Depends(knowledge_loaded)])

FormatParam = Annotated[Format, Query(description="json (default) or csv")]
EventFormatParam = Annotated[EventFormat, Query(
    description="json (default: one page) or csv, jsonl, parquet (every matching event, streamed)")]
# A download may run this many times the query time limit: it reads every matching row.
DOWNLOAD_TIME_FACTOR = 20
# reports: stored rows (one per reporting sentence); events: happenings (distinct clusters).
CountParam = Annotated[str, Query(pattern="^(reports|events)$",
                                  description="reports (every stored report) or events (each happening once)")]
ActorCode = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[^\x00-\x1f/\\]+$")]


@router.get("/events", summary="Events matching a filter: paged JSON, or every match as CSV, JSON lines or Parquet")
async def events(request: Request, flt: FilterValues, pg: PageParams,
                 format: EventFormatParam = EventFormat.json) -> Response:
    """JSON: one page (``limit``, at most ``api_max_page``) with ``total`` and ``next``.
    ``format=csv|jsonl|parquet``: every event matching the filters (from ``offset``, up
    to ``limit`` when one is given, uncapped), streamed as a file download."""
    if format is not EventFormat.json:
        wanted = request.query_params.get("limit")
        limit = whole("limit", lo=1).func(wanted) if wanted else None  # validated like the page size
        return await download(request, make_filter(flt), format, pg.offset, limit)
    f = make_filter(flt, pg)
    data = await run_query(request, lambda st: q.events_page(st, f, max_page=pg.limit))
    return render(with_next(request, data), Format.json, "events")


def with_next(request: Request, data: dict[str, Any], key: str = "items") -> dict[str, Any]:
    """Add ``next`` (the relative URL of the next page, same filters; None on the last)
    and ``showing`` ("101–200 of 523") to a paged answer (its rows under ``key``)."""
    nxt = data.get("next_offset")
    params = [(k, v) for k, v in request.query_params.multi_items() if k not in ("offset", "limit")]
    data["next"] = (f"{request.url.path}?{urlencode([*params, ('limit', data['limit']), ('offset', nxt)])}"
                    if nxt is not None else None)
    first = data["offset"] + 1 if data[key] else data["offset"]
    data["showing"] = f"{first}–{data['offset'] + len(data[key])} of {data['total']}"
    return data


async def download(request: Request, flt: Any, fmt: EventFormat, offset: int = 0,
                   limit: int | None = None) -> Response:
    """Every event matching ``flt`` as a file: written a chunk at a time to a temporary
    file under a read-only store (memory stays flat; the store is released before the
    client reads), then streamed and deleted. Time limit: ``DOWNLOAD_TIME_FACTOR`` x the
    query limit."""
    from kronika.query.export import iter_export_records

    ctx = ctx_of(request)
    fd, name = tempfile.mkstemp(prefix="kronika-", suffix=f".{fmt.value}")
    os.close(fd)  # the writer reopens it by name
    path = FilePath(name)
    opened: list[Any] = []

    def work(store: Store) -> int:
        records = iter_export_records(store, flt)
        stop = None if limit is None else offset + limit
        return write_download(itertools.islice(records, offset, stop), fmt, path)

    try:
        with anyio.fail_after(ctx.query_timeout_s * DOWNLOAD_TIME_FACTOR):
            n = await anyio.to_thread.run_sync(lambda: ctx.access.read(work, on_open=opened.append),
                                               abandon_on_cancel=True)
    except TimeoutError as exc:
        for store in opened:
            with contextlib.suppress(Exception):
                interrupt(store)
        path.unlink(missing_ok=True)
        raise HTTPException(status_code=504, detail="the download took too long; narrow the filter") from exc
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return FileResponse(path, media_type=MEDIA_TYPES[fmt], background=BackgroundTask(path.unlink, missing_ok=True),
                        headers={"Content-Disposition": content_disposition(f"events.{fmt.value}"),
                                 "X-Total-Count": str(n)})


@router.get("/events/{event_id}", summary="One event with its evidence spans")
async def event(
    request: Request,
    event_id: Annotated[str, Path(pattern=r"^[0-9A-Za-z_\-]{1,64}$")],
    format: FormatParam = Format.json,
) -> Response:
    data = await run_query(request, lambda st: q.get_event(st, event_id))
    return render(data, format, f"event-{event_id}")


@router.get("/summary", summary="Store overview: counts by type, status, quad class; top actors and dyads")
async def summary(request: Request, count: CountParam = "reports", format: FormatParam = Format.json) -> Response:
    from kronika.query.span import date_span

    # ``dates``: the articles' date span and what lies outside it (the overview's axis).
    data = await run_query(request, lambda st: {**q.summary(st, count=count), "dates": date_span(st)})
    return render(data, format, "summary")


@router.get("/volume", summary="Events per period by quad class (for the overview chart)")
async def volume(
    request: Request,
    flt: FilterValues,
    interval: Annotated[str, Query(pattern="^(day|week|month|quarter|year)$")] = "month",
    count: CountParam = "reports",
    format: FormatParam = Format.json,
) -> Response:
    f = make_filter(flt)
    rows = await run_query(request, lambda st: q.volume(st, f, interval, count=count))
    return render({"interval": interval, "count": count, "series": rows}, format, "volume")


@router.get("/dyads/{a}/{b}", summary="Cooperation and conflict over time between two actors")
async def dyad(
    request: Request,
    a: ActorCode,
    b: ActorCode,
    interval: Annotated[str, Query(pattern="^(day|week|month|quarter|year)$")] = "month",
    since: str | None = None,
    until: str | None = None,
    directed: Annotated[bool, Query(description="only events with A as source and B as target")] = False,
    symmetric: Annotated[bool, Query(description="old name: symmetric=false is directed=true")] = True,
    count: CountParam = "reports",
    format: FormatParam = Format.json,
) -> Response:
    """Per period: events by quad and penta class, by type, the balance and the mean
    Goldstein score (``kronika.query.dyad_report``, which ``kronika dyad`` prints too).
    A and B are read by the one actor lookup ("Japan" = "JPN" = "Japanese")."""
    a_, b_ = check_name(a, "a"), check_name(b, "b")
    s, u = check_date(since, "since"), check_date(until, "until")
    is_directed = directed or not symmetric
    data = await run_query(request, lambda st: q.dyad_report(st, a_, b_, interval, s, u, directed=is_directed,
                                                             count=count))
    # ``coarse``: events dated more coarsely than one period ("2019" in a monthly series),
    # kept out of ``series`` and listed here by their own date (CSV renders ``series``).
    return render(data, format, f"dyad-{a_}-{b_}")


@router.get("/network", summary="Actor network: who acts on whom, weighted by events")
async def network(
    request: Request,
    flt: FilterValues,
    level: Annotated[str, Query(pattern="^(country|actor|entity)$")] = "country",
    min_weight: Annotated[int, whole("min_weight", lo=1, hi=1_000_000), Query(ge=1, le=1_000_000)] = 1,
    count: CountParam = "reports",
    format: FormatParam = Format.json,
) -> Response:
    f = make_filter(flt)
    data = await run_query(request, lambda st: q.actor_network(st, f, level=level, min_weight=min_weight,
                                                               count=count))
    return render(data, format, "network")


@router.get("/timeline", summary="Events in date order (oldest first) for any filter: an actor, a dyad, a place …")
async def timeline(request: Request, flt: FilterValues, pg: PageParams, format: FormatParam = Format.json) -> Response:
    """A page of the chronology with ``total`` and ``next`` (``kronika.query.timeline_page``,
    which ``kronika timeline`` prints too)."""
    f = make_filter(flt, pg)
    data = await run_query(request, lambda st: q.timeline_page(st, f, max_page=pg.limit))
    return render(with_next(request, data), format, "timeline")


@router.get("/clusters", summary="Cross-article event clusters (one real event, many reports)")
async def clusters(request: Request, flt: FilterValues, pg: PageParams,
                   format: FormatParam = Format.json) -> Response:
    f = make_filter(flt, pg)

    def work(st: Any) -> dict[str, Any]:
        total = q.count_clusters(st, f)
        nxt = pg.offset + pg.limit
        return {"total": total, "limit": pg.limit, "offset": pg.offset, "items": q.list_clusters(st, f),
                "next_offset": nxt if nxt < total else None}

    data = await run_query(request, work)
    return render(with_next(request, data), format, "clusters")


@router.get("/clusters/{cluster_id}", summary="One event cluster with its mentions")
async def cluster(
    request: Request,
    cluster_id: Annotated[str, Path(pattern=r"^[0-9A-Za-z_\-]{1,64}$")],
    format: FormatParam = Format.json,
) -> Response:
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
    data = await run_query(request, lambda st: q.article_view(st, article_id))
    if not data:
        raise HTTPException(status_code=404, detail="no such article")
    return render(data, format, f"article-{article_id}")


@router.get("/map", summary="Located events (newest first, paged: total and next), for the map")
async def map_points(request: Request, flt: FilterValues, pg: PageParams, count: CountParam = "reports",
                     format: FormatParam = Format.json) -> Response:
    f = make_filter(flt, pg)
    data = await run_query(request, lambda st: q.map_page(st, f, max_page=pg.limit, count=count))
    return render(with_next(request, data, "points"), format, "map")
