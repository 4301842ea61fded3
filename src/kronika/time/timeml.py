"""TimeML writer: TIMEX3 tags inserted into the input's own characters.

For a ``.tml``/``.TE3input`` input the original file is re-read and tags are inserted into
its <TEXT> body through the reader's character map, so entities, other tags and the DCT
stay exactly as they were (TIMEX3 tags already there are replaced by ours). Any other
input gets a minimal TimeML document with a DCT and the escaped text.
"""

from __future__ import annotations

import re
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from kronika.errors import IngestError
from kronika.ingest.timeml import TimeMLBody, split_timeml
from kronika.model import Article, TimeExpr

_HEADER = (
    '<?xml version="1.0" ?>\n<TimeML xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
    'xsi:noNamespaceSchemaLocation="http://timeml.org/timeMLdocs/TimeML_1.2.1.xsd">\n'
)
_OLD_TIMEX = re.compile(r"</?TIMEX3\b[^>]*>")
_ENTITY = re.compile(r"&#?[A-Za-z0-9]{1,8};")
_TIMEML_SUFFIXES = (".tml", ".te3input", ".xml")


def timex_open(n: int, t: TimeExpr) -> str:
    """The opening tag of expression ``t`` with id ``t{n}``."""
    attrs = [f'tid="t{n}"', f"type={quoteattr(t.type)}", f"value={quoteattr(t.value)}"]
    for name in ("mod", "quant", "freq"):
        v = getattr(t, name)
        if v:
            attrs.append(f"{name}={quoteattr(v)}")
    return "<TIMEX3 " + " ".join(attrs) + ">"


def _source(article: Article, source_path: str | Path | None) -> Path | None:
    """The TimeML file the article was read from, if there is one."""
    candidates = [Path(source_path)] if source_path is not None else []
    if article.origin:
        candidates += [Path(article.origin), Path(article.origin.rsplit(":", 1)[0])]
    for p in candidates:
        if p.suffix.lower() in _TIMEML_SUFFIXES and p.is_file():
            return p
    return None


def to_timeml(article: Article, times: tuple[TimeExpr, ...], source_path: str | Path | None = None) -> str:
    """The article as TimeML with one TIMEX3 per expression (``t1``, ``t2`` … in text order)."""
    ordered = _non_overlapping(times, len(article.text))
    path = _source(article, source_path)
    if path is not None:
        try:
            body = split_timeml(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, IngestError):
            body = None
        if body is not None and body.text == article.text:
            return _into_original(body, ordered)
    return _minimal(article, ordered)


def _non_overlapping(times: tuple[TimeExpr, ...], length: int) -> list[TimeExpr]:
    out: list[TimeExpr] = []
    for t in sorted(times, key=lambda t: (t.start, -t.end)):
        if 0 <= t.start < t.end <= length and (not out or t.start >= out[-1].end):
            out.append(t)
    return out


def _into_original(body: TimeMLBody, ordered: list[TimeExpr]) -> str:
    """Insert our tags into the raw body; drop the TIMEX3 tags it already had."""
    raw_body = body.raw[body.body_start : body.body_end]
    inserts: list[tuple[int, int, str]] = []  # raw offset, order at that offset, tag
    for n, t in enumerate(ordered, start=1):
        # open right before the first character, close right after the last one (an
        # entity counts whole), so tags of the input that touch the span stay outside
        inserts.append((body.offsets[t.start], 1, timex_open(n, t)))
        last = body.offsets[t.end - 1]
        ent = _ENTITY.match(raw_body, last)
        inserts.append((ent.end() if ent else last + 1, 0, "</TIMEX3>"))
    pieces: list[str] = []
    pos = 0
    for at, _order, tag in sorted(inserts):
        pieces.append(_OLD_TIMEX.sub("", raw_body[pos:at]))
        pieces.append(tag)
        pos = at
    pieces.append(_OLD_TIMEX.sub("", raw_body[pos:]))
    return body.raw[: body.body_start] + "".join(pieces) + body.raw[body.body_end :]


def _minimal(article: Article, ordered: list[TimeExpr]) -> str:
    text = article.text
    pieces: list[str] = []
    pos = 0
    for n, t in enumerate(ordered, start=1):
        pieces += [escape(text[pos : t.start]), timex_open(n, t), escape(text[t.start : t.end]), "</TIMEX3>"]
        pos = t.end
    pieces.append(escape(text[pos:]))
    doc_id = escape(article.doc_id or article.id)
    dct = article.date.isoformat()
    return (
        f"{_HEADER}<DOCID>{doc_id}</DOCID>\n<DCT><TIMEX3 tid=\"t0\" type=\"DATE\" value=\"{dct}\" "
        f'temporalFunction="false" functionInDocument="CREATION_TIME">{dct}</TIMEX3></DCT>\n'
        f"<TEXT>{''.join(pieces)}</TEXT>\n</TimeML>\n"
    )
