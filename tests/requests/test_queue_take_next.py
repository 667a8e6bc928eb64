"""Take the next on PostgreSQL: a row another agent is claiming is skipped, not waited for."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from portal.orm import utcnow
from portal.requests.models import Request, RequestStatus
from portal.requests.queue import take_next


@pytest.fixture
def second(app):  # type: ignore[no-untyped-def]
    session = app.extensions["portal.db"]()
    yield session
    session.rollback()
    session.close()


def test_a_row_locked_by_another_claim_is_skipped(
    db, second, new_request, agent, other_agent
) -> None:
    if db.get_bind().dialect.name != "postgresql":
        pytest.skip("row locks are PostgreSQL's; SQLite retries a lost conditional claim")
    oldest = new_request(days_old=3)
    younger = new_request(days_old=1)
    # The other agent's take-the-next holds the oldest row, not yet committed.
    second.execute(sa.text("SET LOCAL lock_timeout = '2s'"))
    theirs = take_next(second, second.get(type(other_agent), other_agent.id), now=utcnow())
    assert theirs is not None and theirs.id == oldest.id
    db.execute(sa.text("SET LOCAL lock_timeout = '2s'"))  # waiting would fail, not hang
    mine = take_next(db, agent, now=utcnow())
    assert mine is not None and mine.id == younger.id
    db.commit()
    second.commit()
    db.expire_all()
    assert db.get(Request, oldest.id).assignee_id == other_agent.id
    assert db.get(Request, younger.id).status is RequestStatus.IN_REVIEW
