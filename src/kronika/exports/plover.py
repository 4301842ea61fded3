"""Kronika event records → PLOVER JSON records (the POLECAT/PLOVER interchange layout).

Field names follow the PLOVER manual's "JSON Data Fields" chapter (Open Event Data
Alliance, https://github.com/openeventdata/PLOVER): ``id``, ``date``/``enddate``,
``source``/``recipient`` (lists of actor objects: ``code``, ``sector``, ``actor_text``,
``identifier_text``, ``office``), ``event`` (a list of categories), ``mode``, ``context``,
``quad_code``, ``event_scale`` (the Goldstein score), ``event_loc`` (GeoNames field names), ``event_text``, ``text``,
``text_info``, ``cite_info``, ``link``, ``coder``, ``coded_date``. PLOVER invites named
extra fields; what Kronika knows that PLOVER has no name for sits under ``kronika``.
The mapping is documented field by field in ``data/export/codebook.yaml`` (codebook.md).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

QUAD_CODES: dict[str, int] = {
    "verbal_cooperation": 1, "material_cooperation": 2, "verbal_conflict": 3, "material_conflict": 4,
}


def _actor(member: Mapping[str, Any]) -> dict[str, Any]:
    """A PLOVER actor object: ``code`` is the three-letter top-level code (the country, or
    the organisation for an IGO code), ``sector`` the CAMEO sector."""
    code = member.get("actor") or member.get("country")
    top = code[:3] if isinstance(code, str) and code else None
    return {
        "code": top, "sector": member.get("sector"), "actor_text": member.get("text"),
        "identifier_text": member.get("entity"), "office": member.get("role"),
        "actor_code": code, "country": member.get("country"),
    }


def _actors(side: Any) -> list[dict[str, Any]]:
    if not side:
        return []
    return [_actor(m) for m in (side if isinstance(side, list) else [side]) if isinstance(m, Mapping)]


def _location(loc: Mapping[str, Any] | None) -> dict[str, Any] | None:
    if not loc:
        return None
    return {"geonameid": loc.get("geonameid"), "name": loc.get("name"), "latitude": loc.get("lat"),
            "longitude": loc.get("lon"), "country code": loc.get("country")}


def plover_record(record: Mapping[str, Any], *, coder: str, codebook: str, coded_date: str) -> dict[str, Any]:
    """One PLOVER record of one Kronika event record (read with spans: ``date_start`` and
    ``date_end`` give PLOVER's day-precise ``date``/``enddate``)."""
    date = record.get("date") or {}
    return {
        "id": record["event_id"],
        "has_event": True,
        "date": record.get("date_start"),
        "enddate": record.get("date_end"),
        "source": _actors(record.get("source")),
        "recipient": _actors(record.get("target")),
        "event": [record["type"]],
        "mode": record.get("mode") or "",
        "context": list(record.get("contexts") or []),
        "quad_code": QUAD_CODES.get(record.get("quad_class") or ""),
        "event_scale": record.get("goldstein"),
        "event_loc": _location(record.get("location")),
        "event_text": [record["trigger"]] if record.get("trigger") else [],
        "text": record.get("evidence"),
        "text_info": {"sequence": record.get("sentence"), "start": record.get("evidence_start"),
                      "end": record.get("evidence_end")},
        "cite_info": {"corpus": record.get("doc_id"), "citation": record.get("article_id"),
                      "title": record.get("article_title"), "coder": coder, "codebook": codebook},
        "link": record.get("cluster_id"),
        "coder": f"{coder} {record.get('component') or ''}".strip(),
        "coded_date": coded_date,
        "kronika": {
            "status": record.get("status"), "cameo": record.get("cameo"),
            "penta_class": record.get("penta_class"), "background": record.get("background"),
            "confidence": record.get("confidence"), "date_value": date.get("value"),
            "date_text": date.get("text"), "date_origin": date.get("origin"),
            "article_date": record.get("article_date"),
        },
    }
