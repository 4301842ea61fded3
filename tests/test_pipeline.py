"""The pipeline wires stages in order, isolates failing articles and bounds slow ones."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterable, Iterator

import pytest

from kronika.config import Settings
from kronika.errors import CodingError
from kronika.model import Article, IngestProblem, ParsedDoc, Sentence, Token
from kronika.pipeline import Pipeline, Stages, collect_errors


def _doc(article: Article) -> ParsedDoc:
    words = article.text.split()
    toks, pos = [], 0
    for i, w in enumerate(words):
        start = article.text.index(w, pos)
        pos = start + len(w)
        toks.append(Token(i, w, start, pos, w.lower(), "X", "X", "dep", 0, 0))
    return ParsedDoc(article, tuple(toks), (Sentence(0, 0, len(article.text), 0, len(toks)),), ())


class FakeParser:
    def parse(self, article: Article) -> ParsedDoc:
        return _doc(article)

    def parse_many(self, articles: Iterable[Article], n_process: int = 1) -> Iterator[ParsedDoc]:
        for a in articles:
            yield _doc(a)


class Recorder:
    def __init__(self, calls: list[str], name: str, fail_on: str | None = None, sleep: float = 0) -> None:
        self.calls, self.name, self.fail_on, self.sleep = calls, name, fail_on, sleep

    def __call__(self, doc: ParsedDoc, *rest: object) -> tuple:
        self.calls.append(self.name)
        if self.fail_on and self.fail_on in doc.text:
            raise ValueError("boom")
        if self.sleep and "slow" in doc.text:
            time.sleep(self.sleep)
        return ()

    def localise(self, doc: ParsedDoc, actors: tuple, places: tuple) -> tuple:
        """The actor stage's second pass, once places are known."""
        self.calls.append("localise")
        return actors


def _pipeline(calls: list[str], settings: Settings | None = None, **kw: object) -> Pipeline:
    stages = Stages(time=Recorder(calls, "time"), actors=Recorder(calls, "actors", **kw),  # type: ignore[arg-type]
                    geo=Recorder(calls, "geo"), events=Recorder(calls, "events"))  # type: ignore[arg-type]
    return Pipeline(settings or Settings(), parser=FakeParser(), stages=stages)  # type: ignore[arg-type]


def _art(text: str) -> Article:
    return Article.create(text, dt.date(2020, 1, 1), origin=f"mem:{text[:5]}")


def test_pipeline_runs_stages_in_order() -> None:
    calls: list[str] = []
    analysis = _pipeline(calls).analyze(_art("Alpha met Beta."))
    assert calls == ["time", "actors", "geo", "localise", "events"]
    assert set(analysis.timings) == {"time", "actors", "geo", "events", "nlp"}


def test_pipeline_failing_article_is_reported_not_fatal() -> None:
    calls: list[str] = []
    problems: list[IngestProblem] = []
    p = _pipeline(calls, fail_on="bad")
    out = list(p.analyze_many([_art("good one"), _art("a bad one"), _art("good two")],
                              on_error=collect_errors(problems)))
    assert [a.article.text for a in out] == ["good one", "good two"]
    assert len(problems) == 1 and "boom" in problems[0].reason and problems[0].origin == "mem:a bad"
    with pytest.raises(CodingError):
        list(p.analyze_many([_art("a bad one")]))


def test_pipeline_slow_article_hits_the_time_limit() -> None:
    calls: list[str] = []
    problems: list[IngestProblem] = []
    p = _pipeline(calls, Settings(article_timeout_s=0.2), sleep=5)
    t = time.perf_counter()
    out = list(p.analyze_many([_art("slow text"), _art("fast text")], on_error=collect_errors(problems)))
    assert time.perf_counter() - t < 3
    assert [a.article.text for a in out] == ["fast text"]
    assert problems[0].code == "K302"
