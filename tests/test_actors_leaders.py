"""leaders.tsv: coverage of the four offices for the G20 and P5 since 2000, and dated roles.

The coverage test reads the raw table (not the compiled KB) so that a missing row shows as
the office and the dates it leaves empty. Gaps are allowed only when listed in GAPS with
the reason; anything else is a hole to fill from the sources named in the file's header.
"""

from __future__ import annotations

import datetime as dt

import pytest

from kronika.actors import load_knowledge_base
from kronika.resources import iter_tsv

D = dt.date.fromisoformat
G20 = ("ARG", "AUS", "BRA", "CAN", "CHN", "DEU", "FRA", "GBR", "IDN", "IND", "ITA", "JPN", "KOR",
       "MEX", "RUS", "SAU", "TUR", "USA", "ZAF")
# Countries whose head of government is a separate office from the head of state.
SEPARATE_HOG = frozenset({"AUS", "CAN", "CHN", "DEU", "FRA", "GBR", "IND", "ITA", "JPN", "RUS", "SAU", "TUR"})
OFFICE_OF_ROLE = {
    "President": "state", "Acting President": "state", "King": "state", "Queen": "state", "Emperor": "state",
    "Prime Minister": "government", "Acting Prime Minister": "government", "Premier": "government",
    "Chancellor": "government",
    "Foreign Minister": "foreign", "Acting Foreign Minister": "foreign", "Foreign Secretary": "foreign",
    "Secretary of State": "foreign", "Acting Secretary of State": "foreign",
    "Defense Minister": "defence", "Acting Defense Minister": "defence", "Defence Secretary": "defence",
    "Secretary of Defense": "defence", "Acting Secretary of Defense": "defence",
    "Defense Agency Director General": "defence",
}
START, STOP = D("2000-01-01"), D("2025-01-01")
# (country, office, first day, last day): known periods without a recorded holder, and why.
GAPS = [
    ("AUS", "state", "2000-01-01", "2025-01-01", "the British monarch (GBR rows) is head of state"),
    ("CAN", "state", "2000-01-01", "2025-01-01", "the British monarch (GBR rows) is head of state"),
    ("TUR", "government", "2018-07-10", "2025-01-01", "office abolished; the president heads the government"),
    ("RUS", "defence", "2024-05-13", "2024-05-13", "Shoigu relieved on 12 May, Belousov appointed on 14 May"),
    ("CHN", "defence", "2023-10-25", "2023-12-28", "vacant after Li Shangfu's removal"),
    ("JPN", "foreign", "2002-01-31", "2002-01-31", "Prime Minister Koizumi acting (one role per person)"),
    ("JPN", "foreign", "2021-11-05", "2021-11-09", "Prime Minister Kishida acting"),
    ("JPN", "defence", "2017-07-29", "2017-08-02", "Foreign Minister Kishida acting"),
    ("IND", "foreign", "2005-11-07", "2006-10-23", "Prime Minister Manmohan Singh held the portfolio"),
    ("IND", "defence", "2001-03-17", "2001-10-20", "Foreign Minister Jaswant Singh held the portfolio"),
    ("ITA", "foreign", "2002-01-07", "2002-11-13", "Prime Minister Berlusconi held the portfolio"),
    ("ITA", "foreign", "2013-03-27", "2013-04-27", "Prime Minister Monti held the portfolio"),
    ("BRA", "foreign", "2017-02-23", "2017-03-06", "secretary-general Marcos Galvão acting (not checked)"),
    ("CAN", "foreign", "2015-02-04", "2015-02-08", "acting minister after Baird resigned (not checked)"),
    ("MEX", "foreign", "2023-06-13", "2023-07-02", "acting secretary after Ebrard resigned (not checked)"),
    ("ARG", "foreign", "2001-12-22", "2001-12-22", "presidential succession crisis"),
    ("ARG", "foreign", "2001-12-31", "2002-01-02", "presidential succession crisis"),
    ("ARG", "defence", "2001-03-06", "2001-03-19", "day of Jaunarena's appointment not checked"),
    ("ARG", "defence", "2001-12-22", "2002-01-02", "presidential succession crisis"),
    ("ARG", "foreign", "2010-06-19", "2010-06-21", "Taiana resigned 18 June; Timerman's start day not checked"),
    ("KOR", "foreign", "2006-11-10", "2006-11-30", "vice minister acting after Ban left for the UN"),
    ("KOR", "foreign", "2010-09-05", "2010-10-07", "vice minister acting after Yu resigned"),
    ("IDN", "defence", "2000-08-24", "2000-08-25", "hand-over days not checked"),
    ("IDN", "defence", "2001-07-21", "2001-08-09", "Agum Gumelar's brief tenure not recorded"),
    ("IDN", "defence", "2014-10-21", "2014-10-26", "cabinet sworn in on 27 October"),
    ("IDN", "foreign", "2014-10-21", "2014-10-26", "cabinet sworn in on 27 October"),
    ("TUR", "defence", "2015-07-02", "2015-08-27", "minister elected Speaker; caretaker holder not checked"),
    ("AUS", "defence", "2022-05-24", "2022-05-31", "interim ministry"),
    ("IDN", "defence", "2019-10-21", "2019-10-22", "second Widodo cabinet sworn in on 23 October"),
    ("MEX", "foreign", "2003-01-11", "2003-01-14", "Derbez's first day not checked"),
    ("SAU", "defence", "2011-10-23", "2011-11-04", "vacant after Prince Sultan's death"),
]


def _intervals() -> dict[tuple[str, str], list[tuple[dt.date, dt.date]]]:
    out: dict[tuple[str, str], list[tuple[dt.date, dt.date]]] = {}
    for row in iter_tsv("actors/leaders.tsv"):
        office = OFFICE_OF_ROLE.get(row["role"])
        if office is None:
            continue
        end = D(row["end"]) if row["end"] else dt.date.max
        out.setdefault((row["country"], office), []).append((D(row["start"]), end))
    for (country, office, a, b, _why) in GAPS:
        out.setdefault((country, office), []).append((D(a), D(b)))
    return out


def _holes(spans: list[tuple[dt.date, dt.date]]) -> list[tuple[dt.date, dt.date]]:
    """Days in START..STOP covered by no span (end days inclusive)."""
    holes, day = [], START
    for a, b in sorted(spans):
        if a > day:
            holes.append((day, min(a - dt.timedelta(days=1), STOP)))
        if b >= day:
            day = b + dt.timedelta(days=1) if b < dt.date.max else dt.date.max
        if day > STOP:
            break
    if day <= STOP:
        holes.append((day, STOP))
    return [h for h in holes if h[0] <= STOP]


@pytest.mark.parametrize("country", G20)
def test_actors_leaders_cover_every_office_since_2000(country: str) -> None:
    spans = _intervals()
    offices = ["state", "foreign", "defence"] + (["government"] if country in SEPARATE_HOG else [])
    missing = {o: _holes(spans.get((country, o), [])) for o in offices}
    assert not any(missing.values()), {o: [(a.isoformat(), b.isoformat()) for a, b in h]
                                       for o, h in missing.items() if h}


def test_actors_leaders_rows_are_well_formed() -> None:
    rows = list(iter_tsv("actors/leaders.tsv"))
    assert len(rows) > 550
    for row in rows:
        assert row["country"] in G20 or row["country"].startswith("IGO"), row
        assert row["role"] and row["name"] and D(row["start"]), row
        assert not row["end"] or D(row["start"]) <= D(row["end"]), row
        assert "GOV" not in row["country"], row


def test_actors_leaders_gap_list_is_justified() -> None:
    for country, office, _a, _b, why in GAPS:
        assert country in G20 and office in {"state", "government", "foreign", "defence"} and why


@pytest.fixture(scope="module")
def kb():
    return load_knowledge_base()


# (full name, date, expected role, expected code): a minister coded by the article's date.
TRANSITIONS = [
    ("Susana Malcorra", "2016-06-01", "Foreign Minister", "ARGGOV"),
    ("Jorge Taiana", "2008-01-01", "Foreign Minister", "ARGGOV"),
    ("Jorge Taiana", "2022-06-01", "Defense Minister", "ARGGOV"),
    ("Ban Ki-moon", "2005-06-01", "Foreign Minister", "KORGOV"),
    ("Hwang Kyo-ahn", "2017-01-15", "Acting President", "KORGOV"),
    ("Kim Yong-hyun", "2024-12-03", "Defense Minister", "KORGOV"),
    ("Marcelo Ebrard", "2020-01-01", "Foreign Minister", "MEXGOV"),
    ("Salvador Cienfuegos", "2015-01-01", "Defense Minister", "MEXGOV"),
    ("Naledi Pandor", "2022-01-01", "Foreign Minister", "ZAFGOV"),
    ("Lindiwe Sisulu", "2010-01-01", "Defense Minister", "ZAFGOV"),
    ("Lindiwe Sisulu", "2018-06-01", "Foreign Minister", "ZAFGOV"),
    ("Marise Payne", "2017-01-01", "Defense Minister", "AUSGOV"),
    ("Marise Payne", "2019-01-01", "Foreign Minister", "AUSGOV"),
    ("Celso Amorim", "2012-01-01", "Defense Minister", "BRAGOV"),
    ("Celso Amorim", "2005-01-01", "Foreign Minister", "BRAGOV"),
    ("Harjit Sajjan", "2016-01-01", "Defense Minister", "CANGOV"),
    ("Rob Nicholson", "2015-06-01", "Foreign Minister", "CANGOV"),
    ("Prabowo Subianto", "2020-01-01", "Defense Minister", "IDNGOV"),
    ("Prabowo Subianto", "2024-10-20", "President", "IDNGOV"),
    ("Sergio Mattarella", "2000-06-01", "Defense Minister", "ITAGOV"),
    ("Sergio Mattarella", "2016-01-01", "President", "ITAGOV"),
    ("Hulusi Akar", "2020-01-01", "Defense Minister", "TURGOV"),
    ("Süleyman Demirel", "2000-01-01", "President", "TURGOV"),
    ("Shigeru Ishiba", "2003-06-01", "Defense Agency Director General", "JPNGOV"),
    ("Patrick Shanahan", "2019-03-01", "Acting Secretary of Defense", "USAGOV"),
    ("Salman bin Abdulaziz", "2013-01-01", "Defense Minister", "SAUGOV"),
    ("Salman bin Abdulaziz", "2016-01-01", "King", "SAUGOV"),
    ("Vladimir Putin", "2000-03-01", "Acting President", "RUSGOV"),
    ("Ursula von der Leyen", "2015-01-01", "Defense Minister", "DEUGOV"),
    ("Ursula von der Leyen", "2021-01-01", "President of the European Commission", "IGOEUR"),
    ("Federica Mogherini", "2017-01-01", "High Representative", "IGOEUR"),
    ("Donald Tusk", "2016-01-01", "President of the European Council", "IGOEUR"),
]


@pytest.mark.parametrize(("name", "day", "role", "code"), TRANSITIONS)
def test_actors_leaders_role_on_date(kb, name: str, day: str, role: str, code: str) -> None:
    people = [x.actor for x in kb.lookup(name) if x.actor and x.actor.kind == "person"]
    assert people, name
    held = {(t.role, t.code) for p in people if (t := p.role_at(D(day)))}
    assert (role, code) in held, held


@pytest.mark.parametrize(("name", "day"), [
    ("Susana Malcorra", "2018-01-01"), ("Naledi Pandor", "2018-01-01"), ("Hulusi Akar", "2024-01-01"),
    ("Luis Videgaray", "2016-06-01"), ("Josep Borrell", "2025-06-01"),
])
def test_actors_leaders_out_of_office(kb, name: str, day: str) -> None:
    people = [x.actor for x in kb.lookup(name) if x.actor and x.actor.kind == "person"]
    held = people[0].role_at(D(day)) if people else None
    assert people and (held is None or held.role is None)  # no leaders.tsv office (a Phoenix code may hold)


# --------------------------------------------------------------------------- through the resolver


@pytest.fixture(scope="module")
def resolver(settings):
    from kronika.actors import ActorResolver

    return ActorResolver(settings)


# A bare full name, no title: the article's date alone picks the role (and the EU's code).
CODED_BY_DATE = [
    ("Ursula von der Leyen", "2016-03-01", "DEUGOV", "Defense Minister"),
    ("Ursula von der Leyen", "2022-03-01", "IGOEUR", "President of the European Commission"),
    ("Celso Amorim", "2008-03-01", "BRAGOV", "Foreign Minister"),
    ("Celso Amorim", "2013-03-01", "BRAGOV", "Defense Minister"),
    ("Ban Ki-moon", "2005-03-01", "KORGOV", "Foreign Minister"),
    ("Ban Ki-moon", "2010-03-01", "IGOUNO", "UN Secretary-General"),
    ("Lindiwe Sisulu", "2011-03-01", "ZAFGOV", "Defense Minister"),
    ("Salvador Cienfuegos", "2016-03-01", "MEXGOV", "Defense Minister"),
]


@pytest.mark.parametrize(("name", "day", "code", "role"), CODED_BY_DATE)
def test_actors_leaders_full_name_coded_by_article_date(parse, resolver, name, day, code, role) -> None:
    ms = resolver(parse(f"{name} met reporters on Tuesday and said the talks would go on.", day), ())
    hits = [m for m in ms if m.text == name]
    assert hits, [m.text for m in ms]
    assert (hits[0].code, hits[0].role) == (code, role), hits[0].how
