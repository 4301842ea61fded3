"""What Kronika believes about a name on a date, and why (``kronika actors show``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from kronika.actors.dictionary import ActorEntry, sector_of
from kronika.actors.kb import KnowledgeBase
from kronika.actors.learned import LearnedIndex


def _entry(e: ActorEntry, day: dt.date, how: str) -> dict[str, Any]:
    t = e.role_at(day)
    return {
        "name": e.name,
        "kind": e.kind,
        "code": (t.code if t else None) or e.code,
        "country": e.country,
        "sector": (sector_of(t.code) if t else None) or e.sector,
        "role": t.role if t else None,
        "how": how + (f"; role on {day.isoformat()}: {t.role or t.code} {t.span()}" if t else ""),
        "source": e.source,
        "roles": [{"code": r.code, "role": r.role, "start": r.start.isoformat() if r.start else None,
                   "end": r.end.isoformat() if r.end else None} for r in e.roles],
    }


def describe(name: str, day: dt.date, kb: KnowledgeBase, learned: LearnedIndex | None = None) -> list[dict[str, Any]]:
    """Every reading of ``name``: knowledge-base phrases (countries, demonyms, metonyms,
    organisations, people, role words), people sharing the surname, learned people."""
    out: list[dict[str, Any]] = []
    seen: set[int] = set()
    for lex in kb.lookup(name):
        if lex.actor is not None and id(lex.actor) not in seen:
            seen.add(id(lex.actor))
            out.append(_entry(lex.actor, day, f"kb {lex.tag}: {name!r}"))
        elif lex.agent is not None:
            g = lex.agent
            out.append({"name": g.phrase, "kind": "role word", "code": None, "country": None,
                        "sector": g.sector, "role": g.role, "how": f"role word ({g.source})",
                        "source": g.source, "roles": []})
    if " " not in name.strip():
        for e in kb.people_named(name, day):
            if id(e) not in seen:
                seen.add(id(e))
                out.append(_entry(e, day, f"kb surname: {name!r}"))
    if learned is not None:
        hit = learned.lookup(name, day)
        if hit is not None:
            out.append({"name": hit.entity, "kind": "person", "code": None, "country": hit.country,
                        "sector": hit.sector, "role": hit.role if hit.role_valid(day) else None,
                        "how": hit.describe(), "source": "learned", "roles": []})
    return out
