"""Golden test: every gold TIMEX of the canonical seed article, with its value (and mod)."""

from __future__ import annotations

import json
import re

import pytest

from conftest import GOLD_SEED
from kronika.config import Settings
from kronika.time import TimeTagger


@pytest.fixture(scope="module")
def seed_times(parse, seed_path):
    gold_file = GOLD_SEED / "time_places_actors.json"
    if not gold_file.exists():
        pytest.skip("seed gold not present")
    raw = seed_path.read_text(encoding="utf-8")
    m = re.match(r"\s*date\s+(\d{4}-\d{2}-\d{2})\s*", raw)
    assert m, "seed header"
    doc = parse(raw[m.end():], m.group(1))
    gold = json.loads(gold_file.read_text(encoding="utf-8"))["timex"]
    return doc, TimeTagger(Settings())(doc), gold


def test_time_seed_every_gold_timex_found_with_its_value(seed_times) -> None:
    doc, times, gold = seed_times
    used: set[int] = set()
    for g in gold:
        cue_at = doc.text.find(g["cue"])
        assert cue_at >= 0, g
        start = cue_at + g["cue"].index(g["text"])
        hits = [i for i, t in enumerate(times) if t.start < start + len(g["text"]) and start < t.end]
        assert hits, f"missed {g['text']!r} ({g['cue']})"
        t = times[hits[0]]
        used.add(hits[0])
        assert (t.type, t.value) == (g["type"], g["value"]), (g, t)
        if "mod" in g:
            assert t.mod == g["mod"]
    assert len(used) == len(gold)


def test_time_seed_has_no_spurious_dates(seed_times) -> None:
    doc, times, gold = seed_times
    texts = {g["text"] for g in gold}
    extra = [t for t in times if not any(t.text.endswith(x) or x in t.text for x in texts)]
    # "recent" (PAST_REF) is a legitimate TIMEX3; nothing else is expected
    assert all(t.value in ("PAST_REF", "PRESENT_REF") for t in extra), extra
    assert not any(t.text.lower() == "this time" for t in times)
