"""Which way an underspecified date points, read from the verb that governs it.

"Kono and Lavrov met Thursday" → the Thursday on or before the DCT; "will meet on
Friday" → the Friday after it. The cue is the governing verb's tense (UD morphology),
its auxiliaries ("will", "has"), a progressive present ("is meeting Friday"), or a
planning verb above it ("plans to visit in March"); the word lists live in the rule file.
"""

from __future__ import annotations

from dataclasses import dataclass

from kronika.model import ParsedDoc, Token
from kronika.time.lexicon import Lexicon

_VERBAL = ("VERB", "AUX")
_AUX_DEPS = ("aux", "auxpass", "aux:pass")


def _verb_above(doc: ParsedDoc, i: int) -> Token | None:
    """The nearest verb strictly above token ``i``."""
    return next((a for a in doc.ancestors(i) if a.pos in _VERBAL), None)


def _object_of(doc: ParsedDoc, tok: Token) -> Token | None:
    """The preposition whose object ``tok`` is ("until" for "until Tuesday"), else None."""
    return doc.tokens[tok.head] if tok.dep == "pobj" and tok.head != tok.i else None


def _dated_noun(doc: ParsedDoc, tok: Token) -> Token | None:
    """The noun a date modifies ("summit" in "Friday's summit"), else None."""
    head = doc.tokens[tok.head]
    return head if tok.dep in ("compound", "amod", "poss", "nmod") and head.pos == "NOUN" else None


def governing_verb(doc: ParsedDoc, i: int, lex: Lexicon | None = None) -> Token | None:
    """The nearest verb at or above token ``i`` in the dependency tree; with ``lex``, the
    verb of saying when the expression stands between it and the subject of the clause it
    reports ("said on Monday it would cut jobs": the parser hangs "on Monday" on "cut",
    but it dates the saying)."""
    tok = doc.tokens[i]
    if tok.pos in _VERBAL:
        return tok
    verb = _verb_above(doc, i)
    if verb is None or lex is None or verb.dep != "ccomp" or verb.head == verb.i:
        return verb
    sayer = doc.tokens[verb.head]
    if sayer.lemma.lower() not in lex.tense.get("report_verbs", frozenset()) or not sayer.i < i < verb.i:
        return verb
    subject = next((c for c in doc.children(verb.i) if c.dep in ("nsubj", "nsubjpass", "expl")), None)
    return sayer if subject is not None and i < subject.i else verb


def _low(word: str) -> str:
    return word.lower().replace("’", "'")


def _auxes(doc: ParsedDoc, verb: Token) -> list[Token]:
    return [c for c in doc.children(verb.i) if c.dep in _AUX_DEPS]


def _is_future(doc: ParsedDoc, verb: Token, lex: Lexicon) -> bool:
    future_aux = lex.tense.get("future_aux", frozenset())
    auxes = _auxes(doc, verb)
    if any(_low(a.text) in future_aux for a in auxes):
        return True
    texts = [_low(a.text) for a in auxes]
    modal = lex.tense.get("modal_aux", frozenset())
    if any(t in modal for t in texts) and "have" not in texts:
        return True  # "would leave on Tuesday", "might meet Friday" ("could" is often a past)
    if "going" in texts or (verb.tag == "VBG" and any(a.lemma == "be" and a.morph_value("Tense") == "Pres"
                                                      for a in auxes)):
        return True  # "is going to meet", "is meeting Friday"
    return False


def _bare_participle(doc: ParsedDoc, verb: Token) -> bool:
    """A participle without auxiliaries: a reduced relative ("the vote, set for Sunday, …")."""
    return verb.tag == "VBN" and not _auxes(doc, verb)


def _is_past(doc: ParsedDoc, verb: Token) -> bool:
    if verb.morph_value("Tense") == "Past" and verb.tag != "VBN":
        return True
    auxes = _auxes(doc, verb)
    for a in auxes:
        if a.morph_value("Tense") == "Past" or a.lemma == "have":
            return True
    # a bare participle is a reduced relative clause: "the decision, announced Friday"
    return verb.tag == "VBD" or (verb.tag == "VBN" and not auxes)


def _deadline(doc: ParsedDoc, i: int, verb: Token, lex: Lexicon) -> bool:
    """"has been given until 9 a.m. Tuesday", "has extended loans through January": a limit
    set before the time of writing lies ahead of it, unless a simple past narrates it
    ("stayed until Tuesday")."""
    head = doc.tokens[doc.tokens[i].head]
    if head.dep != "prep" or _low(head.text) not in lex.tense.get("deadline_preps", frozenset()):
        return False
    return verb.tag != "VBD" and not any(a.morph_value("Tense") == "Past" for a in _auxes(doc, verb))


def _will(doc: ParsedDoc, verb: Token | None, lex: Lexicon) -> bool:
    """Does the governing verb carry "will"/"shall" ("will be sworn in on Jan. 20")?"""
    if verb is None:
        return False
    if _bare_participle(doc, verb):  # "the election, scheduled for March 5, will be"
        verb = _verb_above(doc, verb.i) or verb
    future_aux = lex.tense.get("future_aux", frozenset())
    return any(_low(a.text) in future_aux for a in _auxes(doc, verb))


def _past_plan(doc: ParsedDoc, verb: Token, lex: Lexicon) -> bool:
    """A plan reported in the past ("planned a rally on Saturday", "has scheduled a news
    conference Thursday"): the planned day lies after the planning but may already have
    passed when the story is written."""
    if verb.lemma.lower() not in lex.tense.get("plan_verbs", frozenset()):
        return False
    if _bare_participle(doc, verb):
        # a reduced relative takes its clause's tense: "the vote, set for Sunday, is seen as
        # a test" looks ahead; "the rally, planned for Saturday, was cancelled" may not
        outer = _verb_above(doc, verb.i)
        return outer is not None and _is_past(doc, outer)
    return _is_past(doc, verb)


def _nearest(doc: ParsedDoc, i: int, verb: Token | None, lex: Lexicon) -> bool:
    """True when only closeness can place the date of token ``i``: a weekday under a plan
    reported in the past, or a dated noun a past verb looks ahead to, is the nearest one,
    before or after the anchor."""
    if verb is None or _is_future(doc, verb, lex):
        return False
    noun = _dated_noun(doc, doc.tokens[i])
    if noun is not None and _looks_ahead(doc, noun, lex):
        return _is_past(doc, verb)  # "met ahead of Friday's summit": the summit on either side
    return _past_plan(doc, verb, lex)


def present_finite(doc: ParsedDoc, i: int, lex: Lexicon) -> bool:
    """True when the verb governing token ``i`` is a simple present ("meet Monday",
    "leaves on Friday"): in news a weekday under it is ahead, a schedule, unless the verb
    reports speech ("says Friday" reports a past statement in the historic present)."""
    tok = doc.tokens[i]
    head = doc.tokens[tok.head]
    if tok.dep not in ("npadvmod", "obl", "pobj", "attr") or tok.tag == "POS":
        return False  # "follows Tuesday's declaration": the day dates a noun, not the verb
    verb = doc.tokens[head.head] if head.dep == "prep" else head
    if verb.tag not in ("VBP", "VBZ") or _auxes(doc, verb) or verb.i == tok.i:
        return False
    if verb.lemma.lower() in lex.tense.get("report_verbs", frozenset()):
        return False
    return verb.text.lower() not in lex.tense.get("past_like", frozenset())


def _points_ahead(doc: ParsedDoc, tok: Token, verb: Token, lex: Lexicon) -> bool:
    """Is ``tok`` the object of a preposition of ``verb`` that moves something forward to
    it ("postponed until Tuesday", "delayed to March")?"""
    prep = _object_of(doc, tok)
    return prep is not None and prep.head == verb.i \
        and _low(prep.text) in lex.tense.get("forward_verb_preps", frozenset())


def _looks_ahead(doc: ParsedDoc, noun: Token, lex: Lexicon) -> bool:
    """Is ``noun`` the object of a preposition that points forward ("before", "until",
    "ahead of", "prior to")?"""
    prep = _object_of(doc, noun)
    if prep is None or prep.head == prep.i:
        return False
    up = doc.tokens[prep.head]
    if _low(up.text) in lex.tense.get("forward_prep_heads", frozenset()) and up.head != up.i:
        up = doc.tokens[up.head]  # "ahead of": the adverb hangs on the verb
    elif _low(prep.text) not in lex.tense.get("forward_preps", frozenset()):
        return False
    # the verb's event is placed before the dated thing; "the 7% share before Friday's
    # purchases" only dates a noun
    return up.pos in _VERBAL


def range_end(doc: ParsedDoc, i: int, lex: Lexicon) -> bool:
    """Is token ``i`` the object of a preposition that makes it the end of a span ("covers
    the period from January to March", "since June")? Such a date names no appointment."""
    prep = _object_of(doc, doc.tokens[i])
    return prep is not None and _low(prep.text) in lex.tense.get("range_preps", frozenset())


def _done(doc: ParsedDoc, i: int, verb: Token | None, lex: Lexicon) -> bool:
    """True when token ``i`` hangs on a verb in the simple past, directly or through one
    preposition ("rebels attacked the town on May 2", "met Tuesday"): the event is over, so
    its date is not ahead. A date on a noun or adjective under a past verb ("declared a
    split, payable Dec. 7"), a plan ("was set for May 2") or a forward verb ("postponed the
    vote to May 2") or a limit ("gave them until mid-November") may still lie ahead."""
    if verb is None or verb.tag != "VBD" or _auxes(doc, verb):
        return False
    word = verb.lemma.lower()
    if word in lex.tense.get("plan_verbs", frozenset()) or word in lex.tense.get("forward_verbs", frozenset()):
        return False
    tok = doc.tokens[i]
    if tok.head == verb.i:
        return tok.dep in ("npadvmod", "tmod", "obl:tmod")  # "met Tuesday", not a subject
    prep = _object_of(doc, tok)
    if prep is None or prep.head != verb.i:
        return False
    return _low(prep.text) not in lex.tense.get("deadline_preps", frozenset())  # "gave it until May"


def _direction(doc: ParsedDoc, i: int, verb: Token | None, lex: Lexicon) -> int:
    """−1 when the verb governing token ``i`` is past, +1 when future, 0 when unknown."""
    tok = doc.tokens[i]
    noun = _dated_noun(doc, tok)
    if noun is not None:
        # "under a June agreement", "the Oct. 23 killing": a thing already dated, unless a
        # preposition looks ahead to it ("ahead of Friday's summit", "before Thursday's
        # deadline"); then it is ahead, or either side under a past verb ("met ahead of …")
        if _looks_ahead(doc, noun, lex):
            return 0 if verb is not None and _is_past(doc, verb) else 1
        return -1
    if verb is None:
        return 0
    if _deadline(doc, i, verb, lex):
        return 1
    if _is_future(doc, verb, lex):
        return 1
    if verb.lemma.lower() in lex.tense.get("forward_verbs", frozenset()):
        if _past_plan(doc, verb, lex):
            return 0
        if verb.tag != "VBD" or _points_ahead(doc, tok, verb, lex):
            return 1  # "postponed the vote to Sunday", "has extended the deadline"
        # a simple past with the date elsewhere: "the January figures extended a surge"
    if _is_past(doc, verb):
        return -1
    future_verbs = lex.tense.get("future_verbs", frozenset())
    chain = [a for a in doc.ancestors(verb.i) if a.pos in _VERBAL][:2]
    for anc in chain:
        if _is_future(doc, anc, lex):
            return 1
        if anc.lemma.lower() in future_verbs:
            return 1
    if verb.tag in ("VB", "TO") and chain and chain[0].tag in ("VBZ", "VBP"):
        return 1  # "plans to visit", "is to meet": an infinitive under a present verb
    if verb.tag == "VB" and any(c.text.lower() == "to" for c in doc.children(verb.i)):
        return 0  # "agreed to buy it in January": after the past verb, not before the DCT
    for anc in chain:
        if _is_past(doc, anc):
            return -1
    return 0


@dataclass(frozen=True, slots=True)
class Reading:
    """What the verbs around one time expression say about its direction: the cues
    ``normalize.Context`` carries (see there), read with one walk up to the governing verb."""

    direction: int = 0
    present: bool = False
    span_end: bool = False
    nearest: bool = False
    will: bool = False
    done: bool = False


def read(doc: ParsedDoc, i: int | None, lex: Lexicon) -> Reading:
    """The tense cues for the expression whose head is token ``i`` (none without a head)."""
    if i is None:
        return Reading()
    verb = governing_verb(doc, i, lex)
    return Reading(
        direction=_direction(doc, i, verb, lex), present=present_finite(doc, i, lex),
        span_end=range_end(doc, i, lex), nearest=_nearest(doc, i, verb, lex),
        will=_will(doc, verb, lex), done=_done(doc, i, verb, lex),
    )
