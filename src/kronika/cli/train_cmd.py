"""``kronika train events DATA... --out DIR``: train an event coder from labelled sentences.

Thin: read options, call ``kronika.train.events.train_events``, save, print the model card's
scores. Any label set trains (a user's own ontology); PLOVER is what the shipped model knows.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from kronika.cli.app import app
from kronika.config import Settings
from kronika.errors import KronikaError

train_app = typer.Typer(help="Train Kronika's learned components from labelled data.", no_args_is_help=True)
app.add_typer(train_app, name="train")
err = Console(stderr=True)


@train_app.command("events")
def train_events_cmd(
    data: Annotated[list[Path], typer.Argument(
        help="Labelled files: JSON lines (sentence-complete `events` lists, or `text`/`source`/"
             "`target`/`type` pairs), PLV-style TSV, document-labelled CSV", exists=True)],
    out: Annotated[Path, typer.Option("--out", help="Folder to write the model (weights.npz, meta.json)")],
    recipe: Annotated[Path | None, typer.Option("--recipe", help="Hyper-parameters (YAML); default: the shipped recipe")] = None,
    config: Annotated[Path | None, typer.Option("--config", help="Settings file (TOML)")] = None,
    corrections: Annotated[Path | None, typer.Option(
        "--corrections", help="Label corrections (TSV: doc, from, to, why) applied to the data read", exists=True)] = None,
    roles_only: Annotated[list[Path] | None, typer.Option(
        "--roles-only", help="Labelled file whose sources and targets teach only the role model (repeatable)",
        exists=True)] = None,
) -> None:
    """Train on CPU, calibrate by cross-validation, write the model and its card.

    Use the result with `events_model = "DIR"` in kronika.toml (or KRONIKA_EVENTS_MODEL=DIR)."""
    from kronika.train.events import load_recipe, train_events

    try:
        settings = Settings.load(config)
        rec, folds = load_recipe(recipe)
        model = train_events(data, settings, rec, folds_k=folds, progress=lambda m: err.print(m),
                             corrections=corrections, roles_only=roles_only or ())
        model.save(out)
    except KronikaError as exc:
        err.print(f"[red]error[/red] {exc}")
        raise typer.Exit(code=2) from exc
    cv = dict(model.meta.get("cross_validation", {}))
    cv = {k: v for k, v in cv.items() if "reliability" not in k}
    err.print(f"wrote {out} ({len(model.vocab)} features, labels {', '.join(model.labels)})")
    curve = cv.get("candidate_f1_by_margin_mean_sd")
    if curve:
        from kronika.train.events import margin_rule

        rule = margin_rule(curve, cv.get("candidate_f1_by_margin_draws"))
        note = f"none_margin: recipe {model.none_margin}, the card's {rule.rule} rule {rule.chosen} " \
               f"(bar {rule.bar}; nearest margin {rule.gap} from passing or failing)"
        err.print(note if rule.chosen == model.none_margin else f"[yellow]warning[/yellow] {note}: they differ")
    typer.echo(json.dumps({"model": str(out), "version": model.version, "threshold": model.threshold,
                           "temperature": round(model.temperature, 4), "cross_validation": cv}))
