"""The table lemmatizer must leave every lemma exactly as spaCy's own per-token loop does,
over real articles and over the shapes whose lemma the attribute ruler sets first ("ain't",
"gonna", "'s"), which the table must keep."""

from __future__ import annotations

import itertools
import json
import pickle
from pathlib import Path
from typing import Any

from kronika.nlp import lemmas
from kronika.nlp.lemmas import TableLemmatizer

SAMPLE = Path(__file__).parent.parent / "examples" / "wikinews" / "wikinews_politics_sample.jsonl"
ODD = [
    "Y'all ain't gonna believe it, let's go. C'mon!  Nothin' doin'. We gotta leave.",
    "The ministers' talks were held; she's been meeting leaders. Russia's forces struck cities.",
    "Better, best, worse; geese, mice, oxen; he was, they were, I am. Strikes struck striking strikers.",
    "\n \t It is what it is.   They've got to go; I'm sure you're right, isn't it?",
    "",
]


def _lemmas(nlp: Any, texts: list[str]) -> list[list[tuple[str, str, str]]]:
    return [[(t.text, t.pos_, t.lemma_) for t in doc] for doc in nlp.pipe(texts)]


def _texts() -> list[str]:
    with SAMPLE.open(encoding="utf-8") as fh:
        return [json.loads(line)["text"] for line in itertools.islice(fh, 40)] + ODD


def test_table_lemmas_equal_the_stock_loop(parser: Any) -> None:
    nlp = parser.nlp
    texts = _texts()
    assert parser.fast_lemmas, "the pinned model's English rule lemmatizer should take the table"
    lemmas.uninstall(nlp)
    try:
        assert type(nlp.get_pipe("lemmatizer")) is not TableLemmatizer
        stock = _lemmas(nlp, texts)
    finally:
        lemmas.install(nlp)
    assert type(nlp.get_pipe("lemmatizer")) is TableLemmatizer
    fast = _lemmas(nlp, texts)
    fast_again = _lemmas(nlp, texts)  # second pass: every signature now from the table
    for text, a, b, c in zip(texts, stock, fast, fast_again, strict=True):
        assert a == b == c, f"lemmas differ in {text[:60]!r}"


def test_install_is_idempotent_and_leaves_other_lemmatizers_alone(parser: Any) -> None:
    assert lemmas.install(parser.nlp) is True  # already installed: still the table, no error
    assert type(parser.nlp.get_pipe("lemmatizer")) is TableLemmatizer

    class Other:
        mode = "lookup"

    class Nlp:
        pipe_names = ["lemmatizer"]
        pipe = Other()

        def get_pipe(self, name: str) -> Other:
            return self.pipe

    nlp = Nlp()
    assert lemmas.install(nlp) is False
    assert type(nlp.pipe) is Other
    assert lemmas.install(type("NoLemmatizer", (), {"pipe_names": []})()) is False


def test_the_pipeline_still_pickles_for_spawned_workers(parser: Any) -> None:
    clone = pickle.loads(pickle.dumps(parser.nlp))
    assert type(clone.get_pipe("lemmatizer")) is TableLemmatizer
    assert _lemmas(clone, ODD) == _lemmas(parser.nlp, ODD)
