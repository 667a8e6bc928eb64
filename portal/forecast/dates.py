"""Date and age arithmetic, the one place for it (CDSi logic spec section 3.4, CALCDT-1..6).

A duration is a `Duration(years, months, days)`: weeks are turned into days when a text such
as "8 months + 1 day" or "4 years - 4 days" is read. Adding one to a date adjusts the years,
then the months (a date that does not exist moves to the first of the next month, CALCDT-5),
then the days (CALCDT-6). Plain functions, no Flask. The record page's ages
(records/services.py), the linking rules' ages (linking/rules.py) and the demo's ages use
these too.
"""

from __future__ import annotations

import re
from calendar import monthrange
from datetime import date, timedelta
from functools import lru_cache
from typing import NamedTuple

__all__ = ["Duration", "parse_duration", "add", "add_months", "birthday", "age_parts",
           "sub_days", "age_in_years", "parse_ymd", "FAR_PAST", "FAR_FUTURE"]  # fmt: skip

FAR_PAST = date(1900, 1, 1)
FAR_FUTURE = date(2999, 12, 31)


class Duration(NamedTuple):
    years: int = 0
    months: int = 0
    days: int = 0

    def __str__(self) -> str:
        units = ("years", "months", "days")
        parts = [f"{n} {unit}" for n, unit in zip(self, units, strict=True) if n]
        return " + ".join(parts) or "0 days"


_TERM = re.compile(r"([+-]?)\s*(\d+)\s*(year|month|week|day)s?", re.IGNORECASE)
_UNIT = {"year": 0, "month": 1, "week": 2, "day": 2}


def parse_duration(text: str | None) -> Duration | None:
    """'8 months + 1 day' -> Duration(0, 8, 1); empty or None -> None (no restriction)."""
    if text is None or not text.strip():
        return None
    cleaned = text.strip()
    terms = [0, 0, 0]
    end = 0
    for match in _TERM.finditer(cleaned):
        between = cleaned[end:match.start()].strip()
        if between not in ("", "+", "-"):
            raise ValueError(f"unreadable duration: {text!r}")
        sign = -1 if (match.group(1) == "-" or between == "-") else 1
        count = int(match.group(2)) * (7 if match.group(3).lower() == "week" else 1)
        terms[_UNIT[match.group(3).lower()]] += sign * count
        end = match.end()
    if end == 0 or cleaned[end:].strip():
        raise ValueError(f"unreadable duration: {text!r}")
    return Duration(*terms)


@lru_cache(maxsize=1 << 16)
def add(start: date, duration: Duration | tuple[int, int, int]) -> date:
    """start + duration: years, then months (an impossible day -> the 1st of the next
    month), then days (CALCDT-1..6)."""
    years, months, days = duration
    if years or months:
        total = start.year * 12 + (start.month - 1) + years * 12 + months
        year, month = divmod(total, 12)
        month += 1
        if start.day > monthrange(year, month)[1]:
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
            start = date(year, month, 1)
        else:
            start = date(year, month, start.day)
    return start + timedelta(days=days) if days else start


def add_months(start: date, months: int) -> date:
    """CALCDT-2 and -5: keep the day; a day the month lacks moves to the 1st of the next."""
    return add(start, (0, months, 0))


def birthday(birth: date, years: int) -> date:
    """The day someone turns `years`; a 29 February birthday falls on 1 March in common years."""
    return add(birth, (years, 0, 0))


def age_parts(birth: date, on: date) -> tuple[int, int, int]:
    """Completed (years, months, days) on a day, counted the CDSi way: a child born on 31
    January is one month old on 1 March."""
    if on < birth:
        raise ValueError("date before birth")
    months = (on.year - birth.year) * 12 + on.month - birth.month
    while months > 0 and add_months(birth, months) > on:
        months -= 1
    return months // 12, months % 12, (on - add_months(birth, months)).days


def sub_days(day: date, count: int) -> date:
    return day - timedelta(days=count)


def age_in_years(birth: date, on: date) -> int:
    """Completed years of age on a day (a 29 February birthday counts on 1 March in a
    common year, as add() puts it)."""
    years = on.year - birth.year
    return years if birthday(birth, years) <= on else years - 1


def parse_ymd(text: str | None) -> date | None:
    """'20230911' (the supporting data's form) or '2023-09-11' -> date; empty -> None."""
    if text is None or not text.strip():
        return None
    digits = text.strip().replace("-", "")
    if len(digits) != 8 or not digits.isdigit():
        raise ValueError(f"unreadable date: {text!r}")
    return date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
