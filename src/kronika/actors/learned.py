"""What the corpus has taught: people introduced by titles and appositives in earlier articles.

The store derives rows from stored person mentions whose ``how`` starts with "appositive"
or "title" (``Store.learned_actor_rows()``); ``LearnedIndex.from_rows`` turns them into a
look-up by full name and by surname. A learned fact is used only when the document itself
and the knowledge base are silent, and its role only near the dates it was seen.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from kronika.actors.kb import norm

# A learned role is trusted this long after it was last seen (offices change).
ROLE_GRACE = dt.timedelta(days=365)


@dataclass(frozen=True, slots=True)
class LearnedActor:
    entity: str
    country: str | None
    sector: str | None
    role: str | None
    first_seen: dt.date | None
    last_seen: dt.date | None
    count: int

    def role_valid(self, day: dt.date) -> bool:
        lo = self.first_seen - ROLE_GRACE if self.first_seen else dt.date.min
        hi = self.last_seen + ROLE_GRACE if self.last_seen else dt.date.max
        return lo <= day <= hi

    def describe(self) -> str:
        a = self.first_seen.isoformat() if self.first_seen else "?"
        b = self.last_seen.isoformat() if self.last_seen else "?"
        return f"learned: {self.role or 'person'} {self.country or '?'} seen {a}..{b} (n={self.count})"


def _day(value: Any) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


class LearnedIndex:
    """Look-up of learned people by full name or surname. Immutable once built."""

    def __init__(self, actors: Iterable[LearnedActor] = ()) -> None:
        self.by_name: dict[str, tuple[LearnedActor, ...]] = {}
        self.by_surname: dict[str, tuple[LearnedActor, ...]] = {}
        for a in actors:
            self.by_name[norm(a.entity)] = (*self.by_name.get(norm(a.entity), ()), a)
            last = norm(a.entity.split()[-1]) if a.entity.split() else ""
            if last:
                self.by_surname[last] = (*self.by_surname.get(last, ()), a)

    @classmethod
    def from_rows(cls, rows: Iterable[Mapping[str, Any]]) -> LearnedIndex:
        """Rows as the store gives them: entity, country, sector, role, first_seen,
        last_seen (dates or ISO strings), count."""
        out: list[LearnedActor] = []
        for r in rows:
            if not r.get("entity"):
                continue
            out.append(LearnedActor(
                entity=str(r["entity"]), country=r.get("country"), sector=r.get("sector"),
                role=r.get("role"), first_seen=_day(r.get("first_seen")),
                last_seen=_day(r.get("last_seen")), count=int(r.get("count") or 1),
            ))
        return cls(out)

    def __len__(self) -> int:
        return sum(len(v) for v in self.by_name.values())

    def lookup(self, name: str, day: dt.date) -> LearnedActor | None:
        """Best learned reading of ``name`` (full name first, then surname): the one seen
        around ``day``, else the most frequent."""
        key = norm(name)
        cands = self.by_name.get(key) or (self.by_surname.get(key) if " " not in key else None)
        if not cands:
            return None
        if len({c.entity for c in cands}) > 1 and " " not in key:
            cands = tuple(c for c in cands if c.role_valid(day)) or ()
            if len({c.entity for c in cands}) != 1:
                return None  # an ambiguous surname teaches nothing
        return max(cands, key=lambda c: (c.role_valid(day), c.count))

    def all(self) -> list[LearnedActor]:
        return [a for v in self.by_name.values() for a in v]
