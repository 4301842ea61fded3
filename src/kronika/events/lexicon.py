"""The coder's knowledge, loaded once from ``data/events/*.yaml`` into frozen records.

Why data files: predicates, light verbs and status cues are what a domain expert edits; the
coder only knows the grammar of using them. Each entry names a CAMEO code and takes its PLOVER
type, mode and context from the shipped CAMEO → PLOVER table unless it overrides them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kronika.errors import ConfigError
from kronika.events.ontology import DEFAULT_ROOT, Coding, load_cameo_table
from kronika.events.petrarch import VerbDictionary, VerbPattern, load_verb_dictionaries
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
    objects: frozenset[str] = frozenset()  # if set, a direct object must be one of these lemmas


@dataclass(frozen=True, slots=True)
class Lexicon:
    verbs: dict[str, tuple[Sense, ...]]
    nouns: dict[str, tuple[Sense, ...]]
    light: dict[tuple[str, str], Sense]
    evaluative: dict[str, Sense]
    words: dict[str, frozenset[str]]  # closed classes from grammar.yaml, by key
    contexts: dict[str, frozenset[str]]  # context name → cue lemmas
    mode_cues: dict[str, dict[str, frozenset[str]]]
    patterns: dict[str, tuple[VerbPattern, ...]] = field(default_factory=dict)  # user PETRARCH verbs
    user_verbs: frozenset[str] = frozenset()  # verbs a user dictionary codes: its coding alone counts
    home_target: dict[str, str] = field(default_factory=dict)  # type → sector of its default own-country target
    expressing_heads: dict[str, frozenset[str]] = field(default_factory=dict)  # type → heads that state it

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
    objects = raw.get("objects") or ()
    return Sense(
        type=str(ptype).upper(), mode=mode, cameo=code or DEFAULT_ROOT[str(ptype).upper()],
        contexts=tuple(ctx), requires=frozenset(requires),
        conf=float(raw.get("conf", 0.8)), objects=frozenset(str(o).lower() for o in objects),
    )


def _senses(section: dict[str, Any], table: dict[str, Coding]) -> dict[str, tuple[Sense, ...]]:
    out: dict[str, tuple[Sense, ...]] = {}
    for word, raw in (section or {}).items():
        items = raw if isinstance(raw, list) else [raw]
        out[str(word).lower()] = tuple(_sense(r, table, str(word)) for r in items)
    return out


def pattern_sense(p: VerbPattern, table: dict[str, Coding]) -> Sense:
    """A user dictionary's pattern as a coder sense (its code verbatim, PLOVER by the table)."""
    coding = table.get(p.cameo) or table.get(p.cameo[:3]) or table.get(p.cameo[:2])
    return Sense(type=p.type, mode=p.mode, cameo=p.cameo, contexts=coding.contexts if coding else ())


def _user_verbs(verbs: dict[str, tuple[Sense, ...]], paths: Iterable[Path],
                table: dict[str, Coding]) -> tuple[dict[str, tuple[Sense, ...]], VerbDictionary]:
    """Merge PETRARCH verb dictionaries over the shipped verbs: the user's coding of a verb
    replaces Kronika's (a ``---`` base code removes it, leaving only the verb's patterns)."""
    paths = tuple(paths)
    if not paths:
        return verbs, VerbDictionary()
    user = load_verb_dictionaries(paths, table)
    merged = dict(verbs)
    for verb, base in user.base.items():
        if base is None:
            merged.pop(verb, None)
        else:
            code, ptype, mode = base
            merged[verb] = (pattern_sense(VerbPattern((), (), code, ptype, mode), table),)
    return merged, user


def load_lexicon(
    predicates: str = "events/predicates.yaml", grammar: str = "events/grammar.yaml",
    verb_dictionaries: Iterable[Path] = (),
) -> Lexicon:
    """Read the predicate lexicon and the grammar cues (once, in a constructor), with any
    PETRARCH verb dictionaries the user supplies layered over the shipped verbs."""
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
    verbs, user = _user_verbs(_senses(pred.get("verbs") or {}, table), verb_dictionaries, table)
    return Lexicon(
        verbs=verbs, nouns=_senses(pred.get("nouns") or {}, table),
        light=light, evaluative=evaluative, words=words, contexts=contexts, mode_cues=mode_cues,
        patterns=user.patterns, user_verbs=frozenset(user.base) | frozenset(user.patterns),
        home_target={str(t).upper(): str(sec).upper() for t, sec in (gram.get("home_target") or {}).items()},
        expressing_heads={str(t).upper(): frozenset(str(v).lower() for v in vs)
                          for t, vs in (gram.get("expressing_heads") or {}).items()},
    )
