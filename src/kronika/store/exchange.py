"""Export a store to files (Parquet, CSV, JSON lines, PLOVER records) and import Parquet.

Why DuckDB's own ``COPY``: it streams each table straight to the file in its native
format (no pandas, no Arrow in Python), so a multi-million-event store exports in
seconds with flat memory. The ``plover`` format is the event record contract of
DESIGN.md (plus ``cluster_id``/``article_date``), one JSON object per line.

Import is the other half of scale-out: workers write Parquet, one writer imports it.
Only articles the store lacks are added (with their rows), so importing twice is a
no-op; imported events are re-clustered against what the store already holds.
"""

from __future__ import annotations

import json
from pathlib import Path

import duckdb

from kronika.errors import StoreError
from kronika.store import clustering
from kronika.store.db import BatchResult, Store
from kronika.store.rows import EVENT_COLUMNS, insert_rows

TABLES: tuple[str, ...] = (
    "articles", "sentences", "actor_mentions", "places", "timexes", "events", "event_actors",
    "ingest_errors",
)
FORMATS: tuple[str, ...] = ("parquet", "csv", "jsonl", "plover")
_COPY_OPTIONS = {"parquet": "(FORMAT parquet)", "csv": "(FORMAT csv, HEADER true)", "jsonl": "(FORMAT json)"}
_SUFFIX = {"parquet": "parquet", "csv": "csv", "jsonl": "jsonl"}
_PLOVER_CHUNK = 50_000


def export(store: Store, fmt: str, dest: Path) -> list[Path]:
    """Write every table (or, for ``plover``, the event records) under ``dest``."""
    if fmt not in FORMATS:
        raise StoreError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}", code="K408")
    dest.mkdir(parents=True, exist_ok=True)
    if fmt == "plover":
        return [_export_plover(store, dest / "events.plover.jsonl")]
    out: list[Path] = []
    for table in TABLES:
        path = dest / f"{table}.{_SUFFIX[fmt]}"
        with store.cursor() as cur:
            # The path is a literal in COPY (DuckDB cannot bind it); quote it safely.
            cur.execute(f"COPY {table} TO {_literal(path)} {_COPY_OPTIONS[fmt]}")
        out.append(path)
    return out


def _export_plover(store: Store, path: Path) -> Path:
    from kronika.query import EventFilter, iter_event_records

    with path.open("w", encoding="utf-8") as fh:
        for record in iter_event_records(store, EventFilter(), chunk=_PLOVER_CHUNK):
            fh.write(json.dumps(record, ensure_ascii=False, default=str) + "\n")
    return path


def _literal(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def import_parquet(store: Store, folder: Path) -> BatchResult:
    """Add what a Parquet export holds and this store lacks, in one transaction."""
    files = {t: folder / f"{t}.parquet" for t in TABLES}
    missing = [str(p) for t, p in files.items() if t != "ingest_errors" and not p.exists()]
    if missing:
        raise StoreError(f"not a Kronika parquet export, missing: {', '.join(missing)}", code="K409")
    try:
        with store.transaction() as con:
            result = _import(con, files)
    except StoreError:
        raise
    except Exception as exc:
        raise StoreError(f"import from {folder} failed (nothing was kept): {exc}", code="K409") from exc
    if result.events_written:
        store.compact()  # a bulk load: put events back in date order (see Store.compact)
    return result


def _import(con: duckdb.DuckDBPyConnection, files: dict[str, Path]) -> BatchResult:
    src = {t: _literal(p) for t, p in files.items()}
    con.execute("CREATE OR REPLACE TEMP TABLE _import_ids AS "
                f"SELECT id FROM read_parquet({src['articles']}) "
                "WHERE id NOT IN (SELECT id FROM articles)")
    n_articles = con.execute("SELECT count(*) FROM _import_ids").fetchone()[0]
    n_total = con.execute(f"SELECT count(*) FROM read_parquet({src['articles']})").fetchone()[0]
    con.execute(f"INSERT INTO articles BY NAME SELECT * FROM read_parquet({src['articles']}) "
                "WHERE id IN (SELECT id FROM _import_ids)")
    for table in ("sentences", "actor_mentions", "places", "timexes"):
        con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM read_parquet({src[table]}) "
                    "WHERE article_id IN (SELECT id FROM _import_ids)")
    names = ", ".join(f'"{n}"' for n, _ in EVENT_COLUMNS)
    rows = con.execute(f"SELECT {names} FROM read_parquet({src['events']}) "
                       "WHERE article_id IN (SELECT id FROM _import_ids) "
                       "ORDER BY article_id, sentence, event_id").fetchall()
    cid = len(EVENT_COLUMNS) - 1
    events = clustering.assign(con, [r[:cid] + (None,) + r[cid + 1 :] for r in rows])
    insert_rows(con, "events", EVENT_COLUMNS, events)
    con.execute(f"INSERT INTO event_actors BY NAME SELECT * FROM read_parquet({src['event_actors']}) "
                f"WHERE event_id IN (SELECT event_id FROM read_parquet({src['events']}) "
                "WHERE article_id IN (SELECT id FROM _import_ids))")
    n_problems = 0
    if files["ingest_errors"].exists():
        n_problems = con.execute(
            'INSERT INTO ingest_errors (SELECT origin, reason, code, "at" FROM '
            f"read_parquet({src['ingest_errors']}) "
            'EXCEPT SELECT origin, reason, code, "at" FROM ingest_errors)').fetchone()[0]
    con.execute("DROP TABLE _import_ids")
    return BatchResult(articles_written=n_articles, articles_skipped=n_total - n_articles,
                       events_written=len(events), problems=n_problems)
