"""What a family needs from a forecast: per vaccine group, is a shot overdue, due now, due
soon, later, complete or not needed, with the dates and a reason; and one word for the whole
record (overdue / due now / due soon / up to date). Plain Python, no Flask, no words: the
pages and the reminders put the stage and the reason into the reader's language.

    record_status(birth_date, doses, today, gender="") -> RecordStatus

`doses` is an iterable of (cvx, given_on), as the engine takes them. The stages follow
CDSi's dates (chapter 7): a dose is *due* from its recommended date, *due soon* when that
date is at most DUE_SOON_DAYS away, *overdue* from its past-due date; *later* is a dose not
yet due nor soon (the earliest date it may be given is shown). The groups are the ones the
registry names (portal.registry.vaccines.VaccineGroup); CDSi's travel and risk groups
(rabies, yellow fever ...) only apply with observations the registry does not record.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from .engine import forecast_all
from .model import Patient, VaccineGroupForecast
from .supporting import SupportingData, load

DUE_SOON_DAYS = 30

# CDSi's vaccine group names -> the registry's (portal.registry.vaccines.VaccineGroup values)
GROUPS: dict[str, str] = {
    "DTaP/Tdap/Td": "DTaP/Tdap/Td", "Polio": "Polio", "HepB": "HepB", "Hib": "Hib",
    "Pneumococcal": "Pneumococcal", "Rotavirus": "Rotavirus", "MMR": "MMR",
    "Varicella": "Varicella", "HepA": "HepA", "Influenza": "Influenza", "HPV": "HPV",
    "Meningococcal": "Meningococcal", "Meningococcal B": "MenB", "Zoster": "Zoster",
    "COVID-19": "COVID-19",
}  # fmt: skip


class Stage(StrEnum):
    """A vaccine group's stage, most pressing first (the order sorts the page's list)."""

    OVERDUE = "overdue"
    DUE = "due"
    DUE_SOON = "due_soon"
    LATER = "later"
    COMPLETE = "complete"
    NOT_NEEDED = "not_needed"


class Reason(StrEnum):
    """Why, for the plain words: one per way CDSi ends a group."""

    PAST_DUE = "past_due"  # the past-due date has come
    RECOMMENDED = "recommended"  # the recommended date has come
    COMING = "coming"  # the recommended date is near
    NOT_YET = "not_yet"  # the next dose is months away
    COMPLETE = "complete"  # every dose the series needs is given
    IMMUNE = "immune"  # immune (born before the antigen's birth-date immunity)
    AGED_OUT = "aged_out"  # too old to start or finish the series
    NOT_RECOMMENDED = "not_recommended"  # no series applies at this age
    CONTRAINDICATED = "contraindicated"


class Summary(StrEnum):
    OVERDUE = "overdue"
    DUE = "due"
    DUE_SOON = "due_soon"
    UP_TO_DATE = "up_to_date"


@dataclass(frozen=True, slots=True)
class GroupStatus:
    group: str  # the registry's VaccineGroup value
    stage: Stage
    reason: Reason
    dose_number: int | None = None  # the next dose's number in its series
    earliest: date | None = None  # may be given from
    recommended: date | None = None  # due from
    past_due: date | None = None  # late from
    latest: date | None = None  # may not be given after (None: no limit)

    @property
    def due_by(self) -> date | None:
        """The last day before the dose is late."""
        return self.past_due - timedelta(days=1) if self.past_due else None


@dataclass(frozen=True, slots=True)
class RecordStatus:
    today: date
    groups: tuple[GroupStatus, ...]  # most pressing first, then the registry's group order
    schedule_version: str  # CDC's supporting data in use

    @property
    def summary(self) -> Summary:
        stages = {g.stage for g in self.groups}
        if Stage.OVERDUE in stages:
            return Summary.OVERDUE
        if Stage.DUE in stages:
            return Summary.DUE
        if Stage.DUE_SOON in stages:
            return Summary.DUE_SOON
        return Summary.UP_TO_DATE

    @property
    def open(self) -> tuple[GroupStatus, ...]:
        """Groups with a dose to come (overdue, due, due soon, later)."""
        closed = (Stage.COMPLETE, Stage.NOT_NEEDED)
        return tuple(g for g in self.groups if g.stage not in closed)

    @property
    def done(self) -> tuple[GroupStatus, ...]:
        return tuple(g for g in self.groups if g.stage in (Stage.COMPLETE, Stage.NOT_NEEDED))


_ENDED = {
    "Complete": (Stage.COMPLETE, Reason.COMPLETE),
    "Immune": (Stage.COMPLETE, Reason.IMMUNE),
    "Aged out": (Stage.NOT_NEEDED, Reason.AGED_OUT),
    "Not recommended": (Stage.NOT_NEEDED, Reason.NOT_RECOMMENDED),
    "Contraindicated": (Stage.NOT_NEEDED, Reason.CONTRAINDICATED),
}


def group_status(group: str, forecast: VaccineGroupForecast, today: date,
                 soon_days: int = DUE_SOON_DAYS) -> GroupStatus:  # fmt: skip
    """One group's stage from its CDSi forecast on `today`."""
    if forecast.status in _ENDED:
        stage, reason = _ENDED[forecast.status]
        return GroupStatus(group, stage, reason)
    earliest, past_due, latest = forecast.earliest, forecast.past_due, forecast.latest
    due = forecast.recommended or earliest
    dates = {"dose_number": forecast.dose_number, "earliest": earliest, "recommended": due,
             "past_due": past_due, "latest": latest}  # fmt: skip
    if due is None:  # not complete with no date to give: nothing a family can act on
        return GroupStatus(group, Stage.NOT_NEEDED, Reason.NOT_RECOMMENDED)
    if past_due is not None and today >= past_due:
        return GroupStatus(group, Stage.OVERDUE, Reason.PAST_DUE, **dates)
    if today >= due:
        return GroupStatus(group, Stage.DUE, Reason.RECOMMENDED, **dates)
    if (due - today).days <= soon_days:
        return GroupStatus(group, Stage.DUE_SOON, Reason.COMING, **dates)
    return GroupStatus(group, Stage.LATER, Reason.NOT_YET, **dates)


def record_status(birth_date: date, doses: Iterable[tuple[str, date]], today: date,
                  gender: str = "", data: SupportingData | None = None,
                  soon_days: int = DUE_SOON_DAYS) -> RecordStatus:  # fmt: skip
    """Every registry group's status for a person born on `birth_date` with these doses."""
    data = data or load()
    forecasts = forecast_all(Patient(birth_date, gender), list(doses), today, data)
    order = list(GROUPS)
    statuses = [group_status(GROUPS[name], forecasts[name], today, soon_days)
                for name in order if name in forecasts]  # fmt: skip
    rank = list(Stage)
    statuses.sort(key=lambda s: (rank.index(s.stage), order.index(_cdsi_name(s.group))))
    return RecordStatus(today, tuple(statuses), data.version)


@functools.lru_cache(maxsize=4096)
def _kept(birth_date: date, doses: tuple[tuple[str, date], ...], today: date,
          gender: str) -> RecordStatus:  # fmt: skip
    return record_status(birth_date, doses, today, gender)


def kept_record_status(birth_date: date, doses: Iterable[tuple[str, date]], today: date,
                       gender: str = "") -> RecordStatus:  # fmt: skip
    """record_status for the pages, with the schedule data in use: the answer is a pure
    function of its arguments (the day among them), so each is computed once per process
    (a family's reloads, My records after the record page) and a new dose or a new day is
    a new key. About 2.5 ms a record otherwise; My records asks for every child."""
    return _kept(birth_date, tuple(doses), today, gender)


def _cdsi_name(group: str) -> str:
    return next(name for name, ours in GROUPS.items() if ours == group)
