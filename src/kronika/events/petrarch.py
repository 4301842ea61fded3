"""PETRARCH/TABARI verb dictionaries, read into the coder's lexicon.

Why: event-data teams own years of verb dictionaries in the PETRARCH format (``--- VERB
[code] ---`` blocks with ``- PRE * POST [code]`` patterns). Loading them lets a team keep its
coding decisions while Kronika supplies the parse, the arguments, status and dates. The
dictionary's code is kept verbatim as the event's CAMEO code (the user's scheme is the truth);
the PLOVER type comes from the shipped CAMEO → PLOVER table by the code's root. Entries whose
code has no PLOVER meaning (``---``, ``+++``, WEIS-only roots such as 22 or 80) are not
coded, and pattern lines outside a block or without a code are ignored; both are counted in
``VerbDictionary.skipped``.

Pattern language supported: literal words before and after ``*`` must occur in that order in
the verb's sentence, before and after the verb (``_`` joins words; gaps are allowed, as in
PETRARCH's skipping); ``&SYNSET`` stands for any of its phrases; the actor markers ``$``
(source), ``+`` (target), ``%`` (compound) and ``^`` (skip) are positions, not words, and are
left to Kronika's own argument finding. The longest matching pattern wins.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from kronika.errors import ConfigError
from kronika.events.ontology import Coding

_HEADER = re.compile(r"^---\s*(\S+)\s*\[([^\]]*)\].*---")
_CODE = re.compile(r"\[([^\]]*)\]")
_MARKERS = frozenset({"$", "+", "%", "^", "*"})


@dataclass(frozen=True, slots=True)
class VerbPattern:
    """``before * after`` for one verb: each item is a set of alternative word sequences."""

    before: tuple[tuple[tuple[str, ...], ...], ...]
    after: tuple[tuple[tuple[str, ...], ...], ...]
    cameo: str
    type: str
    mode: str | None
    before_reversed: tuple[tuple[tuple[str, ...], ...], ...] = field(init=False, repr=False, compare=False)

    @property
    def length(self) -> int:
        return len(self.before) + len(self.after)

    def __post_init__(self) -> None:
        # ``before`` read outward from the verb, items and their words reversed: matching reads
        # the words before a verb nearest first, for every pattern of every candidate
        object.__setattr__(self, "before_reversed",
                           tuple(tuple(a[::-1] for a in alts) for alts in reversed(self.before)))


@dataclass(frozen=True, slots=True)
class VerbDictionary:
    """Base codes (verb lemma → code/type) and patterns per verb lemma."""

    base: dict[str, tuple[str, str, str | None] | None] = field(default_factory=dict)  # None: not an event
    patterns: dict[str, tuple[VerbPattern, ...]] = field(default_factory=dict)
    skipped: int = 0


def is_verb_dictionary(path: Path) -> bool:
    """A file in ``settings.user_dictionaries`` for this stage: its name mentions ``verbs``."""
    return "verbs" in path.name.lower()


def _clean(line: str) -> str:
    line = re.sub(r"<!--.*?-->", "", line)
    return line.split("#", 1)[0].strip()


def _code(raw: str) -> str | None:
    """``081`` → "081"; ``032:033`` → "032"; ``174K`` → "174"; ``---``/``+++`` → None."""
    digits = re.match(r"\s*(\d{2,4})", raw.split(":", 1)[0])
    return digits.group(1) if digits else None


def _coding(code: str | None, table: dict[str, Coding]) -> Coding | None:
    if code is None:
        return None
    return table.get(code) or table.get(code[:3]) or table.get(code[:2])


def _words(part: str, synsets: dict[str, list[tuple[str, ...]]]) -> list[tuple[tuple[str, ...], ...]]:
    """One side of a pattern as a list of alternatives per position."""
    out: list[tuple[tuple[str, ...], ...]] = []
    for tok in part.replace("_", " ").split():
        if tok in _MARKERS or tok.startswith(("$", "+", "%", "^")):
            continue
        if tok.startswith("&"):
            alts = synsets.get(tok.upper())
            if alts:
                out.append(tuple(alts))
            continue
        out.append(((tok.lower(),),))
    return out


def parse_verb_dictionary(text: str, table: dict[str, Coding], *, origin: str = "verbs") -> VerbDictionary:
    """Parse one PETRARCH verb dictionary (see the module docstring for the subset)."""
    synsets: dict[str, list[tuple[str, ...]]] = {}
    base: dict[str, tuple[str, str, str | None] | None] = {}
    patterns: dict[str, list[VerbPattern]] = {}
    skipped = 0
    current_syn: str | None = None
    block_code: str | None = None
    block_verbs: list[str] = []
    for raw in text.splitlines():
        line = _clean(raw)
        if not line:
            current_syn = None
            continue
        if line.startswith("&"):
            current_syn = line.split()[0].upper()
            synsets.setdefault(current_syn, [])
            continue
        if line.startswith("+") and current_syn:
            synsets[current_syn].append(tuple(line[1:].replace("_", " ").lower().split()))
            continue
        head = _HEADER.match(line)
        if head:
            block_code, block_verbs = _code(head.group(2)), []
            continue
        if line.startswith("-"):
            m = _CODE.search(line)
            if m is None or "*" not in line or not block_verbs:
                skipped += 1  # a pattern outside a block or without a code: PETRARCH ignores it too
                continue
            coding = _coding(_code(m.group(1)), table)
            if coding is None:
                skipped += 1
                continue
            pre, _, post = line[1:m.start()].partition("*")
            pat = VerbPattern(tuple(_words(pre, synsets)), tuple(_words(post, synsets)),
                              _code(m.group(1)) or "", coding.type, coding.mode)
            for verb in block_verbs:
                patterns.setdefault(verb, []).append(pat)
            continue
        skipped += _verb_line(line, block_code, table, base, patterns, block_verbs)
    ordered = {v: tuple(sorted(ps, key=lambda p: -p.length)) for v, ps in patterns.items()}
    return VerbDictionary(base, ordered, skipped)


def _verb_line(line: str, block_code: str | None, table: dict[str, Coding],
               base: dict[str, tuple[str, str, str | None] | None], patterns: dict[str, list[VerbPattern]],
               block_verbs: list[str]) -> int:
    """A verb (or multiword verb) of the current block, with its forms in braces; returns 1 if
    its code could not be coded."""
    m = _CODE.search(line)
    code = _code(m.group(1)) if m else block_code
    words = re.sub(r"\{[^}]*\}|\[[^\]]*\]", " ", line).replace("_", " ").lower().split()
    words = [w for w in words if w not in _MARKERS and not w.startswith(("+", "$", "%"))]
    if not words:
        return 0
    verb, rest = words[0], tuple((w,) for w in words[1:])
    block_verbs.append(verb)
    coding = _coding(code, table)
    if coding is None:
        if not rest:
            base.setdefault(verb, None)  # "--- BEGIN [---] ---": only its patterns code
        return 1 if code is not None else 0
    if rest:  # "carry out": the particle must follow the verb
        patterns.setdefault(verb, []).append(VerbPattern((), tuple((r,) for r in rest), code or "",
                                                         coding.type, coding.mode))
    else:
        base.setdefault(verb, (code or "", coding.type, coding.mode))
    return 0


def load_verb_dictionaries(paths: Iterable[Path], table: dict[str, Coding]) -> VerbDictionary:
    """Merge several dictionaries; a later file's entries win for the same verb."""
    base: dict[str, tuple[str, str, str | None] | None] = {}
    patterns: dict[str, tuple[VerbPattern, ...]] = {}
    skipped = 0
    for p in paths:
        try:
            text = Path(p).read_text(encoding="utf-8", errors="replace")
        except OSError as exc:
            raise ConfigError(f"cannot read verb dictionary {p}: {exc}", code="K012") from exc
        d = parse_verb_dictionary(text, table, origin=str(p))
        base.update(d.base)
        patterns.update(d.patterns)
        skipped += d.skipped
    return VerbDictionary(base, patterns, skipped)


def _seq_at(words: list[str], start: int, seq: tuple[str, ...]) -> bool:
    return tuple(words[start:start + len(seq)]) == seq


def _in_order(words: list[str], items: tuple[tuple[tuple[str, ...], ...], ...]) -> bool:
    """Every position's alternatives found left to right (gaps allowed); at each word the
    first alternative, in order, that starts there and matches wins."""
    pos = 0
    n = len(words)
    for alts in items:
        hit = None
        for j in range(pos, n):
            w = words[j]
            # the first word compared before any slice: most words start no alternative
            seq = next((a for a in alts if a and a[0] == w and (len(a) == 1 or _seq_at(words, j, a))), None)
            if seq is not None:
                hit = j + len(seq)
                break
        if hit is None:
            return False
        pos = hit
    return True


def match_pattern(patterns: tuple[VerbPattern, ...], before: list[str], after: list[str]) -> VerbPattern | None:
    """The longest pattern whose words occur before and after the verb (lower-cased words)."""
    back = before[::-1]
    for p in patterns:
        if _in_order(back, p.before_reversed) and _in_order(after, p.after):
            return p
    return None


class VerbReader:
    """A verb dictionary read as evidence about one verb in its sentence: the type of the
    verb's base code and of its longest pattern whose words surround it.

    Only patterns whose every item can start on a word of the sentence can match, so a set test
    drops most of a common verb's hundreds of patterns before the ordered match. The test runs
    only on the patterns whose most selective item (the fewest first words) starts on a word
    of the sentence: an index from those words to patterns, built once per verb on first use
    (an explicit per-object cache), so a verb with hundreds of patterns costs a few lookups."""

    def __init__(self, dictionary: VerbDictionary) -> None:
        self.dictionary = dictionary
        self._index: dict[str, _PatternIndex] = {}

    def has_patterns(self, lemma: str) -> bool:
        """Whether any pattern of the dictionary is keyed on this verb (else only its base code reads)."""
        return bool(self.dictionary.patterns.get(lemma))

    def read(self, lemma: str, before: list[str], after: list[str]) -> tuple[str | None, str | None]:
        base = self.dictionary.base.get(lemma)
        hit = None
        if self.dictionary.patterns.get(lemma):
            present = set(before) | set(after)
            patterns, firsts, always, by_word = self._patterns(lemma)
            near = set(always).union(*(by_word.get(w, ()) for w in present))
            hit = match_pattern(tuple(patterns[k] for k in sorted(near)
                                      if all(f & present for f in firsts[k])), before, after)
        return (base[1] if base else None), (hit.type if hit is not None else None)

    def _patterns(self, lemma: str) -> _PatternIndex:
        got = self._index.get(lemma)
        if got is None:
            patterns = tuple(self.dictionary.patterns.get(lemma, ()))
            firsts = tuple(tuple(frozenset(alt[0] for alt in item if alt) for item in (*p.before, *p.after))
                           for p in patterns)
            always: list[int] = []
            by_word: dict[str, list[int]] = {}
            for k, items in enumerate(firsts):
                if not items:
                    always.append(k)
                    continue
                for w in min(items, key=len):  # an empty item can never match: indexed nowhere
                    by_word.setdefault(w, []).append(k)
            got = (patterns, firsts, tuple(always), by_word)
            self._index[lemma] = got
        return got


# A verb's patterns in dictionary order, each one's first-word sets per item, the patterns with
# no item, and the patterns by a first word of their most selective item (``VerbReader``).
_PatternIndex = tuple[tuple["VerbPattern", ...], tuple[tuple[frozenset[str], ...], ...], tuple[int, ...],
                      dict[str, list[int]]]
