"""The time stage: find temporal expressions in a parsed document and normalize them.

Flow per document (HeidelTime's design, rules as data):

1. *find*: every compiled rule runs over the sentences that pass a cheap prefilter;
2. *select*: overlapping candidates are settled longest first (then rule order), keeping
   only candidates their normalizer accepts;
3. *resolve*: in text order, each expression is normalized against the DCT (news
   strategy) or the last mentioned day (narrative strategy), with the direction of
   underspecified dates taken from the governing verb's tense; modifier words before it
   ("the end of", "early", "about") widen it and set ``mod``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace

from kronika.config import Settings
from kronika.model import ParsedDoc, TimeExpr, Token
from kronika.time import calendar as cal
from kronika.time.lexicon import Lexicon, Rule, load_lexicon
from kronika.time.normalize import NORMALIZERS, Context, Groups, Norm, signal_date
from kronika.time.tense import read

_PREV_WORD = re.compile(r"([A-Za-z]+)[\s,]*\Z")
_NEXT_WORD = re.compile(r"\s*([A-Za-z%]+|\d)")
_OPENERS = frozenset(".!?\"'`:;_-“‘(")


# Rules whose value is computed from an earlier mention: they do not become the antecedent
# of later anaphora themselves ("a year earlier" must not shift the next "the quarter").
_ANAPHORIC = frozenset({"ago", "quarter_rel", "the_unit", "reference"})


@dataclass(frozen=True, slots=True)
class Candidate:
    start: int
    end: int
    order: int
    rule: Rule
    groups: Groups


class TimeTagger:
    """Rule-based TIMEX3 tagger; one instance serves any number of documents."""

    name = "time.rules"

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        language = settings.time.language
        extra = tuple(p for p in settings.user_dictionaries if p.name.startswith("time"))
        self.lexicon: Lexicon = load_lexicon(language, extra)
        self.narrative = settings.time_strategy == "narrative"
        self.version = f"{self.name}/{self.lexicon.language}-{self.lexicon.version}"
        # Rules by the words they need, so a sentence tries only the rules its words allow.
        self._always = tuple(o for o, r in enumerate(self.lexicon.rules) if not r.needs)
        by_need: dict[str, list[int]] = {}
        for o, r in enumerate(self.lexicon.rules):
            for w in r.needs:
                by_need.setdefault(w, []).append(o)
        self._by_need = {w: tuple(os) for w, os in by_need.items()}
        self._signal_words = frozenset(self.lexicon.words.get("signal_after", {}))
        # token text -> the rules it lets run, kept across documents (news vocabulary
        # repeats); emptied when full, so a stream of new names cannot grow it without end
        self._rules_of: dict[str, tuple[int, ...]] = {}

    # ------------------------------------------------------------------ public

    def __call__(self, doc: ParsedDoc) -> tuple[TimeExpr, ...]:
        dct = doc.article.date
        chosen = self._select(doc, self._find(doc), dct)
        out: list[TimeExpr] = []
        last_value: str | None = None
        last_day: dt.date | None = None
        prev_end = 0
        years: list[str] = []  # per expression: "given", "implied" (from the DCT), "clock" or ""
        for cand in chosen:
            anchor_tok = self._head(doc, cand.start, cand.end)
            anchor = last_day if (self.narrative and last_day) else dct
            cues = read(doc, anchor_tok, self.lexicon)
            ctx = Context(
                dct=dct, anchor=anchor, direction=cues.direction,
                last_day=last_day, last_value=last_value, lex=self.lexicon,
                text=doc.text[cand.start : cand.end], present=cues.present, span_end=cues.span_end,
                nearest=cues.nearest, will=cues.will, done=cues.done,
            )
            norm = _normalize(cand, ctx)
            if norm is None or not cal.is_value(norm.value):
                continue
            if norm.type == "DURATION" and self._someday(doc, cand):
                norm = Norm("DATE", "FUTURE_REF")
            start, mod = self._modifier(doc.text, cand.start, prev_end, norm)
            date = self._signal_date(doc, cand, norm, ctx)
            out.append(TimeExpr(
                start=start, end=cand.end, text=doc.text[start : cand.end],
                sentence=doc.sentence_of_char(cand.start), type=norm.type,  # type: ignore[arg-type]
                value=norm.value, mod=mod, quant=norm.quant, freq=norm.freq,
                anchor_token=anchor_tok, rule=cand.rule.name, date=date,
            ))
            years.append(_year_source(cand))
            prev_end = cand.end
            if date is not None:  # "Two days later ... The next day": the story moved on
                last_value, last_day = _remember(Norm("DATE", date), last_value, last_day)
            elif cand.rule.norm not in _ANAPHORIC and not _period_end(doc.text, cand.start):
                last_value, last_day = _remember(norm, last_value, last_day)
        return tuple(_share_range_years(doc.text, out, years))

    # ------------------------------------------------------------------ steps

    def _signal_date(self, doc: ParsedDoc, cand: Candidate, norm: Norm, ctx: Context) -> str | None:
        """The day "three days later" points to, for event dating (news strategy: the
        narrative strategy tags the whole phrase as that DATE already)."""
        if self.narrative or norm.type != "DURATION":
            return None
        nxt = _NEXT_WORD.match(doc.text, cand.end)
        word = nxt.group(1).lower() if nxt else ""
        if word not in self._signal_words:
            return None
        return signal_date({**cand.groups, "ago": word}, ctx)

    def _find(self, doc: ParsedDoc) -> list[Candidate]:
        """Run each rule over the sentences whose tokens show a word the rule needs."""
        text, lex = doc.text, self.lexicon
        found: list[Candidate] = []
        rules_of = self._rules_of
        if len(rules_of) > _RULES_OF_MAX:
            rules_of.clear()
        for sent in doc.sentences or ():
            orders = set(self._always)
            for tok in doc.tokens[sent.token_start : sent.token_end]:
                wanted = rules_of.get(tok.text)
                if wanted is None:
                    wanted = rules_of[tok.text] = self._rules_for(tok.text)
                if wanted:
                    orders.update(wanted)
            for order in sorted(orders):
                rule = lex.rules[order]
                for m in rule.regex.finditer(text, sent.start, sent.end):
                    if m.end() > m.start():
                        groups: Groups = dict(m.groupdict())
                        prev = _PREV_WORD.search(text, max(0, m.start() - 20), m.start())
                        groups["_cue"] = "1" if prev and (lex.has("month_cue", prev.group(1)) or (
                            lex.has("month_determiner", prev.group(1)) and _attributive(doc, m.end()))) else None
                        groups["_prev"] = prev.group(1).lower() if prev else None
                        start, end = m.span(rule.offset) if rule.offset else m.span()
                        if lex.has("indefinite_article", groups.get("num")) and not rule.offset:
                            # "a five-year low", "a week-long strike": the article is the noun's
                            if groups.get("num2"):
                                start = m.start("num2")
                            elif groups.get("adj"):
                                start = m.start("unit")
                        elif text[start : start + 4].lower() == "the " and _attributive_compound(doc, start, end):
                            start += 4  # "the third-quarter results": so is "the" (TimeBank, 7 of 7)
                        start, end = _skip_verb(doc, start, end), _trim_period(lex, text, start, end)
                        found.append(Candidate(start, end, order, rule, groups))
        return found

    def _rules_for(self, word: str) -> tuple[int, ...]:
        """The rules a token lets run: those needing a word list, literal word or "digit"
        that it shows (the prefilter that keeps most regexes off most sentences)."""
        orders: set[int] = set()
        for need in self.lexicon.present([word]):
            orders.update(self._by_need.get(need, ()))
        return tuple(orders)

    def _select(self, doc: ParsedDoc, found: list[Candidate], dct: dt.date) -> list[Candidate]:
        """Longest first, then earliest rule; a candidate its normalizer rejects (with a
        neutral context) leaves room for a shorter one."""
        found.sort(key=lambda c: (c.start - c.end, c.order, c.start))
        taken: list[Candidate] = []
        for cand in found:
            if any(cand.start < t.end and t.start < cand.end for t in taken):
                continue
            ctx = Context(dct, dct, 0, None, None, self.lexicon, doc.text[cand.start : cand.end])
            if _normalize(cand, ctx) is None:
                continue
            if not self._plausible(doc, cand):
                continue
            taken.append(cand)
        taken.sort(key=lambda c: c.start)
        return taken

    def _plausible(self, doc: ParsedDoc, cand: Candidate) -> bool:
        """Reject numbers that only look like years or durations ("2000 troops", "a quarter
        of the vote", "1990%") and titles ("This Week", "60 Minutes", "High Noon")."""
        text = doc.text
        if self._title(doc, cand) or _in_url(text, cand.start, cand.end):
            return False
        nxt = _NEXT_WORD.match(text, cand.end)
        following = nxt.group(1).lower() if nxt else ""
        if cand.rule.norm in ("holiday", "weekday") and nxt and nxt.group(1)[:1].isupper() \
                and self.lexicon.has("name_head", following):
            return False  # "the Good Friday Agreement", "the Easter Rising": names
        if cand.rule.norm in ("unit_after", "anaphoric_day", "the_unit") and self._before_clause(doc, cand, nxt):
            return False  # "the year before he died": a conjunction, no date to count from
        if cand.rule.norm == "year" and not cand.groups.get("fiscal"):
            if following in ("%", "percent") or text[cand.end : cand.end + 1] in (",", ".") and \
                    text[cand.end + 1 : cand.end + 2].isdigit():
                return False
            i = doc.token_at(cand.start)
            if i is not None:
                tok = doc.tokens[i]
                head = doc.tokens[tok.head]
                # a count: "2000 troops", "2000 American troops" (a plural head, adjectives
                # between); "the 1996 bombing", "the 2001 World Trade Center attacks" stay years
                between = doc.tokens[i + 1 : head.i] if head.i > i else ()
                if tok.dep == "nummod" and not self.lexicon.has("time_noun", head.lemma) \
                        and head.tag == "NNS" and all(t.pos in ("ADJ", "NUM", "PUNCT") for t in between):
                    return False
        if cand.rule.norm == "ago" and (cand.groups.get("ago") or "").lower() in ("after", "before") \
                and following.isalnum() and following not in ("that", "then"):
            return False  # "a month after the attack": a duration and a preposition
        if not self.narrative and cand.rule.name == "ago" \
                and (cand.groups.get("ago") or "").lower() in self._signal_words \
                and self.lexicon.value("unit", cand.groups.get("unit")) in ("W", "D", "TH", "TM", "TS"):
            # "three days later": TimeML makes "later" a SIGNAL and the TIMEX3 the duration;
            # the narrative strategy, which rebuilds a timeline, keeps the date it points to
            return False
        if cand.rule.name in ("rate", "every_unit", "duration") and self._after_measure(doc, cand):
            return False  # "100 miles per hour", "60 km an hour": a speed, not a time
        if cand.rule.name == "rate":
            i = doc.token_at(cand.start)
            prev = doc.tokens[i - 1] if i else None
            if prev is None or prev.sent != doc.tokens[i].sent or prev.tag not in ("NNS", "CD", "$") \
                    or not prev.text[:1].isalnum() or text[cand.start].isupper():
                return False  # "a week" alone is a duration; "four flights a week" a rate
        if cand.rule.norm == "frequency":
            i = doc.token_at(cand.start)
            if i is not None and doc.tokens[i].pos in ("NOUN", "PROPN"):
                return False  # "the party daily Granma": a newspaper
            if i is not None and self._names_paper(doc, i):
                return False  # "the Communist Party daily Granma", parsed as an adjective
            if i is not None and doc.tokens[i].dep == "amod" \
                    and not self.lexicon.has("frequency_attributive", cand.groups.get("freq")):
                return False  # "quarterly dividend": an attribute, not a time
        if cand.rule.name == "day_word" and self._generic_day(doc, cand):
            return False
        if cand.rule.norm == "decade" and self.lexicon.has("possessive", cand.groups.get("_prev")):
            return False  # "in his 30s": an age, not the 1930s
        if cand.rule.norm == "reference" and following == "of" and \
                text[cand.start : cand.end].lower().startswith("the "):
            return False  # "the future of our peoples": a fate, not a time
        if cand.rule.norm == "duration" and (cand.groups.get("unit") or "").lower() == "hours" \
                and self.lexicon.has("night_hours", cand.groups.get("_prev")):
            return False  # "in the early hours of Thursday": the night, not hours
        if cand.rule.norm == "duration" and following == "old":
            return False  # an age ("52 years old"), as "a 52-year-old" is
        if cand.rule.norm == "duration" and following == "of":
            num = (cand.groups.get("num") or "").lower()
            if num in ("a", "an", "one", "half a") or (cand.groups.get("unit") or "").lower().startswith("quarter"):
                return False
        return True

    @staticmethod
    def _before_clause(doc: ParsedDoc, cand: Candidate, nxt: re.Match[str] | None) -> bool:
        """"before"/"after" ending the expression ("the year before") or right after it
        ("the year" before …) introduces a clause (dependency ``mark``)."""
        last_word = doc.text[cand.start : cand.end].rsplit(None, 1)[-1].lower()
        if last_word in ("before", "after") and cand.rule.norm != "the_unit":
            k = doc.token_at(cand.end - len(last_word))
        elif cand.rule.norm == "the_unit" and nxt and nxt.group(1).lower() in ("before", "after"):
            k = doc.token_at(nxt.start(1))
        else:
            return False
        return k is not None and doc.tokens[k].dep == "mark"

    def _after_measure(self, doc: ParsedDoc, cand: Candidate) -> bool:
        """A rate word right after a unit of length ("miles per hour", "km an hour")."""
        first = doc.text[cand.start : cand.end].split(None, 1)[0].lower()
        if first not in ("per", "a", "an"):
            return False
        i = doc.token_at(cand.start)
        return bool(i) and self.lexicon.has("measure_unit", doc.tokens[i - 1].text.lower())

    def _names_paper(self, doc: ParsedDoc, i: int) -> bool:
        """A frequency word right before a proper name that is no day or month is the
        noun "daily"/"weekly" in apposition to a paper's title ("the French daily Le Monde")."""
        if i + 1 >= len(doc.tokens) or doc.tokens[i + 1].sent != doc.tokens[i].sent:
            return False
        nxt = doc.tokens[i + 1]
        if nxt.tag not in ("NNP", "NNPS") or not nxt.text[:1].isupper():
            return False
        word = nxt.text.lower().rstrip(".")
        return not any(self.lexicon.has(t, word) for t in ("weekday", "month", "holiday"))

    def _someday(self, doc: ParsedDoc, cand: Candidate) -> bool:
        """"will one day be", "hoped he one day follows": the adverb "someday", told by
        its place between a modal (or subject) and the verb, not a stretch of one day."""
        if not self.lexicon.has("someday_phrase", doc.text[cand.start : cand.end]):
            return False
        first, last = doc.token_at(cand.start), doc.token_at(cand.end - 1)
        if first is None or last is None or last + 1 >= len(doc.tokens) or first == 0:
            return False
        before, after = doc.tokens[first - 1], doc.tokens[last + 1]
        return after.tag in ("VB", "VBP", "VBZ") and (before.tag == "MD" or before.dep in ("nsubj", "nsubjpass"))

    def _generic_day(self, doc: ParsedDoc, cand: Candidate) -> bool:
        """"today's youth", "the world of tomorrow": the present or future age, not a day."""
        i = doc.token_at(cand.start)
        if i is None:
            return False
        tok = doc.tokens[i]
        head = doc.tokens[tok.head]
        if tok.dep == "poss" or (i + 1 < len(doc.tokens) and doc.tokens[i + 1].tag == "POS"):
            owner = head  # "today's youth"
        elif tok.dep == "pobj" and head.text.lower() == "of" and head.head != head.i:
            owner = doc.tokens[head.head]  # "the people of tomorrow"
        else:
            return False
        return self.lexicon.has("generic_noun", owner.lemma) or self.lexicon.has("generic_noun", owner.text)

    def _title(self, doc: ParsedDoc, cand: Candidate) -> bool:
        """A common time word capitalised inside a sentence names a show, film or event
        ("ABC's This Week", "VOA Today"); names of days, months and holidays are always
        capitalised and prove nothing."""
        first = doc.token_at(cand.start)
        if first is None or cand.rule.norm == "holiday":
            return False
        sent = doc.sentences[doc.tokens[first].sent]
        for tok in doc.tokens[first : sent.token_end]:
            if tok.start >= cand.end:
                break
            w = tok.text
            if not w[:1].isupper() or w.isupper() or tok.i == sent.token_start:
                continue
            before = doc.text[max(0, tok.start - 4) : tok.start]
            if "\n" in before or before.rstrip()[-1:] in _OPENERS:
                continue  # a paragraph, quotation or clause starts here
            if self.lexicon.has("title_word", w):
                # unless every word is capitalised: "Markets Slump Today" is a headline
                return not _headline(doc.tokens[sent.token_start : sent.token_end])
        return False

    def _modifier(self, text: str, start: int, prev_end: int, norm: Norm) -> tuple[int, str | None]:
        """Widen the expression over a modifier right before it; return (start, mod)."""
        window_start = max(prev_end, start - 40)
        window = text[window_start:start]
        starts_with_the = text[start : start + 4].lower() == "the "
        first = _FIRST_WORD.match(text, start)
        # a count is a numeral: the vague "recent" or "several" is no number ("about recent moves")
        counted = bool(first) and (first.group(0)[0].isdigit()
                                   or self.lexicon.value("number", first.group(0)) not in (None, "X"))
        for mod in self.lexicon.modifiers:
            if norm.type not in mod.types or (mod.bare and starts_with_the):
                continue
            if norm.type in mod.counted and not counted:
                continue  # "information about today's explosion": a preposition
            m = mod.regex.search(window)
            if m:
                return window_start + m.start(), norm.mod or mod.mod
        return start, norm.mod

    @staticmethod
    def _head(doc: ParsedDoc, start: int, end: int) -> int | None:
        """Token index of the expression's syntactic head (the token whose head lies outside)."""
        first = doc.token_at(start)
        last = doc.token_at(end - 1)
        if first is None or last is None:
            return first if first is not None else last
        inside = range(first, last + 1)
        for i in inside:
            if doc.tokens[i].head not in inside or doc.tokens[i].head == i:
                return i
        return last


def _attributive_compound(doc: ParsedDoc, start: int, end: int) -> bool:
    """A hyphenated time word that modifies the noun after it ("third-quarter results",
    "a 30-day period")."""
    if "-" not in doc.text[start:end].rsplit(None, 1)[-1]:
        return False
    k = doc.token_at(end - 1)
    if k is None or k + 1 >= len(doc.tokens):
        return False
    tok = doc.tokens[k]
    return tok.dep in ("amod", "compound", "nmod", "nummod") and tok.head > k and doc.tokens[tok.head].pos == "NOUN"


def _headline(tokens: tuple[Token, ...]) -> bool:
    """A title-case sentence (a headline): most words after the first start with a capital
    (acronyms, all capitals, prove nothing)."""
    words = [t.text for t in tokens[1:] if t.text.isalpha() and not t.text.isupper()]
    return len(words) >= 2 and sum(w[:1].isupper() for w in words) >= 0.6 * len(words)


def _skip_verb(doc: ParsedDoc, start: int, end: int) -> int:
    """Start after a leading verb the pattern took for a relative word: "the strike would
    last 48 hours" is the duration "48 hours"."""
    i = doc.token_at(start)
    if i is None:
        return start
    tok = doc.tokens[i]
    if tok.pos == "VERB" and tok.text.lower() == "last" and i + 1 < len(doc.tokens) \
            and doc.tokens[i + 1].start < end:
        return doc.tokens[i + 1].start
    return start


_RULES_OF_MAX = 100_000  # distinct token texts remembered by one tagger
_FIRST_WORD = re.compile(r"[A-Za-z]+|\d")
_LAST_WORD = re.compile(r"([A-Za-z]+)\.\Z")


def _trim_period(lex: Lexicon, text: str, start: int, end: int) -> int:
    """End the match before a full stop that closes the sentence, not an abbreviation:
    "Feb." and "p.m." keep theirs, "the 4th of February." and "in May." do not (a short
    word that is whole: ``whole_short_month``)."""
    m = _LAST_WORD.search(text, start, end)
    if m and (len(m.group(1)) >= 5 or lex.has("whole_short_month", m.group(1))):
        return end - 1
    return end


def _in_url(text: str, start: int, end: int) -> bool:
    """The match lies inside a web address ("hrw.org/docs/2004/05/12/…"): path parts, not dates."""
    lo, hi = max(0, start - 300), min(len(text), end + 300)  # an address is one "word"
    left = max(text.rfind(" ", lo, start), text.rfind("\n", lo, start), text.rfind("[", lo, start), lo - 1) + 1
    stops = [i for i in (text.find(" ", end, hi), text.find("\n", end, hi), text.find("]", end, hi)) if i >= 0]
    chunk = text[left : min(stops) if stops else hi]
    return "://" in chunk or chunk.lower().startswith("www.")


def _attributive(doc: ParsedDoc, end: int) -> bool:
    """The word ending at ``end`` modifies the common noun right after it ("the March
    accession", "a May vote"): a month name used as a date, not the verb or the noun."""
    i = doc.token_at(end - 1)
    if i is None or i + 1 >= len(doc.tokens):
        return False
    tok, nxt = doc.tokens[i], doc.tokens[i + 1]
    return tok.dep in ("compound", "amod", "nmod") and tok.head == nxt.i and nxt.tag in ("NN", "NNS") \
        and nxt.text.islower()


def _normalize(cand: Candidate, ctx: Context) -> Norm | None:
    """Run the rule's normalizer; calendar overflow at the ends of time (year 1, 9999)
    drops the expression rather than the document."""
    try:
        return NORMALIZERS[cand.rule.norm](cand.groups, ctx)
    except (ValueError, OverflowError):
        return None


# what may stand between the two ends of a range: "March 3 to 5, 2018", "May-August 2018"
_RANGE_LINK = re.compile(r"\s*(?:-|–|—|to|through|thru|until|till|and)\s*\Z", re.I)
_CALENDAR = re.compile(r"\d{4}-\d\d(?:-\d\d)?\Z")


def _year_source(cand: Candidate) -> str:
    """Whether a calendar date's year was written ("given": "March 3, 2018", "May 9 last
    year") or supplied from the reference time and tense ("implied": "March 3", "May")."""
    g = cand.groups
    if g.get("year") or g.get("syear") or (cand.rule.norm in ("ym_rel", "md_rel") and g.get("rel")):
        return "given"
    if cand.rule.norm in ("md", "month") and not g.get("rel"):
        return "implied"
    if cand.rule.norm == "clock" and not any(g.get(k) for k in ("wd", "dw", "month", "month2")):
        return "clock"  # a bare clock time, on the day under discussion
    return ""


def _share_range_years(text: str, out: list[TimeExpr], years: list[str]) -> list[TimeExpr]:
    """The two ends of a range share the year written at one of them: in "from March 3 to 5,
    2018" or "between May and August last year" the first end is in 2018 / last year, not
    in the year the DCT would give it; "from Dec. 20, 2018 to Jan. 5" ends in 2019. A
    pair runs forwards, so an end that would come before its start moves a year (a day,
    for clock times: "from 10 p.m. to 5 a.m.")."""
    out = list(out)
    for k in range(len(out) - 1):
        a, b = out[k], out[k + 1]
        if a.sentence != b.sentence or not _RANGE_LINK.fullmatch(text[a.end : b.start]):
            continue
        if years[k] == years[k + 1] == "clock" and a.value[:10] == b.value[:10] and b.value < a.value:
            # "a curfew from 10 p.m. to 5 a.m.": the end is on the next day
            nxt = dt.date.fromisoformat(b.value[:10]) + dt.timedelta(days=1)
            out[k + 1] = replace(b, value=cal.day(nxt) + b.value[10:])
            continue
        if not (_CALENDAR.fullmatch(a.value) and _CALENDAR.fullmatch(b.value)):
            continue
        if years[k] == "implied" and years[k + 1] == "given":
            moved = _in_order(a.value, int(b.value[:4]), b.value, -1)
            out[k] = replace(a, value=moved or a.value)
        elif years[k] == years[k + 1] == "implied" and _after(a.value, b.value):
            # "the previous quarter (July to September)": each end took its own year and the
            # range came out backwards; news looks back, so the start moves a year back
            out[k] = replace(a, value=_with_year(a.value, int(a.value[:4]) - 1) or a.value)
        elif years[k] == "given" and years[k + 1] == "implied":
            moved = _in_order(b.value, int(a.value[:4]), a.value, 1)
            out[k + 1] = replace(b, value=moved or b.value)
    return out


def _after(x: str, y: str) -> bool:
    """Is calendar value ``x`` later than ``y``, compared at the coarser of the two?"""
    return x[: len(y)] > y[: len(x)]


def _in_order(value: str, year: int, other: str, step: int) -> str | None:
    """``value`` moved to ``year``, or one more ``step`` (−1 for a start, +1 for an end)
    when that puts it on the wrong side of the range's ``other`` end."""
    moved = _with_year(value, year)
    if moved is not None and (_after(moved, other) if step < 0 else _after(other, moved)):
        moved = _with_year(value, year + step)
    return moved


def _with_year(value: str, year: int) -> str | None:
    """``value`` ("2020-03-03", "2020-05") moved to ``year``; None for a 29 February."""
    moved = f"{year:04d}{value[4:]}"
    if len(moved) == 10:
        try:
            dt.date.fromisoformat(moved)
        except ValueError:
            return None
    return moved


_ENDED = re.compile(r"\b(?:ended|ending|ends)\s+\Z", re.I)


def _period_end(text: str, start: int) -> bool:
    """True for the closing date of an accounting period ("the quarter ended Sept. 30"):
    it labels the period under discussion, so "a year earlier" still means that period."""
    return _ENDED.search(text, max(0, start - 12), start) is not None


def _remember(norm: Norm, last_value: str | None, last_day: dt.date | None) -> tuple[str | None, dt.date | None]:
    """Update the narrative memory with an expression that names a calendar time."""
    if norm.type not in ("DATE", "TIME") or not norm.value[:4].isdigit():
        return last_value, last_day
    value = norm.value.split("T")[0]
    if len(value) >= 10:
        try:
            last_day = dt.date.fromisoformat(value[:10])
        except ValueError:
            pass
    return value, last_day
