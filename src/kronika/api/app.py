"""``create_app``: the FastAPI application (HTTP API + dashboard), safe by default.

Defaults chosen for a server an analyst starts on a laptop and may expose by mistake:
read-only unless a token is configured, no CORS (same-origin only) unless origins are
listed in ``settings.api.cors_origins``, only the host names in
``settings.api.allowed_hosts`` answered when set (``kronika serve`` sets them for a
loopback address, against DNS rebinding), request bodies capped, every query
time-limited, no endpoint taking a filesystem path, and the OpenAPI docs served from a
local copy of Swagger UI (PyPI ``swagger-ui-py``) because there is no CDN offline.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from importlib import metadata
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.middleware.trustedhost import TrustedHostMiddleware
from fastapi.openapi.utils import get_openapi
from fastapi.responses import HTMLResponse, JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.body_limit import RequestBodyLimitMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kronika.api import ingest, read
from kronika.api.context import ApiContext, ctx_of
from kronika.api.redact import public_text
from kronika.config import Settings
from kronika.errors import KronikaError, QueryError, StoreError
from kronika.store.access import StoreAccess, StoreBusy, StoreMissing

log = logging.getLogger("kronika.api")

# The code of an HTTP error raised without one (``HTTPException`` from a route, FastAPI or
# Starlette): every error body carries a code. Parameter problems have their own (K5xx).
STATUS_CODES = {
    401: "K420",  # missing or wrong bearer token
    403: "K421",  # read-only server (no token configured)
    404: "K422",  # no such route, file, article or cluster
    405: "K423",  # method not allowed
    413: "K424",  # too many articles in one request (a body over the limit: K427, CodedBodyLimit)
    422: "K509",  # malformed request
    503: "K426",  # the server cannot do this now (started without a pipeline)
    504: "K425",  # a query over api_query_timeout_s
}

SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    # Plotly sets inline styles; scripts come only from this server.
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data: blob:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'"
    ),
}


def version() -> str:
    try:
        return metadata.version("kronika")
    except metadata.PackageNotFoundError:  # pragma: no cover - running from a bare checkout
        return "0+unknown"


def create_app(
    settings: Settings,
    store_path: Path | str | None = None,
    pipeline_factory: Callable[[], Any] | None = None,
    *,
    dashboard: bool = True,
) -> FastAPI:
    """The app over the store at ``store_path`` (default ``settings.store.db_path``).

    ``POST /api/articles`` runs the run layer (``kronika.run.Runner``), which by default
    builds the pipeline on first use with the store's learned-actor snapshot, as
    ``kronika ingest`` does; ``pipeline_factory`` supplies one to use as given instead.
    """
    factory = pipeline_factory
    path = Path(store_path) if store_path is not None else settings.store.db_path
    linger = settings.api.linger_s
    ctx = ApiContext(settings=settings, access=StoreAccess(path, linger_s=linger), pipeline_factory=factory)
    app = FastAPI(title="Kronika", version=version(), docs_url=None, redoc_url=None,
                  description="Event data from news: who did what to whom, when and where.")
    app.state.kronika = ctx
    app.include_router(read.router)
    app.include_router(ingest.router)
    _meta_routes(app)
    _error_handlers(app)
    hosts = settings.api.allowed_hosts or ()
    if hosts:  # DNS-rebinding guard: answer only to the names the server is meant to have
        app.add_middleware(TrustedHostMiddleware, allowed_hosts=list(hosts))
    origins = settings.api.cors_origins
    if origins:
        app.add_middleware(CORSMiddleware, allow_origins=list(origins), allow_methods=["GET"],
                           allow_headers=["Authorization", "Content-Type"])
    # 413 past the body limit, by header or while streaming; answered as coded JSON (K427)
    app.add_middleware(RequestBodyLimitMiddleware, max_body_size=ctx.max_body)
    app.add_middleware(CodedBodyLimit, limit=ctx.max_body)
    app.add_middleware(SecurityHeaders)
    app.openapi = lambda: _openapi(app)  # type: ignore[method-assign]
    if dashboard:
        from kronika.web import mount

        mount(app)
    return app


def _meta_routes(app: FastAPI) -> None:
    @app.get("/api/health", tags=["meta"], summary="Liveness and whether the store can be read")
    def health(request: Request) -> dict[str, Any]:
        ctx = ctx_of(request)
        return {"status": "ok", "store": ctx.access.path.exists(),
                "writable": bool(ctx.settings.api.token)}

    @app.get("/api/version", tags=["meta"], summary="Kronika version")
    def get_version() -> dict[str, str]:
        return {"kronika": version(), "api": "1"}

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return HTMLResponse(DOCS_PAGE)


DOCS_PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Kronika API</title><link rel="stylesheet" href="/static/vendor/swagger-ui/swagger-ui.css">
</head><body><div id="swagger-ui"><p style="font-family:sans-serif;margin:2em">Loading the API
reference… The raw description is at <a href="/openapi.json">/openapi.json</a>.</p></div>
<script src="/static/vendor/swagger-ui/swagger-ui-bundle.js"></script>
<script src="/static/docs.js"></script></body></html>"""


def _openapi(app: FastAPI) -> dict[str, Any]:
    if app.openapi_schema is None:
        schema = get_openapi(title=app.title, version=app.version, description=app.description,
                             routes=app.routes)
        article = ingest.ArticleIn.model_json_schema(ref_template="#/components/schemas/{model}")
        schema.setdefault("components", {}).setdefault("schemas", {})["ArticleIn"] = article
        app.openapi_schema = schema
    return app.openapi_schema


def _error_handlers(app: FastAPI) -> None:
    """Every error body is JSON ``{"detail", "code"}`` and names no filesystem path
    (``redact.public_text``); the full message of a server-side failure goes to the log."""

    def public(text: str) -> str:
        return public_text(text, app.state.kronika.access.path)

    def error(status: int, exc: KronikaError, headers: dict[str, str] | None = None) -> JSONResponse:
        if status >= 500:
            log.warning("HTTP %d: %s", status, exc)
        return JSONResponse({"detail": public(str(exc.args[0])), "code": exc.code}, status_code=status,
                            headers=headers)

    @app.exception_handler(StarletteHTTPException)  # FastAPI's HTTPException and routing's 404/405
    async def http_error(request: Request, exc: StarletteHTTPException) -> Any:
        code = getattr(exc, "code", None) or STATUS_CODES.get(exc.status_code)  # ``params.BadParameter``
        if exc.status_code == 413 and exc.detail == "Content Too Large":  # a streamed body over the limit
            code = BODY_TOO_LARGE
        if isinstance(exc.detail, str):
            exc.detail = public(exc.detail)
        if code is None or exc.status_code in (204, 304):
            return await http_exception_handler(request, exc)
        return JSONResponse({"detail": exc.detail, "code": code}, status_code=exc.status_code,
                            headers=exc.headers)

    @app.exception_handler(Exception)
    async def unexpected(_: Request, exc: Exception) -> JSONResponse:
        """A bug: logged with its traceback; the client learns only that it happened."""
        log.error("unhandled error", exc_info=exc)
        return JSONResponse({"detail": "internal error; the server log has the details", "code": "K000"},
                            status_code=500)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(_: Request, exc: RequestValidationError) -> JSONResponse:
        """FastAPI's 422 with a code: the refusing validator's own (``K508`` for a number
        that ``kronika.numbers`` refuses), else ``K509``. The input is not echoed back."""
        errors = list(exc.errors())
        causes = [(e.get("ctx") or {}).get("error") for e in errors]
        code = next((c.code for c in causes if isinstance(c, KronikaError)), "K509")
        detail = [{"loc": list(e.get("loc", ())), "type": str(e.get("type", "")),
                   "msg": str(c.args[0]) if isinstance(c, KronikaError) else str(e.get("msg", ""))}
                  for e, c in zip(errors[:20], causes, strict=False)]
        return JSONResponse({"detail": detail, "code": code}, status_code=422)

    @app.exception_handler(KronikaError)
    async def kronika_error(_: Request, exc: KronikaError) -> JSONResponse:
        if isinstance(exc, StoreBusy):
            return error(503, exc, {"Retry-After": "1"})
        if isinstance(exc, StoreMissing):
            return error(404, exc)
        if isinstance(exc, QueryError):
            return error(404 if _is_not_found(exc) else 422, exc)
        if isinstance(exc, StoreError):
            return error(503, exc)
        return error(500, exc)


def _is_not_found(exc: KronikaError) -> bool:
    try:
        from kronika.query import NotFoundError
    except ImportError:  # pragma: no cover - query layer absent
        return False
    return isinstance(exc, NotFoundError)


class SecurityHeaders:
    """Adds the headers of ``SECURITY_HEADERS`` to every response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(msg: Message) -> None:
            if msg["type"] == "http.response.start":
                names = {k.lower() for k, _ in msg.get("headers", [])}
                extra = [(k.lower().encode(), v.encode()) for k, v in SECURITY_HEADERS.items()
                         if k.lower().encode() not in names]
                msg["headers"] = list(msg.get("headers", [])) + extra
            await send(msg)

        await self.app(scope, receive, with_headers)


BODY_TOO_LARGE = "K427"


class CodedBodyLimit:
    """Starlette refuses a body over ``max_body_size`` before routing, with a plain-text 413;
    this rewrites that answer as the coded JSON every other error has (``K427``)."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.body = json.dumps({"detail": f"the request body is over {limit} bytes (api_max_body_bytes)",
                                "code": BODY_TOO_LARGE}).encode()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        rewriting = False

        async def coded(msg: Message) -> None:
            nonlocal rewriting
            if msg["type"] == "http.response.start" and msg["status"] == 413:
                kind = dict(msg.get("headers", [])).get(b"content-type", b"")
                if kind.startswith(b"text/plain"):
                    rewriting = True
                    others = [(k, v) for k, v in msg.get("headers", []) if k not in (b"content-type", b"content-length")]
                    msg = {**msg, "headers": [*others, (b"content-type", b"application/json"),
                                              (b"content-length", str(len(self.body)).encode())]}
            elif rewriting and msg["type"] == "http.response.body":
                if msg.get("more_body"):
                    return  # the plain text's remaining chunks are dropped
                msg = {"type": "http.response.body", "body": self.body}
            await send(msg)

        await self.app(scope, receive, coded)
