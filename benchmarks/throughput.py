"""Pipeline throughput against the bare spaCy pass, on the same articles in the same run.

    python -m benchmarks.throughput [--n 300] [--repeats 3] [--batch-size 32] [--workers 1]

Prints articles/s and words/s for the bare ``nlp.pipe`` pass and for the full pipeline
(parse + time + actors + geo + events), their ratio (the headline figure: 1.0 means the
extraction stages cost nothing on top of the parser), the per-stage time breakdown, and
the peak RSS of this process. Medians over ``--repeats`` runs; machines here are noisy,
so quote ratios, not absolute times.
"""

from __future__ import annotations

import argparse
import itertools
import resource
import statistics
import time
from pathlib import Path

from kronika.config import Settings
from kronika.ingest import iter_records
from kronika.model import Article
from kronika.pipeline import Pipeline

DEFAULT_CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "news" / "wikinews_politics.jsonl"


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


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
    args = ap.parse_args()

    settings = Settings(batch_size=args.batch_size, workers=args.workers)
    t0 = time.perf_counter()
    pipeline = Pipeline(settings)
    load_s = time.perf_counter() - t0
    articles = load_articles(args.corpus, args.n, settings)
    words = sum(len(a.text.split()) for a in articles)
    texts = [a.text for a in articles]
    nlp = pipeline.parser.nlp

    bare, full = [], []
    stage_totals: dict[str, list[float]] = {}
    for _ in range(args.repeats):
        t = time.perf_counter()
        for _doc in nlp.pipe(texts, batch_size=args.batch_size, n_process=args.workers):
            pass
        bare.append(time.perf_counter() - t)

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

    b, f = statistics.median(bare), statistics.median(full)
    print(f"corpus: {len(articles)} articles, {words} words ({args.corpus.name}); "
          f"batch {args.batch_size}, workers {args.workers}, repeats {args.repeats}")
    print(f"model + knowledge load: {load_s:.1f} s")
    print(f"bare spaCy:    {len(articles) / b:8.1f} articles/s  {words / b:9.0f} words/s")
    print(f"full pipeline: {len(articles) / f:8.1f} articles/s  {words / f:9.0f} words/s  ({n_events} events)")
    print(f"ratio full/bare throughput: {b / f:.3f}")
    print("per-stage time (median s, share of full run):")
    for k, vals in sorted(stage_totals.items(), key=lambda kv: -statistics.median(kv[1])):
        m = statistics.median(vals)
        print(f"  {k:28s} {m:8.3f}  {m / f:6.1%}  (vs bare parse: {m / b:6.1%})")
    print(f"peak RSS (this process): {peak_rss_mb():.0f} MB")


if __name__ == "__main__":
    main()
