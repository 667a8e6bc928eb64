"""California's school and child-care immunization requirements as plain functions.

`check(birth_date, doses, requirement, as_of)` is the interface other parts (the printout,
/verify) and outside checks call. `doses` is an iterable of `(cvx_code, given_on)`;
`requirement` one of REQUIREMENTS. The rules (CCR Title 17 §6025 and §6065, CDPH's
school guide; ../shared/DESIGN.md "Facts for the printed proof"):

- "k12_entry" (incl. TK): 4 polio (3 if one on/after the 4th birthday); 5 DTaP, DTP, Tdap
  or Td (4 if one on/after the 4th birthday, 3 if one on/after the 7th); 3 hep B; 2 MMR
  on/after the 1st birthday; 2 varicella on/after the 1st birthday.
- "grade7_12_entry": the K-12 rules plus 1 pertussis-containing dose (Tdap; DTaP/DTP count)
  on/after the 7th birthday ("tdap").
- "grade7_advancement": 1 pertussis-containing dose on/after the 7th birthday ("tdap") and
  2 varicella (hep B not required).
- "childcare": Title 17 Table A by the child's age on `as_of` (the age at admission):
  under 2 months nothing; 2-3 months 1 polio, 1 DTaP, 1 hep B, 1 Hib; 4-5 months 2 each;
  6-14 months 2 polio, 3 DTaP, 2 hep B, 2 Hib; 15-17 months 3 polio, 3 DTaP, 2 hep B,
  1 MMR and 1 Hib on/after the 1st birthday, 1 varicella; 18 months and older 3 polio,
  4 DTaP, 3 hep B, 1 MMR and 1 Hib on/after the 1st birthday, 1 varicella (the row
  ../shared/DESIGN.md states; the younger rows are the regulation's table as CDPH
  publishes it for child care, not in the project's domain pages).

A dose given 4 or fewer days before an age counts (given_on >= birthday - 4 days). Doses
after `as_of`, before birth, or of a CVX code the schedule does not know are not counted.
Which antigens a CVX code carries comes from the forecast's converted CDC data
(supporting.load().cvx_antigens), so combination vaccines count for each part (MMRV for MMR
and varicella, DTaP-HepB-IPV for DTaP, hep B and polio ...). "dtap" counts doses carrying
both diphtheria and tetanus (DT and Td too); "mmr" counts doses carrying measles, mumps and
rubella alike (the fewest of the three). Only counts and ages are checked, as the school
rules do; intervals between doses are not.

`next_due`, for conditional admission: the earliest day the next missing dose may be given,
the soonest over the missing antigens and never before `as_of`. For each missing antigen it
is the CDSi engine's earliest date for the antigen's vaccine group (engine.forecast_group)
when the engine forecasts a dose ("Not complete" with an earliest date), else, where the
engine has the series complete but the school rule is still short (a dose before the 1st
birthday, the 7th-birthday Tdap), the minimum interval: 4 weeks after that antigen's last
dose, and not before the age the rule needs (less the 4-day grace). None when nothing is
missing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from .dates import add_months, birthday
from .engine import forecast_group
from .model import Patient
from .supporting import cvx_key, load

__all__ = ["REQUIREMENTS", "ANTIGENS", "SchoolCheck", "check"]

REQUIREMENTS = ("k12_entry", "grade7_advancement", "grade7_12_entry", "childcare")
ANTIGENS = ("polio", "dtap", "tdap", "hepb", "mmr", "varicella", "hib")

GRACE = timedelta(days=4)
MIN_INTERVAL = timedelta(weeks=4)

# the school's antigen -> the CDSi antigens a dose must carry to count
_PARTS: dict[str, frozenset[str]] = {
    "polio": frozenset({"Polio"}),
    "dtap": frozenset({"Diphtheria", "Tetanus"}),
    "tdap": frozenset({"Pertussis"}),
    "hepb": frozenset({"HepB"}),
    "measles": frozenset({"Measles"}),
    "mumps": frozenset({"Mumps"}),
    "rubella": frozenset({"Rubella"}),
    "varicella": frozenset({"Varicella"}),
    "hib": frozenset({"Hib"}),
}
_GROUP = {"polio": "Polio", "dtap": "DTaP/Tdap/Td", "tdap": "DTaP/Tdap/Td", "hepb": "HepB",
          "mmr": "MMR", "varicella": "Varicella", "hib": "Hib"}  # fmt: skip


@dataclass(frozen=True)
class SchoolCheck:
    requirement: str
    as_of: date
    met: bool
    missing: frozenset[str]
    next_due: date | None


@lru_cache(maxsize=1024)
def _antigens_of(cvx: str) -> frozenset[str]:
    return frozenset(a.antigen for a in load().cvx_antigens.get(cvx, ()))


def _on_or_after(day: date, age_day: date) -> bool:
    return day >= age_day - GRACE


@dataclass(frozen=True)
class _Need:
    """`count` doses of `antigen`, those counted given on/after `from_age` years (if any)."""

    antigen: str
    count: int
    from_age: int | None = None


def _rules(requirement: str, birth: date, given: dict[str, list[date]],
           as_of: date) -> list[_Need]:  # fmt: skip
    def any_after(name: str, years: int) -> bool:
        return any(_on_or_after(d, birthday(birth, years)) for d in given[name])

    polio = _Need("polio", 3 if any_after("polio", 4) else 4)
    dtap = _Need("dtap", 3 if any_after("dtap", 7) else 4 if any_after("dtap", 4) else 5)
    k12 = [polio, dtap, _Need("hepb", 3), _Need("mmr", 2, 1), _Need("varicella", 2, 1)]
    tdap = _Need("tdap", 1, 7)
    if requirement == "k12_entry":
        return k12
    if requirement == "grade7_12_entry":
        return [*k12, tdap]
    if requirement == "grade7_advancement":
        return [tdap, _Need("varicella", 2, 1)]
    if requirement == "childcare":
        return list(_childcare_row(birth, as_of))
    raise ValueError(f"unknown requirement: {requirement!r}")


# Title 17 Table A: (from the age in months, the doses needed), oldest row first.
_CHILDCARE_ROWS: tuple[tuple[int, tuple[_Need, ...]], ...] = (
    (18, (_Need("polio", 3), _Need("dtap", 4), _Need("hepb", 3), _Need("hib", 1, 1),
          _Need("mmr", 1, 1), _Need("varicella", 1))),
    (15, (_Need("polio", 3), _Need("dtap", 3), _Need("hepb", 2), _Need("hib", 1, 1),
          _Need("mmr", 1, 1), _Need("varicella", 1))),
    (6, (_Need("polio", 2), _Need("dtap", 3), _Need("hepb", 2), _Need("hib", 2))),
    (4, (_Need("polio", 2), _Need("dtap", 2), _Need("hepb", 2), _Need("hib", 2))),
    (2, (_Need("polio", 1), _Need("dtap", 1), _Need("hepb", 1), _Need("hib", 1))),
)  # fmt: skip


def _childcare_row(birth: date, as_of: date) -> tuple[_Need, ...]:
    """The row of Table A for the child's age on `as_of`; a child under 2 months needs none."""
    for months, needs in _CHILDCARE_ROWS:
        if as_of >= add_months(birth, months):
            return needs
    return ()


def _counted(need: _Need, birth: date, given: dict[str, list[date]]) -> list[date]:
    def counted(name: str) -> list[date]:
        if need.from_age is None:
            return given[name]
        start = birthday(birth, need.from_age)
        return [d for d in given[name] if _on_or_after(d, start)]

    if need.antigen == "mmr":
        return min((counted(n) for n in ("measles", "mumps", "rubella")), key=len)
    return counted(need.antigen)


def _next_dose(need: _Need, birth: date, history: list[tuple[str, date]],
               given: dict[str, list[date]], as_of: date) -> date:  # fmt: skip
    forecast = forecast_group(Patient(birth), history, _GROUP[need.antigen], as_of)
    if forecast.status == "Not complete" and forecast.earliest is not None:
        return forecast.earliest
    # the engine has nothing more to give, the school rule is still short: minimum intervals
    names = ("measles", "mumps", "rubella") if need.antigen == "mmr" else (need.antigen,)
    last = max((d for n in names for d in given[n]), default=None)
    earliest = last + MIN_INTERVAL if last else birth
    if need.from_age is not None:
        earliest = max(earliest, birthday(birth, need.from_age) - GRACE)
    return earliest


def check(birth_date: date, doses: Iterable[tuple[str, date]], requirement: str,
          as_of: date) -> SchoolCheck:  # fmt: skip
    """Does a child born on `birth_date` with these doses meet `requirement` on `as_of`?"""
    if requirement not in REQUIREMENTS:
        raise ValueError(f"unknown requirement: {requirement!r}")
    history = sorted(((cvx_key(cvx), day) for cvx, day in doses
                      if birth_date <= day <= as_of), key=lambda pair: pair[1])  # fmt: skip
    given: dict[str, list[date]] = {name: [] for name in _PARTS}
    for cvx, day in history:
        carried = _antigens_of(cvx)
        for name, parts in _PARTS.items():
            if parts <= carried:
                given[name].append(day)
    short = [need for need in _rules(requirement, birth_date, given, as_of)
             if len(_counted(need, birth_date, given)) < need.count]  # fmt: skip
    missing = frozenset(need.antigen for need in short)
    next_due = None
    if short:
        dated = [(cvx, day) for cvx, day in history if _antigens_of(cvx)]
        next_due = max(as_of, min(_next_dose(need, birth_date, dated, given, as_of)
                                  for need in short))  # fmt: skip
    return SchoolCheck(requirement, as_of, not short, missing, next_due)
