"""The event store: one DuckDB file, one writer, many readers.

Lock protocol
-------------
DuckDB lets exactly one *process* open a database file for writing, and while it does,
no other process can open the file at all; any number of processes may open it
``read_only`` when no writer holds it. How Kronika lives with that — writers that hold
the file only for one batch, their write intent, the API's readers stepping aside — is
in one module, ``kronika.store.access`` (with the ``Writer`` protocol ``Store``
implements). Here: a reader that meets a writer gets ``StoreError`` K402 saying so, and
within one process one ``Store`` is shared between threads: every query runs on its own
cursor (``con.cursor()``), which DuckDB makes safe for concurrent readers, while writes
are serialised by the single write connection and a lock.

Writes are transactional per batch: ``write_batch`` commits every article of the batch,
with all its mentions and events, or none of them, so a crash never leaves half an
article; articles already stored are skipped, so re-ingest is a no-op.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from kronika.config import Settings
from kronika.errors import StoreError
from kronika.model import Analysis, IngestProblem
from kronika.store import clustering, keys
from kronika.store.migrations import LEARNED_ACTORS_SQL, migrate
from kronika.store.rows import (
    ACTOR_COLUMNS,
    ARTICLE_COLUMNS,
    EVENT_ACTOR_COLUMNS,
    EVENT_COLUMNS,
    PLACE_COLUMNS,
    PROBLEM_COLUMNS,
    SENTENCE_COLUMNS,
    TIMEX_COLUMNS,
    Columns,
    Row,
    article_row,
    event_actor_rows,
    event_row,
    insert_rows,
    mention_rows,
    now_utc,
)

# The physical order ``compact`` gives ``events`` (and ``synthetic.generate`` inserts in).
COMPACT_ORDER = "ORDER BY date_start NULLS FIRST, date_end, article_id, sentence, event_id"

_MENTION_TABLES: tuple[tuple[str, Columns], ...] = (
    ("sentences", SENTENCE_COLUMNS), ("actor_mentions", ACTOR_COLUMNS),
    ("places", PLACE_COLUMNS), ("timexes", TIMEX_COLUMNS),
)


@dataclass(frozen=True)
class BatchResult:
    """What one ``write_batch`` did."""

    articles_written: int = 0
    articles_skipped: int = 0
    events_written: int = 0
    problems: int = 0


@dataclass
class _Batch:
    """Rows of one write, collected before the transaction opens."""

    articles: list[Row] = field(default_factory=list)
    mentions: dict[str, list[Row]] = field(default_factory=dict)
    events: list[Row] = field(default_factory=list)
    event_actors: list[Row] = field(default_factory=list)


class Store:
    """A Kronika database file. Writable unless ``read_only``; a context manager."""

    def __init__(self, path: Path | str, *, read_only: bool = False,
                 cluster_rule: clustering.ClusterRule = clustering.DEFAULT_RULE) -> None:
        self.path = Path(path)
        self.read_only = read_only
        self.cluster_rule = cluster_rule  # how stored events join clusters (Settings.cluster_*)
        self._lock = threading.Lock()
        self._cursors_lock = threading.Lock()
        self._cursors: set[duckdb.DuckDBPyConnection] = set()
        self._columns: dict[tuple[str, str], bool] = {}
        if read_only and not self.path.exists():
            raise no_store(self.path)
        if not read_only:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self._con = duckdb.connect(str(self.path), read_only=read_only)
        except duckdb.Error as exc:
            raise _open_error(self.path, exc) from exc
        if not read_only:
            try:
                migrate(self._con)
            except duckdb.Error as exc:
                self._con.close()
                raise store_error(self.path, exc, f"migrating {self.path}", code="K404") from exc

    @classmethod
    def from_settings(cls, settings: Settings, *, read_only: bool = False) -> Store:
        """The store at ``settings.db_path``, clustering by ``settings``' rule."""
        return cls(settings.db_path, read_only=read_only,
                   cluster_rule=clustering.ClusterRule.from_settings(settings))

    # ------------------------------------------------------------------ lifecycle

    def close(self) -> None:
        self._con.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def con(self) -> duckdb.DuckDBPyConnection:
        """The underlying connection, for ad-hoc SQL in tests and tools (not thread-safe:
        library code uses ``fetch``/``cursor``)."""
        return self._con

    # ------------------------------------------------------------------ reading

    @contextmanager
    def cursor(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A private cursor for one query (safe to use from several threads)."""
        cur = self._con.cursor()
        with self._cursors_lock:
            self._cursors.add(cur)
        try:
            yield cur
        finally:
            with self._cursors_lock:
                self._cursors.discard(cur)
            cur.close()

    def interrupt(self) -> None:
        """Stop the queries running now (the API's time limit calls this)."""
        with self._cursors_lock:
            running = list(self._cursors)
        for cur in running:
            cur.interrupt()

    def fetch(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        """Rows of a parameterised query as dicts keyed by column name."""
        with self.cursor() as cur:
            try:
                res = cur.execute(sql, list(params))
                names = [d[0] for d in res.description]
                return [dict(zip(names, row, strict=True)) for row in res.fetchall()]
            except duckdb.Error as exc:
                raise store_error(self.path, exc, "query") from exc

    def fetch_tuples(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        with self.cursor() as cur:
            try:
                return cur.execute(sql, list(params)).fetchall()
            except duckdb.Error as exc:
                raise store_error(self.path, exc, "query") from exc

    def scalar(self, sql: str, params: Sequence[Any] = ()) -> Any:
        rows = self.fetch_tuples(sql, params)
        return rows[0][0] if rows else None

    def actor_key_forms(self, values: Sequence[str]) -> dict[str, frozenset[tuple[str, str]]] | None:
        """Under which (side, form) each actor value occurs in the store, so an actor filter
        tests only those columns (``kronika.store.keys``); None for a store opened read-only
        before migration 0006 created the directory, where every form must be tried."""
        try:
            with self.cursor() as cur:
                return keys.forms_of(cur, values)
        except duckdb.CatalogException:
            return None
        except duckdb.Error as exc:
            raise store_error(self.path, exc, "query") from exc

    def known_article_ids(self, ids: Iterable[str]) -> set[str]:
        """Which of ``ids`` are already stored (one indexed look-up for the lot)."""
        wanted = list(dict.fromkeys(ids))
        if not wanted:
            return set()
        rows = self.fetch_tuples(
            "SELECT id FROM articles WHERE id IN (SELECT unnest($1::VARCHAR[]))", [wanted]
        )
        return {r[0] for r in rows}

    def stored_articles(self, ids: Iterable[str]) -> dict[str, tuple[str | None, str | None]]:
        """``{article id: (doc_id, origin)}`` for those of ``ids`` already stored (one indexed
        look-up): the run layer's skip test, plus what a duplicate's message names."""
        wanted = list(dict.fromkeys(ids))
        if not wanted:
            return {}
        rows = self.fetch_tuples(
            "SELECT id, doc_id, origin FROM articles WHERE id IN (SELECT unnest($1::VARCHAR[]))", [wanted]
        )
        return {r[0]: (r[1], r[2]) for r in rows}

    def has_column(self, table: str, column: str) -> bool:
        """Whether ``table`` has ``column``: a store written by an older Kronika and opened
        read-only is never migrated, and its readers select what it holds."""
        key = (table, column)
        if key not in self._columns:
            self._columns[key] = bool(self.scalar(
                "SELECT count(*) FROM information_schema.columns "
                "WHERE table_schema = 'main' AND table_name = ? AND column_name = ?",
                [table, column]))
        return self._columns[key]

    def migrations(self) -> list[str]:
        return [r[0] for r in self.fetch_tuples("SELECT name FROM schema_migrations ORDER BY name")]

    # ------------------------------------------------------------------ writing

    @contextmanager
    def transaction(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """One write transaction on the writer connection: all or nothing."""
        if self.read_only:
            raise StoreError(f"{self.path} is open read-only; writes need a writable Store", code="K406")
        with self._lock:
            self._con.execute("BEGIN TRANSACTION")
            try:
                yield self._con
            except BaseException:
                self._con.execute("ROLLBACK")
                raise
            self._con.execute("COMMIT")

    def write_batch(
        self, analyses: Sequence[Analysis], problems: Sequence[IngestProblem] = ()
    ) -> BatchResult:
        """Store new articles with all their mentions and events in ONE transaction.

        Articles already stored (or repeated within the batch) are skipped; on any
        failure nothing of the batch is kept and ``StoreError`` says why.
        """
        try:
            with self.transaction() as con:
                fresh, skipped = self._fresh(con, analyses)
                batch = _collect(fresh)
                events = clustering.assign(con, batch.events, self.cluster_rule)
                insert_rows(con, "articles", ARTICLE_COLUMNS, batch.articles)
                for table, columns in _MENTION_TABLES:
                    insert_rows(con, table, columns, batch.mentions[table])
                insert_rows(con, "events", EVENT_COLUMNS, events)
                insert_rows(con, "event_actors", EVENT_ACTOR_COLUMNS, batch.event_actors)
                keys.add(con, keys.rows_for(events, batch.event_actors))
                _insert_problems(con, problems)
        except StoreError:
            raise
        except Exception as exc:  # any failure: the transaction was rolled back
            raise StoreError(f"batch not written (nothing of it was kept): {exc}", code="K407") from exc
        return BatchResult(
            articles_written=len(fresh), articles_skipped=skipped,
            events_written=len(events), problems=len(problems),
        )

    def recluster(self, rule: clustering.ClusterRule | None = None) -> int:
        """Redo every event's cluster under ``rule`` (default: this store's rule) in one
        transaction; returns the number of clusters. See ``clustering.recluster``."""
        with self.transaction() as con:
            return clustering.recluster(con, rule or self.cluster_rule)

    def record_problems(self, problems: Sequence[IngestProblem]) -> int:
        """Store records that could not be ingested (``ingest_errors``)."""
        try:
            with self.transaction() as con:
                return _insert_problems(con, problems)
        except duckdb.Error as exc:
            raise StoreError(f"problems not recorded: {exc}", code="K407") from exc

    def _fresh(
        self, con: duckdb.DuckDBPyConnection, analyses: Sequence[Analysis]
    ) -> tuple[list[Analysis], int]:
        ids = list(dict.fromkeys(a.article.id for a in analyses))
        known: set[str] = set()
        if ids:
            rows = con.execute("SELECT id FROM articles WHERE id IN (SELECT unnest($1::VARCHAR[]))", [ids])
            known = {r[0] for r in rows.fetchall()}
        fresh: list[Analysis] = []
        for a in analyses:
            if a.article.id not in known:
                known.add(a.article.id)
                fresh.append(a)
        return fresh, len(analyses) - len(fresh)

    # ------------------------------------------------------------------ maintenance

    def compact(self) -> int:
        """Rewrite ``events`` in event-date order; returns the number of events.

        Why: DuckDB skips row groups by their min/max (zone maps), and its top-N and
        aggregates touch far fewer of them when rows sharing a date, and so a cluster,
        sit together. Ingest appends in arrival order, so bulk loads leave the table
        shuffled; on 1M events compacting makes the newest-first page ~8x and the
        cluster ranking ~5x faster. The table is rebuilt from its own DDL (keeping the
        primary key) and its indexes re-created, in one transaction: readers see the
        old table or the new one. Run it after bulk loads, not per batch (it rewrites
        everything: ~20 s per million events on two cores).
        """
        try:
            with self.transaction() as con:
                ddl = con.execute(
                    "SELECT sql FROM duckdb_tables() WHERE table_name = 'events' AND schema_name = 'main'"
                ).fetchone()[0]
                indexes = [r[0] for r in con.execute(
                    "SELECT sql FROM duckdb_indexes() WHERE table_name = 'events' AND schema_name = 'main'"
                ).fetchall()]
                con.execute("DROP TABLE IF EXISTS events_compacting")
                con.execute(ddl.replace("CREATE TABLE events", "CREATE TABLE events_compacting", 1))
                con.execute(f"INSERT INTO events_compacting SELECT * FROM events {COMPACT_ORDER}")
                con.execute("DROP TABLE events")
                con.execute("ALTER TABLE events_compacting RENAME TO events")
                for sql in indexes:
                    con.execute(sql)
                n = con.execute("SELECT count(*) FROM events").fetchone()[0]
            self._con.execute("CHECKPOINT")
        except duckdb.Error as exc:
            raise StoreError(f"compacting {self.path} failed (nothing changed): {exc}", code="K412") from exc
        return int(n)

    # ------------------------------------------------------------------ derived data

    def learned_actor_rows(self) -> list[dict[str, Any]]:
        """People the corpus itself introduced ("Russian Foreign Minister Sergey Lavrov"):
        person mentions resolved by an appositive or a title, grouped, with the article
        dates (ISO strings) they were first and last seen and how often. Live: what the
        store holds now (ingest jobs use ``learned_snapshot`` instead)."""
        return self.fetch(LEARNED_ACTORS_SQL)

    def learned_snapshot(self) -> tuple[int, list[dict[str, Any]]]:
        """(snapshot id, rows) of the frozen learned-actor index that ingest jobs use.

        Why frozen: an index that grew with every batch (or was reloaded at every job
        start) would code an article differently depending on where a crash cut the job.
        The snapshot changes only in ``refresh_learned``, which a job calls once it has
        read all of its input; a killed job never refreshes, so its resumption sees the
        same snapshot it did. Learning therefore applies from the next completed job on.
        """
        sid = self.scalar("SELECT max(id) FROM learned_snapshots") or 0
        rows = self.fetch("SELECT * FROM learned_actors ORDER BY entity, first_seen, country, role")
        return int(sid), rows

    def learned_snapshot_id(self) -> int:
        """The id of the frozen learned-actor snapshot (0: none yet); cheap, so a long-lived
        runner (``watch``, the API) can tell when to rebuild its learned index."""
        return int(self.scalar("SELECT coalesce(max(id), 0) FROM learned_snapshots") or 0)

    def refresh_learned(self) -> int:
        """Recompute the learned-actor snapshot from the stored mentions (one transaction);
        returns the new snapshot id. Unchanged content keeps the old id."""
        try:
            with self.transaction() as con:
                old = con.execute("SELECT * FROM learned_actors ORDER BY ALL").fetchall()
                new = con.execute(f"SELECT * FROM ({LEARNED_ACTORS_SQL}) ORDER BY ALL").fetchall()
                sid = con.execute("SELECT coalesce(max(id), 0) FROM learned_snapshots").fetchone()[0]
                if old == new and sid:
                    return int(sid)
                con.execute("DELETE FROM learned_actors")
                con.execute(f"INSERT INTO learned_actors {LEARNED_ACTORS_SQL}")
                con.execute(
                    "INSERT INTO learned_snapshots SELECT $1, now()::TIMESTAMP, "
                    "(SELECT count(*) FROM articles), (SELECT count(*) FROM learned_actors)",
                    [sid + 1],
                )
                return int(sid) + 1
        except duckdb.Error as exc:
            raise StoreError(f"learned actors not refreshed: {exc}", code="K407") from exc

    def export(self, fmt: str, dest: Path | str) -> list[Path]:
        """Back the whole store up into the folder ``dest`` as parquet|jsonl (every table);
        the analyst formats (csv, plover, gexf, geojson) are ``kronika.exports.export``."""
        from kronika.store.exchange import export

        return export(self, fmt, Path(dest))

    def import_parquet(self, folder: Path | str) -> BatchResult:
        """Add the articles of a parquet (or jsonl) export that this store lacks (and their rows)."""
        from kronika.store.exchange import import_export

        return import_export(self, Path(folder))

    def import_export(self, folder: Path | str) -> BatchResult:
        """Restore from a ``kronika export`` (a parquet, jsonl or csv folder, or an events
        CSV file): see ``exchange``."""
        from kronika.store.exchange import import_export

        return import_export(self, Path(folder))


# What DuckDB says when the file itself is damaged (truncated, overwritten, not DuckDB).
_DAMAGED = re.compile(
    r"corrupt|checksum|could not read enough bytes|not a valid duckdb database|"
    r"failed to read|unable to read|invalid block|serialization error", re.I)
_LOCKED = re.compile(r"\block\b|conflicting lock|different configuration", re.I)


def damaged(exc: BaseException) -> bool:
    """True when ``exc`` says the database file is damaged (not a bad query, not a lock)."""
    return bool(_DAMAGED.search(str(exc)))


def no_store(path: Path | str) -> StoreError:
    """K403: nothing at ``path`` to read (or to rewrite in place, ``kronika recluster``)."""
    return StoreError(f"no Kronika database at {path}: run `kronika ingest` first or pass --db", code="K403")


def store_error(path: Path, exc: BaseException, doing: str, code: str = "K405") -> StoreError:
    """The coded error for a DuckDB failure while ``doing`` something: K401 when the file
    is damaged (every command says the same thing, whatever it was doing), else ``code``."""
    if damaged(exc):
        return StoreError(
            f"{doing} failed: {path.name} is damaged (truncated or corrupted): {exc}. "
            "Restore it from a backup (`kronika export` → `kronika import`) or re-ingest",
            code="K401",
        )
    return StoreError(f"{doing} failed: {exc}", code=code)


def _open_error(path: Path, exc: duckdb.Error) -> StoreError:
    text = str(exc)
    if _LOCKED.search(text) and not damaged(exc):
        return StoreError(
            f"cannot open {path}: {text}. A writer holds it (another process, or this one "
            "with a writable Store); readers must wait until the writer closes it",
            code="K402",
        )
    return store_error(path, exc, f"opening {path} as a Kronika database", code="K401")


def _collect(analyses: Sequence[Analysis]) -> _Batch:
    at = now_utc()
    batch = _Batch(mentions={table: [] for table, _ in _MENTION_TABLES})
    seen_events: set[str] = set()
    for a in analyses:
        batch.articles.append(article_row(a, at))
        for table, rows in mention_rows(a).items():
            batch.mentions[table].extend(rows)
        for e in a.events:
            if e.event_id in seen_events:  # a coder emitting one event twice must not sink the batch
                continue
            seen_events.add(e.event_id)
            batch.events.append(event_row(e))
            batch.event_actors.extend(event_actor_rows(e))
    return batch


def _insert_problems(con: duckdb.DuckDBPyConnection, problems: Sequence[IngestProblem]) -> int:
    """Record ``problems`` keyed by (origin, reason, code): a problem already stored is
    replaced (its ``at`` becomes now), so re-ingesting the same bad input is idempotent."""
    keys = list(dict.fromkeys((p.origin, p.reason, p.code) for p in problems))
    if not keys:
        return 0
    origins, reasons, codes = (list(col) for col in zip(*keys, strict=True))
    con.execute(
        """DELETE FROM ingest_errors e USING (
               SELECT unnest($1::VARCHAR[]) AS origin, unnest($2::VARCHAR[]) AS reason,
                      unnest($3::VARCHAR[]) AS code) k
           WHERE e.origin IS NOT DISTINCT FROM k.origin AND e.reason IS NOT DISTINCT FROM k.reason
             AND e.code IS NOT DISTINCT FROM k.code""",
        [origins, reasons, codes],
    )
    at = now_utc()
    return insert_rows(con, "ingest_errors", PROBLEM_COLUMNS, [(*k, at) for k in keys])
