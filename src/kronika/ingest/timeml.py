"""TimeML reader (``.tml``, TempEval-3 ``.TE3input``): the text of <TEXT> and the DCT.

Why a character map: the writer (``kronika.time.timeml``) must put TIMEX3 tags back into
the *original* file without changing one of its characters, so reading keeps, for every
character of the plain text, the offset it came from in the raw <TEXT> body (tags removed,
XML entities unescaped).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from kronika.errors import IngestError
from kronika.model import Article

_TEXT = re.compile(r"<TEXT>(.*?)</TEXT>", re.S)
_DCT = re.compile(r"<DCT>\s*<TIMEX3\b[^>]*?\bvalue\s*=\s*\"([^\"]*)\"", re.S)
_DCT_ANY = re.compile(r"functionInDocument\s*=\s*\"CREATION_TIME\"[^>]*>|<TIMEX3\b[^>]*CREATION_TIME", re.S)
_TAG_OR_ENTITY = re.compile(r"<[^>]*>|&(#x[0-9A-Fa-f]+|#[0-9]+|[A-Za-z]+);")
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"', "apos": "'"}
_VALUE = re.compile(r"\bvalue\s*=\s*\"([^\"]*)\"")


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
