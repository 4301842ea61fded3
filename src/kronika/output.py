"""Serialisations of an ``Analysis`` that outside tools read (DESIGN.md contracts).

``Event.to_json`` is the event record; this module adds the one-line-per-mention
"entities" format of ``kronika extract --format entities``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from kronika.model import Analysis


def entity_records(analysis: Analysis) -> Iterator[dict[str, Any]]:
    """Every resolved mention (actors, places, times) in text order, as plain dicts."""
    art = analysis.article
    base = {"article_id": art.id, "doc_id": art.doc_id}
    rows: list[tuple[int, dict[str, Any]]] = []
    for a in analysis.actors:
        rows.append((a.start, {
            "kind": "actor", **base, "text": a.text, "start": a.start, "end": a.end,
            "sentence": a.sentence, "actor": a.code, "country": a.country, "sector": a.sector,
            "entity": a.entity, "role": a.role, "actor_kind": a.kind, "how": a.how,
        }))
    for p in analysis.places:
        rows.append((p.start, {
            "kind": "place", **base, "text": p.text, "start": p.start, "end": p.end,
            "sentence": p.sentence, "name": p.name, "geonameid": p.geonameid, "lat": p.lat,
            "lon": p.lon, "country": p.country, "feature": p.feature, "admin1": p.admin1,
            "confidence": round(p.confidence, 3),
        }))
    for t in analysis.times:
        rec: dict[str, Any] = {
            "kind": "time", **base, "text": t.text, "start": t.start, "end": t.end,
            "sentence": t.sentence, "type": t.type, "value": t.value,
        }
        for key in ("mod", "quant", "freq"):
            if getattr(t, key):
                rec[key] = getattr(t, key)
        rows.append((t.start, rec))
    rows.sort(key=lambda r: r[0])
    for _, rec in rows:
        yield rec
