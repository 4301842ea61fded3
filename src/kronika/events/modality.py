"""Event status from the parse: occurred, planned, denied or hypothetical.

Why from the parse and not from keywords in the sentence: "will meet" and "met" differ in an
auxiliary child of the predicate; "refused to meet" in the head the predicate depends on;
"the next meeting" in a modifier of the event noun. Status is read from those relations only,
so a "will" elsewhere in the sentence does not make an unrelated event planned.
"""

from __future__ import annotations

from kronika.events.lexicon import Lexicon
from kronika.events.syntax import DocView, is_verb


def _own_status(view: DocView, i: int, lex: Lexicon) -> str | None:
    """Status cues among the children of one token (aux, neg, mark, noun modifiers)."""
    status = None
    for c in view.kids[i]:
        t = view.tokens[c]
        lemma = t.lemma.lower()
        text = t.text.lower()
        if t.dep == "neg" or (t.dep == "det" and lemma == "no" and not is_verb(view.tokens[i])):
            return "denied"
        if t.dep == "aux" and (lemma in lex.words.get("planned_aux", ()) or text == "'ll"):
            status = status or "planned"
        elif t.dep == "aux" and lemma in lex.words.get("hypothetical_aux", ()):
            status = "hypothetical"
        elif t.dep == "mark" and lemma in lex.words.get("hypothetical_marks", ()):
            status = "hypothetical"
        elif t.dep == "amod" and lemma in lex.words.get("planned_modifiers", ()):
            status = status or "planned"
        elif t.dep == "amod" and lemma in lex.words.get("hypothetical_modifiers", ()):
            status = "hypothetical"
    return status


def _head_status(view: DocView, head: int, lex: Lexicon) -> str | None:
    """What a governing head says about its complement ("plans to", "refused to")."""
    lemma = view.lemma(head)
    if lemma in lex.words.get("denied_heads", ()):
        return "denied"
    if lemma in lex.words.get("hypothetical_heads", ()):
        return "hypothetical"
    if lemma in lex.words.get("planned_heads", ()):
        if lemma in lex.words.get("infinitive_planned_heads", ()) and \
                not any(view.tokens[c].dep == "xcomp" for c in view.kids[head]):
            return None  # "is set to meet", not "set up checkpoints"; "is going to", not "went on strike"
        return "planned"
    return None


def expressing_head(view: DocView, p: int, heads: frozenset[str]) -> int | None:
    """The verb above predicate ``p`` that states the event itself, if its lemma is in
    ``heads`` (the lexicon's ``expressing_heads`` of the event's type): "called for a ban"
    typed REQUEST on "ban" is stated by "called". Climbs the same complement relations as
    ``event_status``; pass the head as its ``complement_of`` so that the act's own status,
    not the one it gives what it asks for, is the event's."""
    cur = p
    for _ in range(5):
        head = _complement_head(view, cur)
        if head is None:
            return None
        if view.lemma(head) in heads and is_verb(view.tokens[head]):
            return head
        cur = head
    return None


def _complement_head(view: DocView, i: int) -> int | None:
    """The head token ``i`` depends on as a complement: its governing verb for an xcomp, the
    verb of a noun's object or passive subject, the verb above the preposition of a noun's
    prepositional object. None for any other relation, and for the root."""
    t = view.tokens[i]
    if t.head == i or not (t.dep == "xcomp" or (t.dep in ("pobj", "dobj", "nsubjpass") and not is_verb(t))):
        return None
    return t.head if t.dep != "pobj" else view.tokens[t.head].head


def typed_status(view: DocView, at: int, trigger: int, ptype: str, lex: Lexicon) -> str:
    """Status of an event of type ``ptype`` read at token ``at`` (its predicate, or a speech
    frame's saying) whose trigger is ``trigger``. The type decides what states the event:

    * a head in the lexicon's ``expressing_heads`` of the type is the act itself and sets no
      status for it ("called for a ban" typed REQUEST on "ban" happened);
    * for ``negation_expressed_types`` a denied content predicate is the act ("would not join"
      typed REJECT happened; "did not reject" keeps its denial);
    * for ``content_modal_types`` a planned or hypothetical cue on a content predicate is what
      is threatened or asked for ("we will go after them" typed THREATEN happened), unless a
      stating head governs it or the trigger states the act;
    * an act (``narrative_date_types``) typed on a verb that announces it (``intent_verbs``:
      "vowed to send troops" typed MOBILIZE on "vowed") is planned.
    """
    heads = lex.expressing_heads.get(ptype, frozenset())
    stated_by = expressing_head(view, trigger, heads)
    status = event_status(view, at, lex, complement_of=stated_by)
    if status == "denied" and lex.has("negation_expressed_types", ptype.lower()) and view.lemma(trigger) not in heads:
        return "occurred"  # "did not measure up" typed ACCUSE; "has not been condemned" stays denied
    if status == "occurred" and view.lemma(trigger) in lex.words.get("intent_verbs", ()) \
            and lex.has("narrative_date_types", ptype.lower()):
        return "planned"  # "vowed to send more troops" typed MOBILIZE on "vowed"
    if status in ("planned", "hypothetical") and stated_by is None and view.lemma(trigger) not in heads \
            and lex.has("content_modal_types", ptype.lower()):
        return "occurred"  # "we will go after them" typed THREATEN: the threat was made
    return status


def event_status(view: DocView, p: int, lex: Lexicon, *, complement_of: int | None = None) -> str:
    """Status of the event whose predicate is token ``p``.

    Climbs from the predicate through the heads it depends on as a complement (xcomp, a
    noun's governing verb, relative clauses of an event noun), stopping at a finite clause.
    """
    cur = p
    for _ in range(5):
        own = _own_status(view, cur, lex)
        if own is not None:
            return own
        t = view.tokens[cur]
        if t.head == cur:
            break
        head = _complement_head(view, cur)
        if head is not None:
            if t.dep == "xcomp" or is_verb(view.tokens[head]):
                hs = _head_status(view, head, lex) if head != complement_of else None
                if hs == "denied" and t.dep == "pobj":
                    # a refusal reaches its complement and its object ("refused to meet",
                    # "rejected the talks"), not a phrase that says where or how it was said
                    # ("rejected in peace talks", "declined in an interview")
                    hs = None
                if hs is not None:
                    return hs
            cur = head
            continue
        if t.dep == "conj" and is_verb(t) and not view.dep_kids(cur, {"nsubj", "nsubjpass", "csubj"}):
            if t.tag in ("VBZ", "VBD", "VBP") and view.tokens[t.head].tag == "VB":
                break  # "does not recognize X and accuses Y": a finite conjunct is its own clause
            cur = t.head  # "did not attack and kill": a conjunct with its own subject is its own clause
            continue
        if t.dep == "nsubj" and not is_verb(t) and view.lemma(t.head) in lex.words.get("occurrence_verbs", ()):
            # "further attacks would take place", "is to take place"; the subject of another verb
            # is presupposed ("the visit would only end up hurting them": the visit happened)
            own = _own_status(view, t.head, lex) or _head_status(view, t.head, lex)
            if own in ("planned", "hypothetical"):
                return own
        if t.dep == "ccomp" and view.lemma(t.head) in lex.words.get("denial_verbs", ()):
            return "denied"  # "X denied that its troops attacked"
        break
    if _in_polar_question(view, p):
        return "hypothetical"  # "Should the US support ...?": asked, not asserted
    # Relative clauses of an event noun: "the meeting, which will take place ...", "talks to be
    # held next week", "an inquiry to take place in one day".
    noun = not is_verb(view.tokens[p])
    for c in view.kids[p]:
        if view.tokens[c].dep in ("relcl", "acl"):
            own = _own_status(view, c, lex)
            if own in ("planned", "hypothetical"):
                return own
        if noun and view.tokens[c].dep in ("acl", "advcl") and view.lemma(c) in lex.words.get("occurrence_verbs", ()) \
                and any(view.lemma(a) == "to" for a in view.dep_kids(c, {"aux"})):
            return "planned"
    return "occurred"


def _in_polar_question(view: DocView, p: int) -> bool:
    """Whether a clause above the predicate is a yes/no question: it carries a "?" and its
    auxiliary or copula comes before its subject ("Should X ...?", "Is X ...?", "Did X ...?").
    Wh-questions ("Who attacked ...?") presuppose the event and are left alone."""
    cur = p
    for _ in range(12):
        kids = view.kids[cur]
        if any(view.tokens[c].text == "?" for c in kids):
            subj = [c for c in kids if view.tokens[c].dep in ("nsubj", "nsubjpass", "expl")]
            aux = [c for c in kids if view.tokens[c].dep in ("aux", "auxpass")]
            if view.lemma(cur) == "be" and is_verb(view.tokens[cur]):
                aux.append(cur)
            wh = any(view.tokens[j].tag in ("WDT", "WP", "WP$", "WRB") for j in view.subtree(cur) if j < cur)
            if subj and aux and min(aux) < min(subj) and not wh:
                return True
        head = view.tokens[cur].head
        if head == cur:
            return False
        cur = head
    return False
