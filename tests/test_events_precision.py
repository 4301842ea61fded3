"""Precision rules of the PLOVER coder, on sentences written for these tests.

Each case is a general cause of spurious or misdirected events seen when reading the coder's
output on real news: the wrong clause's subject taken as the source, opinions and questions
coded as acts, one-sided consultations, nouns that name another event. Actors are built by
hand from substrings, so the coder is tested alone over a real spaCy parse.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kronika.evaluate.events import GoldRecord, fit_calibration, halves
from kronika.events import EventCoder
from kronika.events.coder import calibrate
from kronika.model import ActorMention, Event, ParsedDoc


def _mentions(doc: ParsedDoc, actors: dict[str, str]) -> tuple[ActorMention, ...]:
    out: list[ActorMention] = []
    taken: list[tuple[int, int]] = []
    for text, code in sorted(actors.items(), key=lambda kv: -len(kv[0])):
        for m in re.finditer(r"(?<!\w)" + re.escape(text) + r"(?!\w)", doc.text):
            s, e = m.span()
            if any(s < b and a < e for a, b in taken):
                continue
            taken.append((s, e))
            toks = [t for t in doc.tokens if t.start < e and t.end > s]
            ids = {t.i for t in toks}
            head = next((t.i for t in toks if t.head not in ids or t.head == t.i), toks[-1].i)
            out.append(ActorMention(s, e, text, doc.sentence_of_char(s), head, code, code[:3], code[3:] or None))
    return tuple(sorted(out, key=lambda m: m.start))


@pytest.fixture(scope="module")
def code(parse, settings):
    coder = EventCoder(settings.replace(events_coder="rules"))  # the rule coder's guards

    def _code(text: str, actors: dict[str, str]) -> tuple[Event, ...]:
        doc = parse(text, "2021-03-10")
        return coder(doc, (), _mentions(doc, actors), ())

    return _code


def _typed(events: tuple[Event, ...]) -> list[tuple[str, frozenset[str], frozenset[str]]]:
    return [(e.type, frozenset(r.country for r in e.source if r.country),
             frozenset(r.country for r in e.target if r.country)) for e in events]


KU = {"Kenya": "KEN", "Uganda": "UGA", "Kenyan": "KEN", "Ugandan": "UGA", "Tanzania": "TZA"}


# ------------------------------------------------------------------ who is the source


@pytest.mark.parametrize(
    ("text", "type_"),
    [
        # a finite adverbial clause has its own (here unresolved) subject
        ("Kenya was under pressure to delay the vote after the main candidate pulled out.", "RETREAT"),
        # a participle on a person noun: the person acts, not the subject of the sentence
        ("Kenya released a video showing a soldier shooting at Ugandan protesters.", "ASSAULT"),
        # a passive infinitive: its controller is the patient
        ("Kenyan apples continue to be banned in Uganda.", "COERCE"),
        # an event noun after a temporal preposition is another event than the main verb's
        ("After an investigation by a newspaper, the Kenyan mayor admitted the payments.", "ACCUSE"),
        # the passive agent is the event, the passive subject its patient
        ("Kenyan commuters could be affected by a strike.", "PROTEST"),
        # the victims of an attack are not its source
        ("Fifty Kenyan villagers were killed in the attack.", "ASSAULT"),
        # "came under attack": the subject is the target
        ("The Kenyan capital came under attack on Monday.", "ASSAULT"),
        # "he" in a report by a plural speaker is not the speaker
        ("Kenyan newspapers reported that he would resign.", "AGREE"),
    ],
)
def test_events_precision_source_not_from_another_clause(code, text: str, type_: str) -> None:
    assert not [e for e in _typed(code(text, KU)) if e[0] == type_ and "KEN" in e[1]]


def test_events_precision_dateline_is_not_the_subject(code) -> None:
    events = _typed(code("Kenya On Sunday, gunmen killed 11 Ugandan soldiers.", KU))
    assert not [e for e in events if e[0] == "ASSAULT" and "KEN" in e[1]]


def test_events_precision_apposition_is_not_the_subject(code) -> None:
    text = "Members of the Kenyan bar association, a body linked to the Ugandan government, investigated the case."
    events = _typed(code(text, {"Kenyan bar association": "KENNGO", "Ugandan government": "UGAGOV"}))
    assert ("ACCUSE", frozenset({"KEN"}), frozenset()) in events


def test_events_precision_negation_stays_in_its_clause(code) -> None:
    events = _typed(code("Kenya has not commented, but Uganda welcomed Tanzania's decision.", KU))
    assert ("SUPPORT", frozenset({"UGA"}), frozenset({"TZA"})) in events
    assert not [e for e in events if e[0] == "REJECT"]


# ------------------------------------------------------------------ acts, not opinions or questions


@pytest.mark.parametrize(
    "text",
    [
        "Diplomats in Kenya agree that Uganda has done nothing wrong.",
        "Many Kenyans recognize that Uganda is a close partner.",
        '"Where is the money?" asked the Kenyan minister.',
        "The Kenyan reporter asked a real question.",
        "The Kenyan minister asked if Uganda had paid.",
        "The Kenyan mission in Uganda is demanding but manageable.",
        "The Kenyan president visited the scene of the flood.",
    ],
)
def test_events_precision_no_event(code, text: str) -> None:
    assert code(text, {**KU, "Kenyans": "KEN"}) == ()


@pytest.mark.parametrize(
    ("text", "type_"),
    [
        ("Kenya asked Uganda to withdraw its troops.", "REQUEST"),
        ("Kenya asked for Ugandan aid.", "REQUEST"),
        ("Kenya visited Uganda.", "CONSULT"),
        ("Kenya and Uganda agreed that talks would resume in May.", "AGREE"),
    ],
)
def test_events_precision_the_act_still_codes(code, text: str, type_: str) -> None:
    assert type_ in [e.type for e in code(text, KU)]


# ------------------------------------------------------------------ constructions that code (type and mode), and their status


@pytest.mark.parametrize(
    ("text", "type_", "mode"),
    [
        ("Kenya and Uganda upgraded their diplomatic ties.", "SUPPORT", None),
        ("Kenya dispatched inspectors to Uganda.", "ACCUSE", "investigate"),
        ("Kenya has been sharing expertise with Uganda.", "COOPERATE", None),
        ("Kenya handed over medicine to Uganda.", "AID", None),
        ("Kenyan activists began collecting signatures against Uganda.", "PROTEST", None),
        ("Tanzania launched a mediation effort between Kenya and Uganda.", "CONSULT", None),
        ("Kenyan rebels blew up power lines.", "ASSAULT", None),
    ],
)
def test_events_precision_new_constructions(code, text: str, type_: str, mode: str | None) -> None:
    hits = [e for e in code(text, {**KU, "Kenyan rebels": "KENREB", "Kenyan activists": "KENCVL"})
            if e.type == type_]
    assert hits, [(e.type, e.trigger) for e in code(text, KU)]
    assert mode is None or hits[0].mode == mode


def test_events_precision_invitation_is_not_yet_an_act(code) -> None:
    events = code("Kenya invited Uganda to send inspectors.", KU)
    assert all(e.status == "hypothetical" for e in events if e.type == "ACCUSE")


def test_events_precision_noun_subject_of_a_modal_verb(code) -> None:
    events = code("Kenyan attacks on Uganda would take place soon.", KU)
    assert [e.status for e in events if e.type == "ASSAULT"] == ["hypothetical"]


# ------------------------------------------------------------------ calibration protocol


def test_events_precision_halves_split_even_and_odd() -> None:
    import datetime as dt

    recs = [GoldRecord(str(i), "x", dt.date(2000, 1, 1), "AID", None, frozenset(), frozenset()) for i in range(5)]
    even, odd = halves(recs)
    assert [r.id for r in even] == ["0", "2", "4"] and [r.id for r in odd] == ["1", "3"]


def test_events_precision_calibration_fit_is_shrunk() -> None:
    pts = fit_calibration([(0.9, True)] * 10 + [(0.3, False)] * 10, bins=2)
    ys = [y for _, y in pts]
    assert ys == sorted(ys) and 0.0 < ys[0] < 0.5 < ys[-1] < 1.0


@given(st.lists(st.tuples(st.floats(0.0, 1.0), st.booleans()), max_size=60), st.integers(1, 8))
def test_events_precision_calibration_fit_is_monotone(pairs: list[tuple[float, bool]], bins: int) -> None:
    pts = tuple(fit_calibration(pairs, bins))
    xs, ys = [x for x, _ in pts], [y for _, y in pts]
    assert xs == sorted(xs) and ys == sorted(ys) and all(0.0 <= y <= 1.0 for y in ys)
    assert calibrate(0.2, pts) <= calibrate(0.8, pts)


def test_events_precision_passive_retreat_has_the_retreating_side(code) -> None:
    assert ("RETREAT", frozenset({"KEN"}), frozenset()) in _typed(code("Kenyan troops were withdrawn.", KU))
    assert not [e for e in _typed(code("Ugandan hostages were released on Monday.", KU))
                if e[0] == "RETREAT" and "UGA" in e[1]]


def test_events_precision_event_noun_with_infinitive_is_planned(code) -> None:
    events = code("An inquiry by Kenya into Ugandan smuggling is to take place in May.", KU)
    assert [e.status for e in events if e.type == "ACCUSE"] == ["planned"]
    events = code("Kenyan inquiry into Ugandan smuggling to take place in one day", KU)
    assert [e.status for e in events if e.type == "ACCUSE"] == ["planned"]
