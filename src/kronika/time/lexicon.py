"""Loading and compiling the time rules of one language (``data/time/<lang>.yaml``).

Why a separate compiled object: the YAML is human-edited data (word lists, patterns,
modifiers); compiling it once into regexes and lookup tables keeps ``TimeTagger.__call__``
cheap, and a second language is a second data file, not new code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kronika.errors import ConfigError
from kronika.resources import load_yaml

_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")
_HAS_DIGIT = re.compile(r"\d")
# An expression never starts inside a word, right after a currency sign, a number and a
# hyphen ("555-1990") or a number and a colon (the "00am" of "09:00am"), and never ends
# inside a word (the second year of "1961-2003" has a rule of its own).
_LEFT = r"(?<![\w$£€])(?<!\w['’]|\d-|\d:)"
_RIGHT = r"(?![\w])"


@dataclass(frozen=True, slots=True)
class Rule:
    """One compiled pattern: its name (reported as ``TimeExpr.rule``) and normalizer."""

    name: str
    regex: re.Pattern[str]
    norm: str
    needs: frozenset[str] = frozenset()  # prefilter: word lists / words / "digit"
    offset: str | None = None  # tag only this named group; the rest of the match is context


@dataclass(frozen=True, slots=True)
class Modifier:
    """Words before an expression that widen it and give it a TIMEX3 ``mod``."""

    regex: re.Pattern[str]
    mod: str
    types: frozenset[str]
    bare: bool = False  # not before an expression that starts with "the"
    counted: frozenset[str] = frozenset()  # of these types, only before one that starts with a number


@dataclass(frozen=True, slots=True)
class Lexicon:
    """Everything the tagger needs from a language's rule file, compiled."""

    language: str
    version: int
    words: dict[str, dict[str, Any]]
    rules: tuple[Rule, ...]
    modifiers: tuple[Modifier, ...]
    tense: dict[str, frozenset[str]]
    word_index: dict[str, frozenset[str]]  # lower-case word → word lists holding it

    def present(self, words: list[str]) -> set[str]:
        """The word lists, literal words and "digit" that a sentence's tokens show."""
        found: set[str] = set()
        for raw in words:
            w = raw.lower().rstrip(".").replace("’", "'")
            found.add(w)
            found.update(self.word_index.get(w, ()))
            if w.endswith("s"):
                found.update(self.word_index.get(w[:-1], ()))
            if not w.isalpha() and _HAS_DIGIT.search(w):
                found.add("digit")
        return found

    def value(self, table: str, word: str | None) -> Any:
        """Normalized value of ``word`` in word list ``table`` (None when absent)."""
        if word is None:
            return None
        return self.words[table].get(_key(word))

    def has(self, table: str, word: str | None) -> bool:
        return word is not None and _key(word) in self.words[table]


def _key(word: str) -> str:
    return " ".join(word.lower().replace("’", "'").split()).rstrip(".")


def _alternation(words: list[str]) -> str:
    """Longest first, so "january" wins over "jan"; spaces match any whitespace run."""
    ordered = sorted(set(words), key=lambda w: (-len(w), w))
    return "|".join(re.escape(w).replace(r"\ ", r"\s+").replace("'", "['’]") for w in ordered)


def _table(raw: Any, name: str) -> dict[str, Any]:
    if isinstance(raw, dict):
        return {_key(str(k)): v for k, v in raw.items()}
    if isinstance(raw, list):
        return {_key(str(k)): True for k in raw}
    raise ConfigError(f"time word list {name!r} must be a list or a mapping", code="K012")


def compile_lexicon(data: dict[str, Any]) -> Lexicon:
    """Compile a parsed rule file. Raises ``ConfigError`` naming the broken rule."""
    words = {name: _table(raw, name) for name, raw in (data.get("words") or {}).items()}
    alternations = {name: _alternation(list(table)) for name, table in words.items()}
    for name, fragment in (data.get("fragments") or {}).items():
        if name in alternations:
            raise ConfigError(f"time fragment {name!r} shadows a word list", code="K012")
        alternations[name] = str(fragment)  # spaces become \s+ when a pattern expands

    def expand(regex: str, where: str) -> str:
        def sub(m: re.Match[str]) -> str:
            if m.group(1) not in alternations:
                raise ConfigError(f"{where}: unknown word list {{{m.group(1)}}}", code="K012")
            return f"(?:{alternations[m.group(1)]})"

        # a space is any run of white space; an optional space (" ?") any or none
        return _PLACEHOLDER.sub(sub, regex).replace(" ?", r"\s*").replace(" ", r"\s+")

    rules = []
    for spec in data.get("patterns") or ():
        where = f"time pattern {spec.get('name')!r}"
        try:
            regex = re.compile(_LEFT + "(?:" + expand(spec["regex"], where) + ")" + _RIGHT, re.I)
        except (KeyError, re.error) as exc:
            raise ConfigError(f"{where} does not compile: {exc}", code="K012") from exc
        offset = spec.get("offset")
        if offset is not None and offset not in regex.groupindex:
            raise ConfigError(f"{where}: offset names no group {offset!r}", code="K012")
        rules.append(Rule(spec["name"], regex, spec["norm"], frozenset(spec.get("needs") or ()), offset))
    modifiers = []
    for spec in data.get("modifiers") or ():
        sep = "" if spec.get("join") else r"\s+"
        regex = re.compile(_LEFT + "(?:" + expand(spec["regex"], "time modifier") + ")" + sep + r"\Z", re.I)
        types = frozenset(spec.get("types") or ("DATE", "TIME", "DURATION", "SET"))
        counted = frozenset(spec.get("counted") or ())
        modifiers.append(Modifier(regex, spec["mod"], types, bool(spec.get("bare")), counted))
    tense = {k: frozenset(_key(str(w)) for w in v) for k, v in (data.get("tense") or {}).items()}
    return Lexicon(
        language=str(data.get("language", "en")),
        version=int(data.get("version", 0)),
        words=words,
        rules=tuple(rules),
        modifiers=tuple(modifiers),
        tense=tense,
        word_index=_word_index(words, frozenset(_key(str(w)) for w in data.get("index_filler") or ())),
    )


def _word_index(words: dict[str, dict[str, Any]], filler: frozenset[str]) -> dict[str, frozenset[str]]:
    """Word → the word lists holding it; a multi-word entry is indexed by its words that are
    not ``filler`` (the rule file's ``index_filler``: too common to show it may be present)."""
    index: dict[str, set[str]] = {}
    for name, table in words.items():
        for entry in table:
            parts = entry.split()
            keep = [p for p in parts if p not in filler] or parts
            for part in keep:
                index.setdefault(part, set()).add(name)
    return {k: frozenset(v) for k, v in index.items()}


def load_lexicon(language: str = "en", extra: tuple[Path, ...] = ()) -> Lexicon:
    """Load ``time/<language>.yaml``; ``extra`` files add word entries and patterns."""
    data = load_yaml(f"time/{language}.yaml")
    for path in extra:
        more = load_yaml(path) or {}
        for name, table in (more.get("words") or {}).items():
            base = data.setdefault("words", {}).setdefault(name, {})
            if isinstance(base, list):
                base.extend(table)
            else:
                base.update(table)
        data["patterns"] = list(more.get("patterns") or ()) + list(data.get("patterns") or ())
    return compile_lexicon(data)
