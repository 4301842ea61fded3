"""References back (actors/coref.py): number agreement for the pronouns the subject rules
leave, and the antecedent accuracy on both annotated coreference sets (docs/actors.md)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import SHARED
from kronika.actors import ActorResolver
from kronika.actors.evaluate import score_coref
from kronika.model import ActorMention, Article

FIXTURES = Path(__file__).resolve().parent / "fixtures"
DEV = FIXTURES / "coref_wikinews.jsonl"
HELDOUT = FIXTURES / "coref_wikinews_heldout.jsonl"
CORPUS = SHARED / "data" / "news" / "wikinews_politics.jsonl"
WIKINEWS_DEV = SHARED / "data" / "news" / "wikinews_dev" / "articles"
# The mentions the held-out set was drawn from (docs/actors.md: how it was made).
MENTION_WORDS = {"he", "she", "his", "her", "they", "their", "it", "its", "government", "country", "party"}


@pytest.fixture(scope="module")
def resolver(settings) -> ActorResolver:
    return ActorResolver(settings)


@pytest.fixture(scope="module")
def resolve(parse, resolver):
    def _resolve(text: str, date: str = "2019-05-30") -> tuple[ActorMention, ...]:
        return resolver(parse(text, date), ())

    return _resolve


def at(ms: tuple[ActorMention, ...], text: str, word: str, nth: int = 0) -> ActorMention | None:
    """The mention over the ``nth`` occurrence of ``word`` (as a whole word) in ``text``."""
    start = -1
    for _ in range(nth + 1):
        start = text.index(f" {word} ", start + 1) + 1
    hits = [m for m in ms if m.start <= start < m.end]
    return hits[0] if hits else None


def _items(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


# ---------------------------------------------------------------------------- mechanisms


def test_actors_coref_possessive_its_takes_the_country(resolve) -> None:
    text = "Japan said on Monday that it would lift its ban on beef imports."
    m = at(resolve(text), text, "its")
    assert m is not None and m.country == "JPN"
    assert m.how.startswith("pronoun: its → Japan")


def test_actors_coref_office_of_an_organisation_and_its_holder(resolve) -> None:
    # a role word's of-complement naming an IGO makes it the IGO's; the same role later is
    # the person who holds it (not a government of the lede's country)
    text = ("Kenya and Uganda met on Monday. The Secretary-General of the United Nations , Ban Ki-moon , "
            "condemned the attack . The Secretary-General urged restraint .")
    ms = resolve(text, "2008-03-02")
    first, later = at(ms, text, "Secretary-General"), at(ms, text, "Secretary-General", 1)
    assert first is not None and first.code == "IGOUNO"
    assert later is not None and later.code == "IGOUNO" and later.how.startswith("nominal coreference")


def test_actors_coref_one_word_short_form_of_an_organisation_named_earlier(resolve) -> None:
    # Phoenix has a group called just "Tigers" (SWZREB); after the LTTE is named, "the Tigers"
    # is the LTTE. Without the full name, the dictionary's reading stands.
    text = "The Liberation Tigers of Tamil Eelam attacked a camp on Sunday . The Tigers said ten soldiers died ."
    m = at(resolve(text, "2008-03-02"), text, "Tigers", 1)
    assert m is not None and m.code == "LKAREB" and "short form" in m.how
    alone = "The Tigers said ten soldiers died ."
    m = resolve(alone, "2008-03-02")
    assert all("short form" not in x.how for x in m)


def test_actors_a_country_name_ending_a_longer_place_name_is_not_that_country(resolve) -> None:
    # "New Mexico police" are not Mexico's and "New Jersey" is not Jersey; "Southern Lebanon"
    # is Lebanon, and a KB phrase ("Northern Ireland") matches whole
    text = "Israeli jets struck Southern Lebanon on Sunday . New Mexico police said the suspects fled ."
    ms = resolve(text, "2008-03-02")
    assert at(ms, text, "Lebanon") is not None and at(ms, text, "Lebanon").country == "LBN"
    police = at(ms, text, "police")
    assert police is None or police.country != "MEX"
    assert all(m.country not in ("MEX", "JEY") for m in resolve("New Jersey police arrested two men .", "2008-03-02"))
    ni = resolve("Northern Ireland police arrested two men .", "2008-03-02")
    assert any(m.country == "GBR" for m in ni)


def test_actors_coref_a_force_refers_back_to_the_force_named_with_its_country(resolve) -> None:
    """"the troops", "the marines": the last force of the sector named with its own country,
    not the only country of their sentence (here the victims')."""
    text = ("Three British soldiers have been arrested over a video showing abuse in Amara. "
            "The video shows the troops punching and kicking four Iraqi teenagers. "
            "The marines then apprehended four Iraqi youths.")
    ms = resolve(text, "2006-02-13")
    for word in ("troops", "marines"):
        m = at(ms, text, word)
        assert m is not None and m.country == "GBR", (word, m)
        assert "refers back to British soldiers" in m.how


def test_actors_coref_a_force_does_not_refer_back_to_where_troops_are(resolve) -> None:
    """"troops in Iraq" names where they are, not whose they are: no antecedent; and a
    possessed force ("its navy") is its owner's, never the last force named."""
    text = ("Romania keeps 700 troops in Iraq. Protesters asked the government to pull out the troops by June. "
            "Japanese naval forces watched as China began to modernise its navy in secret.")
    ms = resolve(text, "2005-04-02")
    m = at(ms, text, "troops", nth=1)
    assert m is None or "refers back" not in m.how
    navy = at(ms, text, "navy")
    assert navy is None or (navy.country != "JPN" and "refers back" not in navy.how)


def test_actors_coref_its_never_a_person_nor_an_adjective(resolve) -> None:
    """Number agreement: "its" is no person, and a demonym modifying a non-actor noun
    ("the Chinese delegation") is not a named country to point back to."""
    text = "Prime Minister Shinzo Abe met the Chinese delegation in Tokyo. Its members praised his plan."
    ms = resolve(text)
    its = [m for m in ms if m.text == "Its"]
    assert its == []
    his = at(ms, text, "his")
    assert his is not None and (his.country, his.entity) == ("JPN", "Shinzo Abe")


def test_actors_coref_their_takes_a_plural_group(resolve) -> None:
    text = "Brazilian Foreign Minister Ana Cortes met Mexican officials in Lima, and praised their plan."
    m = at(resolve(text), text, "their")
    assert m is not None and m.country == "MEX" and m.kind == "group"


def test_actors_coref_her_takes_the_person(resolve) -> None:
    text = "Brazilian Foreign Minister Ana Cortes arrived in Lima on Monday. She said her visit was useful."
    m = at(resolve(text), text, "her")
    assert m is not None and (m.country, m.entity) == ("BRA", "Ana Cortes")


def test_actors_coref_object_it_is_left_alone(resolve) -> None:
    """"called it a mistake": an object "it" points to a thing more often than to an actor."""
    text = "Foreign Minister Ana Cortes of Brazil criticised the plan and called it a mistake."
    assert at(resolve(text), text, "it") is None


def test_actors_coref_she_four_sentences_back(resolve) -> None:
    text = ("Brazilian Foreign Minister Ana Cortes arrived in Lima on Monday. The visit lasted two days. "
            "Trade was discussed at length. The weather was mild. She left on Wednesday.")
    ms = resolve(text)
    she = [m for m in ms if m.text == "She"]
    assert she and she[0].country == "BRA" and she[0].entity == "Ana Cortes"


def test_actors_coref_no_antecedent_no_mention(resolve) -> None:
    text = "The weather was mild on Monday. Its effect on trade was small, and their plans changed."
    assert [m for m in resolve(text) if m.text in ("Its", "their")] == []


# ---------------------------------------------------------------------------- the two sets


def test_actors_coref_heldout_set_is_well_formed() -> None:
    """50 mentions, each span verified against the article text, none from an article of the
    dev coreference set or of news/wikinews_dev."""
    if not CORPUS.exists():
        pytest.skip("WikiNews corpus not available")
    items = _items(HELDOUT)
    assert len(items) >= 50
    assert all(set(i) >= {"id", "date", "start", "end", "text", "antecedent", "country"} for i in items)
    dev_ids = {i["id"] for i in _items(DEV)}
    wikinews_dev = {p.stem.removeprefix("wn") for p in WIKINEWS_DEV.glob("*.txt")} if WIKINEWS_DEV.exists() else set()
    ids = {i["id"] for i in items}
    assert not ids & dev_ids and not ids & wikinews_dev
    texts = {}
    with CORPUS.open(encoding="utf-8") as fh:
        for line in fh:
            r = json.loads(line)
            if r["id"] in ids:
                texts[r["id"]] = (r["text"], r["date"])
    for i in items:
        text, date = texts[i["id"]]
        assert text[i["start"]:i["end"]] == i["text"] and i["date"] == date, i
        assert i["text"].lower() in MENTION_WORDS and len(i["country"]) == 3, i
    assert len({(i["id"], i["start"]) for i in items}) == len(items)


@pytest.mark.skipif(not CORPUS.exists(), reason="WikiNews corpus not available")
@pytest.mark.parametrize(("path", "floor"), [(DEV, 0.87), (HELDOUT, 0.84)], ids=["dev", "heldout"])
def test_actors_coref_accuracy_floor(parser, resolver, path: Path, floor: float) -> None:
    """Accuracy gate on both sets (0.889 on the dev set and 0.82 on the held-out set when
    the agreement rules landed, 0.86 with family-name-first surnames; docs/actors.md): a
    change may not lower them silently."""
    acc, outcomes = score_coref(path, CORPUS, lambda ts: [parser.parse(Article.create(t, d)) for t, d in ts],
                                lambda doc: resolver(doc, ()))
    assert len(outcomes) >= 50 and acc >= floor, acc
