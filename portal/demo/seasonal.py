"""Flu shots every fall and COVID-19 vaccines since they were authorized for each age."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, timedelta

from . import products
from .schedule import given
from .specs import DoseSpec, add_months, age_in_years

# Where a dose was given, from the patient's age and the day.
Place = Callable[[int, date], str]


def flu_doses(
    rng: random.Random, birth: date, today: date, habit: float, place: Place
) -> list[DoseSpec]:
    """One dose a season with probability `habit`; two, four weeks apart, the first time under 9."""
    doses: list[DoseSpec] = []
    first_season = max(birth.year, 2008)
    last_season = today.year if today.month >= 9 else today.year - 1
    for season in range(first_season, last_season + 1):
        if rng.random() >= habit:
            continue
        day = date(season, 9, 10) + timedelta(days=rng.randint(0, 95))
        if day < add_months(birth, 6) or day > today:
            continue
        age = age_in_years(birth, day)
        cvx = products.flu_cvx(day, age, rng)
        doses.append(given(cvx, day, place(age, day)))
        if len(doses) == 1 and age < 9:
            second = day + timedelta(days=28 + rng.randint(0, 14))
            if second <= today:
                doses.append(given(products.flu_cvx(second, age, rng), second, place(age, second)))
    return doses


def covid_doses(rng: random.Random, birth: date, today: date, place: Place) -> list[DoseSpec]:
    """A primary series from the day the patient's age group became eligible, maybe updates."""
    if age_in_years(birth, date(2021, 4, 15)) >= 16:
        start = date(2021, 3, 1)
    elif age_in_years(birth, date(2021, 5, 13)) >= 12:
        start = date(2021, 5, 13)
    elif age_in_years(birth, date(2021, 11, 3)) >= 5:
        start = date(2021, 11, 3)
    else:
        start = max(date(2022, 6, 20), add_months(birth, 6))
    first = start + timedelta(days=rng.randint(0, 160))
    cvx = "207" if age_in_years(birth, first) >= 18 and rng.random() < 0.4 else "208"
    days = [first, first + timedelta(days=(28 if cvx == "207" else 21) + rng.randint(0, 10))]
    for fall in (2022, 2023, 2024):
        update = date(fall, 9, 20) + timedelta(days=rng.randint(0, 80))
        if rng.random() < 0.35 and update > days[-1] + timedelta(days=60):
            days.append(update)
    return [given(cvx, day, place(age_in_years(birth, day), day)) for day in days if day <= today]
