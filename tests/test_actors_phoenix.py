"""The Phoenix actor dictionaries: the converter (scripts/convert_phoenix_actors.py) on
fixture files built here, and the packaged knowledge base it feeds (dated roles, armed
groups, IGOs, leaders.tsv winning)."""

from __future__ import annotations

import datetime as dt
import importlib.util
from pathlib import Path

import pytest

from kronika.actors import load_knowledge_base
from kronika.actors.kb import NAMED, PHOENIX
from kronika.actors.resolver import ActorResolver
from kronika.resources import iter_tsv

ROOT = Path(__file__).resolve().parents[1]
D = dt.date.fromisoformat


def _converter():
    spec = importlib.util.spec_from_file_location("convert_phoenix_actors", ROOT / "scripts" / "convert_phoenix_actors.py")
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


COUNTRIES = """# comment
RURITANIA_  [RUR]
+RURITANIAN_
+STRELSAU_ # a city: country-level synonyms are left out

RUDOLF_RASSENDYLL_  # CountryInfo.txt
+KING_RUDOLF_
\t[RURGOV 19940101-19981231]
\t[RURELI]
RUPERT_HENTZAU_
\t[RURGOVMIL 20030101-2004017]
\t[RURGOVMIL >20050601]
RURITANIAN_ARMED_FORCES
\t[RURMIL]
"""
INTERNATIONAL = """GRAND_COUNCIL_OF_NATIONS_ [IGOGCN]
ALICE_ENVOY_
\t[IGOGCN 20100101-20151231]
\t[ELI]
ACME_WIDGETS_ [MNCUSA]
FRIENDS_OF_RURITANIA_ [NGORURHRI]
"""
MILNONSTATE = """BLACK_ELPHBERG_FRONT_(BEF)_ [RURREB] # kkl
+ELPHBERG_BRIGADES_
WORLD_REVOLUTIONARY_CELLS_ [INTREB]
"""
LICENSE = "The MIT License (MIT)\nCopyright (c) 2014 Open Event Data Alliance\n"


@pytest.fixture()
def converted(tmp_path: Path) -> Path:
    src = tmp_path / "phoenix"
    src.mkdir()
    conv = _converter()
    for (_tag, name), text in zip(conv.FILES, (COUNTRIES, INTERNATIONAL, MILNONSTATE), strict=True):
        (src / name).write_text(text, encoding="utf-8")
    (src / conv.LICENSE).write_text(LICENSE, encoding="utf-8")
    out = tmp_path / "out"
    conv.convert(src, out)
    return out


def _rows(out: Path) -> dict[str, dict[str, str]]:
    return {r["name"]: r for r in iter_tsv(out / "phoenix.tsv")}


def test_actors_phoenix_converter_keeps_people_with_dated_roles(converted: Path) -> None:
    rows = _rows(converted)
    king = rows["Rudolf Rassendyll"]
    assert king["kind"] == "person" and king["code"] == "RURELI"
    assert king["roles"] == "RURGOV 1994-01-01..1998-12-31"
    assert king["aliases"] == "King Rudolf" and king["file"] == "countries"
    # a malformed date drops that code only; an open end stays open
    assert rows["Rupert Hentzau"]["roles"] == "RURGOVMIL 2005-06-01.."


def test_actors_phoenix_converter_leaves_out_countries_companies_and_bad_codes(converted: Path) -> None:
    rows = _rows(converted)
    assert "Ruritania" not in rows and not any("Strelsau" in r["aliases"] for r in rows.values())
    assert "Acme Widgets" not in rows  # multinational companies are not political actors here
    assert rows["Ruritanian Armed Forces"]["code"] == "RURMIL"
    # an IGO official: the bare "[ELI]" default is no code Kronika can carry
    assert rows["Alice Envoy"]["code"] == "" and rows["Alice Envoy"]["roles"] == "IGOGCN 2010-01-01..2015-12-31"
    assert rows["Grand Council Of Nations"]["code"] == "IGOGCN"
    assert rows["Friends Of Ruritania"]["code"] == "NGORURHRI"


def test_actors_phoenix_converter_groups(converted: Path) -> None:
    rows = _rows(converted)
    front = rows["Black Elphberg Front"]
    assert front["kind"] == "organisation" and front["code"] == "RURREB"
    assert front["aliases"].split("|") == ["BEF", "Elphberg Brigades"]
    assert rows["World Revolutionary Cells"]["code"] == "IMGREB"  # a region's armed group: no country


def test_actors_phoenix_converter_is_deterministic_and_ships_the_licence(converted: Path, tmp_path: Path) -> None:
    conv = _converter()
    again = tmp_path / "again"
    conv.convert(tmp_path / "phoenix", again)
    assert (again / "phoenix.tsv").read_bytes() == (converted / "phoenix.tsv").read_bytes()
    assert (converted / "PHOENIX-LICENSE.txt").read_text(encoding="utf-8") == LICENSE
    head = (converted / "phoenix.tsv").read_text(encoding="utf-8").splitlines()[:12]
    assert any("Phoenix.Countries.actors.txt" in h and len(h.split()[-1]) == 64 for h in head)  # SHA-256


@pytest.mark.parametrize(("form", "want"), [
    ("SHINZO ABE", "Shinzo Abe"), ("AL-NUSRA FRONT", "Al-Nusra Front"), ("ANSF", "ANSF"),
    ("U.N. ENVOY", "U.N. Envoy"), ("HEZBOLLAH", "Hezbollah"),
])
def test_actors_phoenix_recase(form: str, want: str) -> None:
    assert _converter().recase(form) == want


def test_actors_phoenix_packaged_table_is_current() -> None:
    """The shipped table is what the script makes from the shared dictionaries."""
    src = ROOT.parent / "shared" / "data" / "petrarch" / "phoenix"
    if not src.is_dir():
        pytest.skip("Phoenix dictionaries not available")
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        _converter().convert(src, Path(tmp))
        packaged = ROOT / "src" / "kronika" / "data" / "actors"
        assert (Path(tmp) / "phoenix.tsv").read_bytes() == (packaged / "phoenix.tsv").read_bytes()
        assert (packaged / "PHOENIX-LICENSE.txt").is_file()


# ---------------------------------------------------------------------- the packaged KB


@pytest.fixture(scope="module")
def kb():
    return load_knowledge_base()


def _named(kb, phrase: str):
    return [x.actor for x in kb.lookup(phrase) if x.tag == NAMED and x.actor]


@pytest.mark.parametrize(("day", "sector", "conf"), [
    ("2006-05-01", "GOV", 0.9),   # in office (Phoenix AFGGOV 2004-12-07..2009-11-19)
    ("2012-05-01", "ELI", 0.8),   # after: a former office-holder
])
def test_actors_phoenix_dated_role(kb, day: str, sector: str, conf: float) -> None:
    (entry,) = _named(kb, "Ahmed Zia Massoud")
    assert entry.country == "AFG" and entry.source == PHOENIX
    reading = ActorResolver._kb_reading(entry, D(day))
    assert (reading.country, reading.sector, reading.confidence) == ("AFG", sector, conf)
    assert "kb.phoenix" in reading.how.replace(":", ".") or "phoenix" in reading.how


@pytest.mark.parametrize(("name", "code", "country", "sector"), [
    ("Jabhat al-Nusra", "SYRREBMUS", "SYR", "REB"),
    ("Abu Sayyaf Group", "PHLREB", "PHL", "REB"),
    ("Boko Haram", "NGAREB", "NGA", "REB"),
    ("Animal Liberation Front", "IMGREB", None, "REB"),
])
def test_actors_phoenix_armed_groups(kb, name: str, code: str, country: str | None, sector: str) -> None:
    (entry, *_rest) = _named(kb, name)
    assert (entry.code, entry.country, entry.sector) == (code, country, sector)


def test_actors_phoenix_igo_and_official(kb) -> None:
    (bank,) = _named(kb, "African Development Bank")
    assert bank.code.startswith("IGO") and bank.country is None and bank.sector == "IGO"
    (envoy,) = _named(kb, "Javier De Cuellar")
    assert envoy.country is None
    reading = ActorResolver._kb_reading(envoy, D("1990-01-01"))
    assert (reading.country, reading.code, reading.sector) == (None, "IGOUNO", "IGO")


def test_actors_phoenix_leaders_win(kb) -> None:
    """One Shinzo Abe: leaders.tsv's entry and role titles, with Phoenix's earlier codes
    only where leaders.tsv says nothing."""
    people = _named(kb, "Shinzo Abe")
    assert len(people) == 1 and people[0].source == "kb:leaders.tsv"
    abe = people[0]
    assert abe.role_at(D("2019-05-30")).role == "Prime Minister"
    early = abe.role_at(D("2006-01-15"))  # chief cabinet secretary, before leaders.tsv's rows
    assert early is not None and early.code == "JPNGOV" and early.source == PHOENIX
    assert len([p for p in kb.people_named("Abe", D("2019-05-30")) if p.country == "JPN"]) == 1


def test_actors_phoenix_does_not_shadow_curated_phrases(kb) -> None:
    for phrase in ("Hezbollah", "United Nations", "Russia", "Kremlin", "foreign minister"):
        assert all(x.actor is None or x.actor.source != PHOENIX for x in kb.lookup(phrase)), phrase


# ---------------------------------------------------------------------- explain


def test_actors_phoenix_explain_names_the_deciding_row(kb) -> None:
    from kronika.actors.explain import explain

    out = explain("Abe", D("2006-01-15"), kb)
    assert out["decision"]["entity"] == "Shinzo Abe" and out["decision"]["code"] == "JPNGOV"
    (abe,) = [c for c in out["candidates"] if c["decides"]]
    (row,) = [t for t in abe["tenures"] if t["decides"]]
    assert row["source"] == PHOENIX and row["on_date"] and row["start"] <= "2006-01-15"
    later = explain("Abe", D("2019-05-30"), kb)
    (row,) = [t for c in later["candidates"] if c["decides"] for t in c["tenures"] if t["decides"]]
    assert row["source"] == "kb:leaders.tsv" and row["role"] == "Prime Minister"


def test_actors_phoenix_explain_surname_needs_a_named_country(kb) -> None:
    from kronika.actors.explain import explain

    out = explain("Massoud", D("2006-05-01"), kb, countries=frozenset({"FRA"}))
    assert out["decision"] is None and "nobody whose country is named" in out["why_not"]
    out = explain("Massoud", D("2006-05-01"), kb, countries=frozenset({"AFG"}))
    assert out["decision"] is None or out["decision"]["country"] == "AFG"


def test_actors_phoenix_explain_organisation(kb) -> None:
    from kronika.actors.explain import explain

    out = explain("African Development Bank", D("2020-01-01"), kb)
    assert out["decision"]["country"] == "IGO" and out["decision"]["code"].startswith("IGO")


def test_actors_phoenix_open_end_is_unchecked_after_the_files(kb) -> None:
    """A Phoenix tenure open at the end ("[XXXGOV >100201]") was current when the files were
    last revised (2015): later dates keep the code with a lower confidence and the reason."""
    entry = next(e for lexes in kb.phrases.values() for x in lexes if (e := x.actor) is not None
                 and e.source == PHOENIX and e.kind == "person" and e.roles
                 and e.roles[-1].end is None and e.roles[-1].start and e.roles[-1].start.year == 2010)
    then = ActorResolver._kb_reading(entry, D("2012-01-01"))
    later = ActorResolver._kb_reading(entry, D("2021-01-01"))
    assert then.confidence == 0.9 and later.confidence == 0.6 and "not checked" in later.how
    assert later.country == then.country


def test_actors_phoenix_accents_fold(kb) -> None:
    """The Phoenix files are plain ASCII; news keeps the accents."""
    from kronika.actors.kb import norm

    assert norm("Pérez de Cuéllar") == norm("Perez De Cuellar") and norm("Erdoğan") == "erdogan"
    (entry, *_rest) = _named(kb, "Javier Pérez De Cuéllar")
    assert entry.source == PHOENIX and entry.country == "PER"
