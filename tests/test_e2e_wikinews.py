"""A guard against rules that only fit one article: 200 WikiNews articles through the
whole pipeline must yield events, most of them with a source country."""

from __future__ import annotations

import itertools
import json

import pytest

from conftest import SHARED
from kronika.ingest import iter_records
from kronika.model import Article

NEWS = SHARED / "data" / "news" / "wikinews_politics.jsonl"


@pytest.mark.slow
def test_e2e_wikinews_events_have_source_countries(pipeline, settings) -> None:
    if not NEWS.exists():
        pytest.skip("shared WikiNews data not present")
    arts = [r for r in itertools.islice(iter_records([NEWS], settings), 200) if isinstance(r, Article)]
    assert len(arts) == 200
    analyses = list(pipeline.analyze_many(arts))
    events = [e for a in analyses for e in a.events]
    with_events = sum(1 for a in analyses if a.events)
    with_source = [e for e in events if any(s.country for s in e.source)]
    assert with_events >= 100, f"only {with_events}/200 articles gave events"
    assert len(with_source) >= 0.7 * len(events), json.dumps(
        [e.to_json() for e in events if not any(s.country for s in e.source)][:5], indent=1)
    # dates come from the text where it gives one, and never precede the article by decades
    for a in analyses:
        for e in a.events:
            assert e.date.value[:4].isdigit()
