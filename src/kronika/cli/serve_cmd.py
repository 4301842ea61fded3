"""``kronika serve``: the HTTP API and dashboard over a store, with uvicorn.

Connection limits and timeouts (idle and slow clients cannot starve the server) are in
``kronika.api.server``. The write token is best given by the environment
(``KRONIKA_API_TOKEN``) or a file (``--token-file``): a ``--token`` on the command line is
visible to every user of the machine in ``ps``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from kronika.cli.app import app

LOOPBACK = ("127.0.0.1", "localhost", "::1")

@app.command()
def serve(
    ctx: typer.Context,
    db: Annotated[Path | None, typer.Option("--db", help="DuckDB store file [default: kronika.duckdb]")] = None,
    host: Annotated[str, typer.Option(help="Interface to listen on (127.0.0.1: this machine only)")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535)] = 8000,
    token: Annotated[str | None, typer.Option(
        "--token", envvar="KRONIKA_API_TOKEN",
        help="Bearer token that allows POST /api/articles; without one the server is read-only. "
             "Prefer the KRONIKA_API_TOKEN environment variable or --token-file: "
             "a token on the command line is visible in ps")] = None,
    token_file: Annotated[Path | None, typer.Option(
        "--token-file", envvar="KRONIKA_API_TOKEN_FILE",
        help="Read the bearer token from the first line of this file (chmod 600)")] = None,
    config: Annotated[Path | None, typer.Option("--config", help="Settings file (TOML)")] = None,
) -> None:
    """Serve the HTTP API (OpenAPI at /docs) and the dashboard at http://HOST:PORT/."""
    import click
    import uvicorn

    from kronika.api import create_app
    from kronika.api.server import ServerLimits, read_token_file, serve_app, uvicorn_options
    from kronika.config import Settings
    from kronika.errors import KronikaError

    if token and token_file:
        typer.echo("error [K001] give --token (or KRONIKA_API_TOKEN) or --token-file, not both", err=True)
        raise typer.Exit(code=2)
    if token and ctx.get_parameter_source("token") is click.core.ParameterSource.COMMANDLINE:
        typer.echo("warning: --token is visible to other users in ps; prefer KRONIKA_API_TOKEN "
                   "or --token-file", err=True)
    try:
        if token_file is not None:
            token, warning = read_token_file(token_file)
            if warning:
                typer.echo(f"warning: {warning}", err=True)
        settings = Settings.load(config, db_path=db, api_token=token)
    except KronikaError as exc:
        typer.echo(f"error {exc}", err=True)
        raise typer.Exit(code=2) from exc
    if host in LOOPBACK and settings.api.allowed_hosts is None:
        # A page on another site must not reach this server by rebinding its DNS name.
        settings = settings.replace(api_allowed_hosts=(*LOOPBACK, "[::1]"))
    if not settings.store.db_path.exists():
        typer.echo(f"note: {settings.store.db_path} does not exist yet; pages stay empty until "
                   "articles are ingested", err=True)
    limits = ServerLimits.from_settings(settings)
    mode = "read-write (token set)" if settings.api.token else "read-only"
    typer.echo(f"Kronika on http://{host}:{port}/  ({mode}; API reference at /docs)", err=True)
    uvicorn.run(serve_app(create_app(settings), limits), host=host, port=port, **uvicorn_options(limits))
