"""The table ``match`` for spaCy's attribute ruler must leave every token exactly as the
stock ``Matcher`` does: POS, morphology, lemma, tag and dependency label, token by token,
over real articles and over the rare shapes the ruler has patterns for ("gonna", "y'all",
"ain't", "let's", whitespace tokens, "there is")."""

from __future__ import annotations

import itertools
import json
from pathlib import Path
from typing import Any

from kronika.nlp import attributes

SAMPLE = Path(__file__).parent.parent / "examples" / "wikinews" / "wikinews_politics_sample.jsonl"
ODD = [
    "Y'all ain't gonna believe it, let's go. C'mon!  Nothin' doin'. We gotta leave.",
    "There is a problem; there are two. He said that if it rains, they'd stay. Do you have it? I do.",
    "\n \t It is what it is.   They've got to go; I'm sure you're right, isn't it?",
    "Give it to me, then I told you. It was not there, but it wasn't his.",
    "",
]


def _annotations(nlp: Any, texts: list[str]) -> list[list[tuple[str, ...]]]:
    return [[(t.text, t.pos_, str(t.morph), t.lemma_, t.tag_, t.dep_) for t in doc] for doc in nlp.pipe(texts)]


def test_table_match_leaves_tokens_as_the_stock_matcher(parser: Any) -> None:
    nlp = parser.nlp
    with SAMPLE.open(encoding="utf-8") as fh:
        texts = [json.loads(line)["text"] for line in itertools.islice(fh, 40)] + ODD
    assert parser.fast_attributes, "the pinned model's attribute ruler should take the table"
    attributes.uninstall(nlp)
    try:
        stock = _annotations(nlp, texts)
    finally:
        attributes.install(nlp)
    fast = _annotations(nlp, texts)
    for text, a, b in zip(texts, stock, fast, strict=True):
        assert a == b, f"annotations differ in {text[:60]!r}"


def test_unreadable_patterns_leave_the_ruler_alone() -> None:
    class Ruler:
        vocab = None
        patterns = [{"patterns": [[{"ORTH": "x"}]], "attrs": {"POS": "X"}, "index": 0}]

    class Nlp:
        pipe_names = ["attribute_ruler"]
        ruler = Ruler()

        def get_pipe(self, name: str) -> Ruler:
            return self.ruler

    nlp = Nlp()
    assert attributes.install(nlp) is False
    assert "match" not in vars(nlp.ruler)


def test_the_pipeline_still_pickles_for_spawned_workers(parser: Any) -> None:
    # spaCy's n_process > 1 pickles the pipeline where processes are spawned (macOS, Windows)
    import pickle

    clone = pickle.loads(pickle.dumps(parser.nlp))
    assert "match" in vars(clone.get_pipe("attribute_ruler"))
    assert _annotations(clone, ODD) == _annotations(parser.nlp, ODD)
