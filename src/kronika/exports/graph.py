"""Actor networks and map points as files: GEXF 1.3, GeoJSON, CSV.

Inputs are what the query layer returns to the API (``actor_network`` → ``{nodes, edges}``,
``map_points`` → point rows), so a file and the endpoint of the same filter agree.

* GEXF 1.3 (https://gexf.net/schema.html): ``<gexf version="1.3">`` → ``<meta>`` →
  ``<graph defaultedgetype="directed">`` with declared ``<attributes>`` (events per node,
  events per quad class per edge), ``<nodes>`` and ``<edges>`` carrying ``weight``. Built
  with ElementTree, so every name is escaped. Gephi, networkx and igraph read it.
* GeoJSON (RFC 7946): a ``FeatureCollection`` of ``Point`` features, coordinates
  ``[longitude, latitude]`` (the RFC's order, the reverse of the API's ``lat``/``lon``).
"""

from __future__ import annotations

import csv
import datetime as dt
import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from typing import IO, Any

from kronika.errors import QueryError
from kronika.query import QUAD_CLASSES
from kronika.store.eventcsv import safe_text

GEXF_NS = "http://gexf.net/1.3"
_XSI = "http://www.w3.org/2001/XMLSchema-instance"
NETWORK_CSV_COLUMNS: tuple[str, ...] = ("source", "source_label", "target", "target_label", "weight", *QUAD_CLASSES)
POINT_PROPERTIES: tuple[str, ...] = (
    "event_id", "place", "geonameid", "place_origin", "type", "quad_class", "status", "date", "source_country",
    "target_country", "evidence", "article_id", "cluster_id",
)
MAP_CSV_COLUMNS: tuple[str, ...] = ("event_id", "lat", "lon", *POINT_PROPERTIES[1:])


def top_nodes(network: Mapping[str, Any], n: int | None) -> dict[str, Any]:
    """The ``n`` nodes with most events and the edges among them (all when ``n`` is None).

    Why trim nodes, not edges: a readable network keeps its main actors whole; the nodes
    are already ordered by events (then id), so the cut is stable."""
    if n is None:
        return {"nodes": list(network["nodes"]), "edges": list(network["edges"])}
    if n < 1:
        raise QueryError(f"top must be >= 1, got {n}", code="K502")
    nodes = list(network["nodes"])[:n]
    kept = {node["id"] for node in nodes}
    edges = [e for e in network["edges"] if e["source"] in kept and e["target"] in kept]
    return {"nodes": nodes, "edges": edges}


def gexf_text(network: Mapping[str, Any], *, creator: str, description: str) -> str:
    """The network as a GEXF 1.3 document."""
    ET.register_namespace("", GEXF_NS)
    ET.register_namespace("xsi", _XSI)
    root = ET.Element(f"{{{GEXF_NS}}}gexf", {
        "version": "1.3", f"{{{_XSI}}}schemaLocation": f"{GEXF_NS} {GEXF_NS}/gexf.xsd"})
    meta = ET.SubElement(root, f"{{{GEXF_NS}}}meta", {"lastmodifieddate": dt.date.today().isoformat()})
    ET.SubElement(meta, f"{{{GEXF_NS}}}creator").text = creator
    ET.SubElement(meta, f"{{{GEXF_NS}}}description").text = description
    graph = ET.SubElement(root, f"{{{GEXF_NS}}}graph", {"defaultedgetype": "directed", "mode": "static"})
    node_attrs = ET.SubElement(graph, f"{{{GEXF_NS}}}attributes", {"class": "node", "mode": "static"})
    ET.SubElement(node_attrs, f"{{{GEXF_NS}}}attribute", {"id": "events", "title": "events", "type": "integer"})
    edge_attrs = ET.SubElement(graph, f"{{{GEXF_NS}}}attributes", {"class": "edge", "mode": "static"})
    for quad in QUAD_CLASSES:
        ET.SubElement(edge_attrs, f"{{{GEXF_NS}}}attribute", {"id": quad, "title": quad, "type": "integer"})
    nodes = ET.SubElement(graph, f"{{{GEXF_NS}}}nodes", {"count": str(len(network["nodes"]))})
    for node in network["nodes"]:
        el = ET.SubElement(nodes, f"{{{GEXF_NS}}}node", {"id": str(node["id"]), "label": str(node["label"])})
        values = ET.SubElement(el, f"{{{GEXF_NS}}}attvalues")
        ET.SubElement(values, f"{{{GEXF_NS}}}attvalue", {"for": "events", "value": str(node["events"])})
    edges = ET.SubElement(graph, f"{{{GEXF_NS}}}edges", {"count": str(len(network["edges"]))})
    for i, edge in enumerate(network["edges"]):
        el = ET.SubElement(edges, f"{{{GEXF_NS}}}edge", {
            "id": str(i), "source": str(edge["source"]), "target": str(edge["target"]),
            "weight": str(edge["weight"])})
        values = ET.SubElement(el, f"{{{GEXF_NS}}}attvalues")
        for quad in QUAD_CLASSES:
            ET.SubElement(values, f"{{{GEXF_NS}}}attvalue", {"for": quad, "value": str(edge["by_quad"].get(quad, 0))})
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def write_network_csv(network: Mapping[str, Any], fh: IO[str]) -> int:
    """One row per edge (``NETWORK_CSV_COLUMNS``); returns the number of edges."""
    labels = {n["id"]: n["label"] for n in network["nodes"]}
    writer = csv.writer(fh, lineterminator="\n")
    writer.writerow(NETWORK_CSV_COLUMNS)
    for e in network["edges"]:
        writer.writerow([safe_text(str(e["source"])), safe_text(str(labels.get(e["source"], e["source"]))),
                         safe_text(str(e["target"])), safe_text(str(labels.get(e["target"], e["target"]))),
                         e["weight"], *(e["by_quad"].get(q, 0) for q in QUAD_CLASSES)])
    return len(network["edges"])


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, (dt.date, dt.datetime)) else value


def geojson(points: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """A GeoJSON FeatureCollection with one Point feature per located event."""
    return {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "id": p["event_id"],
             "geometry": {"type": "Point", "coordinates": [float(p["lon"]), float(p["lat"])]},
             "properties": {k: _plain(p.get(k)) for k in (*POINT_PROPERTIES, *_counted(p))}}
            for p in points if p.get("lat") is not None and p.get("lon") is not None
        ],
    }


def _counted(point: Mapping[str, Any]) -> tuple[str, ...]:
    """``("reports",)`` for the points of a happenings map (``count="events"``), whose
    each point stands for that many located reports; else nothing."""
    return ("reports",) if "reports" in point else ()


def _map_cell(value: Any) -> Any:
    value = _plain(value)
    if value is None:
        return ""
    return safe_text(value) if isinstance(value, str) else value


def write_map_csv(points: Sequence[Mapping[str, Any]], fh: IO[str]) -> int:
    """One row per located event (``MAP_CSV_COLUMNS``); returns the number of rows."""
    writer = csv.writer(fh, lineterminator="\n")
    columns = (*MAP_CSV_COLUMNS, *_counted(points[0])) if points else MAP_CSV_COLUMNS
    writer.writerow(columns)
    for p in points:
        writer.writerow([_map_cell(p.get(c)) for c in columns])
    return len(points)
