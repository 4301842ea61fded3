"""Intensity of an event: its CAMEO Goldstein score and its PLOVER quad and penta class.

Why derived at query time and not stored: the score is a published table
(``data/events/goldstein.tsv``, GDELT's ``CAMEO.goldsteinscale.txt``, Goldstein 1992 as
adapted in the CAMEO manual) applied to what the record already carries, so every store,
old or new, answers with the same numbers, and a corrected table needs no migration.

How an event gets a CAMEO code to look up (most specific first):

1. the record's ``cameo`` when it is a code of three or four digits;
2. the record's PLOVER ``type`` and ``mode`` through the CAMEO→PLOVER table
   (``data/events/cameo2plover.txt``, ``events.ontology``): the most general CAMEO code that
   table maps to that type and mode, within the record's CAMEO root when it has one
   (ASSAULT + ``suicide-attack`` under root 18 → 183, -10.0; COERCE + ``arrest`` → 173, -5.0);
3. the record's CAMEO root ("04" → 1.0), which the extraction always stores;
4. the PLOVER type's default root (``events.ontology.DEFAULT_ROOT``) for a record without one.

A code missing from the table falls back to its three- then two-digit prefix.

Classes: ``quad_class`` is CAMEO's grouping of roots (01–05 verbal cooperation, 06–08
material cooperation, 09–13 verbal conflict, 14–20 material conflict), as GDELT's
QuadClass and Kronika's stored field. ``penta_class`` adds ``neutral`` for roots 01 (make
public statement) and 02 (appeal), the PentaClass convention of the Phoenix and
Cline Center event data sets that PLOVER/POLECAT users meet; PLOVER 2021's own types map
to roots 03–20, so a PLOVER-coded event is neutral only when its CAMEO code says so.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from kronika.resources import iter_tsv

GOLDSTEIN_TABLE = "events/goldstein.tsv"
QUAD_CLASSES: tuple[str, ...] = (
    "verbal_cooperation", "material_cooperation", "verbal_conflict", "material_conflict",
)
PENTA_CLASSES: tuple[str, ...] = ("neutral", *QUAD_CLASSES)
_QUAD_OF_ROOT: tuple[tuple[int, int, str], ...] = (
    (1, 2, "neutral"), (3, 5, "verbal_cooperation"), (6, 8, "material_cooperation"),
    (9, 13, "verbal_conflict"), (14, 20, "material_conflict"),
)


@dataclass(frozen=True)
class Intensity:
    """The Goldstein table and the PLOVER (type, mode) → CAMEO code choices."""

    goldstein: dict[str, float]
    by_type_mode: dict[tuple[str, str | None, str], str]  # (type, mode, root) → most general code
    default_root: dict[str, str]

    @classmethod
    def load(cls) -> Intensity:
        from kronika.events.ontology import DEFAULT_ROOT, load_cameo_table

        table = {r["CAMEOEVENTCODE"]: float(r["GOLDSTEINSCALE"]) for r in iter_tsv(GOLDSTEIN_TABLE)}
        choice: dict[tuple[str, str | None, str], str] = {}
        for code, coding in load_cameo_table().items():
            key = (coding.type, coding.mode, code[:2])
            if key not in choice or len(code) < len(choice[key]):  # the first, most general code
                choice[key] = code
        return cls(table, choice, dict(DEFAULT_ROOT))

    def cameo_code(self, cameo: str | None, type_: str | None, mode: str | None = None) -> str | None:
        """The CAMEO code whose score an event takes (see the module docstring)."""
        code = cameo if cameo and cameo[:2].isdigit() else None
        if code and len(code) >= 3:
            return code
        root = code[:2] if code else self.default_root.get(type_ or "")
        if type_ and mode:
            found = self.by_type_mode.get((type_, mode, root)) if root else None
            if found is None and code is None:  # no root of its own: the mode's code under any root
                found = next((c for (t, m, _), c in self.by_type_mode.items() if t == type_ and m == mode), None)
            if found:
                return found
        return root

    def score(self, cameo: str | None, type_: str | None, mode: str | None = None) -> float | None:
        """The Goldstein score of an event with this CAMEO code, PLOVER type and mode."""
        code = self.cameo_code(cameo, type_, mode)
        while code:
            if code in self.goldstein:
                return self.goldstein[code]
            code = code[:-1] if len(code) > 2 else None
        return None

    def penta(self, cameo: str | None, type_: str | None, quad: str | None = None) -> str | None:
        """``neutral`` or the quad class, from the CAMEO root (else the stored quad class,
        else the type's default root)."""
        root = cameo[:2] if cameo and cameo[:2].isdigit() else None
        if root is None and quad:
            return quad
        root = root or self.default_root.get(type_ or "")
        if not root:
            return None
        n = int(root)
        return next((name for lo, hi, name in _QUAD_OF_ROOT if lo <= n <= hi), None)

    def annotate(self, record: dict[str, Any]) -> dict[str, Any]:
        """Add ``goldstein`` and ``penta_class`` to an event record (in place) and return it."""
        cameo, type_ = record.get("cameo"), record.get("type")
        record["goldstein"] = self.score(cameo, type_, record.get("mode"))
        record["penta_class"] = self.penta(cameo, type_, record.get("quad_class"))
        return record


@functools.cache
def intensity() -> Intensity:
    """The tables, read once per process (an explicit cache: read-only data)."""
    return Intensity.load()
