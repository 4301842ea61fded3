"""Geoparsing scorer (GeoWebNews / TR-News / LGL XML), the gazetteer's name keys, and the
accuracy gate: resolution floors on the shared dev sets that CI refuses to lower."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import SHARED
from kronika.evaluate import geo as ev
from kronika.geo import Geoparser, norm_name

GWN = SHARED / "data" / "geoparsing" / "GeoWebNews" / "GWN.xml"
TRNEWS = SHARED / "data" / "geoparsing" / "TR-News" / "TR-News.xml"

GWN_XML = """<?xml version="1.0" ?><articles><article file="0"><title>t</title>
<text>Rain fell in Paris, Texas and in Lyon.</text><toponyms>
<toponym><extractedName>Paris</extractedName><type>Literal</type><start>13</start><end>18</end>
<geonamesID>4717560</geonamesID><latitude>33.66</latitude><longitude>-95.55</longitude></toponym>
<toponym><extractedName>Texas</extractedName><type>Literal</type><start>20</start><end>25</end>
<geonamesID>4736286</geonamesID><latitude>31.25</latitude><longitude>-99.25</longitude></toponym>
<toponym><extractedName>Lyon</extractedName><type>Literal</type><start>33</start><end>37</end>
<geonamesID>2996944</geonamesID><latitude>45.75</latitude><longitude>4.85</longitude></toponym>
<toponym><extractedName>rain</extractedName><type>Literal_Expression</type><start>0</start><end>4</end></toponym>
</toponyms></article></articles>"""

TR_XML = """<?xml version="1.0" encoding="utf-8"?><articles><article docid="7">
<dltime>2016-12-19</dltime><text><![CDATA[Turkish police in Ankara said.]]></text><toponyms>
<toponym><phrase>Turkish</phrase><start>0</start><end>7</end><gaztag geonameid="298795">
<name>Turkey</name><lat>39</lat><lon>35</lon></gaztag></toponym>
<toponym><phrase>Ankara</phrase><start>19</start><end>25</end><gaztag geonameid="323786">
<name>Ankara</name><lat>39.92</lat><lon>32.85</lon></gaztag></toponym>
</toponyms></article></articles>"""


@pytest.fixture(scope="module")
def geoparser(settings) -> Geoparser:
    return Geoparser(settings)


def test_geo_read_gold_both_formats(tmp_path):
    (tmp_path / "gwn.xml").write_text(GWN_XML, encoding="utf-8")
    (tmp_path / "tr.xml").write_text(TR_XML, encoding="utf-8")
    gwn, = ev.read_gold(tmp_path / "gwn.xml")
    tr, = ev.read_gold(tmp_path / "tr.xml")
    assert [t.text for t in gwn.toponyms if ev.is_place(t)] == ["Paris", "Texas", "Lyon"]
    assert gwn.text[13:18] == "Paris" and gwn.toponyms[0].geonameid == 4717560
    assert (tr.doc_id, tr.date, tr.toponyms[1].lat) == ("7", "2016-12-19", 39.92)


def test_geo_resolution_given_gold(tmp_path, geoparser):
    (tmp_path / "gwn.xml").write_text(GWN_XML, encoding="utf-8")
    (tmp_path / "tr.xml").write_text(TR_XML, encoding="utf-8")
    for name in ("gwn.xml", "tr.xml"):
        score = ev.evaluate_resolution(geoparser.resolver, ev.read_gold(tmp_path / name))
        assert score.accuracy_161 == 1.0, name  # Paris *Texas* by its container; "Turkish" → Turkey


def test_geo_auc_bounds():
    assert ev.auc([0.0, 0.0, 0.0]) == 0.0
    assert ev.auc([ev.MAX_KM] * 3) == pytest.approx(1.0, abs=1e-4)  # log(1+e) vs log(e)
    assert 0.0 < ev.auc([0.0, 100.0, 5000.0]) < 1.0


@given(st.lists(st.floats(min_value=0.0, max_value=ev.MAX_KM), min_size=1, max_size=40))
def test_geo_auc_is_normalised(errors):
    value = ev.auc(errors)
    assert 0.0 <= value <= 1.0 + 1e-4
    assert ev.auc([e / 2 for e in errors]) <= value + 1e-9  # smaller errors never score worse


def test_geo_span_scores():
    gold = [[(0, 5), (10, 15)], [(3, 8)]]
    system = [[(0, 5), (11, 15), (20, 25)], []]
    s = ev.score_spans(gold, system)
    assert (s.n_gold, s.n_system) == (3, 3)
    assert s.strict[:2] == pytest.approx((1 / 3, 1 / 3))
    assert s.relaxed[:2] == pytest.approx((2 / 3, 2 / 3))


@given(st.text(max_size=30))
def test_geo_norm_name_is_idempotent_lowercase(text):
    key = norm_name(text)
    assert norm_name(key) == key
    assert key == key.lower() and key == key.strip() and "  " not in key


@pytest.mark.parametrize(("a", "b"), [("São Paulo", "Sao Paulo"), ("U.S.", "US"), ("Nagorno-Karabakh", "Nagorno Karabakh")])
def test_geo_norm_name_folds_variants(a, b):
    assert norm_name(a) == norm_name(b)


# --------------------------------------------------------------------------- accuracy gate

# Floors measured on the dev sets (resolution given gold toponyms, acc@161 km); raise
# them when the resolver improves, never lower them silently.
# Round 2 measured GeoWebNews 0.9043, TR-News 0.9278 (cities1000 towns as candidates,
# robust-medoid focus, repeated names no evidence for themselves, derived demonyms).
# Round 3 measured GeoWebNews 0.9220, TR-News 0.9365 (airports, context-only codes,
# demonym-led names, famous namesakes, split historic counties, containers, world features).
FLOORS = {"TR-News": (TRNEWS, 0.93), "GeoWebNews": (GWN, 0.915)}


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_geo_resolution_accuracy_gate(geoparser, name):
    path, floor = FLOORS[name]
    if not path.exists():
        pytest.skip(f"{path} not present")
    score = ev.evaluate_resolution(geoparser.resolver, ev.read_gold(path))
    assert score.accuracy_161 >= floor, score.summary()
    assert math.isfinite(score.auc) and score.auc < 0.17


def test_geo_cli_no_spans(tmp_path):
    from typer.testing import CliRunner

    from kronika.cli import _register, app

    _register()
    (tmp_path / "tr.xml").write_text(TR_XML, encoding="utf-8")
    result = CliRunner().invoke(app, ["evaluate", "geo", str(tmp_path / "tr.xml"), "--no-spans", "--json"])
    assert result.exit_code == 0, result.output
    assert '"accuracy_161km": 1.0' in result.output
