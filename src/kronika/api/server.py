"""How ``kronika serve`` runs uvicorn: connection limits that idle or slow clients cannot
exhaust.

Why not uvicorn's defaults: ``limit_concurrency`` counts *connections*, and uvicorn puts
no deadline on a connection that has not sent a request yet (its keep-alive timeout starts
only after a response, and any byte cancels it). So 63 sockets that connect and say
nothing held a 64-slot server forever, and every other client got 503 (issue 19, F3). A
client that sends one header byte every few seconds ("slowloris") did the same.

Here each connection runs ``GuardedH11Protocol`` with three rules (numbers from
``ServerLimits``, set in the settings' ``[api]`` section):

* **header deadline** (``api_header_timeout_s``, 10 s): the request line and headers must
  be complete this long after the connection opens, or after the previous response on a
  kept-alive connection. Trickling bytes does not extend it. Past it the socket is closed.
* **body deadline** (``api_body_timeout_s``, 60 s): a request body must be complete this
  long after its headers.
* **connection cap** (``api_max_connections``, 256): a connection past the cap closes
  the connection that has waited longest *without a request in progress*; only when every
  connection is busy with a request is the newcomer closed. Idle sockets never keep a
  client with a request out.

Requests in progress are capped separately (``api_max_requests``, 64, by
``InFlightLimit``): past it a request is answered 503 + ``Retry-After: 1`` (code K413),
at once. Kept-alive connections close after ``api_keep_alive_s`` (5 s) without a request.
"""

from __future__ import annotations

import asyncio
import json
import stat
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import h11
from starlette.types import ASGIApp, Receive, Scope, Send
from uvicorn.protocols.http.h11_impl import H11Protocol

from kronika.config import Settings
from kronika.errors import ConfigError


@dataclass(frozen=True)
class ServerLimits:
    """Connection and request limits of ``kronika serve`` (flat setting names in brackets;
    defaults in ``kronika.config.ApiSettings``)."""

    max_connections: int = 256  # [api_max_connections] open sockets
    max_requests: int = 64  # [api_max_requests] requests in progress at once
    header_timeout_s: float = 10.0  # [api_header_timeout_s] connect (or last response) → full request head
    body_timeout_s: float = 60.0  # [api_body_timeout_s] request head → full request body
    keep_alive_s: int = 5  # [api_keep_alive_s] idle kept-alive connection → closed

    @classmethod
    def from_settings(cls, settings: Settings) -> ServerLimits:
        api = settings.api
        return cls(
            max_connections=max(1, api.max_connections),
            max_requests=max(1, api.max_requests),
            header_timeout_s=api.header_timeout_s,
            body_timeout_s=api.body_timeout_s,
            keep_alive_s=max(1, api.keep_alive_s),
        )


class GuardedH11Protocol(H11Protocol):
    """uvicorn's h11 protocol with the header and body deadlines and the connection cap of
    the module docstring. ``limits`` is set on a subclass by ``protocol_for``."""

    limits = ServerLimits()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.waiting_since: float | None = None  # waiting for a request head since (monotonic)
        self._deadline: asyncio.TimerHandle | None = None

    # -- deadlines

    def _arm(self, seconds: float) -> None:
        self._disarm()
        self._deadline = self.loop.call_later(seconds, self.close_quietly)

    def _disarm(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None

    def _wait_for_head(self) -> None:
        self.waiting_since = time.monotonic()
        self._arm(self.limits.header_timeout_s)

    def close_quietly(self) -> None:
        """Close the socket without a response (the client never finished asking)."""
        self._disarm()
        self.waiting_since = None
        if self.transport is not None and not self.transport.is_closing():
            try:
                self.conn.send(h11.ConnectionClosed())
            except h11.LocalProtocolError:
                pass
            self.transport.close()

    # -- protocol events

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._wait_for_head()
        if len(self.connections) > self.limits.max_connections:
            self._make_room()

    def _make_room(self) -> None:
        idle = [c for c in self.connections
                if c is not self and getattr(c, "waiting_since", None) is not None]
        if idle:
            min(idle, key=lambda c: c.waiting_since).close_quietly()  # type: ignore[attr-defined]
        else:  # every other connection has a request in progress: this one waits its turn elsewhere
            self.close_quietly()

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        self._follow_request()

    def _follow_request(self) -> None:
        if self.transport.is_closing():
            return
        state = self.conn.their_state
        if state is h11.IDLE:
            return  # still no full request head: the deadline armed before stands
        if self.waiting_since is not None:  # the head just arrived
            self.waiting_since = None
            self._disarm()
            if state is h11.SEND_BODY:
                self._arm(self.limits.body_timeout_s)
        elif state is not h11.SEND_BODY:
            self._disarm()  # the body is complete

    def on_response_complete(self) -> None:
        super().on_response_complete()  # may start a pipelined request already buffered
        if self.transport.is_closing():
            return
        state = self.conn.their_state
        if state is h11.IDLE:
            self._wait_for_head()  # a fresh deadline for the next request's head
        else:
            self.waiting_since = None
            if state is h11.SEND_BODY:
                self._arm(self.limits.body_timeout_s)
            else:
                self._disarm()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        self.waiting_since = None
        super().connection_lost(exc)


def protocol_for(limits: ServerLimits) -> type[GuardedH11Protocol]:
    """A ``GuardedH11Protocol`` subclass bound to ``limits`` (uvicorn takes a class)."""
    return type("KronikaH11Protocol", (GuardedH11Protocol,), {"limits": limits})


class InFlightLimit:
    """At most ``max_requests`` HTTP requests in progress; past it a coded 503 at once."""

    def __init__(self, app: ASGIApp, max_requests: int) -> None:
        self.app = app
        self.max_requests = max_requests
        self.active = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if self.active >= self.max_requests:
            body = json.dumps({"detail": f"more than {self.max_requests} requests in progress; retry shortly",
                               "code": "K413"}).encode()
            await send({"type": "http.response.start", "status": 503, "headers": [
                (b"content-type", b"application/json"), (b"retry-after", b"1"),
                (b"content-length", str(len(body)).encode())]})
            await send({"type": "http.response.body", "body": body})
            return
        self.active += 1
        try:
            await self.app(scope, receive, send)
        finally:
            self.active -= 1


def uvicorn_options(limits: ServerLimits) -> dict[str, Any]:
    """The keyword arguments ``kronika serve`` gives ``uvicorn.run`` besides app, host, port."""
    return {
        "http": protocol_for(limits),
        "limit_concurrency": None,  # uvicorn's counts idle sockets; see InFlightLimit and the cap
        "timeout_keep_alive": limits.keep_alive_s,
        "backlog": max(2048, limits.max_connections),
        "log_level": "warning",
    }


def serve_app(app: ASGIApp, limits: ServerLimits) -> ASGIApp:
    return InFlightLimit(app, limits.max_requests)


MAX_TOKEN_FILE = 4096


def read_token_file(path: Path) -> tuple[str, str | None]:
    """(the token in ``path``: its first line, stripped; a warning when other users may
    read the file). ``ConfigError`` (K001) when it is missing, empty or over 4 KiB. Only
    the file's name appears in messages."""
    try:
        info = path.stat()
        if info.st_size > MAX_TOKEN_FILE:
            raise ValueError(f"over {MAX_TOKEN_FILE} bytes")
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, ValueError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise ConfigError(f"cannot read the token file {path.name}: {reason}", code="K001") from exc
    token = lines[0].strip() if lines else ""
    if not token:
        raise ConfigError(f"the token file {path.name} is empty", code="K001")
    shared = info.st_mode & (stat.S_IRWXG | stat.S_IRWXO)
    return token, f"{path.name} can be read by other users; chmod 600 it" if shared else None
