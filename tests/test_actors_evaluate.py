"""``kronika evaluate actors``: the news-folder figure (same matching rule as the shared
scorer), on a folder built here."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kronika.actors.evaluate import event_matches, score_news


def _side(c: str | None) -> dict | None:
    return {"text": c, "country": c} if c else None


def _ev(type_: str, src: str | None, tgt: str | None, evidence: str) -> dict:
    side = _side
    return {"type": type_, "source": side(src), "target": side(tgt), "evidence": evidence}


@pytest.mark.parametrize(("ev", "actors", "ok"), [
    (_ev("CONSULT", "RUR", "GRA", "The ministers met in Strelsau."), True, True),
    (_ev("CONSULT", "GRA", "RUR", "The ministers met in Strelsau."), True, True),   # symmetric: either order
    (_ev("CONSULT", "GRA", None, "The ministers met in Strelsau."), True, False),
    (_ev("CONSULT", "GRA", None, "The ministers met in Strelsau."), False, True),   # type and sentence only
    (_ev("ACCUSE", "RUR", "GRA", "The ministers met in Strelsau."), True, False),
    (_ev("CONSULT", "RUR", "GRA", "Something else entirely."), True, False),
])
def test_actors_evaluate_event_matches(ev: dict, actors: bool, ok: bool) -> None:
    gold = {"type": "CONSULT", "source": "RUR", "target": "GRA", "cue": "ministers met"}
    assert event_matches(ev, gold, actors=actors) is ok


def test_actors_evaluate_score_news(tmp_path: Path) -> None:
    (tmp_path / "gold").mkdir()
    gold = {"article": "articles/a.txt", "events": [
        {"id": "E1", "type": "DEMAND", "source": "RUR", "target": "GRA", "cue": "demanded the return", "required": True},
        {"id": "E2", "type": "ASSAULT", "source": "GRA", "target": "RUR", "cue": "shelled the border", "required": True},
        {"id": "E3", "type": "CONSULT", "source": "RUR", "target": "GRA", "cue": "will meet", "required": False},
    ]}
    (tmp_path / "gold" / "a.events.json").write_text(json.dumps(gold), encoding="utf-8")
    events = {"a.txt": [
        _ev("REQUEST", "RUR", "GRA", "Ruritania demanded the return of the envoy."),  # DEMAND is REQUEST
        _ev("ASSAULT", "GRA", None, "Graustark shelled the border."),                   # typed, target missing
    ]}
    s = score_news(tmp_path, events)
    assert (s.required, s.typed, s.actors_ok, s.events, s.no_target) == (2, 2, 1, 2, 1)
    assert s.line().startswith("required events whose type was coded on their sentence: 2/2; "
                               "of those, with the right source and target: 1/2")
