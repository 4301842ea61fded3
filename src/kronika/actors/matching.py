"""Finding knowledge-base phrases in a parsed document, and the syntax helpers around them.

Matching joins consecutive tokens with their own whitespace ("North Korea", "U.S.",
"Al-Qaeda") and looks the string up in the compiled phrase dict, longest first, so it is
independent of how spaCy split the words and costs at most ``MAX_TOKENS`` dict look-ups per
token.
"""

from __future__ import annotations

from dataclasses import dataclass

from kronika.actors.kb import AGENT, MAX_TOKENS, KnowledgeBase, Lex, token_key
from kronika.model import ParsedDoc, Token
from kronika.resources import word_set

NOMINAL = frozenset({"NOUN", "PROPN"})
# Dependencies that keep a modifier inside the noun phrase of its head.
NP_INTERNAL = frozenset({"compound", "amod", "nmod", "flat", "nummod"})
# spaCy entity labels that rule a capitalised word out as a person or organisation name.
NOT_NAMES = frozenset({
    "GPE", "LOC", "DATE", "TIME", "NORP", "FAC", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW",
    "LANGUAGE", "MONEY", "CARDINAL", "ORDINAL", "PERCENT", "QUANTITY",
})
# Courtesy titles are not part of a name ("Ms Byrne" is "Byrne").
HONORIFICS = word_set("actors/words.yaml", "honorifics")
# A noun phrase governed by one of these acts in its clause ("attacked by X", "talks with X").
ACTING_PREPS = word_set("english/prepositions.yaml", "acting")


@dataclass(frozen=True, slots=True)
class Match:
    """A knowledge-base phrase found at tokens ``start`` .. ``end`` (exclusive)."""

    start: int
    end: int
    lex: tuple[Lex, ...]

    @property
    def last(self) -> int:
        return self.end - 1

    def get(self, *tags: str) -> Lex | None:
        return next((x for x in self.lex if x.tag in tags), None)


def _capitalised(tok: Token) -> bool:
    return bool(tok.text) and (tok.text[0].isupper() or tok.text[0].isdigit())


def find_matches(doc: ParsedDoc, kb: KnowledgeBase) -> list[Match]:
    """Longest-first, left-to-right, non-overlapping phrase matches in every sentence.

    Names (countries, people, organisations) must start with a capital letter; role
    words (agents) match in any case."""
    out: list[Match] = []
    toks = doc.tokens
    keys = [token_key(t.text) for t in toks]  # once per token, not once per n-gram tried
    for sent in doc.sentences:
        i = sent.token_start
        while i < sent.token_end:
            # most tokens start no phrase, and a lower-case one only a role word: skip cheaply
            if keys[i] not in (kb.prefixes if _capitalised(toks[i]) else kb.agent_prefixes):
                i += 1
                continue
            found = _match_at(toks, keys, i, sent.token_end, kb)
            if found is None:
                i += 1
                continue
            out.append(found)
            i = found.end
    return out


def _match_at(toks: tuple[Token, ...], tkeys: list[str], i: int, stop: int, kb: KnowledgeBase) -> Match | None:
    if toks[i].pos in ("SPACE", "PUNCT") and toks[i].text not in ("U.S.", "U.K."):
        return None
    keys: list[str] = []
    key = ""
    for j in range(i, min(stop, i + MAX_TOKENS)):
        t = toks[j]
        if t.pos == "SPACE":
            break
        key = tkeys[j] if j == i else key + (" " if toks[j - 1].ws else "") + tkeys[j]
        if key not in kb.prefixes:
            break
        keys.append(key)
    if not keys:
        return None
    surface = toks[i].text
    cap = _capitalised(toks[i])
    for k in range(len(keys), 0, -1):
        lex = kb.phrases.get(keys[k - 1])
        if not lex:
            continue
        usable = tuple(x for x in lex if (cap or x.tag == AGENT) and (not x.caps or surface.isupper()))
        if usable:
            return Match(i, i + k, usable)
    return None


def np_head(doc: ParsedDoc, i: int) -> int:
    """The head noun of the noun phrase token ``i`` modifies ("Russian" → "military" in
    "the Russian military"); ``i`` itself when it heads its phrase."""
    toks = doc.tokens
    cur = toks[i]
    for _ in range(12):
        if cur.head == cur.i:
            break
        head = toks[cur.head]
        if cur.dep in NP_INTERNAL and head.pos in NOMINAL and head.i > cur.i:
            cur = head
        elif cur.dep == "conj" and head.dep in ("amod", "compound", "nmod") and head.i < cur.i:
            cur = head  # "Hungarian and Romanian officials"
        else:
            break
    return cur.i


def governing_prep(doc: ParsedDoc, i: int) -> str | None:
    """The preposition whose object token ``i`` is (following conjunctions), lower case."""
    tok = doc.tokens[i]
    for _ in range(4):
        if tok.dep == "conj" and tok.head != tok.i:
            tok = doc.tokens[tok.head]
            continue
        break
    if tok.dep == "pobj" and tok.head != tok.i:
        return doc.tokens[tok.head].text.lower()
    return None


def acts(doc: ParsedDoc, i: int) -> bool:
    """Whether the noun phrase headed by ``i`` is an agent in its clause: a subject, a
    possessor, the "by" of a passive, or the object of a verb (not a place of action)."""
    tok = doc.tokens[i]
    for _ in range(4):
        if tok.dep in ("conj", "appos") and tok.head != tok.i:
            tok = doc.tokens[tok.head]
            continue
        break
    if tok.dep in ("nsubj", "nsubjpass", "csubj", "poss", "agent", "dobj", "dative"):
        return True
    prep = governing_prep(doc, tok.i)
    return prep in ACTING_PREPS


def name_tokens(doc: ParsedDoc, covered: set[int], blocked: set[int]) -> list[tuple[int, int]]:
    """Runs of capitalised proper-noun tokens that are not knowledge-base matches, dates
    or non-name entities: candidate person or organisation names (token ranges)."""
    runs: list[tuple[int, int]] = []
    start: int | None = None
    for t in doc.tokens:
        ok = (
            t.i not in covered and t.i not in blocked and t.text[:1].isalpha() and t.text[:1].isupper()
            and t.text not in HONORIFICS and not any(c.isdigit() for c in t.text)
            and (t.pos == "PROPN" or t.ent_type == "PERSON") and t.ent_type not in NOT_NAMES
        )
        contiguous = start is not None and doc.tokens[t.i - 1].sent == t.sent
        if ok and contiguous:
            continue
        if start is not None:
            runs.append((start, t.i))
            start = None
        if ok:
            start = t.i
    if start is not None:
        runs.append((start, len(doc.tokens)))
    return runs


def repeated_names(doc: ParsedDoc, runs: list[tuple[int, int]], covered: set[int]) -> list[tuple[int, int]]:
    """Single capitalised tokens repeating the last word of a name run elsewhere ("Cortes
    said", where the tagger took "Cortes" for a common noun)."""
    in_runs = {i for a, b in runs for i in range(a, b)}
    lasts = {doc.tokens[b - 1].text for _a, b in runs}
    return [(t.i, t.i + 1) for t in doc.tokens
            if t.text in lasts and t.i not in in_runs and t.i not in covered and t.pos in ("NOUN", "PROPN", "X")]


def span_text(doc: ParsedDoc, a: int, b: int) -> tuple[int, int, str]:
    """Character start, end and text of tokens ``a`` .. ``b`` (exclusive)."""
    s, e = doc.tokens[a].start, doc.tokens[b - 1].end
    return s, e, doc.text[s:e]
