#!/usr/bin/env python3
"""Check an annotated batch against its input (``data/training/ANNOTATION.md``):

    .venv/bin/python scripts/validate_annotations.py BATCH.jsonl ANNOTATED.jsonl

Same lines in the same order with ``doc``, ``date``, ``i``, ``text`` unchanged; types are the
16 of PLOVER 2021 and modes those the guide lists; source, target and trigger texts are
substrings of the sentence (the trainer finds candidates by them); countries are ISO
alpha-3, ``IGO`` or null. Exit status 1 on any error. Why a checker: a label the trainer
cannot attach to a candidate silently becomes a NONE example.
"""

from __future__ import annotations

import json
import re
import sys

from kronika.model import PLOVER_TYPES, STATUSES

MODES = {
    "ACCUSE": {"allege", "disapprove", "investigate"},
    "ASSAULT": {"abduct", "assassinate", "beat", "cleansing", "explosives", "firearms", "heavy-weapons", "massacre",
                "seize", "sexual", "suicide-attack", "torture", "unconventional", "aerial"},
    "COERCE": {"arrest", "ban", "curfew", "deport", "martial-law", "restrict", "seize", "censor"},
    "CONSULT": {"phone", "third-party", "visit", "multilateral"},
    "MOBILIZE": {"police", "troops"},
    "PROTEST": {"boycott", "demo", "hunger", "obstruct", "riot", "strike"},
    "REJECT": {"assist", "change", "meet", "yield"},
    "REQUEST": {"assist", "change", "meet", "yield"},
    "RETREAT": {"access", "ceasefire", "disarm", "ease", "release", "return", "withdraw", "resign"},
    "SANCTION": {"discontinue", "expel", "withdraw", "convict"},
    "THREATEN": {"ban", "expel", "political", "relations", "restrict", "territory", "violence"},
    "AID": {"humanitarian", "military", "economic"},
}


def read(path: str) -> list[dict]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def event_errors(n: int, text: str, e: dict) -> list[str]:
    errs = []
    if e.get("type") not in PLOVER_TYPES:
        errs.append(f"line {n}: bad type {e.get('type')}")
    mode = e.get("mode")
    if mode is not None and mode not in MODES.get(e.get("type"), set()):
        errs.append(f"line {n}: mode {mode!r} not allowed for {e.get('type')}")
    if e.get("status") not in STATUSES:
        errs.append(f"line {n}: bad status {e.get('status')}")
    if not e.get("trigger") or e["trigger"] not in text:
        errs.append(f"line {n}: trigger {e.get('trigger')!r} not a substring")
    for side in ("source", "target"):
        v = e.get(side)
        if v is None:
            if side == "source":
                errs.append(f"line {n}: source may not be null")
        elif not isinstance(v, dict) or not v.get("text") or v["text"] not in text:
            errs.append(f"line {n}: {side} text {v!r} not a substring")
        elif v.get("country") is not None and not re.fullmatch(r"[A-Z]{3}", v["country"]):
            errs.append(f"line {n}: {side} country {v.get('country')!r} not ISO3/IGO/null")
    return errs


def main() -> int:
    inp, out = read(sys.argv[1]), read(sys.argv[2])
    errs = [] if len(inp) == len(out) else [f"line count {len(out)} != {len(inp)}"]
    for n, (a, b) in enumerate(zip(inp, out, strict=False), 1):
        errs += [f"line {n}: field {k} changed" for k in ("doc", "date", "i", "text") if a[k] != b.get(k)]
        if not isinstance(b.get("events"), list):
            errs.append(f"line {n}: events must be a list")
            continue
        for e in b["events"]:
            errs += event_errors(n, a["text"], e)
    events = sum(len(b.get("events") or ()) for b in out)
    sys.stdout.write("\n".join(errs) + "\n" if errs else f"OK: {len(out)} lines, {events} events\n")
    return 1 if errs else 0


if __name__ == "__main__":
    sys.exit(main())
