"""Rendering query results as JSON or CSV (``?format=csv``), and event downloads.

Why CSV at all: analysts paste event lists into spreadsheets. Nested records (actor
sides, dates, locations) are flattened to dotted columns (``source.actor``), lists are
joined with "; ", and text cells that a spreadsheet would run as a formula (leading
``= + - @``) are prefixed with an apostrophe (CSV injection).

Event downloads (``GET /api/events?<filters>&format=csv|jsonl|parquet``) are not a page:
every matching event, written in the one events CSV layout of ``kronika.query.export``
(the layout ``kronika export`` writes and ``kronika import`` reads), as JSON lines of the
event record, or as Parquet. ``write_download`` writes them to a temporary file a chunk at
a time (memory stays flat however many rows match) and the response streams that file.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
import re
import unicodedata
from collections.abc import Iterable, Mapping
from decimal import Decimal
from enum import StrEnum
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi.responses import Response

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
TABLE_KEYS = ("items", "events", "rows", "series", "points", "edges", "clusters")


class Format(StrEnum):
    json = "json"
    csv = "csv"


class EventFormat(StrEnum):
    """``/api/events``: one page of JSON, or a download of every matching event."""

    json = "json"
    csv = "csv"
    jsonl = "jsonl"
    parquet = "parquet"


MEDIA_TYPES = {EventFormat.csv: "text/csv; charset=utf-8", EventFormat.jsonl: "application/x-ndjson",
               EventFormat.parquet: "application/vnd.apache.parquet"}
# Typed Parquet columns of the events CSV layout (every other column is text).
_PARQUET_TYPES = {"sentence": "BIGINT", "location_geonameid": "BIGINT", "evidence_start": "BIGINT",
                  "evidence_end": "BIGINT", "trigger_start": "BIGINT", "location_lat": "DOUBLE",
                  "location_lon": "DOUBLE", "confidence": "DOUBLE", "goldstein": "DOUBLE",
                  "article_date": "DATE", "date_start": "DATE", "date_end": "DATE"}


_PLAIN = frozenset({str, int, bool})  # float is not: NaN/inf become null


def jsonable(value: Any) -> Any:
    """Plain JSON types from whatever the query layer returns (dates, decimals, tuples)."""
    kind = type(value)  # exact-type fast paths first: ABC checks dominate on large pages
    if value is None or kind in _PLAIN:
        return value
    if kind is dict:  # leaves inline: most values of a record are plain
        return {k if type(k) is str else str(k): v if v is None or type(v) in _PLAIN else jsonable(v)
                for k, v in value.items()}
    if kind is list:
        return [v if v is None or type(v) in _PLAIN else jsonable(v) for v in value]
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [jsonable(v) for v in value]
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
        return None
    if hasattr(value, "to_json"):
        return jsonable(value.to_json())
    return value


def flatten(row: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """``{"source": {"actor": "JPNGOV"}}`` → ``{"source.actor": "JPNGOV"}``. Rows come from
    ``jsonable``, so plain ``dict`` checks suffice (and are much cheaper than ``Mapping``)."""
    out: dict[str, Any] = {}
    for key, value in row.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(flatten(value, f"{name}."))
        elif isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            merged: dict[str, list[str]] = {}
            for item in value:
                for k, v in flatten(item).items():
                    merged.setdefault(k, []).append("" if v is None else str(v))
            out.update({f"{name}.{k}": " + ".join(vs) for k, vs in merged.items()})
        elif isinstance(value, list):
            out[name] = "; ".join("" if v is None else str(v) for v in value)
        else:
            out[name] = value
    return out


def safe_cell(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def table_of(data: Any) -> list[Mapping[str, Any]]:
    """The rows a CSV should hold: a list itself, the list inside an envelope, or one
    row per key of a flat mapping (for summaries)."""
    if isinstance(data, list):
        return [r if isinstance(r, Mapping) else {"value": r} for r in data]
    if isinstance(data, Mapping):
        for key in TABLE_KEYS:
            if isinstance(data.get(key), list):
                return table_of(data[key])
        rows: list[Mapping[str, Any]] = []
        for key, value in data.items():
            if isinstance(value, Mapping):
                rows.extend({"section": key, "key": k, "value": v} for k, v in value.items())
            elif isinstance(value, list):
                rows.extend({"section": key, **flatten(v)} if isinstance(v, Mapping)
                            else {"section": key, "value": v} for v in value)
            else:
                rows.append({"section": "", "key": key, "value": value})
        return rows
    return [{"value": data}]


def to_csv(rows: Iterable[Mapping[str, Any]]) -> str:
    """CSV text of ``rows`` (nested values flattened to dotted columns, formula-safe cells)."""
    return _csv_text([flatten(jsonable(r)) for r in rows])


def _csv_text(flat: list[dict[str, Any]]) -> str:
    seen: dict[str, None] = {}  # ordered set: first-seen column order, O(1) membership
    for r in flat:
        seen.update(dict.fromkeys(r))
    columns = list(seen) or ["value"]
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(columns)
    for r in flat:
        writer.writerow([safe_cell(r.get(k, "")) for k in columns])
    return buf.getvalue()


_UNSAFE_IN_FALLBACK = re.compile(r"[^A-Za-z0-9._-]+", re.ASCII)
MAX_FILENAME = 150


def content_disposition(filename: str, disposition: str = "attachment") -> str:
    """A ``Content-Disposition`` value for ``filename``, whatever its characters (RFC 6266).

    Two parameters: ``filename="..."``, an ASCII fallback for old clients in which every
    run of characters other than ASCII letters, digits, ``.``, ``_`` and ``-`` becomes one
    ``_`` (accents are dropped first: "Zürich" → "Zurich", "Россия" → "_"), and ``filename*=UTF-8''...``, the exact name
    percent-encoded (RFC 5987/8187, ``urllib.parse.quote`` with no safe characters). No
    character of the name can end a parameter or add one: a quote, ``;`` or a line break
    is escaped in both. The value is pure ASCII, so any name is a valid header (a Cyrillic
    name used to fail Latin-1 encoding: HTTP 500)."""
    name = "".join(c for c in filename if unicodedata.category(c)[0] != "C")[:MAX_FILENAME] or "kronika"
    folded = "".join(c for c in unicodedata.normalize("NFKD", name) if unicodedata.category(c) != "Mn")
    fallback = _UNSAFE_IN_FALLBACK.sub("_", folded).strip("._") or "kronika"
    return f"{disposition}; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"


_EVENT_KEYS = frozenset({"event_id", "evidence", "type", "source", "target", "date"})


def _event_rows(data: Any) -> list[Mapping[str, Any]] | None:
    """The event records inside ``data`` (a timeline, an article's or a cluster's events,
    one event), or None when its table is something else (series, points, summaries)."""
    rows = [data] if isinstance(data, Mapping) and _EVENT_KEYS <= data.keys() else table_of(data)
    if rows and all(isinstance(r, Mapping) and _EVENT_KEYS <= r.keys() for r in rows):
        return rows
    return None


def render(data: Any, fmt: Format, filename: str = "kronika") -> Response:
    """A JSON response, or the table inside ``data`` as a CSV download: event records in
    the one events layout (``kronika.query.export``), any other table flattened."""
    if fmt is Format.csv:
        plain = jsonable(data)
        events = _event_rows(plain)
        if events is not None:
            from kronika.query.export import write_csv

            buf = io.StringIO()
            write_csv(events, buf)
            text = buf.getvalue()
        else:
            text = _csv_text([flatten(r) for r in table_of(plain)])  # already plain: one pass
        return Response(
            text,
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": content_disposition(f"{filename}.csv")},
        )
    body = json.dumps(jsonable(data), ensure_ascii=False, separators=(",", ":"))
    return Response(body, media_type="application/json")


def write_download(records: Iterable[Mapping[str, Any]], fmt: EventFormat, path: Path) -> int:
    """Write every record of ``records`` to ``path`` in ``fmt`` (csv, jsonl or parquet);
    returns how many. CSV is the one events layout (``kronika.query.export``); Parquet is
    the same columns, unescaped and typed, converted by DuckDB from a raw CSV beside it."""
    from kronika.query.export import write_csv

    if fmt is EventFormat.jsonl:
        n = 0
        with path.open("w", encoding="utf-8") as fh:
            for r in records:
                fh.write(json.dumps(jsonable(r), ensure_ascii=False, separators=(",", ":")) + "\n")
                n += 1
        return n
    if fmt is EventFormat.csv:
        with path.open("w", encoding="utf-8", newline="") as fh:
            return write_csv(records, fh)
    return _write_parquet(records, path)


def _write_parquet(records: Iterable[Mapping[str, Any]], path: Path) -> int:
    import duckdb

    from kronika.query.export import CSV_COLUMNS, csv_values

    raw = path.with_suffix(".raw.csv")
    n = 0
    try:
        with raw.open("w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh, lineterminator="\n")
            writer.writerow(CSV_COLUMNS)
            for r in records:
                values = csv_values(r)
                writer.writerow(["" if values.get(c) is None else values[c] for c in CSV_COLUMNS])
                n += 1
        cols = ", ".join(f'TRY_CAST("{c}" AS {_PARQUET_TYPES[c]}) AS "{c}"' if c in _PARQUET_TYPES else f'"{c}"'
                         for c in CSV_COLUMNS)  # names from the layout's constants only
        con = duckdb.connect()
        try:  # paths go as arguments, not SQL text
            rel = con.read_csv(str(raw), header=True, all_varchar=True, quotechar='"', escapechar='"')
            rel.project(cols).write_parquet(str(path))
        finally:
            con.close()
    finally:
        raw.unlink(missing_ok=True)
    return n
