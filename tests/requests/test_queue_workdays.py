"""Working days, due dates and overdue as plain functions (no app, no database)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from portal.requests import closures, workdays
from portal.requests.models import RequestKind


def test_a_weekend_does_not_count() -> None:
    friday = date(2026, 10, 2)
    assert workdays.add_working_days(friday, 1, closures=()) == date(2026, 10, 5)  # Monday
    assert workdays.add_working_days(friday, 5, closures=()) == date(2026, 10, 9)


def test_closures_are_skipped_thanksgiving_week() -> None:
    # Wednesday before Thanksgiving 2026: Thu 26 and Fri 27 are closures, then a weekend.
    wednesday = date(2026, 11, 25)
    assert workdays.add_working_days(wednesday, 1) == date(2026, 11, 30)
    assert workdays.add_working_days(wednesday, 3) == date(2026, 12, 2)


def test_a_sunday_holiday_is_observed_on_monday_and_a_saturday_one_not_at_all() -> None:
    assert date(2027, 7, 5) in closures.CLOSURES  # the 4th is a Sunday
    assert date(2026, 7, 3) not in closures.CLOSURES  # the 4th is a Saturday
    assert date(2028, 11, 10) in closures.CLOSURES  # Veterans Day on a Saturday: the Friday
    assert workdays.is_working_day(date(2026, 7, 3))


def test_the_list_covers_each_year_with_weekdays_only() -> None:
    for year in range(closures.FIRST_YEAR, closures.LAST_YEAR + 1):
        days = [d for d in closures.CLOSURES if d.year == year]
        assert 9 <= len(days) <= 11, year
        assert all(d.weekday() < 5 for d in days), year
        # Thanksgiving and the day after are closures every year.
        assert sum(d.month == 11 and d.weekday() in (3, 4) and d.day > 21 for d in days) == 2


def test_working_days_between_counts_what_add_adds() -> None:
    start = date(2026, 12, 18)
    for n in range(0, 15):
        assert workdays.working_days_between(start, workdays.add_working_days(start, n)) == n


def test_negative_days_are_refused() -> None:
    with pytest.raises(ValueError):
        workdays.add_working_days(date(2026, 1, 5), -1)


def test_due_date_uses_the_office_date_not_utc() -> None:
    # 02:00 UTC on Saturday 5 Dec is still Friday 4 Dec in California.
    submitted = datetime(2026, 12, 5, 2, 0, tzinfo=UTC)
    assert workdays.office_date(submitted) == date(2026, 12, 4)
    assert workdays.due_date(RequestKind.LOCK, submitted) == date(2026, 12, 9)  # Wed


def test_targets_per_kind() -> None:
    assert workdays.TARGET_WORKING_DAYS == {
        RequestKind.VERIFICATION: 5,
        RequestKind.CORRECTION: 10,
        RequestKind.LOCK: 3,
        RequestKind.UNLOCK: 3,
    }


def test_overdue_the_day_after_the_due_date_in_office_time() -> None:
    submitted = datetime(2026, 12, 1, 17, 0, tzinfo=UTC)  # Tue 09:00 in California
    due = workdays.due_date(RequestKind.LOCK, submitted)
    assert due == date(2026, 12, 4)
    late_on_due_day = datetime(2026, 12, 5, 7, 59, tzinfo=UTC)  # Fri 23:59 Pacific
    assert not workdays.is_overdue(RequestKind.LOCK, submitted, late_on_due_day)
    assert workdays.is_overdue(RequestKind.LOCK, submitted, late_on_due_day + timedelta(minutes=1))


@pytest.mark.parametrize("kind", list(RequestKind))
def test_overdue_before_agrees_with_is_overdue(kind: RequestKind) -> None:
    """The query's cut-off and the row's mark say the same for every hour of two months."""
    now = datetime(2026, 12, 29, 20, 0, tzinfo=UTC)
    cutoff = workdays.overdue_before(kind, now)
    moment = now - timedelta(days=60)
    while moment < now:
        assert (moment < cutoff) == workdays.is_overdue(kind, moment, now), moment
        moment += timedelta(hours=1)
