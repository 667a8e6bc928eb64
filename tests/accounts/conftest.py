"""Helpers for the account tests: read the outbox, follow the links in emails."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from portal.mail.models import OutboxMessage

BASE = "http://localhost"  # ISSUER_URL in the test settings


@pytest.fixture
def outbox(db: Session) -> Callable[[], list[OutboxMessage]]:
    def messages() -> list[OutboxMessage]:
        reread(db)
        return list(db.scalars(sa.select(OutboxMessage).order_by(OutboxMessage.id)))

    return messages


def reread(db: Session) -> None:
    """See what the requests committed since: end the transaction and forget loaded values."""
    db.rollback()
    db.expire_all()


def link_in(message: OutboxMessage, prefix: str) -> str:
    """The path of the first absolute link in an email that starts with `prefix`."""
    found = re.search(re.escape(BASE) + "(" + re.escape(prefix) + r"[^\s]*)", message.body)
    assert found, f"no {prefix} link in: {message.body}"
    return found.group(1)


def session_cookie(client) -> str:  # type: ignore[no-untyped-def]
    cookie = client.get_cookie("session")
    assert cookie is not None
    return cookie.value


def without_csrf(page: bytes | str) -> str:
    """A page with its CSRF tokens blanked: they carry a timestamp, so two renders differ."""
    text = page.decode() if isinstance(page, bytes) else page
    return re.sub(r'name="csrf_token"[^>]*value="[^"]*"', "", text)
