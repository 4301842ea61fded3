"""Readings of a parse that more than one stage needs: which preposition a phrase stands in,
and which clause a token belongs to. Geo asks where an event happened ("met in Tokyo"),
events ask whether a place is a venue or a party; one walk keeps them reading the same phrase.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from kronika.model import Token


def phrase_preposition(tokens: Sequence[Token], start: Token, preps: frozenset[str]) -> Token | None:
    """The preposition in ``preps`` whose phrase holds ``start`` ("in" of "in Tokyo"), if any.
    Walks through a noun the phrase modifies ("in the city of Aleppo", "in Tokyo's Chiyoda
    ward") and through compounds, appositions and coordination ("in Akita and Yamaguchi", "in
    Tokyo, the capital"), but stops at any argument role."""
    t = start
    for _ in range(4):
        if t.dep == "pobj":
            prep = tokens[t.head]
            word = prep.text.lower()
            if word in preps:
                return prep
            if word != "of" or prep.head == prep.i:
                return None
            t = tokens[prep.head]  # "in the city of Aleppo": go on from "city"
        elif t.dep in ("compound", "appos", "conj") and t.head != t.i:
            t = tokens[t.head]
        else:
            return None
    return None


def clause_head(tokens: Sequence[Token], i: int, verbal: Callable[[Token], bool]) -> int:
    """The nearest token at or above token ``i`` that ``verbal`` calls a verb (or the root):
    the clause ``i`` belongs to. Each stage passes its own test of a verb."""
    t = tokens[i]
    for _ in range(12):
        if verbal(t) or t.head == t.i:
            return t.i
        t = tokens[t.head]
    return t.i
