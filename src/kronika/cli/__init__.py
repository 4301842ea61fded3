"""The ``kronika`` command line: thin wrappers that parse options, call the library and turn
``KronikaError`` into a clean exit. JSON goes to stdout; logs and progress to stderr."""

from __future__ import annotations

import importlib

from kronika.cli.app import app

# Each module registers its commands on import.
_COMMAND_MODULES = (
    "kronika.cli.core",
    "kronika.cli.evaluate_timex",
    "kronika.cli.evaluate_geo",
    "kronika.cli.evaluate_events",
    "kronika.cli.evaluate_actors",
    "kronika.cli.actors_cmd",
    "kronika.cli.serve_cmd",
    "kronika.cli.train_cmd",
)


def _register() -> None:
    for name in _COMMAND_MODULES:
        importlib.import_module(name)


def main() -> None:
    _register()
    app()


__all__ = ["app", "main"]
