"""``kronika evaluate actors``: actor resolution figures — PLOVER GSR gold actors' countries
(by side), the end-to-end figure on folders of annotated news (``articles/`` and
``gold/`` as ``../shared/data/news/guardian_dev``), coreference, and the PETRARCH validation
records' actor codes with the Phoenix dictionaries as the KB. The library parts are
``kronika.actors.evaluate`` and ``kronika.actors.evaluate_petrarch``."""

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
    petrarch: Annotated[list[Path] | None, typer.Option("--petrarch", help="PETRARCH validation records (XML, "
                                                        "repeatable): actor codes with the Phoenix dictionaries "
                                                        "as the KB", exists=True, dir_okay=False)] = None,
    phoenix: Annotated[Path | None, typer.Option("--phoenix", help="Folder of the Phoenix dictionaries "
                                                 "(Phoenix.*.actors.txt, Phoenix.agents.txt) for --petrarch",
                                                 exists=True, file_okay=False)] = None,
    misses: Annotated[bool, typer.Option("--misses", help="Also list the coreference misses and the PETRARCH "
                                         "codes the Phoenix KB could code but were not found")] = False,
    config: Annotated[Path | None, typer.Option("--config", help="Settings file (TOML)")] = None,
) -> None:
    """Source/target country accuracy on PLOVER gold actors; on news folders, of the required
    events whose type is coded on their sentence, how many have the right source and target; on
    PETRARCH validation records, the gold actor codes found with the Phoenix dictionaries as the KB."""
    from kronika.actors import ActorResolver
    from kronika.actors import evaluate as ev

    if plover is None and not news and coref is None and not petrarch:
        err.print("[red]error[/red] give --plover FILE, --news FOLDER, --coref FILE --corpus FILE "
                  "and/or --petrarch FILE --phoenix FOLDER")
        raise typer.Exit(code=2)
    if petrarch and phoenix is None:
        err.print("[red]error[/red] --petrarch needs --phoenix FOLDER (the Phoenix dictionaries: the KB it is scored with)")
        raise typer.Exit(code=2)
    if coref is not None and corpus is None:
        err.print("[red]error[/red] --coref needs --corpus (the articles it points into)")
        raise typer.Exit(code=2)
    try:
        settings = Settings.load(config)
        result: dict[str, Any] = {}
        if plover is not None or coref is not None or petrarch:
            from kronika.model import Article
            from kronika.nlp import SpacyParser

            parser = SpacyParser(settings)
            resolver = ActorResolver(settings)

            parsed: dict[tuple[str, dt.date], Any] = {}

            def parse_many(texts: list[tuple[str, dt.date]]) -> list[Any]:
                """Each (text, date) parsed once per run: --plover scores the same sentences
                with two resolvers."""
                todo = [k for k in dict.fromkeys(texts) if k not in parsed]
                parsed.update(zip(todo, parser.parse_many([Article.create(t, d) for t, d in todo]), strict=True))
                return [parsed[k] for k in texts]

        if coref is not None and corpus is not None:
            acc, found = ev.score_coref(coref, corpus, parse_many, lambda doc: resolver(doc, ()))
            result["coref"] = {"accuracy": round(acc, 4), "n": len(found),
                               "no_mention": sum(o.how == "no mention" for o in found)}
            if misses:
                result["coref"]["misses"] = [{"id": o.item["id"], "text": o.item["text"], "gold": o.item["country"],
                                              "antecedent": o.item["antecedent"], "got": o.got, "how": o.how}
                                             for o in found if o.got != o.item["country"]]
        if plover is not None:
            from kronika.events.sides import with_places
            from kronika.geo import Geoparser

            geo = Geoparser(settings)

            def as_coded(doc: Any) -> Any:
                """The mentions the event coder takes sides from: the actors, plus each place
                the geoparser resolved that no actor covers, as its country (the town shelled
                is, in PLOVER and ICEWS, its country)."""
                mentions = resolver(doc, ())
                places = geo(doc, mentions)
                return with_places(resolver.localise(doc, mentions, places), places)

            for key, resolve in (("plover", lambda doc: resolver(doc, ())), ("plover_as_coded", as_coded)):
                acc, outcomes = ev.score_plover(plover, parse_many, resolve)
                result[key] = {"accuracy": round(acc, 4), "n": len(outcomes)}
                for side in ("source", "target"):
                    mine = [o for o in outcomes if o.gold.side == side]
                    right = sum(o.got == o.gold.country for o in mine)
                    result[key][side] = {"accuracy": round(right / len(mine), 4) if mine else None, "n": len(mine)}
        if petrarch and phoenix is not None:
            result["petrarch"] = _petrarch(petrarch, phoenix, settings, parse_many, resolver, misses)
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


def _petrarch(files: list[Path], phoenix: Path, settings: Settings, parse_many: Any, packaged: Any,
              misses: bool) -> list[dict[str, Any]]:
    """Each records file scored three ways: with the Phoenix dictionaries layered over the
    packaged knowledge (the figure item 5 (c) asks for), with the suite's own dictionaries
    (measures the PETRARCH reader: Arnor and Gondor are there), and with the packaged knowledge
    alone (its ``phoenix.tsv`` is a filtered conversion of the same files; scored on the
    Phoenix KB's split of resolvable codes)."""
    from kronika.actors import ActorResolver
    from kronika.actors import evaluate_petrarch as ep
    from kronika.evaluate.events import iter_petrarch, petrarch_dictionaries

    phoenix_kb, phoenix_problems = ep.load_kb(ep.phoenix_files(phoenix))
    with_phoenix = ActorResolver(settings, dictionaries=(phoenix_kb,))
    out: list[dict[str, Any]] = []
    for path in files:
        own_kb, own_problems = ep.load_kb(ep.actor_files(petrarch_dictionaries(path)))
        phoenix_known = ep.known_codes(phoenix_kb, suite=own_kb)
        with_own = ActorResolver(settings, dictionaries=(own_kb,))
        scores = ep.score_petrarch(iter_petrarch(path), parse_many, {
            "phoenix": (lambda doc: with_phoenix(doc, ()), phoenix_known, len(phoenix_problems)),
            "own": (lambda doc, r=with_own: r(doc, ()), ep.known_codes(own_kb), len(own_problems)),
            "packaged": (lambda doc: packaged(doc, ()), phoenix_known, 0),
        }, source=str(path))
        gold = scores[0].gold
        block: dict[str, Any] = {"file": str(path), "records": gold.records, "events": gold.events,
                                 "gold_actors": len(gold.actors), "no_actor_code": gold.skipped,
                                 "kb": {s.kb: s.to_json() for s in scores}}
        if misses:
            block["misses"] = [{"id": o.gold.record, "side": o.gold.side, "gold": o.gold.code, "got": list(o.found),
                                "text": o.gold.text} for o in scores[0].outcomes if o.code_known and not o.code_ok]
        out.append(block)
    return out
