"""The gold-consistency diagnosis reads value forms relative to the DCT correctly."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from benchmarks.timex_gold_consistency import forms_by_phrase, main, value_form

DCT = dt.date(1989, 10, 26)  # ISO week 43


def test_value_forms_relative_to_the_dct() -> None:
    assert value_form("1989-W42", DCT) == "week-1"
    assert value_form("1989-W7", DCT) == "week-36(unpadded)"
    assert value_form("1989-WXX", DCT) == "WXX"
    assert value_form("1989-10-25", DCT) == "day-1"
    assert value_form("1989-09", DCT) == "month-1"
    assert value_form("1988", DCT) == "year-1"
    assert value_form("1988-Q3", DCT) == "quarter"
    assert value_form("P1W", DCT) == "duration"
    assert value_form("PRESENT_REF", DCT) == "PRESENT_REF"
    assert value_form("1989-02-30", DCT) == "day(invalid)"


def _tml(dct: str, body: str) -> str:
    return (f'<TimeML><DCT><TIMEX3 tid="t0" type="DATE" value="{dct}" functionInDocument="CREATION_TIME">'
            f"{dct}</TIMEX3></DCT><TEXT>{body}</TEXT></TimeML>")


def test_phrases_are_grouped_and_the_minority_counted(tmp_path: Path, capsys) -> None:
    t = '<TIMEX3 tid="t{}" type="DATE" value="{}">last week</TIMEX3>'
    (tmp_path / "a.tml").write_text(_tml("1989-10-26", "Sales fell " + t.format(1, "1989-W42") + "."))
    (tmp_path / "b.tml").write_text(_tml("1989-10-26", "Sales rose " + t.format(1, "1989-WXX") + "."))
    (tmp_path / "c.tml").write_text(_tml("1989-11-02", "Prices fell " + t.format(1, "1989-W43") + "."))
    assert dict(forms_by_phrase(tmp_path)) == {"last week": {"week-1": 2, "WXX": 1}}
    main([str(tmp_path)])
    assert "total 3 deictic timexes; 1 (33.3%) outside" in capsys.readouterr().out
