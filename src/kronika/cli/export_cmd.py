"""Export commands: export, import, network, map.

Thin wrappers: parse the options into an ``EventFilter``, call ``kronika.exports`` (or the
store's import) and turn ``KronikaError`` into exit code 2. ``network`` and ``map`` run the
same query functions as ``/api/network`` and ``/api/map`` (``actor_network``,
``map_points``), so the command line, the API and the dashboard show the same numbers.
"""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from kronika.cli.app import app
from kronika.cli.core import ConfigOption, DbOption, err, fail, load_settings, out, output
from kronika.errors import KronikaError


class ExportFormat(StrEnum):
    parquet = "parquet"
    jsonl = "jsonl"
    csv = "csv"
    plover = "plover"
    polecat = "polecat"
    gexf = "gexf"
    geojson = "geojson"


class NetworkFormat(StrEnum):
    table = "table"
    gexf = "gexf"
    csv = "csv"
    json = "json"


class MapFormat(StrEnum):
    table = "table"
    geojson = "geojson"
    csv = "csv"


Since = Annotated[str | None, typer.Option(help="ISO date: events whose date ends on or after it")]
Until = Annotated[str | None, typer.Option(help="ISO date: events whose date starts on or before it")]
TypeOpt = Annotated[str | None, typer.Option("--type", help="PLOVER type(s), comma-separated (DEMAND: REQUEST)")]
StatusOpt = Annotated[str | None, typer.Option(help="occurred|planned|denied|hypothetical (comma-separated)")]
ActorOpt = Annotated[str | None, typer.Option(help="Either side: country/actor code or name")]
SourceOpt = Annotated[str | None, typer.Option(help="Source country/actor code or name")]
TargetOpt = Annotated[str | None, typer.Option(help="Target country/actor code or name")]
OutOpt = Annotated[Path | None, typer.Option("--out", "-o", help="Write to this file instead of stdout")]
LevelOpt = Annotated[str, typer.Option(help="Network nodes: country|actor|entity")]
TopOpt = Annotated[int | None, typer.Option("--top", help="Keep the N nodes with most events (and edges among them)")]
MinWeightOpt = Annotated[int, typer.Option("--min-weight", help="Drop edges with fewer events")]


def _filter(**values: Any) -> Any:
    from kronika.query import EventFilter

    return EventFilter(**values)


@app.command()
def export(
    dest: Annotated[Path, typer.Argument(help="Output folder, created if needed: every format writes a folder "
                                              "holding its data file(s), codebook.md and metadata.json")],
    format: Annotated[ExportFormat, typer.Option(
        "--format", "-f", help="parquet|jsonl: whole-store backup (every table); csv: events.csv (one row per "
        "event) + articles.csv; plover: events.plover.jsonl (PLOVER manual records); polecat: "
        "events.polecat.jsonl (POLECAT's record layout); gexf: network.gexf + "
        "network.csv; geojson: map.geojson")] = ExportFormat.parquet,
    since: Since = None,
    until: Until = None,
    type: TypeOpt = None,
    status: StatusOpt = None,
    actor: ActorOpt = None,
    source: SourceOpt = None,
    target: TargetOpt = None,
    level: LevelOpt = "country",
    top: TopOpt = None,
    min_weight: MinWeightOpt = 1,
    db: DbOption = None,
    config: ConfigOption = None,
) -> None:
    """Export events into a folder, with codebook.md and metadata.json beside the data.

    Filters apply to csv, plover, polecat, gexf and geojson; --level, --top and --min-weight to gexf.
    `kronika import` reads parquet, jsonl and csv exports back."""
    from kronika.exports import NetworkOptions
    from kronika.exports import export as run_export
    from kronika.store import Store

    settings = load_settings(config, db_path=db)
    try:
        flt = _filter(since=since, until=until, type=type, status=status, actor=actor, source=source,
                      target=target)
        with Store(settings.db_path, read_only=True) as store:
            result = run_export(store, format.value, dest, flt,
                                NetworkOptions(level=level, min_weight=min_weight, top=top))
    except KronikaError as exc:
        raise fail(exc) from exc
    for p in result.files:
        err.print(f"wrote {p}")
    err.print("rows: " + ", ".join(f"{k} {v}" for k, v in result.rows.items()))


@app.command("import")
def import_(
    source: Annotated[Path, typer.Argument(
        help="What `kronika export` wrote: a parquet, jsonl or csv export folder, or one events CSV file")],
    db: DbOption = None,
    config: ConfigOption = None,
) -> None:
    """Load an export back (restore a backup): adds the articles the store lacks, in one transaction.

    A csv export restores articles and events (not the mention tables a parquet backup holds)."""
    from kronika.store.access import SharedWriter

    settings = load_settings(config, db_path=db)
    try:
        # imported events join clusters by the settings' rule, as ingested ones do
        result = SharedWriter.from_settings(settings).import_export(source)
    except KronikaError as exc:
        raise fail(exc) from exc
    err.print(f"articles: {result.articles_written} imported, {result.articles_skipped} already stored; "
              f"events: {result.events_written}; problems: {result.problems}")


@app.command()
def recluster(
    window_days: Annotated[int | None, typer.Option(
        "--window-days", help="Cluster window in days (default: the store.cluster_window_days setting)")] = None,
    distance_km: Annotated[float | None, typer.Option(
        "--distance-km", help="Cluster distance in km (default: the store.cluster_distance_km setting)")] = None,
    db: DbOption = None,
    config: ConfigOption = None,
) -> None:
    """Redo every event cluster of the store under the settings' rule, in one transaction.

    Clusters are assigned as events are written; a store built under other cluster settings
    (or before a change of them) keeps its old clusters until this is run."""
    from kronika.store.access import SharedWriter
    from kronika.store.db import no_store

    settings = load_settings(config, db_path=db, cluster_window_days=window_days,
                             cluster_distance_km=distance_km)
    try:
        if not settings.db_path.exists():  # a write would make an empty store: say so instead
            raise no_store(settings.db_path)
        n = SharedWriter.from_settings(settings).recluster()
    except KronikaError as exc:
        raise fail(exc) from exc
    err.print(f"{n} clusters (window {settings.cluster_window_days} days, "
              f"distance {settings.cluster_distance_km:g} km)")


@app.command()
def network(
    format: Annotated[NetworkFormat, typer.Option("--format", "-f")] = NetworkFormat.table,
    since: Since = None,
    until: Until = None,
    type: TypeOpt = None,
    status: StatusOpt = None,
    actor: ActorOpt = None,
    level: LevelOpt = "country",
    top: TopOpt = None,
    min_weight: MinWeightOpt = 1,
    count: Annotated[str, typer.Option("--count", help="reports (stored rows) or events (happenings: "
                                       "reports of one event, clustered, count once)")] = "reports",
    out_file: OutOpt = None,
    db: DbOption = None,
    config: ConfigOption = None,
) -> None:
    """Who acts on whom: the actor network of the filtered events (as /api/network).

    table: the edges, heaviest first; gexf: GEXF 1.3 for Gephi; csv: one row per edge;
    json: {nodes, edges} as the API returns it."""
    from kronika import __version__
    from kronika.exports import NetworkOptions, network_of
    from kronika.exports.codebook import query_of
    from kronika.exports.graph import gexf_text, top_nodes, write_network_csv
    from kronika.store import Store

    settings = load_settings(config, db_path=db)
    try:
        flt = _filter(since=since, until=until, type=type, status=status, actor=actor)
        with Store(settings.db_path, read_only=True) as store:
            full = network_of(store, flt, NetworkOptions(level=level, min_weight=min_weight, count=count))
        net = top_nodes(full, top)
    except KronikaError as exc:
        raise fail(exc) from exc
    if format is NetworkFormat.table:
        _network_table(net, full, out_file)
        return
    with output(out_file) as fh:
        if format is NetworkFormat.gexf:
            desc = f"Kronika actor network ({level} level); query: {query_of(flt) or 'all events'}"
            fh.write(gexf_text(net, creator=f"Kronika {__version__}", description=desc))
        elif format is NetworkFormat.csv:
            write_network_csv(net, fh)
        else:
            fh.write(json.dumps(net, ensure_ascii=False, indent=1) + "\n")


def _network_table(net: dict[str, Any], full: dict[str, Any], out_file: Path | None) -> None:
    from kronika.query import QUAD_CLASSES

    labels = {n["id"]: n["label"] for n in net["nodes"]}
    if len(net["nodes"]) < len(full["nodes"]):  # say what --top left out, never cut silently
        title = (f"{len(net['nodes'])} of {len(full['nodes'])} nodes, {len(net['edges'])} of "
                 f"{len(full['edges'])} edges (the top nodes by events; raise --top for more)")
    else:
        title = f"{len(net['nodes'])} nodes, {len(net['edges'])} edges"
    table = Table(title=title)
    for col in ("source", "target", "events", *(q.replace("_", " ") for q in QUAD_CLASSES)):
        table.add_column(col, justify="left" if col in ("source", "target") else "right")
    for e in net["edges"]:
        table.add_row(f"{labels.get(e['source'], e['source'])} ({e['source']})",
                      f"{labels.get(e['target'], e['target'])} ({e['target']})", str(e["weight"]),
                      *(str(e["by_quad"].get(q, 0)) for q in QUAD_CLASSES))
    _print_table(table, out_file)


def _print_table(table: Table, out_file: Path | None) -> None:
    if out_file is None:
        out.print(table)
        return
    from rich.console import Console

    with output(out_file) as fh:
        Console(file=fh, width=170, no_color=True).print(table)


@app.command("map")
def map_(
    format: Annotated[MapFormat, typer.Option("--format", "-f")] = MapFormat.table,
    since: Since = None,
    until: Until = None,
    type: TypeOpt = None,
    status: StatusOpt = None,
    actor: ActorOpt = None,
    limit: Annotated[int | None, typer.Option(help="The N newest located events [default: all]")] = None,
    count: Annotated[str, typer.Option("--count", help="reports (every located report) or events (one point "
                                       "per happening, with how many reports it has)")] = "reports",
    out_file: OutOpt = None,
    db: DbOption = None,
    config: ConfigOption = None,
) -> None:
    """Located events of the filter (as /api/map): a table, GeoJSON Points or CSV.

    GeoJSON coordinates are [longitude, latitude] (RFC 7946). `--count events` draws a
    happening told by several reports once (its newest report, with `reports`)."""
    from kronika.exports import count_located, located_points
    from kronika.exports.graph import geojson, write_map_csv
    from kronika.store import Store

    settings = load_settings(config, db_path=db)
    try:
        flt = _filter(since=since, until=until, type=type, status=status, actor=actor)
        with Store(settings.db_path, read_only=True) as store:
            points = located_points(store, flt, limit, count)
            total = count_located(store, flt, count) if limit is not None else len(points)
    except KronikaError as exc:
        raise fail(exc) from exc
    if len(points) < total:  # never cut silently
        err.print(f"showing the {len(points)} newest of {total} located events; --limit to change (all by default)")
    if format is MapFormat.table:
        table = Table(title=f"{len(points)} of {total} located events" if len(points) < total
                      else f"{len(points)} located events")
        counted = bool(points) and "reports" in points[0]  # --count events: one row per happening
        for col in ("date", "type", "place", "lat", "lon", "source", "target", *(("reports",) if counted else ())):
            table.add_column(col, no_wrap=True)
        table.add_column("evidence", overflow="ellipsis", no_wrap=True, max_width=60)
        for p in points:
            reports = [str(p["reports"])] if counted else []
            table.add_row(str(p["date"] or ""), p["type"], str(p["place"] or ""), f"{p['lat']:.4f}",
                          f"{p['lon']:.4f}", str(p["source_country"] or "-"), str(p["target_country"] or "-"),
                          *reports, str(p["evidence"] or ""))
        _print_table(table, out_file)
        return
    with output(out_file) as fh:
        if format is MapFormat.geojson:
            fh.write(json.dumps(geojson(points), ensure_ascii=False, default=str) + "\n")
        else:
            write_map_csv(points, fh)
