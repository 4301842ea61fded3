"""The dateline that opens a wire story: "TOKYO, May 30 (Reuters) —", "KYIV, 12 March 2022 -",
"WASHINGTON (AP) —".

Why one definition for two stages: the geo stage takes the dateline's place as an event's
place of last resort, and the event coder must not take the dateline's date for the time of
what the story tells — it is the day of the report, which the article's date already gives, and
a parser often hangs it on the first clause's verb, nearer than the "on Monday" that dates the
act. It is a fact of the text, like the parse, so it lives beside it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_MONTH = r"[A-Z][a-z]{2,9}\.?"
_DATE = rf"(?:{_MONTH}\s+\d{{1,2}}(?:,?\s+\d{{4}})?|\d{{1,2}}\s+{_MONTH}(?:\s+\d{{4}})?)"
_DATELINE = re.compile(
    r"\A\s*(?P<place>[A-Z][A-Za-z.'\- ]{1,40}?(?:,\s*[A-Z][A-Za-z.]+)?)\s*"
    rf"(?:,\s*(?P<date>{_DATE})\s*)?(?:\([^)]{{1,40}}\)\s*)?[\u2014\u2013-]{{1,2}}\s"
)


@dataclass(frozen=True, slots=True)
class Dateline:
    """Character offsets: the place name, and the end of the whole dateline (its dash)."""

    place_start: int
    place_end: int
    end: int


def find_dateline(text: str) -> Dateline | None:
    """The dateline opening ``text``, if it has one."""
    m = _DATELINE.match(text)
    if m is None:
        return None
    return Dateline(m.start("place"), m.end("place"), m.end())
