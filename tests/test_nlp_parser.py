"""The array-based ``to_parsed_doc`` must equal reading each spaCy token attribute by hand.

The fast conversion reads hashes from ``Doc.to_array`` and maps them to strings; the
reference (``benchmarks/spacy_speed.py``, which also times it) is the obvious per-token
version. Any drift (relative heads, the "_" empty morph, IOB codes, whitespace, lemma "_")
shows up as a field mismatch.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from benchmarks.spacy_speed import per_token_conversion as reference

from conftest import SEED
from kronika.model import Article
from kronika.nlp import to_parsed_doc

TEXTS = [
    "Foreign Minister Taro Kono met his counterpart on Thursday in Tokyo.",
    "The  U.S.-led talks\n\nended. \"We won't agree,\" she said _ at 5 p.m.  ",
    "Ünïcødé — “quotes” 😀 e.g. Paris; the lemma of _ is _.\t\tTabs too.",
    "a",
    "   ",
    "",
]


@pytest.mark.parametrize("text", TEXTS)
def test_fast_conversion_equals_per_token_reading(parser: Any, text: str) -> None:
    article = Article.create(text, dt.date(2019, 5, 30))
    doc = parser.nlp(text)
    assert to_parsed_doc(doc, article) == reference(doc, article)


def test_fast_conversion_on_a_whole_article(parser: Any) -> None:
    if not SEED.exists():
        pytest.skip("shared seed article missing")
    text = SEED.read_text(encoding="utf-8").split("\n", 1)[1]
    article = Article.create(text, dt.date(2019, 5, 30))
    doc = parser.nlp(text)
    fast = to_parsed_doc(doc, article)
    assert fast == reference(doc, article)
    # the conversion keeps offsets exact: every token's text is its slice of the article
    assert all(text[t.start : t.end] == t.text for t in fast.tokens)
    assert any(t.ent_iob == "B" for t in fast.tokens) and any(t.morph == "" for t in fast.tokens)


def test_batch_and_single_parse_agree(parser: Any) -> None:
    articles = [Article.create(t, dt.date(2019, 5, 30)) for t in TEXTS]
    batched = list(parser.parse_many(articles))
    assert [d.article for d in batched] == articles
    assert batched == [parser.parse(a) for a in articles]
