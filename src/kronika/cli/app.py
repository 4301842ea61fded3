"""The Typer application objects. Command modules attach their commands to these.

Kept apart from the commands so each command module (``core``, ``evaluate_*``,
``actors_cmd``, ``serve_cmd`` …) can register itself without importing the others.
"""

from __future__ import annotations

import typer

app = typer.Typer(
    name="kronika",
    help="Turn dated news articles into event data and answer questions over it.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
evaluate_app = typer.Typer(help="Score Kronika against gold annotations.", no_args_is_help=True)
actors_app = typer.Typer(help="Inspect and extend the actor knowledge base.", no_args_is_help=True)
app.add_typer(evaluate_app, name="evaluate")
app.add_typer(actors_app, name="actors")
