"""portal.forecast.dates: CDSi durations and date arithmetic (logic spec 3.4, CALCDT-1..6)."""

from __future__ import annotations

from datetime import date

import pytest

from portal.forecast.dates import Duration, add, age_in_years, parse_duration, parse_ymd


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("8 months + 1 day", Duration(0, 8, 1)),
        ("4 years - 4 days", Duration(4, 0, -4)),
        (" 18 years - 4 days", Duration(18, 0, -4)),
        ("3 months + 4 weeks", Duration(0, 3, 28)),
        ("6 weeks", Duration(0, 0, 42)),
        ("1 year", Duration(1, 0, 0)),
        ("0 days", Duration(0, 0, 0)),
        ("2 Months", Duration(0, 2, 0)),
    ],
)
def test_durations_are_read(text, expected):
    assert parse_duration(text) == expected


@pytest.mark.parametrize("text", [None, "", "   "])
def test_an_empty_duration_means_no_restriction(text):
    assert parse_duration(text) is None


@pytest.mark.parametrize("text", ["soon", "4 years and 4 days", "4 fortnights", "4 years -"])
def test_an_unreadable_duration_is_refused(text):
    with pytest.raises(ValueError):
        parse_duration(text)


@pytest.mark.parametrize(
    ("start", "duration", "expected"),
    [
        (date(2000, 1, 1), (3, 0, 0), date(2003, 1, 1)),  # CALCDT-1
        (date(2000, 11, 1), (0, 6, 0), date(2001, 5, 1)),  # CALCDT-2, into the next year
        (date(2000, 2, 1), (0, 0, 35), date(2000, 3, 7)),  # CALCDT-3, leap year
        (date(2001, 2, 1), (0, 0, 35), date(2001, 3, 8)),  # not a leap year
        (date(2000, 1, 15), (0, 0, -4), date(2000, 1, 11)),  # CALCDT-4
        (date(2000, 3, 31), (0, 6, 0), date(2000, 10, 1)),  # CALCDT-5: no 31 September
        (date(2000, 8, 31), (0, 6, 0), date(2001, 3, 1)),  # no 31 February
        (date(2000, 1, 31), (0, 6, -4), date(2000, 7, 27)),  # CALCDT-6: months, then days
        (date(2000, 1, 31), (0, 1, 0), date(2000, 3, 1)),  # 31 January + 1 month
        (date(2000, 2, 29), (1, 0, 0), date(2001, 3, 1)),  # a leap-day birthday
        (date(2000, 2, 29), (4, 0, 0), date(2004, 2, 29)),
        (date(2024, 12, 31), (0, 2, 0), date(2025, 3, 1)),  # no 31 February
    ],
)
def test_adding_durations(start, duration, expected):
    assert add(start, duration) == expected


def test_age_in_years_counts_the_birthday_itself():
    born = date(2018, 11, 10)
    assert age_in_years(born, date(2025, 11, 9)) == 6
    assert age_in_years(born, date(2025, 11, 10)) == 7


def test_a_leap_day_birthday_comes_on_1_march_in_a_common_year():
    born = date(2008, 2, 29)
    assert age_in_years(born, date(2009, 2, 28)) == 0
    assert age_in_years(born, date(2009, 3, 1)) == 1


def test_supporting_data_dates():
    assert parse_ymd("20230911") == date(2023, 9, 11)
    assert parse_ymd("") is None
    with pytest.raises(ValueError):
        parse_ymd("2023/09/11x")


def test_age_parts_and_birthdays_for_the_rest_of_the_portal():
    from portal.forecast.dates import age_parts, birthday

    assert age_parts(date(2000, 1, 31), date(2000, 3, 1)) == (0, 1, 0)  # CALCDT-5
    assert age_parts(date(2019, 3, 14), date(2023, 6, 13)) == (4, 2, 30)
    assert birthday(date(2008, 2, 29), 18) == date(2026, 3, 1)
    assert birthday(date(2008, 2, 29), 16) == date(2024, 2, 29)
    with pytest.raises(ValueError):
        age_parts(date(2020, 1, 2), date(2020, 1, 1))
