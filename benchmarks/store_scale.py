"""DuckDB query latency at scale: dyad series, actor network, filtered event page.

    python -m benchmarks.store_scale [--sizes 1000000 10000000] [--repeats 5] [--work DIR]

For each size a synthetic store is built with ``kronika.store.synthetic.generate`` (inside
DuckDB, seconds per million) and cached under ``--work`` (default /tmp/kronika-bench), so
reruns skip the build. Each query runs once cold and then ``--repeats`` times; the median
of the warm runs is the figure to quote. Cold means a fresh read-only ``Store`` whose file
the operating system has been asked to drop from its page cache first
(``posix_fadvise(DONTNEED)``, where the platform has it): the first question after a
reboot or after other work pushed the file out, reading from disk. The
queries are the library's own (``kronika.query``), exactly what the CLI, API and dashboard
call, so the figures include the Python post-processing of the rows.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kronika.query import EventFilter, actor_network, count_events, dyad_series, find_events
from kronika.store import Store
from kronika.store.synthetic import generate

# What an analyst asks of a big store; the dyad and filters are common synthetic values.
QUERIES: dict[str, Callable[[Store], Any]] = {
    "dyad series USA-RUS by month": lambda s: dyad_series(s, "USA", "RUS"),
    "dyad series USA-RUS 2018-2019 by week": lambda s: dyad_series(
        s, "USA", "RUS", interval="week", since="2018", until="2019"),
    "actor network (all events)": lambda s: actor_network(s, EventFilter()),
    "actor network (CONSULT, 2019)": lambda s: actor_network(
        s, EventFilter(type="CONSULT", since="2019", until="2019")),
    "event page (RUS, conflict, 2019, 100)": lambda s: find_events(
        s, EventFilter(actor="RUS", quad_class="verbal_conflict,material_conflict",
                       since="2019-01", until="2019-12", limit=100)),
    "event page (dyad JPN-RUS, offset 200)": lambda s: find_events(
        s, EventFilter(dyad=("JPN", "RUS"), limit=100, offset=200)),
    "count (RUS, CONSULT/AGREE)": lambda s: count_events(s, EventFilter(actor="RUS", type="CONSULT,AGREE")),
}


def build(work: Path, n: int) -> tuple[Path, float]:
    """The cached store of ``n`` synthetic events, and how long building it took (0 if cached)."""
    work.mkdir(parents=True, exist_ok=True)
    db = work / f"synthetic-{n}.duckdb"
    if db.exists():
        return db, 0.0
    t = time.perf_counter()
    with Store(db.with_suffix(".building")) as store:
        generate(store, n, seed=0)
        store.con.execute("CHECKPOINT")
    db.with_suffix(".building").rename(db)
    return db, time.perf_counter() - t


def evict(path: Path) -> None:
    """Ask the OS to drop the file's cached pages (a no-op where fadvise is missing)."""
    if hasattr(os, "posix_fadvise"):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
        finally:
            os.close(fd)


def measure(db: Path, repeats: int) -> list[tuple[str, float, float, float, int]]:
    """(query, cold s, warm median s, warm max s, rows) per query."""
    out = []
    for name, fn in QUERIES.items():
        evict(db)
        with Store(db, read_only=True) as store:
            t = time.perf_counter()
            result = fn(store)
            cold = time.perf_counter() - t
            warm = []
            for _ in range(repeats):
                t = time.perf_counter()
                fn(store)
                warm.append(time.perf_counter() - t)
        size = len(result["edges"]) if isinstance(result, dict) else (
            result if isinstance(result, int) else len(result))
        out.append((name, cold, statistics.median(warm), max(warm), size))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", default=[1_000_000, 10_000_000])
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--work", type=Path, default=Path("/tmp/kronika-bench"))
    args = ap.parse_args()
    for n in args.sizes:
        db, built = build(args.work, n)
        size_mb = db.stat().st_size / 1024 / 1024
        print(f"{n:,} synthetic events: {db} ({size_mb:.0f} MB"
              + (f", built in {built:.0f} s)" if built else ", cached)"), flush=True)
        print(f"  {'query':40s} {'cold s':>8s} {'median s':>9s} {'max s':>8s} {'rows':>7s}")
        for name, cold, med, worst, rows in measure(db, args.repeats):
            print(f"  {name:40s} {cold:8.3f} {med:9.3f} {worst:8.3f} {rows:7d}", flush=True)


if __name__ == "__main__":
    main()
