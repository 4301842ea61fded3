"""``kronika config``: the effective settings and where each value came from.

Why: settings come from four layers (defaults, ``kronika.toml``, ``KRONIKA_*``, flags), and
"which value is in force, and why" is the first question when a run behaves unexpectedly.
The output is valid TOML (paste it into ``kronika.toml``); each line ends with its source.
"""

from __future__ import annotations

import dataclasses
import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from kronika.cli.app import app
from kronika.config import SECTIONS, Settings, load_traced, toml_value
from kronika.errors import KronikaError

SECRET = ("api.token",)  # shown as set or unset, never printed


def effective(settings: Settings, sources: dict[str, str]) -> list[tuple[str, Any, str]]:
    """(``section.field``, value, source) for every field, in section order."""
    rows = []
    for name in SECTIONS:
        section = getattr(settings, name)
        for f in dataclasses.fields(section):
            key = f"{name}.{f.name}"
            value = getattr(section, f.name)
            if key in SECRET and value is not None:
                value = "***"
            rows.append((key, value, sources.get(key, "default")))
    return rows


def render(rows: list[tuple[str, Any, str]]) -> str:
    lines: list[str] = []
    current = None
    width = max(len(k.split(".", 1)[1]) + len(toml_value(v)) for k, v, _ in rows) + 5
    for key, value, source in rows:
        section, name = key.split(".", 1)
        if section != current:
            lines += ["", f"[{section}]"] if lines else [f"[{section}]"]
            current = section
        body = f"# {name} = (unset)" if value is None else f"{name} = {toml_value(value)}"
        lines.append(f"{body:<{width}}# {source}")
    return "\n".join(lines) + "\n"


@app.command("config")
def config_command(
    config: Annotated[Path | None, typer.Option("--config", help="Settings file (TOML)")] = None,
    db: Annotated[Path | None, typer.Option("--db", help="DuckDB store file (as the other commands take it)")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object: field → {value, source}")] = False,
) -> None:
    """Print the effective settings and where each came from (default, file, $KRONIKA_…, flag)."""
    try:
        settings, sources = load_traced(config, db_path=db)
    except KronikaError as exc:
        typer.echo(f"error {exc}", err=True)
        raise typer.Exit(code=2) from exc
    rows = effective(settings, sources)
    if as_json:
        obj = {k: {"value": list(v) if isinstance(v, tuple) else (str(v) if isinstance(v, Path) else v),
                   "source": s} for k, v, s in rows}
        sys.stdout.write(json.dumps(obj, ensure_ascii=False, indent=1) + "\n")
        return
    sys.stdout.write(render(rows))
