"""The time stage on real parses: one table row per expression family (TIMEX3 values,
types, mods, tense-directed weekdays, anaphora), plus the anchor token events rely on."""

from __future__ import annotations

import pytest

from kronika.config import Settings
from kronika.model import TimeExpr
from kronika.time import TimeTagger


@pytest.fixture(scope="module")
def tagger() -> TimeTagger:
    return TimeTagger(Settings())


@pytest.fixture(scope="module")
def tag(parse, tagger):
    def _tag(text: str, date: str = "2019-05-30") -> list[TimeExpr]:
        return list(tagger(parse(text, date)))

    return _tag


def _find(times: list[TimeExpr], needle: str) -> TimeExpr:
    for t in times:
        if needle in t.text:
            return t
    raise AssertionError(f"{needle!r} not tagged; got {[t.text for t in times]}")


# (sentence, DCT, words inside the expression, type, value)
CASES = [
    # full and partial calendar dates
    ("The treaty was signed on May 30, 2019 in Rome.", "2019-06-10", "May 30, 2019", "DATE", "2019-05-30"),
    ("The treaty was signed on 3 March 2017.", "2019-06-10", "3 March 2017", "DATE", "2017-03-03"),
    ("Talks began in November 2013.", "2019-05-30", "November 2013", "DATE", "2013-11"),
    ("The law dates from 1998.", "2019-05-30", "1998", "DATE", "1998"),
    ("Prices peaked in the 1990s.", "2019-05-30", "1990s", "DATE", "199"),
    ("It was built in the 19th century.", "2019-05-30", "century", "DATE", "18"),
    ("Growth slowed in the second quarter of 2018.", "2019-05-30", "second quarter", "DATE", "2018-Q2"),
    ("Sales fell in the first half of 2018.", "2019-05-30", "first half", "DATE", "2018-H1"),
    ("They met in the summer of 2015.", "2019-05-30", "summer", "DATE", "2015-SU"),
    ("Payment is due on Dec. 20.", "2019-11-02", "Dec. 20", "DATE", "2019-12-20"),
    ("He was born in nineteen ninety-six.", "2019-05-30", "ninety-six", "DATE", "1996"),
    ("The parade is on Thanksgiving Day.", "2019-05-30", "Thanksgiving", "DATE", "2019-11-28"),
    # relative to the document date
    ("Officials said yesterday that talks failed.", "2019-05-30", "yesterday", "DATE", "2019-05-29"),
    ("The minister arrived last week.", "2019-05-30", "last week", "DATE", "2019-W21"),
    ("Elections will be held next month.", "2019-05-30", "next month", "DATE", "2019-06"),
    ("They met in July last year in Moscow.", "2019-05-30", "July last year", "DATE", "2018-07"),
    ("The plant closed two years ago.", "2019-05-30", "two years ago", "DATE", "2017"),
    ("Exports rose earlier this year.", "2019-05-30", "this year", "DATE", "2019"),
    ("The summit is at the end of next month.", "2019-05-30", "next month", "DATE", "2019-06"),
    ("Prices fell last fall.", "2019-05-30", "last fall", "DATE", "2018-FA"),
    ("The firm reported losses this quarter.", "2019-05-30", "this quarter", "DATE", "2019-Q2"),
    ("Markets are calm now.", "2019-05-30", "now", "DATE", "PRESENT_REF"),
    ("Prices have risen recently.", "2019-05-30", "recently", "DATE", "PAST_REF"),
    ("Rates may rise in the future.", "2019-05-30", "the future", "DATE", "FUTURE_REF"),
    ("Prices will rise in the short term.", "2019-05-30", "the short term", "DATE", "FUTURE_REF"),
    # times of day
    ("The vote ended at 10:30 p.m. on Tuesday.", "2019-05-30", "10:30 p.m.", "TIME", "2019-05-28T22:30"),
    ("The vote ends at 9 a.m.", "2019-05-30", "9 a.m.", "TIME", "2019-05-30T09:00"),
    ("The minister spoke this morning.", "2019-05-30", "this morning", "TIME", "2019-05-30TMO"),
    ("Troops moved in on Friday night.", "2019-06-03", "Friday night", "TIME", "2019-05-31TNI"),
    # durations
    ("The talks lasted three months.", "2019-05-30", "three months", "DURATION", "P3M"),
    ("The strike lasted two hours.", "2019-05-30", "two hours", "DURATION", "PT2H"),
    ("The dispute has gone on for years.", "2019-05-30", "years", "DURATION", "PXY"),
    ("It signed a two-year contract.", "2019-05-30", "two-year", "DURATION", "P2Y"),
    ("The refugees lived in camps for 2 1/2 years.", "2019-05-30", "1/2 years", "DURATION", "P2Y6M"),
    ("She spent 5 1/2 hours in Nairobi.", "2019-05-30", "hours", "DURATION", "PT5H30M"),
    ("A minute and a half later the pilot called.", "2019-05-30", "minute", "DURATION", "PT1M30S"),
    ("The feud lasted three decades.", "2019-05-30", "decades", "DURATION", "P3DE"),
    ("The dynasty ruled for two centuries.", "2019-05-30", "centuries", "DURATION", "P2CE"),
    ("The offer expires at 5 p.m. EST Nov. 9.", "2019-11-02", "Nov. 9", "TIME", "2019-11-09T17:00"),
    ("On May 20, 2018, the bomb went off at 10 p.m. in the market.", "2019-05-30", "10 p.m.", "TIME",
     "2018-05-20T22:00"),
    ("The bank agreed to acquire the lender in January.", "2019-11-02", "January", "DATE", "2020-01"),
    ("The talks have been deadlocked for months.", "2019-05-30", "months", "DURATION", "PXM"),
    # sets
    ("The paper is published daily.", "2019-05-30", "daily", "SET", "P1D"),
    ("The council meets every week.", "2019-05-30", "every week", "SET", "P1W"),
    ("The board meets each Thursday.", "2019-05-30", "Thursday", "SET", "XXXX-WXX-4"),
]


@pytest.mark.parametrize(("text", "dct", "needle", "type_", "value"), CASES)
def test_time_expression_families(tag, text: str, dct: str, needle: str, type_: str, value: str) -> None:
    t = _find(tag(text, dct), needle)
    assert (t.type, t.value) == (type_, value), t


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Kono and Lavrov met Thursday in Tokyo.", "2019-05-30"),  # DCT is a Thursday
        ("The ministers met on Tuesday.", "2019-05-28"),
        ("The ministers will meet on Tuesday.", "2019-06-04"),
        ("On Friday Kono and Lavrov will meet again.", "2019-05-31"),
        ("The ministers are meeting on Monday.", "2019-06-03"),
        ("The ministers plan to meet on Monday.", "2019-06-03"),
        ("Protesters planned a rally on Saturday.", "2019-06-01"),
        ("The ministers had met on Monday.", "2019-05-27"),
        ("The ministers met last Thursday.", "2019-05-23"),
        ("The ministers meet next Thursday.", "2019-06-06"),
        # a bare participle is past: the reduced relative clause of a news report
        ("The decision, announced Tuesday, would be appealed.", "2019-05-28"),
        ("The injunction issued Monday will stay in force.", "2019-05-27"),
    ],
)
def test_time_weekday_direction_follows_tense(tag, text: str, value: str) -> None:
    t = _find(tag(text), "day")
    assert t.value == value


def test_time_end_of_next_month_keeps_month_precision_and_mod(tag) -> None:
    t = _find(tag("The two leaders will sign the accord at the end of next month in Geneva."), "next month")
    assert (t.value, t.mod) == ("2019-06", "END")
    assert t.text == "the end of next month"


@pytest.mark.parametrize(
    ("text", "needle", "mod"),
    [
        ("Prices rose in early 2018.", "2018", "START"),
        ("Prices rose in mid-2018.", "2018", "MID"),
        ("It took more than four hours.", "hours", "MORE_THAN"),
        ("It took about two weeks.", "weeks", "APPROX"),
        ("It took less than a year.", "year", "LESS_THAN"),
    ],
)
def test_time_modifiers(tag, text: str, needle: str, mod: str) -> None:
    assert _find(tag(text), needle).mod == mod


def test_time_anaphora_follow_the_last_mentioned_time(tag) -> None:
    times = tag("Profit rose in the third quarter of 2018. A year earlier it had fallen.", "2019-05-30")
    assert _find(times, "year earlier").value == "2017-Q3"
    times = tag("The war began in 1998. The following year a truce was signed.", "2019-05-30")
    assert _find(times, "following year").value == "1999"


def test_time_period_end_dates_do_not_become_the_antecedent(tag) -> None:
    times = tag("Profit rose 5% in the third quarter ended Sept. 30. A year earlier it had fallen.", "2019-10-30")
    assert _find(times, "year earlier").value == "2018-Q3"


def test_time_ages_are_not_durations(tag) -> None:
    times = tag("Mr. Reupke, 52 years old, will retire.", "2019-05-30")
    assert [t.text for t in times if t.type == "DURATION"] == []


def test_time_narrative_strategy_anchors_to_last_date(parse) -> None:
    narrative = TimeTagger(Settings(time_strategy="narrative"))
    news = TimeTagger(Settings())
    doc = parse("On March 3, 2001, the army entered the city. The next day it withdrew. "
                "Two days later it returned.", "2019-05-30")
    assert _find(list(narrative(doc)), "next day").value == "2001-03-04"
    assert _find(list(narrative(doc)), "Two days later").value == "2001-03-06"
    assert _find(list(news(doc)), "next day").value == "2001-03-04"  # anaphoric in both


@pytest.mark.parametrize(
    "text",
    [
        "You may go now or you may stay.",  # "may" is a modal
        "The army sent 2000 troops to the border.",  # a count, not a year
        "Shares fell to $1999 a share.",
        "Prices fall when demand is weak.",
        "He won a quarter of the vote.",
        "The quarterly dividend was raised.",
    ],
)
def test_time_non_expressions_are_not_tagged(tag, text: str) -> None:
    values = [(t.text, t.value) for t in tag(text) if t.value != "PRESENT_REF"]
    assert values == []


def test_time_anchor_token_is_the_head_of_the_expression(tag, parse, tagger) -> None:
    doc = parse("Foreign ministers met on the sidelines last week in Tokyo.")
    t = _find(list(tagger(doc)), "last week")
    assert doc.tokens[t.anchor_token].text == "week"
    assert doc.text[t.start : t.end] == t.text
    assert t.sentence == 0
    assert t.rule
