"""HTTP load: N concurrent readers against ``kronika serve``'s app while its ingest endpoint writes.

    python -m benchmarks.load_test [--clients 50] [--seconds 60] [--events 20000]
                                   [--write-every 1.0] [--pipeline fake|real]

Starts the API with uvicorn on a free port of 127.0.0.1 (loopback only, always) in a child
process, over a fresh store of ``--events`` synthetic events, with a bearer token. Then
``--clients`` threads, each with its own keep-alive ``httpx`` client, request a mix of read
endpoints (events pages with filters, summary, volume, network, map, dyad series,
clusters) as fast as they can for ``--seconds``, while one more thread POSTs a small batch
of articles every ``--write-every`` seconds through ``POST /api/articles`` (the
one-writer protocol of docs/operations.md). Reports requests/s, p50/p90/p99/max latency
per kind and overall, and every error (any status but 200, or a transport failure).

``--pipeline fake`` (default) codes one synthetic event per posted article instead of
running spaCy: the write path measured (token check, the readers-writer lock, one store
transaction per request) is the real one, only the analysis is skipped, so the figures
are about the API and the store, not the parser. ``--pipeline real`` runs the full
pipeline in the server (slow on small machines).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

LOOPBACK = "127.0.0.1"
TOKEN_ENV = "KRONIKA_LOAD_TEST_TOKEN"
COUNTRIES = ("JPN", "RUS", "CHN", "USA", "DEU", "FRA", "IND", "IRN", "TUR", "BRA")
READS: tuple[tuple[str, Callable[[random.Random], tuple[str, dict[str, Any]]]], ...] = (
    ("events", lambda r: ("/api/events", {"actor": r.choice(COUNTRIES), "limit": 50})),
    ("events-dyad", lambda r: ("/api/events", {"dyad": ",".join(r.sample(COUNTRIES, 2)), "since": "2016"})),
    ("events-text", lambda r: ("/api/events", {"text": r.choice(["talks", "met", "sanction"]), "limit": 20})),
    ("summary", lambda r: ("/api/summary", {})),
    ("volume", lambda r: ("/api/volume", {"interval": r.choice(["month", "year"])})),
    ("network", lambda r: ("/api/network", {"since": "2019"})),
    ("map", lambda r: ("/api/map", {"limit": 100})),
    ("dyad-series", lambda r: ("/api/dyads/{}/{}".format(*r.sample(COUNTRIES, 2)), {"interval": "year"})),
    ("clusters", lambda r: ("/api/clusters", {"limit": 20})),
)


# --------------------------------------------------------------------------- server side


class FakePipeline:
    """One CONSULT per article between the first two country codes in its text (no spaCy)."""

    def analyze_many(self, articles: Iterable[Any], *, n_process: int = 1,
                     on_error: Callable[[Any, Exception], None] | None = None) -> Iterator[Any]:
        from kronika.store import synthetic as syn

        for art in articles:
            codes = [w for w in art.text.replace(".", " ").split() if len(w) == 3 and w.isupper()] + ["USA", "RUS"]
            ev = syn.event(art, "CONSULT", syn.ref(codes[0]), syn.ref(codes[1]), art.date.isoformat())
            yield syn.analysis(art, [ev])


def build_store(db: Path, events: int) -> None:
    from kronika.store import Store
    from kronika.store.synthetic import generate

    with Store(db) as store:
        generate(store, events, seed=1)


def make_app(db: Path, token: str | None, pipeline: str) -> Any:
    """The app ``kronika serve`` builds, with the fake pipeline unless ``pipeline == "real"``."""
    from kronika.api import create_app
    from kronika.config import Settings

    settings = Settings(db_path=db, api_token=token)
    factory = None if pipeline == "real" else FakePipeline
    return create_app(settings, store_path=db, pipeline_factory=factory)


def serve(db: Path, port: int, pipeline: str) -> None:
    """Child-process entry: uvicorn on 127.0.0.1 only, as ``kronika serve`` runs it."""
    import uvicorn

    app = make_app(db, os.environ.get(TOKEN_ENV), pipeline)
    uvicorn.run(app, host=LOOPBACK, port=port, log_level="warning", limit_concurrency=64,
                timeout_keep_alive=5)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((LOOPBACK, 0))
        return int(s.getsockname()[1])


def start_server(db: Path, token: str, pipeline: str = "fake", timeout: float = 120) -> tuple[subprocess.Popen[bytes], str]:
    """The API in a child process; returns it and its base URL once /api/health answers."""
    port = free_port()
    env = {**os.environ, TOKEN_ENV: token}
    code = (f"import sys; sys.path.insert(0, {str(Path(__file__).resolve().parents[1])!r}); "
            "from benchmarks.load_test import serve; from pathlib import Path; "
            f"serve(Path({str(db)!r}), {port}, {pipeline!r})")
    log = db.parent / "server.log"  # a file, not a pipe: a chatty server never blocks on it
    with log.open("ab") as err:
        proc = subprocess.Popen([sys.executable, "-c", code], env=env, stderr=err)
    base = f"http://{LOOPBACK}:{port}"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited: {log.read_text(errors='replace')[-2000:]}")
        try:
            if httpx.get(f"{base}/api/health", timeout=1).status_code == 200:
                return proc, base
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    proc.kill()
    raise RuntimeError("server did not start in time")


# --------------------------------------------------------------------------- client side


@dataclass
class Results:
    """Latencies (seconds) per request kind, errors, and what the writer stored."""

    latencies: dict[str, list[float]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    writes: int = 0
    articles_written: int = 0
    wall_s: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, kind: str, seconds: float, error: str | None = None) -> None:
        with self.lock:
            self.latencies.setdefault(kind, []).append(seconds)
            if error is not None:
                self.errors.append(f"{kind}: {error}")

    def summary(self) -> dict[str, Any]:
        every = [x for xs in self.latencies.values() for x in xs]
        return {
            "requests": len(every), "wall_s": round(self.wall_s, 2),
            "requests_per_s": round(len(every) / self.wall_s, 1) if self.wall_s else 0.0,
            "errors": len(self.errors), "error_samples": self.errors[:10],
            "writes": self.writes, "articles_written": self.articles_written,
            "overall_ms": percentiles(every),
            "by_kind_ms": {k: percentiles(v) for k, v in sorted(self.latencies.items())},
        }


def percentiles(xs: list[float]) -> dict[str, float]:
    if not xs:
        return {}
    s = sorted(xs)

    def q(p: float) -> float:
        return round(1000 * s[min(len(s) - 1, int(p * len(s)))], 1)

    return {"n": len(s), "p50": q(0.50), "p90": q(0.90), "p99": q(0.99), "max": round(1000 * s[-1], 1),
            "mean": round(1000 * statistics.fmean(s), 1)}


def reader(base: str, stop: threading.Event, results: Results, seed: int) -> None:
    rng = random.Random(seed)
    with httpx.Client(base_url=base, timeout=30) as client:
        while not stop.is_set():
            kind, make = rng.choice(READS)
            path, params = make(rng)
            t0 = time.perf_counter()
            try:
                res = client.get(path, params=params)
                err = None if res.status_code == 200 else f"HTTP {res.status_code}: {res.text[:200]}"
            except httpx.HTTPError as exc:
                err = f"{type(exc).__name__}: {exc}"
            results.add(kind, time.perf_counter() - t0, err)


def writer(base: str, token: str, stop: threading.Event, results: Results, every: float, batch: int = 3) -> None:
    n = 0
    with httpx.Client(base_url=base, timeout=120, headers={"Authorization": f"Bearer {token}"}) as client:
        while not stop.wait(every):
            body = [{"text": f"{a} and {b} held talks on item {n}-{i} of the load test.",
                     "date": f"2021-{1 + (n + i) % 12:02d}-{1 + (n * 7 + i) % 28:02d}", "id": f"load-{n}-{i}"}
                    for i, (a, b) in enumerate(zip(COUNTRIES, COUNTRIES[1:], strict=False)) if i < batch]
            n += 1
            t0 = time.perf_counter()
            try:
                res = client.post("/api/articles", json=body)
                err = None if res.status_code == 200 else f"HTTP {res.status_code}: {res.text[:200]}"
                if err is None:
                    with results.lock:
                        results.writes += 1
                        results.articles_written += int(res.json().get("articles_written") or 0)
            except httpx.HTTPError as exc:
                err = f"{type(exc).__name__}: {exc}"
            results.add("write", time.perf_counter() - t0, err)


def run_load(base: str, *, clients: int, seconds: float, token: str | None = None,
             write_every: float = 1.0, seed: int = 0) -> Results:
    """``clients`` reader threads (and a writer when ``token``) for ``seconds``."""
    if not base.startswith(f"http://{LOOPBACK}:"):
        raise ValueError("the load test only ever targets 127.0.0.1")
    results, stop = Results(), threading.Event()
    threads = [threading.Thread(target=reader, args=(base, stop, results, seed + i), daemon=True)
               for i in range(clients)]
    if token and write_every > 0:
        threads.append(threading.Thread(target=writer, args=(base, token, stop, results, write_every), daemon=True))
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    time.sleep(seconds)
    stop.set()
    for t in threads:
        t.join(timeout=60)
    results.wall_s = time.perf_counter() - t0
    return results


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--seconds", type=float, default=60.0)
    ap.add_argument("--events", type=int, default=20_000, help="synthetic events in the store")
    ap.add_argument("--write-every", type=float, default=1.0, help="seconds between POSTs (0: no writer)")
    ap.add_argument("--pipeline", choices=["fake", "real"], default="fake")
    ap.add_argument("--db", type=Path, default=None, help="store to serve (default: a fresh synthetic one)")
    args = ap.parse_args()

    db = args.db or Path(tempfile.mkdtemp(prefix="kronika-load-")) / "load.duckdb"
    if args.db is None:
        build_store(db, args.events)
    token = os.urandom(16).hex()
    proc, base = start_server(db, token, args.pipeline)
    try:
        results = run_load(base, clients=args.clients, seconds=args.seconds, token=token,
                           write_every=args.write_every)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    out = {"clients": args.clients, "seconds": args.seconds, "store_events": args.events,
           "pipeline": args.pipeline, **results.summary()}
    print(json.dumps(out, indent=2))
    sys.exit(1 if results.errors else 0)


if __name__ == "__main__":
    main()
