"""``kronika serve`` under idle and slow clients (issue 19, F3), and where its token comes from.

F3: 63 idle TCP connections to ``kronika serve`` made every other client get 503, for ever
(uvicorn's ``limit_concurrency=64`` counted them, and nothing closed a socket that never
sent a request). ``kronika.api.server`` closes such sockets after a header deadline, evicts
the longest-idle one when the connection cap is reached, and caps requests in progress
separately. The test below runs the real command on 127.0.0.1 with small limits.
"""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
from pathlib import Path

import httpx
import pytest

from kronika.api.server import GuardedH11Protocol, InFlightLimit, ServerLimits, uvicorn_options
from kronika.config import Settings
from test_api_fixtures import N_EVENTS, build_store
from test_api_serve import CLI, free_port, wait_up

IDLE_SOCKETS = 63


def test_server_limits_come_from_settings_and_reach_uvicorn() -> None:
    assert ServerLimits.from_settings(Settings()) == ServerLimits()
    limits = ServerLimits.from_settings(Settings(
        api_max_connections=16, api_max_requests=4, api_header_timeout_s=2.5,
        api_body_timeout_s=7, api_keep_alive_s=3))
    assert limits == ServerLimits(16, 4, 2.5, 7.0, 3)
    options = uvicorn_options(limits)
    assert options["limit_concurrency"] is None  # idle sockets must not count against requests
    assert options["timeout_keep_alive"] == 3
    assert issubclass(options["http"], GuardedH11Protocol) and options["http"].limits is limits
    defaults = ServerLimits()
    assert defaults.header_timeout_s <= 30 and defaults.max_connections > defaults.max_requests


def test_in_flight_limit_answers_a_coded_503_past_the_cap() -> None:
    release = asyncio.Event()

    async def slow_app(scope, receive, send):  # noqa: ANN001, ANN202
        await release.wait()
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})

    async def scenario() -> tuple[int, int, dict[str, object], str]:
        app = InFlightLimit(slow_app, max_requests=1)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            first = asyncio.create_task(client.get("/a"))
            while app.active == 0:
                await asyncio.sleep(0.01)
            refused = await client.get("/b")
            release.set()
            done = await first
        return done.status_code, refused.status_code, refused.json(), refused.headers["retry-after"]

    ok, refused, body, retry = asyncio.run(scenario())
    assert (ok, refused, body["code"], retry) == (200, 503, "K413", "1")


def recv_closed(sock: socket.socket, wait_s: float) -> bool:
    """True when the server has closed ``sock`` (EOF or reset) within ``wait_s``."""
    sock.settimeout(wait_s)
    try:
        return sock.recv(64) == b""
    except (ConnectionResetError, BrokenPipeError):
        return True
    except TimeoutError:
        return False


@pytest.fixture()
def served(tmp_path: Path):  # noqa: ANN201 - yields (base URL, process)
    db = build_store(tmp_path / "limits.duckdb")
    config = tmp_path / "kronika.toml"
    config.write_text("[extra]\napi_max_connections = 16\napi_max_requests = 8\napi_header_timeout_s = 2.0\n",
                      encoding="utf-8")
    token_file = tmp_path / "token"
    token_file.write_text("file-token\n", encoding="utf-8")
    token_file.chmod(0o600)
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("KRONIKA_API_TOKEN")}
    proc = subprocess.Popen([*CLI, "serve", "--db", str(db), "--port", str(port), "--config", str(config),
                             "--token-file", str(token_file)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_up(f"{base}/api/health", proc)
        yield base, port, proc
    finally:
        proc.terminate()
        proc.wait(timeout=15)


def test_api_serve_idle_and_slow_sockets_do_not_starve_clients(served) -> None:  # noqa: ANN001
    base, port, _ = served
    assert httpx.get(f"{base}/api/health").json()["writable"] is True  # the token came from --token-file
    idle = [socket.create_connection(("127.0.0.1", port), timeout=5) for _ in range(IDLE_SOCKETS)]
    slow = socket.create_connection(("127.0.0.1", port), timeout=5)
    slow.sendall(b"GET /api/summary HTTP/1.1\r\nHost: 127.0.0.1\r\n")  # a head that never ends
    try:
        # 64 silent sockets against a cap of 16: a real client is served at once...
        res = httpx.get(f"{base}/api/summary", timeout=5)
        assert res.status_code == 200 and res.json()["events"] == N_EVENTS
        # ...because the longest-idle sockets were closed to make room, before any deadline.
        evicted = sum(recv_closed(s, 0.02) for s in idle[: IDLE_SOCKETS - 16])
        assert evicted >= IDLE_SOCKETS - 16 - 2, evicted
        # Kept-alive requests on one connection still work.
        with httpx.Client(base_url=base, timeout=5) as client:
            assert [client.get("/api/version").status_code for _ in range(3)] == [200, 200, 200]
        # Every silent socket is closed by the server: evicted, or past the 2 s header deadline.
        assert all(recv_closed(s, 4.0) for s in idle)
        # The slow client is cut off although it keeps sending bytes.
        cut = False
        for _ in range(30):
            try:
                slow.sendall(b"X-Slow: 1\r\n")
            except (BrokenPipeError, ConnectionResetError):
                cut = True
                break
            if recv_closed(slow, 0.2):
                cut = True
                break
        assert cut, "a client trickling header bytes was never cut off"
        assert httpx.get(f"{base}/api/summary", timeout=5).status_code == 200
    finally:
        for s in [*idle, slow]:
            s.close()


def test_api_serve_token_options(tmp_path: Path) -> None:
    """``--token`` and ``--token-file`` together are refused; an empty token file too."""
    empty = tmp_path / "empty"
    empty.write_text("\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("KRONIKA_API_TOKEN")}
    both = subprocess.run([*CLI, "serve", "--token", "x", "--token-file", str(empty), "--port", "1"],
                          capture_output=True, text=True, timeout=60, env=env)
    assert both.returncode == 2 and "not both" in both.stderr
    blank = subprocess.run([*CLI, "serve", "--token-file", str(empty), "--port", "1"],
                           capture_output=True, text=True, timeout=60, env=env)
    assert blank.returncode == 2 and "empty" in blank.stderr and str(tmp_path) not in blank.stderr


def test_read_token_file_warns_when_others_can_read_it(tmp_path: Path) -> None:
    from kronika.api.server import read_token_file
    from kronika.errors import ConfigError

    path = tmp_path / "token"
    path.write_text("  secret-token  \nignored\n", encoding="utf-8")
    path.chmod(0o600)
    assert read_token_file(path) == ("secret-token", None)
    path.chmod(0o644)
    token, warning = read_token_file(path)
    assert token == "secret-token" and warning is not None and "other users" in warning
    for content in ("", "\n  \n", "x" * 5000):
        path.write_text(content, encoding="utf-8")
        with pytest.raises(ConfigError) as err:
            read_token_file(path)
        assert str(tmp_path) not in str(err.value)
    with pytest.raises(ConfigError):
        read_token_file(tmp_path / "missing")
