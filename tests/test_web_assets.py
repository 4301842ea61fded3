"""Dashboard assets work offline: no remote URL anywhere, the base map is sound, and the
base-map builder reads shapefiles correctly."""

from __future__ import annotations

import json
import re
import struct

from hypothesis import given, settings
from hypothesis import strategies as st

from kronika.web import STATIC, plotly_js, swagger_dir
from kronika.web.basemap import read_dbf, read_polygons, simplify

REMOTE = re.compile(r"""(?:src|href|url|import)\s*[=(]?\s*["']?(?:https?:)?//""", re.I)


def test_web_assets_load_nothing_from_the_network() -> None:
    files = [*STATIC.glob("*.html"), *STATIC.glob("*.css"), *STATIC.glob("*.js"), *STATIC.glob("js/*.js")]
    assert len(files) >= 8
    for f in files:
        assert not REMOTE.search(f.read_text(encoding="utf-8")), f


def test_web_vendor_libraries_come_from_installed_packages() -> None:
    js = plotly_js()
    assert js is not None and js.stat().st_size > 1_000_000
    folder = swagger_dir()
    if folder is not None:  # swagger-ui-py is optional for the dashboard itself
        assert (folder / "swagger-ui-bundle.js").is_file()
    assert not (STATIC / "vendor").exists()  # nothing copied into the repository


def test_web_base_map_covers_the_world() -> None:
    world = json.loads((STATIC / "world-110m.json").read_text(encoding="utf-8"))
    assert "Natural Earth" in world["source"]
    by_iso = {c["iso"]: c for c in world["countries"]}
    assert len(world["countries"]) >= 170
    for iso in ("JPN", "RUS", "USA", "BRA", "AUS", "NGA", "IND"):
        assert by_iso[iso]["rings"], iso
    for c in world["countries"]:
        for ring in c["rings"]:
            assert len(ring) >= 4
            assert all(-180 <= lon <= 180 and -90 <= lat <= 90 for lon, lat in ring)


def shapefile(polygons: list[list[list[tuple[float, float]]]]) -> bytes:
    """A minimal polygon shapefile (type 5) holding ``polygons``."""
    out = bytearray(100)
    for n, rings in enumerate(polygons, start=1):
        points = [p for r in rings for p in r]
        parts, at = [], 0
        for r in rings:
            parts.append(at)
            at += len(r)
        body = struct.pack("<i4d", 5, 0, 0, 0, 0) + struct.pack("<ii", len(rings), len(points))
        body += struct.pack(f"<{len(parts)}i", *parts)
        body += b"".join(struct.pack("<2d", x, y) for x, y in points)
        out += struct.pack(">ii", n, len(body) // 2) + body
    return bytes(out)


def dbf(rows: list[dict[str, str]], fields: list[tuple[str, int]]) -> bytes:
    header_len = 32 + 32 * len(fields) + 1
    rec_len = 1 + sum(size for _, size in fields)
    out = bytearray(struct.pack("<BBBBIHH20x", 3, 0, 1, 1, len(rows), header_len, rec_len))
    for name, size in fields:
        out += struct.pack("<11sc4xB15x", name.encode(), b"C", size)
    out += b"\r"
    for row in rows:
        out += b" " + b"".join(row[name].encode().ljust(size) for name, size in fields)
    return bytes(out)


coord = st.tuples(st.floats(-180, 180), st.floats(-90, 90))
ring = st.lists(coord, min_size=4, max_size=12)


@settings(max_examples=50, deadline=None)
@given(st.lists(st.lists(ring, min_size=1, max_size=3), min_size=1, max_size=4))
def test_web_basemap_reads_back_the_polygons_it_was_given(polygons) -> None:  # type: ignore[no-untyped-def]
    assert read_polygons(shapefile(polygons)) == polygons


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(st.text("ABCXYZ", min_size=3, max_size=3), st.text("abc ", max_size=10)), max_size=5))
def test_web_basemap_reads_dbf_records(rows) -> None:  # type: ignore[no-untyped-def]
    records = [{"iso_a3": iso, "name": name} for iso, name in rows]
    got = read_dbf(dbf(records, [("iso_a3", 3), ("name", 10)]))
    assert got == [{"iso_a3": r["iso_a3"], "name": r["name"].strip()} for r in records]


def test_web_basemap_simplify_rounds_and_drops_repeats() -> None:
    assert simplify([(1.04, 2.0), (1.01, 2.02), (3.0, 4.0)]) == [[1.0, 2.0], [3.0, 4.0]]
