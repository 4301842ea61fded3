"""The ``kronika`` command line: thin wrappers that parse options, call the library and turn
``KronikaError`` into a clean exit. JSON goes to stdout; logs and progress to stderr."""

from __future__ import annotations

import importlib
from pathlib import Path

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
    "kronika.cli.config_cmd",
)


def _register() -> None:
    for name in _COMMAND_MODULES:
        importlib.import_module(name)


def main() -> None:
    _register()
    try:
        app()
    except Exception as exc:  # a DuckDB error no command mapped: still a coded exit, no traceback
        import duckdb

        if not isinstance(exc, duckdb.Error):
            raise
        from kronika.cli.core import fail
        from kronika.store.db import store_error

        code = fail(store_error(Path("store"), exc, "the command")).exit_code
        raise SystemExit(code) from None


__all__ = ["app", "main"]
