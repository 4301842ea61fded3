"""Downloads and the actor lookup, timed on a synthetic store (issue 20, items 1 and 2).

    python -m benchmarks.query_downloads [--events 100000]

Builds a synthetic store (``store.synthetic.generate``), then times: loading the actor
knowledge base once; ``GET /api/events?format=csv|parquet|jsonl`` of every event over real
HTTP (FastAPI's TestClient); ``store_where`` for an actor given as a code, a name, a
demonym and a surname; and ``kronika events --limit N --format jsonl`` in a subprocess.
Prints one JSON line per figure.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--events", type=int, default=100_000)
    args = ap.parse_args()

    from fastapi.testclient import TestClient

    from kronika.api import create_app
    from kronika.config import Settings
    from kronika.query import EventFilter
    from kronika.query.filters import store_where
    from kronika.query.lookup import default_lookup
    from kronika.store import Store
    from kronika.store.synthetic import generate

    def report(**fig: object) -> None:
        sys.stdout.write(json.dumps(fig) + "\n")

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.duckdb"
        with Store(db) as s:
            generate(s, args.events, seed=1)
        t = time.perf_counter()
        default_lookup()
        report(figure="actor knowledge base load", seconds=round(time.perf_counter() - t, 2))
        client = TestClient(create_app(Settings(), store_path=db))
        for fmt in ("csv", "parquet", "jsonl"):
            t = time.perf_counter()
            res = client.get("/api/events", params={"format": fmt})
            dt = time.perf_counter() - t
            report(figure=f"download format={fmt}", rows=int(res.headers["x-total-count"]),
                   mb=round(len(res.content) / 1e6, 1), seconds=round(dt, 1),
                   rows_per_s=round(int(res.headers["x-total-count"]) / dt))
        with Store(db, read_only=True) as s:
            for value in ("JPN", "Japan", "Japanese", "Kono"):
                t = time.perf_counter()
                for _ in range(100):
                    store_where(s, EventFilter(actor=value))
                report(figure=f"store_where(actor={value})", ms=round((time.perf_counter() - t) * 10, 2))
        t = time.perf_counter()
        cli = [sys.executable, "-c", "import sys; from kronika.cli import main; sys.argv[0] = 'kronika'; main()"]
        out = subprocess.run([*cli, "events", "--limit", str(args.events),
                              "--format", "jsonl", "--db", str(db)], capture_output=True, text=True, check=True)
        rows = sum(1 for line in out.stdout.splitlines() if line.startswith("{"))
        report(figure=f"kronika events --limit {args.events} --format jsonl", rows=rows,
               seconds=round(time.perf_counter() - t, 1))


if __name__ == "__main__":
    main()
