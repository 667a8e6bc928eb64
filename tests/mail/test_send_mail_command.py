"""`portal send-mail` against the test database."""

from __future__ import annotations

import smtplib

import pytest
import sqlalchemy as sa

from portal.mail.commands import send_mail
from portal.mail.models import Channel, OutboxMessage
from portal.mail.outbox import queue_email, queue_sms


@pytest.fixture
def settings(settings: dict, request: pytest.FixtureRequest) -> dict:
    """The suite's settings, plus what a test passes with indirect parametrization."""
    settings.update(getattr(request, "param", {}))
    return settings


DEMO = pytest.mark.parametrize("settings", [{"DEMO": True}], indirect=True)


@pytest.fixture
def queued(db) -> None:  # type: ignore[no-untyped-def]
    queue_email(db, to="ana@example.org", subject="Confirm", body="Open the link")
    queue_sms(db, to="+15595550123", body="Your code is 123456")
    db.commit()


def _sent(db) -> dict[Channel, bool]:  # type: ignore[no-untyped-def]
    db.rollback()
    db.expire_all()
    rows = db.scalars(sa.select(OutboxMessage)).all()
    return {r.channel: r.sent_at is not None for r in rows}


@DEMO
def test_in_the_demo_texts_go_to_the_mailbox_and_emails_wait(app, db, queued) -> None:
    result = app.test_cli_runner().invoke(send_mail, [])
    assert result.exit_code == 0, result.output
    assert "PORTAL_SMTP_URL is not set" in result.output
    assert _sent(db) == {Channel.EMAIL: False, Channel.SMS: True}


@pytest.mark.parametrize("settings", [{"SMTP_URL": "smtp://localhost:2525"}], indirect=True)
def test_with_smtp_emails_are_sent_and_committed(app, db, queued, monkeypatch) -> None:
    delivered = []

    class FakeSMTP:
        def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
            pass

        def __enter__(self):  # type: ignore[no-untyped-def]
            return self

        def __exit__(self, *exc) -> None:  # type: ignore[no-untyped-def]
            pass

        def send_message(self, message) -> None:  # type: ignore[no-untyped-def]
            delivered.append(message["To"])

    monkeypatch.setattr(smtplib, "SMTP", FakeSMTP)
    result = app.test_cli_runner().invoke(send_mail, [])
    assert result.exit_code == 0, result.output
    assert "Sent 1 message(s)." in result.output
    assert delivered == ["ana@example.org"]
    assert _sent(db) == {Channel.EMAIL: True, Channel.SMS: False}  # no SMS gateway here


def test_without_any_sender_it_says_so(app, db, queued) -> None:
    result = app.test_cli_runner().invoke(send_mail, [])
    assert result.exit_code != 0
    assert "nothing was sent" in result.output
    assert _sent(db) == {Channel.EMAIL: False, Channel.SMS: False}


@DEMO
def test_the_loop_keeps_going_until_stopped(app, db, queued, monkeypatch) -> None:
    naps: list[float] = []

    def nap(seconds: float) -> None:
        naps.append(seconds)
        if len(naps) == 2:
            raise KeyboardInterrupt

    monkeypatch.setattr("portal.mail.commands.time.sleep", nap)
    result = app.test_cli_runner().invoke(send_mail, ["--loop", "--interval", "2"])
    assert result.exit_code == 0, result.output
    assert naps == [2.0, 2.0]
    assert result.output.count("Sent 1 message(s).") == 1  # the text, in the first round
    assert "Stopped." in result.output
