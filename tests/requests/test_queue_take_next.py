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
    # The other agent's take-the-next has selected the oldest row FOR UPDATE and not yet
    # claimed it. (Not a whole take_next: its claim would also hold the audit trail's head
    # until that transaction ends, and every staff action waits on that head in turn.)
    second.execute(sa.text("SET LOCAL lock_timeout = '2s'"))
    second.execute(sa.select(Request.id).where(Request.id == oldest.id).with_for_update())
    db.execute(sa.text("SET LOCAL lock_timeout = '2s'"))  # waiting would fail, not hang
    mine = take_next(db, agent, now=utcnow())
    assert mine is not None and mine.id == younger.id
    db.commit()
    second.commit()
    db.expire_all()
    assert db.get(Request, oldest.id).assignee_id is None
    assert db.get(Request, younger.id).status is RequestStatus.IN_REVIEW
    assert db.get(Request, younger.id).assignee_id == agent.id
