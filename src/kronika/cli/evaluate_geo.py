"""``kronika evaluate geo FILE``: geoparsing figures on GeoWebNews / TR-News / LGL XML.

Resolution given gold toponyms (accuracy within 161 km, mean/median error, AUC) needs no
parse and is fast; toponym span P/R/F1 parses every article with spaCy (``--no-spans``
skips it). The library part is ``kronika.evaluate.geo``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from kronika.cli.app import evaluate_app
from kronika.config import Settings
from kronika.errors import KronikaError

out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True)


@evaluate_app.command("geo")
def evaluate_geo(
    gold: Annotated[Path, typer.Argument(help="GeoWebNews (GWN.xml), TR-News or LGL XML file",
                                         exists=True, dir_okay=False)],
    spans: Annotated[bool, typer.Option("--spans/--no-spans", help="Also score toponym spans (parses the articles)")] = True,
    limit: Annotated[int | None, typer.Option("--limit", help="Only the first N articles")] = None,
    show: Annotated[int, typer.Option("--show", help="List up to N resolution errors on stderr")] = 0,
    as_json: Annotated[bool, typer.Option("--json", help="Print the scores as JSON")] = False,
    min_accuracy: Annotated[float, typer.Option("--min-accuracy", help="Exit 1 below this acc@161km")] = 0.0,
    config: Annotated[Path | None, typer.Option("--config", help="Settings file (TOML)")] = None,
) -> None:
    """Resolution accuracy within 161 km, mean/median error km, AUC; toponym span P/R/F1."""
    from kronika.evaluate import geo as ev
    from kronika.geo import Geoparser

    try:
        settings = Settings.load(config)
        try:
            articles = ev.read_gold(gold)[:limit]
        except Exception as exc:  # ParseError and friends: a clean message, not a trace
            raise KronikaError(f"cannot read {gold} as geoparsing XML: {exc}", code="K006") from exc
        geoparser = Geoparser(settings)
        res = ev.evaluate_resolution(geoparser.resolver, articles, keep_errors=show)
        linked = ev.evaluate_resolution(geoparser.resolver, articles, geonames_only=True)
        span = None
        if spans:
            from kronika.nlp import SpacyParser

            find = ev.kronika_spans(geoparser, SpacyParser(settings))
            span = ev.evaluate_spans_batch(articles, find, ev.not_a_place(geoparser.resolver))
    except KronikaError as exc:
        err.print(f"[red]error[/red] {exc}")
        raise typer.Exit(code=2) from exc
    for line in res.errors:
        err.print(line, markup=False)
    if as_json:
        out.print_json(json.dumps(_payload(len(articles), res, linked, span)))
    else:
        out.print(f"{gold.name}: {len(articles)} articles", markup=False)
        out.print(f"all gold with coordinates: {res.summary()}", markup=False)
        out.print(f"GeoNames-linked gold only: {linked.summary()}", markup=False)
        if span is not None:
            out.print(f"all gold        {span[0].summary()}", markup=False)
            out.print(f"gold w/o demonyms {span[1].summary()}", markup=False)
    if res.accuracy_161 < min_accuracy:
        raise typer.Exit(code=1)


def _payload(n_articles: int, res: object, linked: object, span: tuple | None) -> dict[str, object]:
    """The scores as JSON-ready dicts (resolution, GeoNames-linked resolution, spans)."""

    def resolution(r: object) -> dict[str, object]:
        return {k: getattr(r, a) for k, a in (
            ("n", "n"), ("accuracy_161km", "accuracy_161"), ("mean_km", "mean_km"),
            ("median_km", "median_km"), ("auc", "auc"), ("focus_fallbacks", "fallbacks"))}

    payload: dict[str, object] = {
        "articles": n_articles, "resolution": resolution(res), "resolution_geonames_linked": resolution(linked),
    }
    if span is not None:
        payload["spans"] = {name: {"gold": sc.n_gold, "system": sc.n_system,
                                   "strict": dict(zip("prf", sc.strict, strict=True)),
                                   "relaxed": dict(zip("prf", sc.relaxed, strict=True))}
                            for name, sc in zip(("all", "without_demonyms"), span, strict=True)}
    return payload
