"""The one parser for numbers that arrive as text: query parameters, path segments, CLI values.

Why not ``int()`` or ``str.isdigit()``: both accept far more than ASCII digits.
``"²".isdigit()`` is true while ``int("²")`` raises; ``int("١٢")`` (Arabic-Indic digits) is
12; ``int(" 1_0 ")`` is 10; and neither bounds the size, so "9" * 5000 costs a quadratic
conversion and then overflows a BIGINT parameter. Every numeric value from outside goes
through ``parse_int`` (or ``parse_decimal``): ASCII digits only, at most ``MAX_DIGITS`` of
them, inside ``[lo, hi]``; anything else is a ``QueryError`` with code ``K508``, which the
HTTP API answers as a coded 422 and the CLI as a clean error.
"""

from __future__ import annotations

import math
import re

from kronika.errors import QueryError

CODE = "K508"
MAX_DIGITS = 18  # every such value fits a signed 64-bit integer (DuckDB BIGINT)
_INT = re.compile(rf"[0-9]{{1,{MAX_DIGITS}}}", re.ASCII)
# A plain decimal as Python's repr writes floats ("-0.5", "1e-05"); no "nan", "inf", "_".
_DECIMAL = re.compile(r"[+-]?(?:[0-9]{1,40}(?:\.[0-9]{0,40})?|\.[0-9]{1,40})(?:[eE][+-]?[0-9]{1,3})?", re.ASCII)


def looks_numeric(text: str) -> bool:
    """True when ``text`` is meant as a number: non-empty and made only of digit
    characters of *any* script ("123", but also "²" or "١٢", which ``parse_int`` refuses).
    Lets a parameter that takes a name *or* an id ("Tokyo" or 1850147) tell them apart."""
    return bool(text) and all(c.isdigit() or c.isdecimal() or c.isnumeric() for c in text)


def parse_int(value: str | int, name: str, *, lo: int = 0, hi: int | None = None) -> int:
    """``value`` as an int: ASCII digits only (no sign, no "_"), at most ``MAX_DIGITS``
    digits, within ``[lo, hi]``. Surrounding spaces and tabs are ignored.

    Raises ``QueryError`` (``K508``) for anything else."""
    if isinstance(value, bool):
        raise QueryError(f"{name} must be a whole number", code=CODE)
    if isinstance(value, int):
        number = value
    else:
        text = str(value).strip(" \t")
        if not _INT.fullmatch(text):
            raise QueryError(f"{name} must be a whole number written with the digits 0-9 "
                             f"(at most {MAX_DIGITS} of them)", code=CODE)
        number = int(text)
    if number < lo or (hi is not None and number > hi):
        bound = f"between {lo} and {hi}" if hi is not None else f"at least {lo}"
        raise QueryError(f"{name} must be {bound}", code=CODE)
    return number


def parse_decimal(value: str, name: str, *, lo: float, hi: float) -> float:
    """``value`` as a finite float written in ASCII (``-12.5``, ``1e-05``) within ``[lo, hi]``.

    Raises ``QueryError`` (``K508``) for anything else: other scripts' digits, ``nan``,
    ``inf``, ``1_0``, or a value outside the range."""
    text = str(value).strip(" \t")
    if not _DECIMAL.fullmatch(text):
        raise QueryError(f"{name} must be a decimal number written with the digits 0-9", code=CODE)
    number = float(text)
    if not math.isfinite(number) or not lo <= number <= hi:
        raise QueryError(f"{name} must be between {lo:g} and {hi:g}", code=CODE)
    return number
