"""Exports an analyst can cite: one folder per export, with its codebook and metadata.

Formats:

* ``csv`` - ``events.csv`` in the one CSV layout (``kronika.store.eventcsv``: one row per
  event, the columns the API and ``kronika events`` write too) plus ``articles.csv``; it
  round-trips through ``kronika import``;
* ``plover`` - ``events.plover.jsonl``, PLOVER JSON records (``exports.plover``);
* ``polecat`` - ``events.polecat.jsonl``, the same events in POLECAT's record layout;
* ``gexf`` - ``network.gexf`` (GEXF 1.3) and ``network.csv``, the actor network of the
  filtered events (the ``/api/network`` query);
* ``geojson`` - ``map.geojson``, located events as Points (the ``/api/map`` query);
* ``parquet``, ``jsonl`` - whole-store backups (every table; ``store.exchange``), which
  take no filter.

Every folder also gets ``codebook.md`` and ``metadata.json`` (``exports.codebook``).
Why a package of its own beside ``query``: writing files is neither a query nor a store
concern, and keeping it here lets ``store`` stay free of ``query`` imports (issue 21).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import duckdb

from kronika.errors import StoreError
from kronika.exports.codebook import query_of, versions, write_companions
from kronika.exports.graph import geojson, gexf_text, top_nodes, write_network_csv
from kronika.exports.plover import plover_record, polecat_record
from kronika.query import EventFilter, actor_network, count_events, count_located, map_points
from kronika.query.export import iter_export_records, write_csv
from kronika.query.filters import store_where
from kronika.store import Store
from kronika.store.db import store_error
from kronika.store.eventcsv import write_article_csv

BACKUP_FORMATS: tuple[str, ...] = ("parquet", "jsonl")
ANALYST_FORMATS: tuple[str, ...] = ("csv", "plover", "polecat", "gexf", "geojson")
FORMATS: tuple[str, ...] = (*BACKUP_FORMATS, *ANALYST_FORMATS)


@dataclass(frozen=True)
class NetworkOptions:
    """How the network of a ``gexf`` export is drawn (the ``/api/network`` parameters)."""

    level: str = "country"
    min_weight: int = 1
    top: int | None = None
    count: str = "reports"  # or "events": reports of one clustered event weigh once


@dataclass(frozen=True)
class ExportResult:
    """The folder written, its files (codebook and metadata included) and rows per file."""

    folder: Path
    files: list[Path]
    rows: dict[str, int] = field(default_factory=dict)


def export(store: Store, fmt: str, dest: Path | str, flt: EventFilter | None = None,
           network: NetworkOptions | None = None) -> ExportResult:
    """Write the events matching ``flt`` (all when None) as ``fmt`` into the folder ``dest``."""
    dest, flt = Path(dest), flt or EventFilter()
    if fmt not in FORMATS:
        raise StoreError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}", code="K408")
    if dest.exists() and not dest.is_dir():
        raise StoreError(f"{dest} is a file: an export is a folder (its data file, codebook.md and "
                         "metadata.json); name a new or existing folder", code="K408")
    if fmt in BACKUP_FORMATS and query_of(flt):
        raise StoreError(f"{fmt} is a whole-store backup and takes no filter (got {query_of(flt)}); "
                         "filtered exports: csv, plover, polecat, gexf, geojson", code="K408")
    dest.mkdir(parents=True, exist_ok=True)
    extra: dict[str, Any] = {}
    try:
        if fmt in BACKUP_FORMATS:
            files = store.export(fmt, dest)
            rows = {p.name: int(store.scalar(f"SELECT count(*) FROM {p.name.split('.')[0]}") or 0) for p in files}
        elif fmt == "csv":
            files, rows = _csv(store, flt, dest)
        elif fmt in ("plover", "polecat"):
            files, rows = _plover(store, flt, dest, fmt)
        elif fmt == "gexf":
            opts = network or NetworkOptions()
            extra = {"level": opts.level, "min_weight": opts.min_weight, "top": opts.top}
            files, rows = _gexf(store, flt, dest, opts)
        else:
            files, rows = _geojson(store, flt, dest)
        files += write_companions(dest, fmt, flt, rows, store=store, extra=extra)
    except duckdb.Error as exc:  # a damaged store is a coded error (K401), never a traceback
        raise store_error(store.path, exc, f"exporting {fmt}") from exc
    return ExportResult(dest, files, rows)


def _csv(store: Store, flt: EventFilter, dest: Path) -> tuple[list[Path], dict[str, int]]:
    events, articles = dest / "events.csv", dest / "articles.csv"
    with events.open("w", encoding="utf-8", newline="") as fh:
        n_events = write_csv(iter_export_records(store, flt), fh)
    clause, params = store_where(store, flt)
    with store.cursor() as cur, articles.open("w", encoding="utf-8", newline="") as fh:
        res = cur.execute(
            "SELECT * FROM articles WHERE id IN "
            f"(SELECT DISTINCT e.article_id FROM events e {clause}) ORDER BY id", params)
        names = [d[0] for d in res.description]
        n_articles = 0
        while chunk := res.fetchmany(5000):
            n_articles += write_article_csv((dict(zip(names, r, strict=True)) for r in chunk), fh)
    return [events, articles], {events.name: n_events, articles.name: n_articles}


def _plover(store: Store, flt: EventFilter, dest: Path, fmt: str) -> tuple[list[Path], dict[str, int]]:
    """PLOVER JSON lines, in the manual's layout (``plover``) or POLECAT's (``polecat``)."""
    path = dest / f"events.{fmt}.jsonl"
    coder = f"Kronika {versions()['kronika']}"
    today = dt.date.today().isoformat()
    n = 0
    with path.open("w", encoding="utf-8") as fh:
        for record in iter_export_records(store, flt):
            rec = (plover_record(record, coder=coder, codebook="plover-2021", coded_date=today) if fmt == "plover"
                   else polecat_record(record, coder=coder))
            fh.write(json.dumps(rec, ensure_ascii=False, default=str) + "\n")
            n += 1
    return [path], {path.name: n}


def network_of(store: Store, flt: EventFilter, opts: NetworkOptions) -> dict[str, Any]:
    """The network ``kronika network`` and the gexf export draw: ``actor_network`` (the
    ``/api/network`` query), trimmed to the ``top`` nodes."""
    return top_nodes(actor_network(store, flt, level=opts.level, min_weight=opts.min_weight, count=opts.count),
                     opts.top)


def _gexf(store: Store, flt: EventFilter, dest: Path, opts: NetworkOptions) -> tuple[list[Path], dict[str, int]]:
    net = network_of(store, flt, opts)
    gexf, table = dest / "network.gexf", dest / "network.csv"
    desc = f"Kronika actor network ({opts.level} level); query: {query_of(flt) or 'all events'}"
    gexf.write_text(gexf_text(net, creator=f"Kronika {versions()['kronika']}", description=desc), encoding="utf-8")
    with table.open("w", encoding="utf-8", newline="") as fh:
        write_network_csv(net, fh)
    return [gexf, table], {"nodes": len(net["nodes"]), "edges": len(net["edges"])}


def located_points(store: Store, flt: EventFilter, limit: int | None = None,
                   count: str = "reports") -> list[dict[str, Any]]:
    """Every located event matching ``flt`` (or the ``limit`` newest), from ``map_points``
    (the ``/api/map`` query) asked for one page as large as the match; ``count="events"``:
    one point per happening."""
    n = limit if limit is not None else max(count_events(store, flt), 1)
    return map_points(store, replace(flt, limit=n, offset=0), max_page=n, count=count)


def _geojson(store: Store, flt: EventFilter, dest: Path) -> tuple[list[Path], dict[str, int]]:
    data = geojson(located_points(store, flt))
    path = dest / "map.geojson"
    path.write_text(json.dumps(data, ensure_ascii=False, default=str) + "\n", encoding="utf-8")
    return [path], {path.name: len(data["features"])}


__all__ = ["ANALYST_FORMATS", "BACKUP_FORMATS", "FORMATS", "ExportResult", "NetworkOptions", "count_located",
           "export", "located_points", "network_of"]
