"""TimeML, read and written in one place (``.tml``, TempEval-3 ``.TE3input``).

Reading (ingest of a TimeML file): the text of <TEXT> and the DCT. Writing (``kronika
extract --format timeml``, the TempEval scorer): TIMEX3 tags inserted into the input's own
characters. Both live here because the writer depends on the reader's character map: for
every character of the plain text, the reader keeps the offset it came from in the raw
<TEXT> body (tags removed, XML entities unescaped), so the writer can put TIMEX3 tags back
into the *original* file without changing one of its characters — entities, other tags and
the DCT stay exactly as they were (TIMEX3 tags already there are replaced by ours). Any
other input gets a minimal TimeML document with a DCT and the escaped text.

This module depends only on the records (``kronika.model``) and errors, so ingest and the
writers' callers use it without depending on each other or on the time stage.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from kronika.errors import IngestError
from kronika.model import Article, TimeExpr

_TEXT = re.compile(r"<TEXT>(.*?)</TEXT>", re.S)
_DCT = re.compile(r"<DCT>\s*<TIMEX3\b[^>]*?\bvalue\s*=\s*\"([^\"]*)\"", re.S)
_DCT_ANY = re.compile(r"functionInDocument\s*=\s*\"CREATION_TIME\"[^>]*>|<TIMEX3\b[^>]*CREATION_TIME", re.S)
_TAG_OR_ENTITY = re.compile(r"<[^>]*>|&(#x[0-9A-Fa-f]+|#[0-9]+|[A-Za-z]+);")
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"', "apos": "'"}
_VALUE = re.compile(r"\bvalue\s*=\s*\"([^\"]*)\"")
_HEADER = (
    '<?xml version="1.0" ?>\n<TimeML xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
    'xsi:noNamespaceSchemaLocation="http://timeml.org/timeMLdocs/TimeML_1.2.1.xsd">\n'
)
_OLD_TIMEX = re.compile(r"</?TIMEX3\b[^>]*>")
_ENTITY = re.compile(r"&#?[A-Za-z0-9]{1,8};")
_TIMEML_SUFFIXES = (".tml", ".te3input", ".xml")


@dataclass(frozen=True, slots=True)
class TimeMLBody:
    """A TimeML document split around its <TEXT> body.

    ``offsets[i]`` is the raw-body offset of plain character ``i``; ``offsets[len(text)]``
    is the body's length, so an end offset maps too.
    """

    raw: str
    body_start: int  # offset of the body inside ``raw``
    body_end: int
    text: str
    offsets: tuple[int, ...]
    dct: str | None


def split_timeml(raw: str) -> TimeMLBody:
    """Find <TEXT>, strip its tags and entities, remember where each character came from."""
    m = _TEXT.search(raw)
    if m is None:
        raise IngestError("TimeML document has no <TEXT> element", code="K102")
    body = raw[m.start(1) : m.end(1)]
    chars: list[str] = []
    offsets: list[int] = []
    pos = 0
    for t in _TAG_OR_ENTITY.finditer(body):
        for k in range(pos, t.start()):
            chars.append(body[k])
            offsets.append(k)
        pos = t.end()
        if t.group(0).startswith("&"):
            chars.append(_entity(t.group(1), t.group(0)))
            offsets.append(t.start())
    for k in range(pos, len(body)):
        chars.append(body[k])
        offsets.append(k)
    offsets.append(len(body))
    return TimeMLBody(
        raw=raw, body_start=m.start(1), body_end=m.end(1), text="".join(chars),
        offsets=tuple(offsets), dct=_dct_value(raw[: m.start()]),
    )


def _entity(name: str, whole: str) -> str:
    """The character an entity stands for; an unknown or out-of-range one stays as written."""
    try:
        if name.startswith("#x"):
            return chr(int(name[2:], 16))
        if name.startswith("#"):
            return chr(int(name[1:]))
    except (ValueError, OverflowError):
        return whole
    return _NAMED.get(name, whole)


def _dct_value(head: str) -> str | None:
    m = _DCT.search(head)
    if m:
        return m.group(1)
    m = _DCT_ANY.search(head)
    if m:
        v = _VALUE.search(m.group(0))
        return v.group(1) if v else None
    return None


def parse_dct(value: str | None) -> dt.date | None:
    """``"1998-01-08"``, ``"19980108"`` or ``"1998-01-08T12:00"`` → a date (None if unusable)."""
    if not value:
        return None
    m = re.match(r"(\d{4})-?(\d{2})-?(\d{2})", value)
    if not m:
        return None
    try:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def read_timeml_article(path: str | Path) -> Article:
    """Read a ``.tml``/``.TE3input`` file: Article with the <TEXT> content and the DCT date.

    Raises ``IngestError`` when the file cannot be read or has no usable DCT.
    """
    p = Path(path)
    try:
        raw = p.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise IngestError(f"cannot read TimeML file {p}: {exc}", code="K102") from exc
    parsed = split_timeml(raw)
    date = parse_dct(parsed.dct)
    if date is None:
        raise IngestError(f"TimeML file {p} has no usable DCT ({parsed.dct!r})", code="K102")
    return Article.create(parsed.text, date, doc_id=p.name, origin=str(p))


# ---------------------------------------------------------------------- writer


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
