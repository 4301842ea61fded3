"""Import PETRARCH/TABARI actor and agent dictionaries into Kronika's dictionary format.

Library use (the events stage runs the PETRARCH unit-test records with it)::

    from kronika.actors import load_petrarch_dictionaries, ActorResolver
    d = load_petrarch_dictionaries(["PETR.Validate.actors.txt", "PETR.Validate.agents.txt"])
    resolver = ActorResolver(settings, dictionaries=(d,))

CLI: ``kronika actors import-petrarch FILE... --out actors-petrarch.yaml``.

Formats understood (PETRARCH 2 manual, ch. "Dictionaries"):

* actors: ``NAME [CODE]`` on one line, or ``NAME`` followed by ``+SYNONYM`` lines and
  indented code lines; dated codes ``[USAGOV 20010120-20090120]``, ``[HOB <950601]``,
  ``[HOBREB >990816]`` (6-digit dates are YYMMDD, years before 30 are 20YY); an undated
  code is the default. ``_`` joins words; a trailing ``_`` forbids stemming, otherwise the
  entry also matches a few common endings ("ARGENTIN" → Argentina, Argentine).
  Codes ``---``, ``+++``, ``###`` are discards and are dropped.
* agents: ``NAME {PLURAL,...} [~CODE]`` (code appended to the country) or ``[CODE~]``
  (code put first); ``{}`` means the regular plural; ``!MACRO! = A, B`` lines define
  substitutions used inside names.
* comments: ``<!-- ... -->`` blocks, ``#`` and ``;`` to end of line.

Which file is which is read from its content (agent codes carry ``~``).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from pathlib import Path

from kronika.actors.dictionary import ActorDictionary, ActorEntry, AgentEntry, Tenure, merge_all
from kronika.errors import ConfigError

_COMMENT_BLOCK = re.compile(r"<!--.*?-->", re.S)
_CODE = re.compile(r"\[([^\]]*)\]")
_MACRO = re.compile(r"^(![A-Z0-9_]+!)\s*=\s*(.+)$")
_DISCARD = {"---", "+++", "###", ""}
_STEM_ENDINGS = ("S", "ES", "N", "AN", "IAN", "A", "E", "I")


def _strip_comment(line: str) -> str:
    for mark in ("#", ";"):
        pos = line.find(mark)
        if pos >= 0:
            line = line[:pos]
    return line.rstrip()


def _pdate(text: str) -> dt.date:
    s = text.strip()
    if len(s) == 6:
        yy = int(s[:2])
        s = f"{2000 + yy if yy < 30 else 1900 + yy}{s[2:]}"
    if len(s) != 8 or not s.isdigit():
        raise ValueError(f"bad PETRARCH date {text!r}")
    return dt.date(int(s[:4]), int(s[4:6]), int(s[6:]))


def parse_code_block(block: str) -> Tenure | None:
    """``USAGOV 20010120-20090120`` → Tenure; None for discard codes."""
    parts = block.strip().split(None, 1)
    if not parts:
        return None
    code = parts[0].split("/")[0].upper()
    if code in _DISCARD:
        return None
    rest = parts[1].replace(" ", "") if len(parts) > 1 else ""
    start = end = None
    if rest.startswith("<"):
        end = _pdate(rest[1:]) - dt.timedelta(days=1)
    elif rest.startswith(">"):
        start = _pdate(rest[1:])
    elif "-" in rest:
        a, b = rest.split("-", 1)
        start, end = _pdate(a), _pdate(b)
    elif rest:
        raise ValueError(f"bad PETRARCH date range {rest!r}")
    return Tenure(code, None, start, end)


def _phrase(raw: str) -> tuple[str, bool]:
    """PETRARCH phrase → (words, stemmable)."""
    raw = raw.strip()
    exact = raw.endswith("_")
    words = " ".join(raw.replace("_", " ").split())
    return words, not exact and " " not in words


def _make_actor(
    name: str, synonyms: list[str], codes: list[Tenure], source: str, stems: bool = True
) -> ActorEntry | None:
    if not codes:
        return None
    words, stem = _phrase(name)
    aliases: list[str] = []
    for raw in [name, *synonyms]:
        w, st = _phrase(raw)
        if w != words:
            aliases.append(w)
        if stems and st and len(w) >= 4:
            aliases.extend(w + e for e in _STEM_ENDINGS)
    default = next((t.code for t in codes if t.start is None and t.end is None), None)
    dated = tuple(t for t in codes if t.start is not None or t.end is not None)
    code = default or codes[0].code
    kind = "person" if dated else ("country" if len(code) == 3 else "organisation")
    return ActorEntry(
        name=words.title(), kind=kind, country=code[:3], code=code, sector=code[3:6] or None,
        aliases=tuple(dict.fromkeys(a.title() for a in aliases)), roles=dated, source=source,
    )


def parse_petrarch_actors(
    text: str, source: str = "petrarch", stems: bool = True, problems: list[str] | None = None
) -> tuple[ActorEntry, ...]:
    """Parse the text of a PETRARCH actors dictionary; ``stems=False`` leaves out the
    stemmed variants ("ARGENTIN" → "Argentina") of single words. A malformed code block
    raises ``ConfigError``, or, when a ``problems`` list is given, is skipped and reported
    there (the Phoenix files have a few, e.g. a 7-digit date)."""
    out: list[ActorEntry] = []
    name: str | None = None
    synonyms: list[str] = []
    codes: list[Tenure] = []

    def flush() -> None:
        if name is not None:
            entry = _make_actor(name, synonyms, codes, source, stems)
            if entry is not None:
                out.append(entry)

    def read_codes(body: str, n: int) -> list[Tenure]:
        found: list[Tenure] = []
        for block in _CODE.findall(body):
            try:
                t = parse_code_block(block)
            except ValueError as exc:
                if problems is None:
                    raise ConfigError(f"{source}:{n}: {exc}", code="K013") from exc
                problems.append(f"{source}:{n}: {exc}; code skipped")
                continue
            if t is not None:
                found.append(t)
        return found

    for n, raw in enumerate(_COMMENT_BLOCK.sub("", text).splitlines(), 1):
        line = _strip_comment(raw)
        if not line.strip():
            continue
        body = line.strip()
        if body.startswith("+"):
            synonyms.append(body[1:].strip())
            continue
        if body.startswith("["):
            codes.extend(read_codes(body, n))
            continue
        flush()
        head = _CODE.split(body)[0]
        name, synonyms = head.strip(), []
        codes = read_codes(body, n)
    flush()
    return tuple(out)


def _plural_of(word: str) -> str:
    if word.endswith("Y") and not word.endswith(("AY", "EY", "OY")):
        return word[:-1] + "IES"
    if word.endswith(("S", "SH", "CH", "X")):
        return word + "ES"
    return word + "S"


def _expand(name: str, macros: dict[str, list[str]]) -> list[str]:
    for macro, values in macros.items():
        if macro in name:
            return [v for val in values for v in _expand(name.replace(macro, val), macros)]
    return [name]


def parse_petrarch_agents(text: str, source: str = "petrarch") -> tuple[AgentEntry, ...]:
    """Parse the text of a PETRARCH agents dictionary."""
    macros: dict[str, list[str]] = {}
    out: list[AgentEntry] = []
    for raw in _COMMENT_BLOCK.sub("", text).splitlines():
        line = _strip_comment(raw).strip()
        if not line:
            continue
        m = _MACRO.match(line)
        if m:
            macros[m.group(1)] = [v.strip() for v in m.group(2).split(",") if v.strip()]
            continue
        codes = _CODE.findall(line)
        if not codes:
            continue
        code = codes[0].replace(" ", "")
        prefix = code.endswith("~") and not code.startswith("~")
        sector = code.strip("~").upper()
        head = _CODE.split(line)[0]
        braces = re.search(r"\{([^}]*)\}", head)
        name = re.sub(r"\{[^}]*\}", "", head).strip()
        if not name or not sector:
            continue
        for form in _expand(name, macros):
            words = " ".join(form.replace("_", " ").split())
            if braces and braces.group(1).strip():
                plurals = [" ".join(p.replace("_", " ").split()) for p in braces.group(1).split(",")]
            else:
                parts = words.split()
                plurals = [" ".join([*parts[:-1], _plural_of(parts[-1])])]
            out.append(AgentEntry(words.lower(), sector, None,
                                  tuple(p.lower() for p in plurals if p), prefix, source))
    return tuple(out)


def load_petrarch_dictionaries(paths: Iterable[Path | str], problems: list[str] | None = None) -> ActorDictionary:
    """Read PETRARCH actor and/or agent dictionary files into one ``ActorDictionary``.

    Each file is parsed as an agents file when its codes carry ``~`` and as an actors
    file otherwise. A malformed code block raises ``ConfigError`` (K013) naming the file
    and line; with a ``problems`` list it is skipped and reported there instead, so one bad
    date (the Phoenix country file has eight, e.g. ``9008223``) does not take the other
    27,000 entries away."""
    parts: list[ActorDictionary] = []
    for p in map(Path, paths):
        try:
            text = p.read_text(encoding="utf-8", errors="replace")
        except OSError as exc:
            raise ConfigError(f"cannot read PETRARCH dictionary {p}: {exc}", code="K013") from exc
        source = f"petrarch:{p.name}"
        codes = _CODE.findall(_COMMENT_BLOCK.sub("", text))
        if codes and sum("~" in c for c in codes) > len(codes) / 2:
            parts.append(ActorDictionary((), parse_petrarch_agents(text, source), (source,)))
        else:
            parts.append(ActorDictionary(parse_petrarch_actors(text, source, problems=problems), (), (source,)))
    return merge_all(parts)
