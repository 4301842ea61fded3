"""Pipeline throughput against the bare spaCy pass, on the same articles in the same run.

    python -m benchmarks.throughput [--n 300] [--repeats 3] [--batch-size 32] [--workers 1]

Prints articles/s and words/s for the bare ``nlp.pipe`` pass and for the full pipeline
(parse + time + actors + geo + events), their ratio (the headline figure: 1.0 means the
extraction stages cost nothing on top of the parser; the events issue's acceptance bar is
0.75, ``BAR``; an earlier one was 0.8), the
per-stage time breakdown with each stage as a share of the bare spaCy pass and its
documents/s on its own, each component's load time and RSS delta (the gazetteer's both
from its disk cache and, with ``--cold-gazetteer``, built from scratch), and the
peak RSS of this process. Bare and full passes alternate within each repeat, after one
unmeasured warm-up pass; medians over ``--repeats``. Machines here are noisy and shared,
so quote ratios, not absolute times.

The bare pass is the stock spaCy pipeline; the full pipeline's parse gives the attribute
ruler a table ``match`` (``kronika.nlp.attributes``: identical annotations, a fifth of the
parse saved) and the lemmatizer a table call (``kronika.nlp.lemmas``: identical lemmas), so
its "nlp" line can come out below 100 % of the bare pass.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import itertools
import json
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import psutil

from kronika.actors import ActorResolver
from kronika.config import Settings
from kronika.events import EventCoder
from kronika.geo import EventLocator, Geoparser
from kronika.ingest import iter_records
from kronika.model import Article
from kronika.nlp import SpacyParser, attributes, lemmas
from kronika.pipeline import Pipeline, Stages
from kronika.time import TimeTagger

BAR = 0.75  # full/bare throughput the events issue (17) accepts
DEFAULT_CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "news" / "wikinews_politics.jsonl"


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def rss_mb() -> float:
    gc.collect()
    return psutil.Process().memory_info().rss / 1024 / 1024


def timed_load(name: str, build: Callable[[], Any], loads: list[tuple[str, float, float]]) -> Any:
    """Build one component, recording (name, seconds, RSS delta MB)."""
    before = rss_mb()
    t = time.perf_counter()
    obj = build()
    loads.append((name, time.perf_counter() - t, rss_mb() - before))
    return obj


def build_pipeline(settings: Settings, cold_gazetteer: bool) -> tuple[Pipeline, list[tuple[str, float, float]]]:
    """The pipeline, its parts built one at a time so each one's load cost is known."""
    loads: list[tuple[str, float, float]] = []
    parser = timed_load("spaCy model", lambda: SpacyParser(settings), loads)
    if cold_gazetteer:
        loads.append(cold_gazetteer_load())
    stages = Stages(
        time=timed_load("time tagger", lambda: TimeTagger(settings), loads),
        actors=timed_load("actor resolver", lambda: ActorResolver(settings), loads),
        geo=timed_load("geoparser (gazetteer, cached)", lambda: Geoparser(settings), loads),
        events=timed_load("event coder", lambda: EventCoder(settings, locator=EventLocator), loads),
    )
    return Pipeline(settings, parser=parser, stages=stages), loads


_COLD_GAZETTEER = """
import gc, json, time, psutil
from kronika.config import Settings
from kronika.geo import Geoparser
p = psutil.Process(); gc.collect(); before = p.memory_info().rss
t = time.perf_counter(); g = Geoparser(Settings(geo_cache_dir="")); secs = time.perf_counter() - t
gc.collect(); print(json.dumps([secs, (p.memory_info().rss - before) / 1024 / 1024]))
"""


def cold_gazetteer_load() -> tuple[str, float, float]:
    """The gazetteer built from the data packages with the cache off, in a child process
    (its build garbage must not count in this process's peak RSS)."""
    out = subprocess.run([sys.executable, "-c", _COLD_GAZETTEER], capture_output=True, text=True, check=True)
    secs, mb = json.loads(out.stdout.strip().splitlines()[-1])
    return "gazetteer, built (no cache; child)", secs, mb


@contextlib.contextmanager
def stock_components(nlp: Any) -> Iterator[None]:
    """The stock spaCy pipeline inside the block: its own Matcher in the attribute ruler and
    its own lemmatizer loop, Kronika's tables put back after."""
    attributes.uninstall(nlp)
    lemmas.uninstall(nlp)
    try:
        yield
    finally:
        attributes.install(nlp)
        lemmas.install(nlp)


def load_articles(path: Path, n: int, settings: Settings) -> list[Article]:
    recs = itertools.islice(iter_records([path], settings), n)
    return [r for r in recs if isinstance(r, Article)]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--n", type=int, default=300)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--cold-gazetteer", action="store_true",
                    help="also time building the gazetteer without its cache (in a child process)")
    args = ap.parse_args()

    settings = Settings(batch_size=args.batch_size, workers=args.workers)
    pipeline, loads = build_pipeline(settings, args.cold_gazetteer)
    articles = load_articles(args.corpus, args.n, settings)
    words = sum(len(a.text.split()) for a in articles)
    texts = [a.text for a in articles]
    nlp = pipeline.parser.nlp
    for _ in pipeline.analyze_many(articles[:10]):  # warm-up: first-call costs of every stage
        pass
    with stock_components(nlp):  # and of the stock components the bare pass runs instead
        for _ in nlp.pipe(texts[:10], batch_size=args.batch_size):
            pass

    bare, full, n_events = [], [], 0
    stage_totals: dict[str, list[float]] = {}

    def run_bare() -> None:
        with stock_components(nlp):
            t = time.perf_counter()
            for _doc in nlp.pipe(texts, batch_size=args.batch_size, n_process=args.workers):
                pass
            bare.append(time.perf_counter() - t)

    def run_full() -> None:
        nonlocal n_events
        t = time.perf_counter()
        stages: dict[str, float] = {}
        n_events = 0
        for analysis in pipeline.analyze_many(articles, n_process=args.workers):
            n_events += len(analysis.events)
            for k, v in analysis.timings.items():
                stages[k] = stages.get(k, 0.0) + v
        elapsed = time.perf_counter() - t
        full.append(elapsed)
        stages["nlp (parse + conversion)"] = elapsed - sum(stages.values())
        for k, v in stages.items():
            stage_totals.setdefault(k, []).append(v)

    for r in range(args.repeats):  # alternate which goes first, so drift hits both alike
        for run in ((run_bare, run_full) if r % 2 == 0 else (run_full, run_bare)):
            run()
    report(args, articles, words, loads, bare, full, stage_totals, n_events)


def report(args: argparse.Namespace, articles: list[Article], words: int, loads: list[tuple[str, float, float]],
           bare: list[float], full: list[float], stage_totals: dict[str, list[float]], n_events: int) -> None:
    n = len(articles)
    b, f = statistics.median(bare), statistics.median(full)
    ratios = [x / y for x, y in zip(bare, full, strict=True)]
    print(f"corpus: {n} articles, {words} words ({args.corpus.name}); "
          f"batch {args.batch_size}, workers {args.workers}, repeats {args.repeats} (bare and full alternate)")
    print("load (s, RSS delta MB):")
    for name, secs, mb in loads:
        print(f"  {name:36s} {secs:7.2f} s  {mb:+7.0f} MB")
    print(f"bare spaCy:    {n / b:8.1f} articles/s  {words / b:9.0f} words/s")
    print(f"full pipeline: {n / f:8.1f} articles/s  {words / f:9.0f} words/s  ({n_events} events)")
    print(f"ratio full/bare throughput: {b / f:.3f} (medians); per repeat {', '.join(f'{r:.3f}' for r in ratios)}"
          f" -> {'meets' if b / f >= BAR else 'BELOW'} the {BAR} bar")
    print("per-stage time (median s, share of full run, share of the bare spaCy pass, docs/s alone):")
    for k, vals in sorted(stage_totals.items(), key=lambda kv: -statistics.median(kv[1])):
        m = statistics.median(vals)
        print(f"  {k:28s} {m:8.3f}  {m / f:6.1%}  vs bare spaCy {m / b:6.1%}  {n / m if m else 0:9.0f} docs/s")
    extraction = sum(statistics.median(v) for k, v in stage_totals.items() if not k.startswith("nlp"))
    print(f"  {'all extraction stages':28s} {extraction:8.3f}  {extraction / f:6.1%}  vs bare spaCy {extraction / b:6.1%}")
    print(f"peak RSS (this process): {peak_rss_mb():.0f} MB (bar: 1200 MB per worker)")


if __name__ == "__main__":
    main()
