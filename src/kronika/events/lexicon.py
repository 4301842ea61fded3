"""The coder's knowledge, loaded once from ``data/events/*.yaml`` into frozen records.

Why data files: predicates, light verbs and status cues are what a domain expert edits; the
coder only knows the grammar of using them. Each entry names a CAMEO code and takes its PLOVER
type, mode and context from the shipped CAMEO → PLOVER table unless it overrides them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kronika.errors import ConfigError
from kronika.events.ontology import DEFAULT_ROOT, Coding, load_cameo_table
from kronika.resources import load_yaml


@dataclass(frozen=True, slots=True)
class Sense:
    """One coding of a predicate word: PLOVER type/mode/contexts, CAMEO code, base confidence."""

    type: str
    mode: str | None
    cameo: str
    contexts: tuple[str, ...] = ()
    requires: frozenset[str] = frozenset()
    conf: float = 0.8


@dataclass(frozen=True, slots=True)
class Lexicon:
    verbs: dict[str, tuple[Sense, ...]]
    nouns: dict[str, tuple[Sense, ...]]
    light: dict[tuple[str, str], Sense]
    evaluative: dict[str, Sense]
    words: dict[str, frozenset[str]]  # closed classes from grammar.yaml, by key
    contexts: dict[str, frozenset[str]]  # context name → cue lemmas
    mode_cues: dict[str, dict[str, frozenset[str]]]

    def has(self, cls: str, lemma: str) -> bool:
        return lemma in self.words.get(cls, frozenset())


def _sense(raw: dict[str, Any], table: dict[str, Coding], where: str) -> Sense:
    code = str(raw.get("cameo", "")).strip()
    coding = table.get(code) or table.get(code[:3]) or table.get(code[:2])
    ptype = raw.get("type") or (coding.type if coding else None)
    if not ptype:
        raise ConfigError(f"events lexicon entry {where}: unknown CAMEO code {code!r}", code="K012")
    mode = raw.get("mode", coding.mode if coding and coding.type == ptype else None)
    ctx = coding.contexts if coding else ()
    requires = raw.get("with") or ()
    if any(not isinstance(w, str) for w in requires):  # YAML 1.1 reads a bare `on` as True
        raise ConfigError(f"events lexicon entry {where}: quote the words in `with`", code="K012")
    return Sense(
        type=str(ptype).upper(), mode=mode, cameo=code or DEFAULT_ROOT[str(ptype).upper()],
        contexts=tuple(ctx), requires=frozenset(requires),
        conf=float(raw.get("conf", 0.8)),
    )


def _senses(section: dict[str, Any], table: dict[str, Coding]) -> dict[str, tuple[Sense, ...]]:
    out: dict[str, tuple[Sense, ...]] = {}
    for word, raw in (section or {}).items():
        items = raw if isinstance(raw, list) else [raw]
        out[str(word).lower()] = tuple(_sense(r, table, str(word)) for r in items)
    return out


def load_lexicon(
    predicates: str = "events/predicates.yaml", grammar: str = "events/grammar.yaml"
) -> Lexicon:
    """Read the predicate lexicon and the grammar cues (once, in a constructor)."""
    table = load_cameo_table()
    pred = load_yaml(predicates) or {}
    gram = load_yaml(grammar) or {}
    light: dict[tuple[str, str], Sense] = {}
    for phrase, raw in (pred.get("light") or {}).items():
        verb, _, obj = str(phrase).lower().partition(" ")
        light[(verb, obj)] = _sense(raw, table, str(phrase))
    evaluative = {str(w).lower(): _sense(r, table, str(w)) for w, r in (pred.get("evaluative") or {}).items()}
    words = {
        key: frozenset(str(v).lower() for v in values)
        for key, values in gram.items()
        if isinstance(values, list)
    }
    contexts = {k: frozenset(v) for k, v in (gram.get("contexts") or {}).items()}
    mode_cues = {
        t: {m: frozenset(v) for m, v in modes.items()} for t, modes in (gram.get("mode_cues") or {}).items()
    }
    return Lexicon(
        verbs=_senses(pred.get("verbs") or {}, table), nouns=_senses(pred.get("nouns") or {}, table),
        light=light, evaluative=evaluative, words=words, contexts=contexts, mode_cues=mode_cues,
    )
