"""Many articles per file: JSON lines, a JSON array, CSV/TSV.

Fields: ``text`` and ``date`` (required), ``title``, ``url``, ``source``, ``id`` (→
``doc_id``). JSON lines are read one line at a time, so a corpus of any size streams with
flat memory, and a broken line costs only that line: its problem names the file and line
number and the next line is read as usual.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
from collections.abc import Iterable, Iterator, Mapping

from kronika.config import Settings
from kronika.ingest.decode import decode_bytes
from kronika.ingest.records import K_DECODE, K_MALFORMED, K_TOO_LONG, make_article
from kronika.model import Article, IngestProblem

Record = Article | IngestProblem

_TEXT_KEYS = ("text", "body", "content")
_DATE_KEYS = ("date", "published", "pubdate")
_ID_KEYS = ("id", "doc_id")
GIVE_UP_AFTER = 5


def record_from_mapping(row: Mapping[str, object], settings: Settings, *, origin: str) -> Record:
    """An article from one JSON object or CSV row (keys matched case-insensitively)."""
    low = {str(k).strip().lower(): v for k, v in row.items() if k is not None}
    return make_article(
        _first(low, _TEXT_KEYS), _first(low, _DATE_KEYS), settings, origin=origin,
        doc_id=_first(low, _ID_KEYS), title=low.get("title"), url=low.get("url") or low.get("link"),
        source=low.get("source"),
    )


def _first(row: Mapping[str, object], keys: tuple[str, ...]) -> object:
    for k in keys:
        if row.get(k) not in (None, ""):
            return row[k]
    return None


# --------------------------------------------------------------------------- JSON


def read_jsonl(stream: Iterable[bytes], settings: Settings, *, label: str) -> Iterator[Record]:
    """One record per non-blank line of ``stream`` (a binary file or any iterator of byte
    lines); origin ``label:line``."""
    stream = iter(stream)
    first = next(stream, b"")
    if first.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        decoded = decode_bytes(first + b"".join(stream))
        if decoded.text is None:
            yield IngestProblem(f"{label}:1", decoded.reason or "undecodable", K_DECODE)
            return
        lines: Iterable[bytes | str] = decoded.text.split("\n")
    else:
        lines = _chain_first(first if isinstance(first, LongLine) else first.removeprefix(codecs.BOM_UTF8), stream)
    leading_junk = 0  # undecodable lines before any decodable one: a binary file, not a corpus
    for n, raw in enumerate(lines, start=1):
        rec = _json_line(raw, settings, origin=f"{label}:{n}")
        if rec is None:
            continue
        yield rec
        if leading_junk >= 0:
            leading_junk = leading_junk + 1 if isinstance(rec, IngestProblem) and rec.code == K_DECODE else -1
            if leading_junk >= GIVE_UP_AFTER:
                yield IngestProblem(label, f"not a text file: stopped after {leading_junk} undecodable lines", K_DECODE)
                return


def _chain_first(first: bytes, rest: Iterable[bytes]) -> Iterator[bytes]:
    yield first
    yield from rest


class LongLine(bytes):
    """Stands for a line longer than the reader's limit (``dispatch.lines_of``), which was
    skipped unread: empty bytes that carry the line's size, the limit, and its first few
    bytes (``start``: enough to tell a JSON object from prose)."""

    size: int
    limit: int
    start: bytes

    def __new__(cls, size: int, limit: int, start: bytes = b"") -> LongLine:
        self = super().__new__(cls, b"")
        self.size, self.limit, self.start = size, limit, start
        return self


def _json_line(raw: bytes | str, settings: Settings, *, origin: str) -> Record | None:
    if isinstance(raw, LongLine):
        return IngestProblem(origin, f"line too long: {raw.size} bytes > limit {raw.limit} bytes "
                                     f"(max_article_chars {settings.max_article_chars}); not read", K_TOO_LONG)
    if isinstance(raw, bytes):
        decoded = decode_bytes(raw)
        if decoded.text is None:
            return IngestProblem(origin, decoded.reason or "undecodable", K_DECODE)
        line = decoded.text
    else:
        line = raw
    if not line.strip():
        return None
    try:
        obj = json.loads(line)
    except (ValueError, RecursionError) as exc:
        return IngestProblem(origin, f"malformed JSON: {_short(exc)}", K_MALFORMED)
    return _json_record(obj, settings, origin=origin)


def _json_record(obj: object, settings: Settings, *, origin: str) -> Record:
    if not isinstance(obj, dict):
        return IngestProblem(origin, f"JSON record is a {type(obj).__name__}, not an object", K_MALFORMED)
    return record_from_mapping(obj, settings, origin=origin)


def read_json(text: str, settings: Settings, *, label: str) -> Iterator[Record]:
    """A ``.json`` file: an array of objects, one object, or (failing both) JSON lines."""
    try:
        obj = json.loads(text)
    except (ValueError, RecursionError):
        for n, line in enumerate(text.split("\n"), start=1):
            rec = _json_line(line, settings, origin=f"{label}:{n}")
            if rec is not None:
                yield rec
        return
    if isinstance(obj, list):
        for n, item in enumerate(obj, start=1):
            yield _json_record(item, settings, origin=f"{label}#{n}")
    else:
        yield _json_record(obj, settings, origin=f"{label}:1")


def _short(exc: BaseException) -> str:
    msg = str(exc)
    return msg if len(msg) <= 120 else msg[:117] + "..."


# --------------------------------------------------------------------------- CSV


def read_csv(text: str, settings: Settings, *, label: str, delimiter: str | None = None) -> Iterator[Record]:
    """Rows of a CSV/TSV file with a header line; origin ``label:line`` (the row's first line)."""
    first_line = text.split("\n", 1)[0]
    delim = delimiter or _guess_delimiter(first_line)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delim)
    try:
        header = next(reader)
    except StopIteration:
        yield IngestProblem(f"{label}:1", "empty CSV file", K_MALFORMED)
        return
    except csv.Error as exc:
        yield IngestProblem(f"{label}:1", f"malformed CSV header: {_short(exc)}", K_MALFORMED)
        return
    names = [h.strip().lstrip("\ufeff").lower() for h in header]
    missing = [k for k in ("text", "date") if k not in names]
    if missing:
        yield IngestProblem(
            f"{label}:1", f"CSV header has no {' or '.join(repr(m) for m in missing)} column "
                          f"(found: {', '.join(names[:10]) or 'nothing'})", K_MALFORMED,
        )
        return
    yield from _csv_rows(reader, names, settings, label=label)


def _csv_rows(reader: Iterator[list[str]], names: list[str], settings: Settings, *, label: str) -> Iterator[Record]:
    last = 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            line = reader.line_num  # type: ignore[attr-defined]
            yield IngestProblem(f"{label}:{line}", f"malformed CSV row: {_short(exc)}", K_MALFORMED)
            if line == last:
                return
            last = line
            continue
        end = reader.line_num  # type: ignore[attr-defined]
        last = end
        if not row or not any(cell.strip() for cell in row):
            continue
        start = end - sum(cell.count("\n") for cell in row)
        yield record_from_mapping(dict(zip(names, row, strict=False)), settings, origin=f"{label}:{start}")


def _guess_delimiter(header: str) -> str:
    counts = {d: header.count(d) for d in (",", "\t", ";", "|")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","
