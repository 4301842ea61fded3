"""Memory of the streaming ingest: RSS after 1k, 10k, 50k … articles into a temporary store.

    python -m benchmarks.memory [--n 1000 --n 10000 --n 50000] [--batch-size 32] [--workers 1]
                                [--writer shared|held]

The WikiNews politics corpus is repeated as often as needed; each copy appends a marker
sentence naming the copy number, so every article gets a fresh content id and nothing is
skipped as a duplicate. The articles go through ``kronika.run.ingest`` (the real
streaming path: readers → id look-up → ``nlp.pipe`` → extraction → one transaction per
batch) into a DuckDB file in a temporary folder. One run, one process: after the batch
that crosses each ``--n`` checkpoint it records the resident set size of this process
(and of its worker children when ``--workers`` > 1, summed and per process) with psutil.

What it answers: is memory flat? A streaming ingest should hold at most one batch of
analyses, so RSS after the largest checkpoint should be within ~10 % of RSS after the
previous one. It prints the ratio of the last two checkpoints.

``--writer`` picks how the store is held. ``shared`` (default) is what ``kronika ingest``
does: a ``SharedWriter`` opens the file for each batch and closes it, so DuckDB's page
cache is dropped every batch (``kronika.ingest_paths`` does the same). ``held`` keeps one
``Store`` open for the whole job, as a caller passing its own ``Store`` to
``kronika.run.ingest`` does; DuckDB then keeps the pages it wrote cached (its default memory
limit is most of the machine's RAM), and RSS grows with the size of the database, about
4–6 MB per 1,000 WikiNews articles (docs/performance.md).
"""

from __future__ import annotations

import argparse
import itertools
import json
import resource
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import psutil

from kronika.config import Settings
from kronika.run import ingest
from kronika.store import Store
from kronika.store.access import SharedWriter

DEFAULT_CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "news" / "wikinews_politics.jsonl"
MB = 1024 * 1024


def repeated_records(corpus: Path, n: int) -> Iterator[dict]:
    """``n`` JSONL records cycling over ``corpus``; copy ``k`` > 0 of a record gets a marker
    sentence and an ``id`` suffix, so its content id differs from every other copy."""
    base = [json.loads(line) for line in corpus.read_text(encoding="utf-8").splitlines() if line.strip()]
    for i, rec in enumerate(itertools.islice(itertools.cycle(base), n)):
        copy = i // len(base)
        if copy:
            rec = dict(rec, id=f"{rec.get('id', i)}-c{copy}",
                       text=f"{rec['text'].rstrip()} This is benchmark copy {copy}.")
        yield rec


def write_corpus(corpus: Path, n: int, dest: Path) -> Path:
    with dest.open("w", encoding="utf-8") as fh:
        for rec in repeated_records(corpus, n):
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    return dest


def rss_mb(proc: psutil.Process) -> tuple[float, list[float]]:
    """RSS of ``proc`` and of each of its live children (spaCy's ``n_process`` workers)."""
    kids = []
    for child in proc.children(recursive=True):
        try:
            kids.append(child.memory_info().rss / MB)
        except psutil.Error:  # a worker that just exited
            continue
    return proc.memory_info().rss / MB, kids


class Checkpoints:
    """The ``progress`` callback: counts written articles and samples RSS at each checkpoint."""

    def __init__(self, marks: list[int]) -> None:
        self.marks = sorted(marks)
        self.done = 0
        self.rows: list[dict[str, float]] = []
        self.proc = psutil.Process()
        self.t0 = time.perf_counter()
        self.window_max = 0.0

    def __call__(self, n: int) -> None:
        self.done += n
        main, kids = rss_mb(self.proc)
        self.window_max = max(self.window_max, main + sum(kids))
        while self.marks and self.done >= self.marks[0]:
            self.marks.pop(0)
            self.rows.append({
                "articles": self.done, "rss_mb": main, "children_rss_mb": kids,
                "window_max_mb": self.window_max,
                "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                "elapsed_s": time.perf_counter() - self.t0,
            })
            self.window_max = 0.0
            print(f"  {self.done:7d} articles  RSS {main:7.0f} MB  children {[round(k) for k in kids]}"
                  f"  max since last {self.rows[-1]['window_max_mb']:.0f} MB"
                  f"  peak {self.rows[-1]['peak_rss_mb']:.0f} MB  {self.rows[-1]['elapsed_s']:.0f} s",
                  flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--n", type=int, action="append", help="checkpoint (articles); repeatable")
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--json", type=Path, help="also write the checkpoints here")
    ap.add_argument("--writer", choices=("shared", "held"), default="shared",
                    help="shared: open the store per batch, as `kronika ingest` does (default); "
                         "held: one Store open for the whole job, as a caller passing its own Store does")
    args = ap.parse_args()
    marks = sorted(set(args.n or [1000, 10_000, 50_000]))

    with tempfile.TemporaryDirectory(prefix="kronika-mem-") as tmp:
        src = write_corpus(args.corpus, marks[-1], Path(tmp) / "corpus.jsonl")
        settings = Settings(db_path=Path(tmp) / "bench.duckdb", batch_size=args.batch_size,
                            workers=args.workers)
        start, _ = rss_mb(psutil.Process())
        print(f"streaming ingest of {marks[-1]} articles ({args.corpus.name}, repeated with markers); "
              f"batch {args.batch_size}, workers {args.workers}, {args.writer} writer; "
              f"RSS before: {start:.0f} MB", flush=True)
        cp = Checkpoints(marks)
        if args.writer == "shared":  # what `kronika ingest` does: the file is open per batch
            report = ingest([src], settings, store=SharedWriter(settings.db_path), progress=cp)
        else:  # a caller's own Store held for the whole job (DuckDB keeps its pages cached)
            with Store(settings.db_path) as store:
                report = ingest([src], settings, store=store, progress=cp)
        print(f"written {report.articles_written}, skipped {report.articles_skipped}, "
              f"events {report.events_written}, problems {len(report.problems)}")
    summarize(cp.rows)
    if args.json:
        args.json.write_text(json.dumps(cp.rows, indent=2), encoding="utf-8")


def summarize(rows: list[dict[str, float]]) -> None:
    """The last checkpoint against the one before it and against every earlier one after
    the first (the first still holds the models' warm-up): 50k against 10k is the pair the
    acceptance bar names, 50k against 40k shows whether growth has stopped."""
    if len(rows) < 2:
        return
    b = rows[-1]
    earlier = rows[1:-1] if len(rows) > 2 else rows[:1]
    for a in reversed(earlier):
        for key, what in (("rss_mb", "RSS at"), ("window_max_mb", "max RSS (all processes) up to")):
            ratio = b[key] / a[key]
            verdict = "flat (within 10 %)" if ratio <= 1.10 else "GROWING (more than 10 %)"
            print(f"{what} {b['articles']:.0f} / {what} {a['articles']:.0f}: {ratio:.3f} -> {verdict}")


if __name__ == "__main__":
    main()
