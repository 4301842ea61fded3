"""HTTP API latency: p50/p95 per endpoint over real HTTP (uvicorn on 127.0.0.1).

Measures what an analyst's browser waits for: each endpoint the dashboard calls, on a
given store and on a synthetic store of N events (``kronika.store.synthetic.generate``).

    python benchmarks/api_latency.py --db kronika.duckdb            # a given store
    python benchmarks/api_latency.py --synthetic 1000000            # 1M synthetic events
    python benchmarks/api_latency.py --demo --synthetic 1000000 --repeat 20 --json out.json

The synthetic store is cached under ``--work`` (default /tmp/kronika-bench) so reruns
skip the build. Requests go only to 127.0.0.1, a bounded number of times.
"""

from __future__ import annotations

import argparse
import json
import socket
import statistics
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def serving(db: Path) -> Iterator[str]:
    import uvicorn

    from kronika.api import create_app
    from kronika.config import Settings

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(Settings(), store_path=db), host="127.0.0.1",
                                           port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def endpoints(client, base: str) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    """The calls the dashboard makes, with ids and pairs taken from the store itself."""
    s = client.get(f"{base}/api/summary").json()
    dyad = s["top_dyads"][0] if s.get("top_dyads") else {"a": "USA", "b": "RUS"}
    actor = dyad["a"]
    first = client.get(f"{base}/api/events", params={"limit": 1}).json()["items"]
    out = [
        ("health", "/api/health"),
        ("summary", "/api/summary"),
        ("volume (month)", "/api/volume"),
        ("events page 1 (100)", "/api/events"),
        ("events offset 10000", "/api/events?offset=10000"),
        ("events actor", f"/api/events?actor={quote(actor)}"),
        ("events dyad+type", f"/api/events?dyad={quote(dyad['a'])},{quote(dyad['b'])}&type=CONSULT"),
        ("events text search", "/api/events?text=talks"),
        ("events csv (1000)", "/api/events?format=csv&limit=1000"),
        ("dyad series", f"/api/dyads/{quote(dyad['a'])}/{quote(dyad['b'])}"),
        ("network (country)", "/api/network"),
        ("timeline actor", f"/api/timeline?actor={quote(actor)}"),
        ("clusters", "/api/clusters"),
        ("map (1000)", "/api/map?limit=1000"),
    ]
    if first:
        out.append(("article view", f"/api/articles/{first[0]['article_id']}"))
        out.append(("event view", f"/api/events/{first[0]['event_id']}"))
        if first[0].get("cluster_id"):
            out.append(("cluster view", f"/api/clusters/{first[0]['cluster_id']}"))
    return out


def measure(db: Path, repeat: int) -> list[dict[str, object]]:
    import httpx

    rows = []
    with serving(db) as base, httpx.Client(timeout=120) as client:
        for name, path in endpoints(client, base):
            client.get(base + path)  # warm-up (DuckDB caches, Python imports)
            times, status = [], 0
            for _ in range(repeat):
                t0 = time.perf_counter()
                res = client.get(base + path)
                times.append((time.perf_counter() - t0) * 1000)
                status = res.status_code
            q = statistics.quantiles(times, n=20, method="inclusive")
            rows.append({"endpoint": name, "path": path, "status": status, "n": repeat,
                         "p50_ms": round(statistics.median(times), 1), "p95_ms": round(q[18], 1),
                         "max_ms": round(max(times), 1)})
    return rows


def synthetic_store(work: Path, n: int) -> tuple[Path, float]:
    from kronika.store import Store
    from kronika.store.synthetic import generate

    work.mkdir(parents=True, exist_ok=True)
    db = work / f"synthetic-{n}-v2.duckdb"  # v2: events in date order (Store.compact)
    t0 = time.perf_counter()
    if not db.exists():
        with Store(db) as store:
            generate(store, n, seed=0)
    return db, time.perf_counter() - t0


def demo_store(work: Path) -> Path:
    sys.path.insert(0, str(ROOT / "tests"))
    from test_api_fixtures import build_store

    db = work / "demo.duckdb"
    if not db.exists():
        work.mkdir(parents=True, exist_ok=True)
        build_store(db)
    return db


def report(title: str, rows: list[dict[str, object]]) -> None:
    print(f"\n## {title}\n")
    print(f"| {'endpoint':<22} | status | p50 ms | p95 ms | max ms |")
    print(f"|{'-' * 24}|-------:|-------:|-------:|-------:|")
    for r in rows:
        print(f"| {r['endpoint']:<22} | {r['status']:>6} | {r['p50_ms']:>6} | {r['p95_ms']:>6} | {r['max_ms']:>6} |")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", type=Path, help="a store to measure (e.g. the demo store)")
    ap.add_argument("--demo", action="store_true", help="measure the small hand-made demo store")
    ap.add_argument("--synthetic", type=int, default=0, help="also measure a store of N synthetic events")
    ap.add_argument("--repeat", type=int, default=20)
    ap.add_argument("--work", type=Path, default=Path("/tmp/kronika-bench"))
    ap.add_argument("--json", type=Path, help="write the results here as JSON")
    args = ap.parse_args()
    results: dict[str, object] = {}
    targets: list[tuple[str, Path]] = []
    if args.db:
        targets.append((f"store {args.db.name}", args.db))
    if args.demo:
        targets.append(("demo store (12 events)", demo_store(args.work)))
    if args.synthetic:
        db, took = synthetic_store(args.work, args.synthetic)
        print(f"synthetic store: {args.synthetic:,} events ready in {took:.1f} s ({db})", file=sys.stderr)
        targets.append((f"synthetic store ({args.synthetic:,} events)", db))
    if not targets:
        ap.error("give --db, --demo and/or --synthetic N")
    for title, db in targets:
        rows = measure(db, args.repeat)
        report(title, rows)
        results[title] = rows
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
