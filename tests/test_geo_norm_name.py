"""``norm_name`` keys every gazetteer look-up: its ASCII fast path must equal the general
fold, and the fold must be idempotent (a key normalised twice is the same key)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from kronika.geo.gazetteer import _FOLD, norm_name


def _general(text: str) -> str:
    return " ".join(text.translate(_FOLD).lower().split())


@given(st.text(alphabet=st.characters(max_codepoint=127), max_size=40))
def test_ascii_fast_path_equals_the_general_fold(text: str) -> None:
    assert norm_name(text) == _general(text)


@given(st.text(max_size=40))
def test_norm_name_is_idempotent(text: str) -> None:
    assert norm_name(norm_name(text)) == norm_name(text)


def test_norm_name_examples() -> None:
    assert norm_name("São Paulo") == "sao paulo"
    assert norm_name("U.S.") == "us"
    assert norm_name("Nagorno-Karabakh") == "nagorno karabakh"
    assert norm_name("Côte d’Ivoire") == "cote d'ivoire"
