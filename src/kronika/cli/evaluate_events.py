"""``kronika evaluate events GOLD [--system FILE]``: score the event coder against gold.

GOLD is PLOVER gold-standard records (JSON), PETRARCH validation records (XML) or Kronika's
``events.json``. Without ``--system`` the coder runs on the gold sentences (or, for Kronika
gold, on the article it names); with it, the given JSON-lines event records are scored.
"""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from kronika.cli.app import evaluate_app
from kronika.config import Settings
from kronika.errors import KronikaError
from kronika.evaluate import events as ev

out = Console()
err = Console(stderr=True)


class ActorSource(StrEnum):
    gold = "gold"
    system = "system"


class Half(StrEnum):
    all = "all"
    even = "even"
    odd = "odd"


@evaluate_app.command("events")
def evaluate_events(
    gold: Annotated[Path | None, typer.Argument(
        help="PLOVER GSR JSON, PETRARCH XML or Kronika events.json; omitted: the cross-corpus table",
        exists=True)] = None,
    system: Annotated[Path | None, typer.Option("--system", help="System events (JSON lines) to score")] = None,
    actors: Annotated[ActorSource, typer.Option("--actors", help="Actors from the gold markup or the actor stage")] = ActorSource.gold,
    as_json: Annotated[bool, typer.Option("--json", help="Print the scores as JSON")] = False,
    limit: Annotated[int, typer.Option("--limit", help="Score only the first N gold records (0: all)")] = 0,
    # --half and --calibrate are hidden until docs/cli.md is regenerated (not this module's file).
    half: Annotated[Half, typer.Option(
        "--half", help="Score only the even- or odd-indexed records", hidden=True)] = Half.all,
    calibrate: Annotated[bool, typer.Option(
        "--calibrate", help="Fit the confidence calibration on the even records, report it on the odd",
        hidden=True)] = False,
    config: Annotated[Path | None, typer.Option("--config", help="Settings file (TOML)")] = None,
    shared: Annotated[Path, typer.Option("--shared", help="The shared folder holding the evaluation sets "
                                         "(for the cross-corpus table)")] = Path("../shared"),
) -> None:
    """Type accuracy, macro-F1, confusion matrix, source/target country accuracy, statuses.

    Without GOLD: one cross-corpus table (Guardian dev, WikiNews dev, PLOVER GSR dev, the seed,
    and the training cross-validation from the model card)."""
    try:
        settings = Settings.load(config)
        if gold is None:
            _cross(shared, settings, as_json)
            return
        kind = ev.gold_kind(gold)
        if kind == "kronika":
            result = _kronika(gold, system, settings)
        elif calibrate:
            result = _calibrate(gold, kind, actors.value, settings)
        else:
            result = _sentences(gold, kind, system, actors.value, limit, settings, half.value)
    except KronikaError as exc:
        err.print(f"[red]error[/red] {exc}")
        raise typer.Exit(code=2) from exc
    if as_json:
        out.print_json(json.dumps(result))
    else:
        _print(result)


def _cross(shared: Path, settings: Settings, as_json: bool) -> None:
    from kronika.evaluate.crosscorpus import cross_corpus

    if not shared.is_dir():
        raise KronikaError(f"no evaluation sets: {shared} is not a folder (pass --shared)")
    rows = cross_corpus(shared, settings)
    if as_json:
        out.print_json(json.dumps({r.name: r.figures for r in rows}))
        return
    table = Table(title=f"events, cross-corpus ({settings.events_coder} coder)")
    table.add_column("set")
    table.add_column("figures")
    for r in rows:
        shown = {k: v for k, v in r.figures.items() if k != "reliability"}
        table.add_row(r.name, ", ".join(f"{k} {v}" for k, v in shown.items()))
    out.print(table)
    for r in rows:
        if r.figures.get("reliability"):
            typer.echo(f"{r.name} reliability: " + "; ".join(
                f"{b['bin']}: n={b['n']} conf {b['confidence']:.2f} acc {b['accuracy']:.2f}" for b in r.figures["reliability"]))


def _kronika(gold: Path, system: Path | None, settings: Settings) -> dict[str, Any]:
    data = json.loads(gold.read_text(encoding="utf-8"))
    if system is None:
        records = _extract_article(gold, data, settings)
    else:
        records = [r for group in ev.events_from_jsonl(system).values() for r in group]
    return {"gold": "kronika", **ev.score_kronika_gold(data, records)}


def _extract_article(gold: Path, data: dict[str, Any], settings: Settings) -> list[dict[str, Any]]:
    """Run the pipeline on the article the gold file names (relative to a parent folder)."""
    from kronika.ingest import iter_records
    from kronika.model import Article
    from kronika.pipeline import Pipeline

    rel = data.get("article") or ""
    article_path = next((p / rel for p in gold.resolve().parents if (p / rel).is_file()), None)
    if article_path is None:
        raise KronikaError(f"{gold}: cannot find its article {rel!r}; pass --system")
    pipe = Pipeline(settings)
    articles = [a for a in iter_records([article_path], settings) if isinstance(a, Article)]
    return [e.to_json() for a in articles for e in pipe.analyze(a).events]


def _calibrate(gold: Path, kind: str, actors: str, settings: Settings) -> dict[str, Any]:
    """Raw rule scores on the gold sentences → calibration points fitted on one half."""
    from kronika.nlp import SpacyParser

    if kind != "plover":
        raise KronikaError("--calibrate needs PLOVER gold-standard records")
    records = ev.load_plover_gsr(gold)
    raw = ev.code_records(records, settings, SpacyParser(settings), actors=actors, raw_scores=True)
    return {"gold": kind, "actors": actors, **ev.calibration_report(records, raw)}


def _sentences(gold: Path, kind: str, system: Path | None, actors: str, limit: int,
               settings: Settings, half: str = "all") -> dict[str, Any]:
    petrarch = kind == "petrarch"
    records = ev.load_petrarch(gold) if petrarch else ev.load_plover_gsr(gold)
    if half != "all":
        records = ev.halves(records)[half == "odd"]
    if limit:
        records = records[:limit]
    if system is not None:
        coded = _events_from_file(system)
    else:
        from kronika.nlp import SpacyParser

        dicts = ev.petrarch_dictionaries(gold) if petrarch else ()
        coded = ev.code_records(records, settings, SpacyParser(settings),
                                actors="system" if petrarch else actors, dictionaries=dicts)
    scores = ev.score_records(records, lambda r: coded.get(r.id, ()), petrarch=petrarch)
    used = "file" if system is not None else "system + PETRARCH dictionaries" if petrarch else actors
    result = {"gold": kind, "actors": used, **scores.to_dict()}
    if petrarch and system is None:
        result["dictionaries"] = ", ".join(p.name for p in dicts)
    result["confusion_rows"] = ev.confusion_rows(scores)
    return result


def _events_from_file(system: Path) -> dict[str, tuple[Any, ...]]:
    """JSON-lines records as light objects the scorer reads (type, cameo, sides, confidence)."""
    from kronika.model import ActorRef

    def refs(side: Any) -> tuple[ActorRef, ...]:
        items = side if isinstance(side, list) else [side] if side else []
        return tuple(ActorRef(str(s.get("text", "")), s.get("actor"), s.get("country")) for s in items)

    grouped: dict[str, tuple[Any, ...]] = {}
    for doc_id, recs in ev.events_from_jsonl(system).items():
        grouped[doc_id] = tuple(
            _Rec(r.get("type"), r.get("cameo"), refs(r.get("source")), refs(r.get("target")),
                 float(r.get("confidence") or 0.0), str(r.get("status")))
            for r in recs)
    return grouped


class _Rec:
    """The fields of a system event record the sentence scorer reads."""

    def __init__(self, type_: Any, cameo: Any, source: Any, target: Any, confidence: float, status: str) -> None:
        self.type, self.cameo, self.source, self.target = type_, cameo, source, target
        self.confidence, self.status = confidence, status


def _print(result: dict[str, Any]) -> None:
    table = Table(title=f"events vs {result['gold']} gold")
    table.add_column("measure")
    table.add_column("value", justify="right")
    for key, value in result.items():
        if key in ("confusion", "confusion_rows", "reliability", "status", "types", "points",
                   "reliability_held_out", "reliability_in_sample"):
            continue
        table.add_row(key, str(value))
    out.print(table)
    if result.get("status"):
        out.print("status counts: " + ", ".join(f"{k}={v}" for k, v in result["status"].items()))
    for key in ("reliability", "reliability_held_out", "reliability_in_sample"):
        if result.get(key):
            rel = Table(title=f"{key.replace('_', ' ')} (confidence vs observed accuracy)")
            for col in ("bin", "events", "mean confidence", "accuracy"):
                rel.add_column(col, justify="right")
            for row in result[key]:
                rel.add_row(row["bin"], str(row["events"]), f"{row['mean_confidence']:.2f}", f"{row['accuracy']:.2f}")
            out.print(rel)
    if result.get("points"):
        typer.echo("points:  # for data/events/calibration.yaml")
        for x, y in result["points"]:
            typer.echo(f"  - [{x:.3f}, {y:.3f}]")
    if result.get("confusion_rows"):
        typer.echo("confusion (gold rows, system columns):")
        for row in result["confusion_rows"]:
            typer.echo(f"{row[0]:>10s} " + " ".join(f"{c:>5s}" for c in row[1:]))
