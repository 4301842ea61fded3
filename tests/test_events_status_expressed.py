"""The event's type decides what states it (``events.modality.typed_status``): a request coded
on what was requested ("called for a ban" typed REQUEST on "ban") happened when the call did,
and a rejection expressed by a refusal or a negation ("rejected such calls", "would not join")
happened. The same words keep their status for every other type: the ban itself is only
asked for, and a negated attack is denied."""

from __future__ import annotations

from collections.abc import Callable

from kronika.events.lexicon import load_lexicon
from kronika.events.modality import event_status, typed_status
from kronika.events.syntax import DocView
from kronika.model import ParsedDoc


def _status(parse: Callable[..., ParsedDoc], text: str, word: str, ptype: str | None) -> str:
    doc = parse(text)
    view = DocView(doc, ())
    tok = next(t.i for t in doc.tokens if t.text == word)
    lex = load_lexicon()
    if ptype is None:
        return event_status(view, tok, lex)
    return typed_status(view, tok, tok, ptype, lex)


def test_a_request_coded_on_what_it_asks_for_happened_when_the_call_did(parse) -> None:
    text = "Senator Bob Brown called for a ban on junk food advertisements."
    assert _status(parse, text, "ban", None) == "hypothetical"
    assert _status(parse, text, "ban", "REQUEST") == "occurred"
    assert _status(parse, text, "ban", "SANCTION") == "hypothetical"  # the ban itself: only asked for
    text = "The French government urged calm and called for a meeting between the parties."
    assert _status(parse, text, "meeting", "REQUEST") == "occurred"
    assert _status(parse, text, "meeting", "CONSULT") == "hypothetical"


def test_the_act_keeps_its_own_status(parse) -> None:
    assert _status(parse, "The opposition will call for a new election.", "election", "REQUEST") == "planned"
    assert _status(parse, "The union did not call for a strike.", "strike", "REQUEST") == "denied"


def test_a_rejection_stated_by_a_refusal_or_a_negation_happened(parse) -> None:
    text = "In the past the government has rejected such calls."
    assert _status(parse, text, "calls", None) == "denied"
    assert _status(parse, text, "calls", "REJECT") == "occurred"
    text = "Israel said that it would not join the coalition."
    assert _status(parse, text, "join", None) == "denied"
    assert _status(parse, text, "join", "REJECT") == "occurred"
    assert _status(parse, text, "join", "COOPERATE") == "denied"
    assert _status(parse, "Troops did not attack the village.", "attack", "ASSAULT") == "denied"


def test_a_threat_or_request_said_as_its_content_was_made(parse) -> None:
    text = "Gates said that we will go after al-Qaeda wherever it is."
    assert _status(parse, text, "go", "THREATEN") == "occurred"
    assert _status(parse, text, "go", "ASSAULT") == "planned"  # the act itself is still to come
    text = "The mayor said the government should reconsider the plan."
    assert _status(parse, text, "reconsider", "REQUEST") == "occurred"
    # a trigger that states the act keeps its own modality
    assert _status(parse, "Iran may threaten to close the strait.", "threaten", "THREATEN") == "hypothetical"
    assert _status(parse, "The council will call for sanctions.", "call", "REQUEST") == "planned"


def test_an_event_noun_subject_is_modal_only_under_a_verb_of_occurring(parse) -> None:
    """"further attacks would take place" is hypothetical; the subject of any other verb is
    presupposed: "the visit would only end up hurting them" says the visit happened."""
    assert _status(parse, "Officials said further attacks would take place.", "attacks", None) == "hypothetical"
    text = "Hamas said President Bush's visit would only end up hurting Palestinians."
    assert _status(parse, text, "visit", None) == "occurred"


def test_an_act_typed_on_the_verb_that_announces_it_is_planned(parse) -> None:
    text = "President Obama has vowed to send more troops to Afghanistan."
    assert _status(parse, text, "vowed", None) == "occurred"  # the vow was made
    assert _status(parse, text, "vowed", "MOBILIZE") == "planned"  # the troops are still to come
    assert _status(parse, text, "vowed", "AGREE") == "occurred"  # a pledge as a statement happened


def test_a_criticism_said_through_a_negation_was_made(parse) -> None:
    text = "The OSCE stated the elections did not measure up to international standards."
    assert _status(parse, text, "measure", None) == "denied"
    assert _status(parse, text, "measure", "ACCUSE") == "occurred"


def test_a_negated_accusing_verb_stays_denied(parse) -> None:
    """The negation expresses the act only on a content predicate: "has not been condemned"
    and "did not reject" deny the act itself."""
    assert _status(parse, "The program has not been condemned by the United States.", "condemned",
                   "ACCUSE") == "denied"
    assert _status(parse, "The council did not reject the offer.", "reject", "REJECT") == "denied"
