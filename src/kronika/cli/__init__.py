"""The ``kronika`` command line: thin wrappers that parse options, call the library and turn
``KronikaError`` into a clean exit. JSON goes to stdout; logs and progress to stderr."""

from __future__ import annotations

from pathlib import Path

from kronika.cli.app import app


def _register() -> None:
    """Import the command modules: each registers its commands on ``app`` as it loads, in this
    order (the order ``kronika --help`` and docs/cli.md list them), so sorting is off here."""
    # isort: off
    from kronika.cli import (  # noqa: F401
        core, analysis_cmd, export_cmd, evaluate_timex, evaluate_geo, evaluate_events, evaluate_actors, actors_cmd,
        serve_cmd, train_cmd, config_cmd,
    )
    # isort: on


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
