"""Normalization functions: a pattern's named groups + the reference time → TIMEX3 value.

Each rule in ``data/time/<lang>.yaml`` names one function here (``norm: weekday``). A
function returns ``None`` to reject a match the groups do not support ("May" the modal,
"2000 troops"), so a rule can stay general and the data stays declarative.

Values keep only the precision the text gives: "next month" is "2019-06", not a day.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, replace

from kronika.time import calendar as cal
from kronika.time.lexicon import Lexicon

Groups = dict[str, str | None]


@dataclass(frozen=True, slots=True)
class Norm:
    """What a normalizer decided: TIMEX3 type, value and attributes."""

    type: str
    value: str
    mod: str | None = None
    quant: str | None = None
    freq: str | None = None


@dataclass(frozen=True, slots=True)
class Context:
    """The reference times one expression is resolved against.

    ``anchor`` is the DCT (news strategy) or the last mentioned day (narrative);
    ``direction`` is −1/+1 when the governing verb is past/future, 0 when unknown;
    ``last_value`` is the last DATE value mentioned before, for anaphora ("the quarter",
    "a year earlier") that inherit its granularity.
    """

    dct: dt.date
    anchor: dt.date
    direction: int
    last_day: dt.date | None
    last_value: str | None
    lex: Lexicon
    text: str = ""  # the matched text, for case checks
    present: bool = False  # governed by a simple present ("meet Monday"): a schedule ahead
    nearest: bool = False  # under a plan reported in the past: the nearer side of the anchor
    will: bool = False  # the governing verb has "will"/"shall": the strongest cue of the future
    span_end: bool = False  # the end of a span ("from January to March"), not an appointment
    done: bool = False  # on a verb in the simple past ("attacked on May 2"): over, not ahead


# ------------------------------------------------------------------------- helpers


def number(lex: Lexicon, first: str | None, second: str | None = None) -> float | str | None:
    """"two" → 2, "twenty four" → 24, "1,000" → 1000, "several" → "X"."""
    if first is None:
        return None
    raw = first.replace(",", "")
    if re.fullmatch(r"\d+(?:\.\d+)?", raw):
        n: float | str | None = float(raw)
    else:
        n = lex.value("number", first)
    if n is None or second is None:
        return n
    m = lex.value("number", second)
    if n == "X":  # "some three hours" is three; "several hundred years" stays vague
        return m if isinstance(m, (int, float)) and m < 100 else n
    if m == "X":
        return m  # "a several-year tenure"
    if not isinstance(m, (int, float)) or not isinstance(n, (int, float)):
        return n
    if m >= 100:
        return n * m  # "two hundred"
    if n >= 20 and n % 10 == 0 and m < 10:
        return n + m  # "twenty four"
    return m  # "a two-year": the article is no number


def _num_text(n: float) -> str:
    return str(int(n)) if float(n).is_integer() else f"{n:g}"


def _unit(lex: Lexicon, word: str | None) -> str | None:
    return lex.value("unit", word)


def _year(g: Groups, *names: str) -> int | None:
    for name in names:
        v = g.get(name)
        if v:
            return int(v)
    return None


def _spelled_year(lex: Lexicon, text: str | None) -> int | None:
    """"nineteen ninety-six" → 1996, "nineteen hundred" → 1900, "two thousand and one"
    → 2001; None for anything else."""
    words = [w for w in re.split(r"[-\s]+", (text or "").lower()) if w and not lex.has("number_joiner", w)]
    thousands = lex.value("spelled_thousands", " ".join(words[:2])) if len(words) >= 2 else None
    if thousands is not None:
        extra = lex.value("number", words[2]) if len(words) > 2 else 0
        ok = isinstance(extra, int) and 0 <= extra <= 10 and len(words) <= 3
        return thousands + extra if ok else None
    if not 2 <= len(words) <= 3:
        return None
    c = lex.value("number", words[0])
    hundred_word = lex.has("hundreds_word", words[1])
    t = 0 if hundred_word else lex.value("number", words[1])
    o = lex.value("number", words[2]) if len(words) > 2 else 0
    if not all(isinstance(x, int) for x in (c, t, o)) or not 10 <= c <= 20:
        return None  # the century is "ten" to "twenty": "nineteen", "seventeen"
    hundred = t == 0 and hundred_word and not o  # "nineteen hundred"
    tens = 10 <= t <= 90 and (not o or (t >= 20 and t % 10 == 0 and o < 10))  # "ninety(-six)"
    return c * 100 + t + o if hundred or tens else None


def _month(ctx: Context, g: Groups) -> int | None:
    if g.get("mm"):
        m = int(g["mm"] or 0)
        return m if 1 <= m <= 12 else None
    return ctx.lex.value("month", g.get("month"))


def _month_ok(ctx: Context, word: str | None) -> bool:
    """Ambiguous month words ("may", "march") only count when capitalised."""
    if word is None:
        return True
    if ctx.lex.has("ambiguous_month", word):
        return word[:1].isupper()
    return True


def _date(year: int, mon: int, dday: int) -> dt.date | None:
    try:
        return dt.date(year, mon, dday)
    except ValueError:
        return None


# days: under "will" a date a week or more behind the anchor is next year's ("will be sworn
# in on Jan. 20", read in March); weaker cues of the future keep the wider slack
_WILL_SLACK = 7
# days: a date on a verb in the simple past ("rebels attacked the town on May 2", read in
# January) cannot lie ahead of the anchor; one day allows for a DCT in another time zone
_DONE_SLACK = 1


def _direction_year(ctx: Context, candidate: dt.date, slack: int = 120) -> dt.date:
    """The year of a year-less date: the occurrence nearest the anchor, moved a year when
    the tense contradicts it by more than ``slack`` days ("met on Dec. 20" read in January
    is last December; "will pay on Nov. 10" stays ahead)."""
    options = [cal.add_years(candidate, k) for k in (-1, 0, 1)]
    best = min(options, key=lambda d: abs((d - ctx.anchor).days))
    if ctx.direction < 0 and (best - ctx.anchor).days > (min(slack, _DONE_SLACK) if ctx.done else slack):
        return cal.add_years(best, -1)
    if ctx.direction > 0 and (ctx.anchor - best).days > (min(slack, _WILL_SLACK) if ctx.will else slack):
        return cal.add_years(best, 1)
    return best


def _rel_step(ctx: Context, word: str | None) -> int | None:
    return ctx.lex.value("relative", word)


# ------------------------------------------------------------------------- dates


def ymd(g: Groups, ctx: Context) -> Norm | None:
    mon = _month(ctx, g)
    year = _year(g, "year")
    if mon is None or year is None or not _month_ok(ctx, g.get("month")):
        return None
    d = _date(year, mon, int(g.get("day") or g.get("dd") or 0))
    return Norm("DATE", cal.day(d)) if d else None


def md(g: Groups, ctx: Context) -> Norm | None:
    if g.get("year"):  # a range's day with the year written after it ("14-15 February 2018")
        return ymd(g, ctx)
    mon = _month(ctx, g)
    if mon is None or not _month_ok(ctx, g.get("month")):
        return None
    dday = int(g.get("day") or 0)
    d = _date(ctx.anchor.year, mon, dday) or _date(ctx.anchor.year - 1, mon, dday)
    if d is None:
        return None
    if ctx.lex.has("closing_word", g.get("_prev")):  # "the quarter ended Oct. 31": a closed period, not ahead
        d = _direction_year(replace(ctx, direction=-1), d, slack=0)
        return Norm("DATE", cal.day(d))
    if _scheduled(ctx):
        return Norm("DATE", cal.day(_direction_year(replace(ctx, direction=1), d, slack=30)))
    return Norm("DATE", cal.day(_direction_year(ctx, d)))


def md_rel(g: Groups, ctx: Context) -> Norm | None:
    """"May 9 last year": the day in the year the relative word names."""
    word = g.get("month") or g.get("month2")
    mon, step = ctx.lex.value("month", word), _rel_step(ctx, g.get("rel"))
    if mon is None or step is None or not _month_ok(ctx, word):
        return None
    d = _date(ctx.anchor.year + step, mon, int(g.get("day") or g.get("day2") or 0))
    return Norm("DATE", cal.day(d)) if d else None


def _scheduled(ctx: Context) -> bool:
    """A simple present with no other cue is a schedule ("the law takes effect on Jan. 1"):
    the date lies ahead, as a weekday under it does; the tense is a weaker cue than "will",
    so it overrides closeness only beyond a month."""
    return ctx.present and not ctx.direction and not ctx.span_end


def week_of(g: Groups, ctx: Context) -> Norm | None:
    """"the week of March 6" → the ISO week holding that day."""
    day_norm = ymd(g, ctx) if g.get("year") else md(g, ctx)
    if day_norm is None:
        return None
    return Norm("DATE", cal.week(dt.date.fromisoformat(day_norm.value)))


def ym(g: Groups, ctx: Context) -> Norm | None:
    mon, year = _month(ctx, g), _year(g, "year") or _spelled_year(ctx.lex, g.get("syear"))
    if mon is None or year is None or not _month_ok(ctx, g.get("month")):
        return None
    return Norm("DATE", cal.month(year, mon))


def ym_rel(g: Groups, ctx: Context) -> Norm | None:
    mon, step = _month(ctx, g), _rel_step(ctx, g.get("rel"))
    if mon is None or step is None or not _month_ok(ctx, g.get("month")):
        return None
    return Norm("DATE", cal.month(ctx.anchor.year + step, mon))


def month_only(g: Groups, ctx: Context) -> Norm | None:
    word = g.get("month") or ""
    mon = ctx.lex.value("month", word)
    if mon is None or not word[:1].isupper():
        return None
    if len(word) < 5 and not ctx.lex.has("whole_short_month", word):
        return None  # a bare "Jan" or "Dec" is a name more often than a month
    rel = g.get("rel")
    if rel is None and ctx.lex.has("ambiguous_month", word) and not g.get("_cue"):
        return None
    step = _rel_step(ctx, rel)
    if step == 0:
        return Norm("DATE", cal.month(ctx.anchor.year, mon))
    if step is not None:
        y, m = cal.month_near(ctx.anchor, mon, step, strict=True)
        return Norm("DATE", cal.month(y, m))
    mid = dt.date(ctx.anchor.year, mon, 15)
    if _scheduled(ctx):  # "the festival opens in February", read in March: next February
        return Norm("DATE", cal.month(_direction_year(replace(ctx, direction=1), mid, slack=20).year, mon))
    near = _direction_year(ctx, mid, slack=45)
    return Norm("DATE", cal.month(near.year, mon))


def year(g: Groups, ctx: Context) -> Norm | None:
    if g.get("yy"):
        yy = int(g["yy"] or 0)
        century = ctx.dct.year // 100 * 100
        y = century + yy if century + yy <= ctx.dct.year + 20 else century - 100 + yy
        return Norm("DATE", f"{y:04d}")
    y = _year(g, "year")
    return Norm("DATE", f"{y:04d}") if y is not None else None


def spelled_year(g: Groups, ctx: Context) -> Norm | None:
    """"nineteen ninety-six" → 1996, "the year two thousand" → 2000."""
    y = _spelled_year(ctx.lex, g.get("syear"))
    return Norm("DATE", f"{y:04d}") if y is not None else None


def month_set(g: Groups, ctx: Context) -> Norm | None:
    mon = ctx.lex.value("month", g.get("month"))
    if mon is None or not (g.get("month") or "")[:1].isupper():
        return None
    return Norm("SET", f"XXXX-{mon:02d}", quant="EVERY")


def decade(g: Groups, ctx: Context) -> Norm | None:
    raw = g.get("decade") or ""
    if g.get("dword"):  # "the nineties": the latest such decade before the DCT
        raw = f"{ctx.lex.value('decade_word', g.get('dword')) or 0}0"
    if len(raw) == 2:
        century = ctx.dct.year // 100
        value = f"{century if int(raw) <= ctx.dct.year % 100 else century - 1}{raw[0]}"
    elif len(raw) == 4:
        value = raw[:3]
    else:
        return None
    mod = ctx.lex.value("decade_mod", g.get("mod"))
    return Norm("DATE", value, mod=mod)


def century(g: Groups, ctx: Context) -> Norm | None:
    word = g.get("ordinal") or ""
    n = int(word[:-2]) if word[:1].isdigit() else ctx.lex.value("ordinal", word)
    if not isinstance(n, int) or n < 1:
        return None
    return Norm("DATE", f"{n - 1:02d}")


def holiday(g: Groups, ctx: Context) -> Norm | None:
    rule = ctx.lex.value("holiday", g.get("holiday"))
    if rule is None:
        return None
    step = _rel_step(ctx, g.get("rel"))
    y = _year(g, "year") or ctx.anchor.year

    def on(year_: int) -> dt.date | None:
        if rule == "election":  # first Tuesday after the first Monday of November
            return cal.weekday_near(dt.date(year_, 11, 2), 2, 1)
        if rule.startswith("easter"):  # "easter-2": Good Friday, two days before Easter Sunday
            return cal.easter(year_) + dt.timedelta(days=int(rule[6:].removesuffix("/W") or 0))
        if "/" in rule:
            mon, nth, wd = (int(x) for x in rule.split("/"))
            return cal.nth_weekday(year_, mon, nth, wd)
        mon, dday = (int(x) for x in rule.split("-"))
        return _date(year_, mon, dday)

    d = on(y)
    if d is None:
        return None
    if not g.get("year"):
        if step:
            if step < 0 and d >= ctx.anchor:
                d = on(y - 1)
            elif step > 0 and d <= ctx.anchor:
                d = on(y + 1)
        elif step is None:
            d = on(_direction_year(ctx, d).year)
    if d is None:
        return None
    return Norm("DATE", cal.week(d) if rule.endswith("/W") else cal.day(d))  # "/W": the holiday's week


# ------------------------------------------------------------------------- days and times


def _weekday_date(ctx: Context, wd: int, rel: str | None) -> dt.date:
    step = _rel_step(ctx, rel)
    if step is not None and step != 0:
        # "last Friday": the one before today; "next Friday": the one after.
        return cal.weekday_near(ctx.anchor + dt.timedelta(days=step), wd, step)
    if ctx.anchor.isoweekday() == wd:
        return ctx.anchor
    if step == 0:  # "this Friday": in the anchor's week
        return ctx.anchor + dt.timedelta(days=wd - ctx.anchor.isoweekday())
    if ctx.nearest:
        before = cal.weekday_near(ctx.anchor, wd, -1)
        after = cal.weekday_near(ctx.anchor, wd, 1)
        return after if after - ctx.anchor < ctx.anchor - before else before
    if ctx.direction:
        return cal.weekday_near(ctx.anchor, wd, ctx.direction)
    if ctx.present:
        return cal.weekday_near(ctx.anchor, wd, 1)
    # no tense to go by: news reports what happened, so the past one
    return cal.weekday_near(ctx.anchor, wd, -1)


def _pod(ctx: Context, word: str | None) -> str | None:
    return ctx.lex.value("part_of_day", word)


def weekday(g: Groups, ctx: Context) -> Norm | None:
    word = g.get("wd") or ""
    wd = ctx.lex.value("weekday", word)
    if wd is None:
        return None
    if ctx.lex.has("ambiguous_weekday", word) and not word[:1].isupper():
        return None
    if ctx.lex.has("ambiguous_weekday", word) and not g.get("pod"):
        return None  # "Sun", "Wed" alone are names and words as often as days
    pod = _pod(ctx, g.get("pod"))
    if pod and (g.get("pod") or "").lower().endswith("s") and not g.get("rel"):
        return Norm("SET", f"XXXX-WXX-{wd}T{pod}")  # "the club meets Tuesday nights": every one
    d = _weekday_date(ctx, wd, g.get("rel"))
    if pod:
        return Norm("TIME", f"{cal.day(d)}T{pod}")
    return Norm("DATE", cal.day(d))


def weekday_set(g: Groups, ctx: Context) -> Norm | None:
    word = g.get("wd") or g.get("wds")
    wd = ctx.lex.value("weekday", word)
    if wd is None or ctx.lex.has("ambiguous_weekday", word or ""):
        return None
    if (ctx.text or "").lower().startswith("on ") and not g.get("wds"):
        return None  # "on Friday" is one day, not a set
    pod = _pod(ctx, g.get("pod") or g.get("pod2"))
    value = f"XXXX-WXX-{wd}" + (f"T{pod}" if pod else "")
    return Norm("SET", value, quant="EVERY" if g.get("wd") else None)


def day_word(g: Groups, ctx: Context) -> Norm | None:
    word = (g.get("dw") or "").lower()
    step = ctx.lex.value("day_word", word)
    if step is None:
        return None
    d = ctx.anchor + dt.timedelta(days=step)
    pod = _pod(ctx, g.get("pod")) or ctx.lex.value("day_word_part", word)
    if pod:
        return Norm("TIME", f"{cal.day(d)}T{pod}")
    return Norm("DATE", cal.day(d))


def this_pod(g: Groups, ctx: Context) -> Norm | None:
    rel = (g.get("rel") or "").lower()
    step = ctx.lex.value("part_of_day_step", rel) or 0
    pod = _pod(ctx, g.get("pod"))
    if pod is None:
        return None
    if ctx.lex.has("night_only", rel) and pod != "NI":
        return None  # "last morning" is not English; "last evening" is rare
    return Norm("TIME", f"{cal.day(ctx.anchor + dt.timedelta(days=step))}T{pod}")


def the_pod(g: Groups, ctx: Context) -> Norm | None:
    """"in the morning" → that part of the day under discussion (the last day named)."""
    pod = _pod(ctx, g.get("pod"))
    if pod is None:
        return None
    return Norm("TIME", f"{cal.day(ctx.last_day or ctx.anchor)}T{pod}")


def anaphoric_day(g: Groups, ctx: Context) -> Norm | None:
    step = ctx.lex.value("anaphoric_day", g.get("aday"))
    if step is None:
        return None
    base = ctx.last_day or ctx.anchor
    return Norm("DATE", cal.day(base + dt.timedelta(days=step)))


def _pod_half(lex: Lexicon, pod: str | None, hour: int) -> str | None:
    """a.m. or p.m. from a part of the day: "4 in the morning", "11 at night", "2 at night"."""
    half = lex.value("clock_half", pod)
    if half == "by-hour":
        return "pm" if hour >= 6 else "am"
    return half


def clock(g: Groups, ctx: Context) -> Norm | None:
    if g.get("cw"):
        hhmm = ctx.lex.value("clock_word", g.get("cw"))
        if hhmm is None:
            return None
        h, m = (int(x) for x in str(hhmm).split(":"))
    else:
        h, m = int(g.get("h") or 0), int(g.get("m") or 0)
        ampm = (g.get("ampm") or _pod_half(ctx.lex, g.get("pod2"), h) or "").lower()
        if ampm.startswith("p") and h < 12:
            h += 12
        elif ampm.startswith("a") and h == 12:
            h = 0
        if h > 24 or (not ampm and not g.get("colon") and not g.get("tz")):
            return None
    base = ctx.last_day or ctx.anchor  # a bare clock time is on the day under discussion
    if g.get("wd"):
        base = _weekday_date(ctx, ctx.lex.value("weekday", g.get("wd")) or base.isoweekday(), None)
    elif g.get("dw"):
        base = ctx.anchor + dt.timedelta(days=ctx.lex.value("day_word", g.get("dw")) or 0)
    elif g.get("month") or g.get("month2"):  # "5 p.m. EST Nov. 9", "14:46 on 11 March 2011"
        day = {**g, "month": g.get("month") or g.get("month2"), "day": g.get("day") or g.get("dd"),
               "year": g.get("year") or g.get("year2")}
        day_norm = ymd(day, ctx) if day["year"] else md(day, ctx)
        if day_norm is None:
            return None
        base = dt.date.fromisoformat(day_norm.value)
    elif (h, m) == (24, 0) and ctx.direction < 0 and base == ctx.anchor:
        # "injured just after midnight", read on the day: the midnight that began the DCT's
        # day (TIMEX3 writes it as 24:00 of the day before), not the one still to come
        base -= dt.timedelta(days=1)
    zone = "Z" if ctx.lex.has("utc_zone", g.get("tz")) else ""  # UTC is said, so it is kept
    return Norm("TIME", f"{cal.day(base)}T{h:02d}:{m:02d}{zone}")


# ------------------------------------------------------------------------- quarters, seasons


def _q_or_h(ctx: Context, g: Groups) -> str:
    return "H" if ctx.lex.has("half_year", g.get("qh")) else "Q"


def _period_year(ctx: Context, unit: str, n: int) -> int:
    """The year of quarter or half ``n`` written without one: the anchor's, the year
    before when a past verb speaks of a period still to come this year."""
    current = cal.quarter_of(ctx.anchor) if unit == "Q" else (ctx.anchor.month - 1) // 6 + 1
    return ctx.anchor.year - 1 if ctx.direction < 0 and n > current else ctx.anchor.year


def quarter(g: Groups, ctx: Context) -> Norm | None:
    n = ctx.lex.value("ordinal", g.get("ordinal"))
    unit = _q_or_h(ctx, g)
    top = 2 if unit == "H" else 4
    if not isinstance(n, int):
        return None
    n = top if n == -1 else n
    if not 1 <= n <= top:
        return None
    y = _year(g, "year", "year2", "year3")
    rel = g.get("rel") or g.get("rel2")
    if y is None and rel is not None:
        y = ctx.anchor.year + (_rel_step(ctx, rel) or 0)
    if y is None:
        y = _period_year(ctx, unit, n)
    if (ctx.text or "").lower().rstrip().endswith("quarters") and not g.get("year"):
        return Norm("SET", f"XXXX-Q{n}")
    if g.get("yago"):
        y -= 1
    return Norm("DATE", f"{y:04d}-{unit}{n}")


def quarter_code(g: Groups, ctx: Context) -> Norm | None:
    """"Q1 2012", "2011 Q4", "H1 '12"; a bare "Q3" is the one of the anchor's year, the
    year before when a past verb speaks of a quarter still to come."""
    unit = "H" if (g.get("code") or "").upper() == "H" else "Q"
    n = int(g.get("n") or 0)
    if not 1 <= n <= (2 if unit == "H" else 4):
        return None
    y = _year(g, "year", "year2")
    if y is None and g.get("yy"):
        y = int(year({"yy": g["yy"]}, ctx).value)  # type: ignore[union-attr]
    if y is None:
        if not ctx.lex.has("quarter_cue", g.get("_prev")):
            return None
        y = _period_year(ctx, unit, n)
    return Norm("DATE", f"{y:04d}-{unit}{n}")


def quarter_rel(g: Groups, ctx: Context) -> Norm | None:
    rel = "year-ago" if g.get("yago") or g.get("yago2") else (g.get("rel") or "").lower()
    g = {**g, "qh": g.get("qh") or g.get("qh2")}
    unit = _q_or_h(ctx, g)
    last = ctx.last_value if ctx.last_value and re.fullmatch(rf"\d{{4}}-{unit}\d", ctx.last_value) else None
    year_back, latest_rel = ctx.lex.has("year_back", rel), ctx.lex.has("latest_period", rel)
    if last and (year_back or latest_rel) and last > (cal.shift(ctx.dct, unit, 0) or ""):
        last = None  # a forecast ("through the third quarter of 1990") is no reported period
    latest = last or cal.shift(ctx.anchor, unit, -1) or ""
    if g.get("year"):  # "the 1988 quarter": the quarter under discussion, in that year
        return Norm("DATE", f"{g['year']}{latest[4:]}" if not ctx.lex.has("half_year", g.get("qh")) else g["year"] or "")
    if year_back:
        return Norm("DATE", cal.shift_value(latest, -1) or "")
    if latest_rel or ctx.lex.has("current_period", rel):
        if last:
            return Norm("DATE", last)
        if ctx.lex.has("vague_period", g.get("qh")) and not latest_rel:
            return None
        return Norm("DATE", cal.shift(ctx.anchor, unit, -1 if latest_rel else 0) or "")
    if ctx.lex.has("vague_period", g.get("qh")):
        return None
    step = _rel_step(ctx, rel)
    if step is None:
        return None
    return Norm("DATE", cal.shift(ctx.anchor, unit, step) or "")


def season(g: Groups, ctx: Context) -> Norm | None:
    code = ctx.lex.value("season", g.get("season"))
    if code is None:
        return None
    word = g.get("season") or ""
    if ctx.lex.has("ambiguous_season", word) and not (g.get("rel") or g.get("year")) and not word[:1].isupper():
        return None  # "prices fall"
    y = _year(g, "year") or _spelled_year(ctx.lex, g.get("syear"))
    if y is not None:
        return Norm("DATE", f"{y:04d}-{code}")
    if g.get("yrel"):
        return Norm("DATE", f"{ctx.anchor.year + (_rel_step(ctx, g.get('yrel')) or 0):04d}-{code}")
    rel = (g.get("rel") or "").lower()
    step = -1 if rel == "this past" else _rel_step(ctx, rel or None)
    if step is None:
        step = ctx.direction
    return Norm("DATE", cal.season_near(ctx.anchor, code, step))


# ------------------------------------------------------------------------- relative units

_PRECISION = {"Y": 1, "E": 0, "C": 0, "H": 2, "Q": 2, "M": 3, "W": 4, "WE": 4, "D": 5}


def _last_mentioned(ctx: Context, unit: str) -> dt.date | None:
    """The last mentioned time as a date, when it is at least as precise as ``unit``."""
    v = ctx.last_value or ""
    m = re.fullmatch(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?|-Q(\d)|-H(\d))?", v)
    if not m:
        return None
    y = int(m.group(1))
    if m.group(3):
        have, d = 5, ctx.last_day
    elif m.group(2):
        have, d = 3, dt.date(y, int(m.group(2)), 15)
    elif m.group(4):
        have, d = 2, dt.date(y, int(m.group(4)) * 3 - 1, 15)
    elif m.group(5):
        have, d = 2, dt.date(y, int(m.group(5)) * 6 - 3, 15)
    else:
        have, d = 1, dt.date(y, 7, 1)
    return d if d is not None and have >= _PRECISION.get(unit, 9) else None


def unit_rel(g: Groups, ctx: Context) -> Norm | None:
    step = _rel_step(ctx, g.get("rel"))
    unit = ctx.lex.value("calendar_unit", g.get("unit"))
    if step is None or unit is None:
        return None
    base = ctx.anchor
    if ctx.lex.has("anaphoric_relative", g.get("rel")):
        base = _last_mentioned(ctx, unit) or ctx.anchor  # "the following year"
    value = cal.shift(base, unit, step)
    return Norm("DATE", value) if value else None


def unit_after(g: Groups, ctx: Context) -> Norm | None:
    """"the year before", "the month after": the unit next to the last mentioned one (or
    to the reference time when none was mentioned)."""
    unit = ctx.lex.value("calendar_unit", g.get("unit"))
    step = ctx.lex.value("ago", g.get("ago"))
    if unit not in ("Y", "M", "W") or step is None:
        return None
    value = cal.shift(_last_mentioned(ctx, unit) or ctx.anchor, unit, step)
    return Norm("DATE", value) if value else None


def the_unit(g: Groups, ctx: Context) -> Norm | None:
    unit = ctx.lex.value("calendar_unit", g.get("unit") or g.get("full"))
    if unit == "WE":
        if ctx.direction > 0 or (ctx.direction == 0 and ctx.anchor.isoweekday() >= 4):
            return Norm("DATE", cal.week(ctx.anchor) + "-WE")
        return Norm("DATE", cal.week(ctx.anchor - dt.timedelta(days=7)) + "-WE")
    last = ctx.last_value or ""
    if unit == "W":
        return Norm("DATE", cal.week(ctx.anchor))
    if unit == "M":  # "by the end of the month": the month of the reference time
        return Norm("DATE", cal.month(ctx.anchor.year, ctx.anchor.month))
    if unit == "Q":
        if re.fullmatch(r"\d{4}-Q\d", last):
            return Norm("DATE", last)
        # news reports a quarter once it has ended: "the quarter" is the last complete one
        return Norm("DATE", cal.shift(ctx.anchor, "Q", -1) or "")
    if unit == "Y":
        # "the year" is the reference year: a year mentioned in passing ("since 1992")
        # does not become the topic (TimeBank: 1989 in a 1989 story that cites 1992)
        return Norm("DATE", f"{ctx.anchor.year:04d}")
    return None


def year_end(g: Groups, ctx: Context) -> Norm | None:
    last = ctx.last_value or ""
    year = last[:4] if re.fullmatch(r"\d{4}", last) else f"{ctx.anchor.year:04d}"
    return Norm("DATE", year, mod="END")


def period(g: Groups, ctx: Context) -> Norm | None:
    unit = _unit(ctx.lex, g.get("unit") or g.get("unit2"))
    return Norm("DURATION", f"P1{unit}") if unit in ("Y", "Q", "M", "W") else None


def ago(g: Groups, ctx: Context) -> Norm | None:
    unit = _unit(ctx.lex, g.get("unit"))
    sign = ctx.lex.value("ago", g.get("ago"))
    if g.get("num") is None:
        n: float | str | None = 1
    else:
        n = number(ctx.lex, g.get("num"), g.get("num2"))
    if unit is None or sign is None or n is None:
        return None
    word = (g.get("ago") or "").lower()
    anaphoric = ctx.lex.has("anaphoric_ago", word)
    if n == "X":
        if anaphoric:
            return None  # "a few years later": a duration and a signal, not the future
        return Norm("DATE", "PAST_REF" if sign < 0 else "FUTURE_REF")
    if not float(n).is_integer() or unit.startswith("T"):
        return None
    k = int(n) * sign
    last = ctx.last_value or ""
    if unit == "Y" and (re.fullmatch(r"\d{4}-(Q\d|H\d)", last) or (anaphoric and re.fullmatch(r"\d{4}(-.*)?", last))):
        # "a year earlier" than the quarter/day under discussion keeps its granularity
        return Norm("DATE", cal.shift_value(last.split("T")[0], k) or "")
    base = (_last_mentioned(ctx, unit) if anaphoric else None) or ctx.dct
    value = cal.shift(base, "WE" if unit == "WE" else unit, k)
    return Norm("DATE", value) if value else None


def signal_date(g: Groups, ctx: Context) -> str | None:
    """The day a duration followed by a signal points to ("three days later", "a week
    earlier"), counted from the last mentioned day; None when the text has not mentioned
    a day (the DCT is where the story is told, not where its narrative stands) or the
    unit is coarser than a week (those stay DATEs of the ``ago`` rule)."""
    unit = _unit(ctx.lex, g.get("unit"))
    sign = ctx.lex.value("ago", g.get("ago"))
    n = 1 if g.get("num") is None else number(ctx.lex, g.get("num"), g.get("num2"))
    if unit not in ("W", "D", "TH", "TM", "TS") or sign is None or not isinstance(n, int | float) \
            or not float(n).is_integer() or ctx.last_day is None \
            or not re.fullmatch(r"\d{4}-\d\d-\d\d(T.*)?", ctx.last_value or ""):
        return None
    days = {"W": 7, "D": 1}.get(unit, 0) * int(n) * sign  # hours and minutes stay on that day
    try:
        return (ctx.last_day + dt.timedelta(days=days)).isoformat()
    except OverflowError:
        return None


# Calendar unit codes (``calendar.shift``) → TIMEX3 duration units: a decade is "DE" and a
# century "CE" in a duration ("P3DE"), as in the TIMEX3 guidelines and HeidelTime.
_DURATION_UNIT = {"E": "DE", "C": "CE"}


def _duration_value(n: float | str, unit: str) -> str | None:
    unit = _DURATION_UNIT.get(unit, unit)
    if n == "X":
        return f"PTX{unit[1:]}" if unit.startswith("T") else f"PX{unit}"
    assert isinstance(n, float | int)
    if n <= 0:
        return None
    if not float(n).is_integer():
        return _fraction_value(float(n), unit)
    text = _num_text(n)
    return f"PT{text}{unit[1:]}" if unit.startswith("T") else f"P{text}{unit}"


# The next smaller unit and how many of it make one: "2 1/2 years" is P2Y6M.
_SMALLER = {"Y": ("M", 12), "M": ("D", 30), "W": ("D", 7), "D": ("TH", 24), "TH": ("TM", 60),
            "TM": ("TS", 60)}


def _fraction_value(n: float, unit: str) -> str | None:
    """A fractional count as whole units plus the rest in the next smaller unit ("5 1/2
    hours" → PT5H30M, "half a year" → P6M), as TimeBank writes them."""
    if unit not in _SMALLER:
        return None
    whole = int(n)
    small, factor = _SMALLER[unit]
    rest = (n - whole) * factor
    if not float(round(rest, 6)).is_integer():
        return None
    parts = [(whole, unit), (int(round(rest)), small)]
    date = "".join(f"{k}{u}" for k, u in parts if k and not u.startswith("T"))
    clock = "".join(f"{k}{u[1:]}" for k, u in parts if k and u.startswith("T"))
    return "P" + date + (f"T{clock}" if clock else "")


def duration(g: Groups, ctx: Context) -> Norm | None:
    unit = _unit(ctx.lex, g.get("unit"))
    if unit is None or ctx.lex.has("age_adjective", g.get("adj")):
        return None
    if unit in ("WE", "SE"):
        return None
    word = (g.get("unit") or "").lower()
    rel = (g.get("rel") or "").lower()
    if g.get("num") is None:
        plural = word.endswith("s") or ctx.lex.has("irregular_plural", word)
        if ctx.lex.has("whole_unit", rel):
            n: float | str | None = 1.0
        elif not plural:
            return None
        else:
            n = "X"
    else:
        n = number(ctx.lex, g.get("num"), g.get("num2"))
    if n is None or re.fullmatch(r"(?:1[5-9]|20)\d\d", g.get("num") or ""):
        return None  # "the 1988 quarter" is a year, not 1988 quarters
    if ctx.lex.has("indefinite_article", g.get("num")) and ctx.lex.has("ordinal_unit", word):
        return None
    text = ctx.text.lower()
    if isinstance(n, int | float) and "half" in text and "half a" not in text \
            and "a half" not in (g.get("num") or ""):
        n = float(n) + 0.5
    if isinstance(n, int | float) and g.get("frac"):  # "2 1/2 years"
        top, bottom = (int(x) for x in (g["frac"] or "").split("/"))
        n += top / bottom
    value = _duration_value(n, unit)
    return Norm("DURATION", value) if value else None


def frequency(g: Groups, ctx: Context) -> Norm | None:
    value = ctx.lex.value("frequency", g.get("freq"))
    return Norm("SET", value) if value else None


def every(g: Groups, ctx: Context) -> Norm | None:
    unit = _unit(ctx.lex, g.get("unit"))
    if unit is None or unit in ("WE", "SE"):
        return None
    n: float | str | None = 1.0
    if ctx.lex.has("every_second", g.get("num")):
        n = 2.0
    elif g.get("num"):
        n = number(ctx.lex, g.get("num"))
    if not isinstance(n, float | int):
        return None
    value = _duration_value(float(n), unit)
    if value is None:
        return None
    freq = None
    times = (g.get("times") or "").lower()
    if times:
        k = ctx.lex.value("times", times) or number(ctx.lex, times.split()[0])
        freq = f"{_num_text(float(k))}X" if isinstance(k, int | float) else None
    quant = "EVERY" if re.match(r"(?:every|each)\b", ctx.text, re.I) else None
    return Norm("SET", value, quant=quant, freq=freq)


def reference(g: Groups, ctx: Context) -> Norm | None:
    value = ctx.lex.value("reference", g.get("ref"))
    return Norm("DATE", str(value)) if value else None


NORMALIZERS: dict[str, Callable[[Groups, Context], Norm | None]] = {
    "spelled_year": spelled_year, "month_set": month_set, "ymd": ymd, "md": md, "md_rel": md_rel, "week_of": week_of, "ym": ym, "ym_rel": ym_rel, "month": month_only, "year": year,
    "decade": decade, "century": century, "holiday": holiday, "weekday": weekday,
    "weekday_set": weekday_set, "day_word": day_word, "this_pod": this_pod, "the_pod": the_pod,
    "anaphoric_day": anaphoric_day, "clock": clock, "quarter": quarter, "quarter_code": quarter_code,
    "quarter_rel": quarter_rel, "period": period, "year_end": year_end, "season": season, "unit_rel": unit_rel, "unit_after": unit_after, "the_unit": the_unit,
    "ago": ago, "duration": duration, "frequency": frequency, "every": every,
    "reference": reference,
}
