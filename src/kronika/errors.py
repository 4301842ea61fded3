"""Errors Kronika raises, each with a stable code that says what went wrong and what to do.

::

    KronikaError            K000  base; the CLI turns any of these into a clean exit
    ├── ConfigError         K0xx  bad settings, options or data files
    ├── IngestError         K1xx  a record or file that cannot be read (per record: skipped)
    ├── NlpError            K2xx  the language model is missing or failed
    ├── CodingError         K3xx  an extraction stage failed on an article
    ├── StoreError          K4xx  the database cannot be opened, migrated or written; the API's
    │                             HTTP refusals
    └── QueryError          K5xx  a query with impossible parameters

Every code is registered once, in ``CODES`` below: its family class, its one-line meaning
and where it is raised. ``docs/errors.md`` is generated from it (``python -m
kronika.cli.refdocs errors``), and a test checks that every ``"Knnn"`` literal in the
package is registered and every registered code is still used.

Library code raises these and never prints or exits; the CLI reports them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType


class KronikaError(Exception):
    """Any error Kronika raises on purpose (an unexpected one in the API is answered as K000)."""

    code = "K000"

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        if code:
            self.code = code

    def __str__(self) -> str:
        return f"[{self.code}] {self.args[0]}"


class ConfigError(KronikaError):
    """Bad settings, command options, or data files (packaged or the user's)."""

    code = "K001"


class IngestError(KronikaError):
    """A record or file that cannot be read; per record it is skipped and listed."""

    code = "K101"


class NlpError(KronikaError):
    """The language model is missing or failed."""

    code = "K201"


class CodingError(KronikaError):
    """An extraction stage failed on one article; the article is skipped."""

    code = "K301"


class StoreError(KronikaError):
    """The store cannot be opened, migrated, read or written; the API's refusals."""

    code = "K401"


class QueryError(KronikaError):
    """A query (CLI, Python or HTTP) with impossible parameters."""

    code = "K501"


# The families, in code order (the classes other modules derive, e.g. ``StoreBusy``, keep
# their family's first digit).
FAMILIES: tuple[type[KronikaError], ...] = (
    KronikaError, ConfigError, IngestError, NlpError, CodingError, StoreError, QueryError)


@dataclass(frozen=True)
class Code:
    """One registered code: its family class, what it means, where it is raised (modules
    under ``src/kronika``)."""

    kind: type[KronikaError]
    meaning: str
    where: str


def _codes(*rows: tuple[str, type[KronikaError], str, str]) -> Mapping[str, Code]:
    return MappingProxyType({code: Code(kind, meaning, where) for code, kind, meaning, where in rows})


CODES: Mapping[str, Code] = _codes(
    ("K000", KronikaError, "an unexpected error; the API answers HTTP 500 and logs the traceback",
     "errors.py, api/app.py"),
    ("K001", ConfigError, "a bad command-line setting: `--token` with `--token-file`, a token file "
     "unreadable or empty", "api/server.py, cli/serve_cmd.py"),
    ("K002", ConfigError, "a setting of the wrong type or out of range (`batch_size` < 1, "
     "`events_coder` not learned/rules, a negative cluster window …)", "config.py, store/clustering.py"),
    ("K003", ConfigError, "the settings file cannot be read or is not TOML", "config.py"),
    ("K004", ConfigError, "an unknown setting in `kronika.toml`, a `KRONIKA_*` variable or "
     "`Settings(...)`; the message names the nearest valid one", "config.py"),
    ("K005", ConfigError, "Dask is not installed (`kronika ingest --dask`): `pip install 'kronika[dask]'`",
     "jobs/dask.py"),
    ("K006", ConfigError, "a bad option or gold input: `--every` not like 30s/15m/2h/1d, no `.tml` "
     "files, unreadable geoparsing XML", "jobs/watch.py, cli/evaluate_timex.py, cli/evaluate_geo.py"),
    ("K007", ConfigError, "the folder `kronika watch` should watch does not exist", "jobs/watch.py"),
    ("K010", ConfigError, "a packaged data file cannot be read (a broken install)", "resources.py"),
    ("K011", ConfigError, "a packaged data file is not valid YAML", "resources.py"),
    ("K012", ConfigError, "a dictionary or lexicon (actors, verbs, events lexicon, time word lists) "
     "is unreadable or malformed; the message names the entry",
     "actors/dictionary.py, events/lexicon.py, events/petrarch.py, time/lexicon.py"),
    ("K013", ConfigError, "a model or PETRARCH dictionary cannot be loaded (the event model missing or "
     "not matching its features)", "events/classifier.py, events/coder.py, actors/petrarch.py, "
     "actors/evaluate_petrarch.py"),
    ("K014", ConfigError, "training data or a training recipe is invalid (`kronika train events`)",
     "train/sources.py, train/events.py"),
    ("K020", ConfigError, "a gold file for `kronika evaluate events` cannot be read or is of no known kind",
     "evaluate/events.py"),
    ("K100", IngestError, "a path to read does not exist (before anything is read)",
     "ingest/dispatch.py, cli/core.py"),
    ("K101", IngestError, "a malformed record: a bad JSON line, CSV row or header, a field of the wrong type",
     "ingest/records.py, model.py"),
    ("K102", IngestError, "TimeML that cannot be read or has no `<TEXT>` or usable DCT",
     "timeml.py, ingest/dispatch.py"),
    ("K103", IngestError, "a missing, relative, unreadable or impossible date, or one outside "
     "0100-01-01..9899-12-31", "ingest/records.py"),
    ("K104", IngestError, "empty text (an empty file or stdin)", "ingest/records.py"),
    ("K105", IngestError, "an article over `max_article_chars`, or a file over `max_file_bytes` / "
     "`max_decompressed_bytes` (refused before it is read)", "ingest/records.py"),
    ("K106", IngestError, "undecodable bytes or binary junk given as text", "ingest/records.py"),
    ("K107", IngestError, "an unreadable file, a broken gzip, a failed download", "ingest/records.py"),
    ("K108", IngestError, "a feed or HTML page that is not well-formed or has no main text",
     "ingest/records.py"),
    ("K109", IngestError, "a symlink in a walked folder that leads outside it (or dangles, or loops)",
     "ingest/records.py"),
    ("K201", NlpError, "the spaCy model cannot be loaded", "errors.py, nlp/parser.py"),
    ("K301", CodingError, "an extraction stage raised on this article (a bug: report it with the article)",
     "pipeline.py, api/ingest.py"),
    ("K302", CodingError, "the article took longer than `article_timeout_s` and was stopped", "pipeline.py"),
    ("K401", StoreError, "the file is not a Kronika database, or it is damaged (truncated, overwritten)",
     "store/db.py"),
    ("K402", StoreError, "another process holds the store for writing", "store/db.py, store/access.py"),
    ("K403", StoreError, "no store at the path (read commands, `kronika recluster`): ingest first or pass `--db`",
     "store/db.py, cli/export_cmd.py"),
    ("K404", StoreError, "a schema migration failed (rolled back; the file is unchanged)", "store/db.py"),
    ("K405", StoreError, "a query failed inside DuckDB", "store/db.py"),
    ("K406", StoreError, "a write on a store opened read-only", "store/db.py"),
    ("K407", StoreError, "a batch (or one article of it) could not be written; nothing of it was kept",
     "store/db.py, run/loop.py"),
    ("K408", StoreError, "an unknown export format, or an export target or filter that format cannot take",
     "store/exchange.py, exports/__init__.py"),
    ("K409", StoreError, "an import failed (rolled back): not a complete Kronika export, or a bad row",
     "store/exchange.py, store/eventcsv.py"),
    ("K410", StoreError, "(API) the store is busy: another process is writing; HTTP 503 + Retry-After",
     "store/access.py"),
    ("K411", StoreError, "(API) no store yet; HTTP 404", "store/access.py"),
    ("K412", StoreError, "compacting the store failed; nothing changed", "store/db.py"),
    ("K413", StoreError, "(`kronika serve`) more than `api.max_requests` requests in progress; HTTP 503 "
     "+ Retry-After", "api/server.py"),
    ("K420", StoreError, "(API) HTTP 401: a missing or wrong bearer token", "api/app.py"),
    ("K421", StoreError, "(API) HTTP 403: a write to a read-only server (no token configured)", "api/app.py"),
    ("K422", StoreError, "(API) HTTP 404: no such route or file", "api/app.py"),
    ("K423", StoreError, "(API) HTTP 405: method not allowed", "api/app.py"),
    ("K424", StoreError, "(API) HTTP 413: more than `api.max_articles` articles in one request", "api/app.py"),
    ("K425", StoreError, "(API) HTTP 504: a query ran past `api.query_timeout_s`", "api/app.py"),
    ("K426", StoreError, "(API) HTTP 503: the server was started without a pipeline", "api/app.py"),
    ("K427", StoreError, "(API) HTTP 413: a request body over `api.max_body_bytes`", "api/app.py"),
    ("K501", QueryError, "a query with impossible parameters (the family's default)", "errors.py"),
    ("K502", QueryError, "a negative limit or offset; `top` < 1", "query/filters.py, exports/graph.py"),
    ("K503", QueryError, "a date that is not YYYY, YYYY-MM or YYYY-MM-DD, or `since` after `until`",
     "query/filters.py, api/params.py"),
    ("K504", QueryError, "a `bbox` that is not four decimals inside the world, or south above north",
     "query/filters.py, api/params.py"),
    ("K505", QueryError, "a `dyad` without exactly two actors", "query/filters.py, api/params.py"),
    ("K506", QueryError, "an unknown `interval`", "query/aggregates.py"),
    ("K507", QueryError, "an unknown `level`", "query/aggregates.py"),
    ("K508", QueryError, "a number that is not plain ASCII digits or is out of range", "numbers.py"),
    ("K509", QueryError, "any other malformed parameter (HTTP 422)", "api/params.py, api/app.py"),
    ("K510", QueryError, "no such article (HTTP 404)", "query/errors.py, query/events.py"),
    ("K511", QueryError, "no such cluster (HTTP 404)", "query/clusters.py"),
    ("K512", QueryError, "no such event (HTTP 404)", "query/events.py"),
    ("K513", QueryError, "a `type`, `status`, `quad_class` or `count` value that does not exist",
     "query/filters.py, query/clusters.py"),
    ("K514", QueryError, "an actor no knowledge-base entry and no stored event names; the message "
     "lists the nearest names", "query/lookup.py"),
    ("K515", QueryError, "a three-letter code that is no ISO 3166-1 alpha-3 country nor a stored name",
     "query/lookup.py"),
)
