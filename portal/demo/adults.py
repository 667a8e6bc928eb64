"""Adult vaccines (Tdap/Td, hepatitis B, shingles, pneumococcal) and TB tests.

TB tests are common in California: school and child-care employees are
screened every four years, health care workers yearly, and teens for sports,
camps or after arriving from abroad.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from portal.registry import TbInterpretation, TbTestType

from .schedule import given
from .specs import DoseSpec, TbSpec, add_months, add_years, age_in_years


def adult_doses(rng: random.Random, birth: date, today: date, clinic: str) -> list[DoseSpec]:
    adult_since = max(add_years(birth, 19), date(2008, 1, 1))
    if adult_since >= today:
        return []
    span = (today - adult_since).days
    doses: list[DoseSpec] = []

    def some_day(after: date = adult_since) -> date:
        return after + timedelta(days=rng.randint(0, max((today - after).days, 0)))

    if rng.random() < 0.7:
        tdap = adult_since + timedelta(days=rng.randint(0, span))
        doses.append(given("115", tdap, clinic))
        td = add_years(tdap, 10) + timedelta(days=rng.randint(0, 200))
        if td <= today:
            doses.append(given("113", td, clinic))
    if rng.random() < 0.25:
        start = some_day()
        series = ("189", (0, 1)) if start >= date(2018, 6, 1) else ("43", (0, 1, 6))
        for months in series[1]:
            day = add_months(start, months) + timedelta(days=rng.randint(0, 10))
            if day <= today:
                doses.append(given(series[0], day, clinic))
    age = age_in_years(birth, today)
    if age >= 50 and rng.random() < 0.45:
        first = some_day(max(add_years(birth, 50), date(2018, 2, 1)))
        for day in (first, add_months(first, rng.randint(2, 6))):
            if day <= today:
                doses.append(given("187", day, clinic))
    if age >= 65 and rng.random() < 0.6:
        day = some_day(add_years(birth, 65))
        doses.append(given("216" if day >= date(2021, 10, 20) else "33", day, clinic))
    if rng.random() < 0.08:  # travel before a trip home
        first = some_day()
        for day in (first, add_months(first, 6) + timedelta(days=rng.randint(0, 30))):
            if day <= today:
                doses.append(given("52", day, clinic))
    return doses


def tb_tests(
    rng: random.Random, birth: date, today: date, org: str, *, repeat: bool
) -> list[TbSpec]:
    """One screening, or a screening every four years since adulthood (school employees)."""
    if repeat:
        first = max(add_years(birth, 22), add_years(today, -12))
        days = []
        day = first + timedelta(days=rng.randint(0, 300))
        while day <= today:
            days.append(day)
            day = add_years(day, 4) + timedelta(days=rng.randint(-20, 40))
    else:
        since = max(birth + timedelta(days=365 * 12), add_years(today, -3))
        days = [since + timedelta(days=rng.randint(0, max((today - since).days - 7, 0)))]
    tests: list[TbSpec] = []
    for day in days:
        if day > today - timedelta(days=7):
            continue
        tests.append(_one_test(rng, day, org))
        if tests[-1].interpretation == TbInterpretation.POSITIVE:
            break  # a positive reactor is followed up with a chest X-ray, not more tests
    return tests


def _one_test(rng: random.Random, day: date, org: str, *, igra: bool = False) -> TbSpec:
    if igra or rng.random() < 0.3:
        roll = rng.random()
        if roll < 0.85:
            result, meaning = f"{rng.randint(0, 20) / 100:.2f} IU/mL", TbInterpretation.NEGATIVE
        elif roll < 0.95:
            result, meaning = f"{rng.randint(40, 900) / 100:.2f} IU/mL", TbInterpretation.POSITIVE
        else:
            result, meaning = "Indeterminate (low mitogen)", TbInterpretation.INDETERMINATE
        read = day + timedelta(days=rng.randint(2, 6))
        return TbSpec(TbTestType.BLOOD, day, read, result, meaning, org)
    if rng.random() < 0.05:  # the patient never came back for the reading
        return TbSpec(TbTestType.SKIN, day, None, None, None, org)
    roll = rng.random()
    if roll < 0.8:
        mm, meaning = 0, TbInterpretation.NEGATIVE
    elif roll < 0.93:
        mm, meaning = rng.randint(2, 8), TbInterpretation.NEGATIVE
    else:
        mm, meaning = rng.randint(10, 18), TbInterpretation.POSITIVE
    read = day + timedelta(days=rng.choice((2, 2, 3)))
    return TbSpec(TbTestType.SKIN, day, read, f"{mm} mm", meaning, org)
