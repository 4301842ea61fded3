"""Core commands: extract, ingest, watch, events, stats (export and import: ``export_cmd``)."""

from __future__ import annotations

import itertools
import json
import re
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import IO, Annotated, Any

import typer
from rich.columns import Columns
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from kronika.cli.app import app
from kronika.config import Settings
from kronika.errors import KronikaError
from kronika.model import IngestProblem

err = Console(stderr=True)
# Piped output (make demo, CI logs) gets a wide fixed width instead of rich's 80 columns.
out = Console() if Console().is_terminal else Console(width=170)

DbOption = Annotated[Path | None, typer.Option("--db", help="DuckDB store file [default: kronika.duckdb]")]
ConfigOption = Annotated[Path | None, typer.Option("--config", help="Settings file (TOML)")]


class ExtractFormat(StrEnum):
    jsonl = "jsonl"
    timeml = "timeml"
    entities = "entities"


class TableFormat(StrEnum):
    table = "table"
    jsonl = "jsonl"
    csv = "csv"


def fail(exc: KronikaError) -> typer.Exit:
    err.print(f"[red]error[/red] {exc}")
    return typer.Exit(code=2)


def load_settings(config: Path | None, **overrides: Any) -> Settings:
    try:
        return Settings.load(config, **overrides)
    except KronikaError as exc:
        raise fail(exc) from exc


@app.command()
def extract(
    path: Annotated[Path, typer.Argument(help="Article file or directory ('-' for stdin)")],
    format: Annotated[ExtractFormat, typer.Option("--format", "-f")] = ExtractFormat.jsonl,
    config: ConfigOption = None,
) -> None:
    """Extract events (jsonl), TimeML, or resolved mentions (entities) from FILE; no database.

    Exit status: 0 when at least one article was read (bad records are listed on stderr),
    2 when none could be (a missing path, an empty file or stdin, only bad records)."""
    from kronika.library import analyses_of
    from kronika.output import entity_records

    settings = load_settings(config)
    problems: list[IngestProblem] = []
    n_read = 0
    try:
        for analysis in analyses_of([path], settings, problems):
            n_read += 1
            if format is ExtractFormat.jsonl:
                for ev in analysis.events:
                    sys.stdout.write(json.dumps(ev.to_json(), ensure_ascii=False) + "\n")
            elif format is ExtractFormat.entities:
                for rec in entity_records(analysis):
                    sys.stdout.write(json.dumps(rec, ensure_ascii=False) + "\n")
            else:
                from kronika.timeml import to_timeml

                origin = analysis.article.origin or ""
                src = Path(origin.rsplit(":", 1)[0]) if origin else None
                sys.stdout.write(to_timeml(analysis.article, analysis.times, source_path=src))
    except KronikaError as exc:
        raise fail(exc) from exc
    _report_problems(problems)
    if n_read == 0:
        err.print(f"[red]error[/red] no article could be read from {path}")
        raise typer.Exit(code=2)


@app.command()
def ingest(
    # str, not Path: a Path would fold "https://host/feed" into "https:/host/feed"
    paths: Annotated[list[str], typer.Argument(help="Files, directories, .gz, http(s):// feeds or pages, or '-'")],
    db: DbOption = None,
    workers: Annotated[int | None, typer.Option("--workers", help="spaCy processes (or Dask workers)")] = None,
    batch_size: Annotated[int | None, typer.Option("--batch-size")] = None,
    dask: Annotated[str | None, typer.Option("--dask", help="Dask scheduler address, or 'local'")] = None,
    config: ConfigOption = None,
) -> None:
    """Read, analyse and store articles (re-ingesting the same article is a no-op).

    The store file is opened for each batch's commit and released between batches, so a
    running `kronika serve` keeps answering reads during the job.

    Exit status: 0 when every path was read and the store holds at least one article from
    them (stored now or earlier; bad records are listed and kept in ingest_errors); 1 when
    some paths do not exist (the others were read and stored); 2 when no article could be
    stored (every path missing, empty input, only bad records: no new store file is left
    behind) or on a settings or store error."""
    from kronika.run import ingest as run_ingest
    from kronika.store.access import SharedWriter

    settings = load_settings(config, db_path=db, workers=workers, batch_size=batch_size)
    present, missing = _split_missing(paths)
    if not present:
        _report_problems(missing)
        err.print("[red]error[/red] nothing to read: no path exists")
        raise typer.Exit(code=2)
    db_file = Path(settings.db_path)
    new_store = not db_file.exists()
    store = SharedWriter.from_settings(settings)  # holds the file only while it commits a batch
    try:
        with _progress() as bar:
            task = bar.add_task("ingesting", total=None)
            advance = lambda n: bar.advance(task, n)  # noqa: E731
            if dask:
                from kronika.jobs.dask import ingest_dask

                report = ingest_dask(present, settings, store=store, address=dask, progress=advance)
            else:
                report = run_ingest(present, settings, store=store, progress=advance)
    except KronikaError as exc:
        raise fail(exc) from exc
    report.problems[:0] = missing
    _print_report(report)
    if report.articles_written + report.articles_skipped == 0:
        if new_store:  # nothing in it worth keeping: do not leave an empty store behind
            for leftover in (db_file, db_file.with_name(db_file.name + ".wal")):
                leftover.unlink(missing_ok=True)
        err.print("[red]error[/red] no article could be stored"
                  + (f"; {db_file} not created" if new_store else ""))
        raise typer.Exit(code=2)
    if missing:
        raise typer.Exit(code=1)


def _split_missing(paths: list[str]) -> tuple[list[Path | str], list[IngestProblem]]:
    """The paths to read, and a K100 problem for each that does not exist: one typo must
    not cost the other paths their run (``-`` is stdin; URLs are fetched, a failed fetch
    is the reader's K107 problem)."""
    present: list[Path | str] = []
    missing: list[IngestProblem] = []
    for p in paths:
        if p == "-" or re.match(r"https?://", p, re.I):
            present.append(p)
        elif Path(p).exists():
            present.append(Path(p))
        else:
            missing.append(IngestProblem(str(p), "no such file or directory", "K100"))
    return present, missing


def _print_report(report: Any) -> None:
    err.print(
        f"articles: {report.articles_seen} read, {report.articles_written} stored, "
        f"{report.articles_skipped} already stored; events: {report.events_written}; "
        f"problems: {len(report.problems)}"
    )
    _report_problems(report.problems)
    dups = getattr(report, "duplicates", [])
    for d in dups[:10]:
        err.print(f"[yellow]skipped[/yellow] {d.origin}: {d.reason}")
    if len(dups) > 10:
        err.print(f"… and {len(dups) - 10} more records with the same text as a stored article")


@app.command()
def watch(
    target: Annotated[str, typer.Argument(help="Folder or feed URL to poll")],
    every: Annotated[str, typer.Option("--every", help="Cadence: 30s, 15m, 2h")] = "15m",
    rounds: Annotated[int | None, typer.Option("--rounds", help="Stop after N rounds")] = None,
    db: DbOption = None,
    config: ConfigOption = None,
) -> None:
    """Ingest new files or feed items at a fixed cadence (idempotent)."""
    from kronika.jobs.watch import parse_every
    from kronika.jobs.watch import watch as run_watch

    settings = load_settings(config, db_path=db)

    def on_round(n: int, report: Any) -> None:
        err.print(f"round {n}: ", end="")
        _print_report(report)

    try:
        run_watch(target, settings, every=parse_every(every), rounds=rounds, on_round=on_round)
    except KronikaError as exc:
        raise fail(exc) from exc


@app.command()
def events(
    db: DbOption = None,
    source: Annotated[str | None, typer.Option(help="Source actor (as --actor)")] = None,
    target: Annotated[str | None, typer.Option(help="Target actor (as --actor)")] = None,
    actor: Annotated[str | None, typer.Option(help="Either side: a country code, name or demonym, a capital, an "
                                              "organisation, a person or an actor code")] = None,
    dyad: Annotated[str | None, typer.Option(help="Two actors, either direction: A,B")] = None,
    type: Annotated[str | None, typer.Option("--type", help="PLOVER type(s), comma-separated (DEMAND: REQUEST)")] = None,
    status: Annotated[str | None, typer.Option(help="occurred|planned|denied|hypothetical (comma-separated)")] = None,
    since: Annotated[str | None, typer.Option(help="ISO date (event date overlaps)")] = None,
    until: Annotated[str | None, typer.Option(help="ISO date")] = None,
    text: Annotated[str | None, typer.Option(help="Search evidence text")] = None,
    article: Annotated[str | None, typer.Option("--article", help="Article id")] = None,
    doc: Annotated[str | None, typer.Option("--doc", help="The input's own id (file name, JSONL id)")] = None,
    limit: Annotated[int, typer.Option(help="Rows to show, newest first (any number)")] = 50,
    offset: Annotated[int, typer.Option(help="Skip this many rows first")] = 0,
    all_rows: Annotated[bool, typer.Option("--all", help="Every matching event, streamed (ignores --limit)")] = False,
    format: Annotated[TableFormat, typer.Option("--format", "-f")] = TableFormat.table,
    out_file: Annotated[Path | None, typer.Option("--out", "-o", help="Write to this file instead of stdout")] = None,
    config: ConfigOption = None,
) -> None:
    """List stored events with filters, and say how many match ("showing N of M").

    Actor values go through the one actor lookup (JPN = Japan = Japanese); an unknown actor,
    type or status exits 2 naming the valid values. csv is the one events layout of
    `kronika export`."""
    from kronika.query import EventFilter, count_events, find_events
    from kronika.query.export import iter_export_records
    from kronika.store import Store

    settings = load_settings(config, db_path=db)
    try:
        flt = EventFilter(
            source=source, target=target, actor=actor, dyad=split_dyad(dyad) if dyad else None, type=type,
            status=status, since=since, until=until, text=text, article_id=article, doc_id=doc,
            limit=limit, offset=offset,
        )
        with Store(settings.db_path, read_only=True) as store:
            total = count_events(store, flt)
            rows: Iterable[dict[str, Any]] = (
                itertools.islice(iter_export_records(store, flt), offset, None) if all_rows
                else find_events(store, flt, max_page=max(limit, 1)))
            with output(out_file) as fh:
                shown = emit_events(rows, format, fh)
                footer = showing(shown, total, offset)
                if format is TableFormat.table and out_file is None:
                    out.print(footer)
                else:
                    err.print(footer)
    except KronikaError as exc:
        raise fail(exc) from exc


def split_dyad(value: str) -> tuple[str, str]:
    """"JPN,RUS" → ("JPN", "RUS"); anything but two names is the query layer's K505."""
    parts = tuple(p.strip() for p in value.split(",") if p.strip())
    return parts if len(parts) == 2 else (value, "")  # type: ignore[return-value]


def showing(shown: int, total: int, offset: int = 0) -> str:
    """The "N of M" line every listing prints, with how to get the rest."""
    if shown >= total and offset == 0:
        return f"all {total} matching event{'' if total == 1 else 's'}"
    first = offset + 1 if shown else offset
    return (f"showing {first}–{offset + shown} of {total} matching events — "
            "use --all for every one, or --limit N / --offset N")


@contextmanager
def output(path: Path | None) -> Iterator[IO[str]]:
    """The file ``--out`` names (its folder created), else stdout."""
    if path is None:
        yield sys.stdout
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as fh:
        yield fh
    err.print(f"wrote {path}")


def emit_events(rows: Iterable[dict[str, Any]], format: TableFormat, fh: IO[str] | None = None) -> int:
    """Write event records to ``fh`` (stdout) as a Rich table, JSON lines or CSV (the one
    events layout of ``kronika.query.export``); returns how many."""
    fh = fh or sys.stdout
    if format is TableFormat.csv:
        from kronika.query.export import write_csv

        return write_csv(rows, fh)
    if format is TableFormat.jsonl:
        n = 0
        for r in rows:
            fh.write(json.dumps(r, ensure_ascii=False, default=str) + "\n")
            n += 1
        return n
    flat = [_flat(r) for r in rows]
    table = Table(show_lines=False)
    for col in ("date", "type", "status", "source", "target", "location"):
        table.add_column(col, no_wrap=col in ("date", "type", "status"), max_width=30)
    table.add_column("evidence", overflow="ellipsis", no_wrap=True, max_width=70)
    for f in flat:
        table.add_row(f["date"], f["type"], f["status"], f["source"], f["target"], f["location"],
                      f["evidence"])
    (out if fh is sys.stdout else Console(file=fh, width=170)).print(table)
    return len(flat)


def _side(side: Any) -> str:
    if not side:
        return "-"
    items = side if isinstance(side, list) else [side]
    return " + ".join(f"{s.get('entity') or s.get('text')} ({s.get('actor') or s.get('country') or '?'})"
                      for s in items)


def _flat(r: dict[str, Any]) -> dict[str, str]:
    date = r.get("date") or {}
    loc = r.get("location") or {}
    return {
        "event_id": str(r.get("event_id")), "article_id": str(r.get("article_id")),
        "date": str(date.get("value") if isinstance(date, dict) else date),
        "type": str(r.get("type")), "mode": str(r.get("mode") or ""),
        "status": str(r.get("status")), "source": _side(r.get("source")),
        "target": _side(r.get("target")), "location": str(loc.get("name") or "-"),
        "confidence": str(r.get("confidence")), "evidence": str(r.get("evidence")),
    }


@app.command()
def stats(db: DbOption = None, config: ConfigOption = None,
          as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Summary of the store: articles, events by type and status, top dyads."""
    from kronika.query import summary
    from kronika.store import Store

    settings = load_settings(config, db_path=db)
    try:
        with Store(settings.db_path, read_only=True) as store:
            s = summary(store)
    except KronikaError as exc:
        raise fail(exc) from exc
    if as_json:
        sys.stdout.write(json.dumps(s, default=str, indent=2) + "\n")
        return
    print_summary(s)


def print_summary(s: dict[str, Any]) -> None:
    out.print(f"[bold]articles[/bold] {s.get('articles')}   [bold]events[/bold] {s.get('events')}"
              f"   [bold]ingest errors[/bold] {s.get('ingest_errors', 0)}")
    tables = []
    for key, title in (("by_type", "events by type"), ("by_status", "events by status"),
                       ("by_quad_class", "events by quad class")):
        data = s.get(key) or {}
        t = Table(title=title)
        t.add_column(key.removeprefix("by_"))
        t.add_column("events", justify="right")
        for k, v in (data.items() if isinstance(data, dict) else data):
            t.add_row(str(k), str(v))
        tables.append(t)
    t = Table(title="top dyads")
    t.add_column("dyad")
    t.add_column("events", justify="right")
    for row in s.get("top_dyads") or []:
        if isinstance(row, dict):
            t.add_row(f"{row.get('a') or row.get('source')} – {row.get('b') or row.get('target')}",
                      str(row.get("events") or row.get("count")))
        else:
            t.add_row(f"{row[0]} – {row[1]}", str(row[2]))
    tables.append(t)
    out.print(Columns(tables, padding=(0, 3)))


def _report_problems(problems: list[IngestProblem], shown: int = 10) -> None:
    for p in problems[:shown]:
        err.print(f"[yellow]skipped[/yellow] {p.origin}: [{p.code}] {p.reason}")
    if len(problems) > shown:
        err.print(f"… and {len(problems) - shown} more (see the ingest_errors table)")


def _progress() -> Progress:
    return Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        console=err, transient=True, disable=not err.is_terminal,
    )
