"""Resolution of hard names: airports, context-only codes, demonym-led names, the
famous namesake, split historic counties, containers and neighbouring feature words,
and the world features list. On the real gazetteer (no parse) except where recognition
itself is the point."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kronika.evaluate import geo as ev
from kronika.geo import GazEntry, Geoparser, km
from kronika.geo.airports import airport_names
from kronika.geo.gazetteer import _county_core
from kronika.geo.resolve import Toponym, partial_forms
from kronika.resources import iter_tsv, load_yaml


@pytest.fixture(scope="module")
def geoparser(settings) -> Geoparser:
    return Geoparser(settings)


def _resolve(geoparser: Geoparser, tops: list[Toponym | str]) -> list[GazEntry | None]:
    tops = [t if isinstance(t, Toponym) else Toponym(t) for t in tops]
    return [r.entry if r else None for r in geoparser.resolver.resolve(tops)]


# --------------------------------------------------------------------------- airports


@pytest.mark.parametrize(
    ("name", "city", "full", "bare"),
    [
        ("London Heathrow Airport", "London", {"London Heathrow Airport", "Heathrow Airport"}, {"Heathrow"}),
        ("Chicago O'Hare International Airport", "Chicago", {"O'Hare International Airport"}, {"O'Hare"}),
        ("Ottawa / Macdonald-Cartier International Airport", "Ottawa",
         {"Macdonald-Cartier International Airport"}, {"Macdonald-Cartier"}),
        ("Denver International Airport", "Denver", {"Denver International Airport"}, set()),
        ("Parry Sound Area Municipal Airport", "Parry Sound", {"Parry Sound Area Municipal Airport"}, set()),
    ],
)
def test_geo_airport_names(name, city, full, bare):
    got_full, got_bare = airport_names(name, city)
    assert full <= set(got_full) and set(got_bare) == bare
    assert city not in got_full + got_bare  # an airport never takes its city's bare name


@given(st.text(max_size=40), st.text(max_size=12))
def test_geo_airport_names_never_generic(name, city):
    full, bare = airport_names(name, city)
    for form in full + bare:
        assert form.strip() and form.lower() not in {"airport", "international airport", "air base", city.lower()}


def test_geo_airports_beat_their_village_namesakes(geoparser):
    pytest.importorskip("airportsdata")
    out = _resolve(geoparser, ["Heathrow", "London"])
    assert out[0].feature == "airport" and out[0].country == "GBR"
    assert km(out[0].lat, out[0].lon, 51.47, -0.45) < 10
    e, = _resolve(geoparser, ["Macdonald-Cartier International Airport"])
    assert e.feature == "airport" and e.country == "CAN"


def test_geo_airport_bare_names_not_for_small_towns_airports(geoparser):
    # a small airport's bare name ("Ford Airport" → "Ford") and an airport's own town's
    # name are not airport readings
    for name in ("Ford", "Denver", "Republic"):
        assert all(e.feature != "airport" for e, _ in geoparser.gazetteer.lookup(name)), name


def test_geo_parts_are_airports_only_when_the_name_says_airport(geoparser):
    gaz = geoparser.gazetteer
    assert all(e.feature != "airport" for e, _ in partial_forms(gaz, "Islamic Republic"))
    assert all(e.feature != "airport" for e, _ in partial_forms(gaz, "Heathrow Animal Centre"))


def test_geo_airport_recognised_in_text(parse, geoparser):
    pytest.importorskip("airportsdata")
    doc = parse("The flight landed at O'Hare International Airport on Monday.")
    places = geoparser(doc, ())
    assert any(p.feature == "airport" and p.country == "USA" for p in places)


# --------------------------------------------------------------------------- context codes


def test_geo_context_codes_follow_the_story(geoparser):
    sa = _resolve(geoparser, ["SA", "Limpopo", "Johannesburg"])[0]
    assert sa.country == "ZAF" and sa.feature == "country"
    wa = _resolve(geoparser, ["WA", "Perth", "Fremantle"])[0]
    assert (wa.name, wa.country) == ("Western Australia", "AUS")
    wa_us = _resolve(geoparser, ["WA", "Seattle", "Tacoma"])[0]
    assert wa_us.country == "USA"
    assert _resolve(geoparser, ["T&T"])[0].country == "TTO"


def test_geo_context_codes_are_never_recognised(parse, geoparser):
    # "SA" the company suffix and "Vic" the first name are no places in running text
    gaz = geoparser.gazetteer
    assert not gaz.has("sa", "SA") and all(e.country != "AUS" for e, _ in gaz.lookup("Vic", codes=False))
    doc = parse("Airbus SA said Captain Vic Artiga flew the plane.")
    assert not any(p.country in ("ZAF", "AUS") for p in geoparser(doc, ()))


def test_geo_context_codes_file_resolves_every_row(geoparser):
    gaz = geoparser.gazetteer
    for row in iter_tsv("geo/abbreviations.tsv"):
        assert any(e.country == row["country"] for e, _ in gaz.lookup(row["code"])), row


# --------------------------------------------------------------------------- demonyms


@pytest.mark.parametrize(
    ("text", "place"),
    [("European Commission", "Europe"), ("Russian Higher School of Economics", "Russia"),
     ("African National Congress", "Africa")],
)
def test_geo_name_led_by_a_demonym(geoparser, text, place):
    assert _resolve(geoparser, [text])[0].name.startswith(place[:5])


@pytest.mark.parametrize("text", ["French Quarter", "Frenchmen Street", "Chinese Embassy", "Percy French Hotel"])
def test_geo_demonym_names_that_lie_elsewhere(geoparser, text):
    assert partial_forms(geoparser.gazetteer, text) == []


def test_geo_arab_is_the_arab_world(geoparser):
    e, = _resolve(geoparser, ["Arab"])
    assert e.name == "Arab world" and e.country is None


# --------------------------------------------------------------------------- namesakes


def test_geo_famous_namesake_beats_country_share(geoparser):
    # a US story: London stays in England without local evidence for Ohio
    out = _resolve(geoparser, ["Washington", "New York", "U.S.", "London"])
    assert out[3].country == "GBR"


def test_geo_namesake_wins_with_local_evidence(geoparser):
    out = _resolve(geoparser, [Toponym("London", container=1), "Ohio"])
    assert (out[0].country, out[0].admin1) == ("USA", "Ohio")
    out = _resolve(geoparser, ["London", "Ontario", "Toronto", "Canada"])
    assert out[0].country == "CAN"


def test_geo_container_is_a_state_not_a_city(geoparser):
    out = _resolve(geoparser, [Toponym("Bronx", container=1), "New York"])
    assert out[1].feature == "admin1"
    # a list is no container: "Washington, New York and Boston" are cities
    out = _resolve(geoparser, [Toponym("Washington", container=1), "New York", "Boston"])
    assert out[1].feature == "city"


def test_geo_governor_asks_for_the_state(geoparser):
    text = "Former New York Gov. Mario Cuomo died."
    assert ev.text_hint(text, 7, 15) == "admin1"
    e, = _resolve(geoparser, [Toponym("New York", ev.text_hint(text, 7, 15))])
    assert e.feature == "admin1"
    assert ev.text_hint("He lives in New York and works.", 12, 20) is None


@pytest.mark.parametrize(
    ("name", "core"),
    [("North Yorkshire", "Yorkshire"), ("East Riding of Yorkshire", "Yorkshire"),
     ("Cheshire West and Chester", "Cheshire"), ("West Berkshire", "Berkshire"),
     ("Central City", ""), ("Kent", ""), ("North 24 Parganas", "")],
)
def test_geo_county_core(name, core):
    assert _county_core(name) == core


def test_geo_split_historic_counties(geoparser):
    out = _resolve(geoparser, ["Yorkshire", "Cheshire", "Britain"])
    assert [e.country for e in out[:2]] == ["GBR", "GBR"]
    assert km(out[0].lat, out[0].lon, 54.0, -1.2) < 120


def test_geo_derived_region_inside_a_name_is_no_place(geoparser):
    # "Douglas" is an Isle of Man district derived from town tables; the school is not there
    assert partial_forms(geoparser.gazetteer, "Marjory Stoneman Douglas High School") == []


# --------------------------------------------------------------------------- world features


def test_geo_world_features_are_complete():
    names = {p["name"] for p in load_yaml("geo/extras.yaml")["places"]}
    for must in ("Pacific Ocean", "Atlantic Ocean", "Indian Ocean", "Arctic Ocean", "Southern Ocean",
                 "Europe", "Asia", "Africa", "North America", "South America", "Oceania", "Antarctica",
                 "Caribbean Sea", "Bay of Bengal", "Andes", "Rocky Mountains", "Gobi Desert", "Danube",
                 "Niger Delta", "Levant", "West Coast", "Midwest"):
        assert must in names, must


def test_geo_world_features_resolve(geoparser):
    out = _resolve(geoparser, ["Niger Delta", "Appalachians", "West Coast", "Levant"])
    assert [e.feature for e in out] == ["region", "mountains", "region", "region"]
    assert out[2].country == "USA"
