"""Crash safety: SIGKILL ``kronika ingest`` at random moments, re-run, compare with a clean run.

    python -m benchmarks.kill_test [--articles 40] [--kills 20] [--batch-size 4] [--seed 0]

What it checks (issue 9, "lose no data"): a store written by a run that was killed any
number of times, then resumed to completion, holds exactly what one uninterrupted run
writes: every article once, the same event ids with the same content, no duplicated
mention rows. After every kill the store must also open (DuckDB replays its WAL) and hold
only whole batches.

How: the corpus is the first ``--articles`` WikiNews articles cut into a temporary JSONL
file. One clean run gives the reference store, its duration and its commits (seen as the
WAL growing or the file being rewritten). Then *campaigns*: each starts from an empty store and repeatedly starts
``kronika ingest CORPUS --db X --batch-size 4`` as a subprocess and sends it SIGKILL at a
random point tied to the run's own progress: a random time after its k-th commit (k random
over the commits still to come), or, one kill in five, during start-up (model load,
migrations). A run that finishes before its kill point is not counted as a kill. Kills
continue until a run completes or the store holds every article; one last uninterrupted
run follows and the result is compared with the reference. Campaigns repeat until
``--kills`` kills have landed. After each kill the stored article count must be a whole
number of batches. Prints one line per kill and a JSON summary; exit status 1 on any
difference. The CI-sized variant is ``tests/test_reliability_kill.py``.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

DEFAULT_CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "news" / "wikinews_politics.jsonl"
# Every column of ``events`` but the cluster id, which is compared on its own (see ``compare``).
EVENT_SQL = "SELECT * EXCLUDE (cluster_id) FROM events ORDER BY event_id"
ROW_TABLES = ("sentences", "actor_mentions", "places", "timexes", "event_actors")
COUNT_TABLES = ROW_TABLES
Log = Callable[[str], None]


@dataclass
class Summary:
    """What the kill campaigns did and found."""

    articles: int = 0
    reference_events: int = 0
    clean_run_s: float = 0.0
    first_batch_s: float = 0.0  # when the clean run committed its first batch
    clean_commits: int = 0  # WAL growths seen during the clean run (migrations + batches)
    kills: int = 0
    kills_mid_write: int = 0  # kills after which the store held some but not all articles
    campaigns: int = 0
    runs: int = 0
    differences: list[str] = field(default_factory=list)
    learned_drift: list[str] = field(default_factory=list)  # notes from ``compare`` (never a pass)

    @property
    def ok(self) -> bool:
        return not self.differences and self.kills > 0


def cut_corpus(dest: Path, n: int, source: Path = DEFAULT_CORPUS) -> Path:
    """The first ``n`` lines of the WikiNews JSONL as ``dest`` (a temporary file)."""
    with source.open(encoding="utf-8") as src:
        dest.write_text("".join(itertools.islice(src, n)), encoding="utf-8")
    return dest


def ingest_cmd(corpus: Path, db: Path, batch_size: int) -> list[str]:
    return [sys.executable, "-c", "from kronika.cli import main; main()", "ingest", str(corpus),
            "--db", str(db), "--batch-size", str(batch_size)]


def freeze_code(workdir: Path) -> Path:
    """Copy the ``kronika`` package under test into ``workdir/code``: every run of one test
    then executes the same code even while the working tree is being edited."""
    import kronika

    code = workdir / "code"
    shutil.rmtree(code, ignore_errors=True)
    shutil.copytree(Path(kronika.__file__).parent, code / "kronika",
                    ignore=shutil.ignore_patterns("__pycache__"))
    return code


def start_ingest(corpus: Path, db: Path, batch_size: int, workdir: Path) -> subprocess.Popen[bytes]:
    """``kronika ingest`` as a child process (in ``workdir``, so no stray kronika.toml applies;
    with the frozen copy of the code first on the path when there is one)."""
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "OMP_NUM_THREADS": "1"}
    if (workdir / "code" / "kronika").is_dir():
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(workdir / "code"), env.get("PYTHONPATH")]))
    with (workdir / "ingest.log").open("ab") as log:  # a file, not a pipe: a chatty run never blocks
        return subprocess.Popen(ingest_cmd(corpus, db, batch_size), cwd=workdir, env=env,
                                stdout=subprocess.DEVNULL, stderr=log)


def log_tail(workdir: Path, n: int = 2000) -> str:
    path = workdir / "ingest.log"
    return path.read_bytes()[-n:].decode(errors="replace") if path.exists() else ""


def run_to_completion(corpus: Path, db: Path, batch_size: int, workdir: Path,
                      timeout: float = 600) -> tuple[float, list[float]]:
    """One uninterrupted run: its duration and the moments (s after start) the store
    changed on disk (``store_mark``), i.e. the commits. Raises on a failed run."""
    t0 = time.perf_counter()
    proc = start_ingest(corpus, db, batch_size, workdir)
    mark, commits = store_mark(db), []
    while proc.poll() is None:
        if time.perf_counter() - t0 > timeout:
            proc.kill()
            raise RuntimeError("ingest did not finish in time")
        now = store_mark(db)
        if committed(mark, now):
            commits.append(time.perf_counter() - t0)
        mark = now
        time.sleep(0.02)
    if proc.returncode != 0:
        raise RuntimeError(f"ingest failed ({proc.returncode}): {log_tail(workdir)}")
    return time.perf_counter() - t0, commits


def store_mark(db: Path) -> tuple[int, int]:
    """(WAL size or -1, database file mtime in ns or -1): what a commit changes. The writer
    opens and closes the file per batch (``SharedWriter``), so the WAL may appear, grow and be
    checkpointed away between two polls; the checkpoint still changes the file's mtime."""
    wal = Path(str(db) + ".wal")
    try:
        w = wal.stat().st_size
    except OSError:
        w = -1
    try:
        m = db.stat().st_mtime_ns
    except OSError:
        m = -1
    return w, m


def committed(before: tuple[int, int], after: tuple[int, int]) -> bool:
    """Whether the store changed between two ``store_mark``s (WAL grew, or file rewritten)."""
    return after[0] > before[0] or after[1] != before[1]


def first_batch_at(commits: list[float], total: float) -> float:
    """When the first batch was committed: the WAL change after the longest quiet spell
    (migrations commit right at start, then the models load, then batches follow)."""
    if len(commits) < 2:
        return 0.3 * total
    gaps = [(b - a, b) for a, b in zip(commits, commits[1:], strict=False)]
    return max(gaps)[1]


def snapshot(db: Path) -> dict[str, Any]:
    """What must match between stores: article ids (with multiplicity), event rows and
    cluster ids, every mention row (per article, actor mentions included), and which
    articles used corpus-learned actors (``actor_mentions.how`` mentions "learned")."""
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        out: dict[str, Any] = {
            "article_ids": [r[0] for r in con.execute("SELECT id FROM articles ORDER BY id").fetchall()],
            "events": con.execute(EVENT_SQL).fetchall(),
            "clusters": con.execute("SELECT event_id, cluster_id FROM events ORDER BY event_id").fetchall(),
            "learned": {r[0] for r in con.execute(
                "SELECT DISTINCT article_id FROM actor_mentions WHERE how LIKE '%learned%'").fetchall()},
        }
        for table in COUNT_TABLES:
            key = "(SELECT article_id FROM events e WHERE e.event_id = t.event_id)" if table == "event_actors" \
                else "article_id"
            out[table] = con.execute(f"SELECT {key} AS a, * FROM {table} t ORDER BY ALL").fetchall()
        return out
    finally:
        con.close()


def stored_articles(db: Path) -> int:
    """Articles in the store after a kill: 0 for a store not created yet. Opening it also
    proves the file is readable (DuckDB replays the WAL the killed writer left)."""
    if not db.exists():
        return 0
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        has = con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = 'articles'").fetchone()
        if not has or not has[0]:
            return 0
        row = con.execute("SELECT count(*), count(DISTINCT id) FROM articles").fetchone()
        assert row is not None
        if row[0] != row[1]:
            raise AssertionError(f"duplicated articles right after a kill: {row[0]} rows, {row[1]} ids")
        return int(row[0])
    finally:
        con.close()


def _rows_by_article(rows: list[tuple[Any, ...]], col: int) -> dict[str, list[tuple[Any, ...]]]:
    out: dict[str, list[tuple[Any, ...]]] = {}
    for r in rows:
        out.setdefault(r[col], []).append(r)
    return out


def differing_articles(reference: dict[str, Any], got: dict[str, Any]) -> dict[str, set[str]]:
    """Per table, the articles whose rows differ between the two snapshots."""
    out: dict[str, set[str]] = {}
    for table, col in (("events", 1), *((t, 0) for t in COUNT_TABLES)):
        ref, new = _rows_by_article(reference[table], col), _rows_by_article(got[table], col)
        bad = {a for a in set(ref) | set(new) if ref.get(a) != new.get(a)}
        if bad:
            out[table] = bad
    clusters_ref = dict(reference["clusters"])
    changed = {e for e, c in got["clusters"] if clusters_ref.get(e, c) != c}
    if changed:
        article_of = {r[0]: r[1] for r in got["events"]}
        out["clusters"] = {article_of[e] for e in changed}
    return out


def compare(reference: dict[str, Any], got: dict[str, Any]) -> tuple[list[str], list[str]]:
    """(failures, notes) between two snapshots; both empty when identical.

    Every difference is a failure: lost or duplicated articles, events or rows, and any
    content that differs, actor mentions included. (Before issue 9's fix a resumed job
    loaded corpus-learned actors its killed predecessor had stored, so articles that used
    them could differ and were let through as "drift"; ingest jobs now code with the
    learned-actor snapshot of the last *completed* job, see ``Store.learned_snapshot``.)
    Notes say which failures touch articles that used learned actors, to help find why.
    """
    failures: list[str] = []
    ids = got["article_ids"]
    if len(ids) != len(set(ids)):
        failures.append(f"duplicated articles: {len(ids) - len(set(ids))}")
    missing, extra = set(reference["article_ids"]) - set(ids), set(ids) - set(reference["article_ids"])
    if missing or extra:
        failures.append(f"articles differ: {len(missing)} missing, {len(extra)} extra")
    event_ids = [r[0] for r in got["events"]]
    if len(event_ids) != len(set(event_ids)):
        failures.append(f"duplicated events: {len(event_ids) - len(set(event_ids))}")
    learned = reference["learned"] | got["learned"]
    notes: list[str] = []
    for table, articles in differing_articles(reference, got).items():
        failures.append(f"{table}: rows differ in {len(articles)} article(s)")
        if articles & learned:
            notes.append(f"{table}: {len(articles & learned)} of them used learned actors")
    return failures, notes


@dataclass(frozen=True)
class KillPlan:
    """Kill at ``early_s`` after start (``commits == 0``), or ``extra_s`` after the run's
    ``commits``-th WAL growth: tied to the run's own progress, so a slow machine shifts the
    kill with the work instead of missing it."""

    commits: int
    extra_s: float
    early_s: float

    def describe(self) -> str:
        return "during start-up" if self.commits == 0 else f"{self.extra_s:.2f} s after commit {self.commits}"


def kill_plan(rng: random.Random, summary: Summary, left: float) -> KillPlan:
    """One kill in five during start-up (model load, migrations), the rest at a random
    point of the writing phase of a run that still has ``left`` of the corpus to do."""
    growths = max(1, round(summary.clean_commits * left))
    batches = max(1, summary.clean_commits - 3)
    gap = max(0.1, (summary.clean_run_s - summary.first_batch_s) / batches)
    early = rng.uniform(0.5, max(0.6, summary.first_batch_s))
    if rng.random() < 0.2:
        return KillPlan(0, 0.0, early)
    return KillPlan(rng.randint(1, growths), rng.uniform(0, 1.5 * gap), early)


def kill_when(proc: subprocess.Popen[bytes], db: Path, plan: KillPlan, poll_s: float = 0.02) -> float | None:
    """Wait until ``plan`` says kill (return seconds since start) or the run ends (None)."""
    t0 = time.perf_counter()
    seen, due = 0, None if plan.commits else plan.early_s
    mark = store_mark(db)  # a killed run's leftover WAL is not a new commit
    while proc.poll() is None:
        now = time.perf_counter() - t0
        if due is not None and now >= due:
            return now
        cur = store_mark(db)
        if committed(mark, cur):
            seen += 1
            if due is None and seen >= plan.commits:
                due = now + plan.extra_s
        mark = cur
        time.sleep(poll_s)
    return None


def campaign(corpus: Path, db: Path, batch_size: int, workdir: Path, rng: random.Random,
             summary: Summary, reference: dict[str, Any], max_kills: int, log: Log) -> None:
    """Kill runs on a fresh store until one completes (or ``max_kills`` kills), then finish
    with one uninterrupted run and compare with the reference."""
    for suffix in ("", ".wal"):
        Path(str(db) + suffix).unlink(missing_ok=True)
    summary.campaigns += 1
    kills = 0
    while kills < max_kills:
        left = 1 - stored_articles(db) / max(1, summary.articles)
        plan = kill_plan(rng, summary, left)
        proc = start_ingest(corpus, db, batch_size, workdir)
        summary.runs += 1
        when = kill_when(proc, db, plan)
        if when is not None:
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            kills += 1
            summary.kills += 1
            n = stored_articles(db)
            if 0 < n < summary.articles:
                summary.kills_mid_write += 1
            if n % batch_size and n != summary.articles:
                summary.differences.append(f"kill {summary.kills}: {n} articles stored, not whole batches of {batch_size}")
            log(f"kill {summary.kills:3d}: after {when:5.2f} s ({plan.describe()}), "
                f"store holds {n}/{summary.articles} articles")
            if n == summary.articles:
                break  # everything is stored: later kills would only hit runs with nothing to do
            continue
        if proc.returncode != 0:
            summary.differences.append(f"a resumed run failed ({proc.returncode}): {log_tail(workdir, 500)}")
            return
        break  # this run finished before its kill
    run_to_completion(corpus, db, batch_size, workdir)
    summary.runs += 1
    diffs, drift = compare(reference, snapshot(db))
    summary.differences.extend(f"campaign {summary.campaigns}: {d}" for d in diffs)
    summary.learned_drift.extend(f"campaign {summary.campaigns}: {d}" for d in drift)
    verdict = "; ".join(diffs + drift) or "identical to the clean run"
    log(f"campaign {summary.campaigns}: {kills} kills, {verdict}")


def run(workdir: Path, *, articles: int = 40, kills: int = 20, batch_size: int = 4, seed: int = 0,
        corpus_source: Path = DEFAULT_CORPUS, log: Log = print) -> Summary:
    """The whole test in ``workdir`` (a scratch folder); see the module docstring."""
    workdir.mkdir(parents=True, exist_ok=True)
    freeze_code(workdir)
    corpus = cut_corpus(workdir / "corpus.jsonl", articles, corpus_source)
    rng = random.Random(seed)
    summary = Summary()
    clean_db = workdir / "clean.duckdb"
    for suffix in ("", ".wal"):
        Path(str(clean_db) + suffix).unlink(missing_ok=True)
    summary.clean_run_s, commits = run_to_completion(corpus, clean_db, batch_size, workdir)
    summary.first_batch_s = max(0.6, first_batch_at(commits, summary.clean_run_s))
    summary.clean_commits = len(commits)
    reference = snapshot(clean_db)
    summary.articles = len(reference["article_ids"])
    summary.reference_events = len(reference["events"])
    log(f"clean run: {summary.articles} articles, {summary.reference_events} events in {summary.clean_run_s:.1f} s, "
        f"first batch committed after {summary.first_batch_s:.1f} s")
    while summary.kills < kills and not summary.differences:
        campaign(corpus, workdir / "killed.duckdb", batch_size, workdir, rng, summary, reference,
                 kills - summary.kills, log)
    return summary


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, default=40)
    ap.add_argument("--kills", type=int, default=20)
    ap.add_argument("--batch-size", type=int, default=4)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--workdir", type=Path, default=None, help="scratch folder (default: a new temp dir)")
    args = ap.parse_args()
    import tempfile

    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="kronika-kill-"))
    summary = run(workdir, articles=args.articles, kills=args.kills, batch_size=args.batch_size, seed=args.seed,
                  corpus_source=args.corpus, log=lambda s: print(s, flush=True))
    print(json.dumps({**asdict(summary), "ok": summary.ok}, indent=2))
    sys.exit(0 if summary.ok else 1)


if __name__ == "__main__":
    main()
