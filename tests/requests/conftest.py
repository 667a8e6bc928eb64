"""Helpers for the queue's tests: requests of a kind, age and assignee, in one call."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from portal.accounts.models import Role
from portal.orm import utcnow
from portal.requests.models import Request, RequestKind, RequestStatus


@pytest.fixture
def new_request(db, make):  # type: ignore[no-untyped-def]
    family = make.user()

    def build(
        kind: RequestKind = RequestKind.LOCK,
        *,
        days_old: float = 0,
        status: RequestStatus = RequestStatus.SUBMITTED,
        assignee: Any = None,
        **kw: Any,
    ) -> Request:
        at = utcnow() - timedelta(days=days_old)
        request = Request(
            kind=kind, requester=family, created_at=at, updated_at=at, status=status,
            assignee=assignee, **kw,
        )  # fmt: skip
        db.add(request)
        db.commit()
        return request

    return build


@pytest.fixture
def agent(make):  # type: ignore[no-untyped-def]
    return make.user(role=Role.AGENT, full_name="Marisol Vega")


@pytest.fixture
def other_agent(make):  # type: ignore[no-untyped-def]
    return make.user(role=Role.AGENT, full_name="Ray Chen")
