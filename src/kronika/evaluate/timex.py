"""TempEval-3 Task A scoring of TIMEX3 in TimeML, and a runner that tags gold files.

The scoring reproduces ``shared/eval/score_timex.py`` (the project's reference scorer):
only TIMEX3 inside <TEXT> count; system text is aligned to gold text character by
character; a system expression is a relaxed hit when it overlaps a gold one, and its type
and value are compared with the first gold expression it overlaps. Value F1 is the
headline figure.
"""

from __future__ import annotations

import difflib
import re
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from kronika.config import Settings

_TAG = re.compile(r"<(/?)([A-Za-z0-9_]+)([^>]*?)(/?)>")
_ATTR = re.compile(r'([A-Za-z_]+)\s*=\s*"([^"]*)"')
_STRIP_BODY = re.compile(r"</?(TIMEX3|EVENT|SIGNAL|TIMEX|ENAMEX|NUMEX)\b[^>]*>")
_STRIP_LINKS = re.compile(r"<(MAKEINSTANCE|TLINK|SLINK|ALINK)\b[^>]*/>\s*")

Span = tuple[int, int, str, str]  # start, end, type, value


@dataclass(frozen=True, slots=True)
class TimexScore:
    """Micro-averaged TempEval-3 figures over a set of files."""

    n_gold: int
    n_system: int
    strict: tuple[float, float, float]  # P, R, F1
    relaxed: tuple[float, float, float]
    type_f1: float
    value_f1: float
    misses: tuple[str, ...] = ()  # human-readable errors, when asked for

    def summary(self) -> str:
        sp, sr, sf = self.strict
        rp, rr, rf = self.relaxed
        return (
            f"gold {self.n_gold} timexes, system {self.n_system}\n"
            f"strict  P {sp:.4f} R {sr:.4f} F1 {sf:.4f}\n"
            f"relaxed P {rp:.4f} R {rr:.4f} F1 {rf:.4f}\n"
            f"strict F1 {sf:.4f} relaxed F1 {rf:.4f} type F1 {self.type_f1:.4f} value F1 {self.value_f1:.4f}"
        )


def read_timexes(raw: str) -> tuple[str, list[Span]]:
    """Plain text of <TEXT> and its TIMEX3 spans, exactly as the reference scorer reads them."""
    m = re.search(r"<TEXT>(.*?)</TEXT>", raw, re.S)
    body = m.group(1) if m else raw
    out: list[str] = []
    timexes: list[Span] = []
    open_timex: tuple[int, str, str] | None = None
    pos = 0
    length = 0
    for t in _TAG.finditer(body):
        out.append(body[pos : t.start()])
        length += t.start() - pos
        pos = t.end()
        closing, name, attrs, selfclosing = t.groups()
        if name != "TIMEX3" or selfclosing:
            continue
        if not closing:
            a = dict(_ATTR.findall(attrs))
            open_timex = (length, a.get("type", ""), a.get("value", ""))
        elif open_timex:
            start, typ, val = open_timex
            if length > start:
                timexes.append((start, length, typ, val))
            open_timex = None
    out.append(body[pos:])
    text = "".join(out)
    for ent, ch in (("&lt;", "<"), ("&gt;", ">"), ("&quot;", '"'), ("&apos;", "'"), ("&amp;", "&")):
        text = text.replace(ent, ch)
    return text, timexes


def _align(sys_text: str, gold_text: str) -> list[int | None]:
    mapping: list[int | None] = [None] * (len(sys_text) + 1)
    sm = difflib.SequenceMatcher(None, sys_text, gold_text, autojunk=False)
    for a, b, n in sm.get_matching_blocks():
        for i in range(n + 1):
            if a + i <= len(sys_text):
                mapping[a + i] = b + i
    return mapping


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def score_pairs(pairs: Iterable[tuple[str, str, str | None]], show: bool = False) -> TimexScore:
    """Score (name, gold TimeML, system TimeML or None) triples."""
    n_gold = n_sys = strict = relaxed_s = relaxed_g = typ_ok = val_ok = 0
    misses: list[str] = []
    for name, gold_raw, sys_raw in pairs:
        gold_text, gold = read_timexes(gold_raw)
        n_gold += len(gold)
        if sys_raw is None:
            misses.append(f"{name}: no system file")
            continue
        sys_text, system = read_timexes(sys_raw)
        mapping = _align(sys_text, gold_text)
        projected = []
        last = len(mapping) - 1
        for s, e, typ, val in system:
            # The reference scorer counts offsets before unescaping entities, so an
            # expression near the end of an entity-rich text can point past it (the
            # reference then crashes); clamp instead.
            gs, ge = mapping[min(s, last)], mapping[min(e, last)]
            if gs is not None and ge is not None:
                projected.append((gs, ge, typ, val))
        n_sys += len(projected)
        hit: set[Span] = set()
        for s in projected:
            over = [g for g in gold if s[0] < g[1] and g[0] < s[1]]
            if not over:
                if show:
                    misses.append(f"{name}: extra '{gold_text[s[0]:s[1]]}' ({s[3]})")
                continue
            relaxed_s += 1
            g = over[0]
            typ_ok += s[2] == g[2]
            val_ok += s[3] == g[3]
            strict += (s[0], s[1]) == (g[0], g[1])
            if show and s[3] != g[3]:
                misses.append(f"{name}: '{gold_text[g[0]:g[1]]}' value {s[3]!r}, gold {g[3]!r}")
            hit.update(over)
        relaxed_g += len(hit)
        if show:
            misses += [f"{name}: missed '{gold_text[g[0]:g[1]]}' ({g[3]})" for g in gold if g not in hit]

    def prf(hs: int, hg: int) -> tuple[float, float, float]:
        p = hs / n_sys if n_sys else 0.0
        r = hg / n_gold if n_gold else 0.0
        return p, r, _f1(p, r)

    return TimexScore(
        n_gold=n_gold, n_system=n_sys, strict=prf(strict, strict), relaxed=prf(relaxed_s, relaxed_g),
        type_f1=prf(typ_ok, typ_ok)[2], value_f1=prf(val_ok, val_ok)[2], misses=tuple(misses),
    )


def gold_files(gold_dir: Path) -> list[Path]:
    """``*.tml`` files of a gold folder, searched recursively (TBAQ has sub-corpora)."""
    return sorted(gold_dir.rglob("*.tml"))


def score_dirs(gold_dir: Path, system_dir: Path, show: bool = False) -> TimexScore:
    """Compare GOLD/NAME.tml with SYSTEM/NAME.tml (same relative path, or same name)."""
    def pairs() -> Iterable[tuple[str, str, str | None]]:
        for g in gold_files(gold_dir):
            s = system_dir / g.relative_to(gold_dir)
            if not s.exists():
                s = system_dir / g.name
            yield g.name, g.read_text(encoding="utf-8", errors="replace"), (
                s.read_text(encoding="utf-8", errors="replace") if s.exists() else None)

    return score_pairs(pairs(), show=show)


def strip_timeml(raw: str) -> str:
    """System input from a gold file, as ``shared/eval/strip_timeml.py`` makes it."""
    m = re.search(r"(<TEXT>)(.*?)(</TEXT>)", raw, re.S)
    if m:
        body = _STRIP_BODY.sub("", m.group(2))
        raw = raw[: m.start(2)] + body + raw[m.end(2) :]
    return _STRIP_LINKS.sub("", raw)


Tagger = Callable[[list[Path]], Iterable[tuple[Path, str]]]


def run_and_score(gold_dir: Path, tag_files: Tagger, show: bool = False,
                  keep_dir: Path | None = None) -> TimexScore:
    """Strip every gold file, let ``tag_files`` (stripped paths → (path, TimeML)) tag them,
    and score the result. ``keep_dir`` keeps the system files for inspection."""
    golds = gold_files(gold_dir)
    with tempfile.TemporaryDirectory(prefix="kronika-timex-") as tmp:
        inputs = []
        for g in golds:
            p = Path(tmp) / g.name
            p.write_text(strip_timeml(g.read_text(encoding="utf-8")), encoding="utf-8")
            inputs.append(p)
        system = {p.name: out for p, out in tag_files(inputs)}
    if keep_dir is not None:
        keep_dir.mkdir(parents=True, exist_ok=True)
        for name, out in system.items():
            (keep_dir / name).write_text(out, encoding="utf-8")
    return score_pairs(
        ((g.name, g.read_text(encoding="utf-8", errors="replace"), system.get(g.name)) for g in golds),
        show=show,
    )


def kronika_tagger(settings: Settings) -> Tagger:
    """A ``tag_files`` callable that runs spaCy (batched) and the time stage only."""
    from kronika.nlp import SpacyParser
    from kronika.time import TimeTagger
    from kronika.timeml import read_timeml_article, to_timeml

    parser = SpacyParser(settings)
    tagger = TimeTagger(settings)

    def tag_files(paths: list[Path]) -> Iterable[tuple[Path, str]]:
        articles = [read_timeml_article(p) for p in paths]
        for path, doc in zip(paths, parser.parse_many(articles), strict=True):
            yield path, to_timeml(doc.article, tagger(doc), source_path=path)

    return tag_files
