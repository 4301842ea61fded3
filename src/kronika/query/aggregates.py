"""Aggregate views: the store at a glance, dyadic time series, actor networks.

All counting happens in DuckDB (one grouped query each); Python only reshapes the
grouped rows into the plain dicts the CLI, API and dashboard share.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from kronika.errors import QueryError
from kronika.model import SYMMETRIC_TYPES, TYPE_ALIASES
from kronika.query.clusters import check_count, count_sql
from kronika.query.filters import QUAD_CLASSES, EventFilter, store_where
from kronika.query.intensity import PENTA_CLASSES, intensity
from kronika.query.lookup import default_lookup
from kronika.store import Store

INTERVALS: tuple[str, ...] = ("day", "week", "month", "quarter", "year")
# level → (member expression over event_actors ``ea``, flattened source, flattened target)
LEVELS: dict[str, tuple[str, str, str]] = {
    "country": ("ea.country", "e.source_country", "e.target_country"),
    "actor": ("ea.actor", "e.source_actor", "e.target_actor"),
    "entity": ("coalesce(ea.entity, ea.actor)", "coalesce(e.source_entity, e.source_actor)",
               "coalesce(e.target_entity, e.target_actor)"),
}
_TOP = 20


def _breakdowns(store: Store, clause: str, params: list[Any], count: str = "reports") -> dict[str, Any]:
    """Total and counts by type, status and quad class in one scan (grouping sets)."""
    rows = store.fetch_tuples(
        f"""SELECT grouping(e.type), grouping(e.status), grouping(e.quad_class),
                   e.type, e.status, e.quad_class, {count_sql(count)} AS n
            FROM events e {clause}
            GROUP BY GROUPING SETS ((e.type), (e.status), (e.quad_class), ())
            ORDER BY n DESC, e.type, e.status, e.quad_class""",
        params,
    )
    out: dict[str, Any] = {"events": 0, "by_type": {}, "by_status": {}, "by_quad_class": {}}
    for g_type, g_status, g_quad, type_, status, quad, n in rows:
        if g_type and g_status and g_quad:
            out["events"] = int(n)
        elif not g_type and type_ is not None:
            out["by_type"][type_] = int(n)
        elif not g_status and status is not None:
            out["by_status"][status] = int(n)
        elif not g_quad and quad is not None:
            out["by_quad_class"][quad] = int(n)
    return out


def summary(store: Store, flt: EventFilter | None = None, count: str = "reports") -> dict[str, Any]:
    """Totals, breakdowns by type/status/quad class, top dyads and actors, error count.
    ``count``: ``reports`` (stored rows) or ``events`` (happenings: distinct clusters), see
    ``query.clusters.COUNTS``; ``clusters`` is always the number of happenings."""
    clause, params = store_where(store, flt or EventFilter())
    dyads = store.fetch_tuples(
        f"""SELECT least(source_country, target_country) AS a,
                   greatest(source_country, target_country) AS b, {count_sql(count)} AS n
            FROM events e {clause} {'AND' if clause else 'WHERE'}
                 source_country IS NOT NULL AND target_country IS NOT NULL
                 AND source_country <> target_country
            GROUP BY 1, 2 ORDER BY n DESC, a, b LIMIT {_TOP}""",
        params,
    )
    # An event counts once per actor: its target is skipped when it is the source too.
    actors = store.fetch_tuples(
        f"""SELECT actor, {count_sql(count, "u")} AS n FROM (
                SELECT e.source_actor AS actor, e.cluster_id, e.event_id FROM events e {clause}
                UNION ALL SELECT e.target_actor, e.cluster_id, e.event_id FROM events e {clause}
                {'AND' if clause else 'WHERE'} e.target_actor IS DISTINCT FROM e.source_actor) u
            WHERE actor IS NOT NULL GROUP BY 1 ORDER BY n DESC, actor LIMIT {_TOP}""",
        params + params,
    )
    span = store.fetch_tuples(f"SELECT min(e.date_start), max(e.date_end) FROM events e {clause}", params)[0]
    counts = _breakdowns(store, clause, params, count)
    return {
        "count": check_count(count),
        "articles": int(store.scalar("SELECT count(*) FROM articles") or 0),
        "events": counts["events"],
        "clusters": int(store.scalar(f"SELECT count(DISTINCT e.cluster_id) FROM events e {clause}", params) or 0),
        "by_type": counts["by_type"],
        "by_status": counts["by_status"],
        "by_quad_class": counts["by_quad_class"],
        "top_dyads": [{"a": a, "b": b, "events": int(n)} for a, b, n in dyads],
        "top_actors": [{"actor": a, "events": int(n)} for a, n in actors],
        "first_date": span[0].isoformat() if span[0] else None,
        "last_date": span[1].isoformat() if span[1] else None,
        "ingest_errors": int(store.scalar("SELECT count(*) FROM ingest_errors") or 0),
    }


def _step(day: dt.date, interval: str) -> dt.date:
    if interval == "day":
        return day + dt.timedelta(days=1)
    if interval == "week":
        return day + dt.timedelta(days=7)
    months = {"month": 1, "quarter": 3, "year": 12}[interval]
    m = day.month - 1 + months
    return dt.date(day.year + m // 12, m % 12 + 1, 1)


def _empty_period(period: dt.date) -> dict[str, Any]:
    return {"period": period.isoformat(), "events": 0, "by_quad": dict.fromkeys(QUAD_CLASSES, 0),
            "by_penta": dict.fromkeys(PENTA_CLASSES, 0), "by_type": {}, "balance": None,
            "mean_goldstein": None, "_gold": [0.0, 0]}


def _add_intensity(row: dict[str, Any], cameo: str | None, type_: str, mode: str | None, quad: str | None,
                   n: int) -> None:
    """Count ``n`` events of one (CAMEO root, type, mode) group into ``row``'s penta
    classes and Goldstein sum (``kronika.query.intensity``)."""
    scale = intensity()
    penta = scale.penta(cameo, type_, quad)
    if penta in row["by_penta"]:
        row["by_penta"][penta] += n
    score = scale.score(cameo, type_, mode)
    if score is not None:
        row["_gold"][0] += score * n
        row["_gold"][1] += n


def _close_intensity(row: dict[str, Any]) -> dict[str, Any]:
    total, scored = row.pop("_gold")
    row["mean_goldstein"] = round(total / scored, 3) if scored else None
    return row


def _dyad_where(store: Store, a: str, b: str, interval: str, since: str | None, until: str | None,
                symmetric: bool) -> tuple[str, str, list[Any]]:
    """The checked interval (our constant, safe to inline) and the dyad's WHERE clause."""
    if interval not in INTERVALS:
        raise QueryError(f"interval must be one of {', '.join(INTERVALS)}, got {interval!r}", code="K506")
    flt = (EventFilter(dyad=(a, b), since=since, until=until) if symmetric
           else EventFilter(source=a, target=b, since=since, until=until))
    clause, params = store_where(store, flt)
    return INTERVALS[INTERVALS.index(interval)], clause, params


def dyad_series(
    store: Store,
    a: str,
    b: str,
    interval: str = "month",
    since: str | None = None,
    until: str | None = None,
    symmetric: bool = True,
    count: str = "reports",
) -> list[dict[str, Any]]:
    """Counts per period between ``a`` and ``b`` (both directions unless not ``symmetric``),
    of reports or of happenings (``count``, see ``query.clusters.COUNTS``).

    Each row: ``period`` (first day), ``events``, ``by_quad`` (all four quad classes),
    ``by_penta`` (neutral and the four), ``by_type``, ``balance`` = (cooperation −
    conflict) / events and ``mean_goldstein`` (the mean CAMEO Goldstein score of the
    period's events, ``kronika.query.intensity``), both None for an empty period.
    An event counts in a period only when its date lies wholly inside it (a "2019" event
    is not a January event), so coarse dates never inflate one month. Gaps are filled.
    Decision (issue 7): the events left out this way are not lost but reported apart by
    ``dyad_coarse`` (the API returns them as ``coarse`` beside ``series``), because
    spreading them over periods or pinning them to their first day both invent a date.
    """
    part, clause, params = _dyad_where(store, a, b, interval, since, until, symmetric)
    inside = (f"e.date_start IS NOT NULL AND date_trunc('{part}', e.date_start) = "
              f"date_trunc('{part}', e.date_end)")
    rows = store.fetch_tuples(
        f"""SELECT CAST(date_trunc('{part}', e.date_start) AS DATE) AS p, e.quad_class, e.type,
                   e.cameo, e.mode, {count_sql(count)}
            FROM events e {clause} {'AND' if clause else 'WHERE'} {inside}
            GROUP BY ALL ORDER BY p""",
        params,
    )
    periods: dict[dt.date, dict[str, Any]] = {}
    for p, quad, type_, cameo, mode, n in rows:
        type_ = TYPE_ALIASES.get(type_, type_)
        row = periods.setdefault(p, _empty_period(p))
        row["events"] += n
        if quad in row["by_quad"]:
            row["by_quad"][quad] += n
        row["by_type"][type_] = row["by_type"].get(type_, 0) + n
        _add_intensity(row, cameo, type_, mode, quad, n)
    if not periods:
        return []
    out: list[dict[str, Any]] = []
    day, last = min(periods), max(periods)
    while day <= last:
        row = periods.get(day) or _empty_period(day)
        q = row["by_quad"]
        coop = q["verbal_cooperation"] + q["material_cooperation"]
        conf = q["verbal_conflict"] + q["material_conflict"]
        row["balance"] = round((coop - conf) / row["events"], 4) if row["events"] else None
        out.append(_close_intensity(row))
        day = _step(day, part)
    return out


def dyad_coarse(
    store: Store,
    a: str,
    b: str,
    interval: str = "month",
    since: str | None = None,
    until: str | None = None,
    symmetric: bool = True,
    count: str = "reports",
) -> list[dict[str, Any]]:
    """The dyad's events whose date is coarser than ``interval`` (what ``dyad_series``
    leaves out), grouped by their own date value: ``{"date": "2019", "date_start",
    "date_end", "events", "by_quad"}``, oldest first. Undated events are not counted."""
    part, clause, params = _dyad_where(store, a, b, interval, since, until, symmetric)
    coarse = (f"e.date_start IS NOT NULL AND date_trunc('{part}', e.date_start) <> "
              f"date_trunc('{part}', e.date_end)")
    rows = store.fetch_tuples(
        f"""SELECT e.date_start, e.date_end, min(e.date_value), e.quad_class, e.type, e.cameo, e.mode,
                   {count_sql(count)}
            FROM events e {clause} {'AND' if clause else 'WHERE'} {coarse}
            GROUP BY e.date_start, e.date_end, e.quad_class, e.type, e.cameo, e.mode ORDER BY 1, 2""",
        params,
    )
    spans: dict[tuple[dt.date, dt.date], dict[str, Any]] = {}
    for start, end, value, quad, type_, cameo, mode, n in rows:
        row = spans.setdefault((start, end), {
            "date": value, "date_start": start.isoformat(), "date_end": end.isoformat(),
            "events": 0, "by_quad": dict.fromkeys(QUAD_CLASSES, 0),
            "by_penta": dict.fromkeys(PENTA_CLASSES, 0), "mean_goldstein": None, "_gold": [0.0, 0]})
        row["date"] = min(row["date"], value)
        row["events"] += n
        if quad in row["by_quad"]:
            row["by_quad"][quad] += n
        _add_intensity(row, cameo, TYPE_ALIASES.get(type_, type_), mode, quad, n)
    return [_close_intensity(r) for r in spans.values()]


def dyad_report(
    store: Store,
    a: str,
    b: str,
    interval: str = "month",
    since: str | None = None,
    until: str | None = None,
    directed: bool = False,
    count: str = "reports",
) -> dict[str, Any]:
    """Everything the dyad view shows, for the API (``/api/dyads/{a}/{b}``) and the CLI
    (``kronika dyad``) alike: who ``a`` and ``b`` were read as (the one actor lookup),
    the series (``dyad_series``), the coarsely dated events it leaves out
    (``dyad_coarse``) and the totals over both, with the mean Goldstein score.

    ``directed``: only events with ``a`` as source and ``b`` as target; else both ways.
    ``count``: reports or happenings (``query.clusters.COUNTS``)."""
    args = {"interval": interval, "since": since, "until": until, "symmetric": not directed,
            "count": check_count(count)}
    series = dyad_series(store, a, b, **args)
    coarse = dyad_coarse(store, a, b, **args)
    lookup = default_lookup()
    totals: dict[str, Any] = {"events": 0, "by_quad": dict.fromkeys(QUAD_CLASSES, 0),
                              "by_penta": dict.fromkeys(PENTA_CLASSES, 0), "mean_goldstein": None}
    gold, scored = 0.0, 0
    for row in (*series, *coarse):
        totals["events"] += row["events"]
        for key in ("by_quad", "by_penta"):
            for k, v in row[key].items():
                totals[key][k] += v
        if row["mean_goldstein"] is not None:
            n = sum(row["by_penta"].values()) or row["events"]
            gold += row["mean_goldstein"] * n
            scored += n
    totals["mean_goldstein"] = round(gold / scored, 3) if scored else None
    return {"a": a, "b": b, "a_label": lookup.resolve(a).label, "b_label": lookup.resolve(b).label,
            "interval": interval, "directed": directed, "count": args["count"], "since": since, "until": until,
            "series": series, "coarse": coarse, "totals": totals}


def volume(store: Store, flt: EventFilter | None = None, interval: str = "month",
           count: str = "reports") -> list[dict[str, Any]]:
    """All matching events per period by quad class, for the overview chart: rows
    ``{period, events, <quad class>: n …}`` in period order, dated events only; ``count``
    says whether ``events`` are reports or happenings (``query.clusters.COUNTS``).

    Unlike ``dyad_series`` an event counts in the period holding its first day: the
    overview shows how much was reported when, and coarse dates are a small share.
    """
    if interval not in INTERVALS:
        raise QueryError(f"interval must be one of {', '.join(INTERVALS)}, got {interval!r}", code="K506")
    part = INTERVALS[INTERVALS.index(interval)]  # our constant, safe to inline
    clause, params = store_where(store, flt or EventFilter())
    rows = store.fetch_tuples(
        f"""SELECT CAST(date_trunc('{part}', e.date_start) AS DATE) AS p, e.quad_class, {count_sql(count)}
            FROM events e {clause} {'AND' if clause else 'WHERE'} e.date_start IS NOT NULL
            GROUP BY ALL ORDER BY p""",
        params,
    )
    periods: dict[dt.date, dict[str, Any]] = {}
    for p, quad, n in rows:
        row = periods.setdefault(p, {"period": p.isoformat(), "events": 0, **dict.fromkeys(QUAD_CLASSES, 0)})
        row["events"] += n
        if quad in QUAD_CLASSES:
            row[quad] += n
    return list(periods.values())


def actor_network(
    store: Store, flt: EventFilter | None = None, level: str = "country", min_weight: int = 1,
    count: str = "reports",
) -> dict[str, Any]:
    """Who acts on whom: nodes with event counts, edges with weights by quad class.

    Every member of a compound side takes part. Edges of symmetric types (CONSULT,
    AGREE, COOPERATE) are stored with the smaller id as ``source``; self-loops
    (a country acting on itself) are left out of the edges. ``count``: weights in
    reports or in happenings (distinct clusters), see ``query.clusters.COUNTS``.
    """
    if level not in LEVELS:
        raise QueryError(f"level must be one of {', '.join(LEVELS)}, got {level!r}", code="K507")
    clause, params = store_where(store, flt or EventFilter())
    rows = store.fetch_tuples(_network_sql(level, clause, check_count(count)), [*params, *params])  # clause twice
    edges: dict[tuple[str, str], dict[str, Any]] = {}
    for src, tgt, quad, n in rows:
        edge = edges.setdefault((src, tgt), {"source": src, "target": tgt, "weight": 0,
                                             "by_quad": dict.fromkeys(QUAD_CLASSES, 0)})
        edge["weight"] += n
        if quad in edge["by_quad"]:
            edge["by_quad"][quad] += n
    kept = sorted((e for e in edges.values() if e["weight"] >= min_weight),
                  key=lambda e: (-e["weight"], e["source"], e["target"]))
    degree: dict[str, int] = defaultdict(int)
    for e in kept:
        degree[e["source"]] += e["weight"]
        degree[e["target"]] += e["weight"]
    nodes = [{"id": n, "label": _label(n, level), "events": w}
             for n, w in sorted(degree.items(), key=lambda kv: (-kv[1], kv[0]))]
    return {"nodes": nodes, "edges": kept}


def _network_sql(level: str, clause: str, count: str = "reports") -> str:
    """Pairs per event: every event's first-member pair from the flattened columns, plus
    the other member pairings of compound sides; symmetric types ordered, self-loops
    dropped. Why not "flat events, then compound events" as two disjoint sets: telling
    them apart costs an anti-join of every event id (half the query at 10M events),
    while the compound events, a few per cent, are cheap to join on their own. Pairs are
    counted on the raw columns first and ordered afterwards: ordering every event's pair
    before grouping cost as much as the scan (10M events: 2.4 s -> see docs/performance).
    Counting happenings (``count="events"``) orders symmetric pairs first, so a cluster
    whose reports name the two sides in either order counts once."""
    member, src, tgt = LEVELS[level]
    sym = ", ".join(f"'{t}'" for t in sorted(SYMMETRIC_TYPES))
    if count == "events":
        pair_s = f"CASE WHEN type IN ({sym}) THEN least(s, t) ELSE s END"
        pair_t = f"CASE WHEN type IN ({sym}) THEN greatest(s, t) ELSE t END"
        tally = "count(DISTINCT cid)"
    else:
        pair_s, pair_t, tally = "s", "t", "count(*)"
    return f"""
    WITH compound AS (SELECT DISTINCT event_id FROM event_actors WHERE idx > 0),
         flat AS (SELECT e.type, e.quad_class, {src} AS s, {tgt} AS t,
                         coalesce(e.cluster_id, e.event_id) AS cid FROM events e {clause}),
         multi AS (
            SELECT DISTINCT e.event_id, e.type, e.quad_class, sa.node AS s, ta.node AS t,
                   coalesce(e.cluster_id, e.event_id) AS cid
            FROM events e JOIN compound c ON c.event_id = e.event_id
            JOIN (SELECT ea.event_id, {member} AS node FROM event_actors ea WHERE ea.side = 'source') sa
                 ON sa.event_id = e.event_id
            JOIN (SELECT ea.event_id, {member} AS node FROM event_actors ea WHERE ea.side = 'target') ta
                 ON ta.event_id = e.event_id
            {clause} {'AND' if clause else 'WHERE'}
                NOT (sa.node IS NOT DISTINCT FROM {src} AND ta.node IS NOT DISTINCT FROM {tgt})),
         both_ AS (SELECT type, quad_class, s, t, cid FROM flat
                   UNION ALL SELECT type, quad_class, s, t, cid FROM multi),
         pairs AS (SELECT type, quad_class, {pair_s} AS s, {pair_t} AS t, {tally} AS n FROM both_
                   WHERE s IS NOT NULL AND t IS NOT NULL AND s <> t GROUP BY ALL)
    SELECT CASE WHEN type IN ({sym}) THEN least(s, t) ELSE s END AS src,
           CASE WHEN type IN ({sym}) THEN greatest(s, t) ELSE t END AS tgt,
           quad_class, sum(n)
    FROM pairs GROUP BY ALL"""


def _label(node: str, level: str) -> str:
    """Country names for ISO codes (pycountry); other levels label themselves."""
    if level != "country":
        return node
    import pycountry

    country = pycountry.countries.get(alpha_3=node)
    return country.name if country else node
