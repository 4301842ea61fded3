"""Single-article text files: the seed format and plain text with a date.

The seed format puts ``date YYYY-MM-DD`` first and the text right after it, even on the
same line (`` date 2019-05-30 The foreign…``). Its gold offsets are computed as
``raw.split(" ", 3)[3]``, so the text must start exactly one character after the date:
stripping or re-flowing it would shift every gold span.

Plain text may carry a small header block (``Date:``, ``Title:``, ``URL:``, ``Source:``,
``ID:``), or an ISO date alone on the first line, or only a date in the file name
(``2019-05-30-talks.txt``). Where a date comes from is checked in that order.
"""

from __future__ import annotations

import re

from kronika.config import Settings
from kronika.ingest.dates import date_from_filename
from kronika.ingest.records import K_DATE, make_article
from kronika.model import Article, IngestProblem

_SEED = re.compile(r"[ \t]*date[ \t]+(?P<date>[^\s]+)")
_HEADER = re.compile(r"(?P<key>[A-Za-z][A-Za-z_-]*)[ \t]*:[ \t]*(?P<value>[^\r\n]*)")
_HEADER_KEYS = {
    "date": "date", "published": "date", "pubdate": "date", "title": "title", "url": "url",
    "link": "url", "source": "source", "id": "doc_id", "doc_id": "doc_id",
}
_ISO_LINE = re.compile(r"[ \t]*(?P<date>\d{4}-\d{1,2}-\d{1,2}(?:[T ][0-9:.+\-Z]*)?)[ \t]*")


def looks_like_seed(text: str) -> bool:
    """True when ``text`` opens with the seed header (``date YYYY-MM-DD``)."""
    m = _SEED.match(text)
    return bool(m and m.group("date")[:1].isdigit())


def read_text_article(
    text: str, settings: Settings, *, origin: str, name: str | None = None,
) -> Article | IngestProblem:
    """One article from a text file's content; ``name`` (the file name) is its doc_id and
    the last place a date is looked for."""
    if looks_like_seed(text):
        return _read_seed(text, settings, origin=origin, name=name)
    header, body = _split_header(text)
    meta = {"doc_id": name, **{k: v for k, v in header.items() if k != "date"}}
    if "date" in header:
        return make_article(body, header["date"], settings, origin=origin, **meta)
    first, _, rest = text.partition("\n")
    m = None if header else _ISO_LINE.fullmatch(first.rstrip("\r"))
    if m:
        return make_article(rest.lstrip("\r\n"), m.group("date"), settings, origin=origin, **meta)
    date = date_from_filename(name) if name else None
    if date is None:
        where = "a date in the file name (2019-05-30-name.txt)" if name else "a date"
        return IngestProblem(
            origin, f"missing date: put 'Date: YYYY-MM-DD' on the first line or {where}", K_DATE,
        )
    return make_article(body, date, settings, origin=origin, **meta)


def _read_seed(text: str, settings: Settings, *, origin: str, name: str | None) -> Article | IngestProblem:
    m = _SEED.match(text)
    assert m is not None  # checked by looks_like_seed
    end = m.end()
    if text.startswith("\r\n", end):
        end += 2
    elif end < len(text):
        end += 1  # exactly one separator: a space, as the gold offsets assume, or a newline
    return make_article(text[end:], m.group("date"), settings, origin=origin, doc_id=name)


def _split_header(text: str) -> tuple[dict[str, str], str]:
    """``Key: value`` lines at the top (known keys only) and the text after them."""
    header: dict[str, str] = {}
    pos = 0
    while pos < len(text):
        nl = text.find("\n", pos)
        line_end = len(text) if nl < 0 else nl
        m = _HEADER.fullmatch(text[pos:line_end].rstrip("\r"))
        key = _HEADER_KEYS.get(m.group("key").lower()) if m else None
        if key is None:
            break
        header.setdefault(key, m.group("value").strip())  # type: ignore[union-attr]
        pos = line_end + 1
    if not header:
        return {}, text
    return header, text[pos:].lstrip("\r\n")
