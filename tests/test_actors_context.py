"""The "nearest country in the sentence" index agrees with a plain scan of every match."""

from __future__ import annotations

from types import SimpleNamespace

from hypothesis import given, settings
from hypothesis import strategies as st

from kronika.actors import ActorEntry
from kronika.actors.kb import AGENT, COUNTRY, DEMONYM, Lex
from kronika.actors.matching import Match
from kronika.actors.resolver import PLACE_TAGS, _PlaceIndex

COUNTRIES = ("JPN", "RUS", "CHN")


def _lex(tag: str, country: str | None) -> Lex:
    return Lex(tag, actor=ActorEntry(country or "x", "country", country, country, None, (), (), "t"))


def _scan(doc, matches, a: int, b: int, exclude: str | None, sole: bool) -> str | None:
    """The former O(matches) scan, kept as the reference."""
    sent = doc.tokens[a].sent
    best: tuple[int, str] | None = None
    named: set[str] = set()
    for m in matches:
        lex = m.get(*PLACE_TAGS)
        if lex is None or not lex.country or doc.tokens[m.start].sent != sent or lex.country == exclude:
            continue
        if a <= m.start < b:
            continue
        named.add(lex.country)
        dist = a - m.end if m.end <= a else m.start - b
        if best is None or dist < best[0]:
            best = (dist, lex.country)
    if best is None or (sole and len(named) > 1):
        return None
    return best[1]


# A document: segments of (gap tokens, match length, tag, country, sentence break after).
SEGMENT = st.tuples(st.integers(0, 3), st.integers(1, 3), st.sampled_from((COUNTRY, DEMONYM, AGENT)),
                    st.sampled_from((*COUNTRIES, None)), st.booleans())


@settings(max_examples=150, deadline=None)
@given(st.lists(SEGMENT, max_size=14), st.data())
def test_actors_place_index_matches_scan(segments, data) -> None:
    sents: list[int] = []
    matches: list[Match] = []
    sent = 0
    for gap, length, tag, country, brk in segments:
        sents += [sent] * gap
        matches.append(Match(len(sents), len(sents) + length, (_lex(tag, country),)))
        sents += [sent] * length
        sent += brk
    sents.append(sent)
    doc = SimpleNamespace(tokens=[SimpleNamespace(sent=s) for s in sents])
    index = _PlaceIndex(doc, matches)  # type: ignore[arg-type]
    a = data.draw(st.integers(0, len(sents) - 1))
    b = data.draw(st.integers(a + 1, len(sents)))
    exclude = data.draw(st.sampled_from((*COUNTRIES, None)))
    sole = data.draw(st.booleans())
    got = index.nearest(doc.tokens[a].sent, a, b, exclude, sole)
    assert got == _scan(doc, matches, a, b, exclude, sole)


def test_actors_place_index_prefers_straddling_then_nearer_then_earlier() -> None:
    doc = SimpleNamespace(tokens=[SimpleNamespace(sent=0)] * 12)
    m = [Match(0, 1, (_lex(COUNTRY, "JPN"),)), Match(3, 5, (_lex(COUNTRY, "RUS"),)),
         Match(8, 9, (_lex(COUNTRY, "CHN"),))]
    index = _PlaceIndex(doc, m)  # type: ignore[arg-type]
    assert index.nearest(0, 4, 6, None, False) == "RUS"  # straddles the span's start
    assert index.nearest(0, 6, 7, None, False) == "RUS"  # 1 token before vs 1 after: earlier wins
    assert index.nearest(0, 6, 7, "RUS", False) == "CHN"
    assert index.nearest(0, 6, 7, None, True) is None  # three countries named
