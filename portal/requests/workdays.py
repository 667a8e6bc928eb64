"""Service targets in working days: weekends and the state's closure days do not count.

Plain functions (no Flask, no database); the time and the closure list are passed in
or default to the checked-in list in closures.py.
"""

from __future__ import annotations

from collections.abc import Container
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from .closures import CLOSURES
from .models import RequestKind

# The help desk's days follow its office, in California.
OFFICE_ZONE = ZoneInfo("America/Los_Angeles")

# Working days from submission to an answer, per kind. A starting point to be agreed
# with the help desk, not a measured figure: lock/unlock is one field to change,
# a verification needs a document read, a correction may need the provider asked.
TARGET_WORKING_DAYS: dict[RequestKind, int] = {
    RequestKind.VERIFICATION: 5,
    RequestKind.CORRECTION: 10,
    RequestKind.LOCK: 3,
    RequestKind.UNLOCK: 3,
}


def is_working_day(day: date, closures: Container[date] = CLOSURES) -> bool:
    return day.weekday() < 5 and day not in closures


def add_working_days(start: date, days: int, closures: Container[date] = CLOSURES) -> date:
    """The working day `days` working days after `start` (start itself not counted)."""
    if days < 0:
        raise ValueError("days must not be negative")
    day = start
    while days:
        day += timedelta(days=1)
        if is_working_day(day, closures):
            days -= 1
    return day


def working_days_between(start: date, end: date, closures: Container[date] = CLOSURES) -> int:
    """Working days after `start` up to and including `end` (0 when end <= start)."""
    count, day = 0, start
    while day < end:
        day += timedelta(days=1)
        count += is_working_day(day, closures)
    return count


def office_date(moment: datetime) -> date:
    return moment.astimezone(OFFICE_ZONE).date()


def due_date(
    kind: RequestKind, submitted_at: datetime, closures: Container[date] = CLOSURES
) -> date:
    """The last office day on which a request of `kind` submitted then is on time."""
    return add_working_days(office_date(submitted_at), TARGET_WORKING_DAYS[kind], closures)


def is_overdue(
    kind: RequestKind, submitted_at: datetime, now: datetime, closures: Container[date] = CLOSURES
) -> bool:
    """An open request is overdue once its due date has passed in the office's time."""
    return office_date(now) > due_date(kind, submitted_at, closures)


def overdue_before(
    kind: RequestKind, now: datetime, closures: Container[date] = CLOSURES
) -> datetime:
    """The moment before which a request of `kind` submitted is overdue now.

    Turns the rule into one comparison on `created_at` that a query can use: walk back
    from today to the latest submission day whose due date has already passed.
    """
    today = office_date(now)
    day = today
    while add_working_days(day, TARGET_WORKING_DAYS[kind], closures) >= today:
        day -= timedelta(days=1)
    following = day + timedelta(days=1)
    return datetime(following.year, following.month, following.day, tzinfo=OFFICE_ZONE)
