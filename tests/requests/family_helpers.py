"""What the family request tests share: a parent with a linked record, the form's token."""

from __future__ import annotations

import re

import sqlalchemy as sa

from portal.mail.models import OutboxMessage
from portal.requests.models import Request


def token_of(page: str) -> str:
    found = re.search(r'name="token" type="hidden" value="([^"]+)"', page) or re.search(
        r'id="token" name="token" type="hidden" value="([^"]+)"', page
    )
    if found is None:
        found = re.search(r'name="token"[^>]*value="([^"]+)"', page)
    assert found, "the form carries no token"
    return found.group(1)


def version_of(page: str) -> str:
    found = re.search(r'name="version"[^>]*value="([^"]+)"', page)
    assert found, "the form carries no version"
    return found.group(1)


def requests_in(db) -> list[Request]:  # type: ignore[no-untyped-def]
    db.expire_all()
    return list(db.scalars(sa.select(Request).order_by(Request.id)))


def mail_to(db, email: str) -> list[OutboxMessage]:  # type: ignore[no-untyped-def]
    db.expire_all()
    return list(
        db.scalars(
            sa.select(OutboxMessage)
            .where(OutboxMessage.recipient == email)
            .order_by(OutboxMessage.id)
        )
    )
