"""``kronika evaluate timex GOLD_DIR [--system-dir DIR]``: TempEval-3 Task A figures.

Without ``--system-dir`` Kronika tags the gold files stripped of their annotations (as
``shared/eval/strip_timeml.py`` does) and is scored on the result; with it, the TimeML
files in DIR (same names) are scored. The figures agree with ``shared/eval/score_timex.py``.
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
from kronika.evaluate import timex as tx

out = Console(highlight=False)
err = Console(stderr=True)


@evaluate_app.command("timex")
def evaluate_timex(
    gold_dir: Annotated[Path, typer.Argument(help="Folder of gold .tml files (searched recursively)",
                                             exists=True, file_okay=False)],
    system_dir: Annotated[Path | None, typer.Option("--system-dir", help="Score these TimeML files")] = None,
    keep: Annotated[Path | None, typer.Option("--keep", help="Write Kronika's TimeML files here")] = None,
    show: Annotated[bool, typer.Option("--show", help="List misses, extras and wrong values")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the scores as JSON")] = False,
    strategy: Annotated[str | None, typer.Option("--strategy", help="news or narrative")] = None,
    min_value_f1: Annotated[float, typer.Option("--min-value-f1", help="Exit 1 below this value F1")] = 0.0,
    config: Annotated[Path | None, typer.Option("--config", help="Settings file (TOML)")] = None,
) -> None:
    """Strict/relaxed extent P/R/F1, type F1 and value F1 (the headline) over GOLD_DIR."""
    try:
        settings = Settings.load(config, time_strategy=strategy)
        if not tx.gold_files(gold_dir):
            raise KronikaError(f"no .tml files under {gold_dir}", code="K006")
        if system_dir is not None:
            score = tx.score_dirs(gold_dir, system_dir, show=show)
        else:
            score = tx.run_and_score(gold_dir, tx.kronika_tagger(settings), show=show, keep_dir=keep)
    except KronikaError as exc:
        err.print(f"[red]error[/red] {exc}")
        raise typer.Exit(code=2) from exc
    if show:
        for line in score.misses:
            err.print(line, markup=False)
    if as_json:
        out.print_json(json.dumps({
            "gold": score.n_gold, "system": score.n_system,
            "strict": dict(zip("prf", score.strict, strict=True)),
            "relaxed": dict(zip("prf", score.relaxed, strict=True)),
            "type_f1": score.type_f1, "value_f1": score.value_f1,
        }))
    else:
        out.print(score.summary(), markup=False)
    if score.value_f1 < min_value_f1:
        raise typer.Exit(code=1)
