"""Delivering the outbox: senders per channel, retries with a growing delay, no PHI in logs."""

from __future__ import annotations

import logging
import smtplib
from datetime import timedelta

import pytest
import sqlalchemy as sa

from portal.mail import outbox, senders
from portal.mail.models import Channel, OutboxMessage
from portal.orm import utcnow


def _queue(db, n: int = 1, channel: Channel = Channel.EMAIL) -> list[OutboxMessage]:  # type: ignore[no-untyped-def]
    rows = []
    for i in range(n):
        if channel == Channel.EMAIL:
            rows.append(outbox.queue_email(db, to=f"ana{i}@example.org", subject="Hi", body="Body"))
        else:
            rows.append(outbox.queue_sms(db, to="+15595550123", body="Your code is 123456"))
    db.commit()
    return rows


def test_delivers_each_pending_message_once(db) -> None:
    rows = _queue(db, 3)
    delivered: list[str] = []
    count = outbox.deliver_pending(db, {Channel.EMAIL: lambda m: delivered.append(m.recipient)})
    assert count == 3
    assert delivered == [r.recipient for r in rows]
    assert all(r.sent_at is not None and r.attempts == 1 for r in rows)
    assert outbox.deliver_pending(db, {Channel.EMAIL: lambda m: delivered.append("again")}) == 0


def test_channels_without_a_sender_stay_queued(db) -> None:
    [sms] = _queue(db, 1, Channel.SMS)
    assert outbox.deliver_pending(db, {Channel.EMAIL: lambda m: None}) == 0
    assert sms.sent_at is None and sms.attempts == 0
    assert outbox.deliver_pending(db, {}) == 0


def test_a_failure_is_counted_retried_later_and_logged_without_personal_details(db, caplog) -> None:
    [message] = _queue(db)
    message.body = "Maria Lopez, born 2019-03-14"
    db.commit()

    def refuse(m: OutboxMessage) -> None:
        raise smtplib.SMTPRecipientsRefused(
            {m.recipient: (550, b"no such user " + m.body.encode())}
        )

    now = utcnow()
    with caplog.at_level(logging.INFO, logger="portal.mail"):
        assert outbox.deliver_pending(db, {Channel.EMAIL: refuse}, now=now) == 0
    assert message.attempts == 1 and message.sent_at is None
    assert message.last_error == "SMTPRecipientsRefused"
    assert message.next_attempt_at == now + timedelta(minutes=1)
    assert str(message.id) in caplog.text
    for secret in ("ana0@example.org", "Maria", "2019-03-14", "Hi"):
        assert secret not in caplog.text
        assert secret not in message.last_error

    sent: list[int] = []
    ok = {Channel.EMAIL: lambda m: sent.append(m.id)}
    assert outbox.deliver_pending(db, ok, now=now + timedelta(seconds=30)) == 0  # too soon
    assert outbox.deliver_pending(db, ok, now=now + timedelta(minutes=2)) == 1
    assert message.sent_at is not None and message.last_error is None


def test_gives_up_after_the_last_attempt(db) -> None:
    [message] = _queue(db)
    message.attempts = outbox.MAX_ATTEMPTS - 1
    db.commit()

    def fail(m: OutboxMessage) -> None:
        raise OSError("connection refused")

    later = utcnow() + timedelta(days=1)
    outbox.deliver_pending(db, {Channel.EMAIL: fail}, now=later)
    assert message.attempts == outbox.MAX_ATTEMPTS
    much_later = later + timedelta(days=1)
    assert outbox.deliver_pending(db, {Channel.EMAIL: lambda m: None}, now=much_later) == 0
    assert message.sent_at is None


def test_one_failing_message_does_not_stop_the_others(db) -> None:
    rows = _queue(db, 3)

    def flaky(m: OutboxMessage) -> None:
        if m.id == rows[1].id:
            raise ValueError("bad address")

    assert outbox.deliver_pending(db, {Channel.EMAIL: flaky}) == 2
    assert [r.sent_at is not None for r in rows] == [True, False, True]


def test_retry_delay_doubles() -> None:
    assert [outbox.retry_delay(n).total_seconds() / 60 for n in (1, 2, 3, 4)] == [1, 2, 4, 8]


class FakeSMTP:
    sent: list = []
    instances: list = []

    def __init__(self, host: str, port: int, timeout: float) -> None:
        self.host, self.port, self.calls = host, port, []
        FakeSMTP.instances.append(self)

    def __enter__(self) -> FakeSMTP:
        return self

    def __exit__(self, *exc: object) -> None:
        self.calls.append("quit")

    def starttls(self) -> None:
        self.calls.append("starttls")

    def login(self, user: str, password: str) -> None:
        self.calls.append(("login", user, password))

    def send_message(self, message) -> None:  # type: ignore[no-untyped-def]
        FakeSMTP.sent.append(message)


@pytest.fixture
def fake_smtp(monkeypatch) -> type[FakeSMTP]:  # type: ignore[no-untyped-def]
    FakeSMTP.sent, FakeSMTP.instances = [], []
    monkeypatch.setattr(smtplib, "SMTP", FakeSMTP)
    return FakeSMTP


def test_smtp_sender_speaks_to_the_configured_server(fake_smtp) -> None:
    send = senders.smtp_sender(
        "smtp+starttls://mailer%40registry:p%40ss@mail.example:587", "Registry <no-reply@r.example>"
    )
    send(OutboxMessage(channel=Channel.EMAIL, recipient="ana@example.org", subject="S", body="B"))
    [server] = fake_smtp.instances
    assert (server.host, server.port) == ("mail.example", 587)
    assert server.calls == ["starttls", ("login", "mailer@registry", "p@ss"), "quit"]
    [email] = fake_smtp.sent
    assert email["To"] == "ana@example.org" and email["Subject"] == "S"
    assert email["From"] == "Registry <no-reply@r.example>"
    assert email.get_content().strip() == "B"


def test_an_unknown_smtp_scheme_is_refused() -> None:
    with pytest.raises(ValueError):
        senders.smtp_sender("http://mail.example", "x@example.org")


def test_configured_senders() -> None:
    assert senders.configured_senders({}) == {}
    demo = senders.configured_senders({"DEMO": True})
    assert list(demo) == [Channel.SMS]
    both = senders.configured_senders(
        {"DEMO": True, "SMTP_URL": "smtp://localhost:25", "MAIL_FROM": "x@example.org"}
    )
    assert set(both) == {Channel.EMAIL, Channel.SMS}


def test_the_queue_is_part_of_the_callers_transaction(db) -> None:
    outbox.queue_email(db, to="ana@example.org", subject="S", body="B")
    db.rollback()
    assert db.scalar(sa.select(sa.func.count()).select_from(OutboxMessage)) == 0
