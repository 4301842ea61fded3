"""PLOVER 2021 ontology: the CAMEO → PLOVER table, CAMEO roots and quad classes.

Why a table and not code: the Open Event Data Alliance publishes the mapping
(``data/events/cameo2plover.txt``, CC BY-SA); shipping it as data keeps Kronika's coding
traceable to it and lets a user update it without touching the coder.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kronika.model import plover_type
from kronika.resources import read_text

# CAMEO root code → quad class (CAMEO's own grouping: 01-05, 06-08, 09-13, 14-20).
_QUADS: tuple[tuple[int, int, str], ...] = (
    (1, 5, "verbal_cooperation"),
    (6, 8, "material_cooperation"),
    (9, 13, "verbal_conflict"),
    (14, 20, "material_conflict"),
)

# PLOVER type → the CAMEO root used when an event has no finer code.
DEFAULT_ROOT: dict[str, str] = {
    "AGREE": "03", "CONSULT": "04", "SUPPORT": "05", "COOPERATE": "06", "AID": "07",
    "CONCEDE": "08", "RETREAT": "08", "ACCUSE": "11", "REQUEST": "10", "REJECT": "12",
    "THREATEN": "13", "PROTEST": "14", "MOBILIZE": "15", "SANCTION": "16", "COERCE": "17",
    "ASSAULT": "19",
}


@dataclass(frozen=True, slots=True)
class Coding:
    """What one CAMEO code means in PLOVER."""

    cameo: str
    type: str
    mode: str | None
    contexts: tuple[str, ...]


def quad_class(cameo: str | None) -> str | None:
    """CAMEO quad class of a code ("0311" → verbal_cooperation)."""
    if not cameo or not cameo[:2].isdigit():
        return None
    root = int(cameo[:2])
    for lo, hi, name in _QUADS:
        if lo <= root <= hi:
            return name
    return None


def cameo_root(cameo: str | None) -> str | None:
    return cameo[:2] if cameo and cameo[:2].isdigit() else None


_LINE = re.compile(r"^(\d{2,4}):\s*([^#]*)")


def parse_cameo_table(text: str) -> dict[str, Coding]:
    """Parse ``code: TYPE, mode, context[; context] # gloss`` lines; roots ("03: AGREE")
    code as the bare type. Later lines for the same code keep the first (the table repeats)."""
    table: dict[str, Coding] = {}
    for line in text.splitlines():
        m = _LINE.match(line.strip())
        if not m:
            continue
        code, body = m.group(1), m.group(2)
        parts = [p.strip() for p in body.split(",")]
        ptype = plover_type(parts[0])  # a table in 0.5b1 terms says DEMAND for REQUEST
        if not ptype:
            continue
        mode = parts[1] if len(parts) > 1 and parts[1] else None
        ctx = tuple(c.strip() for c in parts[2].split(";") if c.strip()) if len(parts) > 2 else ()
        table.setdefault(code, Coding(code, ptype, mode, ctx))
    return table


def load_cameo_table(relpath: str = "events/cameo2plover.txt",
                     corrections: str | None = "events/cameo2plover_manual.txt") -> dict[str, Coding]:
    """The published table with Kronika's corrections on top: codes where the PLOVER manual
    says otherwise than the 2021 table (``cameo2plover_manual.txt`` names the section for
    each). They are a separate file so that the published table stays verbatim and each
    departure from it is visible and cited."""
    table = parse_cameo_table(read_text(relpath))
    if corrections:
        table.update(parse_cameo_table(read_text(corrections)))
    return table
