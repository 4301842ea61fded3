"""PETRARCH verb dictionaries: the reader, the pattern matcher, and the coder using them.

The dictionaries here are written for these tests; the shared PETRARCH unit-test suite (with
its own toy dictionaries) is scored at the end when ``../shared`` is present.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import kronika.evaluate.events as ev
from conftest import SHARED
from kronika.events import EventCoder
from kronika.events.lexicon import load_lexicon
from kronika.events.ontology import load_cameo_table
from kronika.events.petrarch import is_verb_dictionary, match_pattern, parse_verb_dictionary
from kronika.model import ActorMention, ParsedDoc

VERBS = """\
<!-- a test dictionary -->
&SANCTS
+ECONOMIC SANCTIONS
+ARMS_EMBARGO

--- RESTORE  [---]  ---
RESTORE    # only its patterns code
- * DIPLOMATIC TIES  [064]
- NOT * RELATIONS  [112]

--- DEMAND  [100]  ---
DEMAND {DEMANDS DEMANDED}
- * END TO &SANCTS  [1041]

--- CARRY [---] ---
CARRY_OUT  [190]

--- GREET [+++] ---
GREET
- * * broken [  # no code, no block use
"""

TABLE = load_cameo_table()


def test_events_petrarch_reads_blocks_patterns_and_synsets() -> None:
    d = parse_verb_dictionary(VERBS, TABLE)
    assert d.base["restore"] is None  # "---": the bare verb is no event
    assert d.base["demand"] == ("100", "REQUEST", d.base["demand"][2])
    [sanct] = d.patterns["demand"]
    assert sanct.cameo == "1041" and sanct.after[-1] == (("economic", "sanctions"), ("arms", "embargo"))
    assert [p.cameo for p in d.patterns["restore"]] == ["064", "112"]  # longest first
    assert d.patterns["carry"][0].after == ((("out",),),) and d.patterns["carry"][0].type == "ASSAULT"
    assert d.skipped >= 1  # GREET [+++] and the malformed pattern are counted, not fatal


def test_events_petrarch_pattern_needs_its_words_in_order() -> None:
    pats = parse_verb_dictionary(VERBS, TABLE).patterns["restore"]
    assert match_pattern(pats, ["france"], "diplomatic ties with iran".split()).cameo == "064"
    assert match_pattern(pats, ["france", "did", "not"], "its relations".split()).cameo == "112"
    assert match_pattern(pats, ["france"], "ties diplomatic".split()) is None
    demand = parse_verb_dictionary(VERBS, TABLE).patterns["demand"]
    assert match_pattern(demand, [], "an end to the arms embargo".split()).cameo == "1041"


@given(st.lists(st.text(alphabet="-*[]{}&+$%_#<>! ABCdef0123456789\n", max_size=40), max_size=30))
def test_events_petrarch_reader_never_crashes_on_junk(lines: list[str]) -> None:
    d = parse_verb_dictionary("\n".join(lines), TABLE)
    for verb, pats in d.patterns.items():
        assert verb and all(p.type for p in pats)


def test_events_petrarch_user_verbs_replace_shipped_coding(tmp_path: Path) -> None:
    path = tmp_path / "my.verbs.txt"
    path.write_text(VERBS)
    assert is_verb_dictionary(path) and not is_verb_dictionary(tmp_path / "actors.yaml")
    shipped, user = load_lexicon(), load_lexicon(verb_dictionaries=(path,))
    assert "restore" in user.user_verbs and "demand" in user.user_verbs
    assert user.verbs["demand"][0].cameo == "100"
    assert user.verbs.get("accuse") == shipped.verbs.get("accuse")  # untouched verbs stay


def _mentions(doc: ParsedDoc, names: dict[str, str]) -> tuple[ActorMention, ...]:
    out = []
    for name, code in names.items():
        s = doc.text.index(name)
        tok = next(t for t in doc.tokens if t.start == s)
        out.append(ActorMention(s, s + len(name), name, doc.sentence_of_char(s), tok.i, code, code, None))
    return tuple(sorted(out, key=lambda m: m.start))


def test_events_petrarch_dictionary_drives_the_coder(settings, parse, tmp_path: Path) -> None:
    path = tmp_path / "verbs.txt"
    path.write_text(VERBS)
    rules = settings.replace(events_coder="rules")  # a user's verb dictionary drives the rule coder
    mine, plain = EventCoder(rules, verb_dictionaries=(path,)), EventCoder(rules)
    doc = parse("France restored diplomatic ties with Iran on Monday.")
    actors = _mentions(doc, {"France": "FRA", "Iran": "IRN"})
    [coded] = mine(doc, (), actors, ())
    assert (coded.cameo, coded.type) == ("06", "COOPERATE")
    assert [a.actor for a in coded.source] == ["FRA"] and [a.actor for a in coded.target] == ["IRN"]
    assert all(e.cameo != "06" for e in plain(doc, (), actors, ()))  # the shipped coding differs
    doc2 = parse("France restored order in its cities on Monday.")
    assert mine(doc2, (), _mentions(doc2, {"France": "FRA"}), ()) == ()  # "---": no event


PETR = SHARED / "data" / "petrarch" / "unit-tests" / "PETR.UnitTest.records.xml"


@pytest.mark.skipif(not PETR.exists(), reason="shared PETRARCH unit tests not present")
def test_events_petrarch_unit_tests_with_their_dictionaries(parser, settings) -> None:
    """Measured 0.642 at the CAMEO root (the misses are mostly WEIS-only roots 22/80/90/91
    that have no PLOVER type); the floor guards the importer."""
    records = ev.load_petrarch(PETR)
    coded = ev.code_records(records, settings, parser, actors="system", dictionaries=ev.petrarch_dictionaries(PETR))
    scores = ev.score_records(records, lambda r: coded[r.id], petrarch=True).to_dict()
    assert scores["type_accuracy"] >= 0.6, scores
