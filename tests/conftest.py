"""Shared fixtures: the spaCy parser and the full pipeline are loaded once per session."""

from __future__ import annotations

import datetime as dt
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import pytest

from kronika.config import Settings
from kronika.model import Article, ParsedDoc

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEED = SHARED / "examples" / "seed" / "2019-05-30-japan-russia.txt"
GOLD_SEED = SHARED / "gold" / "seed"


def peak_traced_bytes(fn: Callable[[], object]) -> int:
    """Peak Python allocation (tracemalloc) while ``fn`` runs: memory bounds without timing."""
    tracemalloc.start()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.fixture(scope="session")
def settings() -> Settings:
    return Settings()


@pytest.fixture(scope="session")
def parser(settings: Settings):
    from kronika.nlp import SpacyParser

    return SpacyParser(settings)


@pytest.fixture(scope="session")
def parse(parser) -> Callable[..., ParsedDoc]:
    """``parse("Text.", "2019-05-30")`` → a real ParsedDoc for unit tests of later stages."""

    def _parse(text: str, date: str | dt.date = "2019-05-30") -> ParsedDoc:
        d = dt.date.fromisoformat(date) if isinstance(date, str) else date
        return parser.parse(Article.create(text, d))

    return _parse


@pytest.fixture(scope="session")
def pipeline(settings: Settings, parser):
    from kronika.pipeline import Pipeline

    return Pipeline(settings, parser=parser)


@pytest.fixture(scope="session")
def seed_path() -> Path:
    if not SEED.exists():
        pytest.skip("shared/ seed article not present")
    return SEED
