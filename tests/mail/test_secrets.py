"""After delivery no one-time code, confirmation, reset or invitation token is left in the db."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

import pytest
import sqlalchemy as sa

from portal.mail import outbox
from portal.mail.commands import send_mail
from portal.mail.models import Channel, OutboxMessage
from portal.models import metadata
from portal.orm import utcnow

BORN = date(2019, 3, 14)


@pytest.fixture
def settings(settings: dict[str, Any]) -> dict[str, Any]:
    return {**settings, "LINK_MATCH_FLOOR_SECONDS": 0, "RESET_FLOOR_SECONDS": 0}


def _every_text_value(db) -> list[str]:  # type: ignore[no-untyped-def]
    """Every string in every text column of every table."""
    db.rollback()
    values = []
    for table in metadata.sorted_tables:
        columns = [c for c in table.columns if isinstance(c.type, sa.String | sa.Text)]
        if columns:
            for row in db.execute(sa.select(*columns)):
                values.extend(str(v) for v in row if v is not None)
    return values


def _secrets_sent(app, client, make, login, db) -> list[str]:  # type: ignore[no-untyped-def]
    """Sign up, ask for a reset, match a child by phone, invite a teen: their secrets."""
    phrase = "blue kitchen river song"
    client.post("/signup", data={"email": "new@example.org", "password": phrase,
                                 "confirm": phrase, "language": "en"})  # fmt: skip
    make.user(email="ana@example.org")
    client.post("/reset", data={"email": "ana@example.org"})
    parent = make.user()
    make.patient(first_name="José", last_name="García", birth_date=BORN, phone="5595550123")
    teen = make.patient(first_name="Sam", birth_date=date.today() - timedelta(days=365 * 18 - 30))
    link = make.link(parent, teen)
    family = app.test_client()
    login(family, parent)
    family.post("/records/add/match", data={"first_name": "jose", "last_name": "garcia",
                "birth_date": BORN.isoformat(), "contact": "5595550123",
                "relationship": "parent"})  # fmt: skip
    family.post(f"/records/{link.id}/invite", data={"email": "sam@example.org"})
    db.rollback()
    bodies = [m.body for m in db.scalars(sa.select(OutboxMessage))]
    found = []
    for pattern in (r"/confirm/(\S+)", r"/reset/(\S+)", r"/records/invitation/(\S+)",
                    r"code is (\d{6})"):  # fmt: skip
        hits = [m.group(1) for body in bodies for m in [re.search(pattern, body)] if m]
        assert hits, (pattern, bodies)
        found.extend(hits)
    return found


def test_no_code_or_token_survives_delivery(app, client, make, login, db) -> None:
    secrets = _secrets_sent(app, client, make, login, db)
    assert any(s in v for s in secrets for v in _every_text_value(db))  # they are there now
    sent = {Channel.EMAIL: lambda m: None, Channel.SMS: lambda m: None}
    assert outbox.deliver_pending(db, sent) >= 4
    db.commit()
    values = _every_text_value(db)
    assert [s for s in secrets if any(s in v for v in values)] == []
    kept = db.scalars(sa.select(OutboxMessage)).all()
    assert all(m.recipient and m.sent_at and m.created_at for m in kept)  # who, when, status
    assert {m.subject for m in kept} >= {"Set a new password", "Take over your shot record"}


def test_a_message_given_up_on_loses_its_body_too(db) -> None:
    message = outbox.queue_sms(db, to="+15595550123", body="Your code is 123456")
    message.attempts = outbox.MAX_ATTEMPTS - 1
    db.commit()

    def fail(m: OutboxMessage) -> None:
        raise OSError("gateway down")

    outbox.deliver_pending(db, {Channel.SMS: fail})
    assert message.attempts == outbox.MAX_ATTEMPTS and message.body == ""


def test_the_demo_mailbox_keeps_what_it_shows(app, db) -> None:
    app.config["DEMO"] = True
    outbox.queue_sms(db, to="+15595550123", body="Your code is 123456")
    db.commit()
    assert app.test_cli_runner().invoke(send_mail, []).exit_code == 0
    db.rollback()
    [message] = db.scalars(sa.select(OutboxMessage)).all()
    assert message.sent_at is not None and message.body == "Your code is 123456"


def test_sent_messages_are_purged_after_the_retention_period(app, db) -> None:
    now = utcnow()
    rows = {}
    for name, age, sent in (("old", 31, True), ("recent", 29, True), ("waiting", 40, False),
                            ("given up", 40, None)):  # fmt: skip
        message = outbox.queue_email(db, to=f"{name}@example.org", subject=name, body="")
        message.created_at = now - timedelta(days=age)
        if sent:
            message.sent_at = now - timedelta(days=age)
        if sent is None:
            message.attempts = outbox.MAX_ATTEMPTS
        rows[name] = message
    db.commit()
    assert outbox.purge(db, now=now, retention=timedelta(days=30)) == 2
    db.commit()
    left = set(db.scalars(sa.select(OutboxMessage.subject)))
    assert left == {"recent", "waiting"}
