"""The actor resolver on real parses: titles, coreference, dates, metonymy, dictionaries."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import GOLD_SEED, SEED, SHARED
from kronika.actors import ActorResolver, LearnedIndex, load_petrarch_dictionaries
from kronika.model import ActorMention


@pytest.fixture(scope="module")
def resolver(settings):
    return ActorResolver(settings)


@pytest.fixture(scope="module")
def resolve(parse, resolver):
    def _resolve(text: str, date: str = "2019-05-30", r: ActorResolver | None = None) -> tuple[ActorMention, ...]:
        return (r or resolver)(parse(text, date), ())

    return _resolve


def find(mentions: tuple[ActorMention, ...], text: str) -> ActorMention:
    hits = [m for m in mentions if m.text == text]
    assert hits, f"no mention {text!r} in {[m.text for m in mentions]}"
    return max(hits, key=lambda m: m.confidence)


def test_actors_title_then_surname(resolve) -> None:
    ms = resolve("Brazilian Foreign Minister Ana Cortes arrived on Monday. Cortes said the talks went well.")
    first = find(ms, "Brazilian Foreign Minister Ana Cortes")
    assert (first.code, first.entity, first.role, first.kind) == ("BRAGOV", "Ana Cortes", "Foreign Minister", "person")
    assert first.how.startswith("title:")
    later = find(ms, "Cortes")
    assert (later.country, later.entity, later.role) == ("BRA", "Ana Cortes", "Foreign Minister")
    assert later.how.startswith("surname of Ana Cortes")


def test_actors_appositive(resolve) -> None:
    ms = resolve("Maria Velasquez, Peru's defense minister, said the army would stay.")
    m = find(ms, "Maria Velasquez")
    assert (m.country, m.sector, m.role) == ("PER", "GOV", "Defense Minister")
    assert m.how.startswith("appositive")


def test_actors_possessive_title(resolve) -> None:
    m = find(resolve("Germany's Merkel said on Tuesday that the plan was fair.", "2015-03-01"), "Germany's Merkel")
    assert (m.country, m.entity, m.role) == ("DEU", "Angela Merkel", "Chancellor")
    assert m.how.startswith("title: Germany's Merkel")


@pytest.mark.parametrize(("date", "role"), [("2019-05-30", "Foreign Minister"), ("2020-05-30", "Defense Minister")])
def test_actors_role_valid_at_article_date(resolve, date: str, role: str) -> None:
    m = find(resolve("Kono said on Monday that the exercise near Japan was regrettable.", date), "Kono")
    assert (m.code, m.entity, m.role) == ("JPNGOV", "Taro Kono", role)
    assert m.how.startswith("kb:")


def test_actors_former_office_holder_is_elite(resolve) -> None:
    m = find(resolve("Blair said on Monday that the war had been justified for Britain.", "2015-01-10"), "Blair")
    assert (m.country, m.sector) == ("GBR", "ELI") and m.role == "former Prime Minister"


@pytest.mark.parametrize(("text", "span", "code"), [
    ("Beijing has rejected the proposal.", "Beijing", "CHNGOV"),
    ("The Kremlin said the sanctions were illegal.", "Kremlin", "RUSGOV"),
    ("Washington's plan was criticised by Ottawa.", "Washington", "USAGOV"),
    ("Washington's plan was criticised by Ottawa.", "Ottawa", "CANGOV"),
])
def test_actors_metonymy_acting_capitals(resolve, text: str, span: str, code: str) -> None:
    m = find(resolve(text), span)
    assert (m.code, m.kind) == (code, "metonym")


def test_actors_capital_as_place_is_not_an_actor(resolve) -> None:
    ms = resolve("The delegations met in Beijing on Monday and flew to Paris.")
    assert not [m for m in ms if m.text in ("Beijing", "Paris")]


@pytest.mark.parametrize(("text", "span", "code"), [
    ("Turkish police detained dozens of students.", "Turkish police", "TURCOP"),
    ("The Indian side rejected the offer.", "The Indian side", "INDGOV"),
    ("Sudanese rebels attacked the town on Sunday.", "Sudanese rebels", "SDNREB"),
    ("The Chilean army denied the report.", "The Chilean army", "CHLMIL"),
    ("The president of Armenia arrived.", "The president", "ARMGOV"),
    ("Kenya's parliament approved the law.", "parliament", "KENLEG"),
])
def test_actors_role_words_with_country(resolve, text: str, span: str, code: str) -> None:
    ms = resolve(text)
    hits = [m for m in ms if m.text.endswith(span) or m.text == span]
    assert any(m.code == code for m in hits), [(m.text, m.code) for m in ms]


def test_actors_compound_phrase_one_mention_per_country(resolve) -> None:
    ms = resolve("U.S. and Russian negotiators return to Geneva this week.")
    assert {m.country for m in ms if m.text.endswith("negotiators")} == {"USA", "RUS"}


def test_actors_countries_and_demonyms(resolve) -> None:
    ms = resolve("North Korea fired a missile, and the Palestinians and Iraqis protested.")
    assert find(ms, "North Korea").code == "PRK"
    assert find(ms, "Palestinians").country == "PSE"
    assert find(ms, "Iraqis").country == "IRQ"


def test_actors_organisations(resolve) -> None:
    ms = resolve("The United Nations and NATO troops withdrew, the G20 said.")
    un = find(ms, "United Nations")
    assert (un.code, un.sector, un.country, un.kind) == ("IGOUNO", "IGO", "IGO", "organisation")
    nato = [m for m in ms if m.text.startswith("NATO")]
    assert nato and nato[0].code == "IGONAT" and nato[0].sector == "MIL"
    assert find(ms, "G20").sector == "IGO"


def test_actors_acronyms_need_capitals(resolve) -> None:
    ms = resolve("Planning Minister Tran Xuan Gia said Vietnam is committed to reform.")
    assert not [m for m in ms if m.code and "DZA" in m.code]


def test_actors_nominal_and_pronoun_coreference(resolve) -> None:
    ms = resolve("Indian Foreign Minister Asha Rao arrived on Monday. The minister said talks would resume. "
                 "She said nothing else.")
    nominal = find(ms, "The minister")
    assert (nominal.entity, nominal.country) == ("Asha Rao", "IND")
    pron = find(ms, "She")
    assert (pron.entity, pron.country) == ("Asha Rao", "IND") and pron.how.startswith("pronoun")


def test_actors_learned_index(parse, settings) -> None:
    rows = [{"entity": "Ravi Ramdas", "country": "IND", "sector": "GOV", "role": "Home Minister",
             "first_seen": "2019-01-01", "last_seen": "2019-04-01", "count": 5}]
    r = ActorResolver(settings, learned=LearnedIndex.from_rows(rows))
    m = find(r(parse("Ravi Ramdas said the border was calm."), ()), "Ravi Ramdas")
    assert (m.country, m.role) == ("IND", "Home Minister") and m.how.startswith("learned")


def test_actors_user_dictionary(parse, settings, tmp_path: Path) -> None:
    path = tmp_path / "actors-local.yaml"
    path.write_text(
        "format: kronika-actors\nversion: 1\nactors:\n"
        "  - {name: Oskar Brandvik, kind: person, country: NOR,"
        " roles: [{code: NORGOV, role: Mayor, start: 2018-01-01, end: null}]}\n"
        "agents:\n  - {phrase: ombudsman, sector: JUD, role: Ombudsman}\n",
        encoding="utf-8",
    )
    r = ActorResolver(settings.replace(user_dictionaries=(path,)))
    ms = r(parse("Oskar Brandvik met the Danish ombudsman."), ())
    m = find(ms, "Oskar Brandvik")
    assert (m.code, m.role) == ("NORGOV", "Mayor")
    assert any(x.code == "DNKJUD" for x in ms)


def test_actors_petrarch_dictionaries(parse, settings) -> None:
    folder = SHARED / "data" / "petrarch" / "unit-tests"
    if not folder.exists():
        pytest.skip("shared/ PETRARCH data not present")
    d = load_petrarch_dictionaries([folder / "PETR.Validate.actors.txt", folder / "PETR.Validate.agents.txt"])
    r = ActorResolver(settings, dictionaries=(d,))
    ms = r(parse("Arnor attacked Gondor on Tuesday.", "2001-01-01"), ())
    assert {m.code for m in ms} >= {"ARN", "GON"}


def test_actors_resolver_is_pure(resolve) -> None:
    text = "Russian President Vladimir Putin met Xi in Beijing."
    assert resolve(text) == resolve(text)


def _entity_lines(mentions: tuple[ActorMention, ...]) -> list[dict[str, object]]:
    return [{"kind": "actor", "text": m.text, "start": m.start, "end": m.end, "actor": m.code,
             "country": m.country, "sector": m.sector, "entity": m.entity, "role": m.role} for m in mentions]


def test_actors_seed_gold(parser, resolver, seed_path, tmp_path: Path) -> None:
    """The canonical article: every gold actor right (scored by the shared scorer)."""
    from kronika.model import Article

    raw = seed_path.read_text(encoding="utf-8")
    text = raw.split(" ", 3)[3]
    doc = parser.parse(Article.create(text, dt.date(2019, 5, 30)))
    out = tmp_path / "ents.jsonl"
    out.write_text("".join(json.dumps(x) + "\n" for x in _entity_lines(resolver(doc, ()))), encoding="utf-8")
    scorer = SHARED / "eval" / "score_entities.py"
    res = subprocess.run([sys.executable, str(scorer), str(GOLD_SEED / "time_places_actors.json"), str(out),
                          "--article", str(SEED), "--min-places", "0", "--min-times", "0"],
                         capture_output=True, text=True, check=False)
    assert "actors 10/10" in res.stdout, res.stdout


def test_actors_plural_reference_to_two_countries(resolve) -> None:
    ms = resolve("Officials from Chile and Peru met in Lima on Monday. The two countries agreed to reopen the border.")
    pair = [m for m in ms if m.text == "The two countries"]
    assert {m.country for m in pair} == {"CHL", "PER"}
    assert all(m.how.startswith("plural reference") for m in pair)


@pytest.mark.parametrize(("text", "span", "sector", "role"), [
    ("Former Foreign Minister Lena Holt criticised the deal.", "Former Foreign Minister Lena Holt", "ELI",
     "Former Foreign Minister"),
    ("Deputy President Tom Mbatha arrived.", "Deputy President Tom Mbatha", "GOV", "Deputy President"),
])
def test_actors_role_qualifiers(resolve, text: str, span: str, sector: str, role: str) -> None:
    ms = resolve(text)
    hits = [m for m in ms if m.text.endswith(span.split()[-1])]
    assert any(m.sector == sector and m.role == role for m in hits), [(m.text, m.sector, m.role) for m in ms]


def test_actors_numbers_are_not_names(resolve) -> None:
    ms = resolve("The company paid R400,000 to Sipho Dlamini last year.")
    assert not [m for m in ms if "400" in m.text]


def test_actors_igo_official_has_country_igo(resolve) -> None:
    """IGOs and their officials carry country "IGO" (docs/actors.md); the code names the body."""
    m = find(resolve("Guterres said the ceasefire must hold.", "2020-03-01"), "Guterres")
    assert (m.code, m.country, m.sector, m.role) == ("IGOUNO", "IGO", "IGO", "UN Secretary-General")


def test_actors_bare_surname_needs_country_or_head_of_state(resolve) -> None:
    ms = resolve("Smith said the bakery would reopen next week.", "2009-05-01")
    assert all(m.country is None for m in ms if m.text == "Smith")
    m = find(resolve("Putin said the talks were useful.", "2019-05-30"), "Putin")
    assert (m.country, m.role) == ("RUS", "President")


def test_actors_title_matches_kb_role_outside_term(resolve) -> None:
    m = find(resolve("A group of diplomats met President Obama at a lunch.", "2000-01-01"), "President Obama")
    assert (m.country, m.sector, m.entity) == ("USA", "GOV", "Barack Obama")


def test_actors_capital_ending_a_longer_name_is_no_metonym(parse, settings) -> None:
    from kronika.actors import ActorResolver

    doc = parse("Air Berlin accepted an invitation to join the alliance, and Moscow welcomed the decision.")
    codes = {m.text: m.code for m in ActorResolver(settings)(doc, ())}
    assert codes.get("Berlin") is None and codes.get("Moscow") == "RUSGOV", codes
