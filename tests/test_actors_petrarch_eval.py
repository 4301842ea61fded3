"""Issue 18 item 5 (c): the PETRARCH validation records' actor codes, scored with a PETRARCH
dictionary set as the KB (``kronika.actors.evaluate_petrarch``, ``kronika evaluate actors
--petrarch``). The fixture (``fixtures/petrarch_eval``) is hand-written: six records, the
suite's own dictionaries beside them, and ``kb/`` standing in for the Phoenix files."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kronika.actors import evaluate_petrarch as ep
from kronika.evaluate.events import iter_petrarch, petrarch_dictionaries
from kronika.model import ActorMention

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "petrarch_eval"
RECORDS = FIXTURE / "records.xml"
KB = FIXTURE / "kb"


def _gold() -> ep.GoldSet:
    return ep.gold_actors(iter_petrarch(RECORDS), RECORDS.name)


def _m(code: str | None, country: str | None) -> ActorMention:
    return ActorMention(0, 1, "x", 0, 0, code, country)


def test_petrarch_eval_reads_gold_actors() -> None:
    gold = _gold()
    # T-04 is evaluate="false"; T-05's source "---" names no actor.
    assert (gold.records, gold.events, gold.skipped) == (5, 5, 1)
    assert [(g.record, g.side, g.code, g.key) for g in gold.actors] == [
        ("T-01", "source", "RUR", "RUR"), ("T-01", "target", "GRA", "GRA"),
        ("T-02", "source", "RUSCOP", "RUSCOP"), ("T-02", "target", "PAKEDU", "PAKEDU"),
        ("T-03", "source", "FRAGOV", "FRAGOV"), ("T-03", "target", "ERI", "ERI"),
        ("T-05", "target", "PAK", "PAK"),
        ("T-06", "source", "FRO/BIL/SAM", "FRO"), ("T-06", "target", "GON", "GON"),
    ]
    assert gold.actors[0].date == dt.date(2010, 6, 15)


def test_petrarch_eval_comparable_codes() -> None:
    table = {"ROM": "ROU"}
    assert ep.comparable("romgovfrm", table) == "ROUGOV"
    assert ep.mention_keys(_m("RUSCOP", "RUS"), table) == ("RUS", "RUSCOP")
    assert ep.mention_keys(_m("IGOUNO", "IGO"), table) == ("IGO", "IGOUNO")
    assert ep.mention_keys(_m("NGOAMN", None), table) == ("NGO", "NGOAMN")
    assert ep.mention_keys(_m("GOV", None), table) == (None, None)  # a bare sector is no country


def test_petrarch_eval_kb_and_what_it_can_code() -> None:
    kb, problems = ep.load_kb(ep.phoenix_files(KB))
    assert len(problems) == 1 and "9008223" in problems[0]  # skipped, not fatal
    files = ep.actor_files(petrarch_dictionaries(RECORDS))
    suite, none = ep.load_kb(files)
    assert not none and {p.name for p in files} == {"Suite.actors.txt", "Suite.agents.txt"}
    plain = ep.known_codes(kb)
    assert plain.knows_country("ERI") and plain.knows_code("RUSCOP") and plain.knows_code("FRAGOV")
    assert not plain.knows_code("FRALEG")  # no entry and no agent gives LEG
    assert not plain.knows_country("RUR")
    known = ep.known_codes(kb, suite=suite)
    # The suite's ERI is Eriador; the KB's is Eritrea: no KB entry can name it.
    assert not known.knows_country("ERI") and known.knows_country("FRA")
    assert known.knows_code("PAKEDU") and known.knows_code("FRAMIL") and not known.knows_code("ERIGOV")
    own = ep.known_codes(suite)
    assert own.knows_country("RUR") and own.knows_country("FRO")
    with pytest.raises(Exception, match="K013"):
        ep.phoenix_files(FIXTURE)


def test_petrarch_eval_scorer_counts_right_and_wrong() -> None:
    """Mentions are given, so only the scorer is under test: T-02 both right; T-03 the country
    right and the code wrong (FRAMIL for gold FRAGOV); T-05 missing; the rest unresolvable."""
    gold = _gold()
    text = {g.record: (g.text, g.date) for g in gold.actors}
    mentions = {
        text["T-02"]: [_m("RUSCOP", "RUS"), _m("PAKCVL", "PAK")],
        text["T-03"]: [_m("FRAMIL", "FRA"), _m("ERI", "ERI")],
        text["T-05"]: [_m("GOV", None)],
        text["T-01"]: [_m("RUR", "RUR")],
    }
    known = ep.KnownCodes(frozenset({"RUS", "PAK", "FRA"}), frozenset({"RUS", "PAK", "FRA"}),
                          frozenset({"COP", "EDU", "GOV", "MIL"}), frozenset())
    s = ep.score_gold(gold, mentions, known, "test", problems=2)
    assert (s.tally("country").right, s.tally("country").n) == (3, 4)
    assert (s.tally("code").right, s.tally("code").n) == (1, 4)
    assert (s.tally("country", "source").right, s.tally("country", "source").n) == (2, 2)
    assert (s.tally("country", "target").right, s.tally("country", "target").n) == (1, 2)
    assert (s.tally("code", "source").right, s.tally("code", "target").right) == (1, 0)
    # RUR is found on its sentence, but the KB cannot code it: counted apart, not as right.
    assert s.unresolvable("country") == {"RUR": 1, "GRA": 1, "ERI": 1, "FRO/BIL/SAM": 1, "GON": 1}
    out = s.to_json()
    assert out["country"]["all"] == {"accuracy": 0.75, "right": 3, "n": 4}
    assert out["code"]["unresolvable"]["n"] == 5 and out["dictionary_problems"] == 2


def _invoke(*args: str):  # type: ignore[no-untyped-def]
    from kronika.cli import _register, app

    _register()
    return CliRunner().invoke(app, ["evaluate", "actors", *args], env={"COLUMNS": "200"})


def test_petrarch_eval_cli() -> None:
    res = _invoke("--petrarch", str(RECORDS), "--phoenix", str(KB), "--misses")
    assert res.exit_code == 0, res.output
    (block,) = json.loads(res.stdout)["petrarch"]
    assert (block["records"], block["events"], block["gold_actors"], block["no_actor_code"]) == (5, 5, 9, 1)
    phoenix, own = block["kb"]["phoenix"], block["kb"]["own"]
    assert phoenix["dictionary_problems"] == 1
    assert phoenix["country"]["all"]["n"] == 4 and phoenix["country"]["unresolvable"]["n"] == 5
    assert phoenix["country"]["all"]["right"] == 4  # Russian police, Pakistani students, French soldiers, Pakistan
    assert (phoenix["code"]["all"]["right"], phoenix["code"]["all"]["n"]) == (3, 4)
    assert [(m["id"], m["gold"]) for m in block["misses"]] == [("T-03", "FRAGOV")]
    # With the suite's own dictionaries the made-up countries are codable.
    assert own["country"]["all"]["n"] == 9 and own["country"]["unresolvable"]["n"] == 0
    assert own["country"]["all"]["right"] >= 7
    assert set(block["kb"]) == {"phoenix", "own", "packaged"}


def test_petrarch_eval_cli_needs_the_kb() -> None:
    res = _invoke("--petrarch", str(RECORDS))
    assert res.exit_code == 2 and "--phoenix" in res.output
