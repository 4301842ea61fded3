"""The array-based ``to_parsed_doc`` must equal reading each spaCy token attribute by hand.

The fast conversion reads hashes from ``Doc.to_array`` and maps them to strings; the
reference below is the obvious per-token version. Any drift (relative heads, the "_"
empty morph, IOB codes, whitespace, lemma "_") shows up as a field mismatch.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from conftest import SEED
from kronika.model import Article, Entity, ParsedDoc, Sentence, Token
from kronika.nlp import to_parsed_doc

TEXTS = [
    "Foreign Minister Taro Kono met his counterpart on Thursday in Tokyo.",
    "The  U.S.-led talks\n\nended. \"We won't agree,\" she said _ at 5 p.m.  ",
    "Ünïcødé — “quotes” 😀 e.g. Paris; the lemma of _ is _.\t\tTabs too.",
    "a",
    "   ",
    "",
]


def reference(doc: Any, article: Article) -> ParsedDoc:
    sent_of = {}
    sentences = []
    for si, s in enumerate(doc.sents):
        sent_of.update(dict.fromkeys(range(s.start, s.end), si))
        sentences.append(Sentence(si, s.start_char, s.end_char, s.start, s.end))
    tokens = tuple(
        Token(i=t.i, text=t.text, start=t.idx, end=t.idx + len(t.text), lemma=t.lemma_, pos=t.pos_,
              tag=t.tag_, dep=t.dep_, head=t.head.i, sent=sent_of[t.i], morph=str(t.morph),
              ent_type=t.ent_type_, ent_iob=t.ent_iob_, ws=t.whitespace_)
        for t in doc
    )
    entities = tuple(Entity(e.start_char, e.end_char, e.label_, e.start, e.end, e.text) for e in doc.ents)
    return ParsedDoc(article=article, tokens=tokens, sentences=tuple(sentences), entities=entities)


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
