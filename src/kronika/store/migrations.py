"""Named schema migrations, recorded in ``schema_migrations`` (name, applied_at).

Why named and recorded: a store written by an older Kronika opens in a newer one and is
upgraded in place, once; ``SELECT * FROM schema_migrations`` tells what a file holds.
A migration is never edited after release: a schema change is a new entry at the end.

Column names ``start``/``end`` are char offsets into ``articles.text`` (``end`` is an SQL
keyword, so it is always written quoted).
"""

from __future__ import annotations

import datetime as dt

import duckdb

_INITIAL = (
    """CREATE TABLE articles (
        id VARCHAR PRIMARY KEY, doc_id VARCHAR, date DATE NOT NULL, title VARCHAR, url VARCHAR,
        source VARCHAR, origin VARCHAR, text VARCHAR NOT NULL, n_sentences INTEGER,
        ingested_at TIMESTAMP)""",
    """CREATE TABLE sentences (
        article_id VARCHAR NOT NULL, idx INTEGER NOT NULL, start INTEGER, "end" INTEGER)""",
    """CREATE TABLE actor_mentions (
        article_id VARCHAR NOT NULL, start INTEGER, "end" INTEGER, text VARCHAR, sentence INTEGER,
        head_token INTEGER, code VARCHAR, country VARCHAR, sector VARCHAR, entity VARCHAR,
        role VARCHAR, kind VARCHAR, how VARCHAR, confidence DOUBLE)""",
    """CREATE TABLE places (
        article_id VARCHAR NOT NULL, start INTEGER, "end" INTEGER, text VARCHAR, sentence INTEGER,
        head_token INTEGER, name VARCHAR, geonameid BIGINT, lat DOUBLE, lon DOUBLE,
        country VARCHAR, feature VARCHAR, admin1 VARCHAR, confidence DOUBLE)""",
    """CREATE TABLE timexes (
        article_id VARCHAR NOT NULL, start INTEGER, "end" INTEGER, text VARCHAR, sentence INTEGER,
        type VARCHAR, value VARCHAR, mod VARCHAR, quant VARCHAR, freq VARCHAR,
        anchor_token INTEGER, rule VARCHAR)""",
    """CREATE TABLE events (
        event_id VARCHAR PRIMARY KEY, article_id VARCHAR NOT NULL, doc_id VARCHAR,
        sentence INTEGER, evidence VARCHAR, evidence_start INTEGER, evidence_end INTEGER,
        type VARCHAR NOT NULL, mode VARCHAR, contexts VARCHAR[], status VARCHAR, cameo VARCHAR,
        quad_class VARCHAR, source JSON, target JSON,
        source_country VARCHAR, target_country VARCHAR, source_actor VARCHAR,
        target_actor VARCHAR, source_text VARCHAR, target_text VARCHAR,
        source_entity VARCHAR, target_entity VARCHAR,
        date_value VARCHAR, date_text VARCHAR, date_origin VARCHAR,
        date_start DATE, date_end DATE,
        location_name VARCHAR, location_geonameid BIGINT, location_lat DOUBLE,
        location_lon DOUBLE, location_country VARCHAR,
        confidence DOUBLE, trigger VARCHAR, trigger_start INTEGER, component VARCHAR,
        cluster_key VARCHAR, cluster_id VARCHAR)""",
    """CREATE TABLE event_actors (
        event_id VARCHAR NOT NULL, side VARCHAR NOT NULL, idx INTEGER NOT NULL, text VARCHAR,
        actor VARCHAR, country VARCHAR, sector VARCHAR, entity VARCHAR, role VARCHAR)""",
    """CREATE TABLE ingest_errors (
        origin VARCHAR, reason VARCHAR, code VARCHAR, "at" TIMESTAMP)""",
)

# ART indexes serve the point look-ups (an article's mentions, a cluster's members);
# dyad and date scans rely on DuckDB's per-row-group min/max zone maps instead.
_INDEXES = (
    "CREATE INDEX sentences_article ON sentences(article_id)",
    "CREATE INDEX actor_mentions_article ON actor_mentions(article_id)",
    "CREATE INDEX places_article ON places(article_id)",
    "CREATE INDEX timexes_article ON timexes(article_id)",
    "CREATE INDEX events_article ON events(article_id)",
    "CREATE INDEX events_cluster ON events(cluster_id)",
    "CREATE INDEX event_actors_event ON event_actors(event_id)",
)

# One row per cross-article cluster: the same meeting reported by 30 outlets is one
# cluster with 30 mentions. A view, so it can never disagree with ``events``.
_CLUSTERS_VIEW = (
    """CREATE VIEW clusters AS
    SELECT e.cluster_id,
           any_value(e.type) AS type,
           mode(e.source_country) AS source_country,
           mode(e.target_country) AS target_country,
           count(*) AS mentions,
           count(DISTINCT e.article_id) AS articles,
           min(a.date) AS first_seen,
           max(a.date) AS last_seen,
           min(e.date_start) AS date_start,
           max(e.date_end) AS date_end,
           mode(e.location_name) AS location,
           list(e.evidence ORDER BY a.date, e.article_id, e.sentence) AS evidence
    FROM events e JOIN articles a ON a.id = e.article_id
    GROUP BY e.cluster_id""",
)

# Problems are keyed by (origin, reason, code) from here on (re-ingest replaces, never
# appends); stores written before keep one row per key.
_DEDUPE_PROBLEMS = (
    """DELETE FROM ingest_errors WHERE rowid NOT IN (
        SELECT max(rowid) FROM ingest_errors GROUP BY origin, reason, code)""",
)

# LEARNED_ACTORS_SQL: people the stored corpus introduced (appositives, titles). Ingest jobs
# read the frozen copy in ``learned_actors`` (refreshed when a job completes), not the live
# query, so a job killed and resumed codes every article as one uninterrupted job does.
LEARNED_ACTORS_SQL = """SELECT m.entity, m.country, m.sector, m.role,
       strftime(min(a.date), '%Y-%m-%d') AS first_seen,
       strftime(max(a.date), '%Y-%m-%d') AS last_seen,
       count(*) AS count
FROM actor_mentions m JOIN articles a ON a.id = m.article_id
WHERE m.kind = 'person' AND m.entity IS NOT NULL
  AND (m.how LIKE 'appositive%' OR m.how LIKE 'title%')
GROUP BY ALL ORDER BY m.entity, first_seen"""

_LEARNED_SNAPSHOT = (
    """CREATE TABLE learned_actors (
        entity VARCHAR, country VARCHAR, sector VARCHAR, role VARCHAR,
        first_seen VARCHAR, last_seen VARCHAR, count BIGINT)""",
    """CREATE TABLE learned_snapshots (
        id INTEGER PRIMARY KEY, taken_at TIMESTAMP, articles BIGINT, people BIGINT)""",
    f"INSERT INTO learned_actors {LEARNED_ACTORS_SQL}",
    """INSERT INTO learned_snapshots SELECT 1, now()::TIMESTAMP,
        (SELECT count(*) FROM articles), (SELECT count(*) FROM learned_actors)""",
)

# The actor-key directory (``kronika.store.keys`` says why), filled from what the store
# holds; written out here rather than generated so that this migration never changes.
_ACTOR_KEYS = (
    "CREATE TABLE actor_keys (side VARCHAR NOT NULL, form VARCHAR NOT NULL, key VARCHAR NOT NULL)",
    """INSERT INTO actor_keys
    SELECT DISTINCT side, form, lower(raw) FROM (
        SELECT 'source' AS side, 'country' AS form, source_country AS raw FROM events
        UNION ALL SELECT 'source', 'actor', source_actor FROM events
        UNION ALL SELECT 'source', 'entity', source_entity FROM events
        UNION ALL SELECT 'source', 'text', source_text FROM events
        UNION ALL SELECT 'target', 'country', target_country FROM events
        UNION ALL SELECT 'target', 'actor', target_actor FROM events
        UNION ALL SELECT 'target', 'entity', target_entity FROM events
        UNION ALL SELECT 'target', 'text', target_text FROM events
        UNION ALL SELECT side, 'member', country FROM event_actors WHERE idx > 0
        UNION ALL SELECT side, 'member', actor FROM event_actors WHERE idx > 0
        UNION ALL SELECT side, 'member', entity FROM event_actors WHERE idx > 0
    ) k WHERE raw IS NOT NULL""",
)

# PLOVER 2021 calls REQUEST what PLOVER 0.5b1 (and Kronika until issue 17) called DEMAND.
# The cluster key's type part is renamed with it, so that new REQUEST events still join the
# stored clusters; event and cluster ids are left as they are (an id never changes once stored).
_PLOVER_2021_REQUEST = (
    """UPDATE events SET type = 'REQUEST',
        cluster_key = CASE WHEN cluster_key LIKE 'DEMAND|%'
                           THEN 'REQUEST' || substr(cluster_key, 7) ELSE cluster_key END
    WHERE type = 'DEMAND'""",
)

# How an event's place is known (``EventPlace.origin``): "text" when its own sentence names it,
# "context" when the article does elsewhere. Events stored before hold NULL: their places were
# all their sentence's own or the dateline's, and read as "text".
_LOCATION_ORIGIN = ("ALTER TABLE events ADD COLUMN location_origin VARCHAR",)

MIGRATIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("0001_initial_tables", _INITIAL),
    ("0002_lookup_indexes", _INDEXES),
    ("0003_clusters_view", _CLUSTERS_VIEW),
    ("0004_dedupe_ingest_errors", _DEDUPE_PROBLEMS),
    ("0005_learned_actor_snapshot", _LEARNED_SNAPSHOT),
    ("0006_actor_keys", _ACTOR_KEYS),
    ("0007_plover_2021_request", _PLOVER_2021_REQUEST),
    ("0008_location_origin", _LOCATION_ORIGIN),
)


def applied(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Names of the migrations a database already holds (empty for a new file)."""
    exists = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'schema_migrations'"
    ).fetchone()
    if not exists or not exists[0]:
        return []
    return [r[0] for r in con.execute("SELECT name FROM schema_migrations ORDER BY name").fetchall()]


def migrate(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Apply the migrations not yet recorded, each in its own transaction; return their names."""
    con.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations (name VARCHAR PRIMARY KEY, applied_at TIMESTAMP)"
    )
    done = set(applied(con))
    ran: list[str] = []
    for name, statements in MIGRATIONS:
        if name in done:
            continue
        con.execute("BEGIN TRANSACTION")
        try:
            for sql in statements:
                con.execute(sql)
            con.execute(
                "INSERT INTO schema_migrations VALUES (?, ?)",
                [name, dt.datetime.now(dt.UTC).replace(tzinfo=None)],
            )
            con.execute("COMMIT")
        except Exception:
            con.execute("ROLLBACK")
            raise
        ran.append(name)
    return ran
