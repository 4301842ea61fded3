"""A time said in UTC/GMT keeps its ``Z``: in the TIMEX3 value and in the event's date, and the
event stays in the past of an article dated the same day."""

from __future__ import annotations

import datetime as dt

from kronika.model import Article
from kronika.time.calendar import is_value


def test_time_utc_clock_keeps_z(pipeline) -> None:
    text = "Russian aircraft bombed Idlib at 0730 GMT on Thursday."
    analysis = pipeline.analyze(Article.create(text, dt.date(2019, 5, 30)))
    values = {t.text: t.value for t in analysis.times}
    assert values["0730 GMT"] == "2019-05-30T07:30Z"
    assert is_value("2019-05-30T07:30Z") and not is_value("2019-05-30T07:30Q")
    dated = [e for e in analysis.events if e.date.text == "0730 GMT"]
    assert dated and dated[0].date.value == "2019-05-30T07:30Z"
    assert dated[0].status == "occurred"


def test_time_local_clock_has_no_z(pipeline) -> None:
    analysis = pipeline.analyze(Article.create("The talks began at 10:30 on Monday.", dt.date(2019, 5, 30)))
    assert all(not t.value.endswith("Z") for t in analysis.times)
