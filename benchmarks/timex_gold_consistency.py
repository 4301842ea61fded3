"""How far a TimeML gold set agrees with itself on expressions that only the DCT resolves.

    python -m benchmarks.timex_gold_consistency ../shared/data/timeml/TBAQ-cleaned/TimeBank
    python -m benchmarks.timex_gold_consistency ../shared/data/timeml/TBAQ-cleaned/AQUAINT

Why: value F1 on a gold set is capped by how consistently its annotators normalised the
same phrase. For phrases whose value depends on nothing but the document creation time
("last week", "a year ago", "today"), each gold value is rewritten as its *form* relative
to the DCT ("week-1", "WXX", "month+0", "quarter", "duration" …). A tagger that reads the
phrase one way must disagree with every gold value of another form, so per phrase the
values outside its most common form are errors no single reading avoids (context can
legitimately move some of them, e.g. "a year ago" as a quarter in an earnings report; the
figure is a diagnosis, not a proof). Printed: per phrase, its count, that minority and the
forms; then the totals.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
from collections import Counter, defaultdict
from pathlib import Path

from kronika.evaluate.timex import gold_files, read_timexes
from kronika.timeml import parse_dct, split_timeml

# phrases resolved by the DCT alone (an optional "the" is dropped before grouping)
_DEICTIC = re.compile(
    r"(?:the )?(?:(?:last|this|next|past|coming|previous) (?:week|month|year|quarter)"
    r"|(?:a|one) year (?:ago|earlier)|today|yesterday|tomorrow|tonight)",
    re.I,
)


def value_form(value: str, dct: dt.date) -> str:
    """The shape of a TIMEX3 value relative to the DCT: "week-1", "day+0", "WXX", …"""
    if m := re.fullmatch(r"(\d{4})-W(\d\d?)", value):
        iso = dct.isocalendar()
        try:
            monday = dt.date.fromisocalendar(int(m.group(1)), int(m.group(2)), 1)
        except ValueError:
            return "week(invalid)"
        weeks = (monday - dt.date.fromisocalendar(iso[0], iso[1], 1)).days // 7
        return f"week{weeks:+d}" + ("(unpadded)" if len(m.group(2)) == 1 else "")
    if re.fullmatch(r"\d{4}-WXX", value):
        return "WXX"
    if re.fullmatch(r"\d{4}-\d\d-\d\d", value):
        try:
            return f"day{(dt.date.fromisoformat(value) - dct).days:+d}"
        except ValueError:
            return "day(invalid)"
    if m := re.fullmatch(r"(\d{4})-(\d\d)", value):
        return f"month{(int(m.group(1)) - dct.year) * 12 + int(m.group(2)) - dct.month:+d}"
    if re.fullmatch(r"\d{4}", value):
        return f"year{int(value) - dct.year:+d}"
    if re.fullmatch(r"\d{4}-Q\d", value):
        return "quarter"
    if value.endswith("_REF"):
        return value
    if value.startswith("P"):
        return "duration"
    return "other:" + re.sub(r"\d", "9", value)


def forms_by_phrase(gold_dir: Path) -> dict[str, Counter[str]]:
    """Per deictic phrase (lower case, without "the"), the count of each value form."""
    out: dict[str, Counter[str]] = defaultdict(Counter)
    for path in gold_files(gold_dir):
        raw = path.read_text(encoding="utf-8", errors="replace")
        dct = parse_dct(split_timeml(raw).dct)
        if dct is None:
            continue
        text, gold = read_timexes(raw)
        for start, end, _type, value in gold:
            phrase = re.sub(r"\s+", " ", text[start:end].strip().lower())
            if _DEICTIC.fullmatch(phrase):
                out[phrase.removeprefix("the ")][value_form(value, dct)] += 1
    return out


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("gold_dir", type=Path, nargs="+")
    args = ap.parse_args(argv)
    for gold_dir in args.gold_dir:
        table = forms_by_phrase(gold_dir)
        total = minority = 0
        print(gold_dir)
        for phrase, forms in sorted(table.items(), key=lambda kv: -sum(kv[1].values())):
            n = sum(forms.values())
            off = n - forms.most_common(1)[0][1]
            total, minority = total + n, minority + off
            shapes = ", ".join(f"{f} {k}" for f, k in forms.most_common())
            print(f"  {phrase:16s} n={n:3d}  outside the majority form {off:3d}   {shapes}")
        share = minority / total if total else 0.0
        print(f"  total {total} deictic timexes; {minority} ({share:.1%}) outside their phrase's majority form")


if __name__ == "__main__":
    main()
