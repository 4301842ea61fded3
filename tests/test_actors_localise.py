"""Role words whose phrase names a state or a city take that place's country (actors/localise.py)."""

from __future__ import annotations

import datetime as dt

import pytest

from kronika.actors.localise import localise
from kronika.model import ActorMention, Article

TEXT = ("Russian forces shelled the region on Tuesday. New Jersey police arrested two men. "
        "Istanbul prosecutors charged the journalists. The mayor of Kharkiv accused Russian forces of shelling "
        "the city. Police detained five people.")


@pytest.fixture(scope="module")
def analysis(pipeline):
    return pipeline.analyze(Article.create(TEXT, dt.date(2022, 3, 4)))


def _at(actors: tuple[ActorMention, ...], text: str) -> ActorMention:
    return next(m for m in actors if m.text == text)


def test_actors_localise_a_state_or_city_modifier_gives_its_country(analysis) -> None:
    police = _at(analysis.actors, "New Jersey police")
    assert (police.code, police.country) == ("USACOP", "USA")
    assert "place in its phrase: New Jersey" in police.how
    assert _at(analysis.actors, "Istanbul prosecutors").code == "TURJUD"


def test_actors_localise_an_of_complement_gives_its_country(analysis) -> None:
    # Before the pass, "the only country in the sentence" (Russia, the shelling side) decided.
    assert _at(analysis.actors, "The mayor").code == "UKRGOV"


def test_actors_localise_keeps_a_named_country_and_an_unqualified_role_word(analysis) -> None:
    assert all(m.country == "RUS" for m in analysis.actors if m.text == "Russian forces")
    bare = _at(analysis.actors, "Police")
    assert bare.country == "RUS" and "context" in bare.how  # nothing in its phrase: the lede country stands


def test_actors_localise_changes_nothing_without_places(pipeline) -> None:
    doc = pipeline.parser.parse(Article.create(TEXT, dt.date(2022, 3, 4)))
    actors = pipeline.stages.actors(doc, ())
    assert localise(doc, actors, ()) is actors


def test_actors_localise_events_carry_the_place_country(pipeline) -> None:
    events = pipeline.analyze(Article.create("New Jersey police arrested two men on Tuesday.",
                                             dt.date(2022, 3, 4))).events
    assert any(r.country == "USA" for e in events for r in e.source)


def test_actors_localise_a_reference_back_follows_its_antecedent(pipeline) -> None:
    text = "Russian forces shelled the region on Tuesday. Police in Kharkiv said they had detained three men."
    actors = pipeline.analyze(Article.create(text, dt.date(2022, 3, 4))).actors
    police, they = _at(actors, "Police"), _at(actors, "they")
    assert police.code == "UKRCOP" and they.antecedent == police.start
    assert they.code == "UKRCOP" and "antecedent's country" in they.how


COUNTRY_TEXT = ("Ukraine's president accused Moscow of war crimes. The country's foreign ministry summoned the "
                "Russian ambassador. Australian officials impounded 27 Indonesian boats in the country's waters, "
                "the country's navy said. Kenya's neighbours met in Nairobi. The country said it would close the border.")


@pytest.fixture(scope="module")
def country_actors(pipeline):
    return pipeline.analyze(Article.create(COUNTRY_TEXT, dt.date(2022, 3, 4))).actors


def test_actors_the_country_as_a_possessor_is_the_country_named_first_before_it(country_actors) -> None:
    # Before: the only country of its sentence, Russia (the ambassador's).
    assert _at(country_actors, "The country's foreign ministry").code == "UKRGOV"


def test_actors_the_country_is_the_first_one_its_sentence_names(country_actors) -> None:
    # "the country's navy": the first country of its sentence (Australia), not the last (Indonesia).
    assert _at(country_actors, "the country's navy").code == "AUSMIL"


def test_actors_the_country_alone_is_no_actor(country_actors) -> None:
    # As a subject it was one in a first version; it cost the training folds (docs/actors.md).
    assert not any(m.text.lower() == "the country" for m in country_actors)


def test_actors_localise_a_country_name_read_as_a_us_state(pipeline) -> None:
    """"Atlanta, Georgia": the geo stage reads the state, so the name, the role word it cues
    and the ones that took their country from it are US actors, not Georgia's."""
    a = pipeline.analyze(Article.create(
        "Police in Atlanta, Georgia arrested two protesters on Tuesday. The protesters said they would appeal.",
        dt.date(2008, 10, 1)))
    georgia = _at(a.actors, "Georgia")
    assert georgia.country == "USA" and "the geo stage reads GEO here as Georgia" in georgia.how
    assert all(m.country != "GEO" for m in a.actors)
    arrest = next(e for e in a.events if e.type == "COERCE")
    assert [r.country for r in arrest.source] == ["USA"]


def test_actors_localise_keeps_the_country_where_the_story_is_the_countrys(pipeline) -> None:
    a = pipeline.analyze(Article.create(
        "Russian troops advanced into Georgia on Sunday. Georgia accused Moscow of aggression.",
        dt.date(2008, 8, 10)))
    assert [m.country for m in a.actors if m.text == "Georgia"] == ["GEO", "GEO"]


def test_actors_localise_a_dictionary_country_is_not_the_gazetteers_namesake(parse) -> None:
    """A user's dictionary may name countries the gazetteer does not know as countries
    (PETRARCH's invented "Bree", BRE); the gazetteer's town of that name (Bree, Belgium) does
    not overrule it, however sure the geo stage is."""
    from kronika.model import PlaceMention

    doc = parse("Hamfast Gamgee criticized the closure of guest houses in Bree.")
    start = doc.text.index("Bree")
    bree = ActorMention(start, start + 4, "Bree", 0, len(doc.tokens) - 2, "BRE", "BRE", kind="country",
                        how="country name (place: 'in Bree')")
    town = PlaceMention(start, start + 4, "Bree", 0, len(doc.tokens) - 2, "Bree", 2800931, 51.14, 5.6, "BEL",
                        "city", None, 0.95)
    assert localise(doc, (bree,), (town,)) == (bree,)
    georgia = ActorMention(start, start + 4, "Bree", 0, len(doc.tokens) - 2, "GEO", "GEO", kind="country",
                           how="country name")
    moved = localise(doc, (georgia,), (town,))[0]  # a real country read as a town elsewhere moves
    assert moved.country == "BEL" and "the geo stage reads GEO here" in moved.how
