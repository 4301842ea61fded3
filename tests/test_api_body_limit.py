"""A body over ``api_max_body_bytes`` gets the coded JSON every other error has (K427),
whether its size is announced in a header or only found while it streams."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from kronika.api.app import create_app
from kronika.config import Settings


@pytest.fixture()
def client(tmp_path: Path) -> TestClient:
    settings = Settings().replace(api_token="t", api_max_body_bytes=1000)
    return TestClient(create_app(settings, store_path=tmp_path / "k.duckdb"))


def _chunks():
    for _ in range(10):
        yield b"x" * 500


@pytest.mark.parametrize("content", [b"x" * 5000, "stream"], ids=["announced", "streamed"])
def test_api_body_over_the_limit_is_coded_k427(client: TestClient, content) -> None:
    body = _chunks() if content == "stream" else content
    r = client.post("/api/articles", content=body,
                    headers={"Authorization": "Bearer t", "Content-Type": "application/json"})
    assert r.status_code == 413
    assert r.headers["content-type"].startswith("application/json")
    assert r.json()["code"] == "K427"


def test_api_body_under_the_limit_still_reaches_the_route(client: TestClient) -> None:
    r = client.post("/api/articles", content=b"{not json", headers={"Authorization": "Bearer t",
                                                                   "Content-Type": "application/json"})
    assert r.status_code == 422 and r.json()["code"]
