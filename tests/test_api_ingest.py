"""``POST /api/articles``: token-guarded analysis and storage, idempotent, readable at once."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from kronika.api import create_app
from kronika.config import Settings
from kronika.model import Analysis, Article

TOKEN = "ingest-test-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


class FakePipeline:
    """Codes one CONSULT per article between the first two country codes found in it, so
    the write path is tested without loading spaCy; articles saying "boom" fail."""

    def __init__(self) -> None:
        self.seen: list[str] = []

    def analyze_many(self, articles: Iterable[Article], *, n_process: int = 1,
                     on_error: Callable[[Article, Exception], None] | None = None) -> Iterator[Analysis]:
        from kronika.store import synthetic as syn

        for art in articles:
            self.seen.append(art.id)
            if "boom" in art.text:
                assert on_error is not None
                on_error(art, RuntimeError("extraction failed"))
                continue
            codes = [w for w in art.text.replace(".", " ").split() if len(w) == 3 and w.isupper()]
            ev = syn.event(art, "CONSULT", syn.ref(codes[0]), syn.ref(codes[1]), art.date.isoformat())
            yield syn.analysis(art, [ev])


@pytest.fixture()
def app_and_pipeline(tmp_path: Path) -> tuple[TestClient, FakePipeline, Path]:
    fake = FakePipeline()
    db = tmp_path / "ingest.duckdb"
    app = create_app(Settings(api_token=TOKEN), store_path=db, pipeline_factory=lambda: fake)
    return TestClient(app), fake, db


def test_api_ingest_stores_and_serves_events(app_and_pipeline: tuple[TestClient, FakePipeline, Path]) -> None:
    client, fake, db = app_and_pipeline
    body = [{"text": "FRA met ITA in Rome.", "date": "2020-02-03", "id": "a1", "title": "One"},
            {"text": "ESP met PRT in Lisbon.", "date": "2020-02-04"}]
    res = client.post("/api/articles", json=body, headers=AUTH)
    assert res.status_code == 200, res.text
    out = res.json()
    assert out["articles_written"] == 2 and out["events_written"] == 2 and out["problems"] == []
    assert out["articles"][0]["doc_id"] == "a1"
    events = client.get("/api/events", params={"dyad": "FRA,ITA"}).json()
    assert events["total"] == 1 and events["items"][0]["doc_id"] == "a1"
    assert db.exists()


def test_api_ingest_is_idempotent(app_and_pipeline: tuple[TestClient, FakePipeline, Path]) -> None:
    client, fake, _ = app_and_pipeline
    one = {"text": "FRA met ITA in Rome.", "date": "2020-02-03"}
    client.post("/api/articles", json=one, headers=AUTH)
    analysed = len(fake.seen)
    again = client.post("/api/articles", json=one, headers=AUTH).json()
    assert again["articles_written"] == 0 and again["events_written"] == 0
    assert again["articles_skipped"] == 1 and again["articles"][0]["already_stored"] is True
    assert len(fake.seen) == analysed  # not analysed a second time
    assert client.get("/api/summary").json()["events"] == 1


def test_api_ingest_reports_failed_articles(app_and_pipeline: tuple[TestClient, FakePipeline, Path]) -> None:
    client, _, _ = app_and_pipeline
    res = client.post("/api/articles", headers=AUTH, json=[
        {"text": "boom goes the parser", "date": "2020-01-01"},
        {"text": "USA met CAN.", "date": "2020-01-02"}]).json()
    assert [p["code"] for p in res["problems"]] == ["K301"]
    assert res["events_written"] == 1


def test_api_ingest_builds_the_pipeline_once(app_and_pipeline: tuple[TestClient, FakePipeline, Path]) -> None:
    client, fake, _ = app_and_pipeline
    calls = []
    client.app.state.kronika.pipeline_factory = lambda: calls.append(1) or fake
    for day in (1, 2, 3):
        client.post("/api/articles", json={"text": "USA met CAN.", "date": f"2020-01-0{day}"}, headers=AUTH)
    assert calls == [1]


@pytest.mark.slow
def test_api_ingest_end_to_end_with_the_real_pipeline(tmp_path: Path, request: pytest.FixtureRequest) -> None:
    pipeline = request.getfixturevalue("pipeline")
    text = ("Foreign Minister Marise Payne of Australia met Indonesian Foreign Minister Retno Marsudi "
            "in Jakarta on Tuesday. The two ministers agreed to expand maritime cooperation.")
    app = create_app(Settings(api_token=TOKEN), store_path=tmp_path / "e2e.duckdb",
                     pipeline_factory=lambda: pipeline)
    client = TestClient(app)
    res = client.post("/api/articles", json={"text": text, "date": str(dt.date(2021, 3, 2))}, headers=AUTH)
    assert res.status_code == 200, res.text
    art_id = res.json()["articles"][0]["article_id"]
    view = client.get(f"/api/articles/{art_id}").json()
    assert view["text"] == text
    assert len(view["events"]) == res.json()["articles"][0]["events"]
