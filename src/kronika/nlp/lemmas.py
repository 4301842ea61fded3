"""A faster English rule lemmatizer: spaCy's own lemmas, looked up per token signature.

Why: in the pinned model the lemmatizer is a Python loop over every token (a ``Token``
object, a ``MorphAnalysis`` for its cache key, a string set per token), about 5 % of the
parse for lemmas that repeat across news. spaCy's rule lemmatizer is a function of three
token values only: its orth, its coarse POS and its morphology (its own cache is keyed on
exactly these). So the table reads those three columns of a document in one ``to_array``
call, asks spaCy's ``lemmatize`` once per signature it has not seen, and writes the lemma
column back in one ``from_array`` call.

Tokens whose lemma an earlier component already set (the attribute ruler's exceptions) keep
it, as the stock component leaves them when ``overwrite`` is off. ``tests/test_nlp_lemmas.py``
checks the lemmas token by token against the stock component. Any other lemmatizer (another
language, lookup mode) is left alone.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from spacy.attrs import LEMMA, MORPH, ORTH, POS
from spacy.errors import Errors
from spacy.lang.en.lemmatizer import EnglishLemmatizer

_CACHE_MAX = 500_000  # distinct (orth, pos, morph) signatures kept


class TableLemmatizer(EnglishLemmatizer):
    """``EnglishLemmatizer`` whose call looks lemmas up per signature (``install`` swaps an
    existing component's class to this one; its state and serialisation are unchanged)."""

    def __call__(self, doc: Any) -> Any:
        if not self._validated:
            self._validate_tables(Errors.E1004)
        n = len(doc)
        if not n:
            return doc
        table: dict[tuple[int, int, int], int] = self.__dict__.setdefault("_kronika_lemmas", {})
        if len(table) > _CACHE_MAX:
            table.clear()
        error_handler = self.get_error_handler()
        try:
            cols = doc.to_array([ORTH, POS, MORPH, LEMMA])
            orth, pos, morph, lemma = cols.T.tolist()
            strings = doc.vocab.strings
            out = lemma if not self.overwrite else [0] * n
            for i, key in enumerate(zip(orth, pos, morph, strict=True)):
                if out[i]:
                    continue  # set by an earlier component (overwrite off): kept, as the stock loop keeps it
                got = table.get(key)
                if got is None:
                    got = table[key] = strings.add(self.lemmatize(doc[i])[0])
                out[i] = got
            doc.from_array([LEMMA], np.asarray(out, dtype=np.uint64).reshape(n, 1))
            return doc
        except Exception as e:  # the stock component's contract: the pipeline's error handler decides
            error_handler(self.name, self, [doc], e)


def install(nlp: Any) -> bool:
    """Give the pipeline's English rule lemmatizer the table call; False (and nothing changed)
    when there is none of that exact kind."""
    if "lemmatizer" not in nlp.pipe_names:
        return False
    pipe = nlp.get_pipe("lemmatizer")
    if type(pipe) is not EnglishLemmatizer or pipe.mode != "rule":
        return type(pipe) is TableLemmatizer
    pipe.__class__ = TableLemmatizer
    return True


def uninstall(nlp: Any) -> None:
    """Back to spaCy's own per-token loop (benchmarks compare against the stock pipeline)."""
    if "lemmatizer" in nlp.pipe_names:
        pipe = nlp.get_pipe("lemmatizer")
        if type(pipe) is TableLemmatizer:
            pipe.__class__ = EnglishLemmatizer
