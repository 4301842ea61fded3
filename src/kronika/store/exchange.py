"""Whole-store backups (Parquet, JSON lines: every table) and reading exports back.

Why DuckDB's own ``COPY``: it streams each table straight to the file in its native
format (no pandas, no Arrow in Python), so a multi-million-event store exports in
seconds with flat memory. The analyst formats (the one events CSV, PLOVER records, GEXF,
GeoJSON) are written by ``kronika.exports`` on the query side: ``store`` never imports
``query`` (issue 21). Reading back stays here, for every format that can be read back:
a Parquet or JSON lines backup folder, a CSV export folder (``events.csv`` in the layout of
``store.eventcsv`` plus ``articles.csv``) or a lone events CSV file.

Import is the other half of scale-out (workers write Parquet, one writer imports it) and
of backups (``kronika export`` → ``kronika import`` restores).
Only articles the store lacks are added (with their rows), so importing twice is a
no-op; imported events are re-clustered against what the store already holds (into an
empty store, the exported clusters are kept as they are).
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from kronika.errors import StoreError
from kronika.model import TYPE_ALIASES
from kronika.store import clustering, eventcsv, keys
from kronika.store.db import BatchResult, Store, store_error
from kronika.store.rows import ARTICLE_COLUMNS, EVENT_ACTOR_COLUMNS, EVENT_COLUMNS, Row, insert_rows

TABLES: tuple[str, ...] = (
    "articles", "sentences", "actor_mentions", "places", "timexes", "events", "event_actors",
    "ingest_errors",
)
FORMATS: tuple[str, ...] = ("parquet", "jsonl")  # whole-store backups; the rest: ``kronika.exports``
_COPY_OPTIONS = {"parquet": "(FORMAT parquet)", "jsonl": "(FORMAT json)"}
_SUFFIX = {"parquet": "parquet", "jsonl": "jsonl"}
_TYPE_IX, _KEY_IX = ([n for n, _ in EVENT_COLUMNS].index(c) for c in ("type", "cluster_key"))


def export(store: Store, fmt: str, dest: Path) -> list[Path]:
    """Write every table under the folder ``dest`` (a backup ``import`` restores)."""
    if fmt not in FORMATS:
        raise StoreError(f"unknown export format {fmt!r} for a store backup ({', '.join(FORMATS)}); "
                         "csv, plover, gexf and geojson are written by kronika.exports.export "
                         "(`kronika export --format ...`)", code="K408")
    dest.mkdir(parents=True, exist_ok=True)
    out: list[Path] = []
    for table in TABLES:
        path = dest / f"{table}.{_SUFFIX[fmt]}"
        with store.cursor() as cur:
            try:  # a damaged store is a coded error (K401), never a traceback
                # The path is a literal in COPY (DuckDB cannot bind it); quote it safely.
                cur.execute(f"COPY {table} TO {_literal(path)} {_COPY_OPTIONS[fmt]}")
            except duckdb.Error as exc:
                raise store_error(store.path, exc, f"exporting {table}") from exc
        out.append(path)
    return out


def _literal(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def import_parquet(store: Store, folder: Path) -> BatchResult:
    """Add what a Parquet (or JSON lines) export holds and this store lacks; see ``import_export``."""
    return import_export(store, folder)


def import_export(store: Store, folder: Path) -> BatchResult:
    """Add what an export (``kronika export --format parquet|jsonl|csv``, a folder, or one
    events CSV file) holds and this store lacks, in one transaction; then compact and
    refresh the learned-actor snapshot, so a restored store behaves like the one that was
    backed up. A CSV export restores articles and events (not the mention tables)."""
    fmt = _export_format(folder)
    try:
        with store.transaction() as con:
            if fmt == "csv":
                result = _import_csv(con, folder, store.cluster_rule)
            else:
                result = _import_tables(con, folder, fmt, store.cluster_rule)
    except StoreError:
        raise
    except Exception as exc:
        raise StoreError(f"import from {folder} failed (nothing was kept): {exc}", code="K409") from exc
    if result.events_written:
        store.compact()  # a bulk load: put events back in date order (see Store.compact)
    if result.articles_written:
        store.refresh_learned()
    return result


def _import_tables(con: duckdb.DuckDBPyConnection, folder: Path, fmt: str,
                   rule: clustering.ClusterRule) -> BatchResult:
    reader = _READERS[fmt]
    files = {t: folder / f"{t}.{_SUFFIX[fmt]}" for t in TABLES}
    missing = [str(p) for t, p in files.items() if t != "ingest_errors" and not p.exists()]
    if missing:
        raise StoreError(f"not a complete Kronika {fmt} export, missing: {', '.join(missing)}", code="K409")
    return _import(con, {t: reader(con, t, p) for t, p in files.items() if p.exists()}, rule)


_CSV_TABLES = ("articles", "events", "event_actors")
_EMPTY_TABLES = ("sentences", "actor_mentions", "places", "timexes")


def _import_csv(con: duckdb.DuckDBPyConnection, path: Path, rule: clustering.ClusterRule) -> BatchResult:
    """Events in the one CSV layout (``store.eventcsv``), with the folder's ``articles.csv``
    when there is one: loaded batch by batch into temporary tables, then added by the same
    ``_import`` as a Parquet backup (new articles only, clustered, actor keys indexed)."""
    events_file = path / "events.csv" if path.is_dir() else path
    src = {t: f"_csv_{t}" for t in (*_CSV_TABLES, *_EMPTY_TABLES)}
    for table in src:  # src: fixed names of this module's tuples
        con.execute(f"CREATE OR REPLACE TEMP TABLE {src[table]} AS SELECT * FROM {table} LIMIT 0")
    con.execute("CREATE OR REPLACE TEMP TABLE _csv_named AS SELECT * FROM articles LIMIT 0")
    articles_file = events_file.with_name("articles.csv")
    if path.is_dir() and articles_file.exists():
        with articles_file.open(encoding="utf-8-sig", newline="") as fh:
            for rows in eventcsv.iter_article_rows(fh, str(articles_file)):
                insert_rows(con, src["articles"], ARTICLE_COLUMNS, rows)
    with events_file.open(encoding="utf-8-sig", newline="") as fh:
        for batch in eventcsv.iter_event_batches(fh, str(events_file)):
            insert_rows(con, src["events"], EVENT_COLUMNS, batch.events)
            insert_rows(con, src["event_actors"], EVENT_ACTOR_COLUMNS, batch.event_actors)
            insert_rows(con, "_csv_named", ARTICLE_COLUMNS, batch.articles)
    # Articles the events name but articles.csv lacks (or a lone events CSV): date and title only.
    con.execute(f"INSERT INTO {src['articles']} SELECT * FROM _csv_named "
                f"WHERE id NOT IN (SELECT id FROM {src['articles']})")
    result = _import(con, src, rule)
    for table in src:
        con.execute(f"DROP TABLE {src[table]}")
    con.execute("DROP TABLE _csv_named")
    return result


def _export_format(folder: Path) -> str:
    if folder.is_file() and folder.suffix.lower() == ".csv":
        return "csv"
    if not folder.is_dir():
        raise StoreError(f"{folder} is not a folder nor a .csv file: import reads what `kronika export` wrote",
                         code="K409")
    for fmt in ("parquet", "jsonl"):
        if (folder / f"articles.{_SUFFIX[fmt]}").exists():
            return fmt
    if (folder / "events.csv").exists():
        return "csv"
    raise StoreError(f"{folder} holds no articles.parquet, articles.jsonl or events.csv: not a Kronika "
                     "parquet export (nor a jsonl or csv one)", code="K409")


def _read_parquet(con: duckdb.DuckDBPyConnection, table: str, path: Path) -> str:
    return f"read_parquet({_literal(path)})"


def _read_jsonl(con: duckdb.DuckDBPyConnection, table: str, path: Path) -> str:
    """JSON lines read with the store's own column types (not guessed from the data)."""
    cols = con.execute(
        "SELECT column_name, data_type FROM information_schema.columns "
        "WHERE table_name = ? AND table_schema = 'main' ORDER BY ordinal_position", [table]).fetchall()
    spec = ", ".join(f"{_literal(name)}: {_literal(typ)}" for name, typ in cols)
    return f"read_json({_literal(path)}, format = 'newline_delimited', columns = {{{spec}}})"


_READERS = {"parquet": _read_parquet, "jsonl": _read_jsonl}


def _current_type(row: Row) -> Row:
    """An exported event row with its PLOVER 2021 type (an export written before the
    DEMAND → REQUEST rename holds DEMAND rows; migration 0007 renames stored ones alike)."""
    old = row[_TYPE_IX]
    new = TYPE_ALIASES.get(old)
    if new is None:
        return row
    out = list(row)
    out[_TYPE_IX] = new
    key = out[_KEY_IX]
    if isinstance(key, str) and key.startswith(f"{old}|"):
        out[_KEY_IX] = new + key[len(old):]
    return tuple(out)


def _import(con: duckdb.DuckDBPyConnection, src: dict[str, str],
            rule: clustering.ClusterRule = clustering.DEFAULT_RULE) -> BatchResult:
    """``src``: table name → a DuckDB table function reading that table's export file;
    imported events join clusters by ``rule`` (the store's, from the settings)."""
    con.execute("CREATE OR REPLACE TEMP TABLE _import_ids AS "
                f"SELECT id FROM {src['articles']} "
                "WHERE id NOT IN (SELECT id FROM articles)")
    n_articles = con.execute("SELECT count(*) FROM _import_ids").fetchone()[0]
    n_total = con.execute(f"SELECT count(*) FROM {src['articles']}").fetchone()[0]
    con.execute(f"INSERT INTO articles BY NAME SELECT * FROM {src['articles']} "
                "WHERE id IN (SELECT id FROM _import_ids)")
    for table in ("sentences", "actor_mentions", "places", "timexes"):
        con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM {src[table]} "
                    "WHERE article_id IN (SELECT id FROM _import_ids)")
    # An export written by an older Kronika lacks the columns added since (a NULL
    # ``location_origin`` reads as "text", what every place then was).
    held = {r[0] for r in con.execute(f"DESCRIBE SELECT * FROM {src['events']}").fetchall()}
    names = ", ".join(f'"{n}"' if n in held else f'NULL AS "{n}"' for n, _ in EVENT_COLUMNS)
    rows = con.execute(f"SELECT {names} FROM {src['events']} "
                       "WHERE article_id IN (SELECT id FROM _import_ids) "
                       "ORDER BY article_id, sentence, event_id").fetchall()
    cid = len(EVENT_COLUMNS) - 1
    if rows and all(r[cid] is not None for r in rows) and not con.execute("SELECT count(*) FROM events").fetchone()[0]:
        # A restore into an empty store keeps the clusters as exported: re-clustering would
        # follow the import's order, not the order the events were first ingested in, and
        # name a few clusters differently.
        events = [_current_type(r) for r in rows]
    else:  # events join what the store holds, by its rule
        events = clustering.assign(con, [_current_type(r[:cid] + (None,) + r[cid + 1 :]) for r in rows], rule)
    insert_rows(con, "events", EVENT_COLUMNS, events)
    con.execute(f"INSERT INTO event_actors BY NAME SELECT * FROM {src['event_actors']} "
                f"WHERE event_id IN (SELECT event_id FROM {src['events']} "
                "WHERE article_id IN (SELECT id FROM _import_ids))")
    con.execute(keys.index_sql(
        events_where="article_id IN (SELECT id FROM _import_ids)",
        actors_where="event_id IN (SELECT event_id FROM events WHERE article_id IN (SELECT id FROM _import_ids))"))
    n_problems = 0
    if "ingest_errors" in src:  # one row per (origin, reason, code), as ``Store`` keeps them
        n_problems = con.execute(
            'INSERT INTO ingest_errors SELECT origin, reason, code, "at" FROM ('
            'SELECT *, row_number() OVER (PARTITION BY origin, reason, code ORDER BY "at" DESC) AS rn '
            f"FROM {src['ingest_errors']}) s WHERE rn = 1 AND NOT EXISTS ("
            "SELECT 1 FROM ingest_errors e WHERE e.origin IS NOT DISTINCT FROM s.origin "
            "AND e.reason IS NOT DISTINCT FROM s.reason AND e.code IS NOT DISTINCT FROM s.code)"
        ).fetchone()[0]
    con.execute("DROP TABLE _import_ids")
    return BatchResult(articles_written=n_articles, articles_skipped=n_total - n_articles,
                       events_written=len(events), problems=n_problems)
