"""A refusal denies what it governs, not where it was said: "refused to meet" and "rejected
the talks" deny the meeting and the talks; "rejected in peace talks" and "declined in an
interview" leave the talks and the interview as having happened (``events.modality``)."""

from __future__ import annotations

from collections.abc import Callable

from kronika.events.lexicon import load_lexicon
from kronika.events.modality import event_status
from kronika.events.syntax import DocView
from kronika.model import ParsedDoc


def _status(parse: Callable[..., ParsedDoc], text: str, word: str) -> str:
    doc = parse(text)
    tok = next(t.i for t in doc.tokens if t.text == word)
    return event_status(DocView(doc, ()), tok, load_lexicon())


def test_a_refusal_denies_its_complement_and_object(parse) -> None:
    assert _status(parse, "Iran refused to attend the talks in Geneva.", "talks") == "denied"
    assert _status(parse, "Iran refused to meet the envoy.", "meet") == "denied"


def test_a_refusal_does_not_deny_the_phrase_it_was_said_in(parse) -> None:
    text = "Iraq accepted a border treaty that it had rejected in peace talks in 1988."
    assert _status(parse, text, "talks") == "occurred"
    text = "In an interview on Monday, the minister declined to discuss the dispute."
    assert _status(parse, text, "interview") == "occurred"


def test_set_and_go_plan_only_with_an_infinitive(parse) -> None:
    """"is set to meet" and "is going to strike" are plans; "set up checkpoints" and "went on
    strike" are acts (``infinitive_planned_heads``)."""
    assert _status(parse, "Soldiers were setting up checkpoints on the highways.", "checkpoints") == "occurred"
    assert _status(parse, "Teachers went on strike across the country.", "strike") == "occurred"
    assert _status(parse, "The two leaders are set to meet in Geneva.", "meet") == "planned"
    assert _status(parse, "The union is going to strike next week.", "strike") == "planned"


def test_a_finite_conjunct_does_not_share_a_negation_or_modal_of_a_bare_verb(parse) -> None:
    """"does not recognize X and accuses Y": "accuses" is finite, its own clause; "did not attack
    and kill" shares the negation (both bare)."""
    text = "The government does not recognize the group and accuses it of terrorism."
    assert _status(parse, text, "recognize") == "denied"
    assert _status(parse, text, "accuses") == "occurred"
    text = "He said he would look forward to meeting the committee and blamed his problems on the Democrats."
    assert _status(parse, text, "blamed") == "occurred"
    assert _status(parse, "The troops did not attack and kill the villagers.", "kill") == "denied"
