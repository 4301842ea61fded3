"""The pipeline: wires the stages in order and nothing else.

    Article ─► nlp ─► time ─► actors ─► geo ─► (actors.localise) ─► events ─► Analysis

Each stage is an object built once from ``Settings`` (it loads its data files in its
constructor) and called per document. Stages only see the records earlier stages
produced; the pipeline passes them along. A failure inside one article's extraction is
reported through ``on_error`` and never stops the batch.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from kronika.actors import ActorResolver, LearnedIndex
from kronika.config import Settings
from kronika.deadline import Watchdog, deadline
from kronika.errors import CodingError
from kronika.events import EventCoder
from kronika.geo import EventLocator, Geoparser
from kronika.model import Analysis, Article, IngestProblem, ParsedDoc
from kronika.nlp import SpacyParser
from kronika.time import TimeTagger

ErrorHandler = Callable[[Article, Exception], None]


@dataclass(frozen=True)
class Stages:
    """The extraction components, in the order they run after parsing."""

    time: TimeTagger
    actors: ActorResolver
    geo: Geoparser
    events: EventCoder


class Pipeline:
    """Load models and knowledge once; analyse one article or a stream of them."""

    def __init__(
        self,
        settings: Settings | None = None,
        *,
        parser: SpacyParser | None = None,
        stages: Stages | None = None,
        learned: LearnedIndex | None = None,
    ) -> None:
        """``learned``: people the stored corpus has taught; the jobs pass the store's frozen
        snapshot (``kronika.run.Runner``: ``Store.learned_snapshot``), so a job's
        results never depend on where a crash interrupted it."""
        self.settings = settings or Settings()
        self.parser = parser or SpacyParser(self.settings)
        self.stages = stages or build_stages(self.settings, learned)
        # One watchdog thread enforces the article time limit in whatever thread calls
        # ``extract`` (the CLI's main thread, an API worker thread, a Dask task).
        self._watchdog = Watchdog("kronika-article-limit")

    def analyze(self, article: Article) -> Analysis:
        t0 = time.perf_counter()
        doc = self.parser.parse(article)
        analysis = self.extract(doc)
        analysis.timings["nlp"] = time.perf_counter() - t0 - sum(analysis.timings.values())
        return analysis

    def analyze_many(
        self,
        articles: Iterable[Article],
        *,
        n_process: int = 1,
        on_error: ErrorHandler | None = None,
    ) -> Iterator[Analysis]:
        """Stream analyses in input order; an article whose extraction fails is handed to
        ``on_error`` (or re-raised when there is none) and skipped."""
        for doc in self.parser.parse_many(articles, n_process=n_process):
            try:
                yield self.extract(doc)
            except Exception as exc:  # one bad article must not end the batch
                if on_error is None:
                    raise
                on_error(doc.article, exc)

    def extract(self, doc: ParsedDoc) -> Analysis:
        """Run the extraction stages over a parsed document (bounded by the article time limit)."""
        timings: dict[str, float] = {}
        try:
            with deadline(self.settings.article_timeout_s, self._watchdog, ArticleTimeout):
                return self._extract(doc, timings)
        except ArticleTimeout as exc:
            raise CodingError(
                f"extraction of article {doc.article.id} ({doc.article.origin}) exceeded "
                f"{self.settings.article_timeout_s:g} s and was skipped", code="K302"
            ) from exc
        except Exception as exc:
            raise CodingError(
                f"extraction failed on article {doc.article.id} ({doc.article.origin}): "
                f"{type(exc).__name__}: {exc}"
            ) from exc

    def _extract(self, doc: ParsedDoc, timings: dict[str, float]) -> Analysis:
        s = self.stages
        t = time.perf_counter()
        times = s.time(doc)
        timings["time"] = _lap(t)
        t = time.perf_counter()
        actors = s.actors(doc, times)
        timings["actors"] = _lap(t)
        t = time.perf_counter()
        places = s.geo(doc, actors)
        actors = s.actors.localise(doc, actors, places)  # role words of states and cities
        timings["geo"] = _lap(t)
        t = time.perf_counter()
        events = s.events(doc, times, actors, places)
        timings["events"] = _lap(t)
        return Analysis(doc=doc, times=times, actors=actors, places=places, events=events, timings=timings)


def collect_errors(sink: list[IngestProblem]) -> ErrorHandler:
    """An ``on_error`` handler that records each failed article as an ``IngestProblem``."""

    def on_error(article: Article, exc: Exception) -> None:
        code = getattr(exc, "code", "K301")
        sink.append(IngestProblem(origin=article.origin or article.id, reason=str(exc), code=code))

    return on_error


def build_stages(settings: Settings, learned: LearnedIndex | None = None) -> Stages:
    return Stages(
        time=TimeTagger(settings),
        actors=ActorResolver(settings, learned),
        geo=Geoparser(settings),
        events=EventCoder(settings, locator=EventLocator),  # geo places events; events never imports geo
    )


class ArticleTimeout(Exception):
    """Raised inside extraction when one article exceeds ``article_timeout_s``."""


def _lap(t: float) -> float:
    return time.perf_counter() - t
