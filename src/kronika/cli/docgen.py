"""Generate the CLI reference (docs/cli.md) from the commands' own ``--help``.

    python -m kronika.cli.docgen > docs/cli.md

A test compares the file with this output, so the reference cannot drift from the code.
"""

from __future__ import annotations

import os
import sys
from typing import Any

import typer.main
from typer.testing import CliRunner

from kronika.cli import _register, app


def _root() -> Any:
    _register()
    return typer.main.get_command(app)


def command_paths() -> list[tuple[str, ...]]:
    """Every command and subcommand as a tuple of names, in help order."""
    out: list[tuple[str, ...]] = []

    def walk(cmd: Any, path: tuple[str, ...]) -> None:
        if hasattr(cmd, "list_commands"):  # a group (Typer vendors its own click classes)
            ctx = cmd.make_context(cmd.name or "kronika", [], resilient_parsing=True)
            for name in cmd.list_commands(ctx):
                sub = cmd.get_command(ctx, name)
                if sub is not None:
                    out.append((*path, name))
                    walk(sub, (*path, name))

    walk(_root(), ())
    return out


def render() -> str:
    runner = CliRunner()
    env = {"COLUMNS": "100", "TERM": "dumb", "NO_COLOR": "1", "_TYPER_FORCE_DISABLE_TERMINAL": "1"}
    parts = ["# Kronika command reference\n\nGenerated from `--help` by `python -m kronika.cli.docgen`.\n"]
    for path in [(), *command_paths()]:
        res = runner.invoke(app, [*path, "--help"], env=env, prog_name="kronika")
        body = "\n".join(line.rstrip() for line in res.output.strip().splitlines())
        parts.append(f"## kronika {' '.join(path)}".rstrip() + f"\n\n```\n{body}\n```\n")
    return "\n".join(parts)


if __name__ == "__main__":
    os.environ.setdefault("COLUMNS", "100")
    sys.stdout.write(render())
