"""Kronika event records → PLOVER JSON records, in the two layouts PLOVER data travel in.

``plover_record``: the PLOVER manual's interchange record. ``polecat_record``: the record of
POLECAT, the PLOVER-coded data set (its coder NGEC's JSON). ``kronika export`` writes them
as ``-f plover`` and ``-f polecat``.

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


def _place_reason(loc: Mapping[str, Any] | None) -> str:
    """POLECAT's ``reason``: how the place is known (``location.origin``)."""
    if not loc:
        return "no place named for the event"
    if loc.get("origin") == "context":
        return "the place the article names for the story (not repeated in the sentence)"
    return "the place the sentence names"


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


def _polecat_actor(member: Mapping[str, Any]) -> dict[str, Any]:
    """An actor object as POLECAT's coder (NGEC) writes it under ``attributes``: ``text``,
    ``wiki`` (the resolved name), ``country`` (ISO alpha-3), ``code_1``/``code_2`` (sectors),
    ``country_name``."""
    country = member.get("country")
    return {"text": member.get("text"), "wiki": member.get("entity"), "country": country,
            "code_1": member.get("sector") or "", "code_2": "", "country_name": _country_name(country, 3),
            "actor_code": member.get("actor"), "role": member.get("role")}


def _country_name(code: Any, width: int) -> str:
    if not isinstance(code, str) or len(code) != width:
        return ""
    import pycountry

    country = pycountry.countries.get(**{f"alpha_{width}": code})
    return country.name if country else ""


def _alpha3(alpha2: Any) -> str | None:
    if not isinstance(alpha2, str) or len(alpha2) != 2:
        return None
    import pycountry

    country = pycountry.countries.get(alpha_2=alpha2)
    return country.alpha_3 if country else None


def _members(side: Any) -> list[Mapping[str, Any]]:
    if not side:
        return []
    return [m for m in (side if isinstance(side, list) else [side]) if isinstance(m, Mapping)]


def polecat_record(record: Mapping[str, Any], *, coder: str) -> dict[str, Any]:
    """One event in the record layout of POLECAT, the PLOVER data set (its coder NGEC,
    https://github.com/ahalterman/NGEC, ``formatter.py``): ``event_type``, ``event_mode``,
    ``contexts``, ``attributes`` {``ACTOR``, ``RECIP``, ``LOC``}, ``event_geolocation``
    {``geo``, ``reason``}, ``date``/``pub_date``/``date_resolved``/``date_raw``,
    ``story_id``, ``headline``, ``version``."""
    date = record.get("date") or {}
    loc = record.get("location")
    geo = None
    if loc:
        geo = {"geonameid": None if loc.get("geonameid") is None else str(loc["geonameid"]),
               "lat": loc.get("lat"), "lon": loc.get("lon"), "resolved_placename": loc.get("name"),
               "country_code3": _alpha3(loc.get("country"))}
    return {
        "id": record["event_id"],
        "date": record.get("article_date"),
        "pub_date": record.get("article_date"),
        "date_resolved": record.get("date_start"),
        "date_raw": date.get("text") or "<No date detected--using publication date>",
        "event_type": record["type"],
        "event_mode": [record["mode"]] if record.get("mode") else [],
        "contexts": list(record.get("contexts") or []),
        "event_text": record.get("evidence"),
        "attributes": {
            "ACTOR": [_polecat_actor(m) for m in _members(record.get("source"))],
            "RECIP": [_polecat_actor(m) for m in _members(record.get("target"))],
            "LOC": [{"text": loc.get("name")}] if loc else [],
        },
        "event_geolocation": {"geo": geo, "reason": _place_reason(loc)},
        "story_id": record.get("article_id"),
        "headline": record.get("article_title"),
        "version": f"{coder} {record.get('component') or ''}".strip(),
        "kronika": {
            "status": record.get("status"), "quad_class": record.get("quad_class"),
            "penta_class": record.get("penta_class"), "goldstein": record.get("goldstein"),
            "cameo": record.get("cameo"), "confidence": record.get("confidence"),
            "date_value": date.get("value"), "date_end": record.get("date_end"),
            "date_origin": date.get("origin"), "cluster_id": record.get("cluster_id"),
            "background": record.get("background"), "doc_id": record.get("doc_id"),
        },
    }
