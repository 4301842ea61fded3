"""``kronika actors …``: inspect the actor knowledge base, the learned actors, import
PETRARCH dictionaries, and score actor resolution on PLOVER gold records."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from kronika.cli.app import actors_app
from kronika.config import Settings
from kronika.errors import KronikaError

err = Console(stderr=True)

ConfigOption = Annotated[Path | None, typer.Option("--config", help="Settings file (TOML)")]
DbOption = Annotated[Path | None, typer.Option("--db", help="DuckDB store file [default: kronika.duckdb]")]


def _settings(config: Path | None, **overrides: Any) -> Settings:
    try:
        return Settings.load(config, **overrides)
    except KronikaError as exc:
        raise _fail(exc) from exc


def _fail(exc: Exception) -> typer.Exit:
    err.print(f"[red]error[/red] {exc}")
    return typer.Exit(code=2)


def _write(rows: list[dict[str, Any]]) -> None:
    for r in rows:
        sys.stdout.write(json.dumps(r, ensure_ascii=False, default=str) + "\n")


def _learned_rows(settings: Settings, db: Path | None) -> list[dict[str, Any]] | None:
    """Learned rows from the store, or None when there is no store (module or file)."""
    try:
        from kronika.store import Store
    except ImportError:
        return None
    path = db or settings.db_path
    if not Path(path).exists():
        return None
    with Store(path, read_only=True) as store:
        return list(store.learned_actor_rows())


def _knowledge(config: Path | None, db: Path | None, date: str | None) -> tuple[dt.date, Any, Any]:
    """The day asked about, the knowledge base and the corpus's learned index (or None):
    what ``show`` and ``explain`` both read, with bad input turned into a clean exit."""
    from kronika.actors import LearnedIndex, load_knowledge_base

    settings = _settings(config)
    try:
        day = dt.date.fromisoformat(date) if date else dt.date.today()
    except ValueError as exc:
        raise _fail(ValueError(f"--date {date!r} is not YYYY-MM-DD")) from exc
    try:
        kb = load_knowledge_base(settings.user_dictionaries)
        rows = _learned_rows(settings, db)
    except KronikaError as exc:
        raise _fail(exc) from exc
    return day, kb, LearnedIndex.from_rows(rows) if rows else None


@actors_app.command("show")
def show(
    name: Annotated[str, typer.Argument(help="A name, surname, country, demonym, capital or role word")],
    date: Annotated[str | None, typer.Option("--date", help="YYYY-MM-DD [default: today]")] = None,
    db: DbOption = None,
    config: ConfigOption = None,
) -> None:
    """What Kronika believes about NAME on --date, and why (one JSON object per reading)."""
    from kronika.actors.explain import describe

    day, kb, learned = _knowledge(config, db, date)
    readings = describe(name, day, kb, learned)
    if not readings:
        err.print(f"nothing known about {name!r}")
        raise typer.Exit(code=1)
    _write(readings)


@actors_app.command("explain")
def explain_cmd(
    name: Annotated[str, typer.Argument(help="A full name, surname, organisation, country or capital")],
    date: Annotated[str | None, typer.Option("--date", help="YYYY-MM-DD [default: today]")] = None,
    country: Annotated[list[str] | None, typer.Option(
        "--country", help="A country the article names (ISO3; repeatable) [default: each candidate's own]")] = None,
    db: DbOption = None,
    config: ConfigOption = None,
) -> None:
    """Which knowledge-base rows decide what NAME means on --date (JSON).

    The entry taken, the dated row valid then with its source file (leaders.tsv,
    phoenix.tsv ...), and every candidate with all its rows."""
    from kronika.actors.explain import explain

    day, kb, learned = _knowledge(config, db, date)
    named = frozenset(c.upper() for c in country) if country else None
    result = explain(name, day, kb, named, learned)
    sys.stdout.write(json.dumps(result, ensure_ascii=False, indent=1, default=str) + "\n")
    if result["decision"] is None and not result["candidates"]:
        raise typer.Exit(code=1)


@actors_app.command("learned")
def learned(db: DbOption = None, config: ConfigOption = None) -> None:
    """People the corpus taught (titles and appositives seen in stored articles), as JSON lines."""
    settings = _settings(config)
    try:
        rows = _learned_rows(settings, db)
    except KronikaError as exc:
        raise _fail(exc) from exc
    if rows is None:
        err.print(f"no store at {db or settings.db_path}")
        raise typer.Exit(code=1)
    _write(rows)


@actors_app.command("import-petrarch")
def import_petrarch(
    files: Annotated[list[Path], typer.Argument(help="PETRARCH actors and/or agents dictionary files")],
    out: Annotated[Path | None, typer.Option("--out", help="Write the YAML here [default: stdout]")] = None,
) -> None:
    """Convert PETRARCH/TABARI actor and agent dictionaries into a Kronika user dictionary.

    A malformed code block (a bad date) is skipped and reported on stderr (K013, file and
    line); the rest of the dictionary is converted."""
    from kronika.actors import load_petrarch_dictionaries

    problems: list[str] = []
    try:
        d = load_petrarch_dictionaries(files, problems)
    except KronikaError as exc:
        raise _fail(exc) from exc
    for p in problems[:10]:
        err.print(f"[yellow]K013[/yellow] {p}")
    if len(problems) > 10:
        err.print(f"… and {len(problems) - 10} more malformed code blocks skipped")
    text = d.to_yaml()
    if out is None:
        sys.stdout.write(text)
    else:
        out.write_text(text, encoding="utf-8")
        err.print(f"{len(d.actors)} actors, {len(d.agents)} agents → {out}")


@actors_app.command("score-plover")
def score_plover_cmd(
    gold: Annotated[Path, typer.Argument(help="PLOVER gold JSON (e.g. PLOVER_GSR_dev.json)")],
    misses: Annotated[bool, typer.Option("--misses", help="Also list every miss")] = False,
    config: ConfigOption = None,
) -> None:
    """Source/target country accuracy of actor resolution on PLOVER gold records."""
    from kronika.actors import ActorResolver
    from kronika.actors.evaluate import confusion, score_plover
    from kronika.model import Article
    from kronika.nlp import SpacyParser

    settings = _settings(config)
    try:
        parser = SpacyParser(settings)
        resolver = ActorResolver(settings)

        def parse_many(texts: list[tuple[str, dt.date]]) -> list[Any]:
            return list(parser.parse_many([Article.create(t, d) for t, d in texts]))

        acc, outcomes = score_plover(gold, parse_many, lambda doc: resolver(doc, ()))
    except (KronikaError, OSError, ValueError) as exc:
        raise _fail(exc) from exc
    conf = confusion(outcomes)
    result = {"accuracy": round(acc, 4), "n": len(outcomes),
              "right": sum(o.got == o.gold.country for o in outcomes),
              "confusion": [{"gold": g, "got": s, "n": n} for (g, s), n in conf.most_common()]}
    _write([result])
    if misses:
        _write([{"record": o.gold.record, "side": o.gold.side, "text": o.gold.actor_text,
                 "gold": o.gold.country, "got": o.got, "how": o.how}
                for o in outcomes if o.got != o.gold.country])
