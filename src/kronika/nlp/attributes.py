"""A faster ``match`` for spaCy's ``attribute_ruler``: the same matches, found by table.

Why: in the pinned English model the attribute ruler maps tags to POS and morphology with
179 token patterns run through spaCy's generic ``Matcher``, and that matching was a fifth
of the whole parse (0.88 s of ~5 s for 100 WikiNews articles). Every pattern looks at
one or two tokens and only at TAG, LOWER, DEP and IS_SPACE, so the patterns a token
satisfies depend on those four values alone: they are computed once per distinct
combination (news repeats them) and looked up for every other token.

The ruler's own ``set_annotations`` still applies the matches, in spaCy's order, so the
tokens end up exactly as the stock component leaves them; ``tests/test_nlp_attributes.py``
checks it token by token. Patterns of any other shape make ``install`` leave the ruler
alone.
"""

from __future__ import annotations

import re
from typing import Any

_KEYS = ("TAG", "LOWER", "DEP", "IS_SPACE")
_CACHE_MAX = 200_000  # distinct (tag, lower, dep, is_space) combinations kept

Signature = tuple[str, str, str, bool]


def _index_keys(spec: dict[str, Any]) -> tuple[str, tuple[str, ...]] | None:
    """Where a token pattern is filed: under the tags or lower-case forms it requires, or
    None (tried on every token) when it requires neither."""
    for key, k in (("TAG", "tag"), ("LOWER", "lower")):
        want = spec.get(key)
        if isinstance(want, str):
            return k, (want,)
        if isinstance(want, dict) and set(want) == {"IN"}:
            return k, tuple(want["IN"])
    return None


class _Test:
    """One token pattern as a predicate over (tag, lower, dep, is_space). A class, not a
    closure, so the table (and with it the pipeline) still pickles for spawned workers."""

    __slots__ = ("checks",)

    def __init__(self, checks: tuple[tuple[int, str, Any], ...]) -> None:
        self.checks = checks

    def __call__(self, sig: Signature) -> bool:
        for k, op, arg in self.checks:
            v = sig[k]
            if op == "==":
                ok = v == arg
            elif op == "IN":
                ok = v in arg
            elif op == "NOT_IN":
                ok = v not in arg
            else:  # REGEX
                ok = bool(arg.search(v))
            if not ok:
                return False
        return True


def _test(spec: dict[str, Any]) -> _Test | None:
    """One token pattern as a predicate; None when it uses anything else (then the table
    cannot stand in for the Matcher)."""
    checks: list[tuple[int, str, Any]] = []
    for key, want in spec.items():
        if key not in _KEYS:
            return None
        k = _KEYS.index(key)
        if isinstance(want, dict):
            if len(want) != 1:
                return None
            (op, arg), = want.items()
            if op in ("IN", "NOT_IN"):
                checks.append((k, op, frozenset(arg)))
            elif op == "REGEX":
                checks.append((k, op, re.compile(arg)))
            else:
                return None
        elif isinstance(want, bool if key == "IS_SPACE" else str):
            checks.append((k, "==", want))
        else:
            return None
    return _Test(tuple(checks))


class AttributeTable:
    """The matches of one ``AttributeRuler``, found per token signature."""

    def __init__(self, ruler: Any) -> None:
        self.vocab = ruler.vocab
        self._pairs: list[int] = []  # rule id of each two-token pattern
        # Token tests filed by the tag or lower-case form they need: ("s", rule id) for a
        # one-token rule, ("f"/"e", pair number) for the first/second token of a pair.
        self._by: dict[tuple[str, str], list[tuple[str, int, _Test]]] = {}
        self._anywhere: list[tuple[str, int, _Test]] = []
        self.supported = True
        for rule_id, entry in enumerate(ruler.patterns):
            for alternative in entry["patterns"]:
                tests = [_test(spec) for spec in alternative]
                if any(t is None for t in tests) or len(tests) not in (1, 2):
                    self.supported = False
                    return
                if len(tests) == 1:
                    self._file(("s", rule_id, tests[0]), alternative[0])  # type: ignore[arg-type]
                else:
                    pair = len(self._pairs)
                    self._pairs.append(rule_id)
                    self._file(("f", pair, tests[0]), alternative[0])  # type: ignore[arg-type]
                    self._file(("e", pair, tests[1]), alternative[1])  # type: ignore[arg-type]
        self._match_ids = [self.vocab.strings[str(k)] for k in range(len(ruler.patterns))]
        self._cache: dict[Signature, tuple[tuple[int, ...], tuple[int, ...], frozenset[int]]] = {}

    def _file(self, entry: tuple[str, int, _Test], spec: dict[str, Any]) -> None:
        where = _index_keys(spec)
        if where is None:
            self._anywhere.append(entry)
            return
        kind, values = where
        for v in values:
            self._by.setdefault((kind, v), []).append(entry)

    def _classify(self, sig: Signature) -> tuple[tuple[int, ...], tuple[int, ...], frozenset[int]]:
        """Rule ids this token matches alone, pair patterns it can start, pair patterns it can end."""
        hit = self._cache.get(sig)
        if hit is None:
            if len(self._cache) >= _CACHE_MAX:
                self._cache.clear()
            found: dict[str, set[int]] = {"s": set(), "f": set(), "e": set()}
            for kind, n, test in (*self._by.get(("tag", sig[0]), ()), *self._by.get(("lower", sig[1]), ()),
                                  *self._anywhere):
                if n not in found[kind] and test(sig):
                    found[kind].add(n)
            hit = self._cache[sig] = (tuple(sorted(found["s"])), tuple(sorted(found["f"])), frozenset(found["e"]))
        return hit

    def match(self, doc: Any) -> list[tuple[int, int, int, int]]:
        """``AttributeRuler.match``: (rule id, match id, start, end), sorted as spaCy sorts."""
        sigs = [(t.tag_, t.lower_, t.dep_, t.is_space) for t in doc]
        classes = [self._classify(s) for s in sigs]
        ids = self._match_ids
        out = [(r, ids[r], i, i + 1) for i, (single, _f, _s) in enumerate(classes) for r in single]
        for i, (_single, firsts, _s) in enumerate(classes):
            if firsts and i + 1 < len(classes):
                ends = classes[i + 1][2]
                out.extend((self._pairs[p], ids[self._pairs[p]], i, i + 2) for p in firsts if p in ends)
        out.sort()
        return out


def install(nlp: Any) -> bool:
    """Give the pipeline's attribute ruler the table ``match``; False (and nothing changed)
    when there is no ruler or its patterns use something the table cannot read."""
    if "attribute_ruler" not in nlp.pipe_names:
        return False
    ruler = nlp.get_pipe("attribute_ruler")
    table = AttributeTable(ruler)
    if not table.supported:
        return False
    ruler.match = table.match
    return True


def uninstall(nlp: Any) -> None:
    """Back to spaCy's own ``Matcher`` (benchmarks compare against the stock pipeline)."""
    if "attribute_ruler" in nlp.pipe_names:
        nlp.get_pipe("attribute_ruler").__dict__.pop("match", None)
