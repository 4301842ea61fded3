"""The one CSV layout of Kronika events: one row per event, the same columns from every door.

Why one layout in one module: the CLI (``kronika events --format csv``, ``kronika export
--format csv``), the HTTP API (``format=csv``) and the dashboard download once wrote three
different tables, and none could be read back. Here the column list (``CSV_COLUMNS``), the
row writer (``csv_row`` / ``write_csv``) and the reader (``parse_event_rows``, used by
``kronika import``) sit side by side, so a change to one is a change to all.

Why in ``store/`` and not ``query/``: reading the layout back is a store concern (``import``
writes rows), and ``store`` must not import ``query``; ``kronika.query.export`` re-exports
the writer for the doors that read through the query layer.

Conventions (the codebook says the same to the analyst):

* an empty cell is a missing value (None); lists (``contexts``) are joined with ``"; "``;
* a compound side (two sources) fills each ``source_*`` column with its members joined by
  ``" + "``; ``source_json``/``target_json`` hold the exact side (what ``import`` reads);
* a text cell that a spreadsheet would run as a formula (leading ``= + - @``, tab, CR) is
  written with a leading apostrophe, and so is one that starts with an apostrophe, so the
  reader strips exactly one apostrophe and gets the text back unchanged (CSV injection).
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import IO, Any

from kronika.errors import StoreError
from kronika.store.dates import date_interval
from kronika.store.rows import ARTICLE_COLUMNS, EVENT_COLUMNS, Row, cluster_key

# The columns, in file order. Their meaning is documented in data/export/fields.yaml
# (written into every export's codebook.md); a test keeps the two in step.
CSV_COLUMNS: tuple[str, ...] = (
    "event_id", "article_id", "doc_id", "article_date", "article_title", "sentence",
    "date", "date_start", "date_end", "date_text", "date_origin", "background",
    "type", "mode", "contexts", "status", "quad_class", "penta_class", "goldstein", "cameo",
    "source_actor", "source_country", "source_sector", "source_entity", "source_text", "source_role",
    "target_actor", "target_country", "target_sector", "target_entity", "target_text", "target_role",
    "location_name", "location_geonameid", "location_lat", "location_lon", "location_country",
    "location_origin", "confidence", "cluster_id", "evidence", "evidence_start", "evidence_end", "trigger",
    "trigger_start", "component", "source_json", "target_json",
)
# The companion table of a CSV export folder: one row per article the events come from.
ARTICLE_CSV_COLUMNS: tuple[str, ...] = tuple(n for n, _ in ARTICLE_COLUMNS)
REQUIRED: tuple[str, ...] = ("event_id", "article_id", "type", "article_date")
# Derived by the query layer from what is stored (dates, CAMEO code): written for the
# analyst, ignored by the reader (the target store derives them again, identically).
DERIVED: tuple[str, ...] = ("background", "penta_class", "goldstein")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "'")
SIDE_FIELDS: tuple[str, ...] = ("actor", "country", "sector", "entity", "text", "role")
_INT_COLUMNS = frozenset({"sentence", "location_geonameid", "evidence_start", "evidence_end", "trigger_start",
                          "n_sentences"})
_FLOAT_COLUMNS = frozenset({"location_lat", "location_lon", "confidence"})


_GUARDED = frozenset(FORMULA_START)


def safe_text(value: str) -> str:
    """``value`` as a cell no spreadsheet runs as a formula (see the module docstring)."""
    return "'" + value if value[:1] in _GUARDED else value


def _cell(value: Any) -> Any:
    kind = type(value)  # exact-type fast paths: this runs once per cell
    if kind is str:
        return "'" + value if value[:1] in _GUARDED else value
    if value is None:
        return ""
    if kind is int or kind is float:
        return value
    if kind is bool:
        return "true" if value else "false"
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return safe_text(value) if isinstance(value, str) else value


def _members(side: Any) -> list[Mapping[str, Any]]:
    if not side:
        return []
    return [m for m in (side if isinstance(side, list) else [side]) if isinstance(m, Mapping)]


def _joined(members: list[Mapping[str, Any]], key: str) -> Any:
    if len(members) == 1:  # the common case: one actor on the side
        return members[0].get(key)
    values = [m.get(key) for m in members]
    if all(v is None for v in values):
        return None
    return " + ".join("" if v is None else str(v) for v in values)


def _side_json(side: Any) -> str | None:
    return None if not side else json.dumps(side, ensure_ascii=False, separators=(",", ":"))


def csv_values(record: Mapping[str, Any]) -> dict[str, Any]:
    """The plain values (not yet cell-escaped) of one event record, by column name.

    ``record`` is the event record contract (``kronika.query.records.event_record``); the
    span columns stay empty when a door reads records without spans."""
    date = record.get("date") or {}
    if not isinstance(date, Mapping):
        date = {"value": date}
    loc = record.get("location") or {}
    out: dict[str, Any] = {
        "event_id": record.get("event_id"), "article_id": record.get("article_id"),
        "doc_id": record.get("doc_id"), "article_date": record.get("article_date"),
        "article_title": record.get("article_title"), "sentence": record.get("sentence"),
        "date": date.get("value"), "date_start": record.get("date_start"),
        "date_end": record.get("date_end"), "date_text": date.get("text"),
        "date_origin": date.get("origin"), "background": record.get("background"),
        "type": record.get("type"), "mode": record.get("mode"),
        "contexts": "; ".join(record.get("contexts") or []) or None, "status": record.get("status"),
        "quad_class": record.get("quad_class"), "penta_class": record.get("penta_class"),
        "goldstein": record.get("goldstein"), "cameo": record.get("cameo"),
        "location_name": loc.get("name"), "location_geonameid": loc.get("geonameid"),
        "location_lat": loc.get("lat"), "location_lon": loc.get("lon"),
        "location_country": loc.get("country"), "location_origin": loc.get("origin"),
        "confidence": record.get("confidence"), "cluster_id": record.get("cluster_id"),
        "evidence": record.get("evidence"), "evidence_start": record.get("evidence_start"),
        "evidence_end": record.get("evidence_end"), "trigger": record.get("trigger"),
        "trigger_start": record.get("trigger_start"), "component": record.get("component"),
        "source_json": _side_json(record.get("source")), "target_json": _side_json(record.get("target")),
    }
    for side in ("source", "target"):
        members = _members(record.get(side))
        for key in SIDE_FIELDS:
            out[f"{side}_{key}"] = _joined(members, key)
    return out


def csv_row(record: Mapping[str, Any]) -> list[Any]:
    """One CSV row (cells in ``CSV_COLUMNS`` order) of one event record."""
    values = csv_values(record)
    return [_cell(values[c]) for c in CSV_COLUMNS]


def csv_rows(records: Iterable[Mapping[str, Any]]) -> Iterator[list[Any]]:
    """The header, then one row per record: what ``csv.writer.writerows`` takes."""
    yield list(CSV_COLUMNS)
    for record in records:
        yield csv_row(record)


def write_csv(records: Iterable[Mapping[str, Any]], fh: IO[str]) -> int:
    """Write the header and one row per record to ``fh``; returns the number of events."""
    writer = csv.writer(fh, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    n = 0
    for record in records:
        writer.writerow(csv_row(record))
        n += 1
    return n


def write_article_csv(rows: Iterable[Mapping[str, Any]], fh: IO[str]) -> int:
    """The companion ``articles.csv``: one row per article (its text, so a restored store
    can show the evidence in context)."""
    writer = csv.writer(fh, lineterminator="\n")
    writer.writerow(ARTICLE_CSV_COLUMNS)
    n = 0
    for row in rows:
        writer.writerow([_cell(row.get(c)) for c in ARTICLE_CSV_COLUMNS])
        n += 1
    return n


# --------------------------------------------------------------------------- reading back


@dataclass(frozen=True)
class CsvBatch:
    """What a CSV export holds, as store rows: articles, events and their actor members."""

    articles: list[Row]
    events: list[Row]
    event_actors: list[Row]


def _text(cell: str | None) -> str | None:
    """A cell's text: empty is None, one leading apostrophe (the formula guard) dropped."""
    if cell is None or cell == "":
        return None
    return cell[1:] if cell.startswith("'") else cell


def _typed(name: str, cell: str | None, where: str) -> Any:
    text = _text(cell)
    if text is None:
        return None
    try:
        if name in _INT_COLUMNS:
            return int(text)
        if name in _FLOAT_COLUMNS:
            return float(text)
    except ValueError as exc:
        raise StoreError(f"{where}: column {name} must be a number, got {text!r}", code="K409") from exc
    return text


def _date(text: str | None, name: str, where: str) -> dt.date | None:
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError as exc:
        raise StoreError(f"{where}: column {name} must be an ISO date (YYYY-MM-DD), got {text!r}",
                         code="K409") from exc


def _side(row: Mapping[str, str | None], side: str, where: str) -> tuple[str | None, list[dict[str, Any]]]:
    """The side's stored JSON text and its members; ``<side>_json`` when present (exact),
    else the single member the ``<side>_*`` columns describe (a hand-made CSV)."""
    raw = _text(row.get(f"{side}_json"))
    if raw is not None:
        try:
            value = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise StoreError(f"{where}: {side}_json is not JSON ({exc.msg})", code="K409") from exc
        members = value if isinstance(value, list) else [value]
        if not all(isinstance(m, dict) for m in members):
            raise StoreError(f"{where}: {side}_json must be an object or a list of objects", code="K409")
        return json.dumps(value, ensure_ascii=False), members
    member = {k: _text(row.get(f"{side}_{k}")) for k in ("text", *SIDE_FIELDS[:4], "role")}
    if all(v is None for v in member.values()):
        return None, []
    return json.dumps(member, ensure_ascii=False), [member]


def _event_row(row: Mapping[str, str | None], where: str) -> tuple[Row, list[Row]]:
    v = {c: _typed(c, row.get(c), where) for c in CSV_COLUMNS
         if c not in ("source_json", "target_json", *DERIVED)}
    src_json, src = _side(row, "source", where)
    tgt_json, tgt = _side(row, "target", where)
    interval = date_interval(v["date"]) if v["date"] else None
    if v["date"] and interval is None:
        raise StoreError(f"{where}: date {v['date']!r} is not an ISO date (YYYY, YYYY-MM or YYYY-MM-DD)",
                         code="K409")
    first_s, first_t = (src[0] if src else {}), (tgt[0] if tgt else {})
    country = lambda ms: next((m.get("country") for m in ms if m.get("country")), None)  # noqa: E731
    contexts = [c for c in (v["contexts"] or "").split("; ") if c]
    values = {
        **v, "contexts": contexts, "source": src_json, "target": tgt_json,
        "source_country": first_s.get("country"), "target_country": first_t.get("country"),
        "source_actor": first_s.get("actor"), "target_actor": first_t.get("actor"),
        "source_text": first_s.get("text"), "target_text": first_t.get("text"),
        "source_entity": first_s.get("entity"), "target_entity": first_t.get("entity"),
        "date_value": v["date"], "date_start": interval and interval[0], "date_end": interval and interval[1],
        "cluster_key": cluster_key(v["type"], country(src), country(tgt)),
    }
    event = tuple(values[name] for name, _ in EVENT_COLUMNS)
    actors = [(v["event_id"], side, i, m.get("text"), m.get("actor"), m.get("country"), m.get("sector"),
               m.get("entity"), m.get("role"))
              for side, members in (("source", src), ("target", tgt)) for i, m in enumerate(members)]
    return event, actors


def _check_header(names: list[str] | None, wanted: tuple[str, ...], origin: str) -> None:
    missing = [c for c in wanted if c not in (names or [])]
    if missing:
        raise StoreError(f"{origin} is not a Kronika events CSV: missing column(s) {', '.join(missing)} "
                         f"(the layout: {', '.join(CSV_COLUMNS)})", code="K409")


def iter_event_batches(fh: IO[str], origin: str, size: int = 20_000) -> Iterator[CsvBatch]:
    """Read a CSV in the event layout back into store rows, ``size`` events at a time (so
    a large file never sits in memory whole). Each batch names the articles its events
    come from that no earlier batch named, from the events' ``article_*`` columns and with
    empty text (an export's ``articles.csv`` supplies the real ones).

    A row that cannot be read is a K409 naming ``origin:line`` and the reason; nothing is
    half-imported (the caller writes in one transaction)."""
    reader = csv.DictReader(fh)
    _check_header(reader.fieldnames, REQUIRED, origin)
    seen: set[str] = set()
    batch = CsvBatch([], [], [])
    line = reader.line_num + 1  # where the next record starts (a quoted cell may span lines)
    for row in reader:
        where, line = f"{origin}:{line}", reader.line_num + 1
        for col in REQUIRED:
            if not _text(row.get(col)):
                raise StoreError(f"{where}: column {col} is empty", code="K409")
        event, members = _event_row(row, where)
        batch.events.append(event)
        batch.event_actors.extend(members)
        aid = event[1]
        if aid not in seen:
            seen.add(aid)
            batch.articles.append((aid, event[2], _date(_text(row.get("article_date")), "article_date", where),
                                   _text(row.get("article_title")), None, None, None, "", None, None))
        if len(batch.events) >= size:
            yield batch
            batch = CsvBatch([], [], [])
    if batch.events or batch.articles:
        yield batch


def iter_article_rows(fh: IO[str], origin: str, size: int = 5_000) -> Iterator[list[Row]]:
    """Rows of an export's ``articles.csv`` in ``ARTICLE_COLUMNS`` order, ``size`` at a time."""
    reader = csv.DictReader(fh)
    _check_header(reader.fieldnames, ("id", "date", "text"), origin)
    out: list[Row] = []
    line = reader.line_num + 1
    for row in reader:
        where, line = f"{origin}:{line}", reader.line_num + 1
        v = {c: _typed(c, row.get(c), where) for c in ARTICLE_CSV_COLUMNS}
        v["date"] = _date(v["date"], "date", where)
        if v["id"] is None or v["date"] is None:
            raise StoreError(f"{where}: an article needs an id and a date", code="K409")
        if v["ingested_at"] is not None:
            try:
                v["ingested_at"] = dt.datetime.fromisoformat(v["ingested_at"])
            except ValueError as exc:
                raise StoreError(f"{where}: ingested_at {v['ingested_at']!r} is not an ISO timestamp",
                                 code="K409") from exc
        v["text"] = v["text"] or ""
        out.append(tuple(v[c] for c in ARTICLE_CSV_COLUMNS))
        if len(out) >= size:
            yield out
            out = []
    if out:
        yield out
