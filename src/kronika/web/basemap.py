"""Build the dashboard's offline base map from Natural Earth data shipped in a PyPI package.

Why a build step: the map must draw with no network, and no maintained PyPI package ships
world country outlines in a form a browser reads directly. geopandas (< 1.0) ships Natural
Earth's 1:110m "admin 0 countries" as a shapefile in its package data
(``geopandas/datasets/naturalearth_lowres``; Natural Earth is public domain). This script reads
that shapefile straight out of the wheel and writes ``static/world-110m.json`` — country
rings as [lon, lat] pairs rounded to 0.1°, keyed by ISO 3166-1 alpha-3 — which the
dashboard draws with Plotly.

Regenerate (geopandas is only needed for this, not at run time)::

    pip download --no-deps -d /tmp/gp geopandas==0.14.4
    python -m kronika.web.basemap /tmp/gp/geopandas-0.14.4-py3-none-any.whl
"""

from __future__ import annotations

import json
import struct
import sys
import zipfile
from pathlib import Path

SHP = "geopandas/datasets/naturalearth_lowres/naturalearth_lowres.shp"
DBF = "geopandas/datasets/naturalearth_lowres/naturalearth_lowres.dbf"
OUT = Path(__file__).parent / "static" / "world-110m.json"
SOURCE = ("Natural Earth 1:110m admin-0 countries (public domain), from geopandas 0.14.4 package "
          "data naturalearth_lowres; rounded to 0.1 degree by kronika.web.basemap")


def read_polygons(shp: bytes) -> list[list[list[tuple[float, float]]]]:
    """Rings of every polygon record (shape type 5) in a shapefile, in file order."""
    out: list[list[list[tuple[float, float]]]] = []
    pos = 100
    while pos + 8 <= len(shp):
        _, length = struct.unpack(">ii", shp[pos : pos + 8])
        body = shp[pos + 8 : pos + 8 + length * 2]
        pos += 8 + length * 2
        if struct.unpack("<i", body[:4])[0] != 5:
            out.append([])
            continue
        n_parts, n_points = struct.unpack("<ii", body[36:44])
        parts = list(struct.unpack(f"<{n_parts}i", body[44 : 44 + 4 * n_parts])) + [n_points]
        base = 44 + 4 * n_parts
        coords = struct.unpack(f"<{2 * n_points}d", body[base : base + 16 * n_points])
        points = list(zip(coords[0::2], coords[1::2], strict=True))
        out.append([points[parts[i] : parts[i + 1]] for i in range(n_parts)])
    return out


def read_dbf(dbf: bytes) -> list[dict[str, str]]:
    """Records of a dBASE III table as strings (enough for names and ISO codes)."""
    n_rec, header_len, rec_len = struct.unpack("<IHH", dbf[4:12])
    fields: list[tuple[str, int]] = []
    pos = 32
    while dbf[pos] != 0x0D:
        name = dbf[pos : pos + 11].split(b"\0")[0].decode("ascii")
        fields.append((name, dbf[pos + 16]))
        pos += 32
    rows = []
    for r in range(n_rec):
        rec = dbf[header_len + r * rec_len : header_len + (r + 1) * rec_len]
        off, row = 1, {}
        for name, size in fields:
            row[name] = rec[off : off + size].decode("utf-8", "replace").strip()
            off += size
        rows.append(row)
    return rows


def simplify(ring: list[tuple[float, float]]) -> list[list[float]]:
    """Round to 0.1° and drop repeated points: a 1:110m outline needs no more."""
    out: list[list[float]] = []
    for lon, lat in ring:
        p = [round(lon, 1), round(lat, 1)]
        if not out or out[-1] != p:
            out.append(p)
    return out


def build(wheel: Path, out: Path = OUT) -> int:
    with zipfile.ZipFile(wheel) as zf:
        polys = read_polygons(zf.read(SHP))
        rows = read_dbf(zf.read(DBF))
    countries = []
    for row, rings in zip(rows, polys, strict=True):
        kept = [r for r in (simplify(x) for x in rings) if len(r) >= 4]
        if kept:
            countries.append({"iso": row.get("iso_a3", ""), "name": row.get("name", ""), "rings": kept})
    doc = {"source": SOURCE, "countries": countries}
    out.write_text(json.dumps(doc, separators=(",", ":")), encoding="utf-8")
    return len(countries)


if __name__ == "__main__":  # pragma: no cover - build tool
    n = build(Path(sys.argv[1]))
    sys.stderr.write(f"wrote {n} countries to {OUT}\n")
