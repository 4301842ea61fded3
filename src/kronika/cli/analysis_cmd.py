"""Analysis commands: dyad, timeline.

Thin wrappers over the query functions the HTTP API answers with, so the command line,
``/api/dyads/{a}/{b}``, ``/api/timeline`` and the dashboard show the same numbers:
``kronika.query.dyad_report`` (dyad series: counts by quad and penta class, mean
Goldstein score, directed or both ways, any unit) and ``kronika.query.timeline_page``.
Actor names go through the one actor lookup; a ``KronikaError`` exits 2.
"""

from __future__ import annotations

import csv
import json
import sys
from dataclasses import replace
from enum import StrEnum
from pathlib import Path
from typing import IO, Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from kronika.cli.app import app
from kronika.cli.core import (
    ConfigOption,
    DbOption,
    TableFormat,
    emit_events,
    err,
    fail,
    load_settings,
    out,
    output,
    showing,
    split_dyad,
)
from kronika.errors import KronikaError


class Unit(StrEnum):
    day = "day"
    week = "week"
    month = "month"
    quarter = "quarter"
    year = "year"


class DyadFormat(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"


class TimelineFormat(StrEnum):
    table = "table"
    csv = "csv"
    jsonl = "jsonl"
    json = "json"


OutOpt = Annotated[Path | None, typer.Option("--out", "-o", help="Write to this file instead of stdout")]
Since = Annotated[str | None, typer.Option(help="ISO date: events whose date ends on or after it")]
Until = Annotated[str | None, typer.Option(help="ISO date: events whose date starts on or before it")]
PENTA = ("neutral", "verbal_cooperation", "material_cooperation", "verbal_conflict", "material_conflict")
# The CSV columns of a dyad series: one row per period, then one per coarsely dated group.
DYAD_COLUMNS = ("kind", "period", "date_start", "date_end", "events", *PENTA, "mean_goldstein", "balance")


@app.command()
def dyad(
    a: Annotated[str, typer.Argument(help="First actor: country code, name or demonym, capital, organisation, person")],
    b: Annotated[str, typer.Argument(help="Second actor (as A)")],
    by: Annotated[Unit, typer.Option("--by", help="Period of the series")] = Unit.month,
    directed: Annotated[bool, typer.Option("--directed", help="Only events with A as source and B as target")] = False,
    count: Annotated[str, typer.Option("--count", help="reports (stored rows) or events (happenings: "
                                       "reports of one event, clustered, count once)")] = "reports",
    since: Since = None,
    until: Until = None,
    format: Annotated[DyadFormat, typer.Option("--format", "-f")] = DyadFormat.table,
    out_file: OutOpt = None,
    db: DbOption = None,
    config: ConfigOption = None,
) -> None:
    """Cooperation and conflict between A and B over time (as /api/dyads/A/B).

    Per period: events by class (neutral, verbal/material cooperation, verbal/material
    conflict), the mean CAMEO Goldstein score (-10..+10) and the balance. Events dated
    more coarsely than one period ("2019" in a monthly series) are listed apart, not
    spread. csv: one row per period (kind=period) then per coarse date (kind=coarse)."""
    from kronika.query import dyad_report
    from kronika.store import Store

    settings = load_settings(config, db_path=db)
    try:
        with Store(settings.db_path, read_only=True) as store:
            report = dyad_report(store, a, b, by.value, since, until, directed=directed, count=count)
    except KronikaError as exc:
        raise fail(exc) from exc
    with output(out_file) as fh:
        if format is DyadFormat.json:
            fh.write(json.dumps(report, ensure_ascii=False, indent=1, default=str) + "\n")
        elif format is DyadFormat.csv:
            write_dyad_csv(report, fh)
        else:
            _dyad_table(report, fh)


def dyad_rows(report: dict[str, Any]) -> list[dict[str, Any]]:
    """The series and the coarse groups of a ``dyad_report`` as flat rows (``DYAD_COLUMNS``)."""
    rows = []
    for r in report["series"]:
        rows.append({"kind": "period", "period": r["period"], "events": r["events"], **r["by_penta"],
                     "mean_goldstein": r["mean_goldstein"], "balance": r["balance"]})
    for c in report["coarse"]:
        rows.append({"kind": "coarse", "period": c["date"], "date_start": c["date_start"], "date_end": c["date_end"],
                     "events": c["events"], **c["by_penta"], "mean_goldstein": c["mean_goldstein"]})
    return rows


def write_dyad_csv(report: dict[str, Any], fh: IO[str]) -> None:
    writer = csv.DictWriter(fh, fieldnames=DYAD_COLUMNS, lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    for row in dyad_rows(report):
        writer.writerow({k: "" if row.get(k) is None else row[k] for k in DYAD_COLUMNS})


def _fmt(value: Any) -> str:
    return "-" if value is None else (f"{value:+.2f}" if isinstance(value, float) else str(value))


def _dyad_table(report: dict[str, Any], fh: IO[str]) -> None:
    arrow = "→" if report["directed"] else "↔"
    t = report["totals"]
    table = Table(title=f"{report['a_label']} {arrow} {report['b_label']}, by {report['interval']}: "
                        f"{t['events']} events, mean Goldstein {_fmt(t['mean_goldstein'])}")
    for col in ("period", "events", "neutral", "verbal coop.", "material coop.", "verbal confl.",
                "material confl.", "mean Goldstein", "balance"):
        table.add_column(col, justify="left" if col == "period" else "right")
    for row in dyad_rows(report):
        label = row["period"] if row["kind"] == "period" else f"{row['period']} (coarse)"
        table.add_row(label, str(row["events"]), *(str(row[k]) for k in PENTA),
                      _fmt(row["mean_goldstein"]), _fmt(row.get("balance")))
    console = out if fh is sys.stdout else Console(file=fh, width=170)
    console.print(table)
    if not report["series"] and not report["coarse"]:
        err.print(f"no events between {report['a_label']} and {report['b_label']}"
                  + (" in that direction" if report["directed"] else ""))


@app.command()
def timeline(
    actor: Annotated[str | None, typer.Argument(help="Either side: country, name, demonym, person, code")] = None,
    source: Annotated[str | None, typer.Option(help="Source actor (as ACTOR)")] = None,
    target: Annotated[str | None, typer.Option(help="Target actor (as ACTOR)")] = None,
    dyad: Annotated[str | None, typer.Option(help="Two actors, either direction: A,B")] = None,
    type: Annotated[str | None, typer.Option("--type", help="PLOVER type(s), comma-separated (DEMAND: REQUEST)")] = None,
    status: Annotated[str | None, typer.Option(help="occurred|planned|denied|hypothetical (comma-separated)")] = None,
    since: Since = None,
    until: Until = None,
    place: Annotated[str | None, typer.Option(help="Place name or GeoNames id")] = None,
    text: Annotated[str | None, typer.Option(help="Words in the evidence sentence")] = None,
    limit: Annotated[int, typer.Option(help="Rows to show, oldest first (any number)")] = 50,
    offset: Annotated[int, typer.Option(help="Skip this many rows first")] = 0,
    all_rows: Annotated[bool, typer.Option("--all", help="Every matching event (ignores --limit)")] = False,
    format: Annotated[TimelineFormat, typer.Option("--format", "-f")] = TimelineFormat.table,
    out_file: OutOpt = None,
    db: DbOption = None,
    config: ConfigOption = None,
) -> None:
    """The chronology of ACTOR (or of any filter), oldest first, with the evidence (as /api/timeline).

    Says how many events match and how to see the rest. json: the page as the API returns
    it (items, total, next_offset); csv: the one events layout of `kronika export`."""
    from kronika.query import EventFilter, count_events, timeline_page
    from kronika.store import Store

    settings = load_settings(config, db_path=db)
    try:
        with Store(settings.db_path, read_only=True) as store:
            flt = EventFilter(actor=actor, source=source, target=target, dyad=split_dyad(dyad) if dyad else None,
                              type=type, status=status, since=since, until=until, place=place, text=text,
                              limit=limit, offset=offset)
            if all_rows:
                flt = replace(flt, limit=max(count_events(store, flt), 1))
            page = timeline_page(store, flt, max_page=max(flt.limit, 1))
    except KronikaError as exc:
        raise fail(exc) from exc
    with output(out_file) as fh:
        if format is TimelineFormat.json:
            fh.write(json.dumps(page, ensure_ascii=False, indent=1, default=str) + "\n")
            shown = len(page["items"])
        else:
            shown = emit_events(page["items"], TableFormat(format.value), fh)
    footer = showing(shown, page["total"], offset)
    if format is TimelineFormat.table and out_file is None:
        out.print(footer)
    else:
        err.print(footer)
