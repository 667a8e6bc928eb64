"""Age at a dose: completed years, months and days, counted as the CDSi forecast counts them."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from flask_babel import force_locale

from portal.forecast.dates import add_months
from portal.records.labels import age_label, tick_label
from portal.records.services import Age, age_at


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        # The CDSi logic specification's own examples (CALCDT-2 and CALCDT-5).
        (date(2000, 1, 1), 6, date(2000, 7, 1)),
        (date(2000, 11, 1), 6, date(2001, 5, 1)),
        (date(2000, 3, 31), 6, date(2000, 10, 1)),
        (date(2000, 8, 31), 6, date(2001, 3, 1)),
        (date(2020, 2, 29), 12, date(2021, 3, 1)),
        (date(2020, 2, 29), 48, date(2024, 2, 29)),
        (date(2021, 12, 15), 1, date(2022, 1, 15)),
    ],
)
def test_add_months_moves_a_day_the_month_lacks_to_the_first_of_the_next(
    start: date, months: int, expected: date
) -> None:
    assert add_months(start, months) == expected


@pytest.mark.parametrize(
    ("birth", "on", "expected"),
    [
        (date(2019, 3, 14), date(2019, 3, 14), Age(0, 0, 0)),
        (date(2019, 3, 14), date(2019, 3, 20), Age(0, 0, 6)),
        (date(2019, 3, 14), date(2019, 5, 14), Age(0, 2, 0)),
        (date(2019, 3, 14), date(2023, 6, 14), Age(4, 3, 0)),
        (date(2019, 3, 14), date(2023, 6, 13), Age(4, 2, 30)),
        (date(2020, 1, 15), date(2020, 3, 14), Age(0, 1, 28)),  # through a leap February
        # Born on 29 February: one year old on 1 March of a common year, four on 29 February.
        (date(2020, 2, 29), date(2021, 2, 28), Age(0, 11, 30)),
        (date(2020, 2, 29), date(2021, 3, 1), Age(1, 0, 0)),
        (date(2020, 2, 29), date(2024, 2, 28), Age(3, 11, 30)),
        (date(2020, 2, 29), date(2024, 2, 29), Age(4, 0, 0)),
        # Born on a month's last day: a month later falls on the 1st when the month is short.
        (date(2021, 1, 31), date(2021, 2, 28), Age(0, 0, 28)),
        (date(2021, 1, 31), date(2021, 3, 1), Age(0, 1, 0)),
        (date(2021, 1, 31), date(2021, 3, 31), Age(0, 2, 0)),
        (date(2021, 1, 31), date(2021, 4, 30), Age(0, 2, 30)),
        (date(2021, 1, 31), date(2021, 5, 1), Age(0, 3, 0)),
        (date(2021, 12, 31), date(2022, 1, 31), Age(0, 1, 0)),
    ],
)
def test_age_at(birth: date, on: date, expected: Age) -> None:
    assert age_at(birth, on) == expected


def test_age_at_adds_back_up_to_the_date_for_every_day_of_four_years() -> None:
    """Birthdays at month ends and on leap days, checked against every later date."""
    births = [date(2020, 1, 31), date(2020, 2, 29), date(2019, 8, 31), date(2020, 3, 1)]
    for birth in births:
        previous = Age(0, 0, 0)
        for offset in range(0, 4 * 366, 3):
            on = birth + timedelta(days=offset)
            age = age_at(birth, on)
            assert 0 <= age.months < 12 and 0 <= age.days < 31
            assert add_months(birth, age.years * 12 + age.months) + timedelta(age.days) == on
            assert (age.years, age.months) >= (previous.years, previous.months)
            previous = age


def test_a_date_before_birth_has_no_age() -> None:
    with pytest.raises(ValueError):
        age_at(date(2020, 5, 1), date(2020, 4, 30))


@pytest.mark.parametrize(
    ("age", "text"),
    [
        (Age(0, 0, 0), "at birth"),
        (Age(0, 0, 1), "1 day"),
        (Age(0, 0, 17), "17 days"),
        (Age(0, 1, 3), "1 month"),
        (Age(0, 2, 12), "2 months"),
        (Age(1, 0, 4), "1 year"),
        (Age(4, 3, 0), "4 years 3 months"),
        (Age(12, 1, 9), "12 years 1 month"),
        (None, "unknown"),
    ],
)
def test_age_label_in_plain_words(app, age: Age | None, text: str) -> None:  # type: ignore[no-untyped-def]
    with app.test_request_context(), force_locale("en"):
        assert age_label(age) == text


def test_tick_labels(app) -> None:  # type: ignore[no-untyped-def]
    with app.test_request_context(), force_locale("en"):
        assert [tick_label(m) for m in (0, 2, 12, 48)] == ["Birth", "2 months", "1 year", "4 years"]
