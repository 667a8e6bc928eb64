"""Server-side sessions as plain functions: idle time (shorter for staff) and a lifetime cap."""

from __future__ import annotations

from datetime import timedelta

import pytest

from portal.accounts.models import Role
from portal.accounts.sessions import SessionPolicy, load_session, start_session
from portal.orm import utcnow

POLICY = SessionPolicy(
    idle=timedelta(minutes=30), staff_idle=timedelta(minutes=15), lifetime=timedelta(hours=12)
)


@pytest.mark.parametrize(
    ("role", "quiet_minutes", "alive"),
    [
        (Role.PARENT, 29, True),
        (Role.PARENT, 31, False),
        (Role.SCHOOL_VERIFIER, 20, True),
        (Role.AGENT, 14, True),
        (Role.AGENT, 16, False),  # staff see many people's records: a shorter idle time
        (Role.SUPERVISOR, 16, False),
    ],
)
def test_a_session_ends_after_its_idle_time(db, make, role, quiet_minutes, alive) -> None:
    row = start_session(db, make.user(role=role))
    now = row.last_seen_at + timedelta(minutes=quiet_minutes)
    user = load_session(db, row.token, policy=POLICY, now=now)
    assert (user is not None) is alive
    assert (row.ended_at is None) is alive


def test_a_busy_session_still_ends_after_its_lifetime(db, make) -> None:
    row = start_session(db, make.user())
    start = row.created_at
    for minutes in range(10, 12 * 60, 10):  # never idle, touched every ten minutes
        assert load_session(db, row.token, policy=POLICY, now=start + timedelta(minutes=minutes))
    assert (
        load_session(db, row.token, policy=POLICY, now=start + timedelta(hours=12, minutes=1))
        is None
    )
    assert row.ended_at is not None


def test_an_ended_or_unknown_session_or_an_inactive_account_loads_nobody(db, make) -> None:
    user = make.user()
    row = start_session(db, user)
    assert load_session(db, "no-such-token", policy=POLICY) is None
    user.active = False
    assert load_session(db, row.token, policy=POLICY, now=utcnow()) is None
    assert row.ended_at is not None


def test_the_app_applies_the_staff_idle_time(app, client, make, login, monkeypatch) -> None:
    assert app.config["STAFF_SESSION_IDLE_MINUTES"] < app.config["SESSION_IDLE_MINUTES"]
    login(client, make.user(role=Role.AGENT))
    assert client.get("/account").status_code == 200
    later = utcnow() + timedelta(minutes=app.config["STAFF_SESSION_IDLE_MINUTES"] + 1)
    monkeypatch.setattr("portal.accounts.sessions.utcnow", lambda: later)
    response = client.get("/account")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")


def test_the_table_keeps_a_hash_not_the_cookies_token(db, make) -> None:
    row = start_session(db, make.user())
    db.commit()
    assert row.token and row.id != row.token
    assert len(row.id) == 64 and row.token not in row.id
    assert (
        load_session(db, row.id, policy=POLICY, now=utcnow()) is None
    )  # the stored value opens nothing
    assert load_session(db, row.token, policy=POLICY, now=utcnow()) is not None
