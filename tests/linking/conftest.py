"""Helpers for the linking tests: today's date as the portal sees it, the outbox, page text."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from portal.mail.models import OutboxMessage


@pytest.fixture
def settings(settings: dict[str, Any]) -> dict[str, Any]:
    """No response-time floor on the match (test_oracle.py checks it): the suite stays quick."""
    return {**settings, "LINK_MATCH_FLOOR_SECONDS": 0}


@pytest.fixture
def today() -> date:
    return datetime.now(ZoneInfo("America/Los_Angeles")).date()


def outbox(db: Session) -> list[OutboxMessage]:
    db.expire_all()
    return list(db.scalars(sa.select(OutboxMessage).order_by(OutboxMessage.id)))


def code_in(message: OutboxMessage) -> str:
    found = re.search(r"\b(\d{6})\b", message.body)
    assert found, message.body
    return found.group(1)


def without_csrf(html: bytes) -> bytes:
    return re.sub(rb'<input[^>]*name="csrf_token"[^>]*>', b"", html)


def years_ago(today: date, years: int, days: int = 0) -> date:
    """A birth date `years` ago, shifted by `days` (negative: the birthday is still to come)."""
    from datetime import timedelta

    from portal.linking.rules import birthday_at

    return birthday_at(today, -years) + timedelta(days=days)
