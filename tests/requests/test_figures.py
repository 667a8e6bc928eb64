"""The supervisor's figures on hand-made data, each answer worked out by hand in a comment."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from portal.accounts.models import Role
from portal.requests import figures as f
from portal.requests import overview_chart
from portal.requests import queue as queue_module
from portal.requests.models import Request, RequestKind, RequestStatus

K, S = RequestKind, RequestStatus
LA = ZoneInfo("America/Los_Angeles")
# Wednesday 9 December 2026, 10:00 in the office (18:00 UTC); no closure from Nov 28 on.
NOW = datetime(2026, 12, 9, 10, tzinfo=LA).astimezone(UTC)


def office(day: date, hour: int = 12, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=LA).astimezone(UTC)


def add(db, make, kind=K.LOCK, *, at, status=S.SUBMITTED, closed_at=None) -> Request:  # type: ignore[no-untyped-def]
    request = Request(kind=kind, requester=make.user(), created_at=at, updated_at=at,
                      status=status, closed_at=closed_at)  # fmt: skip
    db.add(request)
    db.flush()
    return request


# --- median and 90th percentile -------------------------------------------------------


def test_median_and_nearest_rank_90th_percentile_on_known_lists() -> None:
    ten = [7, 1, 10, 3, 5, 2, 9, 4, 8, 6]  # sorted 1..10
    assert f.resolve_times(ten) == f.ResolveTimes(10, 5.5, 9)  # 90% of 10 = 9th value
    assert f.resolve_times([3, 1, 2]) == f.ResolveTimes(3, 2, 3)  # ceil(2.7) = 3rd value
    assert f.resolve_times([4.5]) == f.ResolveTimes(1, 4.5, 4.5)
    eleven = list(range(1, 12))
    assert f.percentile(eleven, 0.9) == 10  # ceil(9.9) = 10th value
    assert f.resolve_times([]) == f.ResolveTimes(0, None, None)
    with pytest.raises(ValueError):
        f.percentile([], 0.9)


# --- age buckets in working days --------------------------------------------------------


def test_earliest_start_steps_over_weekends() -> None:
    monday = date(2026, 12, 7)
    assert f.earliest_start(monday, 0, closures=()) == monday  # only today's are age 0
    # Friday's, Saturday's and Sunday's are 1 working day old on Monday; Thursday's 2.
    assert f.earliest_start(monday, 1, closures=()) == date(2026, 12, 4)
    assert f.earliest_start(monday, 2, closures=()) == date(2026, 12, 3)
    # 5: Mon 7, Fri 4, Thu 3, Wed 2, Tue 1 counted after Mon 30 Nov.
    assert f.earliest_start(monday, 5, closures=()) == date(2026, 11, 30)


def test_earliest_start_steps_over_the_states_closures() -> None:
    # Thanksgiving Thu 26 and Fri 27 Nov 2026 are closures: on Mon 30 a request from Wed 25
    # is one working day old (only Monday counts), one from Tue 24 two.
    monday = date(2026, 11, 30)
    assert f.earliest_start(monday, 1) == date(2026, 11, 25)
    assert f.age_in_working_days(office(date(2026, 11, 25)), office(monday)) == 1
    assert f.age_in_working_days(office(date(2026, 11, 24)), office(monday)) == 2
    # Without the closure list the same Wednesday would be three days old.
    assert f.age_in_working_days(office(date(2026, 11, 25)), office(monday), closures=()) == 3


def test_bucket_of_each_edge() -> None:
    assert [f.bucket_of(age).key for age in (0, 1, 2, 5, 6, 10, 11, 400)] == [
        "0-1", "0-1", "2-5", "2-5", "6-10", "6-10", "over-10", "over-10",
    ]  # fmt: skip


def test_open_requests_by_kind_and_age_at_each_bucket_edge(db, make) -> None:
    # On Wed 9 Dec (no closures): Tue 8 is 1 day old, Mon 7 is 2, Wed 2 is 5 (Thu 3, Fri 4,
    # Mon 7, Tue 8, Wed 9), Tue 1 is 6, Wed 25 Nov is 10, Tue 24 Nov is 11.
    cases = [
        (K.LOCK, office(date(2026, 12, 9), 9), "0-1"),
        (K.LOCK, office(date(2026, 12, 8), 0, 0), "0-1"),  # the office's midnight: still 1
        (K.LOCK, office(date(2026, 12, 7), 23, 59), "2-5"),  # a minute before it: 2
        (K.LOCK, office(date(2026, 12, 2)), "2-5"),
        (K.CORRECTION, office(date(2026, 12, 1)), "6-10"),
        (K.CORRECTION, office(date(2026, 11, 25)), "6-10"),
        (K.CORRECTION, office(date(2026, 11, 24)), "over-10"),
        (K.VERIFICATION, office(date(2026, 12, 5)), "2-5"),  # a Saturday: Mon, Tue, Wed
    ]
    for kind, at, _bucket in cases:
        add(db, make, kind, at=at)
    add(db, make, K.UNLOCK, at=office(date(2026, 12, 8)), status=S.NEEDS_INFO)  # open too
    add(db, make, K.UNLOCK, at=office(date(2026, 12, 8)), status=S.APPROVED,
        closed_at=NOW)  # closed: not counted  # fmt: skip
    db.commit()

    counts = f.open_by_age(db, NOW, closures=())
    assert counts == {
        K.VERIFICATION: (0, 1, 0, 0),
        K.CORRECTION: (0, 0, 2, 1),
        K.LOCK: (2, 2, 0, 0),
        K.UNLOCK: (1, 0, 0, 0),
    }
    # The SQL agrees with the plain rule, request by request.
    for _kind, at, bucket in cases:
        assert f.bucket_of(f.age_in_working_days(at, NOW, closures=())).key == bucket


def test_the_buckets_follow_the_closure_list(db, make) -> None:
    monday = office(date(2026, 11, 30), 10)
    add(db, make, at=office(date(2026, 11, 25)))  # 1 working day old: Thu, Fri closed
    add(db, make, at=office(date(2026, 11, 24)))  # 2
    db.commit()
    assert f.open_by_age(db, monday)[K.LOCK] == (1, 1, 0, 0)


# --- overdue ------------------------------------------------------------------------------


def test_overdue_count_is_the_queues_own_rule(db, make) -> None:
    # Lock target 3 working days. Thu 3 Dec: due Tue 8, overdue on Wed 9. Fri 4: due Wed 9,
    # on time. A correction (10 days) from Mon 23 Nov is due Wed 9 (Thanksgiving skipped).
    add(db, make, K.LOCK, at=office(date(2026, 12, 3)))
    add(db, make, K.LOCK, at=office(date(2026, 12, 3)), status=S.IN_REVIEW)
    add(db, make, K.LOCK, at=office(date(2026, 12, 4)))
    add(db, make, K.CORRECTION, at=office(date(2026, 11, 23)))
    add(db, make, K.LOCK, at=office(date(2026, 11, 2)), status=S.REJECTED, closed_at=NOW)
    db.commit()
    assert f.overdue_count(db, NOW) == 2
    supervisor = make.user(role=Role.SUPERVISOR)
    page = queue_module.queue_page(db, supervisor, queue_module.QueueFilter(), now=NOW)
    assert sum(row.overdue for row in page.rows) == 2


# --- time to resolve over the last 30 days -------------------------------------------------


def test_time_to_resolve_over_the_30_day_window(db, make) -> None:
    start = NOW - timedelta(days=30)

    def resolved(kind, days, closed_at=NOW, status=S.APPROVED):  # type: ignore[no-untyped-def]
        return add(db, make, kind, at=closed_at - timedelta(days=days), status=status,
                   closed_at=closed_at)  # fmt: skip

    resolved(K.LOCK, 1)
    resolved(K.LOCK, 3, status=S.REJECTED)
    resolved(K.LOCK, 2, closed_at=start)  # the window's first moment: counted
    resolved(K.CORRECTION, 10, closed_at=NOW - timedelta(days=2))
    resolved(K.LOCK, 50, closed_at=start - timedelta(seconds=1))  # just before: not counted
    resolved(K.LOCK, 50, closed_at=NOW + timedelta(minutes=1))  # after now: not counted
    resolved(K.LOCK, 50, status=S.WITHDRAWN)  # withdrawn is not resolved
    add(db, make, K.LOCK, at=NOW - timedelta(days=40))  # open
    db.commit()

    found = f.figures(db, NOW)
    assert found.resolve_by_kind[K.LOCK] == f.ResolveTimes(3, 2, 3)  # [1, 2, 3]
    assert found.resolve_by_kind[K.CORRECTION] == f.ResolveTimes(1, 10, 10)
    assert found.resolve_by_kind[K.UNLOCK] == f.ResolveTimes(0, None, None)
    # All: [1, 2, 3, 10]: median 2.5; 90% of 4 = 3.6, so the 4th value.
    assert found.resolve_overall == f.ResolveTimes(4, 2.5, 10)
    assert found.window_start == start
    assert found.open_total == 1


# --- the chart's geometry -----------------------------------------------------------------


def test_chart_bars_scale_to_the_largest_and_keep_their_own_pattern() -> None:
    counts = {K.VERIFICATION: (0, 1, 0, 0), K.CORRECTION: (0, 0, 250, 1000),
              K.LOCK: (500, 0, 0, 0), K.UNLOCK: (0, 0, 0, 0)}  # fmt: skip
    found = f.Figures(NOW, counts, 0, NOW, {}, f.ResolveTimes(0, None, None))
    chart = overview_chart.chart(found)
    bars = {(g.kind, b.bucket): b for g in chart.groups for b in g.bars}
    assert bars[(K.CORRECTION, "over-10")].width == overview_chart.BAR_ROOM
    assert bars[(K.LOCK, "0-1")].width == overview_chart.BAR_ROOM / 2
    assert bars[(K.VERIFICATION, "0-1")].width == 0  # no bar; its 0 is written
    assert bars[(K.CORRECTION, "6-10")].width == overview_chart.BAR_ROOM / 4
    assert bars[(K.VERIFICATION, "2-5")].width == 2.0  # 1 of 1,000 still shows
    assert [b.pattern for b in chart.groups[0].bars] == ["solid", "stripes", "dots", "empty"]
    tops = [b.y for g in chart.groups for b in g.bars]
    assert tops == sorted(tops) and len(set(tops)) == 16  # no two bars overlap
    assert max(b.x + b.width for b in bars.values()) + overview_chart.COUNT_ROOM <= chart.width
    assert chart.height > tops[-1] + overview_chart.BAR_HEIGHT


# --- the page -------------------------------------------------------------------------------


@pytest.fixture
def supervisor(make):  # type: ignore[no-untyped-def]
    return make.user(role=Role.SUPERVISOR)


def test_the_page_shows_the_figures_in_the_chart_and_the_table(
    client, db, make, login, supervisor
) -> None:
    now = datetime.now(UTC)
    for _ in range(3):
        add(db, make, K.LOCK, at=now - timedelta(minutes=5))
    add(db, make, K.CORRECTION, at=now - timedelta(days=40))  # over 10 working days, overdue
    add(db, make, K.LOCK, at=now - timedelta(days=2), status=S.APPROVED,
        closed_at=now - timedelta(hours=1))  # fmt: skip
    db.commit()
    login(client, supervisor)
    page = client.get("/staff/overview").get_data(as_text=True)
    assert "4 open requests" in page and "1 overdue" in page
    assert 'href="/staff/queue?age=overdue"' in page
    svg = page[page.index("<svg") : page.index("</svg>")]
    assert 'role="img"' in svg and "<title id=\"chart-title\">" in svg
    assert "Lock the record, 0–1 days: 3</title>" in svg
    assert "Correct the record, over 10 days: 1</title>" in svg
    table = page[page.index("<table") : page.index("</table>")]
    rows = {
        m.group(1): re.findall(r"<td[^>]*>(\d+)</td>", m.group(2))
        for m in re.finditer(r'<th scope="row">([^<]+)</th>(.*?)</tr>', table)
    }
    assert rows["Lock the record"] == ["3", "0", "0", "0", "3"]
    assert rows["Correct the record"] == ["0", "0", "0", "1", "1"]
    assert rows["All kinds"] == ["3", "0", "0", "1", "4"]
    resolve = page[page.index('id="resolve-heading"') :]
    cells = re.search(r"Lock the record</th>(.*?)</tr>", resolve).group(1)  # type: ignore[union-attr]
    assert re.findall(r"<td[^>]*>([^<]+)</td>", cells) == ["1", "2.0", "2.0"]


def test_the_page_in_spanish(client, db, make, login) -> None:
    add(db, make, K.LOCK, at=datetime.now(UTC) - timedelta(days=3), status=S.APPROVED,
        closed_at=datetime.now(UTC) - timedelta(hours=12))  # 2.5 days  # fmt: skip
    db.commit()
    login(client, make.user(role=Role.SUPERVISOR, locale="es"))
    page = client.get("/staff/overview").get_data(as_text=True)
    assert "<html lang=\"es\"" in page
    assert "2,5" in page  # decimals the Spanish way
    assert "Help-desk figures" not in page


def test_only_supervisors_reach_the_page(client, make, login, supervisor) -> None:
    agent = make.user(role=Role.AGENT)
    login(client, agent)
    assert client.get("/staff/overview").status_code == 403
    assert "/staff/overview" not in client.get("/staff/queue").get_data(as_text=True)
    login(client, supervisor, mfa=False)
    assert client.get("/staff/overview").status_code == 302  # to the second factor first
    login(client, supervisor)
    assert 'href="/staff/overview"' in client.get("/staff/queue").get_data(as_text=True)
