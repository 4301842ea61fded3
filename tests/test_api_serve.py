"""``kronika serve``: the real command, in a subprocess, answering on 127.0.0.1."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from test_api_fixtures import N_EVENTS, build_store

CLI = [sys.executable, "-c", "from kronika.cli import main; main()"]


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_up(url: str, proc: subprocess.Popen[str], seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"serve exited: {proc.communicate()[1]}")
        try:
            httpx.get(url, timeout=1)
            return
        except httpx.TransportError:
            time.sleep(0.1)
    pytest.fail("serve did not come up")


def test_api_serve_help_lists_options() -> None:
    out = subprocess.run([*CLI, "serve", "--help"], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    for option in ("--db", "--host", "--port", "--token"):
        assert option in out.stdout


def test_api_serve_runs_the_api_and_dashboard(tmp_path: Path) -> None:
    token = "cli-token"
    db = build_store(tmp_path / "serve.duckdb")
    port = free_port()
    args = [*CLI, "serve", "--db", str(db), "--port", str(port)]
    env = {k: v for k, v in os.environ.items() if k != "KRONIKA_API_TOKEN"}
    args += ["--token", token]
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_up(f"{base}/api/health", proc)
        health = httpx.get(f"{base}/api/health").json()
        assert health["writable"] is True
        assert httpx.get(f"{base}/api/summary").json()["events"] == N_EVENTS
        assert "plotly.min.js" in httpx.get(f"{base}/").text
        refused = httpx.post(f"{base}/api/articles", json={"text": "x", "date": "2020-01-01"})
        assert refused.status_code == 401
    finally:
        proc.terminate()
        proc.wait(timeout=15)
