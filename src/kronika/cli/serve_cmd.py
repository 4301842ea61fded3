"""``kronika serve``: the HTTP API and dashboard over a store, with uvicorn."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from kronika.cli.app import app

LOOPBACK = ("127.0.0.1", "localhost", "::1")


@app.command()
def serve(
    db: Annotated[Path | None, typer.Option("--db", help="DuckDB store file [default: kronika.duckdb]")] = None,
    host: Annotated[str, typer.Option(help="Interface to listen on (127.0.0.1: this machine only)")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535)] = 8000,
    token: Annotated[str | None, typer.Option(
        "--token", envvar="KRONIKA_API_TOKEN",
        help="Bearer token that allows POST /api/articles; without one the server is read-only")] = None,
    config: Annotated[Path | None, typer.Option("--config", help="Settings file (TOML)")] = None,
) -> None:
    """Serve the HTTP API (OpenAPI at /docs) and the dashboard at http://HOST:PORT/."""
    import uvicorn

    from kronika.api import create_app
    from kronika.config import Settings
    from kronika.errors import KronikaError

    try:
        settings = Settings.load(config, db_path=db, api_token=token)
    except KronikaError as exc:
        typer.echo(f"error {exc}", err=True)
        raise typer.Exit(code=2) from exc
    if host in LOOPBACK and "api_allowed_hosts" not in settings.extra:
        # A page on another site must not reach this server by rebinding its DNS name.
        settings = settings.replace(extra={**settings.extra, "api_allowed_hosts": [*LOOPBACK, "[::1]"]})
    if not Path(settings.db_path).exists():
        typer.echo(f"note: {settings.db_path} does not exist yet; pages stay empty until "
                   "articles are ingested", err=True)
    mode = "read-write (token set)" if settings.api_token else "read-only"
    typer.echo(f"Kronika on http://{host}:{port}/  ({mode}; API reference at /docs)", err=True)
    uvicorn.run(create_app(settings), host=host, port=port, log_level="warning",
                limit_concurrency=64, timeout_keep_alive=5)
