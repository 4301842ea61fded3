"""``kronika evaluate actors``: actor resolution figures — PLOVER GSR gold actors' countries
(by side), and the end-to-end figure on folders of annotated news (``articles/`` and
``gold/`` as ``../shared/data/news/guardian_dev``). The library part is
``kronika.actors.evaluate``."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from kronika.cli.app import evaluate_app
from kronika.config import Settings
from kronika.errors import KronikaError

err = Console(stderr=True)


@evaluate_app.command("actors")
def evaluate_actors(
    plover: Annotated[Path | None, typer.Option("--plover", help="PLOVER gold JSON (PLOVER_GSR_dev.json)",
                                                exists=True, dir_okay=False)] = None,
    news: Annotated[list[Path] | None, typer.Option("--news", help="Annotated news folder (repeatable)",
                                                    exists=True, file_okay=False)] = None,
    coref: Annotated[Path | None, typer.Option("--coref", help="Annotated references back (JSON lines; "
                                               "tests/fixtures/coref_wikinews.jsonl)", exists=True, dir_okay=False)] = None,
    corpus: Annotated[Path | None, typer.Option("--corpus", help="The articles --coref points into (JSON lines)",
                                                exists=True, dir_okay=False)] = None,
    misses: Annotated[bool, typer.Option("--misses", help="Also list the coreference misses")] = False,
    config: Annotated[Path | None, typer.Option("--config", help="Settings file (TOML)")] = None,
) -> None:
    """Source/target country accuracy on PLOVER gold actors; on news folders, of the required
    events whose type is coded on their sentence, how many have the right source and target."""
    from kronika.actors import ActorResolver
    from kronika.actors import evaluate as ev

    if plover is None and not news and coref is None:
        err.print("[red]error[/red] give --plover FILE, --news FOLDER and/or --coref FILE --corpus FILE")
        raise typer.Exit(code=2)
    if coref is not None and corpus is None:
        err.print("[red]error[/red] --coref needs --corpus (the articles it points into)")
        raise typer.Exit(code=2)
    try:
        settings = Settings.load(config)
        result: dict[str, Any] = {}
        if plover is not None or coref is not None:
            from kronika.model import Article
            from kronika.nlp import SpacyParser

            parser = SpacyParser(settings)
            resolver = ActorResolver(settings)

            def parse_many(texts: list[tuple[str, dt.date]]) -> list[Any]:
                return list(parser.parse_many([Article.create(t, d) for t, d in texts]))

        if coref is not None and corpus is not None:
            acc, found = ev.score_coref(coref, corpus, parse_many, lambda doc: resolver(doc, ()))
            result["coref"] = {"accuracy": round(acc, 4), "n": len(found),
                               "no_mention": sum(o.how == "no mention" for o in found)}
            if misses:
                result["coref"]["misses"] = [{"id": o.item["id"], "text": o.item["text"], "gold": o.item["country"],
                                              "antecedent": o.item["antecedent"], "got": o.got, "how": o.how}
                                             for o in found if o.got != o.item["country"]]
        if plover is not None:
            acc, outcomes = ev.score_plover(plover, parse_many, lambda doc: resolver(doc, ()))
            result["plover"] = {"accuracy": round(acc, 4), "n": len(outcomes)}
            for side in ("source", "target"):
                mine = [o for o in outcomes if o.gold.side == side]
                right = sum(o.got == o.gold.country for o in mine)
                result["plover"][side] = {"accuracy": round(right / len(mine), 4) if mine else None, "n": len(mine)}
        for folder in news or ():
            from kronika.library import analyses_of

            by_doc: dict[str, list[dict[str, Any]]] = {}
            for a in analyses_of([folder / "articles"], settings):
                for e in a.events:
                    by_doc.setdefault(e.doc_id or "", []).append(e.to_json())
            score = ev.score_news(folder, by_doc)
            result.setdefault("news", []).append({"folder": str(folder), "line": score.line(),
                                                  "typed": score.typed, "required": score.required,
                                                  "actors_ok": score.actors_ok, "events": score.events,
                                                  "no_target": score.no_target})
    except (KronikaError, OSError, ValueError) as exc:
        err.print(f"[red]error[/red] {exc}")
        raise typer.Exit(code=2) from exc
    sys.stdout.write(json.dumps(result, ensure_ascii=False, indent=1) + "\n")
