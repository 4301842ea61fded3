"""Compare two Kronika stores table by table, ingest timestamps left out.

    python scripts/compare_stores.py BEFORE.duckdb AFTER.duckdb

Why: a refactor that must keep behaviour (issue 21) is checked by ingesting the same input
before and after and comparing every stored row; only ``articles.ingested_at`` and
``ingest_errors.at`` differ from run to run. Exit status 1 when any table differs.
"""

from __future__ import annotations

import sys

import duckdb

TABLES = ("articles", "events", "event_actors", "actor_mentions", "places", "timexes", "sentences",
          "learned_actors")
TIMESTAMPS = {"ingested_at", "at"}


def rows(con: duckdb.DuckDBPyConnection, table: str) -> list[tuple[object, ...]]:
    cols = [r[0] for r in con.execute(f"DESCRIBE {table}").fetchall() if r[0] not in TIMESTAMPS]
    quoted = ", ".join(f'"{c}"' for c in cols)
    return con.execute(f"SELECT {quoted} FROM {table} ORDER BY ALL").fetchall()


def main(before: str, after: str) -> int:
    a, b = duckdb.connect(before, read_only=True), duckdb.connect(after, read_only=True)
    differ = 0
    for table in TABLES:
        ra, rb = rows(a, table), rows(b, table)
        same = ra == rb
        differ += not same
        sys.stdout.write(f"{table:15s} {len(ra):7d} vs {len(rb):7d} rows  {'identical' if same else 'DIFFERENT'}\n")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
