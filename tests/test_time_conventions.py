"""TIMEX3 conventions, one test per family: the direction of weekdays
under a simple present or a deadline, accounting years and quarters, spelled-out years,
ISO weeks of a date, titles that look like times, signals outside the extent, durations
with a qualifier. Sentences are invented; DCT weekdays: 2019-05-31 is a Friday."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kronika.config import Settings
from kronika.model import TimeExpr
from kronika.time import TimeTagger
from kronika.time.lexicon import load_lexicon
from kronika.time.normalize import _spelled_year

_ONES = ["", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
_TEENS = ["ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
          "eighteen", "nineteen"]
_TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
LEX = load_lexicon()


def _spell(year: int) -> str:
    """1996 → "nineteen ninety-six", 1900 → "nineteen hundred", 2007 → "two thousand seven"."""
    if 2000 <= year <= 2010:
        return "two thousand" + (f" {_TEENS[0] if year == 2010 else _ONES[year - 2000]}" if year > 2000 else "")
    century, rest = divmod(year, 100)
    head = _TEENS[century - 10] if century < 20 else "twenty"
    if rest == 0:
        return f"{head} hundred"
    if rest < 20:
        return f"{head} {_TEENS[rest - 10]}"
    tens, ones = divmod(rest, 10)
    return f"{head} {_TENS[tens]}" + (f"-{_ONES[ones]}" if ones else "")


@pytest.fixture(scope="module")
def tag(parse):
    tagger = TimeTagger(Settings())

    def _tag(text: str, date: str = "2019-05-31") -> list[TimeExpr]:
        return list(tagger(parse(text, date)))

    return _tag


def _value(times: list[TimeExpr], needle: str) -> str:
    for t in times:
        if needle in t.text:
            return t.value
    raise AssertionError(f"{needle!r} not tagged; got {[(t.text, t.value) for t in times]}")


@pytest.mark.parametrize(
    ("text", "needle", "value"),
    [
        # a simple present schedules ahead ...
        ("The two leaders meet separately Monday with the foreign minister.", "Monday", "2019-06-03"),
        # ... unless it reports speech, or the day dates a noun
        ("The minister says Monday that talks failed.", "Monday", "2019-05-27"),
        ("The move follows Tuesday's decision by the board.", "Tuesday", "2019-05-28"),
        # a day the parser attaches to a following name stays with the verb's tense
        ("On Friday Smith and Jones will meet again in Paris.", "Friday", "2019-05-31"),
        ("On Monday Smith and Jones will meet again in Paris.", "Monday", "2019-06-03"),
        # a deadline set before the time of writing lies ahead of it
        ("The agency has given the family until 9 a.m. Tuesday to sign.", "Tuesday", "2019-06-04T09:00"),
        ("Until Thursday, the police had not named a suspect.", "Thursday", "2019-05-30"),
    ],
)
def test_time_weekday_present_and_deadline(tag, text: str, needle: str, value: str) -> None:
    assert _value(tag(text), needle) == value


@pytest.mark.parametrize(
    ("text", "dct", "needle", "type_", "value"),
    [
        ("Sales for the year rose 13%.", "1989-10-30", "the year", "DATE", "1989"),
        ("The company forecast higher earnings for the full year.", "1989-10-30", "full year", "DATE", "1989"),
        ("For the year ended Sept. 30, the company earned $422 million.", "1989-10-30", "the year", "DURATION", "P1Y"),
        # a year cited in passing does not become "the year"
        ("Sales have doubled since 1992. Profit for the year rose.", "1989-10-30", "the year", "DATE", "1989"),
        # "ended" closes a period: the date is not ahead of the DCT
        ("In the fiscal year ended Jan. 31, sales were $59 million.", "1989-10-31", "Jan. 31", "DATE", "1989-01-31"),
        ("In the quarter ended Oct. 31, the company lost money.", "1989-10-27", "Oct. 31", "DATE", "1988-10-31"),
    ],
)
def test_time_accounting_periods(tag, text: str, dct: str, needle: str, type_: str, value: str) -> None:
    t = [x for x in tag(text, dct) if needle in x.text]
    assert t, f"{needle!r} not tagged"
    assert (t[0].type, t[0].value) == (type_, value)


def test_time_period_a_year_back_keeps_the_quarter(tag) -> None:
    text = ("Profit rose in the third quarter. Results for the quarter a year ago were lower. "
            "Sales for the corresponding period last year were flat. U.K. sales for last year's "
            "quarter were $3 million.")
    times = tag(text, "1989-10-30")
    assert _value(times, "the quarter a year ago") == "1988-Q3"
    assert _value(times, "corresponding period last year") == "1988-Q3"
    assert _value(times, "last year's quarter") == "1988-Q3"


def test_time_forecast_quarter_is_no_reported_period(tag) -> None:
    text = ("Profit fell in the third quarter. Analysts expect losses through the third quarter of 1990. "
            "In the year-ago period, the company earned $101 million.")
    assert _value(tag(text, "1989-10-26"), "year-ago period") == "1988-Q3"


@pytest.mark.parametrize(
    ("text", "needle", "value"),
    [
        ("January nineteen ninety-seven. Atlanta again.", "January nineteen ninety-seven", "1997-01"),
        ("Prices fell to the level we saw in the winter of nineteen ninety-four.", "winter of nineteen", "1994-WI"),
        ("The law took effect in the year two thousand.", "two thousand", "2000"),
    ],
)
def test_time_spelled_years_inside_months_and_seasons(tag, text: str, needle: str, value: str) -> None:
    times = tag(text, "1998-02-27")
    assert _value(times, needle) == value
    assert len(times) == 1  # one expression, not a month and a year


def test_time_week_of_a_date_is_its_iso_week(tag) -> None:
    times = tag("The case may be resolved in a court hearing the week of March 6.", "2000-02-24")
    assert [(t.text, t.value) for t in times] == [("the week of March 6", "2000-W10")]


@pytest.mark.parametrize(
    "text",
    [
        'Baker said on ABC\'s "This Week" that the request was legal.',
        "This is VOA Today.",
        "The answer came on CBS's 60 Minutes last night.",
        "That is very important to the future of our peoples.",
        "His father married her when he was in his early 30s.",
    ],
)
def test_time_titles_and_fates_are_not_times(tag, text: str) -> None:
    bad = [t.text for t in tag(text) if t.text.lower() in ("this week", "today", "minutes", "the future", "early 30s")]
    assert bad == []


def test_time_capitalised_words_at_sentence_or_quote_start_stay_times(tag) -> None:
    times = tag('Prices rose. Today, hundreds arrived. "Today is a sad day," he said.')
    assert [t.value for t in times if t.text == "Today"] == ["2019-05-31", "2019-05-31"]


@pytest.mark.parametrize(
    ("text", "needle", "value"),
    [
        ("The navy may use the base for at least 20 more years.", "20 more years", "P20Y"),
        ("Eight trading days after the crash, the index recovered.", "Eight trading days", "P8D"),
        ("It followed a several-year tenure as editor.", "several-year", "PXY"),
    ],
)
def test_time_durations_with_a_qualifier(tag, text: str, needle: str, value: str) -> None:
    assert _value(tag(text), needle) == value


@pytest.mark.parametrize(("text", "needle"), [
    ("Three days later, the index was down 6%.", "Three days"),
    ("A day earlier, trucks crossed the border.", "A day"),
])
def test_time_later_and_earlier_are_signals_outside_a_duration(tag, text: str, needle: str) -> None:
    times = tag(text)
    assert [(t.text, t.type) for t in times] == [(needle, "DURATION")]


@pytest.mark.parametrize(
    ("text", "dct", "needle", "value"),
    [
        # a month dating a noun is one already past
        ("The company will try to sell itself under a June agreement with shareholders.", "1989-10-27", "June", "1989-06"),
        # a limit set by a present perfect lies ahead
        ("The banks have extended loans through January.", "1989-10-30", "January", "1990-01"),
        # a past tense with a month two or more months ahead means last year's
        ("The operator changed to a calendar year in December.", "1989-10-27", "December", "1988-12"),
    ],
)
def test_time_month_direction(tag, text: str, dct: str, needle: str, value: str) -> None:
    assert _value(tag(text, dct), needle) == value


@pytest.mark.parametrize(
    ("text", "dct", "expected"),
    [
        # a date after "the night of Friday" is the expression, not the part of day
        ("He was shot on the night of Friday, Oct. 23, at home.", "1998-11-21",
         [("Friday, Oct. 23", "1998-10-23")]),
        # the second day of a pair is tagged on its own, the month before it is context
        ("The summit will be held on April 24 and 25 in Washington.", "1999-02-10",
         [("April 24", "1999-04-24"), ("25", "1999-04-25")]),
        ("The summit will be held on April 24 and 25 percent of seats are taken.", "1999-02-10",
         [("April 24", "1999-04-24")]),
        # "the month" is the reference month, so "the end of the month" can carry END
        ("Troops should arrive by the end of the month.", "1990-08-13", [("the end of the month", "1990-08")]),
        ("Protesters gathered this past weekend.", "2013-03-22", [("this past weekend", "2013-W11-WE")]),
    ],
)
def test_time_days_around_other_expressions(tag, text: str, dct: str, expected: list[tuple[str, str]]) -> None:
    assert [(t.text, t.value) for t in tag(text, dct)] == expected


@given(st.integers(1900, 2099).filter(lambda y: y % 100 == 0 or y % 100 >= 10 or 2000 <= y <= 2010))
def test_time_spelled_years_read_back(year: int) -> None:
    assert _spelled_year(LEX, _spell(year)) == year


@pytest.mark.parametrize("text", ["", "nineteen", "ninety-six", "two thousand thousand", "nineteen ten five",
                                  "nineteen twenty-one extra"])
def test_time_spelled_years_reject_non_years(text: str) -> None:
    assert _spelled_year(LEX, text) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a part of the day alone belongs to the day under discussion
        ("Prices fell on Tuesday. Dealers placed heavy orders in the morning.",
         [("Tuesday", "2019-05-28"), ("the morning", "2019-05-28TMO")]),
        ("By mid afternoon, officials were saying the operation was over.", [("mid afternoon", "2019-05-31TAF")]),
        # the part of the day says a.m. or p.m.
        ("The father will leave at 4 in the morning.", [("4 in the morning", "2019-05-31T04:00")]),
        ("The vote ended at 11 at night.", [("11 at night", "2019-05-31T23:00")]),
    ],
)
def test_time_parts_of_the_day(tag, text: str, expected: list[tuple[str, str]]) -> None:
    assert [(t.text, t.value) for t in tag(text)] == expected


def test_time_the_verb_last_is_not_part_of_a_duration(tag) -> None:
    times = tag("Officials said Thursday that the strike would last 48 hours.")
    assert [(t.text, t.value) for t in times] == [("Thursday", "2019-05-30"), ("48 hours", "PT48H")]


def test_time_title_case_headlines_keep_their_times(tag) -> None:
    times = tag("Markets Slump Today As Oil Prices Soar\n\nOil prices rose on Friday.")
    assert [t.text for t in times] == ["Today", "Friday"]


def test_time_rule_file_checks_fragments_and_offsets() -> None:
    from kronika.errors import ConfigError
    from kronika.time.lexicon import compile_lexicon

    ok = compile_lexicon({"fragments": {"yy": r"\d\d"}, "patterns": [
        {"name": "r", "regex": "in (?P<y>{yy})", "norm": "year", "offset": "y"}]})
    assert ok.rules[0].offset == "y" and ok.rules[0].regex.search("in 99")
    with pytest.raises(ConfigError):
        compile_lexicon({"patterns": [{"name": "r", "regex": "(?P<y>x)", "norm": "year", "offset": "z"}]})
    with pytest.raises(ConfigError):
        compile_lexicon({"words": {"yy": ["a"]}, "fragments": {"yy": "b"}})


@pytest.mark.parametrize(
    ("text", "needle", "value"),
    [
        # a plan reported in the past: the nearer of the two days (DCT Friday 2019-05-31)
        ("Protesters planned a large demonstration on Saturday.", "Saturday", "2019-06-01"),
        ("A memorial service planned for Thursday was canceled.", "Thursday", "2019-05-30"),
        # "postponed until" stays ahead however far
        ("Officials postponed until Wednesday any action on the permit.", "Wednesday", "2019-06-05"),
        ("The agency extended its deadline until 9 a.m. Tuesday.", "Tuesday", "2019-06-04T09:00"),
        # "could" reads as a past here, not a modal future
        ("His relatives could not be located Wednesday in their hometown.", "Wednesday", "2019-05-29"),
    ],
)
def test_time_weekday_under_plans_and_could(tag, text: str, needle: str, value: str) -> None:
    assert _value(tag(text), needle) == value


def test_time_recurring_attributes_are_sets_but_kinds_are_not(tag) -> None:
    times = tag("Castro spoke at what has become a daily rally, and the bank paid its quarterly dividend.")
    assert [(t.text, t.type, t.value) for t in times] == [("daily", "SET", "P1D")]
    times = tag("The president gave his weekly radio address.")
    assert [(t.text, t.type, t.value) for t in times] == [("weekly", "SET", "P1W")]


def test_time_a_rate_after_a_large_count_is_not_part_of_a_duration(tag) -> None:
    times = tag("The economy created jobs at a rate of 358,000 a month.")
    assert all("358" not in t.text and "358" not in t.value for t in times)


def test_time_signalled_duration_points_at_the_day_it_counts_from(tag) -> None:
    """TimeML tags "three days later" as the DURATION "three days"; ``date`` keeps the day it
    points to for event dating, counted from the last mentioned day, never from the DCT."""
    times = tag("Rebels attacked the town on Monday. Three days later, troops withdrew.")
    later = [t for t in times if t.text == "Three days"][0]
    assert (later.type, later.value, later.date) == ("DURATION", "P3D", "2019-05-30")
    assert [t.date for t in tag("Three days later, troops withdrew.")] == [None]
    chain = tag("The talks began on May 3. Two days later the envoys left. The next day they returned.")
    assert [(t.text, t.value, t.date) for t in chain] == [
        ("May 3", "2019-05-03", None), ("Two days", "P2D", "2019-05-05"), ("The next day", "2019-05-06", None)]


def test_events_signalled_duration_dates_its_event(pipeline) -> None:
    from kronika.library import analyze

    text = "Rebels attacked the town of Goma on Monday. Three days later, Congolese troops withdrew from the city."
    dates = {e.type: e.date for e in analyze(text, "2019-05-31", pipeline=pipeline).events}
    assert dates["ASSAULT"].value == "2019-05-27"
    assert (dates["RETREAT"].value, dates["RETREAT"].text, dates["RETREAT"].origin) == \
        ("2019-05-30", "Three days later", "text")
    alone = analyze("Three days later, Congolese troops withdrew from the city.", "2019-05-31", pipeline=pipeline)
    assert [(e.date.value, e.date.origin) for e in alone.events] == [("2019-05-31", "document")]


def test_time_generic_today_is_the_present_age_not_a_day(tag) -> None:
    assert tag("The case is for today's youth what the blockade was for their parents.") == []
    assert tag("If I were choosing the people of tomorrow, I would choose them.") == []
    assert [(t.text, t.value) for t in tag("Today's meeting ended early.")] == [("Today", "2019-05-31")]


def test_time_weekday_with_plural_part_of_day_is_a_set(tag) -> None:
    assert [(t.type, t.value) for t in tag("The club meets Tuesday nights.")] == [("SET", "XXXX-WXX-2TNI")]
    assert [(t.type, t.value) for t in tag("He spoke Tuesday night.")] == [("TIME", "2019-05-28TNI")]


def test_time_one_day_before_its_verb_means_someday(tag) -> None:
    assert [(t.type, t.value) for t in tag("Islam will one day be the second largest religion.")] == \
        [("DATE", "FUTURE_REF")]
    assert [(t.type, t.value) for t in tag("The offer lasted one day.")] == [("DURATION", "P1D")]


def _spans(times: list[TimeExpr]) -> list[tuple[str, str]]:
    return [(t.text, t.value) for t in times]


def test_time_single_quotes_do_not_hide_an_expression(tag) -> None:
    # British quoting and wiki bold markers put an apostrophe right before the time word
    assert _spans(tag("'Today is a good day,' he said.")) == [("Today", "2019-05-31")]
    assert _spans(tag("'''December 2004''' South American nations began talks.")) == [("December 2004", "2004-12")]
    # ... while an apostrophe inside a word still blocks a match ("rock'n'May" is no month)
    assert tag("They played rock'n'May songs.") == []


def test_time_sentence_full_stop_is_outside_the_extent(tag) -> None:
    assert _spans(tag("It began on the 4th of February.")) == [("the 4th of February", "2019-02-04")]
    assert _spans(tag("He arrives in May.")) == [("May", "2019-05")]
    # abbreviations keep their stop
    assert _spans(tag("They met on Feb. 4.")) == [("Feb. 4", "2019-02-04")]
    assert _spans(tag("It began at 5 p.m.")) == [("5 p.m.", "2019-05-31T17:00")]


def test_time_the_year_and_its_number_are_one_expression(tag) -> None:
    assert _spans(tag("Benefits are not guaranteed by the year 2075.")) == [("the year 2075", "2075")]


def test_time_web_addresses_hold_no_dates(tag) -> None:
    times = tag("See http://hrw.org/docs/2004/05/12/brazil.htm and www.example.com/2005/03 for May 12, 2004.")
    assert _spans(times) == [("May 12, 2004", "2004-05-12")]


def test_time_attributive_month_after_a_determiner(tag) -> None:
    assert _spans(tag("The March accession will enable them to join.")) == [("March", "2019-03")]
    # a capitalised "March" that is the noun is still no month
    assert tag("The March on Washington drew crowds.") == []


def test_time_daily_before_a_paper_title_is_the_newspaper(tag) -> None:
    assert tag("It appeared in the Communist Party daily Granma.") == []
    assert [(t.type, t.value) for t in tag("They hold a daily rally.")] == [("SET", "P1D")]
    assert [(t.text, t.type) for t in tag("The museum is open daily Monday through Friday.")][0] == \
        ("daily", "SET")


def test_time_about_before_a_day_is_a_preposition(tag) -> None:
    today = tag("The military had no information about today's explosion.")
    assert [(t.text, t.mod) for t in today] == [("today", None)]
    assert [(t.text, t.mod) for t in tag("It happened about two years ago.")] == [("about two years ago", "APPROX")]
    assert [(t.text, t.mod) for t in tag("It lasted about 12 days.")] == [("about 12 days", "APPROX")]


def test_time_vague_count_before_a_signal_is_a_duration(tag) -> None:
    assert [(t.text, t.type, t.value) for t in tag("A few seconds after that the troops opened fire.")] == \
        [("A few seconds", "DURATION", "PTXS")]
    assert [(t.text, t.type, t.value) for t in tag("The approach bore fruit a few years later.")] == \
        [("a few years", "DURATION", "PXY")]
    # "ago" counts from the time of writing: a vague past
    assert _spans(tag("It happened a few years ago.")) == [("a few years ago", "PAST_REF")]


def test_time_some_before_a_year_is_a_determiner(tag) -> None:
    assert [(t.text, t.mod) for t in tag("The recall affects some 2015 models.")] == [("2015", None)]


def test_time_some_before_a_number_keeps_the_number(tag) -> None:
    assert _spans(tag("The talks lasted some three hours.")) == [("some three hours", "PT3H")]
    assert _spans(tag("The empire lasted several hundred years.")) == [("several hundred years", "PXY")]


def test_time_space_before_the_comma_of_a_date(tag) -> None:
    assert _spans(tag("On June 2 , 2000 , an accident happened.")) == [("June 2 , 2000", "2000-06-02")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The Q1 2012 estimate of GDP rose.", [("Q1 2012", "2012-Q1")]),
        ("In 2011 Q4 sales rose.", [("2011 Q4", "2011-Q4")]),
        ("Sales in H1 2012 rose.", [("H1 2012", "2012-H1")]),
        ("Sales in Q4 '11 rose.", [("Q4 '11", "2011-Q4")]),
        # a bare code takes the anchor's year, the year before under a past verb ...
        ("Profits in Q3 fell.", [("Q3", "2018-Q3")]),
        # ... and needs a cue: a car model, a question number, an HTML heading are no quarters
        ("He drove an Audi Q3 home.", []),
        ("Q1: What did you expect?", []),
        ("See <h1>Title</h1> here.", []),
    ],
)
def test_time_quarter_codes(tag, text, expected) -> None:
    assert _spans(tag(text)) == expected


def test_time_financial_is_the_british_fiscal(tag) -> None:
    assert _spans(tag("In the last financial quarter, Mac sales increased.")) == \
        [("the last financial quarter", "2019-Q1")]
    ended = tag("The sale should be completed by the end of this financial year.")
    assert [(t.text, t.value, t.mod) for t in ended] == [("the end of this financial year", "2019", "END")]


def test_time_year_before_a_named_plural_is_a_year(tag) -> None:
    assert _spans(tag("The US has been at war since the 2001 World Trade Center attacks.")) == [("2001", "2001")]
    assert _spans(tag("Analysts were predicting 1990 BellSouth earnings of $3.90 a share.")) == [("1990", "1990")]
    # a count stays a count, adjectives or not
    assert tag("They sent 2000 American troops.") == []


def test_time_simple_present_schedules_a_date_ahead(tag) -> None:
    # DCT 2019-05-31: a schedule more than a month behind moves to next year
    assert _spans(tag("The law takes effect on Jan. 1.")) == [("Jan. 1", "2020-01-01")]
    assert _spans(tag("The law took effect on Jan. 1.")) == [("Jan. 1", "2019-01-01")]
    assert _spans(tag("The festival opens in February.")) == [("February", "2020-02")]
    assert _spans(tag("The festival opens in May.")) == [("May", "2019-05")]
    # the end of a span is no appointment
    assert _value(tag("The report covers the period from January to June."), "January") == "2019-01"


@pytest.mark.parametrize(
    ("text", "needle", "value"),
    [
        # a weekday between a verb of saying and its clause's subject dates the saying
        ("The company said on Monday it would cut 500 jobs.", "Monday", "2019-05-27"),
        ("The company said it would cut 500 jobs on Monday.", "Monday", "2019-06-03"),
        # a dated noun is behind, unless a preposition of the verb looks ahead to it
        ("The talks come ahead of Tuesday's summit.", "Tuesday", "2019-06-04"),
        ("Rebels must lay down arms before Thursday's deadline.", "Thursday", "2019-06-06"),
        ("Police will investigate Thursday's attack.", "Thursday", "2019-05-30"),
        ("Nestle's share of 7% before Thursday's purchases is far below the others.", "Thursday", "2019-05-30"),
        # ... and either side, the nearer, under a past verb
        ("Officials met ahead of Monday's summit.", "Monday", "2019-06-03"),
        # a reduced relative takes the tense of its clause
        ("The vote, set for Sunday, is seen as a test.", "Sunday", "2019-06-02"),
        # "will" puts a date a week or more behind the DCT into next year ...
        ("He will be sworn in on Jan. 20.", "Jan. 20", "2020-01-20"),
        ("The election, scheduled for March 5, will be close.", "March 5", "2020-03-05"),
        # ... a forward verb in the simple past only with a preposition that carries it ahead
        ("The job figures for January extended a surge in hiring.", "January", "2019-01"),
        ("They postponed the vote to Sunday.", "Sunday", "2019-06-02"),
    ],
)
def test_time_direction_from_clause_and_preposition(tag, text, needle, value) -> None:
    assert _value(tag(text), needle) == value


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The blast occurred at 8:46 a.m. on Sept. 11, 2001.", [("8:46 a.m. on Sept. 11, 2001", "2001-09-11T08:46")]),
        ("The quake struck at 14:46 local time on 11 March 2011.",
         [("14:46 local time on 11 March 2011", "2011-03-11T14:46")]),
        ("The blast happened at 3:30 p.m. local time (0730 GMT).",
         [("3:30 p.m. local time", "2019-05-31T15:30"), ("0730 GMT", "2019-05-31T07:30Z")]),
        # without a zone four digits stay a number or a year
        ("The count reached 1990 votes.", []),
    ],
)
def test_time_clock_times_take_their_own_date(tag, text, expected) -> None:
    assert _spans(tag(text)) == expected


@given(st.integers(min_value=1583, max_value=4099))
def test_easter_is_a_sunday_between_march_22_and_april_25(year: int) -> None:
    from kronika.time.calendar import easter

    d = easter(year)
    assert d.isoweekday() == 7 and (3, 22) <= (d.month, d.day) <= (4, 25)


def test_time_movable_and_national_holidays(tag) -> None:
    assert _spans(tag("Pilgrims gathered on Good Friday.")) == [("Good Friday", "2019-04-19")]
    assert _spans(tag("Easter 2000 fell late.")) == [("Easter 2000", "2000-04-23")]
    assert _spans(tag("Protesters prayed as Easter week began.")) == [("Easter week", "2019-W16")]
    assert _spans(tag("Sales rose on Boxing Day.")) == [("Boxing Day", "2018-12-26")]


def test_time_days_and_holidays_inside_names(tag) -> None:
    assert tag("Hopes rose that the impasse over the Good Friday Agreement could be broken.") == []
    assert tag("He flew to Christmas Island.") == []
    assert _spans(tag("On Friday Smith and Jones will meet again in Paris.")) == [("Friday", "2019-05-31")]


def test_time_clock_before_a_weekday_and_date(tag) -> None:
    assert _spans(tag("It was set to explode at 13:30 on Monday, December 6, 2004.")) == \
        [("13:30 on Monday, December 6, 2004", "2004-12-06T13:30")]


def test_events_relational_preposition_does_not_date_the_event(pipeline) -> None:
    from kronika.library import analyze

    text = ("Rebels attacked a police station ahead of Tuesday's summit in Brussels. "
            "Rebels attacked a police station on Tuesday. "
            "The army shelled the city for three days before a ceasefire on Wednesday.")
    events = [e for e in analyze(text, "2019-05-31", pipeline=pipeline).events if e.type == "ASSAULT"]
    assert [(e.date.value, e.date.origin) for e in events] == \
        [("2019-05-31", "document"), ("2019-05-28", "text"), ("2019-05-31", "document")]


def test_time_term_as_noun_not_as_adjective(tag) -> None:
    """"in the long term" is the coming time; "short-term debt" is a kind of debt."""
    assert _spans(tag("Over the long term, rates will fall.")) == [("the long term", "FUTURE_REF")]
    assert tag("The short-term debt was refinanced.") == []


def test_time_both_ends_of_a_year_range(tag) -> None:
    assert _spans(tag("Attacks between 1961-2003 were listed.")) == [("1961", "1961"), ("2003", "2003")]
    assert _spans(tag("Call 555-1990 for details.")) == []
    assert _spans(tag("The ruling of 2019-05-30 stands.")) == [("2019-05-30", "2019-05-30")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The talks lasted from March 3 to 5, 2018.", [("March 3", "2018-03-03"), ("5, 2018", "2018-03-05")]),
        ("They met March 3-5, 2018 in Oslo.", [("March 3", "2018-03-03"), ("5, 2018", "2018-03-05")]),
        ("Between May and August 2018, prices rose.", [("May", "2018-05"), ("August 2018", "2018-08")]),
        ("From November to March 2019 it rained.", [("November", "2018-11"), ("March 2019", "2019-03")]),
        ("The truce held from Dec. 20, 2018 to Jan. 5.", [("Dec. 20, 2018", "2018-12-20"), ("Jan. 5", "2019-01-05")]),
        ("Between May 2 and May 9 last year, fighting raged.",
         [("May 2", "2019-05-02"), ("May 9 last year", "2019-05-09")]),
        ("The summit will take place on 14-15 February.", [("14", "2020-02-14"), ("15 February", "2020-02-15")]),
        ("They met on 3 to 5 March 2018 in Oslo.", [("3", "2018-03-03"), ("5 March 2018", "2018-03-05")]),
        # no range: each date keeps its own year
        ("He will arrive on March 3 and retire in 2030.", [("March 3", "2020-03-03"), ("2030", "2030")]),
    ],
)
def test_time_range_ends_share_the_written_year(tag, text, expected) -> None:
    assert _spans(tag(text, "2020-01-10")) == expected


def test_time_clock_without_a_space_and_within_a_clock_range(tag) -> None:
    assert _spans(tag("Polling started at 9am and ended at 10pm.")) == \
        [("9am", "2019-05-31T09:00"), ("10pm", "2019-05-31T22:00")]
    # "00am" inside "09:00am" is no time of its own
    assert all(t.text != "00am" for t in tag("Open 06:00-09:00am on weekdays."))


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # a date on a verb in the simple past is over, even when the DCT's year would put
        # it a few months ahead (read on 10 January)
        ("The rebels attacked the town on May 2.", "2019-05-02"),
        ("Fighting raged May 2 in the north.", "2019-05-02"),
        # a limit, a plan or a date on a noun may lie ahead
        ("They gave him until May 2 to leave.", "2020-05-02"),
        ("He said the vote was set for May 2.", "2020-05-02"),
        ("The board declared a dividend, payable Feb. 7.", "2020-02-07"),
    ],
)
def test_time_simple_past_on_the_date_is_not_ahead(tag, text, value) -> None:
    assert [t.value for t in tag(text, "2020-01-10")] == [value]


def test_time_early_hours_are_the_night_not_a_duration(tag) -> None:
    assert _spans(tag("He was arrested in the early hours of Thursday.")) == [("Thursday", "2019-05-30")]
    assert _spans(tag("After hours of talks, they agreed.")) == [("hours", "PTXH")]


def test_time_year_to_a_month_is_an_accounting_period(tag) -> None:
    assert _spans(tag("Profits rose in the financial year to March.", "2020-01-10"))[0] == \
        ("the financial year", "P1Y")
    assert _spans(tag("Sales rose in the year to date.", "2020-01-10")) == [("the year", "2020")]


def test_time_the_unit_before_or_after(tag) -> None:
    assert _spans(tag("Sales fell last year, down from 450 million the year before.", "2020-01-10")) == \
        [("last year", "2019"), ("the year before", "2018")]
    assert _spans(tag("In 2015 the economy grew; the year after, it shrank.")) == \
        [("2015", "2015"), ("the year after", "2016")]
    # before a clause the word is a conjunction: there is no date to count from
    assert tag("The year before he died, he wrote a book.") == []
    assert _spans(tag("He was last seen Nov. 3, the day before police issued a warrant.")) == \
        [("Nov. 3", "2018-11-03")]


def test_time_season_with_its_year_and_clock_ranges(tag) -> None:
    assert _spans(tag("The talks collapsed in the summer of 2019.")) == [("the summer of 2019", "2019-SU")]
    assert _spans(tag("The curfew runs from 10 p.m. to 5 a.m.", "2021-06-15")) == \
        [("10 p.m.", "2021-06-15T22:00"), ("5 a.m.", "2021-06-16T05:00")]
    assert _spans(tag("Polls are open from 7 a.m. to 8 p.m.", "2021-06-15")) == \
        [("7 a.m.", "2021-06-15T07:00"), ("8 p.m.", "2021-06-15T20:00")]


def test_time_article_before_an_attributive_duration_is_the_nouns(tag) -> None:
    assert _spans(tag("The euro fell to a five year low.")) == [("five year", "P5Y")]
    assert _spans(tag("A week-long strike ended.")) == [("week-long", "P1W")]
    assert _spans(tag("He waited a week.")) == [("a week", "P1W")]
    assert _spans(tag("He waited a hundred years.")) == [("a hundred years", "P100Y")]


def test_time_extents_leave_prepositions_and_the_nouns_determiner_outside(tag) -> None:
    assert _spans(tag("Mistakes were made in the past.")) == [("the past", "PAST_REF")]
    assert _spans(tag("The third-quarter results were weak.", "1989-10-27")) == [("third-quarter", "1989-Q3")]
    assert _spans(tag("Profit fell in the year-ago quarter.", "1989-10-27")) == \
        [("the year-ago quarter", "1988-Q3")]
    # "about" before a vague word is a preposition; before a count it approximates
    assert [(t.text, t.mod) for t in tag("He was worried about recent attacks.")] == [("recent", None)]
    assert [(t.text, t.mod) for t in tag("It happened about two years ago.")] == \
        [("about two years ago", "APPROX")]


@pytest.mark.parametrize(
    ("text", "span", "mod"),
    [
        ("She has been on life support for over 15 years.", "over 15 years", "MORE_THAN"),
        ("It was the first rally in over a decade.", "over a decade", "MORE_THAN"),
        ("The projects will run over five years.", "five years", None),  # "during"
        ("Rallies were held almost daily.", "daily", None),
    ],
)
def test_time_over_and_almost(tag, text, span, mod) -> None:
    assert [(t.text, t.mod) for t in tag(text)] == [(span, mod)]


def test_time_midnight_in_the_past_began_the_day(tag) -> None:
    # TIMEX3 writes midnight as 24:00 of the day that ends there
    assert _spans(tag("Residents were injured by a blast just after midnight.", "2005-03-20")) == \
        [("midnight", "2005-03-19T24:00")]
    assert _spans(tag("The deadline expires at midnight.", "2005-03-20")) == [("midnight", "2005-03-20T24:00")]


def test_time_a_range_whose_ends_took_different_years_runs_forwards(tag) -> None:
    # each end resolved alone put July ahead of the DCT and September behind it
    text = "The contraction comes after growth of 3.1% in the previous quarter (July to September)."
    assert _spans(tag(text, "2013-02-01"))[1:] == [("July", "2012-07"), ("September", "2012-09")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The car was traveling at 100 miles per hour.", []),
        ("Winds reached 60 km an hour.", []),
        ("Output rose to 2 million barrels a day.", [("a day", "SET", "P1D")]),
        ("Qantas plans four flights a week.", [("a week", "SET", "P1W")]),
        # a sentence that starts with "A week" is no rate, whatever stands before it
        ("=== Sales === A week earlier, new figures emerged.", [("A week", "DURATION", "P1W")]),
    ],
)
def test_time_rates_speeds_and_durations(tag, text, expected) -> None:
    assert [(t.text, t.type, t.value) for t in tag(text)] == expected


def test_time_millions_are_no_unit_of_length(tag) -> None:
    # "£5m a year": the "m" is millions, so the time stays (only speeds drop it)
    assert [t.text for t in tag("The deal will save £5m a year.")] == ["a year"]
