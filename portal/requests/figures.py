"""The supervisor's figures: open requests by kind and age, time to resolve, overdue.

Plain functions over a Session with the time passed in (no Flask). The open counts are
one grouped query whatever the size of the queue: each age bucket's edge in working
days is turned into a moment first (the earliest submission that is still that young),
so the database compares `created_at` with a few constants. Times to resolve are read
for the last 30 days' resolved requests only, a month of the help desk's throughput.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Container, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from . import workdays
from .closures import CLOSURES
from .models import OPEN_STATUSES, Request, RequestKind, RequestStatus
from .queue import overdue_clause

WINDOW = timedelta(days=30)
RESOLVED = (RequestStatus.APPROVED, RequestStatus.REJECTED)  # withdrawn is not resolved


@dataclass(frozen=True)
class AgeBucket:
    key: str
    low: int  # working days, inclusive
    high: int | None  # inclusive; None: no upper edge


BUCKETS: tuple[AgeBucket, ...] = (
    AgeBucket("0-1", 0, 1),
    AgeBucket("2-5", 2, 5),
    AgeBucket("6-10", 6, 10),
    AgeBucket("over-10", 11, None),
)


@dataclass(frozen=True)
class ResolveTimes:
    count: int
    median_days: float | None  # None when nothing was resolved in the window
    p90_days: float | None


@dataclass(frozen=True)
class Figures:
    now: datetime
    # Open requests per kind, one count per BUCKETS entry, in that order.
    open_by_age: dict[RequestKind, tuple[int, ...]]
    overdue: int
    window_start: datetime
    resolve_by_kind: dict[RequestKind, ResolveTimes]
    resolve_overall: ResolveTimes

    @property
    def open_total(self) -> int:
        return sum(sum(counts) for counts in self.open_by_age.values())

    def bucket_total(self, index: int) -> int:
        return sum(counts[index] for counts in self.open_by_age.values())


def age_in_working_days(
    submitted_at: datetime, now: datetime, closures: Container[date] = CLOSURES
) -> int:
    """Working days after the office's day of submission up to its day now."""
    return workdays.working_days_between(
        workdays.office_date(submitted_at), workdays.office_date(now), closures
    )


def bucket_of(age: int) -> AgeBucket:
    return next(b for b in BUCKETS if b.high is None or age <= b.high)


def earliest_start(today: date, age: int, closures: Container[date] = CLOSURES) -> date:
    """The earliest office day whose submissions are at most `age` working days old today.

    Age only grows as the submission day goes back: step back while one more day keeps
    the count within `age` (the day stepped over counts when it is a working day).
    """
    day, count = today, 0
    while count + workdays.is_working_day(day, closures) <= age:
        count += workdays.is_working_day(day, closures)
        day -= timedelta(days=1)
    return day


def _midnight(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=workdays.OFFICE_ZONE)


def bucket_edges(now: datetime, closures: Container[date] = CLOSURES) -> list[datetime]:
    """For each bucket with an upper edge, the moment from which a submission is in it
    or a younger one."""
    today = workdays.office_date(now)
    highs = [b.high for b in BUCKETS if b.high is not None]
    return [_midnight(earliest_start(today, high, closures)) for high in highs]


@dataclass(frozen=True)
class OpenCounts:
    by_age: dict[RequestKind, tuple[int, ...]]  # one count per BUCKETS entry, in order
    overdue: int


def open_counts(db: Session, now: datetime, closures: Container[date] = CLOSURES) -> OpenCounts:
    """Open requests per kind and age bucket, and how many are overdue: one pass over the
    open requests, grouped by kind, bucket and the queue's overdue rule."""
    edges = bucket_edges(now, closures)
    bucket = sa.case(
        *((Request.created_at >= edge, index) for index, edge in enumerate(edges)),
        else_=len(edges),
    ).label("bucket")
    overdue = sa.case((overdue_clause(now), 1), else_=0).label("overdue")
    # Grouped outside: PostgreSQL cannot tell that a CASE with bound parameters in the
    # select list is the one in GROUP BY.
    inner = (
        sa.select(Request.kind, bucket, overdue).where(Request.status.in_(OPEN_STATUSES)).subquery()
    )
    counts = {kind: [0] * len(BUCKETS) for kind in RequestKind}
    late = 0
    for kind, index, is_overdue, count in db.execute(
        sa.select(inner.c.kind, inner.c.bucket, inner.c.overdue, sa.func.count()).group_by(
            inner.c.kind, inner.c.bucket, inner.c.overdue
        )
    ):
        counts[RequestKind(kind)][index] += count
        late += count if is_overdue else 0
    return OpenCounts({kind: tuple(values) for kind, values in counts.items()}, late)


def open_by_age(
    db: Session, now: datetime, closures: Container[date] = CLOSURES
) -> dict[RequestKind, tuple[int, ...]]:
    return open_counts(db, now, closures).by_age


def overdue_count(db: Session, now: datetime) -> int:
    return open_counts(db, now).overdue


def percentile(values: Sequence[float], share: float) -> float:
    """Nearest rank: the smallest value with at least `share` of the values at or below."""
    if not values:
        raise ValueError("no values")
    ordered = sorted(values)
    return ordered[max(1, math.ceil(share * len(ordered))) - 1]


def resolve_times(values: Sequence[float]) -> ResolveTimes:
    if not values:
        return ResolveTimes(0, None, None)
    return ResolveTimes(len(values), statistics.median(values), percentile(values, 0.9))


def _elapsed_days(db: Session) -> sa.ColumnElement[float]:
    """closed_at - created_at in days, computed by the database (no datetimes to parse)."""
    if db.get_bind().dialect.name == "postgresql":
        seconds = sa.func.extract("epoch", Request.closed_at - Request.created_at)
        return sa.cast(seconds, sa.Float) / 86400
    return sa.func.julianday(Request.closed_at) - sa.func.julianday(Request.created_at)


def days_to_resolve(db: Session, now: datetime) -> dict[RequestKind, list[float]]:
    """Days from submission to the answer of each request approved or rejected in the
    30 days up to now (the window's start included)."""
    rows = db.execute(
        sa.select(Request.kind, _elapsed_days(db)).where(
            Request.status.in_(RESOLVED),
            Request.closed_at >= now - WINDOW,
            Request.closed_at <= now,
        )
    )
    days: dict[RequestKind, list[float]] = {kind: [] for kind in RequestKind}
    for kind, elapsed in rows:
        days[RequestKind(kind)].append(round(float(elapsed), 6))  # SQLite: julian-day floats
    return days


def figures(db: Session, now: datetime, closures: Container[date] = CLOSURES) -> Figures:
    days = days_to_resolve(db, now)
    counts = open_counts(db, now, closures)
    return Figures(
        now=now,
        open_by_age=counts.by_age,
        overdue=counts.overdue,
        window_start=now - WINDOW,
        resolve_by_kind={kind: resolve_times(values) for kind, values in days.items()},
        resolve_overall=resolve_times([v for values in days.values() for v in values]),
    )
